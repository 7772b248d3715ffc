/**
 * MFA codes from a command (a YubiKey's OATH applet: `ykman oath accounts code --single NAME`): the command line
 * split without a shell, the code found in what it prints, and the run itself with a timeout.
 */
import { spawn } from 'node:child_process';
import { environmentError, inputError } from '../errors.js';

/**
 * Split a command line the way a POSIX shell splits words, and nothing more: whitespace separates arguments;
 * 'single quotes' keep everything literally; "double quotes" keep everything but `\"` and `\\`; a backslash
 * outside quotes keeps the next character. No variables, globs, pipes, redirections or `~`: `|`, `$`, `*`, `>`
 * are ordinary characters of an argument.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (line[index + 1] === '"' || line[index + 1] === '\\')) word += line[++index];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\') {
      if (index + 1 >= line.length) throw inputError('session.code-command-invalid', `the code command ends with a lone backslash: ${line}`);
      word += line[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined) throw inputError('session.code-command-invalid', `the code command has an unclosed ${quote} quote: ${line}`);
  if (inWord) words.push(word);
  if (words.length === 0) throw inputError('session.code-command-invalid', 'the code command is empty: give the program that prints the MFA code, and its arguments');
  return words;
}

/**
 * The six-digit code in a command's output: its last non-empty line must be six digits, or end with a word of six
 * digits (`ykman oath accounts code` without --single prints `NAME  123456`). Anything else is no code.
 */
export function codeFromOutput(stdout: string): string | undefined {
  const lines = stdout.split(/\r?\n|\r/).map((line) => line.trim()).filter((line) => line !== '');
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  const word = last.split(/\s+/).pop() ?? '';
  return /^\d{6}$/.test(word) ? word : undefined;
}

/** Output beyond this is not a code: stop reading rather than buffer a runaway program. */
const MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * Run the code command (no shell; stdin closed; its stderr goes to ours, where a YubiKey asks to be touched) and
 * return the code. Failure, timeout and output without a code are one line each; the output itself is never shown,
 * since it holds the code or whatever else the program printed.
 */
export async function runCodeCommand(argv: readonly string[], timeoutMs: number): Promise<string> {
  const [program, ...args] = argv;
  if (program === undefined) throw inputError('session.code-command-invalid', 'the code command is empty');
  const name = program;
  const result = await new Promise<{ stdout: string; status: number | null; signal: NodeJS.Signals | null; timedOut: boolean; error?: Error }>((resolve) => {
    let stdout = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(program, args, { shell: false, stdio: ['ignore', 'pipe', 'inherit'], windowsHide: true });
    const finish = (value: { status: number | null; signal: NodeJS.Signals | null; error?: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      resolve({ stdout, timedOut, ...value });
    };
    // Settled by the timer itself, not by the child's end: a grandchild that keeps stdout open must not hang us.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
      finish({ status: null, signal: 'SIGKILL' });
    }, timeoutMs);
    // After the program exits, its output is complete once stdout closes; a background process may hold it open.
    child.on('exit', (status, signal) => {
      setTimeout(() => finish({ status, signal }), 1_000).unref();
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length > MAX_OUTPUT_BYTES) child.kill('SIGKILL');
    });
    child.on('error', (error) => finish({ status: null, signal: null, error }));
    child.on('close', (status, signal) => finish({ status, signal }));
  });
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found (give its full path, or check PATH)' : code === 'EACCES' ? 'not executable' : result.error.message;
    throw environmentError('session.code-command-failed', `the MFA code command '${name}' could not be started: ${why}`, result.error);
  }
  if (result.timedOut) {
    throw environmentError('session.code-command-timeout', `the MFA code command '${name}' gave no code within ${timeoutMs / 1000}s and was stopped`);
  }
  if (result.status !== 0) {
    const how = result.signal !== null ? `was killed by ${result.signal}` : `failed with exit status ${result.status ?? 'unknown'}`;
    throw environmentError('session.code-command-failed', `the MFA code command '${name}' ${how}; run it yourself to see why`);
  }
  const code = codeFromOutput(result.stdout);
  if (code === undefined) {
    throw environmentError(
      'session.code-command-no-code',
      `the MFA code command '${name}' printed no six-digit code${result.stdout.trim() === '' ? ' (its output was empty)' : ''}: it must print the code as its last line (or last word)`,
    );
  }
  return code;
}
