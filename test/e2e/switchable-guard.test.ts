// Against moto: a guard whose MFA deny also tests aws:UserAgent does not make an administrator without MFA protected.
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli, scratchPath, TEST_ACCOUNT } from './support/cli.js';
import { ALLOW_ALL, GUARD_GROUP, guardPolicy, seedGroup, seedUser } from './support/seed.js';

let guardFile: string;

beforeAll(async () => {
  const { iam } = awsClients();
  // The guard of `template --format policy`, with one more condition on its MFA deny (the first statement).
  const guard = JSON.parse(await guardPolicy()) as { Statement: { Condition?: Record<string, unknown> }[] };
  const deny = guard.Statement[0] as { Condition?: Record<string, unknown> };
  deny.Condition = { ...deny.Condition, StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } };
  guardFile = scratchPath('guard-user-agent.json');
  writeFileSync(guardFile, JSON.stringify(guard, null, 2));
  await seedGroup(iam, GUARD_GROUP, { ForceMfaAccess: guard });
  await seedGroup(iam, 'Admins', { AdminLike: ALLOW_ALL });
  await seedUser(iam, { name: 'root-like-admin', password: true, groups: [GUARD_GROUP, 'Admins'] });
});

interface AuditJson {
  users: { userName: string; status: string; reasons: { code: string; params: Record<string, unknown>; message: string }[] }[];
}

describe('the guard plus StringNotLikeIfExists aws:UserAgent *Terraform*', () => {
  it('audit does not report the administrator protected, names aws:UserAgent, and exits 1 under --fail-on', async () => {
    const result = await runCli(['audit', '--format', 'json', '--fail-on', 'unprotected,enrolled-not-enforced,pending-enrollment']);
    expect(result.code, result.stderr).toBe(1);
    const user = jsonOf<AuditJson>(result).users.find((entry) => entry.userName === 'root-like-admin');
    expect(user?.status).toBe('unprotected');
    const reason = user?.reasons.find((entry) => entry.code === 'guard-switchable');
    expect(reason?.params['keys']).toEqual(['aws:UserAgent']);
    expect(reason?.message).toContain('aws:UserAgent');
    expect(result.stderr).toMatch(/1 unprotected/);
  });

  it('lint on that policy exits 1 with FMFA015', async () => {
    const result = await runCli(['lint', guardFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('FMFA015 error');
    expect(result.stdout).toContain('aws:UserAgent');
  });

  it('verify lists iam:CreateAccessKey as allowed with access keys alone', async () => {
    const result = await runCli(['verify', '--policy', guardFile, '--with-policy', 'AdministratorAccess', '--principal', `arn:aws:iam::${TEST_ACCOUNT}:user/root-like-admin`, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const report = jsonOf<{ contexts: Record<string, { allowed: { action: string; openedBy?: { key: string }[] }[] }> }>(result);
    const entry = report.contexts['access-keys']?.allowed.find((allowed) => allowed.action === 'iam:CreateAccessKey');
    expect(entry?.openedBy?.map((value) => value.key)).toEqual(['aws:UserAgent']);
  });
});
