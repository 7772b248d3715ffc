import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isForceMfaError } from '../../src/errors.js';
import { acquireLock, processAlive, withLock } from '../../src/session/lock.js';

let dir: string;
let lockPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'force-mfa-lock-'));
  lockPath = join(dir, 'session.lock');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has certainly ended (it ran and was reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(processAlive(pid)).toBe(false);
  return pid;
}

const options = { timeoutMs: 2_000, purpose: 'the test session' };

describe('withLock', () => {
  it('lets one holder at a time run, across many waiters, and leaves no file behind', async () => {
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        withLock(lockPath, { ...options, timeoutMs: 20_000 }, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(index);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('releases the lock when the work fails', async () => {
    await expect(withLock(lockPath, options, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('breaks the lock of a process that no longer runs on this host', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid(), host: hostname(), token: 'dead-owner' }));
    expect(await withLock(lockPath, options, async () => 'ran')).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives up on a live holder after the timeout, with one line naming the lock and the process', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'live-owner' }));
    const error = await acquireLock(lockPath, { ...options, timeoutMs: 100 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isForceMfaError(error) && error.code).toBe('session.lock-timeout');
    expect(String((error as Error).message)).toContain(`process ${process.ppid} on ${hostname()}`);
    expect(String((error as Error).message)).toContain(lockPath);
    expect(String((error as Error).message)).not.toContain('\n');
    expect(existsSync(lockPath)).toBe(true); // never taken from a live owner
  });

  it('waits for a lock from another host until it is old, then breaks it', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'another-host.example', token: 'remote-owner' }));
    await expect(acquireLock(lockPath, { ...options, timeoutMs: 100 })).rejects.toMatchObject({ code: 'session.lock-timeout' });
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lockPath, old, old);
    const lock = await acquireLock(lockPath, options);
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('gives a half-written lock a grace period, then breaks it', async () => {
    writeFileSync(lockPath, '');
    await expect(acquireLock(lockPath, { ...options, timeoutMs: 100 })).rejects.toMatchObject({ code: 'session.lock-timeout' });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath, old, old);
    (await acquireLock(lockPath, options)).release();
  });

  it('when many waiters find the same dead lock, exactly one of them holds it at a time', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid(), host: hostname(), token: 'dead-owner' }));
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        withLock(lockPath, { ...options, timeoutMs: 20_000 }, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not remove a lock that was taken over from it', async () => {
    const lock = await acquireLock(lockPath, options);
    writeFileSync(lockPath, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'someone-else' }));
    lock.release();
    expect(existsSync(lockPath)).toBe(true);
  });
});
