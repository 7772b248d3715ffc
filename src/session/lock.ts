/**
 * Exclusive lock files between force-mfa processes: `open(path, 'wx')` holding the owner's pid, host and a random
 * token. A lock whose owner is a dead process on this host is broken; a live owner is waited for, up to a timeout.
 *
 * Why not proper-lockfile: it judges a lock stale by its age (the holder refreshes its mtime on a timer), so a
 * holder whose event loop stalls, or a person slow to type a code, loses the lock while still working; and it breaks
 * a stale lock by stat-then-rmdir, where two breakers can both remove it and both acquire. Here a lock on this
 * host is broken only when its process is gone, and only by the one process that wins `wx` on a breaker file named
 * after the dead owner's token, after it has read that token again.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { environmentError } from '../errors.js';

export interface LockOptions {
  /** How long to wait for another process's lock before giving up. */
  readonly timeoutMs: number;
  /** A lock written by another host (a shared home folder) is broken after this long; default 10 minutes. */
  readonly foreignStaleMs?: number;
  /** What the lock protects, for messages: `the credentials file`, `the MFA session of profile 'work'`. */
  readonly purpose: string;
}

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** A half-written lock (created, owner not yet written) is given this long before it counts as abandoned. */
const UNWRITTEN_GRACE_MS = 5_000;
const DEFAULT_FOREIGN_STALE_MS = 600_000;

export interface HeldLock {
  readonly path: string;
  release(): void;
}

/** Run `work` while holding the lock at `path`; the lock is released afterwards, whatever happens. */
export async function withLock<T>(path: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await work();
  } finally {
    lock.release();
  }
}

export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const token = randomUUID();
  const deadline = Date.now() + options.timeoutMs;
  let waited = 0;
  for (;;) {
    if (tryCreate(path, token)) return { path, release: () => release(path, token) };
    const holder = readOwner(path);
    if (holder !== 'gone' && isAbandoned(holder, options)) {
      breakLock(path, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder === 'gone' || holder.owner === undefined ? 'another process' : `process ${holder.owner.pid} on ${holder.owner.host}`;
      throw environmentError(
        'session.lock-timeout',
        `${options.purpose} is locked by ${who} (${path}); waited ${Math.round(options.timeoutMs / 1000)}s: try again, or delete that file if no force-mfa is running`,
      );
    }
    // Short, growing, jittered pauses: many waiters do not wake in step.
    waited += 1;
    await sleep(Math.min(250, 10 * waited) + Math.floor(Math.random() * 20));
  }
}

function tryCreate(path: string, token: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw environmentError('session.lock-failed', `cannot create lock file ${path}: ${(error as Error).message}`, error);
  }
  try {
    writeSync(descriptor, JSON.stringify({ pid: process.pid, host: hostname(), token } satisfies Owner));
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  return true;
}

interface Holder {
  /** Undefined while the owner has not been written yet, or when the file is not one of ours. */
  readonly owner?: Owner;
  /** What identifies this very lock file: the owner's token, else the file's identity and age. */
  readonly identity: string;
  readonly ageMs: number;
}

function readOwner(path: string): Holder | 'gone' {
  let text: string;
  let stats;
  try {
    stats = statSync(path);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw environmentError('session.lock-failed', `cannot read lock file ${path}: ${(error as Error).message}`, error);
  }
  const ageMs = Date.now() - stats.mtimeMs;
  const owner = parseOwner(text);
  return owner === undefined ? { identity: `${stats.ino}-${stats.mtimeMs}-${stats.size}`, ageMs } : { owner, identity: owner.token, ageMs };
}

function parseOwner(text: string): Owner | undefined {
  try {
    const value = JSON.parse(text) as Partial<Owner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string' && /^[\w-]+$/.test(value.token)) {
      return { pid: value.pid, host: value.host, token: value.token };
    }
  } catch {
    // not ours, or half written: judged by age below
  }
  return undefined;
}

function isAbandoned(holder: Holder, options: LockOptions): boolean {
  const { owner } = holder;
  if (owner === undefined) return holder.ageMs > UNWRITTEN_GRACE_MS;
  if (owner.host !== hostname()) return holder.ageMs > (options.foreignStaleMs ?? DEFAULT_FOREIGN_STALE_MS);
  return !processAlive(owner.pid);
}

/** Signal 0 tests for a process without touching it; EPERM means it exists under another user. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove an abandoned lock so that exactly one waiter does it: the one that creates `PATH.break-IDENTITY`. Nobody
 * else removes a lock of that identity (its owner is gone), so after reading the identity again it is safe to unlink.
 * A waiter that comes late finds another identity (or none) and leaves it alone.
 */
function breakLock(path: string, holder: Holder): void {
  const breaker = `${path}.break-${holder.identity.replace(/[^\w.-]/g, '_')}`;
  let descriptor: number;
  try {
    descriptor = openSync(breaker, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return; // another waiter is breaking it
    throw environmentError('session.lock-failed', `cannot create ${breaker}: ${(error as Error).message}`, error);
  }
  closeSync(descriptor);
  try {
    const again = readOwner(path);
    if (again !== 'gone' && again.identity === holder.identity) unlinkSync(path);
  } finally {
    unlinkSync(breaker);
  }
}

function release(path: string, token: string): void {
  const holder = readOwner(path);
  // Never remove a lock that is no longer ours (it was judged abandoned and taken over).
  if (holder !== 'gone' && holder.owner?.token === token) unlinkSync(path);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
