/** Every lint rule against its fixtures: each failing fixture is flagged by the rule, each passing one is not. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/lint/registry.js';
import { FIXTURES, lintFixture, ruleIds } from './helpers.js';

const RULE_FIXTURES = readdirSync(`${FIXTURES}rules`).filter((name) => /^FMFA\d{3}\.(fail|pass)/.test(name));

/** What each failing fixture must produce: the rule's finding, its severity, and words its message must contain. */
const FAILING: Readonly<Record<string, { severity: string; statement?: string; says: readonly string[] }>> = {
  'FMFA001.fail.json': { severity: 'error', statement: 'DenyAllWithoutMfaExceptSetup', says: ['"Bool"', 'access keys'] },
  'FMFA002.fail.tf.json': { severity: 'warning', statement: 'AllowCreateDeviceAnyName', says: ['arn:aws:iam::*:mfa/${aws:username}'] },
  'FMFA003.fail.json': {
    severity: 'error',
    statement: 'DenyAllWithoutMfaExceptSetup',
    says: ['iam:DeactivateMFADevice', 'not denied', "another user's MFA device", 'console session'],
  },
  'FMFA003.fail-allowed.json': {
    severity: 'error',
    statement: 'DenyAllWithoutMfaExceptSetup',
    says: ['iam:DeleteVirtualMFADevice', "allowed by this policy on the caller's own virtual MFA device"],
  },
  'FMFA004.fail.yaml': { severity: 'warning', statement: 'DenyAllWithoutMfaExceptSetup', says: ['iam:EnableMFADevice', 'OTHER users'] },
  'FMFA005.fail.json': { severity: 'warning', statement: 'DenyAllWithoutMfaExceptSetup', says: ['iam:CreateVirtualMFADevice and iam:EnableMFADevice'] },
  'FMFA006.fail.json': { severity: 'error', statement: 'AllowOwnUserSetup', says: ['"iam:EnableMFADevices"', 'did you mean iam:EnableMFADevice?'] },
  'FMFA007.fail.json': { severity: 'warning', statement: 'AllowAccountReads', says: ['"iam:List*MfaTokens*"'] },
  'FMFA008.fail.json': { severity: 'error', says: ["the file's only policy does not deny requests made without MFA"] },
  'FMFA008.fail-named.json': { severity: 'error', says: ['named as an MFA guard'] },
  'FMFA009.fail.json': { severity: 'error', says: ['${aws:username}', 'Version "2008-10-17"'] },
  'FMFA009.fail-no-version.json': { severity: 'error', says: ['${aws:username}', 'no Version'] },
  'FMFA010.fail.json': { severity: 'warning', statement: 'DenyAllWithoutMfaExceptSetup', says: ['iam:ChangePassword'] },
  'FMFA011.fail.json': { severity: 'info', statement: 'DenyAllWithoutMfaExceptSetup', says: ['sts:GetSessionToken', 'no effect'] },
  'FMFA012.fail.json': { severity: 'error', says: ["limit of 5120 for a group's inline policies"] },
  'FMFA013.fail.json': { severity: 'error', statement: 'AllowPasswordPolicy', says: ['Effect "allow"', 'neither Resource nor NotResource'] },
  'FMFA013.fail-operator.json': { severity: 'error', statement: 'AllowServiceLastAccessedWithMfa', says: ['BoolIfExist'] },
  'FMFA014.fail.yaml': { severity: 'warning', statement: 'AllowCreateDeviceAnyName', says: ['${!aws:username}', 'were not run'] },
  'FMFA015.fail.json': { severity: 'error', statement: 'DenyAllWithoutMfaExceptSetup', says: ['"StringNotLikeIfExists": "aws:UserAgent"', 'the caller or the network supplies'] },
  'FMFA015.fail-warning.json': { severity: 'warning', statement: 'DenyAllWithoutMfaExceptSetup', says: ['"aws:PrincipalOrgID"'] },
  'FMFA016.fail.yaml': { severity: 'error', says: ['the CloudFormation template has no IAM group, user, role or policy'] },
  'FMFA017.fail.json': { severity: 'error', statement: 'DenyAllWithoutMfaExceptSetup', says: ['ec2 ', 'of', '(the whole service)', 'beyond MFA setup'] },
  'FMFA017.fail-escape.json': {
    severity: 'error',
    statement: 'DenyAllWithoutMfaExceptSetup',
    says: ['without MFA, 1 action beyond MFA setup is usable', 'with iam:RemoveUserFromGroup a member without MFA leaves the guard'],
  },
  'FMFA017.fail-few.json': { severity: 'warning', statement: 'DenyAllWithoutMfaExceptSetup', says: ['without MFA, 1 action beyond MFA setup is usable', ': iam:ListUsers'] },
};

describe('lint rule fixtures', () => {
  it.each(RULES.map((rule) => rule.id))('%s has a failing and a passing fixture', (id) => {
    expect(RULE_FIXTURES.some((name) => name.startsWith(`${id}.fail`))).toBe(true);
    expect(RULE_FIXTURES.some((name) => name.startsWith(`${id}.pass`))).toBe(true);
  });

  it('describes every failing fixture in the table above', () => {
    expect(RULE_FIXTURES.filter((name) => name.includes('.fail')).sort()).toEqual(Object.keys(FAILING).sort());
  });

  it.each(Object.entries(FAILING))('%s is flagged', async (name, expected) => {
    const id = name.slice(0, 7);
    const result = await lintFixture(`rules/${name}`);
    const findings = result.findings.filter((finding) => finding.ruleId === id);
    expect(findings.length, JSON.stringify(result.findings, null, 2)).toBeGreaterThan(0);
    const finding = findings[0];
    expect(finding?.severity).toBe(expected.severity);
    expect(finding?.file).toBe(`rules/${name}`);
    if (expected.statement !== undefined) expect(findings.map((item) => item.sid)).toContain(expected.statement);
    const messages = findings.map((item) => item.message).join('\n');
    for (const words of expected.says) expect(messages).toContain(words);
  });

  it.each(RULE_FIXTURES.filter((name) => name.includes('.pass')))('%s passes, with no finding at all', async (name) => {
    const result = await lintFixture(`rules/${name}`);
    expect(result.files[0]?.policies).toBe(1);
    expect(ruleIds(result)).toEqual([]);
  });

  it('the clean reference guard has no finding', async () => {
    expect((await lintFixture('rules/base-guard.json')).findings).toEqual([]);
  });
});
