// The statement-by-statement comparison of a read policy with the rendered one: what counts as the same policy.
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/document.js';
import { policyDifferences, statementDifferences } from '../../src/rollout/deploy/read-back.js';

const RENDERED: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Deny', Effect: 'Deny', NotAction: ['iam:GetUser', 'iam:ChangePassword'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
    { Sid: 'Allow', Effect: 'Allow', Action: ['iam:GetUser'], Resource: ['arn:aws:iam::*:user/${aws:username}'] },
  ],
};
const [deny, allow] = RENDERED.Statement as unknown as [Record<string, unknown>, Record<string, unknown>];

describe('statementDifferences', () => {
  it.each<[string, unknown, string[]]>([
    ['the same document', RENDERED, []],
    ['statements in another order (paired by Sid)', { ...RENDERED, Statement: [allow, deny] }, []],
    ['lists in another order, a one-element list as a string', { ...RENDERED, Statement: [{ ...deny, NotAction: ['iam:ChangePassword', 'iam:GetUser'] }, { ...allow, Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}' }] }, []],
    ['a boolean condition value as JSON true/false', { ...RENDERED, Statement: [{ ...deny, Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': false } } }, allow] }, []],
    ['one more condition', { ...RENDERED, Statement: [{ ...deny, Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } } }, allow] }, ['p: statement 1 (Deny) differs in Condition']],
    ['one more action exempted', { ...RENDERED, Statement: [{ ...deny, NotAction: ['iam:GetUser', 'iam:ChangePassword', 'ec2:*'] }, allow] }, ['p: statement 1 (Deny) differs in NotAction']],
    ['an element the rendered statement lacks', { ...RENDERED, Statement: [{ ...deny, NotResource: 'arn:aws:iam::*:user/admin' }, allow] }, ['p: statement 1 (Deny) differs in NotResource']],
    ['a renamed statement', { ...RENDERED, Statement: [{ ...deny, Sid: 'Other' }, allow] }, ['p: statement 1 (Deny) of the rendered guard is missing', 'p: statement Other is not in the rendered guard']],
    ['another Version', { ...RENDERED, Version: '2008-10-17' }, ['p: Version is "2008-10-17", rendered "2012-10-17"']],
    ['a single statement object instead of a list', { Version: '2012-10-17', Statement: deny }, ['p: statement 2 (Allow) of the rendered guard is missing']],
    ['not a policy', 'Allow everything', ['p is not a policy document']],
  ])('%s', (_, read, differences) => {
    expect(statementDifferences(read, RENDERED, 'p')).toEqual(differences);
  });
});

describe('policyDifferences', () => {
  const group = (inline: Record<string, unknown>, attached: string[] = []) => ({
    groupName: 'G',
    arn: 'arn:aws:iam::111122223333:group/G',
    inlinePolicies: Object.entries(inline).map(([policyName, document]) => ({ policyName, document })),
    attachedPolicies: attached.map((arn) => ({ arn, document: {} })),
  });
  const guard = { groupName: 'G', policyName: 'Guard', document: RENDERED };

  it('wants exactly the rendered inline policy and nothing else', () => {
    expect(policyDifferences(group({ Guard: RENDERED }), guard)).toEqual([]);
    expect(policyDifferences(group({ Guard: RENDERED, Extra: RENDERED }, ['arn:aws:iam::aws:policy/ReadOnlyAccess']), guard)).toEqual([
      'inline policy Extra is not part of the rendered guard',
      'attached policy arn:aws:iam::aws:policy/ReadOnlyAccess is not part of the rendered guard',
    ]);
    expect(policyDifferences(group({}), guard)).toEqual(['inline policy Guard is missing']);
  });
});
