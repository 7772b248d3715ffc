// The enrollment log on disk: a log that cannot be read or written is an environment error (exit 3), not a bug.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isForceMfaError } from '../../src/errors.js';
import type { EnrollLogEntry } from '../../src/rollout/enroll-log.js';
import { enrollLogFile, readEnrollLogFile } from '../../src/rollout/log-file.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'force-mfa-log-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const INTENT: EnrollLogEntry = { version: 1, time: '2026-01-01T00:00:00Z', runId: 'run-1', groupName: 'ForceMfaAccess', userName: 'alice', action: 'add', phase: 'intent' };

const anEnvironmentError = (code: string) => (error: unknown) => isForceMfaError(error) && error.exitCode === 3 && error.code === code && !error.message.includes('\n');

describe('the enrollment log file', () => {
  it('cannot be read when the path is a folder', () => {
    const path = join(folder, 'log.jsonl');
    mkdirSync(path);
    expect(() => readEnrollLogFile(path)).toThrow(expect.toSatisfy(anEnvironmentError('enroll-log-unreadable')));
  });

  it('refuses a log over 32 MiB by its size, as the wrong file (exit 2), before reading it', () => {
    const path = join(folder, 'log.jsonl');
    writeFileSync(path, `${JSON.stringify(INTENT)}\n`);
    truncateSync(path, 40 * 1024 * 1024);
    expect(() => readEnrollLogFile(path)).toThrow(
      expect.toSatisfy((error: unknown) => isForceMfaError(error) && error.exitCode === 2 && error.code === 'file-too-large' && /41,943,040 bytes/.test(error.message)),
    );
  });

  it.each([
    ['a folder', (path: string) => mkdirSync(path), 'log.jsonl'],
    ['under a file', (path: string) => writeFileSync(path, 'not a folder'), 'plain/log.jsonl'],
  ])('cannot be written when the path is %s', (_, prepare, name) => {
    prepare(join(folder, name.split('/')[0] as string));
    const writer = enrollLogFile(join(folder, name));
    expect(() => writer.append(INTENT)).toThrow(
      expect.toSatisfy(anEnvironmentError('enroll-log-unwritable')),
    );
  });
});
