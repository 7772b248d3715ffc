// The exit codes of the commands that call AWS, against moto: 0 and 1 where moto can show them, 2 for what the user
// gave that is wrong or missing in the account, 3 for an AWS endpoint that refuses connections. One row each, in order.
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES_BY_COMMAND } from '../../src/cli/exit-codes.js';
import { awsClients } from './support/aws.js';
import { makeHome, runCli, scratchPath, type CliOptions } from './support/cli.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

/** Nothing listens on port 9 (discard): every call is refused at once. */
const REFUSED = 'http://127.0.0.1:9';
const LOG = scratchPath('enroll.jsonl');

interface Row {
  readonly name: string;
  readonly args: readonly string[];
  readonly options?: CliOptions;
  readonly code: 0 | 1 | 2 | 3;
  /** In the one `force-mfa:` line for codes 2 and 3 (and 1 where the command writes one), else in stdout. */
  readonly fragment: string;
  readonly stream?: 'stdout' | 'stderr';
  /** Changes the account before the row runs. */
  readonly before?: () => Promise<void>;
}

/** An administrator with MFA outside the guard group: enroll --apply then leaves one who can act. */
async function seedBreakGlass(): Promise<void> {
  await seedUser(awsClients().iam, seedForStatus('enrolled-not-enforced', 'breakglass'));
}

const SESSION_HOME = (): CliOptions => ({
  home: makeHome({ credentials: '[work]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' }),
});

const ROWS: readonly Row[] = [
  { name: 'audit: done', args: ['audit', '--format', 'json'], code: 0, fragment: '"userName": "alice"', stream: 'stdout' },
  { name: 'audit: a --fail-on status', args: ['audit', '--fail-on', 'unprotected'], code: 1, fragment: '1 unprotected (--fail-on unprotected)', stream: 'stderr' },
  { name: 'audit: a --profile that does not exist', args: ['audit', '--profile', 'nosuch'], code: 2, fragment: '--profile nosuch: no such profile in' },
  { name: 'audit: AWS unreachable', args: ['audit'], options: { endpoint: REFUSED }, code: 3, fragment: 'could not reach AWS' },
  { name: 'enroll: the plan shows --apply would refuse', args: ['enroll', '--users', 'bob'], code: 1, fragment: '--apply would refuse', stream: 'stdout' },
  { name: 'enroll: the plan', args: ['enroll', '--users', 'bob'], before: seedBreakGlass, code: 0, fragment: 'Run again with --apply to add 1 user(s)', stream: 'stdout' },
  { name: 'enroll: a --group that does not exist', args: ['enroll', '--all', '--group', 'NoSuchGroup'], code: 2, fragment: 'IAM group NoSuchGroup does not exist in this account: check --group' },
  { name: 'enroll: a user that does not exist', args: ['enroll', '--users', 'nobody'], code: 2, fragment: 'no IAM user named nobody' },
  { name: 'enroll: AWS unreachable', args: ['enroll', '--all'], options: { endpoint: REFUSED }, code: 3, fragment: 'could not reach AWS' },
  { name: 'enroll: applied', args: ['enroll', '--users', 'bob', '--apply', '--log', LOG], code: 0, fragment: 'Added 1 user(s) to ForceMfaAccess', stream: 'stdout' },
  { name: 'unenroll: the plan', args: ['unenroll', '--log', LOG], code: 0, fragment: 'Run again with --apply to remove 1 user(s)', stream: 'stdout' },
  { name: 'unenroll: a --group the log lacks', args: ['unenroll', '--log', LOG, '--group', 'NoSuchGroup'], code: 2, fragment: 'NoSuchGroup' },
  { name: 'unenroll: a log that does not exist', args: ['unenroll', '--log', scratchPath('absent.jsonl')], code: 2, fragment: 'does not exist' },
  { name: 'unenroll: AWS unreachable', args: ['unenroll', '--log', LOG], options: { endpoint: REFUSED }, code: 3, fragment: 'could not reach AWS' },
  { name: 'onboard: done', args: ['onboard', '--users', 'alice', '--lang', 'en'], code: 0, fragment: 'alice', stream: 'stdout' },
  { name: 'onboard: a user that does not exist', args: ['onboard', '--users', 'nobody'], code: 2, fragment: 'IAM user nobody does not exist in this account: check --users' },
  { name: 'onboard: AWS unreachable', args: ['onboard', '--users', 'alice'], options: { endpoint: REFUSED }, code: 3, fragment: 'could not reach AWS' },
  { name: 'verify --group: as rendered', args: ['verify', '--group', 'ForceMfaAccess'], code: 0, fragment: 'ForceMfaAccess: policy as rendered', stream: 'stdout' },
  { name: 'verify --group: a group that does not exist', args: ['verify', '--group', 'NoSuchGroup'], code: 2, fragment: 'IAM group NoSuchGroup does not exist in this account' },
  { name: 'verify --group: AWS unreachable', args: ['verify', '--group', 'ForceMfaAccess'], options: { endpoint: REFUSED }, code: 3, fragment: 'could not reach AWS' },
  { name: 'deploy: no terminal and no --yes', args: ['deploy'], code: 2, fragment: 'no terminal to confirm the change set on: run again with --yes' },
  { name: 'deploy: a --profile that does not exist', args: ['deploy', '--profile', 'nosuch', '--yes'], code: 2, fragment: '--profile nosuch: no such profile' },
  { name: 'deploy: AWS unreachable', args: ['deploy', '--yes'], options: { endpoint: REFUSED }, code: 3, fragment: 'could not reach AWS' },
  { name: 'destroy: no stack to delete', args: ['destroy', '--yes'], code: 0, fragment: 'Stack force-mfa does not exist in us-east-1: nothing to delete.', stream: 'stdout' },
  { name: 'destroy: no terminal and no --yes', args: ['destroy'], code: 2, fragment: 'no terminal to confirm the deletion on: run again with --yes' },
  { name: 'destroy: AWS unreachable', args: ['destroy', '--yes'], options: { endpoint: REFUSED }, code: 3, fragment: 'could not reach AWS' },
  { name: 'session: a --profile that does not exist', args: ['session', '--profile', 'nosuch', '--code', '123456'], code: 2, fragment: "profile 'nosuch' is not in" },
  {
    name: 'session: AWS unreachable',
    args: ['session', '--profile', 'work', '--code', '123456', '--serial', 'arn:aws:iam::123456789012:mfa/alice'],
    options: { ...SESSION_HOME(), endpoint: REFUSED },
    code: 3,
    fragment: '127.0.0.1:9',
  },
  { name: 'doctor: keys without MFA', args: ['doctor'], code: 1, fragment: 'without MFA', stream: 'stdout' },
  { name: 'doctor: AWS unreachable', args: ['doctor'], options: { endpoint: REFUSED }, code: 3, fragment: 'ECONNREFUSED' },
];

beforeAll(async () => {
  const { iam } = awsClients();
  await seedGuardGroup(iam);
  await seedUser(iam, seedForStatus('pending-enrollment', 'alice'));
  await seedUser(iam, seedForStatus('unprotected', 'bob'));
});

describe('exit codes against moto', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    await row.before?.();
    const result = await runCli(['--time-budget', '60', ...row.args], row.options ?? {});
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(row.code);
    const failures = result.stderr.split('\n').filter((line) => line.startsWith('force-mfa: '));
    if (row.code === 2 || row.code === 3) {
      expect(failures, result.stderr).toHaveLength(1);
      expect(failures[0]).toContain(row.fragment);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } else {
      expect(row.stream === 'stderr' ? result.stderr : result.stdout).toContain(row.fragment);
    }
  });

  it('each code a row gives is one the table declares for its command', () => {
    for (const row of ROWS) expect(Object.keys(EXIT_CODES_BY_COMMAND[row.args[0] ?? ''] ?? {}), row.name).toContain(String(row.code));
  });
});
