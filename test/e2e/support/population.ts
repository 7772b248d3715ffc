/** A large seeded account: many users in a repeating mix of statuses, created with bounded concurrency. */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { UserStatus } from '../../../src/audit/types.js';
import { mapWithConcurrency } from '../../../src/account/aws/retry.js';
import { seedForStatus, seedGuardGroup, seedUser } from './seed.js';

type SeedableStatus = Exclude<UserStatus, 'unknown'>;

/** The mix, one user each in turn; MFA devices are costly to seed in moto, so protected users are a few. */
const MIX: readonly SeedableStatus[] = ['unprotected', 'pending-enrollment', 'no-credentials', 'unprotected-programmatic', 'unprotected', 'exempt', 'pending-enrollment', 'no-credentials', 'unprotected', 'protected'];

/** Seeds the guard group and `count` users named `u0000`…, under paths `/team-<n>/`; returns each user's expected status. */
export async function seedPopulation(iam: IAMClient, count: number): Promise<Map<string, SeedableStatus>> {
  await seedGuardGroup(iam);
  const expected = new Map<string, SeedableStatus>();
  const names = Array.from({ length: count }, (_, index) => `u${String(index).padStart(4, '0')}`);
  await mapWithConcurrency(names, 8, async (name, index) => {
    const status = MIX[index % MIX.length] ?? 'unprotected';
    await seedUser(iam, seedForStatus(status, name, `/team-${index % 7}/`));
    expected.set(name, status);
  });
  return expected;
}

export interface StatusComparison {
  readonly unknown: number;
  /** Users reported in a status other than the expected one or `unknown`: must be empty. */
  readonly wrong: readonly string[];
  readonly missing: readonly string[];
}

/** Compares a report's users with the expected statuses; `unknown` is allowed (data missing), anything else is wrong. */
export function compareStatuses(expected: ReadonlyMap<string, string>, users: readonly { userName: string; status: string }[]): StatusComparison {
  const got = new Map(users.map((user) => [user.userName, user.status]));
  const wrong: string[] = [];
  let unknown = 0;
  for (const [name, status] of got) {
    if (status === 'unknown') unknown += 1;
    else if (expected.get(name) !== status) wrong.push(`${name}: expected ${expected.get(name) ?? '(not seeded)'}, got ${status}`);
  }
  const missing = [...expected.keys()].filter((name) => !got.has(name));
  return { unknown, wrong, missing };
}
