// `force-mfa verify` and `force-mfa explain` through commander, with stdout captured.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerExplain } from '../../src/cli/commands/explain.js';
import { registerVerify } from '../../src/cli/commands/verify.js';
import { isForceMfaError } from '../../src/errors.js';
import { runInProcess } from '../support/run-command.js';
import { runCli } from '../cli/run-cli.js';

async function run(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  return runInProcess([registerVerify, registerExplain], args);
}

afterEach(() => {
  process.exitCode = undefined;
});

const folder = mkdtempSync(join(tmpdir(), 'force-mfa-verify-'));
function file(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('force-mfa verify', () => {
  it('prints a readable summary per context, ungated actions apart', async () => {
    const { stdout, exitCode } = await run('verify', '--guard', 'seed');
    expect(exitCode).toBeUndefined();
    expect(stdout).toContain('Console session without MFA (aws:MultiFactorAuthPresent = "false"):\n  8 action(s) allowed:');
    expect(stdout).toMatch(/iam:EnableMFADevice +own resources only/);
    expect(stdout).toMatch(/iam:ListVirtualMFADevices +account level/);
    expect(stdout).toContain('Never gated by IAM policies (always possible, listed apart): sts:GetCallerIdentity, sts:GetSessionToken');
  });

  it('summarises a context where nearly everything is allowed', async () => {
    const { stdout } = await run('verify', '--guard', 'recommended', '--with-policy', 'AdministratorAccess');
    expect(stdout).toMatch(/Session with MFA \(aws:MultiFactorAuthPresent = "true"\):\n  all \d+ gated actions are allowed/);
    expect(stdout).toContain('Long-term access keys alone (aws:MultiFactorAuthPresent absent):\n  3 action(s) allowed:');
  });

  it('prints the documented JSON', async () => {
    const { stdout } = await run('verify', '--guard', 'seed', '--with-policy', 'AdministratorAccess', '--json');
    const report = JSON.parse(stdout) as {
      formatVersion: number;
      policies: string[];
      contexts: Record<string, { allowed: { action: string; ownResourcesOnly: boolean; accountLevel: boolean }[]; counts: Record<string, number> }>;
      ungated: string[];
    };
    expect(report.formatVersion).toBe(1);
    expect(report.policies).toEqual(['ForceMfaAccess', 'AdministratorAccess']);
    expect(Object.keys(report.contexts)).toEqual(['console-no-mfa', 'access-keys', 'mfa']);
    expect(report.contexts['console-no-mfa']?.allowed).toContainEqual({ action: 'iam:EnableMFADevice', ownResourcesOnly: false, accountLevel: false });
    expect(report.contexts['mfa']?.allowed.length).toBe(report.contexts['mfa']?.counts['gatedActions']);
    expect(report.ungated).toEqual(['sts:GetCallerIdentity', 'sts:GetSessionToken']);
  });

  it('is a CI gate with --expect: exit 1 and the differences when the result differs', async () => {
    const expectation = file('expect.json', {
      contexts: {
        'console-no-mfa': {
          allowed: [
            'iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:GetAccountPasswordPolicy', 'iam:GetUser',
            'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice',
            { action: 'iam:EnableMFADevice', ownResourcesOnly: true },
            'iam:GetMFADevice',
          ],
        },
        mfa: { denied: [] },
      },
    });
    const failing = await run('verify', '--guard', 'seed', '--with-policy', 'AdministratorAccess', '--expect', expectation);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain('2 difference(s):');
    expect(failing.stdout).toContain("console-no-mfa: iam:EnableMFADevice is expected on the caller's own resources only but is allowed on other users' resources too");
    expect(failing.stdout).toContain('console-no-mfa: iam:GetMFADevice is expected to be allowed but is not');
    process.exitCode = undefined;
    const passing = await run('verify', '--guard', 'recommended', '--with-policy', 'AdministratorAccess', '--expect', expectation, '--json');
    expect(passing.exitCode).toBeUndefined();
    expect(JSON.parse(passing.stdout).expectation).toEqual({ source: expectation, met: true, differences: [] });
  });

  it('fails the --expect gate when the policies allow more than expected', async () => {
    const expectation = file('expect-less.json', {
      contexts: { 'console-no-mfa': { allowed: ['iam:ChangePassword', 'iam:GetAccountPasswordPolicy'] } },
    });
    const { stdout, exitCode } = await run('verify', '--guard', 'seed', '--expect', expectation, '--json');
    expect(exitCode).toBe(1);
    const differences = (JSON.parse(stdout) as { expectation: { met: boolean; differences: { kind: string; action: string }[] } }).expectation;
    expect(differences.met).toBe(false);
    expect(differences.differences.map((difference) => difference.kind)).toEqual(Array(6).fill('allowed-not-expected'));
    expect(differences.differences.map((difference) => difference.action)).toContain('iam:EnableMFADevice');
  });

  it('accepts a principal of the partition the guard is built for', async () => {
    const { stdout } = await run('verify', '--partition', 'aws-cn', '--principal', 'arn:aws-cn:iam::111122223333:user/alice', '--json');
    const report = JSON.parse(stdout) as { contexts: Record<string, { allowed: { action: string; ownResourcesOnly: boolean }[] }> };
    expect(report.contexts['console-no-mfa']?.allowed).toContainEqual({ action: 'iam:EnableMFADevice', ownResourcesOnly: true, accountLevel: false });
  });

  it('shows no "(default: [])" for repeatable options in help', () => {
    const program = new Command('force-mfa');
    registerVerify(program);
    registerExplain(program);
    for (const command of program.commands) {
      const help = command.helpInformation();
      expect(help, command.name()).toContain('repeatable');
      expect(help, command.name()).not.toContain('(default: [])');
    }
  });

  it('reads --policy and --with-policy files, JSON or YAML, and the seed file shape', async () => {
    const seed = file('seed.json', JSON.stringify({ PolicyName: 'Seed', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}' }] } }));
    const extra = file('extra.yaml', "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: s3:ListAllMyBuckets\n    Resource: '*'\n");
    const { stdout } = await run('verify', '--policy', seed, '--with-policy', extra, '--json');
    const report = JSON.parse(stdout) as { policies: string[]; contexts: Record<string, { allowed: { action: string }[] }> };
    expect(report.policies).toEqual(['Seed', 'extra.yaml']);
    expect(report.contexts['access-keys']?.allowed.map((entry) => entry.action)).toEqual(['iam:GetUser', 's3:ListAllMyBuckets']);
  });

  it('refuses bad input with one line (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['verify', '--with-policy', 'NoSuchPolicy'], /--with-policy NoSuchPolicy: no such file, and not a built-in policy \(AdministratorAccess/],
      [['verify', '--policy', join(folder, 'missing.json')], /cannot read .*missing.json \(no such file\)/],
      [['verify', '--policy', file('p.json', { Version: '2012-10-17', Statement: [] }), '--guard', 'seed'], /--policy replaces the guard/],
      [['verify', '--policy', file('bad.json', { Version: '2012-10-17', Statement: [{ Sid: 'X', Effect: 'Deny', Action: '*', Resource: '*', Condition: { BoolIfExist: { 'aws:MultiFactorAuthPresent': 'false' } } }] })], /policy "bad.json", statement "X" \(#1\): unknown condition operator "BoolIfExist"/],
      [['verify', '--principal', 'alice'], /principal "alice" is not an IAM user or role ARN/],
      // A principal of another partition matches none of the guard's ARNs: everything would look denied.
      [['verify', '--partition', 'aws-cn', '--principal', 'arn:aws:iam::111122223333:user/alice'], /is in partition aws but the guard is built for aws-cn/],
      [['explain', '--action', 'iam:GetUser', '--resource', '*', '--principal', 'arn:aws-us-gov:iam::111122223333:user/alice'], /is in partition aws-us-gov but the guard is built for aws:/],
      [['verify', '--expect', file('e.json', { contexts: { console: { allowed: [] } } })], /unknown context "console"/],
    ];
    for (const [args, message] of cases) {
      const error = await run(...args).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(isForceMfaError(error), args.join(' ')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('force-mfa explain', () => {
  it('shows the decision and why each statement applies or not', async () => {
    const bob = 'arn:aws:iam::111122223333:user/bob';
    const seed = await run('explain', '--guard', 'seed', '--with-policy', 'AdministratorAccess', '--action', 'iam:EnableMFADevice', '--resource', bob);
    expect(seed.stdout).toContain('Decision: ALLOWED');
    expect(seed.stdout).toContain('iam:EnableMFADevice is listed in NotAction');
    const recommended = await run('explain', '--with-policy', 'AdministratorAccess', '--action', 'iam:EnableMFADevice', '--resource', bob);
    expect(recommended.stdout).toContain('Decision: DENIED (explicitly, by a Deny statement)');
    expect(recommended.stdout).toMatch(/DENIES +Deny +ForceMfaAccess \/ DenyMfaSetupOnOtherUsersWithoutMfa/);
    expect(recommended.stdout).toMatch(/holds +BoolIfExists aws:MultiFactorAuthPresent "false" \(request: "false"\)/);
  });

  it('takes the context and extra keys, and prints JSON', async () => {
    const { stdout } = await run(
      'explain', '--context', 'access-keys', '--action', 'iam:CreateVirtualMFADevice', '--resource', 'arn:aws:iam::111122223333:mfa/phone',
      '--context-key', 'aws:SourceIp=203.0.113.7', '--json',
    );
    const result = JSON.parse(stdout) as { decision: string; request: { context: Record<string, string> }; trace: { statement: string; applies: boolean }[] };
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.request.context).toEqual({ 'aws:SourceIp': '203.0.113.7' });
    expect(result.trace.find((entry) => entry.statement === 'DenyMfaDeviceChangesWithAccessKeysOnly')?.applies).toBe(true);
  });

  it('refuses an action that is not in the catalogue, with the nearest one (the built CLI checks action flags)', () => {
    const { status, stderr, stdout } = runCli(['explain', '--action', 'iam:EnableMfaDevices', '--resource', '*']);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^force-mfa: --action 'iam:EnableMfaDevices' is not an action of iam \(did you mean iam:EnableMFADevice\?\)/);
    expect(stdout).toBe('');
  });
});
