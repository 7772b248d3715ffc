/** File I/O of sessions: the shared AWS files and the session cache, read as text and written atomically. */
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { environmentError } from '../errors.js';
import { fromCacheFile, toCacheFile, type StoredSession } from './credentials.js';
import { parseIni, type IniDocument } from './ini.js';
import type { Environment } from './profiles.js';

export interface LoadedFile {
  readonly path: string;
  /** Undefined when the file does not exist. */
  readonly text?: string;
}

export function readTextFile(path: string): LoadedFile {
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path };
    throw environmentError('session.file-unreadable', `cannot read ${path}: ${(error as Error).message}`, error);
  }
}

export function parsedFile(file: LoadedFile): IniDocument | undefined {
  return file.text === undefined ? undefined : parseIni(file.text);
}

/**
 * Replace a file's content atomically: a temporary file in the same folder (so rename cannot cross file systems),
 * given the mode before any byte is written, flushed, then renamed over the target. A symbolic link is followed, so
 * a dotfile manager's link stays a link. When `expected` is given and the file changed since it was read, nothing
 * is written: someone else edited it in between.
 */
export function replaceFileAtomic(path: string, text: string, mode: number, expected?: LoadedFile): void {
  const target = realTarget(path);
  if (expected !== undefined && readTextFile(target).text !== expected.text) {
    throw environmentError('session.file-changed', `${path} changed while force-mfa was updating it; run the command again`);
  }
  const folder = dirname(target);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw environmentError('session.file-unwritable', `cannot create folder ${folder}: ${(error as Error).message}`, error);
  }
  const temporary = join(folder, `.${basename(target)}.force-mfa-${process.pid}-${Date.now()}.tmp`);
  try {
    const descriptor = openSync(temporary, 'wx', mode);
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    chmodSync(temporary, mode); // the umask may have removed bits we asked for; never add any beyond `mode`
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw environmentError('session.file-unwritable', `cannot write ${path}: ${(error as Error).message}`, error);
  }
}

/** The permission bits of an existing file, or the fallback for a new one. */
export function currentMode(path: string, fallback: number): number {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return fallback;
  }
}

function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

// ---- the session cache ----

/** FORCE_MFA_CACHE_DIR, else ~/.force-mfa/cache. */
export function cacheDirectory(env: Environment, homeDir: string): string {
  const configured = env['FORCE_MFA_CACHE_DIR'];
  return configured !== undefined && configured.trim() !== '' ? configured : join(homeDir, '.force-mfa', 'cache');
}

/** One file per source profile and role: readable name, plus a hash so that odd names never collide. */
export function cacheFilePath(directory: string, sourceProfile: string, roleArn?: string): string {
  const readable = `${sourceProfile}${roleArn === undefined ? '' : `--${roleArn.split('/').pop() ?? 'role'}`}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(JSON.stringify([sourceProfile, roleArn ?? ''])).digest('hex').slice(0, 10);
  return join(directory, `${readable.slice(0, 80)}-${hash}.json`);
}

export function readCachedSession(path: string): StoredSession | undefined {
  const { text } = readTextFile(path);
  return text === undefined ? undefined : fromCacheFile(text);
}

export function writeCachedSession(path: string, session: StoredSession): void {
  replaceFileAtomic(path, `${JSON.stringify(toCacheFile(session), null, 2)}\n`, 0o600);
}
