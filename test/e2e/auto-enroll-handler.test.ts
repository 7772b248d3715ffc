/**
 * The auto-enroll handler (the CDK-deployed function) run in-process against moto: it plans with the CLI's code, so a
 * sweep refuses what enroll refuses, honours case-insensitive exempt names and the tags `enroll --exclude` set, and
 * skips a user deleted before it ran.
 */
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { sdkRolloutIam, sdkRolloutSts } from '../../src/rollout/aws/iam.js';
import { handler, type AutoEnrollDependencies } from '../../src/rollout/lambda/auto-enroll.js';
import { awsClients } from './support/aws.js';
import { runCli, scratchPath } from './support/cli.js';
import { groupMembers } from './support/iam-read.js';
import { resetMoto } from './support/moto.js';
import { GUARD_GROUP, seedGuardGroup, seedUser } from './support/seed.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

async function dependencies(): Promise<AutoEnrollDependencies> {
  const { iam, sts } = awsClients();
  return { iam: await sdkRolloutIam(iam), sts: await sdkRolloutSts(sts) };
}

describe('auto-enroll handler against moto', () => {
  let logged: string[];
  beforeEach(async () => {
    await resetMoto(inject('e2eEndpoint'));
    process.env['GROUP_NAME'] = GUARD_GROUP;
    logged = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
  });
  afterEach(() => {
    delete process.env['GROUP_NAME'];
    delete process.env['EXEMPT_USERS'];
    vi.restoreAllMocks();
  });

  it('a sweep refuses to add the only administrator (key-only, no MFA): nobody is added, the refusal is logged and raised', async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, { name: 'admin', accessKeys: 1, managedPolicies: [ADMIN] });
    await seedUser(iam, { name: 'dev', password: true });
    await expect(handler({ sweep: true }, await dependencies())).rejects.toThrow(/refused the plan \(no-administrator-left\)/);
    expect(logged.map((line) => JSON.parse(line) as { outcome: string; code?: string })).toContainEqual(expect.objectContaining({ outcome: 'refused', code: 'no-administrator-left' }));
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual([]);
  });

  it('skips breakglass for EXEMPT_USERS=BreakGlass and a user excluded by an earlier enroll --exclude; adds the rest', async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, { name: 'breakglass', password: true, mfa: true, managedPolicies: [ADMIN] });
    await seedUser(iam, { name: 'kept', password: true });
    await seedUser(iam, { name: 'dev', password: true });
    const excluded = await runCli(['enroll', '--users', 'dev', '--exclude', 'kept', '--apply', '--log', scratchPath('exclude.jsonl')]);
    expect(excluded.code, excluded.stderr).toBe(0);
    await seedUser(iam, { name: 'newbie', password: true });

    process.env['EXEMPT_USERS'] = 'BreakGlass';
    const result = await handler({ sweep: true }, await dependencies());
    expect(result.added).toEqual(['newbie']);
    expect(result.skipped.sort()).toEqual(['breakglass', 'kept']);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(['dev', 'newbie']);
  });

  it('a user deleted before the function ran is logged and skipped, not an error', async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, { name: 'breakglass', password: true, mfa: true, managedPolicies: [ADMIN] });
    const event = { source: 'aws.iam', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', responseElements: { user: { userName: 'ghost' } } } };
    await expect(handler(event, await dependencies())).resolves.toEqual({ added: [], skipped: ['ghost'], members: 0 });
    expect(logged.map((line) => JSON.parse(line) as { outcome: string })).toContainEqual({ outcome: 'gone', userName: 'ghost' });
  });
});
