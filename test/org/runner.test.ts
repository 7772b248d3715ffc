import { describe, expect, it } from 'vitest';
import { backoffMs, isTransientAwsError, withRetries, type Sleep } from '../../src/account/aws/retry.js';
import { runPerAccount, type AccountOutcome } from '../../src/org/runner.js';

const TIMEOUT_MS = 30_000;

/** Back-offs return at once; the per-account deadline (TIMEOUT_MS) waits until the account finishes. */
function instantSleep(log: number[] = []): Sleep {
  return (ms, signal) => {
    log.push(ms);
    if (ms !== TIMEOUT_MS) return Promise.resolve();
    return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  };
}

/** Every wait, deadline included, ends on the next turn of the event loop: a task that never settles times out. */
const expiringSleep: Sleep = () => new Promise((resolve) => setImmediate(resolve));

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status } });
}

const hang = (signal: AbortSignal): Promise<never> =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

describe('runPerAccount', () => {
  it('never runs more tasks at once than the concurrency', async () => {
    let running = 0;
    let peak = 0;
    let finished = 0;
    const releases: (() => void)[] = [];
    const accounts = Array.from({ length: 10 }, (_, index) => index);
    const run = runPerAccount(
      accounts,
      async (account) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        finished++;
        return account * 2;
      },
      { concurrency: 3, retries: 0, timeoutMs: TIMEOUT_MS, sleep: instantSleep() },
    );
    while (finished < accounts.length) {
      await new Promise((resolve) => setImmediate(resolve));
      expect(running).toBeLessThanOrEqual(3);
      releases.splice(0).forEach((release) => release());
    }
    const outcomes = await run;
    expect(peak).toBe(3);
    expect(outcomes.map((outcome) => (outcome.status === 'ok' ? outcome.value : 'failed'))).toEqual(accounts.map((n) => n * 2));
  });

  it('keeps going when one account fails and keeps the input order', async () => {
    const settled: string[] = [];
    const outcomes = await runPerAccount(
      ['a', 'b', 'c'],
      async (account) => {
        if (account === 'b') throw Object.assign(new Error('User is not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
        return account.toUpperCase();
      },
      { concurrency: 2, retries: 3, timeoutMs: TIMEOUT_MS, sleep: instantSleep(), onSettled: (outcome, done, total) => settled.push(`${done}/${total}:${String(outcome.account)}`) },
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'failed', 'ok']);
    const failed = outcomes[1] as Extract<AccountOutcome<string, string>, { status: 'failed' }>;
    expect(failed.reason).toBe('AccessDenied: User is not authorized');
    expect(failed.attempts).toBe(1);
    expect(settled).toHaveLength(3);
    expect(settled.map((line) => line.split(':')[0])).toEqual(['1/3', '2/3', '3/3']);
  });

  it.each([
    ['ThrottlingException', 400],
    ['TooManyRequestsException', 400],
    ['Throttling', 400],
    ['ServiceUnavailable', 503],
  ])('tries an account again after %s, with growing back-offs', async (name, status) => {
    const waits: number[] = [];
    let calls = 0;
    const [outcome] = await runPerAccount(
      ['only'],
      async () => {
        calls++;
        if (calls < 3) throw awsError(name, status);
        return 'done';
      },
      { concurrency: 1, retries: 3, timeoutMs: TIMEOUT_MS, baseDelayMs: 100, random: () => 0, sleep: instantSleep(waits) },
    );
    expect(outcome).toMatchObject({ status: 'ok', value: 'done', attempts: 3 });
    expect(waits.filter((ms) => ms !== TIMEOUT_MS)).toEqual([50, 100]);
  });

  it('gives up after the retries and says how many attempts it made', async () => {
    const [outcome] = await runPerAccount(['only'], async () => Promise.reject(awsError('ThrottlingException', 400)), {
      concurrency: 1,
      retries: 2,
      timeoutMs: TIMEOUT_MS,
      sleep: instantSleep(),
    });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, reason: 'ThrottlingException: ThrottlingException message (after 3 attempts)' });
  });

  it('fails an account that outlives its time limit, aborts its signal, and finishes the others', async () => {
    let seenSignal: AbortSignal | undefined;
    const outcomes = await runPerAccount(
      ['slow', 'fast'],
      async (account, signal) => {
        if (account === 'fast') return 'ok';
        seenSignal = signal;
        return hang(signal);
      },
      { concurrency: 2, retries: 3, timeoutMs: 120_000, sleep: expiringSleep },
    );
    expect(outcomes[0]).toMatchObject({ status: 'failed', timedOut: true, reason: 'timed out after 120s' });
    expect(outcomes[1]).toMatchObject({ status: 'ok', value: 'ok' });
    expect(seenSignal?.aborted).toBe(true);
  });

  it('measures durations with the injected clock', async () => {
    let clock = 1000;
    const [outcome] = await runPerAccount(
      ['a'],
      async () => {
        clock += 250;
        return 1;
      },
      { concurrency: 1, retries: 0, now: () => clock },
    );
    expect(outcome?.durationMs).toBe(250);
  });

  it('refuses a concurrency below one', async () => {
    await expect(runPerAccount(['a'], async () => 1, { concurrency: 0, retries: 0 })).rejects.toThrow(/at least 1/);
  });
});

describe('retries', () => {
  it('recognises transient AWS errors, also as the cause of ours', () => {
    expect(isTransientAwsError(awsError('TooManyRequestsException', 400))).toBe(true);
    expect(isTransientAwsError(awsError('InternalFailure', 500))).toBe(true);
    expect(isTransientAwsError(new Error('wrapped', { cause: awsError('Throttling', 400) }))).toBe(true);
    expect(isTransientAwsError(awsError('AccessDenied', 403))).toBe(false);
    expect(isTransientAwsError(new Error('plain'))).toBe(false);
  });

  it('doubles the back-off up to the cap, half of it random', () => {
    expect([1, 2, 3, 10].map((attempt) => backoffMs(attempt, { baseDelayMs: 1000, maxDelayMs: 5000, random: () => 0 }))).toEqual([500, 1000, 2000, 2500]);
    expect(backoffMs(1, { baseDelayMs: 1000, random: () => 0.999 })).toBe(1000);
  });

  it('withRetries returns the first success and rethrows a permanent error at once', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => (++calls < 2 ? Promise.reject(awsError('ThrottlingException', 400)) : 'ok'), { sleep: instantSleep() }),
    ).resolves.toBe('ok');
    let denied = 0;
    await expect(
      withRetries(async () => {
        denied++;
        throw awsError('AccessDeniedException', 400);
      }, { sleep: instantSleep() }),
    ).rejects.toThrow('AccessDeniedException message');
    expect(denied).toBe(1);
  });
});
