/** The lockout refusals: the caller without MFA, and no administrator left who could sign in with MFA. */
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli, scratchPath } from './support/cli.js';
import { groupMembers } from './support/iam-read.js';
import { GUARD_GROUP, seedGuardGroup, seedUser, type SeededUser } from './support/seed.js';

const { iam } = awsClients();
let operator: SeededUser;

describe('enroll refusals', () => {
  beforeAll(async () => {
    await seedGuardGroup(iam);
    // The administrators: both with long-term keys only and no MFA device; in the guard group, whose policy denies
    // device changes made with keys alone, neither could ever sign in with MFA.
    await seedUser(iam, { name: 'admin-no-mfa', accessKeys: 1, managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    operator = await seedUser(iam, { name: 'operator', accessKeys: 1, managedPolicies: ['arn:aws:iam::aws:policy/IAMFullAccess'] });
    await seedUser(iam, { name: 'worker', password: true });
  });

  it('the plan shows the no-administrator refusal and exits 1', async () => {
    const result = await runCli(['enroll', '--users', 'admin-no-mfa,operator,worker', '--json']);
    expect(result.code).toBe(1);
    expect(jsonOf<{ refusals: { code: string }[] }>(result).refusals.map((refusal) => refusal.code)).toContain('no-administrator-left');
  });

  it('--apply refuses to leave no administrator: one line, exit 2, nobody added', async () => {
    const result = await runCli(['enroll', '--users', 'admin-no-mfa,operator,worker', '--apply', '--log', scratchPath('refused.jsonl')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^force-mfa: refusing to apply: after this change no IAM user could still sign in with MFA and administer IAM.*only IAM users were examined/);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual([]);
  });

  it('--apply refuses to add the caller who signs with long-term keys', async () => {
    const [key] = operator.accessKeys;
    const result = await runCli(['enroll', '--users', 'operator', '--apply', '--log', scratchPath('caller.jsonl')], {
      env: { AWS_ACCESS_KEY_ID: key?.accessKeyId, AWS_SECRET_ACCESS_KEY: key?.secretAccessKey },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^force-mfa: refusing to apply: the plan adds operator, the user running it/);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual([]);
  });

  it('--force applies despite the refusal', async () => {
    const result = await runCli(['enroll', '--users', 'admin-no-mfa,operator,worker', '--apply', '--force', '--log', scratchPath('forced.jsonl'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(['admin-no-mfa', 'operator', 'worker']);
  });
});
