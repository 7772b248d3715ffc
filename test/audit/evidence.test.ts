import { describe, expect, it } from 'vitest';
import { consoleLoginEvidence, type EvidenceGap } from '../../src/account/console-logins.js';
import { auditAccount } from '../../src/audit/audit.js';
import { auditMessages, findingText } from '../../src/audit/messages/index.js';
import type { AuditReport, UserAudit } from '../../src/audit/types.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { renderAuditCsv, AUDIT_CSV_COLUMNS } from '../../src/render/audit-csv.js';
import { renderAuditHtml } from '../../src/render/audit-html.js';
import { renderAuditMarkdown } from '../../src/render/audit-markdown.js';
import { renderAuditTable } from '../../src/render/audit-table.js';
import { ACCOUNT_ID, CATALOGUE, aUser, anAccount, withStandardGroups } from '../account/builders.js';

const NOW = new Date('2025-06-02T12:00:00Z');
const userId = (name: string): string => `AIDA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`;

function signIn(name: string, at: string, options: { mfa?: 'Yes' | 'No'; principalId?: string | null; ip?: string; type?: string } = {}): unknown {
  const identity: Record<string, unknown> =
    options.type === 'Root'
      ? { type: 'Root', arn: `arn:aws:iam::${ACCOUNT_ID}:root` }
      : { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`, userName: name };
  if (options.type !== 'Root' && options.principalId !== null) identity['principalId'] = options.principalId ?? userId(name);
  return {
    EventName: 'ConsoleLogin',
    CloudTrailEvent: JSON.stringify({
      eventName: 'ConsoleLogin',
      eventTime: at,
      sourceIPAddress: options.ip ?? '203.0.113.9',
      userIdentity: identity,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: options.mfa ?? 'No' },
    }),
  };
}

const ACCOUNT = withStandardGroups(anAccount()).withUsers(
  aUser('alice').withPassword().withMfa('virtual').inGroups('ForceMfaAccess'),
  aUser('bob').withPassword().inGroups('ReadOnly'),
  aUser('carol').withPassword().withMfa('fido').inGroups('ForceMfaAccess'),
  aUser('dan').withPassword().inGroups('ForceMfaAccess'),
);

function audit(records: readonly unknown[], gaps: readonly EvidenceGap[] = [], withEvidence = true): AuditReport {
  const evidence = consoleLoginEvidence({
    origin: 'file',
    location: 'cloudtrail-console-logins.json',
    days: 30,
    window: { from: new Date(NOW.getTime() - 30 * 86_400_000), to: NOW },
    windowEnd: 'export',
    regions: null,
    maxEvents: null,
    records,
    gaps,
  });
  return auditAccount(ACCOUNT.build(), { catalogue: CATALOGUE, evaluate, now: NOW, ...(withEvidence ? { consoleLogins: evidence } : {}) });
}
const user = (report: AuditReport, name: string): UserAudit => report.users.find((entry) => entry.userName === name) as UserAudit;

describe('CloudTrail evidence in the audit', () => {
  it('gives each user their sign-ins without MFA, and the finding names them', () => {
    const report = audit([
      signIn('bob', '2025-05-20T09:00:00Z', { ip: '198.51.100.1' }),
      signIn('bob', '2025-05-28T10:15:00Z', { ip: '198.51.100.2' }),
      signIn('dan', '2025-05-30T07:00:00Z'),
      signIn('carol', '2025-05-30T07:00:00Z', { mfa: 'Yes' }),
    ]);
    expect(user(report, 'bob').signInsWithoutMfa).toEqual({ state: 'found', count: 2, lastAt: '2025-05-28T10:15:00.000Z', lastSourceIp: '198.51.100.2' });
    expect(user(report, 'dan').signInsWithoutMfa?.count).toBe(1);
    expect(user(report, 'carol').signInsWithoutMfa).toEqual({ state: 'none', count: 0, lastAt: null, lastSourceIp: null });
    const finding = report.findings.find((entry) => entry.code === 'console-sign-in-without-mfa');
    expect(finding?.users).toEqual(['bob', 'dan']);
    expect(finding?.severity).toBe('high');
    expect(findingText(auditMessages('en'), finding as never)).toBe('Console sign-ins without MFA in the last 30 days (CloudTrail): bob, dan.');
    expect(user(report, 'bob').reasons[0]?.code).toBe('signed-in-without-mfa');
    expect(report.evidence).toMatchObject({ state: 'complete', usersWithoutMfa: 2, events: 4 });
  });

  it('never reports a user seen signing in without MFA as protected, whatever the device state says', () => {
    const before = audit([]);
    expect(user(before, 'alice').status).toBe('protected');
    const report = audit([signIn('alice', '2025-05-30T07:00:00Z')]);
    const alice = user(report, 'alice');
    expect(alice.status).toBe('unknown');
    expect(alice.nextStep.code).toBe('review-sign-ins-without-mfa');
    expect(report.summary.byStatus.protected).toBe(before.summary.byStatus.protected - 1);
    const messages = auditMessages('en');
    for (const text of [renderAuditTable(report, { messages, color: false }), renderAuditMarkdown(report, messages), renderAuditHtml(report, messages)]) {
      expect(text.replaceAll('\\', '')).toContain('virtual (not used at a recent sign-in)');
    }
  });

  it('matches by principal id: an earlier user of the same name is a former user, never the current one', () => {
    const report = audit([signIn('alice', '2025-05-10T07:00:00Z', { principalId: 'AIDAFORMERALICE0000' })]);
    expect(user(report, 'alice').status).toBe('protected');
    expect(user(report, 'alice').signInsWithoutMfa?.state).toBe('none');
    expect(report.evidence).toMatchObject({ formerUsers: [{ arn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`, principalId: 'AIDAFORMERALICE0000', count: 1 }] });
    expect(report.findings.some((entry) => entry.code === 'console-sign-in-without-mfa')).toBe(false);
  });

  it('without a principal id, the ARN decides (the less protective reading)', () => {
    const report = audit([signIn('alice', '2025-05-10T07:00:00Z', { principalId: null })]);
    expect(user(report, 'alice').status).toBe('unknown');
  });

  it('reports root sign-ins without MFA at account level', () => {
    const report = audit([signIn('', '2025-05-10T07:00:00Z', { type: 'Root', ip: '192.0.2.77' })]);
    const finding = report.findings.find((entry) => entry.code === 'root-console-sign-in-without-mfa');
    expect(finding).toMatchObject({ severity: 'critical', params: { count: 1, lastAt: '2025-05-10T07:00:00.000Z', lastSourceIp: '192.0.2.77' } });
  });

  it('incomplete evidence is unknown for users not found, never "none", and says why', () => {
    const report = audit([signIn('bob', '2025-05-20T09:00:00Z'), { CloudTrailEvent: 'garbled' }]);
    expect(user(report, 'bob').signInsWithoutMfa?.state).toBe('found');
    expect(user(report, 'carol').signInsWithoutMfa).toEqual({ state: 'unknown', count: null, lastAt: null, lastSourceIp: null });
    const finding = report.findings.find((entry) => entry.code === 'sign-in-evidence-unknown');
    expect(finding?.severity).toBe('warning');
    expect(findingText(auditMessages('en'), finding as never)).toMatch(/undecodable events: 1 record\(s\) could not be decoded/);
    const csv = renderAuditCsv(report, auditMessages('en')).split('\r\n').map((line) => line.split(','));
    // The evidence columns are the last three (earlier quoted cells may hold commas).
    expect(AUDIT_CSV_COLUMNS.slice(-3)).toEqual(['signins_without_mfa', 'last_signin_without_mfa_at', 'last_signin_without_mfa_ip']);
    expect(csv.find((row) => row[0] === 'carol')?.slice(-3)).toEqual(['', '', '']);
    expect(csv.find((row) => row[0] === 'bob')?.slice(-3)).toEqual(['1', '2025-05-20T09:00:00.000Z', '203.0.113.9']);
  });

  it('a missing file is unknown evidence, not "no sign-ins"', () => {
    const report = audit([], [{ cause: 'file-missing', detail: 'DIR/cloudtrail-console-logins.json' }]);
    expect(report.evidence?.state).toBe('unknown');
    expect(report.users.every((entry) => entry.signInsWithoutMfa?.state === 'unknown')).toBe(true);
    expect(findingText(auditMessages('ja'), report.findings.find((entry) => entry.code === 'sign-in-evidence-unknown') as never)).toContain('ファイルがありません');
  });

  it('without evidence the report says it was not read and shows no column', () => {
    const report = audit([], [], false);
    expect(report.evidence).toEqual({ state: 'not-read' });
    expect(report.users.every((entry) => entry.signInsWithoutMfa?.state === 'not-read')).toBe(true);
    const table = renderAuditTable(report, { messages: auditMessages('en'), color: false });
    expect(table).toContain('Sign-ins without MFA (CloudTrail): not read');
    expect(table).not.toContain('Without MFA (CloudTrail)');
  });
});
