/** Issue 3's must-show for lint: the seed's known weaknesses are reported; the recommended profile is clean. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGuard } from '../../src/policy/guard.js';
import { renderGuard } from '../../src/render/guard.js';
import { groupPolicyInput } from '../../src/lint/inputs.js';
import { lintInputs, type LintResult } from '../../src/lint/lint.js';
import { knownActions, lintFixture, lintText, ruleIds } from './helpers.js';

const SEED_POLICY_FILE = '/work/shared/seeds/seed-policy.json';

function summary(result: LintResult): string[] {
  return result.findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.location ?? ''} ${finding.sid ?? ''}`.trim());
}

describe('lint on the seed policy', () => {
  const sources = [
    ['seed-policy.json (shared seed file)', () => lintText('seed-policy.json', readFileSync(SEED_POLICY_FILE, 'utf8')), 'PolicyDocument'],
    ['the seed blog post CloudFormation YAML', () => lintFixture('inputs/seed-template.yaml'), 'Resources.ForceMfaAccess.Policies[0]'],
    ['force-mfa template --guard seed', () => lintText('seed.yaml', renderGuard(buildGuard({ profile: 'seed' }), 'cloudformation')), undefined],
  ] as const;

  it.each(sources)('%s: reports exactly the known weaknesses, computed by evaluation', async (_name, lint, location) => {
    const result = await lint();
    expect(summary(result).map((line) => line.split(' ').slice(0, 2).join(' ')).sort()).toEqual([
      'FMFA002 warning', // CreateVirtualMFADevice only on mfa/${aws:username}
      'FMFA004 warning', // bootstrap actions reach other users beside AdministratorAccess
      'FMFA005 warning', // enrollment with access keys alone
      'FMFA011 info', // sts:GetSessionToken in NotAction
    ]);
    if (location !== undefined) expect(result.findings.every((finding) => finding.location === location)).toBe(true);
    const bySid = Object.fromEntries(result.findings.map((finding) => [finding.ruleId, finding.sid]));
    expect(bySid).toEqual({ FMFA002: 'ManageMfaDevice0010', FMFA004: 'DenyAllExcept0010', FMFA005: 'DenyAllExcept0010', FMFA011: 'DenyAllExcept0010' });
  });

  it('computes that the seed denies device removal without MFA (no FMFA003) and names what reaches other users', async () => {
    const result = await lintText('seed-policy.json', readFileSync(SEED_POLICY_FILE, 'utf8'));
    expect(ruleIds(result)).not.toContain('FMFA003');
    const bootstrap = result.findings.find((finding) => finding.ruleId === 'FMFA004');
    for (const action of ['iam:EnableMFADevice', 'iam:ResyncMFADevice', 'iam:GetUser', 'iam:ListMFADevices']) {
      expect(bootstrap?.message).toContain(action);
    }
    // ManageUser0010's DeactivateMFADevice is covered by the deny, so it is not among them.
    expect(bootstrap?.message).not.toContain('DeactivateMFADevice');
    const enrollment = result.findings.find((finding) => finding.ruleId === 'FMFA005');
    expect(enrollment?.message).toContain('iam:CreateVirtualMFADevice and iam:EnableMFADevice');
  });
});

describe('lint on the recommended profile', () => {
  it('finds nothing in the guard document', async () => {
    const guard = buildGuard();
    const result = lintInputs([groupPolicyInput('(profile recommended)', guard)], await knownActions());
    expect(summary(result)).toEqual([]);
  });

  it.each(['cloudformation', 'cloudformation-json', 'terraform', 'policy'] as const)('finds nothing in `force-mfa template --format %s`', async (format) => {
    const file = { cloudformation: 'guard.yaml', 'cloudformation-json': 'guard.json', terraform: 'guard.tf.json', policy: 'guard-policy.json' }[format];
    const result = await lintText(file, renderGuard(buildGuard(), format));
    expect(result.files[0]?.policies).toBe(1);
    expect(summary(result)).toEqual([]);
  });

  it.each([
    ['self-service of every credential', { selfService: ['access-keys', 'ssh-keys', 'git-credentials', 'signing-certificates'] }],
    ['aws-cn partition', { partition: 'aws-cn' }],
  ] as const)('stays free of warnings and errors with %s', async (_name, options) => {
    const result = lintInputs([groupPolicyInput('(profile recommended)', buildGuard(options))], await knownActions());
    expect(result.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
  });

  it('warns (FMFA017) about an extra exempt action, naming it: it is usable without MFA', async () => {
    const result = lintInputs([groupPolicyInput('(profile recommended)', buildGuard({ extraExemptActions: ['iam:ListUsers'] }))], await knownActions());
    expect(result.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['FMFA017', 'warning']]);
    expect(result.findings[0]?.message).toMatch(/^without MFA, 1 action beyond MFA setup is usable .*: iam:ListUsers$/);
  });

  it('errs (FMFA017) on a whole service exempt, naming the service and the number of actions it opens', async () => {
    const result = lintInputs([groupPolicyInput('(profile recommended)', buildGuard({ extraExemptActions: ['ec2:*'] }))], await knownActions());
    const gated = (await knownActions()).catalogue.actionsOfService('ec2').length;
    expect(result.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['FMFA017', 'error']]);
    expect(result.findings[0]?.message).toContain(`without MFA, ${gated} actions beyond MFA setup are usable`);
    expect(result.findings[0]?.message).toContain(`ec2 ${gated} of ${gated} (the whole service)`);
  });

  it('warns about the trade-off when the password change needs MFA', async () => {
    const guard = buildGuard({ allowPasswordChangeWithoutMfa: false });
    const result = lintInputs([groupPolicyInput('(profile recommended)', guard)], await knownActions());
    expect(ruleIds(result)).toEqual(['FMFA010']);
  });

  it('warns when the access-key guarantee is switched off', async () => {
    const guard = buildGuard({ denyAccessKeyEnrollment: false });
    const result = lintInputs([groupPolicyInput('(profile recommended)', guard)], await knownActions());
    expect(ruleIds(result)).toEqual(['FMFA005']);
  });
});
