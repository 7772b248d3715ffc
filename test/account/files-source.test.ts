import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshotFromDirectory } from '../../src/account/files/read-directory.js';
import { auditAccount } from '../../src/audit/audit.js';
import { nextStepText } from '../../src/audit/messages/index.js';
import { en } from '../../src/audit/messages/en.js';
import { ja } from '../../src/audit/messages/ja.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { isForceMfaError } from '../../src/errors.js';
import { renderAuditHtml } from '../../src/render/audit-html.js';
import { renderAuditJson } from '../../src/render/audit-json.js';
import { renderAuditTable } from '../../src/render/audit-table.js';
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

function withReportTime(folder: string, time: unknown): void {
  const path = join(folder, 'credential-report.json');
  writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(path, 'utf8')) as object), GeneratedTime: time }));
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

  it('refuses a folder without a credential report, with the exact commands that write it', async () => {
    const folder = copyOfSample();
    rmSync(join(folder, 'credential-report.json'));
    const error = await rejection(readSnapshotFromDirectory(folder));
    const path = join(folder, 'credential-report.json');
    expect(error).toMatchObject({ code: 'credential-report-missing', exitCode: 2 });
    expect(error.message).toBe(
      `${path} does not exist: write it with \`aws iam generate-credential-report\` (repeat until "State": "COMPLETE"), then \`aws iam get-credential-report --output json > ${path}\``,
    );
  });

  it("left out on purpose, the report's facts are unknown, every such user gets the command that writes it, and a finding says so", async () => {
    const folder = copyOfSample();
    const path = join(folder, 'credential-report.json');
    rmSync(path);
    const snapshot = await readSnapshotFromDirectory(folder, { omitCredentialReport: true });
    expect(snapshot.gaps).toContainEqual({ fact: 'root', cause: 'omitted', detail: path });
    expect(snapshot.sources.map((source) => source.kind)).toEqual(['authorization-details', 'mfa-devices', 'virtual-mfa-devices']);
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate });
    expect(report.summary.byStatus.protected).toBe(0);
    const alice = report.users.find((user) => user.userName === 'alice');
    // alice's device file settles her MFA; her password and keys need the report.
    expect(alice).toMatchObject({ status: 'unknown', consolePassword: { enabled: null }, mfa: { enrolled: true } });
    expect(alice?.nextStep).toEqual({ code: 'write-credential-report', params: { user: 'alice', path, facts: ['password', 'access-keys'] } });
    expect(nextStepText(en, alice!.nextStep)).toBe(
      `Write the credential report, which settles alice's console password, access keys: aws iam generate-credential-report, then aws iam get-credential-report --output json > ${path}, and audit again.`,
    );
    // kim has no device file: the report settles her MFA too.
    const kim = report.users.find((user) => user.userName === 'kim');
    expect(kim?.nextStep).toMatchObject({ code: 'write-credential-report', params: { facts: ['password', 'mfa', 'access-keys'] } });
    expect(nextStepText(ja, kim!.nextStep)).toContain('kim のコンソールパスワード、MFA、アクセスキーはこのレポートで確定します');
    const unknown = report.users.filter((user) => user.status === 'unknown');
    const omitted = report.findings.find((finding) => finding.code === 'credential-report-omitted');
    expect(omitted).toMatchObject({ severity: 'warning', params: { path } });
    expect(omitted?.users).toEqual(unknown.filter((user) => user.nextStep.code === 'write-credential-report').map((user) => user.userName));
    expect(omitted?.users.length).toBeGreaterThan(20);
    // The omission is one finding, not a "data missing" per fact.
    expect(report.findings.filter((finding) => finding.code === 'data-missing')).toEqual([]);
    // Exempt users stay exempt; nobody without the report is said to have no credentials.
    expect(report.summary.byStatus['no-credentials']).toBe(0);
    expect(report.users.filter((user) => user.status === 'exempt').map((user) => user.userName)).toEqual(['breakglass', 'svc-legacy-erp']);
    // A user with another gap too (here: a policy document missing) keeps the general next step.
    expect(unknown.every((user) => user.nextStep.code === 'write-credential-report' || user.missing.some((gap) => gap.cause !== 'omitted'))).toBe(true);
  });

  it('refuses to leave out a credential report the folder has', async () => {
    const folder = copyOfSample();
    const error = await rejection(readSnapshotFromDirectory(folder, { omitCredentialReport: true }));
    expect(error).toMatchObject({ code: 'credential-report-not-omitted', exitCode: 2 });
    expect(error.message).toContain(join(folder, 'credential-report.json'));
  });

  it("takes ages from the data, never from file times: the report's GeneratedTime, unknown with its reason elsewhere", async () => {
    const folder = copyOfSample();
    // Fresh modification times on every file, as a copy or a checkout gives them; an old time on the report.
    const touched = new Date('2030-01-01T00:00:00Z');
    for (const file of ['authorization-details.json', 'mfa-devices/alice.json', 'virtual-mfa-devices-unassigned.json']) utimesSync(join(folder, file), touched, touched);
    utimesSync(join(folder, 'credential-report.json'), new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
    const snapshot = await readSnapshotFromDirectory(folder, { now: new Date('2025-06-02T12:00:00Z') });
    expect(snapshot.sources.map(({ kind, capturedAt, capturedAtUnknown }) => ({ kind, capturedAt, capturedAtUnknown }))).toEqual([
      { kind: 'authorization-details', capturedAt: undefined, capturedAtUnknown: 'not-recorded' },
      { kind: 'credential-report', capturedAt: '2025-06-02T09:00:00.000Z', capturedAtUnknown: undefined },
      { kind: 'mfa-devices', capturedAt: undefined, capturedAtUnknown: 'not-recorded' },
      { kind: 'virtual-mfa-devices', capturedAt: undefined, capturedAtUnknown: 'not-recorded' },
    ]);
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now: new Date('2025-06-02T12:00:00Z') });
    expect(report.sources.map((source) => source.ageSeconds)).toEqual([null, 3 * 3600, null, null]);
    const json = JSON.parse(renderAuditJson(report, en)) as { sources: { kind: string; ageSeconds: number | null; capturedAtUnknown: string | null }[] };
    expect(json.sources.map(({ kind, ageSeconds, capturedAtUnknown }) => ({ kind, ageSeconds, capturedAtUnknown }))).toEqual([
      { kind: 'authorization-details', ageSeconds: null, capturedAtUnknown: 'not-recorded' },
      { kind: 'credential-report', ageSeconds: 10_800, capturedAtUnknown: null },
      { kind: 'mfa-devices', ageSeconds: null, capturedAtUnknown: 'not-recorded' },
      { kind: 'virtual-mfa-devices', ageSeconds: null, capturedAtUnknown: 'not-recorded' },
    ]);
    const table = renderAuditTable(report, { messages: en, color: false });
    expect(table).toContain('authorization details');
    expect(table).toMatch(/authorization details — \S+ — Age unknown: the export records no time/);
    expect(table).toMatch(/credential report — \S+ — Age 3 h/);
    expect(renderAuditTable(report, { messages: ja, color: false })).toMatch(/認可の詳細 — \S+ — 経過時間 不明: エクスポートに時刻が記録されていません/);
    const html = renderAuditHtml(report, en);
    expect(html).toMatch(/authorization details — <code>[^<]+<\/code> — Captured unknown: the export records no time<\/li>/);
    expect(html).toMatch(/credential report — <code>[^<]+<\/code> — Captured 2025-06-02 09:00:00 UTC \(Age 3 h\)<\/li>/);
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
    // The one time an export records decides whether the report is stale: a forged or broken one is refused.
    ['a report whose GeneratedTime is no time', (folder: string) => withReportTime(folder, 'yesterday'), 'credential-report-time'],
    ['a report whose GeneratedTime is a number', (folder: string) => withReportTime(folder, 1748854800), 'credential-report-time'],
    ['a report generated in the future', (folder: string) => withReportTime(folder, '2099-01-01T00:00:00+00:00'), 'credential-report-time'],
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
    const { Content } = JSON.parse(readFileSync(join(folder, 'credential-report.json'), 'utf8')) as { Content: string };
    rmSync(join(folder, 'credential-report.json'));
    writeFileSync(join(folder, 'credential-report.csv'), Buffer.from(Content, 'base64'));
    const snapshot = await readSnapshotFromDirectory(folder);
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate });
    expect(report.users.find((user) => user.userName === 'alice')?.status).toBe('protected');
    expect(report.findings.map((finding) => finding.code)).toContain('credential-report-age-unknown');
    expect(snapshot.sources.find((source) => source.kind === 'credential-report')).toMatchObject({ capturedAt: undefined, capturedAtUnknown: 'not-recorded' });
  });

  it('a JSON report without GeneratedTime has an unknown age, said so, and the finding that its facts may be old', async () => {
    const folder = copyOfSample();
    const path = join(folder, 'credential-report.json');
    const { GeneratedTime: _dropped, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as { GeneratedTime: string };
    writeFileSync(path, JSON.stringify(rest));
    const report = auditAccount(await readSnapshotFromDirectory(folder), { catalogue: CATALOGUE, evaluate });
    expect(report.sources.find((source) => source.kind === 'credential-report')).toMatchObject({ ageSeconds: null, capturedAtUnknown: 'not-recorded' });
    expect(report.findings.map((finding) => finding.code)).toContain('credential-report-age-unknown');
  });
});
