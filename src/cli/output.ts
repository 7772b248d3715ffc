/** How commands reach the terminal: results on stdout, diagnostics on stderr, files written atomically. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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

/** Colors only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env) && process.env['TERM'] !== 'dumb';
}
