/** Session durations: parse `12h`, `90m`, `1h30m`, `3600`, `3600s` and check them against what STS accepts. */
import { inputError } from '../errors.js';

export interface DurationRange {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** What the range belongs to, for messages: `GetSessionToken`, `AssumeRole`. */
  readonly operation: string;
}

/** GetSessionToken for an IAM user: 15 minutes to 36 hours. */
export const SESSION_TOKEN_RANGE: DurationRange = { minSeconds: 900, maxSeconds: 129_600, operation: 'GetSessionToken' };
/** AssumeRole: 15 minutes to 12 hours; the role's MaxSessionDuration may allow less. */
export const ROLE_RANGE: DurationRange = { minSeconds: 900, maxSeconds: 43_200, operation: 'AssumeRole' };
/** A role assumed with temporary credentials (role chaining) gets at most one hour. */
export const CHAINED_ROLE_MAX_SECONDS = 3_600;

export const DEFAULT_SESSION_TOKEN_SECONDS = 43_200;
export const DEFAULT_ROLE_SECONDS = 3_600;

const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };

/** Seconds of a duration written as `3600`, `3600s`, `90m`, `12h` or a sequence such as `1h30m`. */
export function parseDuration(text: string): number {
  const compact = text.trim().toLowerCase();
  if (/^\d+$/.test(compact)) return Number(compact);
  if (!/^(\d+[hms])+$/.test(compact)) {
    throw inputError('session.duration-invalid', `duration '${text}' is not understood: write it like 12h, 90m, 1h30m or 3600 (seconds)`);
  }
  let seconds = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)([hms])/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return seconds;
}

export function checkDuration(seconds: number, range: DurationRange, written: string = `${seconds}s`): number {
  if (!Number.isSafeInteger(seconds) || seconds < range.minSeconds || seconds > range.maxSeconds) {
    throw inputError(
      'session.duration-out-of-range',
      `duration ${written} is out of range: ${range.operation} accepts ${formatSeconds(range.minSeconds)} to ` +
        `${formatSeconds(range.maxSeconds)} (${range.minSeconds} to ${range.maxSeconds} seconds)`,
    );
  }
  return seconds;
}

/** `12h`, `1h30m`, `15m`, `45s`: the shortest way to read a number of seconds. */
export function formatSeconds(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours > 0 ? `${hours}h` : '', minutes > 0 ? `${minutes}m` : '', rest > 0 ? `${rest}s` : ''];
  const text = parts.join('');
  return text === '' ? '0s' : text;
}
