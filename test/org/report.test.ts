import { describe, expect, it } from 'vitest';
import { auditMessages } from '../../src/audit/messages/index.js';
import type { AuditReport } from '../../src/audit/types.js';
import type { OrgAccount } from '../../src/org/accounts.js';
import { renderOrgAccountsHtml } from '../../src/org/render/org-html.js';
import { orgAuditJson } from '../../src/org/render/org-json.js';
import { aggregateOrgReport, type OrgAuditReport } from '../../src/org/report.js';
import type { AccountOutcome } from '../../src/org/runner.js';
import { renderAuditHtml } from '../../src/render/audit-html.js';
import { renderAuditMarkdown } from '../../src/render/audit-markdown.js';
import { renderAuditTable } from '../../src/render/audit-table.js';
import { renderOrgAudit } from '../../src/cli/commands/org-audit.js';
import { accountReport, MANAGEMENT, ORG_ID } from './fixtures.js';

const ORGANIZATION = { id: ORG_ID, arn: `arn:aws:organizations::${MANAGEMENT}:organization/${ORG_ID}`, partition: 'aws', managementAccountId: MANAGEMENT };
const account = (id: string, name: string): OrgAccount => ({ id, name, email: undefined, arn: '', management: id === MANAGEMENT });

function sampleReport(): OrgAuditReport {
  const outcomes: AccountOutcome<OrgAccount, AuditReport>[] = [
    { account: account(MANAGEMENT, 'root <main>'), status: 'ok', value: accountReport(), attempts: 1, durationMs: 40 },
    {
      account: account('222222222222', 'locked'),
      status: 'failed',
      reason: 'cannot assume role arn:aws:iam::222222222222:role/OrganizationAccountAccessRole in account 222222222222: AccessDenied: no',
      timedOut: false,
      error: Object.assign(new Error('no'), { name: 'ForceMfaError', cause: Object.assign(new Error('no'), { name: 'AccessDenied' }) }),
      attempts: 1,
      durationMs: 5,
    },
    { account: account('333333333333', 'dev'), status: 'ok', value: accountReport(1), attempts: 2, durationMs: 70 },
  ];
  return aggregateOrgReport({
    organization: ORGANIZATION,
    outcomes,
    skipped: [{ id: '444444444444', name: 'old', state: 'SUSPENDED' }],
    generatedAt: '2025-03-01T12:00:00.000Z',
    options: { guardGroupName: 'ForceMfaAccess', exemptUsers: [], requireHardware: false, allowWithoutMfa: [] },
  });
}

describe('aggregateOrgReport', () => {
  it('sums the accounts it audited and keeps the failed one out of every count', () => {
    const report = sampleReport();
    expect(report.summary.users).toBe(7);
    expect(report.summary.byStatus).toMatchObject({ protected: 3, 'pending-enrollment': 2, unprotected: 2, unknown: 0 });
    expect(report.organization).toMatchObject({ accounts: 3, accountsOk: 2, accountsFailed: 1 });
    expect(report.accounts[1]).toMatchObject({ status: 'failed', summary: null });
    expect(report.findings.find((finding) => finding.accountId === '222222222222')).toMatchObject({
      code: 'data-missing',
      params: { fact: 'users', cause: 'access-denied' },
    });
    expect(report.account).toEqual({ id: null, alias: `organization ${ORG_ID}`, partition: 'aws', signInUrl: null });
  });

  it('still renders with a single-account renderer', () => {
    const markdown = renderAuditMarkdown(sampleReport(), auditMessages('en'));
    expect(markdown).toContain(`organization ${ORG_ID}`);
    expect(markdown).toContain('carol');
  });

  it('tells users of the same name in two accounts apart in the table and in Markdown', () => {
    const table = renderAuditTable(sampleReport(), { messages: auditMessages('en'), color: false });
    const tableLines = table.split('\n');
    expect(tableLines.find((line) => line.startsWith('Account ') && line.includes('User'))).toBeDefined();
    expect(tableLines.filter((line) => /^\S+\s+carol\s/.test(line)).map((line) => line.split(/\s+/)[0])).toEqual([MANAGEMENT, '333333333333']);
    expect(table).toMatch(/\[high\] 222222222222: Users unavailable/);

    const markdown = renderAuditMarkdown(sampleReport(), auditMessages('en'));
    expect(markdown).toContain('| Account | User | Status |');
    expect(markdown).toContain(`| ${MANAGEMENT} | carol |`);
    expect(markdown).toContain('| 333333333333 | carol |');
  });

  it('a single-account report has no account column', () => {
    const single = renderAuditTable(accountReport(), { messages: auditMessages('en'), color: false });
    expect(single).not.toMatch(/^Account\s+User/m);
    expect(renderAuditMarkdown(accountReport(), auditMessages('en'))).toContain('| User | Status |');
    expect(renderAuditHtml(accountReport(), auditMessages('en'))).not.toContain('id="account-filter"');
  });
});

describe('orgAuditJson', () => {
  it('adds accounts[] and the account of every user and finding', () => {
    const json = orgAuditJson(sampleReport(), auditMessages('en')) as {
      accounts: { id: string; status: string; reason: string | null; summary: unknown }[];
      users: { accountId: string; userName: string; status: string }[];
      findings: { accountId: string; code: string; message: string }[];
      organization: { accountsFailed: number };
    };
    expect(json.accounts.map((entry) => [entry.id, entry.status])).toEqual([
      [MANAGEMENT, 'ok'],
      ['222222222222', 'failed'],
      ['333333333333', 'ok'],
    ]);
    expect(json.accounts[1]?.reason).toMatch(/^cannot assume role/);
    expect(json.users.map((user) => `${user.accountId}/${user.userName}:${user.status}`)).toEqual([
      `${MANAGEMENT}/alice:protected`,
      `${MANAGEMENT}/bob:pending-enrollment`,
      `${MANAGEMENT}/carol:unprotected`,
      '333333333333/alice:protected',
      '333333333333/bob:pending-enrollment',
      '333333333333/carol:unprotected',
      '333333333333/user0:protected',
    ]);
    const missing = json.findings.find((finding) => finding.accountId === '222222222222');
    expect(missing?.code).toBe('data-missing');
    expect(typeof missing?.message).toBe('string');
    expect(json.organization.accountsFailed).toBe(1);
  });
});

describe('renderOrgAccountsHtml', () => {
  it('links every account to its own users and says why an account was not audited', () => {
    const html = renderOrgAccountsHtml(sampleReport(), auditMessages('en'));
    for (const id of [MANAGEMENT, '222222222222', '333333333333']) {
      expect(html).toContain(`<a href="#account-${id}">${id}</a>`);
      expect(html).toContain(`<section id="account-${id}"`);
    }
    expect(html).toContain('root &#60;main&#62; (management account)');
    expect(html).not.toContain('root <main>');
    expect(html).toContain('Service control policies never apply to the management account');
    expect(html).toMatch(/data-account="222222222222" data-account-status="failed">.*<td>unknown<\/td>.*cannot assume role/);
    expect(html).toContain('<tr data-account="333333333333" data-status="unprotected"><td>carol</td>');
    expect(html).toContain('444444444444 SUSPENDED');
  });

  it('goes into the single-account HTML page, before its findings', async () => {
    const page = await renderOrgAudit(sampleReport(), 'html', { messages: auditMessages('en') });
    const view = page.indexOf('<section id="accounts"');
    expect(view).toBeGreaterThan(page.indexOf('<section id="summary">'));
    expect(view).toBeLessThan(page.indexOf('<section id="findings">'));
    expect(page.match(/<html/g)).toHaveLength(1);
  });

  it('renderAuditHtml takes the account view in its slot; user rows carry their account for the account filter', () => {
    const report = sampleReport();
    const messages = auditMessages('en');
    const page = renderAuditHtml(report, messages, { accountView: renderOrgAccountsHtml(report, messages) });
    expect(page.indexOf('<section id="accounts"')).toBeLessThan(page.indexOf('<section id="findings">'));
    expect(page).toContain(`<select id="account-filter" aria-label="Account"><option value="">All accounts</option><option value="${MANAGEMENT}">`);
    const carolRows = [...page.matchAll(/<tr data-status="unprotected" data-account="(\d+)"><td class="account" data-label="Account" data-value="\d+"><div class="v"><code>\d+<\/code><\/div><\/td><td class="user" data-label="User" data-value="carol">/g)];
    expect(carolRows.map((match) => match[1])).toEqual([MANAGEMENT, '333333333333']);
    expect(page).toContain(`<a href="#user-list" data-filter-account="333333333333">`);
    expect(page).toContain('<li class="sev-high" data-account="222222222222">');
  });

  it('speaks Japanese when the report does', () => {
    const html = renderOrgAccountsHtml(sampleReport(), auditMessages('ja'));
    expect(html).toContain('アカウント一覧');
    expect(html).toContain('管理アカウント');
  });
});
