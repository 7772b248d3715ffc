/**
 * Strict, bounded input: every command that reads a policy, template, export or log refuses a file too large, binary
 * or not strictly JSON with exit 2 and one line, without reading a large file whole.
 */
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { registerAudit } from '../../src/cli/commands/audit.js';
import { registerExplain } from '../../src/cli/commands/explain.js';
import { registerLint } from '../../src/cli/commands/lint.js';
import { registerOnboard } from '../../src/cli/commands/onboard.js';
import { registerVerify } from '../../src/cli/commands/verify.js';
import { parseJsonOrYaml } from '../../src/engine/policy-input.js';
import { isForceMfaError } from '../../src/errors.js';
import { EXPORT_FILE_BOUND, POLICY_FILE_BOUND, readInputText, readOptionalInputText } from '../../src/input-file.js';
import { runInProcess } from '../support/run-command.js';

const folder = mkdtempSync(join(tmpdir(), 'force-mfa-input-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

/** A file of `bytes` bytes that opens like a policy; the rest is a hole (sparse), so the test writes almost nothing. */
function largeFile(name: string, bytes: number): string {
  const path = join(folder, name);
  writeFileSync(path, '{"Version": "2012-10-17", "Statement": [');
  truncateSync(path, bytes);
  return path;
}
const file = (name: string, content: string | Buffer): string => {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
};

const FIFTY_MB = largeFile('huge.json', 50 * 1000 * 1000);
const BINARY = file('binary.json', Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x01, 0x02, 0x7d]));
const TRAILING_COMMA = file('trailing.json', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},]}');

function failure(run: () => unknown): { code: string; exitCode: number; message: string } {
  try {
    run();
  } catch (error) {
    if (isForceMfaError(error)) return { code: error.code, exitCode: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('readInputText', () => {
  it('refuses a file over the bound by its size, before reading it', () => {
    const refused = failure(() => readInputText(FIFTY_MB, POLICY_FILE_BOUND));
    expect(refused).toEqual({ code: 'file-too-large', exitCode: 2, message: expect.stringContaining(`${FIFTY_MB} is 50,000,000 bytes (47.7 MiB), over the 1 MiB`) as string });
  });

  it('takes a file of exactly the bound, and refuses one byte more', () => {
    expect(readInputText(file('exact.json', ' '.repeat(1024 * 1024)), POLICY_FILE_BOUND)).toHaveLength(1024 * 1024);
    expect(failure(() => readInputText(file('over.json', ' '.repeat(1024 * 1024 + 1)), POLICY_FILE_BOUND)).code).toBe('file-too-large');
  });

  it('gives exports a larger bound (128 MiB), refused beyond it', () => {
    expect(EXPORT_FILE_BOUND.maxBytes).toBe(128 * 1024 * 1024);
    expect(failure(() => readInputText(largeFile('export-over.json', 128 * 1024 * 1024 + 1), EXPORT_FILE_BOUND)).code).toBe('file-too-large');
  });

  it.each([
    ['a NUL byte', BINARY],
    ['bytes that are not UTF-8', file('latin1.json', Buffer.from('{"Sid": "caf\xe9"}', 'latin1'))],
  ])('refuses a file with %s as binary', (_case, path) => {
    expect(failure(() => readInputText(path, POLICY_FILE_BOUND)).code).toBe('file-binary');
  });

  it('drops a byte order mark, says undefined for a missing optional file, and refuses a folder', () => {
    expect(readInputText(file('bom.json', '\uFEFF{}'), POLICY_FILE_BOUND)).toBe('{}');
    expect(readOptionalInputText(join(folder, 'absent.json'), POLICY_FILE_BOUND)).toBeUndefined();
    expect(failure(() => readInputText(join(folder, 'absent.json'), POLICY_FILE_BOUND)).code).toBe('file-missing');
    mkdirSync(join(folder, 'a-folder.json'));
    expect(failure(() => readInputText(join(folder, 'a-folder.json'), POLICY_FILE_BOUND)).message).toMatch(/it is a directory/);
  });
});

describe('parseJsonOrYaml', () => {
  it.each([
    ['a .json file with a trailing comma', 'p.json', '{"a": [1,]}', 'file-not-json'],
    ['a .json file written as YAML', 'p.json', 'Version: 2012-10-17', 'file-not-json'],
    ['a .JSON file with a comment', 'P.JSON', '{"a": 1} // note', 'file-not-json'],
    ['text of another extension that opens like JSON', 'p.policy', '{"a": 1,}', 'file-not-json'],
    ['a .yaml file with a duplicate key', 'p.yaml', 'a: 1\na: 2\n', 'file-not-yaml'],
  ])('refuses %s', (_case, name, text, code) => {
    expect(failure(() => parseJsonOrYaml(text, name)).code).toBe(code);
  });

  it.each([
    ['a .json file', 'p.json', '{"a": [1]}'],
    ['a .yaml file', 'p.yaml', 'a: [1]'],
    ['a .yml file holding JSON (YAML reads JSON)', 'p.yml', '{"a": [1]}'],
    ['text of no extension sniffed as YAML', 'policy', 'a:\n  - 1\n'],
  ])('reads %s', (_case, name, text) => {
    expect(parseJsonOrYaml(text, name)).toEqual({ a: [1] });
  });
});

describe('every command that reads a policy, an export or an audit', () => {
  const oneLineExit2 = (result: { exitCode: number | undefined; stderr: string }, pattern: RegExp) => {
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  };
  const exportFolder = join(folder, 'export');
  mkdirSync(exportFolder);
  writeFileSync(join(exportFolder, 'authorization-details.json'), Buffer.from([0x00, 0x01, 0x02]));

  it.each([
    ['verify', [registerVerify], ['verify', '--policy', FIFTY_MB]],
    ['verify --with-policy', [registerVerify], ['verify', '--with-policy', FIFTY_MB]],
    ['verify --scp', [registerVerify], ['verify', '--scp', FIFTY_MB]],
    ['verify --expect', [registerVerify], ['verify', '--expect', FIFTY_MB]],
    ['explain', [registerExplain], ['explain', '--policy', FIFTY_MB, '--action', 'iam:GetUser', '--resource', '*']],
    ['lint', [registerLint], ['lint', FIFTY_MB]],
  ] as const)('%s refuses a 50 MB policy file: exit 2, one line with its size', async (_name, registers, args) => {
    oneLineExit2(await runInProcess(registers, args, { reportErrors: true }), /50,000,000 bytes/);
  });

  it.each([
    ['verify', [registerVerify], ['verify', '--policy', BINARY]],
    ['explain', [registerExplain], ['explain', '--policy', BINARY, '--action', 'iam:GetUser', '--resource', '*']],
    ['lint', [registerLint], ['lint', BINARY]],
    ['audit --from', [registerAudit], ['audit', '--from', exportFolder]],
    ['onboard --from-audit', [registerOnboard], ['onboard', '--from-audit', BINARY, '--sign-in-url', 'https://111122223333.signin.aws.amazon.com/console']],
  ] as const)('%s refuses a binary file: exit 2, one line', async (_name, registers, args) => {
    oneLineExit2(await runInProcess(registers, args, { reportErrors: true }), /is a binary file, not text/);
  });

  it.each([
    ['verify', [registerVerify], ['verify', '--policy', TRAILING_COMMA]],
    ['explain', [registerExplain], ['explain', '--policy', TRAILING_COMMA, '--action', 'iam:GetUser', '--resource', '*']],
    ['lint', [registerLint], ['lint', TRAILING_COMMA]],
  ] as const)('%s refuses a .json file with a trailing comma (IAM does too): exit 2, one line', async (_name, registers, args) => {
    oneLineExit2(await runInProcess(registers, args, { reportErrors: true }), /trailing\.json is not valid JSON/);
  });
});
