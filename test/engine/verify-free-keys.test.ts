// verify quantifies over the condition keys no context fixes: a guard a caller can switch off shows what it opens.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPolicy } from '../../src/engine/builtin-policies.js';
import { loadCatalogue, type ActionCatalogue } from '../../src/engine/catalogue.js';
import type { NamedPolicy } from '../../src/engine/compile.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { verifyPolicies } from '../../src/engine/verify.js';
import { buildGuard } from '../../src/policy/guard.js';
import { formatVerifyReport } from '../../src/render/verify-text.js';
import { SWITCHABLE_CONDITIONS, switchableGuard } from '../support/switchable-guard.js';

let catalogue: ActionCatalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});

const admin = builtinPolicy('AdministratorAccess') as NamedPolicy;
const ALICE = 'arn:aws:iam::111122223333:user/alice';

describe('verify with a caller-controlled key on the MFA deny', () => {
  const guard = () => switchableGuard({ StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } });

  it('lists iam:CreateAccessKey as allowed with access keys alone, and the user agent that opens it', () => {
    const report = verifyPolicies({ policies: [guard(), admin] }, catalogue);
    const entry = report.contexts['access-keys'].allowed.find((allowed) => allowed.action === 'iam:CreateAccessKey');
    expect(entry?.dependsOn).toEqual(['aws:UserAgent']);
    const opening = entry?.openedBy ?? [];
    expect(opening.map((value) => value.key)).toEqual(['aws:UserAgent']);
    // The opening values really open it in one concrete request.
    const userAgent = opening[0]?.values?.[0] as string;
    const request = { principalArn: ALICE, action: 'iam:CreateAccessKey', resource: ALICE, context: { 'aws:UserAgent': userAgent } };
    expect(evaluate(request, [guard(), admin]).decision).toBe('Allowed');
    expect(report.freeConditionKeys).toEqual(['aws:UserAgent']);
    expect(report.exact).toBe(true);
    const text = formatVerifyReport(report);
    expect(text).toContain(`only with aws:UserAgent = ${JSON.stringify(userAgent)}`);
  });

  it('matches the one-by-one reference, action for action and key for key', () => {
    const policies = [guard(), admin];
    const partitioned = verifyPolicies({ policies }, catalogue);
    const reference = verifyPolicies({ policies }, catalogue, { strategy: 'one-by-one' });
    for (const context of ['console-no-mfa', 'access-keys', 'mfa'] as const) {
      const shape = (report: typeof partitioned) => report.contexts[context].allowed.map((entry) => [entry.action, entry.ownResourcesOnly, entry.dependsOn ?? []]);
      expect(shape(partitioned), context).toEqual(shape(reference));
    }
  }, 120_000);

  it('the guard as rendered opens nothing with access keys alone, whatever the keys (no key to switch it off)', () => {
    const report = verifyPolicies({ policies: [{ name: 'ForceMfaAccess', document: buildGuard({ profile: 'recommended' }).document }, admin] }, catalogue);
    expect(report.contexts['access-keys'].allowed.map((entry) => entry.action)).toEqual(['iam:GetMFADevice', 'iam:GetUser', 'iam:ListMFADevices']);
    expect(report.freeConditionKeys).toEqual([]);
  });
});

describe('every switchable condition of test/fixtures/switchable-mfa-deny-conditions.json', () => {
  it.each(SWITCHABLE_CONDITIONS.map((variant) => [variant.name, variant] as const))('%s: verify opens iam:CreateAccessKey with access keys alone', (_, variant) => {
    const report = verifyPolicies({ policies: [switchableGuard(variant.condition), admin] }, catalogue);
    const entry = report.contexts['access-keys'].allowed.find((allowed) => allowed.action === 'iam:CreateAccessKey');
    expect(entry).toBeDefined();
  });
});
