import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAudit } from '../../src/cli/commands/audit.js';
import { runInProcess } from '../support/run-command.js';

const SAMPLE = join(import.meta.dirname, '../../examples/sample-account');
const ACCOUNT = '111122223333';
const root = mkdtempSync(join(tmpdir(), 'force-mfa-evidence-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The sample's IAM export (report generated 2025-06-02T09:00Z) with our own CloudTrail file, or none. */
function exportFolder(name: string, cloudTrail?: unknown): string {
  const folder = join(root, name);
  mkdirSync(folder);
  for (const file of ['authorization-details.json', 'credential-report.json']) copyFileSync(join(SAMPLE, file), join(folder, file));
  if (cloudTrail !== undefined) {
    writeFileSync(join(folder, 'cloudtrail-console-logins.json'), typeof cloudTrail === 'string' ? cloudTrail : JSON.stringify(cloudTrail, null, 2));
  }
  return folder;
}

const userId = (name: string): string => ('AIDA' + name.toUpperCase().replace(/[^A-Z0-9]/g, '') + 'Q7W3E5R2T8Y4U6').slice(0, 21);
function lookupEvent(user: string, at: string, mfa: 'Yes' | 'No', outcome: 'Success' | 'Failure' = 'Success', ip = '203.0.113.5'): unknown {
  return {
    EventId: `${user}-${at}`,
    EventName: 'ConsoleLogin',
    ReadOnly: 'false',
    EventTime: at.replace('Z', '+00:00'),
    EventSource: 'signin.amazonaws.com',
    Username: user,
    Resources: [],
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', principalId: userId(user), arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, userName: user },
      eventTime: at,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: ip,
      responseElements: { ConsoleLogin: outcome },
      additionalEventData: { MFAUsed: mfa, MobileVersion: 'No' },
      eventType: 'AwsConsoleSignIn',
    }),
  };
}

const TWO_USERS = {
  Events: [
    lookupEvent('rupert', '2025-05-31T08:00:00Z', 'No', 'Success', '198.51.100.20'),
    lookupEvent('sybil', '2025-05-29T10:30:00Z', 'No', 'Success', '198.51.100.30'),
    lookupEvent('rupert', '2025-05-20T08:00:00Z', 'No', 'Success', '198.51.100.21'),
    lookupEvent('carol', '2025-05-28T09:00:00Z', 'Yes'),
    lookupEvent('trent', '2025-05-27T09:00:00Z', 'No', 'Failure'),
  ],
};

interface JsonReport {
  users: { userName: string; status: string; signInsWithoutMfa: { state: string; count: number | null; lastAt: string | null; lastSourceIp: string | null } }[];
  findings: { code: string; users: string[]; message: string }[];
  evidence: { state: string; windowEnd?: string; from?: string; message: string };
}
const audit = (...args: string[]) => runInProcess([registerAudit], ['audit', ...args]);
const failing = (...args: string[]) => runInProcess([registerAudit], ['audit', ...args], { reportErrors: true });

describe('audit --from DIR --evidence-days N', () => {
  it('reports both users who signed in without MFA with the time of their last such sign-in, and the finding names them', async () => {
    const folder = exportFolder('two-users', TWO_USERS);
    const json = JSON.parse((await audit('--from', folder, '--evidence-days', '30', '--json')).stdout) as JsonReport;
    const of = (name: string) => json.users.find((user) => user.userName === name)?.signInsWithoutMfa;
    expect(of('rupert')).toEqual({ state: 'found', count: 2, lastAt: '2025-05-31T08:00:00.000Z', lastSourceIp: '198.51.100.20' });
    expect(of('sybil')).toEqual({ state: 'found', count: 1, lastAt: '2025-05-29T10:30:00.000Z', lastSourceIp: '198.51.100.30' });
    expect(of('carol')?.state).toBe('none');
    expect(of('trent')?.state).toBe('none');
    const finding = json.findings.find((entry) => entry.code === 'console-sign-in-without-mfa');
    expect(finding?.users).toEqual(['rupert', 'sybil']);
    expect(finding?.message).toBe('Console sign-ins without MFA in the last 30 days (CloudTrail): rupert, sybil.');
    expect(json.evidence).toMatchObject({ state: 'complete', windowEnd: 'export', from: '2025-05-03T09:00:00.000Z' });

    const table = (await audit('--from', folder, '--evidence-days', '30')).stdout;
    expect(table).toMatch(/^rupert .* 2, last 2025-05-31 08:00 UTC from 198\.51\.100\.20 /m);
    expect(table).toMatch(/^sybil .* 1, last 2025-05-29 10:30 UTC from 198\.51\.100\.30 /m);
    expect(table).toContain('[high] Console sign-ins without MFA in the last 30 days (CloudTrail): rupert, sybil.');
    const japanese = (await audit('--from', folder, '--evidence-days', '30', '--lang', 'ja')).stdout;
    expect(japanese).toContain('過去 30 日間に MFA なしでコンソールにサインインしたユーザー (CloudTrail): rupert、sybil。');
  });

  it('counts the window back from the export time: a shorter window drops the older sign-in', async () => {
    const folder = exportFolder('window', TWO_USERS);
    const json = JSON.parse((await audit('--from', folder, '--evidence-days', '3', '--json')).stdout) as JsonReport;
    expect(json.findings.find((entry) => entry.code === 'console-sign-in-without-mfa')?.users).toEqual(['rupert']);
    expect(json.users.find((user) => user.userName === 'rupert')?.signInsWithoutMfa.count).toBe(1);
  });

  it('a missing file is unknown evidence with the reason, never "no sign-ins"', async () => {
    const folder = exportFolder('missing');
    const json = JSON.parse((await audit('--from', folder, '--evidence-days', '30', '--json')).stdout) as JsonReport;
    expect(json.evidence.state).toBe('unknown');
    expect(json.users.every((user) => user.signInsWithoutMfa.state === 'unknown')).toBe(true);
    expect(json.findings.find((entry) => entry.code === 'sign-in-evidence-unknown')?.message).toContain('file missing');
  });

  it('a malformed event makes the evidence unknown and keeps what was decoded', async () => {
    const folder = exportFolder('malformed', { Events: [...TWO_USERS.Events, { EventId: 'x', EventName: 'ConsoleLogin', CloudTrailEvent: '{"eventName": "ConsoleLogin",' }] });
    const json = JSON.parse((await audit('--from', folder, '--evidence-days', '30', '--json')).stdout) as JsonReport;
    expect(json.evidence.state).toBe('unknown');
    expect(json.findings.find((entry) => entry.code === 'console-sign-in-without-mfa')?.users).toEqual(['rupert', 'sybil']);
    expect(json.findings.find((entry) => entry.code === 'sign-in-evidence-unknown')?.message).toContain('record 5, CloudTrailEvent is not JSON');
    expect(json.users.find((user) => user.userName === 'carol')?.signInsWithoutMfa.state).toBe('unknown');
  });

  it('an export that records no time is unknown evidence: its events may end long before now, the window\'s end', async () => {
    const folder = exportFolder('undated', TWO_USERS);
    const report = JSON.parse(readFileSync(join(folder, 'credential-report.json'), 'utf8')) as Record<string, unknown>;
    delete report['GeneratedTime'];
    writeFileSync(join(folder, 'credential-report.json'), JSON.stringify(report));
    const json = JSON.parse((await audit('--from', folder, '--evidence-days', '30', '--json')).stdout) as JsonReport;
    expect(json.evidence.windowEnd).toBe('now');
    expect(json.evidence.state).toBe('unknown');
    expect(json.users.find((user) => user.userName === 'carol')?.signInsWithoutMfa.state).toBe('unknown');
    expect(json.findings.find((entry) => entry.code === 'sign-in-evidence-unknown')?.message).toContain('export time unknown');
  });

  it("another account's export is unknown evidence, not this account's silence", async () => {
    const other = JSON.parse(JSON.stringify(TWO_USERS).replaceAll(ACCOUNT, '444455556666')) as unknown;
    const json = JSON.parse((await audit('--from', exportFolder('other-account', other), '--evidence-days', '30', '--json')).stdout) as JsonReport;
    expect(json.evidence.state).toBe('unknown');
    expect(json.users.find((user) => user.userName === 'carol')?.signInsWithoutMfa.state).toBe('unknown');
    expect(json.findings.find((entry) => entry.code === 'sign-in-evidence-unknown')?.message).toContain("another account's events: events of account 444455556666");
  });

  it('refuses a file that is not lookup-events output, or only its first page, in one line (exit 2)', async () => {
    for (const [name, content, pattern] of [
      ['not-events', { Users: [] }, /is not the output of `aws cloudtrail lookup-events .*\(no Events list\)/],
      ['truncated', { Events: [], NextToken: 'abc' }, /holds only the first events \(it has a NextToken\)/],
      ['not-json', '{"Events": [', /is not valid JSON/],
    ] as const) {
      const run = await failing('--from', exportFolder(name, content), '--evidence-days', '30');
      expect(run.exitCode, name).toBe(2);
      expect(run.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(run.stderr, name).toMatch(pattern);
    }
  });

  it('without --evidence-days reads nothing and says the evidence was not read', async () => {
    const folder = exportFolder('not-read', TWO_USERS);
    const json = JSON.parse((await audit('--from', folder, '--json')).stdout) as JsonReport;
    expect(json.evidence).toEqual({ state: 'not-read', message: expect.stringContaining('not read') as unknown });
    expect(json.findings.some((entry) => entry.code === 'console-sign-in-without-mfa')).toBe(false);
    expect((await audit('--from', folder)).stdout).toContain('Sign-ins without MFA (CloudTrail): not read');
  });

  it('the bundled sample carries the evidence', async () => {
    const json = JSON.parse((await audit('--sample', '--evidence-days', '30', '--json')).stdout) as JsonReport;
    expect(json.findings.find((entry) => entry.code === 'console-sign-in-without-mfa')?.users).toEqual(['peggy', 'rupert']);
  });
});

describe('--evidence-* options', () => {
  it.each([
    [['--evidence-days', '0'], /--evidence-days must be a whole number from 1 to 90/],
    [['--evidence-days', '91'], /from 1 to 90 \(CloudTrail's event history keeps 90 days\), not '91'/],
    [['--evidence-days', '7.5'], /not '7\.5'/],
    [['--evidence-days', 'week'], /not 'week'/],
    [['--evidence-max-events', '10'], /--evidence-max-events needs --evidence-days N/],
    [['--evidence-regions', 'us-east-1'], /--evidence-regions needs --evidence-days N/],
    [['--evidence-days', '30', '--evidence-max-events', '10'], /bounds live reads only/],
    [['--evidence-days', '30', '--evidence-regions', 'us-east-1'], /applies to live reads only/],
  ])('%j is refused in one line, exit 2', async (args, pattern) => {
    const run = await failing('--sample', ...args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--org refuses --evidence-days instead of ignoring it', async () => {
    const run = await failing('--org', '--evidence-days', '30');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--evidence-days is not supported with --org/);
  });

  it('--help says what is read, where, and the offline file', async () => {
    const help = (await runInProcess([registerAudit], ['audit', '--help'], { reportErrors: true })).stdout;
    expect(help).toContain('--evidence-days <days>');
    expect(help).toContain('aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin --output json > DIR/cloudtrail-console-logins.json');
    expect(help).toContain('us-east-1, us-east-2, eu-north-1, ap-southeast-2');
  });
});
