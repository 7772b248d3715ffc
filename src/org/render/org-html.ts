/** The organization report's account view in HTML: one row per account, each linking to its own list of users. */
import { nextStepText, type AuditMessages } from '../../audit/messages/index.js';
import { STATUS_URGENCY } from '../../audit/types.js';
import { escapeHtml as escape } from '../../render/audit-html.js';
import { orgMessages } from '../messages.js';
import type { OrgAccountEntry, OrgAuditReport, OrgUserAudit } from '../report.js';

/** The anchor of an account's user list; the account table and any user table may link to it. */
export function accountAnchor(accountId: string): string {
  return `account-${accountId}`;
}

/**
 * A self-contained `<section>` (no script, no external resource) for the `accountView` slot of the audit's HTML page
 * (renderAuditHtml): the accounts, then each account's users under `id="account-<id>"`. Rows carry `data-account`
 * and `data-status`; links with `data-filter-account` make the page's user table show that account only.
 */
export function renderOrgAccountsHtml(report: OrgAuditReport, messages: AuditMessages): string {
  const text = orgMessages(messages.language);
  const usersByAccount = new Map<string, OrgUserAudit[]>();
  for (const user of report.users) usersByAccount.set(user.accountId, [...(usersByAccount.get(user.accountId) ?? []), user]);
  const org = report.organization;
  const skipped =
    org.skipped.length === 0
      ? ''
      : `<p>${escape(text.skipped(org.skipped.length, org.skipped.map((account) => `${account.id} ${account.state}`).join(', ')))}</p>`;
  const rows = report.accounts.map((account) => accountRow(account, text, messages)).join('\n');
  const lists = report.accounts.map((account) => userList(account, usersByAccount.get(account.id) ?? [], text, messages)).join('\n');
  return `<section id="accounts" class="org-accounts">
<h2>${escape(text.accounts)}</h2>
<p>${escape(text.totals(org.accountsOk, org.accountsFailed))}${org.accountsFailed > 0 ? ` ${escape(text.failedNote)}` : ''}</p>
${skipped}<table class="org-accounts">
<thead><tr><th>${escape(text.account)}</th><th>${escape(text.name)}</th><th>${escape(text.status)}</th><th>${escape(text.users)}</th><th>${escape(messages.status.protected)}</th><th>${escape(messages.status.unprotected)}</th><th>${escape(messages.status.unknown)}</th><th>${escape(text.reason)}</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${lists}
</section>`;
}

function accountRow(account: OrgAccountEntry, text: ReturnType<typeof orgMessages>, messages: AuditMessages): string {
  const summary = account.summary;
  const count = (value: number | undefined): string => (summary === null || value === undefined ? escape(text.usersUnknown) : String(value));
  const unprotected = summary === null ? undefined : summary.byStatus.unprotected + summary.byStatus['unprotected-programmatic'];
  const name = account.management ? `${account.name} (${text.management})` : account.name;
  const id = escape(account.id);
  return `<tr data-account="${id}" data-account-status="${account.status}"><td><a href="#${accountAnchor(account.id)}">${id}</a></td><td>${escape(name)}</td><td>${escape(account.status === 'ok' ? text.ok : text.failed)}</td><td>${count(summary?.users)}</td><td>${count(summary?.byStatus.protected)}</td><td>${count(unprotected)}</td><td>${count(summary?.byStatus.unknown)}</td><td>${escape(account.reason ?? '')}</td><td>${filterLink(account.id, text)}</td></tr>`;
}

function userList(account: OrgAccountEntry, users: readonly OrgUserAudit[], text: ReturnType<typeof orgMessages>, messages: AuditMessages): string {
  const title = `${account.id} ${account.name}`;
  const note = account.management ? `<p>${escape(text.managementNote)}</p>\n` : '';
  const back = `<p><a href="#accounts">${escape(text.backToAccounts)}</a> · ${filterLink(account.id, text)}</p>`;
  if (account.status === 'failed') {
    return `<section id="${accountAnchor(account.id)}" data-account="${escape(account.id)}">
<h3>${escape(title)}</h3>
${note}<p>${escape(text.failed)}: ${escape(account.reason ?? '')}. ${escape(text.failedNote)}</p>
${back}
</section>`;
  }
  const sorted = [...users].sort(
    (a, b) => STATUS_URGENCY[a.status] - STATUS_URGENCY[b.status] || (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0),
  );
  const rows = sorted
    .map(
      (user) =>
        `<tr data-account="${escape(account.id)}" data-status="${user.status}"><td>${escape(user.userName)}</td><td>${escape(messages.status[user.status])}</td><td>${escape(nextStepText(messages, user.nextStep))}</td></tr>`,
    )
    .join('\n');
  const body = sorted.length === 0 ? `<p>${escape(messages.labels.noUsers)}</p>` : `<table>
<thead><tr><th>${escape(messages.labels.user)}</th><th>${escape(messages.labels.status)}</th><th>${escape(messages.labels.nextStep)}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return `<section id="${accountAnchor(account.id)}" data-account="${escape(account.id)}">
<h3>${escape(title)}</h3>
${note}${body}
${back}
</section>`;
}

/** A link to the page's user table, filtered to one account (the page script reads `data-filter-account`). */
function filterLink(accountId: string, text: ReturnType<typeof orgMessages>): string {
  return `<a href="#user-list" data-filter-account="${escape(accountId)}">${escape(text.showUsers)}</a>`;
}
