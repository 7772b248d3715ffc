/** `audit` of 1,100 users: IAM pagination exercised against a real endpoint, every user classified right. */
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli } from './support/cli.js';
import { compareStatuses, seedPopulation } from './support/population.js';

let expected: Map<string, string>;

describe('audit of more than 1,000 users', () => {
  beforeAll(async () => {
    expected = await seedPopulation(awsClients().iam, 1_100);
  });

  it('reads every page and classifies every user, paths kept', async () => {
    const result = await runCli(['audit', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = jsonOf<{ sources: { kind: string; count?: number }[]; users: { userName: string; status: string; path: string }[] }>(result);
    expect(report.users).toHaveLength(1_100);
    const comparison = compareStatuses(expected, report.users);
    expect(comparison).toEqual({ unknown: 0, wrong: [], missing: [] });
    // moto answers GetAccountAuthorizationDetails in one page; the per-user and enroll listings below page.
    expect(report.sources.find((source) => source.kind === 'authorization-details')?.count).toBeGreaterThanOrEqual(1);
    expect(report.users.find((user) => user.userName === 'u0009')?.path).toBe('/team-2/');
  });

  it('enroll --all plans every one of the 1,100 users that is neither a member nor exempt (ListUsers pages)', async () => {
    const result = await runCli(['enroll', '--all', '--json']);
    // The account has no administrator at all, so the plan also says --apply would refuse (exit 1).
    expect(result.code, result.stderr).toBe(1);
    const plan = jsonOf<{ changes: { userName: string; action: string }[]; refusals: { code: string }[] }>(result);
    expect(plan.refusals.map((refusal) => refusal.code)).toEqual(['no-administrator-left']);
    const wanted = [...expected].filter(([, status]) => !['protected', 'pending-enrollment', 'exempt'].includes(status)).map(([name]) => name).sort();
    expect(plan.changes.filter((change) => change.action === 'add').map((change) => change.userName).sort()).toEqual(wanted);
    expect(plan.changes).toHaveLength(1_100);
  });
});
