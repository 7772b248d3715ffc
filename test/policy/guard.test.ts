import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGuard, GROUP_INLINE_POLICY_LIMIT, policySize } from '../../src/policy/guard.js';
import type { PolicyStatement } from '../../src/policy/document.js';
import { isForceMfaError } from '../../src/errors.js';

const seedFile = JSON.parse(readFileSync(new URL('../fixtures/seed-policy.json', import.meta.url), 'utf8')) as {
  GroupName: string;
  PolicyName: string;
  PolicyDocument: { Version: string; Statement: PolicyStatement[] };
};

function statement(sid: string, options: Parameters<typeof buildGuard>[0] = {}): PolicyStatement | undefined {
  return buildGuard(options).document.Statement.find((s) => s.Sid === sid);
}

function thrownCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isForceMfaError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('seed profile', () => {
  const seed = buildGuard({ profile: 'seed' });

  it('keeps the seed group and policy names', () => {
    expect(seed.groupName).toBe(seedFile.GroupName);
    expect(seed.policyName).toBe(seedFile.PolicyName);
  });

  it('equals the seed policy statement for statement', () => {
    expect(seed.document.Version).toBe(seedFile.PolicyDocument.Version);
    expect(seed.document.Statement).toHaveLength(seedFile.PolicyDocument.Statement.length);
    seedFile.PolicyDocument.Statement.forEach((expected, index) => {
      expect(seed.document.Statement[index]).toEqual(expected);
    });
  });

  it('refuses options instead of silently changing the regression anchor', () => {
    expect(thrownCode(() => buildGuard({ profile: 'seed', groupName: 'Other' }))).toBe('seed-is-fixed');
    expect(thrownCode(() => buildGuard({ profile: 'seed', selfService: ['access-keys'] }))).toBe('seed-is-fixed');
  });

  it('accepts options equal to the defaults', () => {
    expect(buildGuard({ profile: 'seed', groupName: 'ForceMfaAccess' }).document).toEqual(seed.document);
  });
});

describe('recommended profile', () => {
  const guard = buildGuard();
  const deny = statement('DenyAllExceptMfaSetupWithoutMfa');

  it('is the default', () => {
    expect(guard.profile).toBe('recommended');
    expect(guard.groupName).toBe('ForceMfaAccess');
  });

  it('denies everything but MFA setup when MFA is missing, including for access keys (BoolIfExists)', () => {
    expect(deny?.Effect).toBe('Deny');
    expect(deny?.Resource).toBe('*');
    expect(deny?.Condition).toEqual({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } });
    expect(deny?.NotAction).toEqual(
      expect.arrayContaining(['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetMFADevice', 'iam:ChangePassword']),
    );
  });

  it('never exempts device removal or deactivation from the MFA deny', () => {
    expect(deny?.NotAction).not.toContain('iam:DeleteVirtualMFADevice');
    expect(deny?.NotAction).not.toContain('iam:DeactivateMFADevice');
    const allowsDelete = guard.document.Statement.some(
      (s) => s.Effect === 'Allow' && [s.Action ?? []].flat().includes('iam:DeleteVirtualMFADevice'),
    );
    expect(allowsDelete).toBe(false);
  });

  it('lets users name their devices (mfa/*) in the chosen partition', () => {
    expect(statement('AllowCreateVirtualMfaDeviceAnyName')?.Resource).toBe('arn:aws:iam::*:mfa/*');
    expect(statement('AllowCreateVirtualMfaDeviceAnyName', { partition: 'aws-cn' })?.Resource).toBe('arn:aws-cn:iam::*:mfa/*');
  });

  it('matches users created with a path', () => {
    expect(statement('AllowEnableAndResyncOwnMfaDevices')?.Resource).toEqual([
      'arn:aws:iam::*:user/${aws:username}',
      'arn:aws:iam::*:user/*/${aws:username}',
    ]);
  });

  it('limits the bootstrap actions to the own user even beside a broad allow (guarantee a)', () => {
    const ownOnly = statement('DenyMfaSetupOnOtherUsersWithoutMfa');
    expect(ownOnly?.Effect).toBe('Deny');
    expect(ownOnly?.NotResource).toEqual(['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}']);
    expect(ownOnly?.Action).toEqual(expect.arrayContaining(['iam:EnableMFADevice', 'iam:ResyncMFADevice', 'iam:GetUser']));
    expect(ownOnly?.Condition).toEqual(deny?.Condition);
  });

  it('denies device changes to long-term access keys alone by default (guarantee b)', () => {
    const keysOnly = statement('DenyMfaDeviceChangesWithAccessKeysOnly');
    expect(keysOnly?.Condition).toEqual({ Null: { 'aws:MultiFactorAuthPresent': 'true' } });
    expect(keysOnly?.Action).toEqual(
      expect.arrayContaining([
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:ResyncMFADevice',
        'iam:DeactivateMFADevice',
        'iam:DeleteVirtualMFADevice',
      ]),
    );
    expect(statement('DenyMfaDeviceChangesWithAccessKeysOnly', { denyAccessKeyEnrollment: false })).toBeUndefined();
  });

  it('exempts listed users from guarantee b with StringNotLike on aws:username', () => {
    const keysOnly = statement('DenyMfaDeviceChangesWithAccessKeysOnly', { accessKeyEnrollmentExemptUsers: ['ci-*', 'deploy'] });
    expect(keysOnly?.Condition).toEqual({
      Null: { 'aws:MultiFactorAuthPresent': 'true' },
      StringNotLike: { 'aws:username': ['ci-*', 'deploy'] },
    });
  });

  it('lets the password be changed before MFA unless told otherwise', () => {
    expect(deny?.NotAction).toContain('iam:ChangePassword');
    expect(statement('AllowChangeOwnPassword')).toBeDefined();
    const strict = buildGuard({ allowPasswordChangeWithoutMfa: false });
    const strictDeny = strict.document.Statement.find((s) => s.Sid === 'DenyAllExceptMfaSetupWithoutMfa');
    expect(strictDeny?.NotAction).not.toContain('iam:ChangePassword');
    expect(strictDeny?.NotAction).not.toContain('iam:GetAccountPasswordPolicy');
    expect(strict.document.Statement.find((s) => s.Sid === 'AllowChangeOwnPassword')).toBeUndefined();
  });

  it('adds self-service of own credentials only with MFA', () => {
    const keys = statement('AllowManageOwnAccessKeysWithMfa', { selfService: ['access-keys'] });
    expect(keys?.Action).toContain('iam:CreateAccessKey');
    expect(keys?.Condition).toEqual({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    expect(statement('AllowManageOwnAccessKeysWithMfa')).toBeUndefined();
    expect(statement('AllowManageOwnGitCredentialsWithMfa', { selfService: ['git-credentials'] })?.Action).toContain(
      'iam:CreateServiceSpecificCredential',
    );
  });

  it('exempts extra actions from the deny without allowing them', () => {
    const guardWithExtra = buildGuard({ extraExemptActions: ['iam:ListAccountAliases'] });
    expect(guardWithExtra.bootstrapActions).toContain('iam:ListAccountAliases');
    const allows = guardWithExtra.document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action ?? []].flat());
    expect(allows).not.toContain('iam:ListAccountAliases');
  });

  it('uses the given group and policy names', () => {
    const named = buildGuard({ groupName: 'MfaRequired', policyName: 'RequireMfa' });
    expect([named.groupName, named.policyName]).toEqual(['MfaRequired', 'RequireMfa']);
  });
});

describe('validation', () => {
  it.each([
    ['bad-profile', { profile: 'strict' as never }],
    ['bad-partition', { partition: 'aws-xx' as never }],
    ['bad-name', { groupName: 'has space' }],
    ['bad-name', { policyName: '' }],
    ['bad-self-service', { selfService: ['passwords' as never] }],
    ['bad-action', { extraExemptActions: ['ListAccountAliases'] }],
    ['bad-user-name', { accessKeyEnrollmentExemptUsers: ['a/b'] }],
  ])('rejects %s', (code, options) => {
    expect(thrownCode(() => buildGuard(options))).toBe(code);
  });

  it('measures size without white space and fails over the inline group policy limit', () => {
    const guard = buildGuard();
    expect(policySize(guard.document)).toBe(JSON.stringify(guard.document).length);
    expect(policySize(guard.document)).toBeLessThan(GROUP_INLINE_POLICY_LIMIT);
    const many = Array.from({ length: 200 }, (_, i) => `user-number-${i}`);
    let message = '';
    try {
      buildGuard({ accessKeyEnrollmentExemptUsers: many });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/^the guard policy is \d+ characters, over IAM's limit of 5120/);
  });
});
