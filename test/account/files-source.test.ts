import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshotFromDirectory } from '../../src/account/files/read-directory.js';
import { auditAccount } from '../../src/audit/audit.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { isForceMfaError } from '../../src/errors.js';
import { findingText } from '../../src/audit/messages/index.js';
import { auditMessages } from '../../src/audit/messages/index.js';
import type { AccountFinding } from '../../src/audit/types.js';
import { CATALOGUE } from './builders.js';

const SAMPLE = join(import.meta.dirname, '../../examples/sample-account');
const folders: string[] = [];
function copyOfSample(): string {
  const folder = mkdtempSync(join(tmpdir(), 'force-mfa-files-'));
  folders.push(folder);
  cpSync(SAMPLE, folder, { recursive: true });
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; exitCode: number }> {
  try {
    await promise;
  } catch (error) {
    if (isForceMfaError(error)) return { code: error.code, message: error.message, exitCode: error.exitCode };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('the files source', () => {
  it('reads users with paths, groups, policies, report facts, device files and the alias', async () => {
    const snapshot = await readSnapshotFromDirectory(SAMPLE, { now: new Date('2025-06-02T12:00:00Z') });
    const carol = snapshot.users.find((user) => user.userName === 'carol');
    expect(carol).toMatchObject({ path: '/engineering/', arn: 'arn:aws:iam::111122223333:user/engineering/carol', groupNames: ['ForceMfaAccess', 'Developers'] });
    expect(carol?.mfa).toMatchObject({ enrolled: true, source: 'mfa-devices-file', devices: [{ kind: 'hardware' }] });
    expect(snapshot.users.find((user) => user.userName === 'kim')?.mfa).toEqual({ enrolled: true, devices: undefined, source: 'credential-report' });
    expect(snapshot.root).toMatchObject({ mfaActive: false, accessKeysActive: false });
    expect(snapshot.alias).toBe('example-corp');
    expect(snapshot.managedPolicies.find((policy) => policy.name === 'DeveloperAccess')?.defaultVersionId).toBe('v2');
    expect(snapshot.sources.map((source) => source.kind)).toEqual(['authorization-details', 'credential-report', 'mfa-devices', 'virtual-mfa-devices']);
    expect(snapshot.sources[1]?.capturedAt).toBe('2025-06-02T09:00:00.000Z');
    expect(snapshot.unassignedVirtualDevices).toMatchObject({
      value: [{ serialNumber: 'arn:aws:iam::111122223333:mfa/quinn-phone', name: 'quinn-phone', enabledAt: undefined }],
    });
    // Offline, the root user is what the report's root row says; what it cannot say is unknown.
    expect(auditAccount(snapshot, { catalogue: CATALOGUE, evaluate }).root).toMatchObject({
      arn: 'arn:aws:iam::111122223333:root',
      mfaEnabled: false,
      mfaDevice: null,
      passwordPresent: null,
      accessKeysPresent: false,
      sources: ['credential-report'],
    });
  });

  describe('unassigned virtual devices', () => {
    it('without their export, they are unknown (never none), and the finding names the file and the command that writes it', async () => {
      const folder = copyOfSample();
      rmSync(join(folder, 'virtual-mfa-devices-unassigned.json'));
      const snapshot = await readSnapshotFromDirectory(folder);
      const file = join(folder, 'virtual-mfa-devices-unassigned.json');
      expect(snapshot.unassignedVirtualDevices).toEqual({ gap: { fact: 'virtual-devices', cause: 'file-missing', detail: file } });
      const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate });
      const finding = report.findings.find((entry) => entry.code === 'unassigned-virtual-devices-unknown');
      expect(finding?.params).toEqual({ cause: 'file-missing', detail: file, file });
      expect(report.findings.some((entry) => entry.code === 'unassigned-virtual-devices')).toBe(false);
      const text = findingText(auditMessages('en'), finding as AccountFinding);
      expect(text).toContain(`aws iam list-virtual-mfa-devices --assignment-status Unassigned --output json > ${file}`);
    });

    it.each([
      ['an export of assigned devices', { VirtualMFADevices: [{ SerialNumber: 'arn:aws:iam::111122223333:mfa/a', User: { UserName: 'a' } }] }, /lists devices assigned to users/],
      ['a cut listing', { VirtualMFADevices: [], IsTruncated: true, Marker: 'x' }, /holds only part/],
      ['no device list', { Devices: [] }, /not the output of `aws iam list-virtual-mfa-devices`/],
    ])('refuses %s (exit 2) rather than read it as no abandoned devices', async (_name, content, message) => {
      const folder = copyOfSample();
      writeFileSync(join(folder, 'virtual-mfa-devices-unassigned.json'), JSON.stringify(content));
      const error = await readSnapshotFromDirectory(folder).catch((caught: unknown) => caught);
      expect(isForceMfaError(error) && error.kind === 'input').toBe(true);
      expect((error as Error).message).toMatch(message);
    });
  });

  it('without a credential report, credentials and MFA are unknown, and no user is protected without proof', async () => {
    const folder = copyOfSample();
    rmSync(join(folder, 'credential-report.json'));
    const snapshot = await readSnapshotFromDirectory(folder);
    expect(snapshot.gaps).toContainEqual({ fact: 'root', cause: 'file-missing', detail: join(folder, 'credential-report.json') });
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate });
    expect(report.summary.byStatus.protected).toBe(0);
    const alice = report.users.find((user) => user.userName === 'alice');
    expect(alice?.status).toBe('unknown');
    expect(alice?.consolePassword.enabled).toBeNull();
    expect(report.findings.map((finding) => finding.code)).toContain('data-missing');
  });

  it('a device file settles MFA over the report', async () => {
    const folder = copyOfSample();
    mkdirSync(join(folder, 'mfa-devices'), { recursive: true });
    writeFileSync(join(folder, 'mfa-devices', 'grace.json'), JSON.stringify({ MFADevices: [{ UserName: 'grace', SerialNumber: 'arn:aws:iam::111122223333:u2f/user/grace/key', EnableDate: '2025-06-02T10:00:00+00:00' }] }));
    writeFileSync(join(folder, 'mfa-devices', 'alice.json'), JSON.stringify({ MFADevices: [] }));
    const report = auditAccount(await readSnapshotFromDirectory(folder), { catalogue: CATALOGUE, evaluate });
    expect(report.users.find((user) => user.userName === 'grace')).toMatchObject({ status: 'protected', mfa: { kinds: ['fido'] } });
    expect(report.users.find((user) => user.userName === 'alice')?.status).toBe('pending-enrollment');
  });

  it.each([
    ['a missing authorization-details.json', (folder: string) => rmSync(join(folder, 'authorization-details.json')), 'authorization-details-missing'],
    ['invalid JSON', (folder: string) => writeFileSync(join(folder, 'authorization-details.json'), '{"UserDetailList": ['), 'file-not-json'],
    // JSON.parse quotes the text it choked on, line breaks included: the message must stay one line.
    ['a report that is not JSON, over several lines', (folder: string) => writeFileSync(join(folder, 'credential-report.json'), 'xx\nyy\n'), 'file-not-json'],
    ['a truncated export', (folder: string) => writeFileSync(join(folder, 'authorization-details.json'), JSON.stringify({ UserDetailList: [], NextToken: 'abc' })), 'authorization-details-truncated'],
    ['another file', (folder: string) => writeFileSync(join(folder, 'authorization-details.json'), JSON.stringify({ Users: [] })), 'authorization-details-shape'],
    ['a report without Content', (folder: string) => writeFileSync(join(folder, 'credential-report.json'), JSON.stringify({ State: 'COMPLETE' })), 'credential-report-shape'],
    ['a report that is not one', (folder: string) => writeFileSync(join(folder, 'credential-report.json'), JSON.stringify({ Content: Buffer.from('a,b\n1,2\n').toString('base64') })), 'credential-report-unreadable'],
  ])('refuses %s with one clear input error', async (_name, damage, code) => {
    const folder = copyOfSample();
    damage(folder);
    const error = await rejection(readSnapshotFromDirectory(folder));
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toMatch(/\n/);
  });

  it('refuses a file given where the folder of exports is expected', async () => {
    const folder = copyOfSample();
    const error = await rejection(readSnapshotFromDirectory(join(folder, 'authorization-details.json')));
    expect(error.code).toBe('export-not-a-folder');
    expect(error.exitCode).toBe(2);
  });

  it('accepts the console CSV download when there is no JSON report, with an unknown age', async () => {
    const folder = copyOfSample();
    const { Content } = JSON.parse((await import('node:fs')).readFileSync(join(folder, 'credential-report.json'), 'utf8')) as { Content: string };
    rmSync(join(folder, 'credential-report.json'));
    writeFileSync(join(folder, 'credential-report.csv'), Buffer.from(Content, 'base64'));
    const snapshot = await readSnapshotFromDirectory(folder);
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate });
    expect(report.users.find((user) => user.userName === 'alice')?.status).toBe('protected');
    expect(report.findings.map((finding) => finding.code)).toContain('credential-report-age-unknown');
  });
});
