/** Retries for AWS calls (throttling, "try again", 5xx) and AWS error classification, for the audit and the org commands. */

/** Waits `ms`; resolves early (without error) when `signal` aborts. Injected so tests run instantly. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const TRANSIENT_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'ServiceFailure',
  'ServiceFailureException',
  'ReportGenerationLimitExceeded',
  'ReportGenerationLimitExceededException',
]);

interface AwsErrorShape {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: unknown;
  readonly cause?: unknown;
}

export function errorName(error: unknown): string {
  const name = (error as AwsErrorShape | null)?.name;
  return typeof name === 'string' ? name : '';
}

/** Throttling, "try again" and 5xx errors of the AWS SDK, and errors (ours) that wrap one as their cause. */
export function isTransientAwsError(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
    const candidate = current as AwsErrorShape;
    if (TRANSIENT_NAMES.has(errorName(candidate))) return true;
    if (candidate.$retryable !== undefined && candidate.$retryable !== null) return true;
    const status = candidate.$metadata?.httpStatusCode;
    if (typeof status === 'number' && (status === 429 || status >= 500)) return true;
    current = candidate.cause;
  }
  return false;
}

export function isAccessDenied(error: unknown): boolean {
  return /AccessDenied|UnauthorizedOperation|NotAuthorized|UnauthorizedAccess/i.test(errorName(error));
}

export interface RetryOptions {
  /** How many times a call is tried again after the first attempt (default 4). */
  readonly retries?: number;
  /** The first back-off; doubles with every retry up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  /** In [0, 1): spreads the back-offs of callers throttled together. */
  readonly random?: () => number;
  readonly isRetryable?: (error: unknown) => boolean;
  readonly signal?: AbortSignal;
}

/** Exponential back-off with "equal jitter": half fixed, half random, so callers throttled together spread out. */
export function backoffMs(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 20_000;
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The call again after a back-off while it fails with a transient error; the last error otherwise. */
export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  const isRetryable = options.isRetryable ?? isTransientAwsError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt > retries || !isRetryable(error) || options.signal?.aborted === true) throw error;
      await sleep(backoffMs(attempt, options), options.signal);
    }
  }
}

/** The audit's retry settings, counted in attempts (the first call included). */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: Sleep;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000, sleep: defaultSleep };

/** `withRetries` with the audit's policy: up to `attempts` calls in all. */
export function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  return withRetries(call, { retries: Math.max(0, policy.attempts - 1), baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs, sleep: policy.sleep });
}

/** Map over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
