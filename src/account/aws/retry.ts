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

const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** Throttling, plus the names AWS gives a failure worth retrying. */
const TRANSIENT_NAMES = new Set([
  ...THROTTLING_NAMES,
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

/** AWS said "too fast" (not "broken"): the answer is to slow down, not only to wait. */
export function isThrottlingError(error: unknown): boolean {
  const status = (error as AwsErrorShape | null)?.$metadata?.httpStatusCode;
  return THROTTLING_NAMES.has(errorName(error)) || status === 429;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN']);

/**
 * For reads only (asking again cannot change anything): transient AWS errors, and a connection reset or an answer
 * that did not come within the socket timeout. A write that timed out may have been applied and is not retried here.
 */
export function isRetryableRead(error: unknown): boolean {
  if (isTransientAwsError(error)) return true;
  const candidate = error as { name?: unknown; code?: unknown } | null;
  return candidate?.name === 'TimeoutError' || (typeof candidate?.code === 'string' && NETWORK_CODES.has(candidate.code));
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
  /** Shared by every call of a command: each attempt waits for a slot, and throttling shrinks the number of slots. */
  readonly pacer?: CallPacer;
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
    const release = await (options.pacer?.acquire() ?? noSlot);
    try {
      const result = await call();
      release('ok');
      return result;
    } catch (error) {
      release(isThrottlingError(error) ? 'throttled' : 'failed');
      if (attempt > retries || !isRetryable(error) || options.signal?.aborted === true) throw error;
      options.pacer?.countRetry();
      await sleep(backoffMs(attempt, options), options.signal);
    }
  }
}

type Outcome = 'ok' | 'throttled' | 'failed';
const noSlot: Promise<(outcome: Outcome) => void> = Promise.resolve(() => undefined);

/** What a pacer saw, for a command's debug line and the fault tests' figures. */
export interface PacerStats {
  readonly attempts: number;
  readonly retries: number;
  readonly throttled: number;
  /** The smallest number of calls in flight the pacer went down to. */
  readonly lowestWindow: number;
}

/**
 * A shared limit on the calls in flight that slows the client down when AWS throttles it (additive increase,
 * multiplicative decrease, as TCP does): a throttled attempt halves the window, at most once per `coolDownMs` so
 * that one burst of throttling counts once; every successful attempt grows it by 1/window, up to `ceiling`.
 */
export class CallPacer {
  private window: number;
  private inFlight = 0;
  private lastDecrease = -Infinity;
  private readonly waiting: (() => void)[] = [];
  private counts = { attempts: 0, retries: 0, throttled: 0, lowestWindow: Infinity };

  constructor(
    private readonly ceiling: number,
    private readonly coolDownMs = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.window = Math.max(1, ceiling);
    this.counts.lowestWindow = this.window;
  }

  /** Waits for a slot; the returned function gives it back with the attempt's outcome. */
  async acquire(): Promise<(outcome: Outcome) => void> {
    while (this.inFlight >= Math.floor(this.window)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += 1;
    this.counts.attempts += 1;
    let released = false;
    return (outcome) => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.record(outcome);
      this.wake();
    };
  }

  countRetry(): void {
    this.counts.retries += 1;
  }

  get stats(): PacerStats {
    return { ...this.counts };
  }

  private record(outcome: Outcome): void {
    if (outcome === 'ok') {
      this.window = Math.min(this.ceiling, this.window + 1 / this.window);
      return;
    }
    if (outcome !== 'throttled') return;
    this.counts.throttled += 1;
    const at = this.now();
    if (at - this.lastDecrease < this.coolDownMs) return;
    this.lastDecrease = at;
    this.window = Math.max(1, this.window / 2);
    this.counts.lowestWindow = Math.min(this.counts.lowestWindow, Math.floor(this.window));
  }

  private wake(): void {
    // Every waiter checks the window again in its own turn; there are never more than the command's concurrency.
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** The audit's retry settings, counted in attempts (the first call included). */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: Sleep;
  readonly pacer?: CallPacer;
  readonly isRetryable?: (error: unknown) => boolean;
}

/**
 * The audit's reads: the only retry layer (its SDK client makes one attempt per send), so eight attempts with
 * back-offs from 250 ms doubling to 8 s; a read that still fails leaves that fact unknown, never guessed.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8000, sleep: defaultSleep, isRetryable: isRetryableRead };

/** `withRetries` with the audit's policy: up to `attempts` calls in all. */
export function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  return withRetries(call, {
    retries: Math.max(0, policy.attempts - 1),
    baseDelayMs: policy.baseDelayMs,
    maxDelayMs: policy.maxDelayMs,
    sleep: policy.sleep,
    ...(policy.pacer === undefined ? {} : { pacer: policy.pacer }),
    ...(policy.isRetryable === undefined ? {} : { isRetryable: policy.isRetryable }),
  });
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
