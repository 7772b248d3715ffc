/** The error the engine throws for a policy or request it cannot evaluate exactly: it names the policy and statement. */
import { ForceMfaError } from '../errors.js';

/** Where in a policy a problem sits: the policy's name and, when known, the statement (Sid and 0-based index). */
export interface PolicyLocation {
  readonly policy: string;
  readonly statementIndex?: number;
  readonly sid?: string;
}

/** `policy "ForceMfaAccess", statement "DenyAllExcept0010" (#1)`; statements are numbered from 1 for people. */
export function describeLocation(location: PolicyLocation): string {
  const policy = `policy "${location.policy}"`;
  if (location.statementIndex === undefined) return policy;
  const number = `#${location.statementIndex + 1}`;
  return location.sid === undefined || location.sid === ''
    ? `${policy}, statement ${number}`
    : `${policy}, statement "${location.sid}" (${number})`;
}

/** A ForceMfaError of kind 'input' (exit code 2): the engine refuses to guess, it never skips what it cannot read. */
export class PolicyEvaluationError extends ForceMfaError {
  readonly location: PolicyLocation | undefined;
  readonly problem: string;

  constructor(code: string, problem: string, location?: PolicyLocation) {
    super('input', code, location === undefined ? problem : `${describeLocation(location)}: ${problem}`);
    this.name = 'PolicyEvaluationError';
    this.location = location;
    this.problem = problem;
  }
}

export function isPolicyEvaluationError(value: unknown): value is PolicyEvaluationError {
  return value instanceof PolicyEvaluationError;
}
