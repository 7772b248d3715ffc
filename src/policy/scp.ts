/**
 * The guard as a service control policy: the recommended profile's deny statements, limited to IAM users, so every
 * IAM user of the accounts it is attached to must use MFA, in the group or not. Roles, service principals, federated
 * sessions and the root user are untouched. SCPs never apply to the organization's management account.
 */
import { inputError } from '../errors.js';
import type { ConditionBlock, PolicyDocument, PolicyStatement } from './document.js';
import type { GuardDefinition } from './guard.js';

/** AWS Organizations quota for one SCP, in characters; unlike IAM, white space counts. */
export const SCP_SIZE_LIMIT = 5120;

export const SCP_NOTICE =
  'Service control policies never apply to the management account of the organization, nor to service-linked roles: ' +
  'attach this SCP to the OUs or member accounts whose IAM users must use MFA, and keep the management account free of IAM users.';

/** Build the SCP from a recommended guard: allow statements are dropped (an SCP only limits) and each deny gains the IAM-user condition. */
export function scpFromGuard(guard: GuardDefinition): PolicyDocument {
  if (guard.profile !== 'recommended') {
    throw inputError('scp-needs-recommended', 'an SCP is rendered from the recommended profile only: the seed profile relies on its allow statements');
  }
  const userArns = `arn:${guard.options.partition}:iam::*:user/*`;
  const statements: PolicyStatement[] = guard.document.Statement.filter((statement) => statement.Effect === 'Deny').map(
    (statement) => ({
      ...statement,
      Sid: `${statement.Sid ?? 'Deny'}ForIamUsers`,
      Condition: withIamUserCondition(statement.Condition, userArns),
    }),
  );
  return { Version: '2012-10-17', Statement: statements };
}

function withIamUserCondition(condition: ConditionBlock | undefined, userArns: string): ConditionBlock {
  return { ...(condition ?? {}), ArnLike: { 'aws:PrincipalArn': userArns } };
}

/** SCPs are stored as sent: render them minified so they fit, and refuse one over the quota. */
export function renderScp(document: PolicyDocument): string {
  const text = JSON.stringify(document);
  if (text.length > SCP_SIZE_LIMIT) {
    throw inputError(
      'scp-too-large',
      `the SCP is ${text.length} characters, over the ${SCP_SIZE_LIMIT}-character limit of AWS Organizations: exempt fewer actions or users`,
    );
  }
  return text;
}
