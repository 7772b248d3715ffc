/** The enrollment log as a JSONL file: read it whole, append one synced line per step, never rewrite it. */
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { environmentError, isForceMfaError } from '../errors.js';
import { LOG_FILE_BOUND, readOptionalInputText } from '../input-file.js';
import { readEnrollLog, type EnrollLogLine, type EnrollLogWriter, type ParsedEnrollLog } from './enroll-log.js';

/** The entries of the log file, with warnings for lines cut short; none when it does not exist yet. */
export function readEnrollLogFile(path: string): ParsedEnrollLog {
  const text = readLogText(path, 'the enrollment log');
  return text === undefined ? { entries: [], warnings: [] } : readEnrollLog(text, path);
}

/** The text of a log file, undefined when it does not exist yet. */
export function readLogText(path: string, name: string): string | undefined {
  try {
    return readOptionalInputText(path, LOG_FILE_BOUND);
  } catch (error) {
    // A log too large or binary is the wrong file (exit 2); one that cannot be opened is the environment's (exit 3).
    if (!isForceMfaError(error) || error.code !== 'file-unreadable') throw error;
    throw environmentError('enroll-log-unreadable', `cannot read ${name} ${path}: ${error.message}`, error);
  }
}

/** Whether the open file's last byte is not a newline: a crash cut its last line short. */
function endsWithCutLine(descriptor: number): boolean {
  const { size } = fstatSync(descriptor);
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(descriptor, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/**
 * Appends are synced to disk before the IAM call they announce, so a crash never loses an intent line. After a line
 * cut short, the next line starts on a line of its own and is marked `afterCutLine`, so readers skip the cut line
 * instead of refusing the whole log.
 */
export function enrollLogFile(path: string): EnrollLogWriter {
  return jsonlLogFile<EnrollLogLine>(path, 'the enrollment log');
}

/** The appender of any JSONL log of applied changes (see `enrollLogFile`); `name` is for the error message. */
export function jsonlLogFile<T extends object>(path: string, name: string): { append(entry: T): void } {
  const target = resolve(path);
  return {
    append(entry: T): void {
      try {
        mkdirSync(dirname(target), { recursive: true });
        const descriptor = openSync(target, 'a+', 0o600);
        try {
          const text = endsWithCutLine(descriptor) ? `\n${JSON.stringify({ ...entry, afterCutLine: true })}\n` : `${JSON.stringify(entry)}\n`;
          writeSync(descriptor, text);
          fsyncSync(descriptor);
        } finally {
          closeSync(descriptor);
        }
      } catch (error) {
        throw environmentError('enroll-log-unwritable', `cannot write ${name} ${target}: ${(error as Error).message}; choose another log file`, error);
      }
    },
  };
}
