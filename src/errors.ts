/** One error family for everything a user can cause or fix; bare Error is reserved for bugs. */

/** Process exit codes: 0 ok, 1 findings or violations, 2 usage or input error, 3 AWS or environment failure. */
export const ExitCode = {
  Ok: 0,
  Findings: 1,
  Usage: 2,
  Environment: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorKind =
  /** The caller passed something invalid (an option value, a file's content). */
  | 'input'
  /** AWS or the local environment failed (credentials, network, permissions, throttling). */
  | 'environment';

/**
 * An error the user can act on. `message` says what is wrong and what to do, in one line.
 * Library code speaks of values ("partition 'aws-xx' is unknown"), never of CLI flags.
 */
export class ForceMfaError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;

  constructor(kind: ErrorKind, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForceMfaError';
    this.kind = kind;
    this.code = code;
  }

  get exitCode(): ExitCode {
    return this.kind === 'input' ? ExitCode.Usage : ExitCode.Environment;
  }
}

export function inputError(code: string, message: string, cause?: unknown): ForceMfaError {
  return new ForceMfaError('input', code, message, cause === undefined ? undefined : { cause });
}

export function environmentError(code: string, message: string, cause?: unknown): ForceMfaError {
  return new ForceMfaError('environment', code, message, cause === undefined ? undefined : { cause });
}

export function isForceMfaError(value: unknown): value is ForceMfaError {
  return value instanceof ForceMfaError;
}
