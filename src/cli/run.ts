/** The single top-level error handler: one actionable line, a distinct exit code, a stack only with --debug. */
import { CommanderError } from 'commander';
import { ExitCode, isForceMfaError } from '../errors.js';
import { writeStderr } from './output.js';

export function isDebug(): boolean {
  return process.argv.includes('--debug') || process.env['FORCE_MFA_DEBUG'] === '1';
}

/** Report an error thrown by a command and set the exit code; never calls process.exit(). */
export function reportError(error: unknown): void {
  if (error instanceof CommanderError) {
    // commander already printed its message; keep its exit code for help/version, 2 for usage errors.
    process.exitCode = error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return;
  }
  if (isForceMfaError(error)) {
    writeStderr(`force-mfa: ${error.message}`);
    if (isDebug()) writeStderr(String(error.stack ?? ''));
    process.exitCode = error.exitCode;
    return;
  }
  const sdk = awsErrorLine(error);
  if (sdk !== undefined) {
    writeStderr(`force-mfa: ${sdk}`);
    if (isDebug() && error instanceof Error) writeStderr(String(error.stack ?? ''));
    process.exitCode = ExitCode.Environment;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeStderr(`force-mfa: internal error: ${message} (this is a bug; run again with --debug and report it)`);
  if (isDebug() && error instanceof Error) writeStderr(String(error.stack ?? ''));
  process.exitCode = ExitCode.Environment;
}

const NETWORK_ERROR_CODES: readonly string[] = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];

/** AWS SDK errors carry a `name` such as AccessDenied and `$metadata`; turn them into one line with a hint. */
function awsErrorLine(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { name?: unknown; message?: unknown; code?: unknown; $metadata?: unknown };
  const name = typeof candidate.name === 'string' ? candidate.name : '';
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login` (offline commands need none)';
  }
  // The SDK passes socket errors through (with $metadata): say where to look rather than "AWS call failed".
  if (name === 'TimeoutError' || (typeof candidate.code === 'string' && NETWORK_ERROR_CODES.includes(candidate.code))) {
    return `could not reach AWS (${message || name}): check the network, AWS_ENDPOINT_URL and the region`;
  }
  if (candidate.$metadata === undefined) return undefined;
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) {
    return `AWS denied the request (${name}): ${message} — use credentials allowed to make this call, signed in with MFA if your account forces it`;
  }
  if (/ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch/i.test(name)) {
    return `AWS rejected the credentials (${name}): ${message} — refresh them (for example \`force-mfa session\` or \`aws sso login\`)`;
  }
  return `AWS call failed (${name || 'error'}): ${message}`;
}
