/** Abandoned virtual MFA devices against moto: the audit lists them, `devices cleanup` deletes exactly them. */
import { readFileSync } from 'node:fs';
import { CreateVirtualMFADeviceCommand, ListVirtualMFADevicesCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { TEST_ACCOUNT, jsonOf, runCli, scratchPath } from './support/cli.js';
import { seedGuardGroup, seedUser } from './support/seed.js';

const { iam } = awsClients();
const abandoned = `arn:aws:iam::${TEST_ACCOUNT}:mfa/abandoned-phone`;
let assigned = '';

interface CleanupJson {
  mode: string;
  accountId: string;
  toDelete: { serialNumber: string }[];
  skipped: { serialNumber: string; reason: string }[];
  results?: { serialNumber: string; outcome: string }[];
}

const virtualDevices = async (): Promise<{ serial: string; user: string | undefined }[]> =>
  ((await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Any' }))).VirtualMFADevices ?? []).map((device) => ({
    serial: device.SerialNumber ?? '',
    user: device.User?.UserName,
  }));

describe('abandoned virtual MFA devices', () => {
  beforeAll(async () => {
    await seedGuardGroup(iam);
    // dana finished her enrollment; someone else started one and walked away.
    assigned = (await seedUser(iam, { name: 'dana', password: true, mfa: true, groups: ['ForceMfaAccess'] })).mfaSerial ?? '';
    await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'abandoned-phone' }));
    // moto 5.2.1, checked before writing this: ListVirtualMFADevices(Unassigned) gives the device with no user and no
    // date at all; (Assigned) gives dana's with her user and an EnableDate.
    expect(await virtualDevices()).toEqual(
      expect.arrayContaining([
        { serial: abandoned, user: undefined },
        { serial: assigned, user: 'dana' },
      ]),
    );
  });

  it('the audit lists the unassigned device as a finding, and the assigned one is not in it', async () => {
    const result = await runCli(['audit', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = jsonOf<{ findings: { code: string; params: { devices?: { serialNumber: string; name: string; enabledAt: string | null }[] } }[] }>(result);
    const finding = report.findings.find((entry) => entry.code === 'unassigned-virtual-devices');
    expect(finding?.params.devices).toEqual([{ serialNumber: abandoned, name: 'abandoned-phone', enabledAt: null }]);
    expect(report.findings.some((entry) => entry.code === 'unassigned-virtual-devices-unknown')).toBe(false);
  });

  it('with the default cutoff (7 days) nothing is planned: AWS gives no age, so the device is skipped with the reason', async () => {
    const result = await runCli(['devices', 'cleanup', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = jsonOf<CleanupJson>(result);
    expect(plan.toDelete).toEqual([]);
    expect(plan.skipped).toEqual([expect.objectContaining({ serialNumber: abandoned, reason: 'age-unknown' })]);
  });

  it('--older-than 0 plans exactly the unassigned device and changes nothing without --apply', async () => {
    const result = await runCli(['devices', 'cleanup', '--older-than', '0']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`To delete (older than 0 day(s)): 1\n  ${abandoned}`);
    expect(result.stdout).toContain('cannot be undone');
    expect(result.stdout).not.toContain(assigned);
    expect((await virtualDevices()).map((device) => device.serial)).toContain(abandoned);
  });

  it('two cleanups at once: the device is deleted once, the assigned device never, and the log shows one intent', async () => {
    const log = scratchPath('devices.jsonl');
    const [first, second] = await Promise.all([
      runCli(['devices', 'cleanup', '--older-than', '0', '--apply', '--json', '--log', log]),
      runCli(['devices', 'cleanup', '--older-than', '0', '--apply', '--json', '--log', log]),
    ]);
    for (const result of [first, second]) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const outcomes = [jsonOf<CleanupJson>(first), jsonOf<CleanupJson>(second)].map((run) => run.results ?? []);
    // One run deleted it; the other, which got the lock second, planned from what AWS listed then: nothing.
    expect(outcomes.flat()).toEqual([{ serialNumber: abandoned, outcome: 'deleted' }]);
    expect(await virtualDevices()).toEqual([{ serial: assigned, user: 'dana' }]);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { phase: string; serialNumber?: string; accountId: string });
    expect(lines.map((line) => [line.phase, line.serialNumber ?? null])).toEqual([
      ['plan', null],
      ['intent', abandoned],
      ['done', abandoned],
    ]);
    expect(lines.every((line) => line.accountId === TEST_ACCOUNT)).toBe(true);
  });

  it('a second run plans nothing, and the audit no longer lists an abandoned device', async () => {
    const again = await runCli(['devices', 'cleanup', '--older-than', '0', '--apply']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('To delete (older than 0 day(s)): 0');
    expect(again.stdout).toContain('Nothing deleted.');
    const audit = jsonOf<{ findings: { code: string }[] }>(await runCli(['audit', '--format', 'json']));
    expect(audit.findings.map((finding) => finding.code)).not.toContain('unassigned-virtual-devices');
    expect(await virtualDevices()).toEqual([{ serial: assigned, user: 'dana' }]);
  });

  it('refuses bad input with one line and exit 2: a cutoff that is no whole number, a log of another account', async () => {
    for (const value of ['-1', '7d', '1.5']) {
      const result = await runCli(['devices', 'cleanup', '--older-than', value]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([`force-mfa: --older-than takes a whole number of days (0 or more), not '${value}'`]);
    }
    const foreign = scratchPath('foreign.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(foreign, `${JSON.stringify({ version: 1, time: '2025-01-01T00:00:00Z', runId: 'r', accountId: '999999999999', by: 'x', phase: 'plan' })}\n`);
    const result = await runCli(['devices', 'cleanup', '--older-than', '0', '--apply', '--log', foreign]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/records device deletions in account 999999999999, but the credentials are for account 123456789012/);
  });
});
