// deploy reads back what it deployed, and verify --group checks a group on its own, against moto.
import { writeFileSync } from 'node:fs';
import { AttachGroupPolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { runCli, scratchPath } from './support/cli.js';
import { ALLOW_ALL, guardPolicy, seedGroup, seedGuardGroup } from './support/seed.js';

/** The line the read-back prints last (the verified summary, or what differs). */
const lastLine = (text: string): string => text.trimEnd().split('\n').pop() ?? '';

describe('deploy (moto creates no IAM group from CloudFormation: the missing-group case)', () => {
  it('exits 3 with one line once the stack completes but the group is missing', async () => {
    const result = await runCli(['deploy', '--yes']);
    expect(result.code).toBe(3);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('force-mfa: '));
    expect(errors).toEqual([
      "force-mfa: stack force-mfa is CREATE_COMPLETE but IAM group ForceMfaAccess does not exist: the stack did not create it; check the stack's resources in the CloudFormation console",
    ]);
    expect(result.stdout).not.toContain('policy as rendered');
  });

  it('destroy then deletes the stack and finds the group gone (IAM says so, not the stack status)', async () => {
    const result = await runCli(['destroy', '--yes']);
    expect(result.stderr).not.toMatch(/^force-mfa: /m);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('Stack force-mfa deleted; IAM group ForceMfaAccess is gone.');
  });
});

describe('verify --group', () => {
  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    // The guard with its MFA deny on a Bool condition: access keys (key absent) are no longer denied by it.
    const weakened = JSON.parse(await guardPolicy()) as { Statement: { Condition?: unknown }[] };
    weakened.Statement[0] = { ...weakened.Statement[0], Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } };
    await seedGroup(iam, 'WeakGuard', { ForceMfaAccess: weakened });
    await seedGroup(iam, 'GuardPlusAdmin', { ForceMfaAccess: await guardPolicy() });
    const admin = await iam.send(new CreatePolicyCommand({ PolicyName: 'AllowAll', PolicyDocument: JSON.stringify(ALLOW_ALL) }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'GuardPlusAdmin', PolicyArn: admin.Policy?.Arn }));
  });

  it('exits 0 and prints the verified summary for a group made by hand with template --format policy', async () => {
    const result = await runCli(['verify', '--group', 'ForceMfaAccess']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Group: ForceMfaAccess (arn:aws:iam::123456789012:group/ForceMfaAccess)');
    expect(result.stdout).toContain('Policies: group ForceMfaAccess inline ForceMfaAccess');
    expect(lastLine(result.stdout)).toBe(
      "ForceMfaAccess: policy as rendered; without MFA 9 action(s) in the console, 3 with access keys alone; also on other users' resources: iam:CreateVirtualMFADevice",
    );
  });

  it('exits 1 on a weakened policy, naming the statement that differs', async () => {
    const result = await runCli(['verify', '--group', 'WeakGuard']);
    expect(result.code).toBe(1);
    expect(lastLine(result.stdout)).toBe(
      'group WeakGuard is not the rendered guard: inline policy ForceMfaAccess: statement 1 (DenyAllExceptMfaSetupWithoutMfa) differs in Condition',
    );
  });

  it('exits 1 on the guard with an allow-all policy attached, and the verified report shows what it opens', async () => {
    const result = await runCli(['verify', '--group', 'GuardPlusAdmin', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { group: { check: { asRendered: boolean; policyDifferences: string[] } }; contexts: { mfa: { counts: { allowed: number; gatedActions: number } } } };
    expect(report.group.check.asRendered).toBe(false);
    expect(report.group.check.policyDifferences).toEqual(['attached policy arn:aws:iam::123456789012:policy/AllowAll is not part of the rendered guard']);
    expect(report.contexts.mfa.counts.allowed).toBe(report.contexts.mfa.counts.gatedActions);
  });

  it('watches a deployed guard for drift with --expect (a verify report is an expectation)', async () => {
    const expected = await runCli(['verify', '--json']);
    const path = scratchPath('expected.json');
    writeFileSync(path, expected.stdout);
    const met = await runCli(['verify', '--group', 'ForceMfaAccess', '--expect', path]);
    expect(met.code).toBe(0);
    expect(met.stdout).toContain(`Expectation ${path}: met.`);
    const drifted = await runCli(['verify', '--group', 'GuardPlusAdmin', '--expect', path]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/Expectation .*: \d+ difference\(s\):\n  mfa: /);
    expect(drifted.stdout).toMatch(/\n  mfa: ec2:RunInstances is allowed but not expected\n/);
  });

  it('exits 2 for a group that does not exist, with one line', async () => {
    const result = await runCli(['verify', '--group', 'NoSuchGroup']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'force-mfa: IAM group NoSuchGroup does not exist in this account: check the name (aws iam list-groups) and the account (AWS_PROFILE)',
    );
  });

  it('exits 3 when AWS cannot be reached', async () => {
    const result = await runCli(['verify', '--group', 'ForceMfaAccess'], { endpoint: 'http://127.0.0.1:9' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^force-mfa: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
