/** `audit` against moto: every status the endpoint can produce, users with paths, and the --fail-on gate. */
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli } from './support/cli.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

interface AuditJson {
  summary: { users: number; byStatus: Record<string, number> };
  users: { userName: string; path: string; status: string; groups: string[] }[];
}

const EXPECTED = [
  { name: 'alice-protected', status: 'protected' },
  { name: 'bob-pending', status: 'pending-enrollment' },
  { name: 'carol-mfa-admin', status: 'enrolled-not-enforced' },
  { name: 'dave-unprotected', status: 'unprotected' },
  { name: 'erin-keys-only', status: 'unprotected-programmatic' },
  { name: 'frank-no-credentials', status: 'no-credentials' },
  { name: 'grace-exempt', status: 'exempt' },
  { name: 'henry-path-protected', status: 'protected', path: '/staff/engineering/' },
  { name: 'ivan-path-unprotected', status: 'unprotected', path: '/staff/' },
] as const;

describe('audit against an AWS-compatible endpoint', () => {
  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    for (const user of EXPECTED) await seedUser(iam, seedForStatus(user.status, user.name, 'path' in user ? user.path : '/'));
  });

  it('classifies a user in every status, paths kept', async () => {
    const result = await runCli(['audit', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = jsonOf<AuditJson>(result);
    const got = Object.fromEntries(report.users.map((user) => [user.userName, user.status]));
    expect(got).toEqual(Object.fromEntries(EXPECTED.map((user) => [user.name, user.status])));
    expect(report.users.find((user) => user.userName === 'henry-path-protected')?.path).toBe('/staff/engineering/');
    expect(report.users.find((user) => user.userName === 'ivan-path-unprotected')?.path).toBe('/staff/');
    expect(report.summary.byStatus['unknown']).toBe(0);
  });

  it('--fail-on exits 1 with one line naming the counts', async () => {
    const result = await runCli(['audit', '--format', 'json', '--fail-on', 'unprotected,unprotected-programmatic']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['force-mfa: 2 unprotected, 1 unprotected-programmatic (--fail-on unprotected,unprotected-programmatic)']);
  });
});
