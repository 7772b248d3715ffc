import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../../src/engine/builtin-policies.js';
import { loadCatalogue } from '../../src/engine/catalogue.js';
import type { NamedPolicy } from '../../src/engine/compile.js';
import { verifyPolicies } from '../../src/engine/verify.js';
import { buildGuard } from '../../src/policy/guard.js';
import { scpFromGuard } from '../../src/policy/scp.js';

const admin = builtinPolicy('AdministratorAccess') as NamedPolicy;
const fullAwsAccess = builtinPolicy('FullAWSAccess') as NamedPolicy;
const guard = buildGuard();
const scp: NamedPolicy = { name: 'force-mfa-scp', document: scpFromGuard(guard) };
const layers = [[fullAwsAccess, scp]];

describe('the SCP with identity policies in a member account', () => {
  it('leaves an IAM user with AdministratorAccess only the bootstrap actions without MFA, on its own user', async () => {
    const catalogue = await loadCatalogue();
    const report = verifyPolicies({ policies: [admin], scps: layers, principalArn: 'arn:aws:iam::111122223333:user/alice' }, catalogue);
    const console = report.contexts['console-no-mfa'].allowed;
    expect(console.map((a) => a.action).sort()).toEqual([...guard.bootstrapActions].sort());
    const userScoped = ['iam:EnableMFADevice', 'iam:ResyncMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:GetMFADevice', 'iam:ChangePassword'];
    for (const action of userScoped) {
      expect(console.find((a) => a.action === action)?.ownResourcesOnly, action).toBe(true);
    }
    const keys = report.contexts['access-keys'].allowed.map((a) => a.action).sort();
    expect(keys).toEqual(['iam:GetMFADevice', 'iam:GetUser', 'iam:ListMFADevices']);
    expect(report.contexts.mfa.allowed.length).toBe(catalogue.actions.length - report.ungated.length);
  });

  it('covers users with a path too', async () => {
    const catalogue = await loadCatalogue();
    const report = verifyPolicies({ policies: [admin], scps: layers, principalArn: 'arn:aws:iam::111122223333:user/dev/alice' }, catalogue);
    const enable = report.contexts['console-no-mfa'].allowed.find((a) => a.action === 'iam:EnableMFADevice');
    expect(enable?.ownResourcesOnly).toBe(true);
    expect(report.contexts['console-no-mfa'].allowed).toHaveLength(guard.bootstrapActions.length);
  });

  it('leaves a role with AdministratorAccess unaffected', async () => {
    const catalogue = await loadCatalogue();
    const report = verifyPolicies(
      { policies: [admin], scps: layers, principalArn: 'arn:aws:sts::111122223333:assumed-role/Admin/ops' },
      catalogue,
    );
    const everything = catalogue.actions.length - report.ungated.length;
    for (const context of ['console-no-mfa', 'access-keys', 'mfa'] as const) {
      expect(report.contexts[context].allowed.length, context).toBe(everything);
    }
  });

  it('denies everything when the SCP stands alone, as AWS does without FullAWSAccess', async () => {
    const catalogue = await loadCatalogue();
    const report = verifyPolicies({ policies: [admin], scps: [[scp]] }, catalogue);
    expect(report.contexts.mfa.allowed).toEqual([]);
  });
});
