/**
 * A name the user typed that the account does not hold is the user's mistake (exit 2), not an AWS failure (exit 3).
 * Only for names the user gave: a group or user the tool derived (from a stack, a log, a listing) that has vanished
 * stays an environment failure or `unknown`.
 */
import { inputError, isForceMfaError } from '../errors.js';

/** Runs `read`, turning a missing-entity failure of a name the user gave into one input line. */
export async function withGivenName<T>(read: () => Promise<T>, missing: GivenNameMissing): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const known = isForceMfaError(error) && error.kind === 'environment' && (missing.codes ?? []).includes(error.code);
    if (known || (missing.noSuchEntity === true && isNoSuchEntity(error))) throw inputError('name-not-found', missing.message, error);
    throw error;
  }
}

export interface GivenNameMissing {
  /** The error codes (of environment errors) that say the given name is missing, e.g. `group-not-found`. */
  readonly codes?: readonly string[];
  /** IAM's raw NoSuchEntity too: only when `read` is one call about the given name and nothing else. */
  readonly noSuchEntity?: boolean;
  readonly message: string;
}

/** IAM's answer for a user, group or policy that does not exist. */
export function isNoSuchEntity(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}
