/**
 * force-mfa's own output passes its own gate: every format of `template`, with each option and with all of them
 * together (`--auto-enroll` included), passes `lint --fail-on warning`. The options that weaken the guard on purpose
 * are flagged, each by exactly the rule that names its weakness.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { registerLint } from '../../src/cli/commands/lint.js';
import { registerTemplate } from '../../src/cli/commands/template.js';
import type { LintJson } from '../../src/lint/report.js';
import { runInProcess } from '../support/run-command.js';

const folder = mkdtempSync(join(tmpdir(), 'force-mfa-template-gate-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

const FORMATS = [
  ['cloudformation', 'yaml'],
  ['cloudformation-json', 'json'],
  ['terraform', 'tf.json'],
  ['policy', 'json'],
  ['scp', 'json'],
] as const;
type Format = (typeof FORMATS)[number][0];
const CLOUDFORMATION: readonly Format[] = ['cloudformation', 'cloudformation-json'];

const ALL_SELF_SERVICE = ['--self-service', 'access-keys,ssh-keys,git-credentials,signing-certificates'];
/** Options that keep the guard whole: with any of them, alone or together, nothing may be reported. */
const KEEPING: readonly (readonly string[])[] = [
  [],
  ['--partition', 'aws-cn'],
  ['--partition', 'aws-us-gov'],
  ['--group-name', 'RequireMfa', '--policy-name', 'RequireMfaPolicy'],
  ['--self-service', 'access-keys'],
  ['--self-service', 'ssh-keys'],
  ['--self-service', 'git-credentials'],
  ['--self-service', 'signing-certificates'],
  ALL_SELF_SERVICE,
  ['--key-enrollment-exempt-user', 'ci-*,deploy-?'],
  ['--partition', 'aws-us-gov', '--group-name', 'RequireMfa', '--policy-name', 'RequireMfaPolicy', ...ALL_SELF_SERVICE, '--key-enrollment-exempt-user', 'ci-*'],
];
const AUTO_ENROLL: readonly (readonly string[])[] = [
  ['--auto-enroll'],
  ['--auto-enroll', '--auto-enroll-exempt', 'break-glass,ci-deployer', '--auto-enroll-exempt-path', '/service/'],
  ['--auto-enroll', '--auto-enroll-exempt', 'break-glass', '--partition', 'aws-cn', '--group-name', 'RequireMfa', ...ALL_SELF_SERVICE, '--key-enrollment-exempt-user', 'ci-*'],
];
/** Options that weaken the guard on purpose, and the rules (with severities) that must say so. */
const WEAKENING: readonly { args: readonly string[]; expected: readonly string[]; formats?: readonly Format[] }[] = [
  { args: ['--no-password-change-without-mfa'], expected: ['FMFA010 warning'] },
  { args: ['--allow-key-enrollment'], expected: ['FMFA005 warning'] },
  { args: ['--exempt-action', 'iam:ListUsers'], expected: ['FMFA017 warning'] },
  { args: ['--exempt-action', 'ec2:*'], expected: ['FMFA017 error'] },
  // The 2022 blog policy as it was, for comparison; it has no SCP form.
  { args: ['--guard', 'seed'], expected: ['FMFA002 warning', 'FMFA004 warning', 'FMFA005 warning', 'FMFA011 info'], formats: ['cloudformation', 'cloudformation-json', 'terraform', 'policy'] },
];

let counter = 0;
async function render(format: Format, extension: string, args: readonly string[]): Promise<string> {
  const file = join(folder, `guard-${(counter += 1)}.${extension}`);
  const rendered = await runInProcess([registerTemplate], ['template', '--format', format, ...args, '--output', file], { reportErrors: true });
  expect(rendered.exitCode ?? 0, rendered.stderr).toBe(0);
  return file;
}

async function lintReport(file: string): Promise<{ exitCode: number; findings: string[] }> {
  const run = await runInProcess([registerLint], ['lint', file, '--fail-on', 'warning', '--format', 'json'], { reportErrors: true });
  const report = JSON.parse(run.stdout) as LintJson;
  expect(report.files.every((entry) => entry.policies > 0)).toBe(true);
  return { exitCode: run.exitCode ?? 0, findings: [...new Set(report.findings.map((finding) => `${finding.ruleId} ${finding.severity}`))].sort() };
}

/** The flags a format has no use for are refused by template (test/cli/flag-rules.test.ts), so they are left out here. */
const UNUSED_BY_FORMAT: Readonly<Partial<Record<Format, readonly string[]>>> = {
  policy: ['--group-name', '--policy-name'],
  scp: ['--group-name', '--policy-name', '--self-service'],
};
function usedBy(format: Format, args: readonly string[]): readonly string[] {
  const unused = UNUSED_BY_FORMAT[format] ?? [];
  return args.filter((arg, index) => !unused.includes(arg) && !unused.includes(args[index - 1] ?? ''));
}

describe('`force-mfa template` output under `force-mfa lint --fail-on warning`', () => {
  const cases = FORMATS.flatMap(([format, extension]) => [
    ...[...new Set(KEEPING.map((args) => JSON.stringify(usedBy(format, args))))].map((args) => [format, extension, JSON.parse(args) as string[]] as const),
    ...(CLOUDFORMATION.includes(format) ? AUTO_ENROLL.map((args) => [format, extension, args] as const) : []),
  ]);

  it.each(cases)('--format %s %s %j passes', async (format, extension, args) => {
    const file = await render(format, extension, args);
    expect(await lintReport(file)).toEqual({ exitCode: 0, findings: [] });
  });

  const weakened = FORMATS.flatMap(([format, extension]) =>
    WEAKENING.filter((entry) => entry.formats === undefined || entry.formats.includes(format)).map((entry) => [format, extension, entry.args, entry.expected] as const),
  );

  it.each(weakened)('--format %s %s %j is flagged by exactly the rule of its weakness', async (format, extension, args, expected) => {
    const file = await render(format, extension, args);
    expect(await lintReport(file)).toEqual({ exitCode: 1, findings: [...expected].sort() });
  });
});
