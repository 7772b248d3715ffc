import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/account/credential-report.js';
import { auditAccount } from '../../src/audit/audit.js';
import { auditMessages } from '../../src/audit/messages/index.js';
import { en } from '../../src/audit/messages/en.js';
import { ja } from '../../src/audit/messages/ja.js';
import { USER_STATUSES } from '../../src/audit/types.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { AUDIT_CSV_COLUMNS, csvField, renderAuditCsv } from '../../src/render/audit-csv.js';
import { AUDIT_FORMATS, renderAudit } from '../../src/render/audit-format.js';
import { findingLines } from '../../src/render/audit-view.js';
import { renderAuditHtml, tableFrom } from '../../src/render/audit-html.js';
import { renderAuditJson } from '../../src/render/audit-json.js';
import { renderAuditMarkdown } from '../../src/render/audit-markdown.js';
import { displayWidth, renderAuditTable } from '../../src/render/audit-table.js';
import { CATALOGUE, aUser, anAccount, withStandardGroups } from '../account/builders.js';

const HOSTILE = '<img src=x onerror=alert(1)>|`*x*`,"q"';
const report = auditAccount(
  withStandardGroups(anAccount())
    .withUsers(
      aUser('alice').withPassword().withMfa('virtual').inGroups('ForceMfaAccess'),
      aUser('=cmd').withPassword(),
      aUser(HOSTILE).withPath('/dev/').withAccessKeys(),
      aUser('ops,team').withPassword().withMfa('fido').inGroups('Admins'),
      aUser('ghost').withUnknown('mfa').withPassword().inGroups('ForceMfaAccess'),
    )
    .build(),
  { catalogue: CATALOGUE, evaluate },
);

describe('JSON', () => {
  const json = JSON.parse(renderAuditJson(report, en)) as {
    users: { userName: string; status: string; reasons: { code: string; message: string }[]; nextStep: { code: string; message: string } }[];
    summary: { byStatus: Record<string, number> };
    generatedAt: string;
    sources: { kind: string; ageSeconds: number | null }[];
  };

  it('has the documented top-level fields, codes and messages', () => {
    expect(Object.keys(json)).toEqual(['schemaVersion', 'generatedAt', 'language', 'account', 'options', 'sources', 'summary', 'findings', 'users', 'missing', 'evidence', 'root']);
    expect(json.generatedAt).toBe('2025-03-01T12:00:00.000Z');
    expect(Object.keys(json.summary.byStatus)).toEqual([...USER_STATUSES]);
    expect(json.sources.map((source) => source.kind)).toEqual(['authorization-details', 'credential-report']);
    const alice = json.users.find((user) => user.userName === 'alice');
    expect(alice?.status).toBe('protected');
    expect(alice?.reasons[0]?.code).toBe('mfa-enforced');
    expect(alice?.reasons[0]?.message).toMatch(/denied/);
    expect(alice?.nextStep).toEqual({ code: 'none', params: {}, message: 'Nothing to do.' });
  });

  it('speaks Japanese with --lang ja, with the same codes', () => {
    const japanese = JSON.parse(renderAuditJson(report, ja)) as typeof json;
    expect(japanese.users.map((user) => user.status)).toEqual(json.users.map((user) => user.status));
    expect(japanese.users.find((user) => user.userName === 'alice')?.nextStep.message).toBe('対応は不要です。');
  });

  it('is the same text for the same report (stable)', () => {
    expect(renderAuditJson(report, en)).toBe(renderAuditJson(report, en));
  });
});

describe('CSV', () => {
  const csv = renderAuditCsv(report, en);
  const rows = parseCsv(csv.trimEnd());

  it('has one row per user under the header, CRLF, RFC 4180 quoting', () => {
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(report.users.length + 1);
    expect(csv).toContain('\r\n');
    const names = rows.slice(1).map((row) => row[0]);
    expect(names).toContain('ops,team');
    expect(names).toContain(HOSTILE);
  });

  it('keeps unknown empty and defuses spreadsheet formulas', () => {
    const ghost = rows.find((row) => row[0] === 'ghost');
    expect(ghost?.[AUDIT_CSV_COLUMNS.indexOf('mfa_enrolled')]).toBe('');
    expect(rows.some((row) => row[0] === "'=cmd")).toBe(true);
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField('a"b')).toBe('"a""b"');
  });
});

describe('Markdown', () => {
  it('escapes names so they cannot break the table or inject HTML', () => {
    const markdown = renderAuditMarkdown(report, en);
    expect(markdown).not.toContain('<img');
    expect(markdown).toContain('&lt;img');
    const line = markdown.split('\n').find((candidate) => candidate.includes('onerror'));
    // Every pipe inside the name is escaped: the row keeps its 8 cells.
    expect(line?.split(/(?<!\\)\|/).length).toBe(10);
  });
});

describe('table', () => {
  it('has a summary, the findings and one line per user; colours only when asked', () => {
    const plain = renderAuditTable(report, { messages: en, color: false });
    expect(plain).not.toMatch(/\u001b\[/);
    expect(plain).toMatch(/Summary: 5 users/);
    expect(plain).toMatch(/Enrolled: \d+%/);
    for (const user of report.users) expect(plain).toContain(user.userName === HOSTILE ? 'onerror' : user.userName);
    expect(renderAuditTable(report, { messages: en, color: true })).toMatch(/\u001b\[31m/);
  });

  it('aligns columns by display width in Japanese', () => {
    const lines = renderAuditTable(report, { messages: ja, color: false }).split('\n');
    const header = lines.findIndex((line) => line.startsWith('ユーザー'));
    const statusColumn = (line: string, label: string): number => displayWidth(line.slice(0, line.indexOf(label)));
    const headerColumn = statusColumn(lines[header] ?? '', '状態');
    const alice = lines.find((line) => line.startsWith('alice')) ?? '';
    expect(statusColumn(alice, '保護済み')).toBe(headerColumn);
  });
});

describe('HTML', () => {
  const html = renderAuditHtml(report, en);

  it('is self-contained: no external scripts, styles, images or fonts', () => {
    expect(html).not.toMatch(/<link|<img|src=["']?http|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toMatch(/<div id="chart"/);
  });

  it('lists findings most severe first, in the report order within a severity', () => {
    const info = (users: string[]) => ({ code: 'mfa-kinds-unknown', severity: 'info', params: {}, users }) as const;
    const mixed = {
      ...report,
      findings: [info(['a']), { code: 'root-without-mfa', severity: 'critical', params: {}, users: [] } as const, info(['b']), { code: 'sms-mfa', severity: 'warning', params: {}, users: ['c'] } as const],
    };
    const lines = findingLines(mixed, en);
    expect(lines.map((line) => `${line.severityCode} ${line.text}`)).toEqual([
      'critical The root user has no MFA device.',
      'warning Legacy SMS MFA, no longer supported by AWS: c.',
      'info Device kinds unknown (credential report only): a.',
      'info Device kinds unknown (credential report only): b.',
    ]);
    const page = renderAuditHtml(mixed, en);
    expect([...page.matchAll(/<li class="sev-(\w+)"/g)].map((match) => match[1])).toEqual(['critical', 'warning', 'info', 'info']);
    expect(mixed.findings[0]?.severity).toBe('info'); // the report itself is not reordered
  });

  it('lets only long identifiers break anywhere, and still escapes them', () => {
    const long = '"arn:aws:iam::111122223333:policy/<b>VeryLongPolicyName</b>"';
    const user = report.users.find((candidate) => candidate.userName === 'alice');
    const forged = { ...report, users: [{ ...user!, nextStep: { code: 'fix-policy-document', params: { policy: long } } as const }] };
    const page = renderAuditHtml(forged, en);
    expect(page).toContain('<span class="long">&#34;arn:<wbr>aws:<wbr>iam:<wbr>:<wbr>111122223333:<wbr>policy/<wbr>&#60;b&#62;VeryLongPolicyName&#60;/<wbr>b&#62;&#34;:<wbr></span>');
    expect(page).not.toContain('<b>');
    expect(page).toContain('<span class="prose">Check the policy <span class="long">');
  });

  it('has a print stylesheet that shows every row and hides the controls', () => {
    const print = html.slice(html.indexOf('@media print'));
    expect(print).toMatch(/\.controls[^{]*\{ display: none !important; \}/);
    expect(print).toMatch(/#users tr\[hidden\] \{ display: table-row !important; \}/);
    expect(print).toMatch(/break-inside: avoid/);
  });

  it('escapes every untrusted text', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('shows the root user line with the summary, and none when the report has no root user', () => {
    expect(report.root).toBeDefined();
    const summary = html.slice(html.indexOf('<section id="summary">'), html.indexOf('</section>'));
    expect(summary).toContain(`<p id="root-user"><strong class="phrase">${en.rootState(report.root!)}</strong></p>`);
    const { root: _root, ...withoutRoot } = report;
    expect(renderAuditHtml(withoutRoot, en)).not.toContain('id="root-user"');
  });

  it('turns the table into cards below the breakpoint of its language and columns', () => {
    expect(html).toContain(`@media (max-width: ${tableFrom('en', false, false) - 1}px) {`);
    expect(renderAuditHtml(report, ja)).toContain(`@media (max-width: ${tableFrom('ja', false, false) - 1}px) {`);
    // Each column the report adds (the CloudTrail evidence, the account) needs a wider window before the table shows.
    expect(tableFrom('ja', false, false)).toBeGreaterThan(tableFrom('en', false, false));
    expect(tableFrom('en', true, false)).toBeGreaterThan(tableFrom('en', false, false));
    expect(tableFrom('en', true, true)).toBeGreaterThan(tableFrom('en', true, false));
  });

  it('is Japanese with ja', () => {
    const japanese = renderAuditHtml(report, ja);
    expect(japanese).toContain('<html lang="ja">');
    expect(japanese).toContain('状態別のユーザー数');
  });
});

describe('formats and messages', () => {
  it('renders every format', () => {
    for (const format of AUDIT_FORMATS) expect(renderAudit(report, format, { messages: en }).length).toBeGreaterThan(100);
  });

  it('has every text in both languages', () => {
    const keysOf = (value: object): string[] => Object.keys(value).sort();
    for (const part of ['status', 'statusMeaning', 'reasons', 'nextSteps', 'findings', 'severity', 'fact', 'cause', 'mfaKind', 'factSource', 'sourceKind', 'labels', 'signIns'] as const) {
      expect(keysOf(ja[part]), part).toEqual(keysOf(en[part]));
    }
    expect(() => auditMessages('fr')).toThrow(/language 'fr'/);
  });
});

describe('docs/audit-json.md', () => {
  it('documents every status, reason, next step, finding and CSV column', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/audit-json.md', import.meta.url), 'utf8');
    const codes = [...USER_STATUSES, ...Object.keys(en.reasons), ...Object.keys(en.nextSteps), ...Object.keys(en.findings), ...AUDIT_CSV_COLUMNS];
    const mentioned = (code: string): boolean => new RegExp(`(^|[^a-z_-])${code}($|[^a-z_-])`).test(doc);
    expect(codes.filter((code) => !mentioned(code))).toEqual([]);
  });
});
