/** How commands reach the terminal: results on stdout, diagnostics and questions on stderr, files written atomically. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { environmentError, inputError, type ForceMfaError } from '../errors.js';

export function writeStdout(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function writeStderr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Write to `path` (atomically, through a temporary file in the same folder) or to stdout when no path is given. */
export function emit(text: string, path: string | undefined): void {
  if (path === undefined || path === '-') {
    writeStdout(text);
    return;
  }
  writeFileAtomic(path, text.endsWith('\n') ? text : `${text}\n`);
}

export function writeFileAtomic(path: string, content: string, mode?: number): void {
  const target = resolve(path);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(temporary, content, mode === undefined ? undefined : { mode });
    renameSync(temporary, target);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The temporary file could not even be created (e.g. its folder is a file): nothing to remove.
    }
    throw writeError(path, error);
  }
}

/** A path that cannot be a file is the caller's mistake (exit 2); a full or read-only disk is the environment's (exit 3). */
function writeError(path: string, error: unknown): ForceMfaError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reasons: Record<string, string> = {
    EISDIR: 'it is a folder',
    ENOTDIR: 'a folder on its path is a file',
    EEXIST: 'a folder on its path is a file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  const message = `cannot write ${path} (${reasons[code] ?? code}): give a writable file path`;
  return ['EISDIR', 'ENOTDIR', 'EEXIST', 'ENAMETOOLONG', 'EINVAL'].includes(code)
    ? inputError('output-unwritable', message, error)
    : environmentError('output-unwritable', message, error);
}

/** Asks a yes/no question on the terminal (stderr); anything but y/yes is no. */
export async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await reader.question(`${question} [y/N] `);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    reader.close();
  }
}

/** Without a terminal to ask on, a destructive or costly action needs its --yes. */
export function assertCanConfirm(yes: boolean | undefined, action: string): void {
  if (yes !== true && process.stdin.isTTY !== true) {
    throw inputError('confirmation-needed', `no terminal to confirm ${action} on: run again with --yes`);
  }
}

/** A change to the account may go ahead: `--yes` was given, or the person asked said yes. */
export async function confirmed(yes: boolean | undefined, confirm: (question: string) => Promise<boolean>, question: string): Promise<boolean> {
  return yes === true || (await confirm(question));
}

/** Colors only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env) && process.env['TERM'] !== 'dumb';
}
