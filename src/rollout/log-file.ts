/** The enrollment log as a JSONL file: read it whole, append one synced line per step. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseEnrollLog, type EnrollLogEntry, type EnrollLogWriter } from './enroll-log.js';

/** The entries of the log file; none when it does not exist yet. */
export function readEnrollLogFile(path: string): EnrollLogEntry[] {
  if (!existsSync(path)) return [];
  return parseEnrollLog(readFileSync(path, 'utf8'), path);
}

/** Appends are synced to disk before the IAM call they announce, so a crash never loses an intent line. */
export function enrollLogFile(path: string): EnrollLogWriter {
  const target = resolve(path);
  return {
    append(entry: EnrollLogEntry): void {
      mkdirSync(dirname(target), { recursive: true });
      const descriptor = openSync(target, 'a', 0o600);
      try {
        writeSync(descriptor, `${JSON.stringify(entry)}\n`);
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
    },
  };
}
