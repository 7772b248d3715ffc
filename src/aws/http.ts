/** Network limits every AWS SDK client of force-mfa uses: the SDK sets none, so a silent endpoint would hang a command. */
import { inputError } from '../errors.js';

const DEFAULT_SOCKET_TIMEOUT_MS = 30_000;

/**
 * How long a request may wait for its answer: 30 s, or FORCE_MFA_HTTP_TIMEOUT seconds (an endpoint known to be slow,
 * or a test that injects slow answers). A value that is not a positive number is an error, never ignored.
 */
function socketTimeoutMs(): number {
  const text = process.env['FORCE_MFA_HTTP_TIMEOUT'];
  if (text === undefined || text === '') return DEFAULT_SOCKET_TIMEOUT_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw inputError('http-timeout', `FORCE_MFA_HTTP_TIMEOUT must be a positive number of seconds, not '${text}'`);
  }
  return Math.round(seconds * 1000);
}

export const HTTP_TIMEOUTS = { requestHandler: { connectionTimeout: 10_000, socketTimeout: socketTimeoutMs() } } as const;
