// No silent flags: every declared rule refuses its flag in one line (exit 2), and never fires on a default or env value.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';
import { flagRulesOf, type FlagCondition } from '../../src/cli/flag-rules.js';
import { runCli } from './run-cli.js';

/** Should a rule fail to fire, an AWS command fails fast here (exit 3) instead of reaching a real account. */
const OFFLINE_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_PROFILE: undefined };
const SAMPLE = 'examples/sample-account';

/** [args, the refusal's one line (a fragment of it)]: one row per rule at least (checked below). */
const REFUSED: readonly (readonly [readonly string[], string])[] = [
  [['audit', '--json', '--format', 'csv', '--sample'], '--json contradicts --format csv: --json is --format json; give one of them'],
  [['audit', '--json', '-f', 'table', '--sample'], '--json contradicts --format table'],
  [['audit', '--sample', '--profile', 'work'], '--profile work has no effect with --sample: the audit reads files and calls no AWS'],
  [['audit', '--sample', '--region', 'eu-west-1'], '--region eu-west-1 has no effect with --format table (the default): the audit reads files'],
  [['audit', '--sample', '--profile', 'work', '--format', 'asff'], '--profile work has no effect with --sample'],
  [['audit', '--sample', '--concurrency', '4'], '--concurrency 4 has no effect with --sample'],
  [['audit', '--from', SAMPLE, '--profile', 'work'], `--profile work has no effect with --from ${SAMPLE}`],
  [['audit', '--from', SAMPLE, '--region', 'eu-west-1'], '--region eu-west-1 has no effect with --format table (the default): the audit reads files'],
  [['audit', '--from', SAMPLE, '--concurrency', '2'], `--concurrency 2 has no effect with --from ${SAMPLE}`],
  [['audit', '--role-name', 'Audit'], '--role-name Audit has no effect without --org: it chooses the accounts of an organization audit; add --org'],
  [['audit', '--external-id', 'x'], '--external-id x has no effect without --org'],
  [['audit', '--accounts', '111111111111'], '--accounts 111111111111 has no effect without --org'],
  [['audit', '--ou', 'ou-ab12-34cd56ef'], '--ou ou-ab12-34cd56ef has no effect without --org'],
  [['audit', '--account-timeout', '60'], '--account-timeout 60 has no effect without --org'],
  [['template', '--format', 'scp', '--group-name', 'Foo'], '--group-name Foo has no effect with --format scp: the policy and scp formats are bare documents'],
  [['template', '--format', 'policy', '--policy-name', 'P'], '--policy-name P has no effect with --format policy'],
  [['template', '--format', 'scp', '--self-service', 'access-keys'], '--self-service access-keys has no effect with --format scp: an SCP only denies'],
  [['template', '--auto-enroll-exempt', 'breakglass'], '--auto-enroll-exempt breakglass has no effect without --auto-enroll'],
  [['template', '--auto-enroll-exempt-path', '/service/'], '--auto-enroll-exempt-path /service/ has no effect without --auto-enroll'],
  [['template', '--auto-enroll', '--format', 'terraform'], '--auto-enroll has no effect with --format terraform: automatic enrollment exists in the cloudformation formats'],
  [['deploy', '--auto-enroll-exempt', 'breakglass', '--yes'], '--auto-enroll-exempt breakglass has no effect without --auto-enroll'],
  [['deploy', '--auto-enroll-exempt-path', '/service/', '--yes'], '--auto-enroll-exempt-path /service/ has no effect without --auto-enroll'],
  [['deploy', '--ou', 'ou-ab12-34cd56ef', '--yes'], '--ou ou-ab12-34cd56ef has no effect without --org: it configures the stack set of --org'],
  [['deploy', '--regions', 'eu-west-1', '--yes'], '--regions eu-west-1 has no effect without --org'],
  [['deploy', '--stack-set-name', 'x', '--yes'], '--stack-set-name x has no effect without --org'],
  [['deploy', '--call-as', 'DELEGATED_ADMIN', '--yes'], '--call-as DELEGATED_ADMIN has no effect without --org'],
  [['deploy', '--failure-tolerance', '1', '--yes'], '--failure-tolerance 1 has no effect without --org'],
  [['deploy', '--failure-tolerance-percent', '5', '--yes'], '--failure-tolerance-percent 5 has no effect without --org'],
  [['deploy', '--max-concurrent', '2', '--yes'], '--max-concurrent 2 has no effect without --org'],
  [['deploy', '--max-concurrent-percent', '50', '--yes'], '--max-concurrent-percent 50 has no effect without --org'],
  [['deploy', '--org', '--stack-name', 'mine', '--yes'], '--stack-name mine has no effect with --org: with --org the guard is the stack set --stack-set-name'],
  [['destroy', '--log', 'x.jsonl', '--yes'], '--log x.jsonl has no effect without --remove-members: only removals are logged'],
  [['destroy', '--org', '--remove-members', '--yes'], '--remove-members has no effect with --org'],
  [['destroy', '--org', '--remove-members', '--log', 'x.jsonl', '--yes'], '--remove-members has no effect with --org'],
  [['destroy', '--ou', 'ou-ab12-34cd56ef', '--yes'], '--ou ou-ab12-34cd56ef has no effect without --org'],
  [['destroy', '--regions', 'eu-west-1', '--yes'], '--regions eu-west-1 has no effect without --org'],
  [['destroy', '--stack-set-name', 'x', '--yes'], '--stack-set-name x has no effect without --org'],
  [['destroy', '--call-as', 'DELEGATED_ADMIN', '--yes'], '--call-as DELEGATED_ADMIN has no effect without --org'],
  [['destroy', '--failure-tolerance', '1', '--yes'], '--failure-tolerance 1 has no effect without --org'],
  [['destroy', '--failure-tolerance-percent', '5', '--yes'], '--failure-tolerance-percent 5 has no effect without --org'],
  [['destroy', '--max-concurrent', '2', '--yes'], '--max-concurrent 2 has no effect without --org'],
  [['destroy', '--max-concurrent-percent', '50', '--yes'], '--max-concurrent-percent 50 has no effect without --org'],
  [['destroy', '--org', '--stack-name', 'mine', '--yes'], '--stack-name mine has no effect with --org'],
  [['enroll', '--all', '--force'], '--force has no effect without --apply: the plan always shows what --apply would refuse'],
  [['verify', '--no-full-aws-access'], '--no-full-aws-access has no effect without --scp: it changes how --scp layers are evaluated'],
  [['explain', '--action', 'iam:ListUsers', '--resource', '*', '--no-full-aws-access'], '--no-full-aws-access has no effect without --scp'],
  [['verify', '--group-name', 'Foo'], "--group-name Foo has no effect on verify: the guard's policy is the same whatever its group is called"],
  [['explain', '--action', 'iam:ListUsers', '--resource', '*', '--group-name', 'Foo'], '--group-name Foo has no effect on explain'],
  [['onboard', '--users', 'grace', '--status', 'unprotected'], '--status unprotected has no effect without --from-audit'],
  [['onboard', '--from-audit', 'audit.json', '--users', 'grace', '--status', 'unprotected'], '--status unprotected has no effect with --users grace'],
  [['onboard', '--users', 'grace', '--sign-in-url', 'https://example.signin.aws.amazon.com/console', '--profile', 'work'], '--profile work has no effect with --sign-in-url'],
  [['onboard', '--users', 'grace', '--sign-in-url', 'https://example.signin.aws.amazon.com/console', '--region', 'eu-west-1'], '--region eu-west-1 has no effect with --sign-in-url'],
  [['session', '--role-session-name', 'ops'], '--role-session-name ops has no effect without --role-arn: it names the session of an assumed role'],
  // One value, given twice with different values, is one of them silently dropped.
  [['audit', '--sample', '--format', 'csv', '--format', 'json'], '--format is given twice (csv, json): give it once'],
  [['template', '-f', 'policy', '--format', 'terraform'], '--format is given twice (policy, terraform): give it once'],
  [['--time-budget', '10', '--time-budget', '20', 'template'], '--time-budget is given twice (10, 20): give it once'],
];

describe('flags that have no effect, or contradict another, are refused', () => {
  it.each(REFUSED)('%j: exit 2, one line', (args, line) => {
    const result = runCli(args, OFFLINE_AWS);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr).toContain(`force-mfa: ${line}`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  });
});

/** Defaults, env-provided values and agreeing repeats never trigger a refusal. */
const ACCEPTED: readonly (readonly [readonly string[], Readonly<Record<string, string | undefined>>])[] = [
  [['audit', '--sample'], { AWS_PROFILE: 'work', AWS_REGION: 'eu-west-1' }],
  [['audit', '--from', SAMPLE, '--format', 'json'], { AWS_PROFILE: 'nosuchprofile' }],
  [['audit', '--sample', '--json'], {}],
  [['audit', '--sample', '--format', 'asff', '--region', 'eu-west-1'], {}],
  [['audit', '--sample', '--json', '--format', 'json'], {}],
  [['audit', '--sample', '--format', 'csv', '--format', 'csv'], {}],
  [['audit', '--sample', '--exempt', 'alice', '--exempt', 'bob'], {}],
  [['template', '--format', 'terraform', '--group-name', 'Foo', '--policy-name', 'P'], {}],
  [['template', '--format', 'policy', '--self-service', 'access-keys'], {}],
  [['template', '--auto-enroll', '--auto-enroll-exempt', 'breakglass', '--format', 'cloudformation-json'], {}],
  [['template', '--format', 'scp'], {}],
];

describe('accepted combinations', () => {
  it.each(ACCEPTED)('%j with %j: exit 0', (args, env) => {
    const result = runCli(args, env);
    expect(result.stderr).not.toMatch(/has no effect|contradicts|given twice/);
    expect(result.status, result.stderr).toBe(0);
  });
});

describe('audit --from --security-hub calls AWS: --region and --profile choose where the export goes', () => {
  it.each([
    [['audit', '--from', SAMPLE, '--security-hub', '--region', 'eu-west-1']],
    [['audit', '--from', SAMPLE, '--security-hub', '--profile', 'work']],
  ])('%j is not refused as a flag without effect', (args) => {
    const dir = mkdtempSync(join(tmpdir(), 'force-mfa-flags-'));
    writeFileSync(join(dir, 'config'), '[profile work]\nregion = eu-west-1\n');
    const result = runCli(args, { ...OFFLINE_AWS, AWS_CONFIG_FILE: join(dir, 'config') });
    expect(result.stderr).not.toMatch(/has no effect|contradicts/);
    // The flags reached the import: it fails at the unreachable endpoint (an AWS failure), not on the flags.
    expect(result.status, result.stderr).toBe(3);
  });
});

function conditionOptions(condition: FlagCondition): string[] {
  if ('never' in condition) return [];
  if ('anyOf' in condition) return condition.anyOf.flatMap(conditionOptions);
  return ['given' in condition ? condition.given : 'absent' in condition ? condition.absent : condition.option];
}

describe('the rule tables', () => {
  const program = new Command('force-mfa');
  registerCommands(program);

  it.each(program.commands.map((command) => [command.name(), command] as const))('%s: every rule names options the command has, and a row above refuses it', (name, command) => {
    const attributes = command.options.map((option) => option.attributeName());
    for (const rule of flagRulesOf(command)) {
      expect(attributes, `${name}: ${rule.flag}`).toContain(rule.flag);
      for (const option of conditionOptions(rule.needs)) expect(attributes, `${name}: ${rule.flag} needs ${option}`).toContain(option);
      const long = command.options.find((option) => option.attributeName() === rule.flag)?.long ?? '';
      expect(
        REFUSED.some(([args, line]) => args[0] === name && line.startsWith(long)),
        `no row refuses ${name} ${long}`,
      ).toBe(true);
    }
  });
});
