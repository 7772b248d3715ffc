/** How commands reach the terminal: results on stdout, diagnostics and questions on stderr, files written atomically. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError } from '../errors.js';

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
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, content, mode === undefined ? undefined : { mode });
  renameSync(temporary, target);
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
