import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerAudit } from '../../src/cli/commands/audit.js';
import { isForceMfaError } from '../../src/errors.js';
import { captureStreams } from '../support/capture-output.js';
import { buildProgram } from '../support/run-command.js';

let stdout: string[] = [];
let stderr: string[] = [];
const folder = mkdtempSync(join(tmpdir(), 'force-mfa-audit-cli-'));

beforeEach(() => {
  ({ stdout, stderr } = captureStreams());
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(...args: string[]): Promise<void> {
  await buildProgram([registerAudit]).parseAsync(['node', 'force-mfa', 'audit', ...args]);
}

describe('force-mfa audit', () => {
  it('--sample --format json prints the documented report', async () => {
    await run('--sample', '--format', 'json');
    const report = JSON.parse(stdout.join('')) as { users: { userName: string; status: string }[]; summary: { users: number } };
    expect(report.summary.users).toBe(30);
    expect(report.users.find((user) => user.userName === 'peggy')?.status).toBe('unprotected');
    expect(process.exitCode).toBeUndefined();
  });

  it('--json is --format json; --exempt makes users exempt', async () => {
    await run('--sample', '--json', '--exempt', 'peggy,rupert', '--exempt', 'trent');
    const report = JSON.parse(stdout.join('')) as { users: { userName: string; status: string }[] };
    expect(report.users.filter((user) => ['peggy', 'rupert', 'trent'].includes(user.userName)).map((user) => user.status)).toEqual(['exempt', 'exempt', 'exempt']);
  });

  it('exits 1 when a --fail-on status is present, 0 otherwise', async () => {
    await run('--sample', '--fail-on', 'unprotected,unknown');
    expect(process.exitCode).toBe(1);
    expect(stderr.join('')).toMatch(/4 unprotected, 2 unknown/);
    process.exitCode = undefined;
    await run('--sample', '--fail-on', 'unprotected', '--exempt', 'peggy,rupert,sybil,trent');
    expect(process.exitCode).toBeUndefined();
  });

  it('writes HTML in Japanese to --output', async () => {
    const file = join(folder, 'audit.html');
    await run('--sample', '--format', 'html', '--lang', 'ja', '--output', file);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('未保護');
    expect(stdout.join('')).toBe('');
  });

  it('refuses an unknown --fail-on status with an input error', async () => {
    const error = await run('--sample', '--fail-on', 'unsafe').catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
  });

  it('--allow-without-mfa takes comma lists, records them in the report, and refuses what is no action', async () => {
    await run('--sample', '--json', '--allow-without-mfa', 'dynamodb:Describe*,dynamodb:List*', '--allow-without-mfa', 'sts:GetCallerIdentity');
    const report = JSON.parse(stdout.join('')) as { options: { allowWithoutMfa: string[] } };
    expect(report.options.allowWithoutMfa).toEqual(['dynamodb:Describe*', 'dynamodb:List*', 'sts:GetCallerIdentity']);
    const error = await run('--sample', '--allow-without-mfa', '*').catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
  });

  it('refuses --from together with --sample', async () => {
    const error = await run('--sample', '--from', '.').catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBe('commander.conflictingOption');
  });

  it('documents the export commands in --help', async () => {
    await run('--help').catch(() => undefined);
    const help = stdout.join('');
    expect(help).toContain('aws iam get-account-authorization-details --output json > DIR/authorization-details.json');
    expect(help).toContain('aws iam get-credential-report --output json > DIR/credential-report.json');
  });
});
