/** File I/O of sessions: the shared AWS files and the session cache, read as text and written atomically. */
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { environmentError, isForceMfaError } from '../errors.js';
import { fromCacheFile, toCacheFile, type StoredSession } from './credentials.js';
import { parseIni, type IniDocument } from './ini.js';
import { withLock } from './lock.js';
import { sharedFilePaths, type AwsFileSet, type Environment } from './profiles.js';

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

/** How long a writer of the shared AWS files waits for another force-mfa writing them. */
const FILE_LOCK_TIMEOUT_MS = 30_000;

/**
 * Change a file under an exclusive lock: lock, read it afresh, compute the new text from what is there now, write a
 * temporary file in the same folder (so rename cannot cross file systems) with the mode set before any byte, flush
 * it, check that nobody outside force-mfa changed the file meanwhile, rename it over the target, flush the folder.
 * `change` returns undefined when nothing needs writing. A symbolic link is followed, so a dotfile manager's link
 * stays a link. A file its owner cannot write (mode 0400, 0444) is refused, never replaced. Returns whether it wrote.
 */
export async function updateFileLocked(path: string, mode: number, change: (current: LoadedFile) => string | undefined): Promise<boolean> {
  const target = realTarget(path);
  const folder = dirname(target);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw environmentError('session.file-unwritable', `cannot create folder ${folder}: ${(error as Error).message}`, error);
  }
  return withLock(`${target}.force-mfa.lock`, { timeoutMs: FILE_LOCK_TIMEOUT_MS, purpose: path }, async () => {
    for (let attempt = 1; ; attempt += 1) {
      checkWritable(path);
      const current = readTextFile(target);
      const text = change({ ...current, path });
      if (text === undefined) return false;
      const temporary = temporaryPath(target, `-${attempt}`);
      try {
        writeTemporary(temporary, text, mode);
        // Another program (not force-mfa, which holds the lock) may have written the file since we read it.
        if (readTextFile(target).text !== current.text) {
          rmSync(temporary, { force: true });
          if (attempt >= 3) throw environmentError('session.file-changed', `${path} keeps changing while force-mfa updates it; run the command again`);
          continue;
        }
        renameSync(temporary, target);
        syncFolder(folder);
      } catch (error) {
        rmSync(temporary, { force: true });
        if (isForceMfaError(error)) throw error;
        throw environmentError('session.file-unwritable', `cannot write ${path}: ${(error as Error).message}`, error);
      }
      return true;
    }
  });
}

/** A file that exists but whose owner has no write permission is the user's wish to keep it as it is. */
export function checkWritable(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return; // absent: it will be created
  }
  if ((mode & 0o200) === 0) {
    throw environmentError(
      'session.file-read-only',
      `${path} is read-only (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): force-mfa does not replace it; make it writable (chmod 600) or write the session elsewhere`,
    );
  }
}

/** A fresh name beside `target`, so that the rename cannot cross file systems. */
function temporaryPath(target: string, suffix: string): string {
  return join(dirname(target), `.${basename(target)}.force-mfa-${process.pid}-${Date.now()}${suffix}.tmp`);
}

/** Create `temporary` (never an existing file) with `mode` set before any byte, write `text` and flush it. */
function writeTemporary(temporary: string, text: string, mode: number): void {
  const descriptor = openSync(temporary, 'wx', mode);
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  chmodSync(temporary, mode); // the umask may have removed bits we asked for; never add any beyond `mode`
}

/** So that the rename itself survives a crash; some file systems cannot open a folder, which is no reason to fail. */
function syncFolder(folder: string): void {
  try {
    const descriptor = openSync(folder, 'r');
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // best effort
  }
}

/**
 * Replace a file's content atomically, without a lock: for files only this process writes under its own lock (the
 * session cache). Same steps as `updateFileLocked`.
 */
function writeFileAtomic(path: string, text: string, mode: number): void {
  const temporary = temporaryPath(path, '');
  try {
    writeTemporary(temporary, text, mode);
    renameSync(temporary, path);
    syncFolder(dirname(path));
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

/**
 * The cache folder, created (0700) when missing. An existing one must be a folder owned by this user that neither
 * group nor others can write: otherwise someone else could plant a session in it. Refused, never read.
 */
export function checkedCacheDirectory(directory: string): string {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw environmentError('session.cache-unusable', `cannot create the session cache folder ${directory}: ${(error as Error).message}`, error);
  }
  const stats = statSync(directory);
  if (!stats.isDirectory()) throw environmentError('session.cache-unsafe', `the session cache ${directory} is not a folder: remove it or set FORCE_MFA_CACHE_DIR`);
  checkOwnership(directory, stats, 'the session cache folder');
  return directory;
}

/** A cache file: a regular file (not a link) owned by this user that neither group nor others can write. */
function checkCacheFile(path: string): boolean {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw environmentError('session.cache-unusable', `cannot read the session cache file ${path}: ${(error as Error).message}`, error);
  }
  if (!stats.isFile()) throw environmentError('session.cache-unsafe', `the session cache file ${path} is not a regular file: force-mfa does not read it; delete it`);
  checkOwnership(path, stats, 'the session cache file');
  return true;
}

function checkOwnership(path: string, stats: { uid: number; mode: number }, what: string): void {
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw environmentError('session.cache-unsafe', `${what} ${path} belongs to user id ${stats.uid}, not to you (${uid}): force-mfa does not use it; delete it or set FORCE_MFA_CACHE_DIR to a folder of yours`);
  }
  if ((stats.mode & 0o022) !== 0) {
    throw environmentError(
      'session.cache-unsafe',
      `${what} ${path} can be written by ${(stats.mode & 0o002) !== 0 ? 'everyone' : 'its group'} (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}): force-mfa does not use it; chmod 700 the folder and 600 its files, or set FORCE_MFA_CACHE_DIR to a private folder`,
    );
  }
}

/** The cached session; the folder must have been checked with `checkedCacheDirectory`. */
export function readCachedSession(path: string): StoredSession | undefined {
  if (!checkCacheFile(path)) return undefined;
  const { text } = readTextFile(path);
  return text === undefined ? undefined : fromCacheFile(text);
}

export function writeCachedSession(path: string, session: StoredSession): void {
  checkCacheFile(path);
  writeFileAtomic(path, `${JSON.stringify(toCacheFile(session), null, 2)}\n`, 0o600);
}

/** The shared credentials and config files where the SDKs and the AWS CLI look for them, parsed. */
export function readSharedFiles(env: Environment, homeDir: string): AwsFileSet {
  const paths = sharedFilePaths(env, homeDir);
  return { ...paths, credentials: parsedFile(readTextFile(paths.credentialsPath)), config: parsedFile(readTextFile(paths.configPath)) };
}
