/** The force-mfa error a synchronous call fails with; any other error is a bug and propagates. */
import { isForceMfaError, type ForceMfaError } from '../../src/errors.js';

function thrownForceMfaError(run: () => unknown): ForceMfaError {
  try {
    run();
  } catch (error) {
    if (isForceMfaError(error)) return error;
    throw error;
  }
  throw new Error('expected a ForceMfaError');
}

/** Kind and message only, for exact comparisons that must not depend on the code. */
export function failure(run: () => unknown): { kind: string; message: string } {
  const { kind, message } = thrownForceMfaError(run);
  return { kind, message };
}

export function codedFailure(run: () => unknown): { code: string; kind: string; message: string } {
  const { code, kind, message } = thrownForceMfaError(run);
  return { code, kind, message };
}
