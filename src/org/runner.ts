/** Runs one task per account with bounded concurrency, retries on throttling and a time limit per account. */
import { backoffMs, defaultSleep, isTransientAwsError, type Sleep } from '../account/aws/retry.js';

export interface PerAccountOptions<A = unknown, R = unknown> {
  /** How many accounts run at once (at least 1). */
  readonly concurrency: number;
  /** The time limit of one account, all attempts and back-offs included; 0 or absent for none. */
  readonly timeoutMs?: number;
  /** How many times a throttled account is tried again after the first attempt. */
  readonly retries: number;
  /** The first back-off; doubles with every retry up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  /** The clock in milliseconds (durations only). */
  readonly now?: () => number;
  /** In [0, 1): spreads the back-offs of accounts throttled together. */
  readonly random?: () => number;
  /** Which failures are worth another attempt; throttling and transient server errors by default. */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Called once per account when it settles, in completion order (`done` counts settled accounts). */
  readonly onSettled?: (outcome: AccountOutcome<A, R>, done: number, total: number) => void;
}

interface OutcomeBase<A> {
  readonly account: A;
  readonly attempts: number;
  readonly durationMs: number;
}
export interface AccountSuccess<A, R> extends OutcomeBase<A> {
  readonly status: 'ok';
  readonly value: R;
}
export interface AccountFailure<A> extends OutcomeBase<A> {
  readonly status: 'failed';
  /** One line saying why, safe to show (no secrets). */
  readonly reason: string;
  readonly timedOut: boolean;
  readonly error: unknown;
}
export type AccountOutcome<A, R> = AccountSuccess<A, R> | AccountFailure<A>;

/** The task gets a signal that aborts when the account's time is up: pass it to every AWS call (abortSignal). */
export type AccountTask<A, R> = (account: A, signal: AbortSignal) => Promise<R>;

/** Every account gets an outcome, in the order of `accounts`; one account failing never stops the others. */
export async function runPerAccount<A, R>(
  accounts: readonly A[],
  task: AccountTask<A, R>,
  options: PerAccountOptions<A, R>,
): Promise<AccountOutcome<A, R>[]> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, not ${options.concurrency}`);
  }
  const outcomes = new Array<AccountOutcome<A, R>>(accounts.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const index = next++;
      const outcome = await runOne(accounts[index] as A, task, options);
      outcomes[index] = outcome;
      done++;
      options.onSettled?.(outcome, done, accounts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, accounts.length) }, worker));
  return outcomes;
}

async function runOne<A, R>(account: A, task: AccountTask<A, R>, options: PerAccountOptions<A, R>): Promise<AccountOutcome<A, R>> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const isRetryable = options.isRetryable ?? isTransientAwsError;
  const started = now();
  const deadline = new AbortController();
  const finished = new AbortController();
  const timeoutMs = options.timeoutMs ?? 0;
  const timeUp =
    timeoutMs > 0
      ? sleep(timeoutMs, finished.signal).then(() => {
          if (!finished.signal.aborted) deadline.abort();
        })
      : undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    deadline.signal.addEventListener('abort', () => resolve('timed-out'), { once: true });
  });

  let attempts = 0;
  const attempt = async (): Promise<{ value: R } | { error: unknown }> => {
    for (;;) {
      attempts++;
      try {
        return { value: await task(account, deadline.signal) };
      } catch (error) {
        if (deadline.signal.aborted || attempts > options.retries || !isRetryable(error)) return { error };
        await sleep(backoffMs(attempts, options), deadline.signal);
        if (deadline.signal.aborted) return { error };
      }
    }
  };

  try {
    const result = await Promise.race([attempt(), timedOut]);
    const durationMs = Math.max(0, now() - started);
    if (result === 'timed-out') {
      return {
        account,
        status: 'failed',
        reason: `timed out after ${formatSeconds(timeoutMs)}`,
        timedOut: true,
        error: undefined,
        attempts,
        durationMs,
      };
    }
    if ('value' in result) return { account, status: 'ok', value: result.value, attempts, durationMs };
    const reason = attempts > 1 ? `${failureReason(result.error)} (after ${attempts} attempts)` : failureReason(result.error);
    return { account, status: 'failed', reason, timedOut: false, error: result.error, attempts, durationMs };
  } finally {
    finished.abort();
    await timeUp;
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}

/** Our errors already say what to do; SDK errors get their code in front of their message. */
export function failureReason(error: unknown): string {
  if (error instanceof Error) {
    const isOurs = error.name === 'ForceMfaError';
    const name = error.name !== 'Error' && !isOurs ? `${error.name}: ` : '';
    return `${name}${error.message}`.split('\n')[0] ?? '';
  }
  return String(error);
}
