/** Waiting on AWS: a poll loop with an injectable sleep and clock, so tests run instantly. */
import { environmentError } from '../../errors.js';

export type Sleep = (milliseconds: number) => Promise<void>;

export const realSleep: Sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface PollOptions {
  readonly sleep?: Sleep;
  readonly intervalMs?: number;
  /** Give up after this long (by the clock), with an environment error naming what was awaited. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** Reads until `done` says so; `onRead` sees every read (for progress). */
export async function poll<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: PollOptions = {},
  onRead?: (value: T) => void | Promise<void>,
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 60 * 60 * 1000);
  for (;;) {
    const value = await read();
    await onRead?.(value);
    if (done(value)) return value;
    if (now() >= deadline) throw environmentError('wait-timeout', `gave up waiting for ${what}: check it in the AWS console`);
    await sleep(options.intervalMs ?? 3000);
  }
}
