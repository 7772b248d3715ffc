/** `force-mfa lint` end to end in-process: output, JSON shape, --fail-on and exit codes 0, 1 and 2. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerLint } from '../../src/cli/commands/lint.js';
import { registerTemplate } from '../../src/cli/commands/template.js';
import type { LintJson } from '../../src/lint/report.js';
import { runInProcess } from '../support/run-command.js';
import { FIXTURES } from './helpers.js';

const SEED = '/work/shared/seeds/seed-policy.json';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(...args: string[]): Promise<Run> {
  const { stdout, stderr, exitCode } = await runInProcess([registerLint], ['lint', ...args], { reportErrors: true });
  return { code: exitCode ?? 0, stdout, stderr };
}

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'force-mfa-lint-'));
});
afterEach(() => {
  process.exitCode = undefined;
});

describe('force-mfa lint', () => {
  it('prints each finding with file, policy, statement, rule, severity and fix, and exits 1 on warnings', async () => {
    const result = await run(SEED);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${SEED}:PolicyDocument Statement[3] (ManageMfaDevice0010): FMFA002 warning: allows iam:CreateVirtualMFADevice only on`);
    expect(result.stdout).toContain(`${SEED}:PolicyDocument Statement[0] (DenyAllExcept0010): FMFA011 info:`);
    expect(result.stdout).toMatch(/\n {4}fix: Allow `iam:CreateVirtualMFADevice` on `arn:aws:iam::\*:mfa\/\*`/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 file, 1 policy: 0 errors, 3 warnings, 1 info');
  });

  it.each([
    ['error', 0],
    ['warning', 1],
    ['info', 1],
    ['never', 0],
  ] as const)('--fail-on %s on the seed exits %i', async (level, code) => {
    expect((await run(SEED, '--fail-on', level)).code).toBe(code);
  });

  it('exits 0 on a clean file and says so', async () => {
    const result = await run(`${FIXTURES}rules/base-guard.json`);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('1 file, 1 policy: no findings');
  });

  it('--guard recommended lints the built-in guard clean; --guard seed does not pass', async () => {
    expect((await run('--guard', 'recommended')).code).toBe(0);
    const seed = await run('--guard', 'seed');
    expect(seed.code).toBe(1);
    expect(seed.stdout).toContain('(guard seed):PolicyDocument Statement[0] (DenyAllExcept0010): FMFA004 warning');
  });

  it('a CloudFormation template without any IAM group or policy exits 1 at the default --fail-on (FMFA016)', async () => {
    const template = write('bucket.yaml', 'Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n');
    const result = await run(template);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${template}: FMFA016 error: the CloudFormation template has no IAM group, user, role or policy`);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 file, 0 policies: 1 error, 0 warnings, 0 info');
  });

  it('`template --exempt-action ec2:* --format policy` linted exits 1, naming ec2 and the number of actions opened (FMFA017)', async () => {
    const target = join(folder, 'g.json');
    const rendered = await runInProcess([registerTemplate], ['template', '--exempt-action', 'ec2:*', '--format', 'policy', '--output', target], { reportErrors: true });
    expect(rendered.exitCode ?? 0).toBe(0);
    const result = await run(target);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/g\.json:policy Statement\[0\] \(\w+\): FMFA017 error: without MFA, (\d+) actions beyond MFA setup are usable .*: ec2 \1 of \1 \(the whole service\)/);
  });

  it('--format json prints the documented shape', async () => {
    const result = await run(SEED, `${FIXTURES}inputs/seed-template.yaml`, '--format', 'json', '--fail-on', 'error');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as LintJson;
    expect(Object.keys(report)).toEqual(['version', 'failOn', 'failed', 'summary', 'files', 'findings']);
    expect(report).toMatchObject({ version: 1, failOn: 'error', failed: false, summary: { error: 0, warning: 6, info: 2 } });
    expect(report.files).toEqual([
      { file: SEED, format: 'policy', policies: 1 },
      { file: `${FIXTURES}inputs/seed-template.yaml`, format: 'cloudformation', policies: 1 },
    ]);
    expect(report.findings.find((finding) => finding.ruleId === 'FMFA002' && finding.file.endsWith('.yaml'))).toEqual({
      ruleId: 'FMFA002',
      ruleName: 'device-name-scoped-to-user-name',
      severity: 'warning',
      file: `${FIXTURES}inputs/seed-template.yaml`,
      location: 'Resources.ForceMfaAccess.Policies[0]',
      policyName: 'ForceMfaAccess',
      statementIndex: 3,
      sid: 'ManageMfaDevice0010',
      message: expect.stringContaining('arn:aws:iam::*:mfa/${aws:username}') as string,
      fix: expect.stringContaining('mfa/*') as string,
    });
  });

  it('--output writes the report to a file', async () => {
    const target = join(folder, 'report.json');
    const result = await run(SEED, '--format', 'json', '--output', target);
    expect(result.stdout).toBe('');
    expect((JSON.parse(readFileSync(target, 'utf8')) as LintJson).summary.warning).toBe(3);
  });

  it.each([
    ['a missing file', () => join(folder, 'missing.json'), /cannot read .*missing\.json \(no such file\)/],
    ['invalid JSON', () => write('broken.json', '{"Version": '), /broken\.json is not valid JSON/],
    ['invalid YAML', () => write('broken.yaml', 'Resources:\n  A: [\n'), /broken\.yaml is not valid YAML \(.* at line \d+, column \d+\)/],
    ['a file that is no policy', () => write('package.json', '{"name": "x"}'), /package\.json is neither an IAM policy document/],
  ])('exits 2 with one line for %s', async (_name, file, message) => {
    const result = await run(SEED, file());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 when given nothing to lint', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing to lint');
  });
});

function write(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}
