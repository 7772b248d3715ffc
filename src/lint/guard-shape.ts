/** Reading a policy the way the MFA guard pattern is written: which statement is the MFA deny, what a statement covers. */
import type { LintStatement, PolicyUnderLint } from './statements.js';

const MFA_KEYS = /^aws:multifactorauth(present|age)$/i;

/** A Deny conditioned on MFA (aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge) is what forces MFA. */
export function isMfaDeny(statement: LintStatement): boolean {
  return statement.effect === 'Deny' && Object.values(statement.condition).some((keys) => Object.keys(keys).some((key) => MFA_KEYS.test(key)));
}

export function hasMfaDeny(policy: PolicyUnderLint): boolean {
  return policy.statements.some(isMfaDeny);
}

/** A case-insensitive matcher for an IAM action pattern with `*` and `?`. */
export function actionPattern(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

/** True when the statement's Action (or NotAction) makes it apply to `action`. */
export function coversAction(statement: LintStatement, action: string): boolean {
  if (statement.notActions.length > 0) return !statement.notActions.some((pattern) => actionPattern(pattern).test(action));
  return statement.actions.some((pattern) => actionPattern(pattern).test(action));
}

/** Where a statement sits, for messages: its Sid when it has one. */
export function statementLabel(statement: LintStatement): string {
  return statement.sid === undefined || statement.sid === '' ? `Statement[${statement.index}]` : `Statement[${statement.index}] (${statement.sid})`;
}

/** Statements the syntactic rules read: well-formed and fully resolved (others are reported by FMFA013/FMFA014). */
export function checkableStatements(policy: PolicyUnderLint): readonly LintStatement[] {
  return policy.statements.filter((statement) => statement.problems.length === 0 && statement.unresolved.length === 0);
}

/** The guard's main deny (the one with NotAction, as the pattern writes it), for findings about what it lets through. */
export function mainMfaDeny(policy: PolicyUnderLint): LintStatement | undefined {
  const denies = policy.statements.filter(isMfaDeny);
  return denies.find((statement) => statement.notActions.length > 0) ?? denies[0];
}
