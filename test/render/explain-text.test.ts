// The human form of `explain`: the decision first, then one line per statement, conditions only where they decided.
import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluationRequest } from '../../src/engine/evaluate.js';
import { buildGuard } from '../../src/policy/guard.js';
import { formatExplanation } from '../../src/render/explain-text.js';

const guard = buildGuard();
const policies = [{ name: guard.policyName, document: guard.document }];

function explain(request: EvaluationRequest): string {
  return formatExplanation(request, 'console session signed in without MFA', evaluate(request, policies, { trace: true }));
}

describe('formatExplanation', () => {
  const request: EvaluationRequest = {
    principalArn: 'arn:aws:iam::111122223333:user/alice',
    action: 'iam:EnableMFADevice',
    resource: 'arn:aws:iam::111122223333:user/bob',
    context: { 'aws:MultiFactorAuthPresent': 'false' },
  };
  const text = explain(request);
  const lines = text.split('\n');
  const statementBlock = (sid: string): string[] => {
    const start = lines.findIndex((line) => line.includes(`/ ${sid}:`));
    const end = lines.findIndex((line, index) => index > start && /^ {2}\S/.test(line));
    return lines.slice(start, end < 0 ? undefined : end);
  };

  it('states the request and the decision first', () => {
    expect(lines.slice(0, 4)).toEqual([
      'iam:EnableMFADevice on arn:aws:iam::111122223333:user/bob',
      'by arn:aws:iam::111122223333:user/alice, console session signed in without MFA',
      '',
      'Decision: DENIED (explicitly, by a Deny statement)',
    ]);
  });

  it('lists the conditions of a statement that applies, and of one that failed on a condition', () => {
    expect(statementBlock('DenyMfaSetupOnOtherUsersWithoutMfa')).toEqual([
      '  DENIES  Deny  ForceMfaAccess / DenyMfaSetupOnOtherUsersWithoutMfa: Action, NotResource and every condition match: the statement denies the request',
      '            holds    BoolIfExists aws:MultiFactorAuthPresent "false" (request: "false")',
    ]);
    expect(statementBlock('DenyMfaDeviceChangesWithAccessKeysOnly')[1]).toBe(
      '            fails    Null aws:MultiFactorAuthPresent "true" (request: "false")',
    );
  });

  it('does not list conditions under a statement whose Action or Resource did not match', () => {
    const notAction = statementBlock('DenyAllExceptMfaSetupWithoutMfa');
    expect(notAction).toHaveLength(1);
    expect(notAction[0]).toContain('no      Deny  ForceMfaAccess / DenyAllExceptMfaSetupWithoutMfa: iam:EnableMFADevice is listed in NotAction');
    expect(statementBlock('AllowDeactivateOwnMfaDeviceOnlyWithMfa')).toHaveLength(1);
  });
});
