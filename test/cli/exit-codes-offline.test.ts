// Every code an offline command can give, from the built CLI: [command line, expected code, a fragment of its output].
// AWS-calling commands' codes 2 and 3 are checked against moto in test/e2e/exit-codes.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES_BY_COMMAND } from '../../src/cli/exit-codes.js';
import { runCli } from './run-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'force-mfa-exit-codes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};
const SEED = 'test/fixtures/seed-policy.json';
const NOT_JSON = file('broken.json', '{ "Version": "2012-10-17", ');
const WRONG_EXPECTATION = file('expect.json', JSON.stringify({ contexts: { 'console-no-mfa': { allowed: ['iam:GetAccountPasswordPolicy'] } } }));
const CLEAN_POLICY = file('clean.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }] }));

interface Row {
  readonly args: readonly string[];
  readonly code: 0 | 1 | 2 | 3;
  /** Found in stderr for a failure line, else in stdout. */
  readonly fragment: string;
  readonly stream?: 'stdout' | 'stderr';
}

const ROWS: readonly Row[] = [
  { args: ['template'], code: 0, fragment: 'AWS::IAM::Group', stream: 'stdout' },
  { args: ['template', '--format', 'scp', '--group-name', 'Foo'], code: 2, fragment: '--group-name Foo has no effect with --format scp' },
  { args: ['template', '--exempt-action', 's3:GetObjekt'], code: 2, fragment: "--exempt-action 's3:GetObjekt' is not an action of s3 (did you mean s3:GetObject?)" },
  { args: ['template', '--output', '/proc/force-mfa-exit-codes.yaml'], code: 3, fragment: 'cannot write /proc/force-mfa-exit-codes.yaml' },
  { args: ['verify'], code: 0, fragment: 'Console session without MFA', stream: 'stdout' },
  { args: ['verify', '--expect', WRONG_EXPECTATION], code: 1, fragment: 'iam:', stream: 'stdout' },
  { args: ['verify', '--policy', NOT_JSON], code: 2, fragment: 'broken.json' },
  { args: ['verify', '--exempt-action', 's4:GetObject'], code: 2, fragment: "there is no AWS service 's4' (did you mean s3:GetObject?)" },
  { args: ['explain', '--action', 'iam:EnableMFADevice', '--resource', 'arn:aws:iam::111122223333:user/bob'], code: 0, fragment: 'iam:EnableMFADevice', stream: 'stdout' },
  { args: ['explain', '--action', 'iam:EnableMfaDevic', '--resource', '*'], code: 2, fragment: "--action 'iam:EnableMfaDevic' is not an action of iam (did you mean iam:EnableMFADevice?)" },
  { args: ['explain', '--action', 'iam:Enable*', '--resource', '*'], code: 2, fragment: "--action 'iam:Enable*' is a pattern, but a request names one action" },
  { args: ['lint', '--guard', 'recommended'], code: 0, fragment: 'no findings', stream: 'stdout' },
  { args: ['lint', CLEAN_POLICY], code: 1, fragment: 'FMFA008 error', stream: 'stdout' },
  { args: ['lint', SEED], code: 1, fragment: 'FMFA', stream: 'stdout' },
  { args: ['lint'], code: 2, fragment: 'nothing to lint' },
  { args: ['lint', NOT_JSON], code: 2, fragment: 'broken.json' },
  { args: ['audit', '--sample'], code: 0, fragment: 'protected', stream: 'stdout' },
  { args: ['audit', '--sample', '--fail-on', 'unprotected'], code: 1, fragment: '(--fail-on unprotected)' },
  { args: ['audit', '--json', '--format', 'csv', '--sample'], code: 2, fragment: '--json contradicts --format csv' },
  { args: ['audit', '--from', join(folder, 'no-such-export')], code: 2, fragment: 'no-such-export' },
  { args: ['audit', '--sample', '--allow-without-mfa', 'dynamodb:Describe'], code: 2, fragment: "is not an action of dynamodb (did you mean dynamodb:DescribeTable?)" },
  { args: ['audit', '--sample', '--fail-on', 'nobody'], code: 2, fragment: "--fail-on: unknown status 'nobody'" },
  // Offline refusals of AWS commands, before any call.
  { args: ['enroll', '--all', '--force'], code: 2, fragment: '--force has no effect without --apply' },
  { args: ['enroll'], code: 2, fragment: 'choose the users with exactly one of --all' },
  { args: ['unenroll', '--log', join(folder, 'absent.jsonl')], code: 2, fragment: 'does not exist' },
  { args: ['onboard'], code: 2, fragment: 'choose the users with --from-audit FILE' },
  { args: ['deploy', '--auto-enroll-exempt', 'x'], code: 2, fragment: '--auto-enroll-exempt x has no effect without --auto-enroll' },
  { args: ['destroy', '--log', 'x.jsonl'], code: 2, fragment: '--log x.jsonl has no effect without --remove-members' },
  { args: ['session', '--role-session-name', 'ops'], code: 2, fragment: '--role-session-name ops has no effect without --role-arn' },
  { args: ['doctor', '--nope'], code: 2, fragment: "unknown option '--nope'" },
];

/** Should a refusal fail to fire, an AWS command fails fast (exit 3) instead of reaching a real account. */
const ENV = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_PROFILE: undefined };

describe('exit codes of offline runs', () => {
  it.each(ROWS.map((row) => [row.args.join(' '), row] as const))('%s', (_name, row) => {
    const result = runCli(row.args, ENV);
    expect(result.status, result.stderr).toBe(row.code);
    if (row.code === 2 || row.code === 3) {
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(/^force-mfa: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(row.stream === 'stdout' ? result.stdout : result.stderr).toContain(row.fragment);
  });

  it('each code a row gives is one the table declares for that command', () => {
    for (const row of ROWS) {
      const command = row.args[0] ?? '';
      expect(Object.keys(EXIT_CODES_BY_COMMAND[command] ?? {}), `${row.args.join(' ')}`).toContain(String(row.code));
    }
  });
});
