import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerAudit, sampleAccountPath } from '../../src/cli/commands/audit.js';
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

  describe('a --from folder without a credential report', () => {
    const noReport = join(folder, 'no-report');
    beforeEach(() => {
      rmSync(noReport, { recursive: true, force: true });
      cpSync(sampleAccountPath(), noReport, { recursive: true });
      rmSync(join(noReport, 'credential-report.json'));
    });
    const refusal = async (...args: string[]) => {
      const error = await run(...args).catch((caught: unknown) => caught);
      if (!isForceMfaError(error)) throw new Error(`expected a force-mfa error, got ${String(error)}`);
      expect(error.message).not.toMatch(/\n/);
      return error;
    };

    it('is exit 2, one line, with the exact commands that write the report and the flag that leaves it out', async () => {
      const error = await refusal('--from', noReport);
      const path = join(noReport, 'credential-report.json');
      expect(error).toMatchObject({ code: 'credential-report-missing', exitCode: 2 });
      expect(error.message).toContain('`aws iam generate-credential-report`');
      expect(error.message).toContain(`\`aws iam get-credential-report --output json > ${path}\``);
      expect(error.message).toMatch(/add --no-credential-report$/);
      expect(stdout.join('')).toBe('');
    });

    it('with --no-credential-report, audits and says the report was left out, with the command per user', async () => {
      await run('--from', noReport, '--no-credential-report', '--json');
      const report = JSON.parse(stdout.join('')) as {
        findings: { code: string; message: string }[];
        users: { userName: string; status: string; nextStep: { code: string; message: string } }[];
      };
      expect(report.findings.find((finding) => finding.code === 'credential-report-omitted')?.message).toMatch(/^No credential report was read \(left out on purpose\)/);
      const peggy = report.users.find((user) => user.userName === 'peggy');
      expect(peggy).toMatchObject({ status: 'unknown', nextStep: { code: 'write-credential-report' } });
      expect(peggy?.nextStep.message).toContain(`aws iam get-credential-report --output json > ${join(noReport, 'credential-report.json')}`);
      expect(process.exitCode).toBeUndefined();
      stdout.length = 0;
      await run('--from', noReport, '--no-credential-report', '--lang', 'ja');
      expect(stdout.join('')).toContain('認証情報レポートは読み込んでいません (意図的に省かれました)');
    });

    it('--no-credential-report is refused where there is a report, and outside --from', async () => {
      const present = await refusal('--from', sampleAccountPath(), '--no-credential-report');
      expect(present).toMatchObject({ code: 'credential-report-not-omitted', exitCode: 2 });
      expect(present.message).toMatch(/^--no-credential-report: .*credential-report\.json exists/);
      for (const args of [['--sample', '--no-credential-report'], ['--no-credential-report']]) {
        expect(await refusal(...args)).toMatchObject({ code: 'audit-no-credential-report', exitCode: 2 });
      }
    });
  });

  it('documents the export commands in --help', async () => {
    await run('--help').catch(() => undefined);
    const help = stdout.join('');
    expect(help).toContain('--no-credential-report');
    expect(help).toContain('never from file times');
    expect(help).toContain('aws iam get-account-authorization-details --output json > DIR/authorization-details.json');
    expect(help).toContain('aws iam get-credential-report --output json > DIR/credential-report.json');
  });
});
