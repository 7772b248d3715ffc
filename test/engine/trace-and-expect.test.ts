// The decision trace (what explain prints) and the expectation comparison behind `verify --expect`.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type ActionCatalogue } from '../../src/engine/catalogue.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { compareWithExpectation, readExpectation } from '../../src/engine/expect.js';
import { verifyPolicies } from '../../src/engine/verify.js';
import { buildGuard } from '../../src/policy/guard.js';

const guard = { name: 'ForceMfaAccess', document: buildGuard({ profile: 'recommended' }).document };

describe('evaluate with a trace', () => {
  it('says for each statement whether it applies, and which element failed', () => {
    const evaluation = evaluate(
      {
        principalArn: 'arn:aws:iam::111122223333:user/alice',
        action: 'iam:EnableMFADevice',
        resource: 'arn:aws:iam::111122223333:user/bob',
        context: { 'aws:MultiFactorAuthPresent': 'false' },
      },
      [guard],
      { trace: true },
    );
    expect(evaluation.decision).toBe('ExplicitlyDenied');
    expect(evaluation.deniedBy).toBe('identity');
    const byStatement = Object.fromEntries((evaluation.trace ?? []).map((entry) => [entry.statement, entry]));
    expect(byStatement['DenyAllExceptMfaSetupWithoutMfa']).toMatchObject({ applies: false, failed: 'NotAction' });
    expect(byStatement['DenyMfaSetupOnOtherUsersWithoutMfa']).toMatchObject({ applies: true, effect: 'Deny' });
    expect(byStatement['DenyMfaDeviceChangesWithAccessKeysOnly']).toMatchObject({ applies: false, failed: 'Condition' });
    expect(byStatement['DenyMfaDeviceChangesWithAccessKeysOnly']?.reason).toBe(
      'condition Null aws:MultiFactorAuthPresent ("true") does not hold: request value "false"',
    );
    expect(byStatement['AllowEnableAndResyncOwnMfaDevices']).toMatchObject({ applies: false, failed: 'Resource' });
    expect(byStatement['AllowEnableAndResyncOwnMfaDevices']?.reason).toContain(
      '"arn:aws:iam::*:user/${aws:username} = arn:aws:iam::*:user/alice"',
    );
    expect(evaluation.trace).toHaveLength(guard.document.Statement.length);
  });

  it('names the SCP layer that denies', () => {
    const request = { principalArn: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' };
    const allowAll = { name: 'admin', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const ec2Only = { name: 'ec2', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } };
    const result = evaluate(request, [allowAll], { trace: true, scps: [allowAll, ec2Only] });
    expect(result).toMatchObject({ decision: 'ImplicitlyDenied', deniedBy: 'scp:2' });
    expect(result.trace?.map((entry) => [entry.layer, entry.applies])).toEqual([
      ['identity', true],
      ['scp:1', true],
      ['scp:2', false],
    ]);
  });
});

describe('compareWithExpectation', () => {
  let catalogue: ActionCatalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue();
  });

  it('names every action a `denied` expectation leaves out', () => {
    const report = verifyPolicies({ policies: [guard] }, catalogue);
    const expectation = readExpectation({ contexts: { 'access-keys': { denied: ['iam:GetUser'] } } }, 'e.json');
    const differences = compareWithExpectation(report, expectation, catalogue);
    expect(differences[0]).toEqual({
      context: 'access-keys',
      action: 'iam:GetUser',
      kind: 'allowed-not-expected',
      message: 'access-keys: iam:GetUser is allowed but expected to be denied',
    });
    // Everything else the guard does not allow is reported, one line per action.
    expect(differences.filter((difference) => difference.kind === 'expected-not-allowed').length).toBe(
      report.contexts['access-keys'].counts.gatedActions - 3,
    );
  });

  it('accepts the verify report itself and finds no difference', () => {
    const report = verifyPolicies({ policies: [guard] }, catalogue);
    const asJson = JSON.parse(JSON.stringify(report)) as unknown;
    expect(compareWithExpectation(report, readExpectation(asJson, 'report.json'), catalogue)).toEqual([]);
  });

  it('refuses malformed expectations', () => {
    expect(() => readExpectation({ contexts: { mfa: { allowed: [1] } } }, 'e.json')).toThrow(/e.json: "mfa".allowed has an entry/);
    expect(() => readExpectation({ contexts: { mfa: { allowed: [], denied: [] } } }, 'e.json')).toThrow(/exactly one of/);
    expect(() => readExpectation({ contexts: {} }, 'e.json')).toThrow(/names no context, so it would check nothing/);
    expect(() => readExpectation([], 'e.json')).toThrow(/expected an object with a "contexts" object/);
  });
});
