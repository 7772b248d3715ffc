// The check behind --exempt-action, --allow-without-mfa and explain --action, against the real action catalogue.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/engine/catalogue.js';
import { actionNames, actionProblem, type ActionNames } from '../../src/lint/actions.js';

let names: ActionNames;
beforeAll(async () => {
  names = actionNames((await loadCatalogue()).actions.map((action) => action.name));
});

/** [value, the problem (undefined: accepted)]. */
const CASES: readonly (readonly [string, string | undefined])[] = [
  ['s3:GetObject', undefined],
  ['S3:getobject', undefined],
  ['IAM:LISTUSERS', undefined],
  ['s3:Get*', undefined],
  ['dynamodb:Describe*', undefined],
  ['s3:*', undefined],
  ['iam:?etUser', undefined],
  ['s3:GetObjekt', "'s3:GetObjekt' is not an action of s3 (did you mean s3:GetObject?)"],
  ['iam:enablemfadevic', "'iam:enablemfadevic' is not an action of iam (did you mean iam:EnableMFADevice?)"],
  ['dynamodb:Describe', "'dynamodb:Describe' is not an action of dynamodb (did you mean dynamodb:DescribeTable?)"],
  ['s3:TotallyUnrelatedName', "'s3:TotallyUnrelatedName' is not an action of s3"],
  ['S3:Nope*', "'S3:Nope*' matches no action of s3"],
  ['s4:GetObject', "'s4:GetObject': there is no AWS service 's4' (did you mean s3:GetObject?)"],
  ['s4:Get*', "'s4:Get*': there is no AWS service 's4' (did you mean s3:Get*?)"],
  ['dynamodbb:Zzzzzzzzzz', "'dynamodbb:Zzzzzzzzzz': there is no AWS service 'dynamodbb' (did you mean the service dynamodb?)"],
  ['zzzzzzzzzzzz:GetObject', "'zzzzzzzzzzzz:GetObject': there is no AWS service 'zzzzzzzzzzzz'"],
  ['ListUsers', "'ListUsers' is not an action: write service:Action, e.g. iam:ListAccountAliases (wildcards * ? only in the action)"],
  ['*:GetObject', "'*:GetObject' is not an action: write service:Action, e.g. iam:ListAccountAliases (wildcards * ? only in the action)"],
  ['s3:Get Object', "'s3:Get Object' is not an action: write service:Action, e.g. iam:ListAccountAliases (wildcards * ? only in the action)"],
];

describe('actionProblem', () => {
  it.each(CASES)('%s', (value, problem) => {
    expect(actionProblem(value, names)).toBe(problem);
  });

  it('suggests the catalogue spelling, never the one typed', () => {
    expect(actionProblem('iam:enablemfadevic', names)).toContain('iam:EnableMFADevice');
  });
});
