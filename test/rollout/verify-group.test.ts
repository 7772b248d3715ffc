// `verify --group`: a group's policies read from IAM (mocked), verified like --policy and compared with the rendered guard.
import { GetGroupPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runVerifyGroup, type VerifyFlags } from '../../src/cli/commands/verify.js';
import { isForceMfaError } from '../../src/errors.js';
import { buildGuard } from '../../src/policy/guard.js';
import { captureRun } from '../support/capture-output.js';
import { groupReader, holdGroup, noGroup } from './deployed-group.js';

const iam = mockClient(IAMClient);
afterEach(() => {
  iam.reset();
  process.exitCode = undefined;
});

const run = (flags: Partial<VerifyFlags>) => captureRun(() => runVerifyGroup({ group: 'ForceMfaAccess', ...flags }, { groups: groupReader }));

describe('verify --group', () => {
  it('compares with the guard the same guard options render: a guard deployed with --exempt-action is as rendered with it', async () => {
    const exempting = buildGuard({ extraExemptActions: ['ec2:DescribeInstances'] });
    holdGroup(iam, { [exempting.policyName]: exempting.document });
    const same = await run({ exemptAction: ['ec2:DescribeInstances'] });
    expect(same.exitCode).toBeUndefined();
    // The guard alone allows no EC2 action: exempting one from the deny opens it only beside a policy that allows it.
    expect(same.stdout).toMatch(/\nForceMfaAccess: policy as rendered; without MFA 9 action\(s\) in the console, 3 with access keys alone; also on other users' resources: iam:CreateVirtualMFADevice\n$/);
    const plain = await run({});
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toContain('Differences from the rendered guard:\n  inline policy ForceMfaAccess: statement 1 (DenyAllExceptMfaSetupWithoutMfa) differs in NotAction');
    expect(plain.stdout).not.toContain('  verified: ');
    expect(plain.stdout).toMatch(/\ngroup ForceMfaAccess is not the rendered guard: inline policy ForceMfaAccess: statement 1 \(DenyAllExceptMfaSetupWithoutMfa\) differs in NotAction\n$/);
  });

  it('verifies with a user of the group\'s own account, and says so in the JSON', async () => {
    const guard = buildGuard();
    holdGroup(iam, { [guard.policyName]: guard.document });
    const result = await run({ json: true });
    const report = JSON.parse(result.stdout) as { principalArn: string; group: { name: string; arn: string; summary: string; check: { asRendered: boolean } }; policies: string[] };
    expect(report.principalArn).toBe('arn:aws:iam::111122223333:user/alice');
    expect(report.group).toMatchObject({ name: 'ForceMfaAccess', arn: 'arn:aws:iam::111122223333:group/ForceMfaAccess', check: { asRendered: true } });
    expect(report.group.summary).toMatch(/^ForceMfaAccess: policy as rendered; without MFA 9 action\(s\)/);
    expect(report.policies).toEqual(['group ForceMfaAccess inline ForceMfaAccess']);
  });

  it('verifies a group without any policy as enforcing nothing (exit 1), never as an error or a pass', async () => {
    holdGroup(iam, {});
    const result = await run({});
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Console session without MFA (aws:MultiFactorAuthPresent = "false"):\n  nothing is allowed');
    expect(result.stdout).toMatch(/group ForceMfaAccess is not the rendered guard: inline policy ForceMfaAccess is missing; verified, it differs: /);
  });

  it.each<[Partial<VerifyFlags>, RegExp]>([
    [{ policy: ['g.json'] }, /leave out --policy/],
    [{ group: '' }, /--group "" is not an IAM group name/],
    [{ group: 'a/b' }, /--group "a\/b" is not an IAM group name/],
    [{ withPolicy: ['AdministratorAccess'], scp: ['scp.json'] }, /leave out --with-policy, --scp/],
    [{ expect: 'e.json', guard: 'seed' }, /--group with --expect checks the group against the expectation only: leave out the guard options/],
  ])('refuses %o with exit 2 before any AWS call', async (flags, message) => {
    const error = await runVerifyGroup({ group: 'ForceMfaAccess', ...flags }, { groups: groupReader }).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
    expect(iam.calls()).toHaveLength(0);
  });

  it('answers a missing group with exit 2', async () => {
    noGroup(iam);
    const error = await runVerifyGroup({ group: 'ForceMfaAccess' }, { groups: groupReader }).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
    expect((error as Error).message).toMatch(/^IAM group ForceMfaAccess does not exist in this account/);
  });

  it('treats a group that vanishes while it is read as missing', async () => {
    const guard = buildGuard();
    holdGroup(iam, { [guard.policyName]: guard.document });
    iam.on(GetGroupPolicyCommand).rejects(Object.assign(new Error('gone'), { name: 'NoSuchEntityException', $metadata: {} }));
    const error = await runVerifyGroup({ group: 'ForceMfaAccess' }, { groups: groupReader }).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
  });
});
