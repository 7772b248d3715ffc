/** The audit as one self-contained HTML page: summary chart (inline SVG), findings, a sortable, filterable user table. */
import type { AuditMessages } from '../audit/messages/index.js';
import { STATUS_URGENCY, type AuditReport, type UserStatus } from '../audit/types.js';
import { accountText, evidenceLine, evidenceRead, findingLines, hasAccounts, shareText, sourceLines, summaryLines, userRows } from './audit-view.js';

export const STATUS_COLORS: Readonly<Record<UserStatus, string>> = {
  protected: '#1a7f37',
  'pending-enrollment': '#0969da',
  'enrolled-not-enforced': '#bf8700',
  unprotected: '#cf222e',
  'unprotected-programmatic': '#a40e26',
  'no-credentials': '#6e7781',
  exempt: '#8250df',
  unknown: '#9a6700',
};

/** Everything from the report is escaped: user names, paths, groups and tags are untrusted input. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface AuditHtmlOptions {
  /**
   * A self-contained HTML `<section>` shown between the summary and the findings, e.g. an organization's account
   * view (src/org/render/org-html.ts). It is inserted as given: the caller escapes what it holds.
   */
  readonly accountView?: string;
}

export function renderAuditHtml(report: AuditReport, messages: AuditMessages, options: AuditHtmlOptions = {}): string {
  const labels = messages.labels;
  const e = escapeHtml;
  const rows = userRows(report, messages);
  // An organization report: users of the same name in several accounts are told apart, and filtered, by account.
  const withAccount = hasAccounts(report);
  const withEvidence = evidenceRead(report);
  const accountIds = [...new Set(rows.map((row) => row.accountId).filter((id): id is string => id !== null))].sort();
  const summary = report.summary;
  const sources = sourceLines(report, messages)
    .map((source) => `<li>${e(source.kind)} — <code>${e(source.location)}</code> — ${e(labels.capturedAt)} ${e(source.capturedAt)} (${e(labels.age)} ${e(source.age)})</li>`)
    .join('');
  const findings = findingLines(report, messages);
  const findingItems =
    findings.length === 0
      ? `<p>${e(labels.noFindings)}</p>`
      : `<ul class="findings">${findings
          .map(
            (finding) =>
              `<li class="sev-${e(finding.severityCode)}"${finding.accountId === null ? '' : ` data-account="${e(finding.accountId)}"`}><span class="badge">${e(finding.severity)}</span> ${finding.accountId === null ? '' : `<code>${e(finding.accountId)}</code>: `}${e(finding.text)}</li>`,
          )
          .join('')}</ul>`;
  const statusOptions = summaryLines(report, messages)
    .map((line) => `<option value="${e(line.status)}">${e(line.label)} (${line.count})</option>`)
    .join('');
  const tableRows = rows
    .map((row) => {
      const name = row.path === '/' ? row.userName : `${row.path}${row.userName}`;
      return (
        `<tr data-status="${e(row.status)}"${row.accountId === null ? '' : ` data-account="${e(row.accountId)}"`}>` +
        (withAccount ? `<td data-value="${e(row.accountId ?? '')}"><code>${e(row.accountId ?? '')}</code></td>` : '') +
        `<td data-value="${e(name.toLowerCase())}"><strong>${e(name)}</strong>${row.groups === '' ? '' : `<div class="muted">${e(row.groups)}</div>`}</td>` +
        `<td data-value="${STATUS_URGENCY[row.status]}"><span class="status" style="background:${STATUS_COLORS[row.status]}">${e(row.statusLabel)}</span></td>` +
        `<td data-value="${e(row.enforced)}">${e(row.enforced)}</td>` +
        `<td data-value="${e(row.mfa)}">${e(row.mfa)}</td>` +
        `<td data-value="${e(row.consolePassword)}">${e(row.consolePassword)}</td>` +
        `<td data-value="${e(row.accessKeys)}">${e(row.accessKeys)}</td>` +
        (withEvidence ? `<td data-value="${e(row.signInsWithoutMfa)}">${e(row.signInsWithoutMfa)}</td>` : '') +
        `<td><ul class="reasons">${row.reasons.map((reason) => `<li>${e(reason)}</li>`).join('')}</ul></td>` +
        `<td>${e(row.nextStep)}</td>` +
        `</tr>`
      );
    })
    .join('\n');
  const userSection =
    rows.length === 0
      ? `<p>${e(labels.noUsers)}</p>`
      : `<div class="controls">
<input id="filter" type="search" placeholder="${e(labels.filterPlaceholder)}" aria-label="${e(labels.filterPlaceholder)}">
<select id="status-filter" aria-label="${e(labels.status)}"><option value="">${e(labels.allStatuses)}</option>${statusOptions}</select>
${
  withAccount
    ? `<select id="account-filter" aria-label="${e(labels.account)}"><option value="">${e(labels.allAccounts)}</option>${accountIds.map((id) => `<option value="${e(id)}">${e(id)}</option>`).join('')}</select>\n`
    : ''
}<span id="shown" aria-live="polite">${e(labels.showing(rows.length, rows.length))}</span>
</div>
<p class="muted">${e(labels.sortHint)}</p>
<table id="users">
<thead><tr>
${withAccount ? `<th data-type="text" tabindex="0">${e(labels.account)}</th>\n` : ''}<th data-type="text" tabindex="0">${e(labels.user)}</th>
<th data-type="number" tabindex="0" aria-sort="ascending">${e(labels.status)}</th>
<th data-type="text" tabindex="0">${e(labels.enforced)}</th>
<th data-type="text" tabindex="0">${e(labels.mfa)}</th>
<th data-type="text" tabindex="0">${e(labels.consolePassword)}</th>
<th data-type="text" tabindex="0">${e(labels.accessKeys)}</th>
${withEvidence ? `<th data-type="text" tabindex="0">${e(messages.signIns.column)}</th>\n` : ''}<th>${e(labels.reasons)}</th>
<th>${e(labels.nextStep)}</th>
</tr></thead>
<tbody>
${tableRows}
</tbody>
</table>`;

  return `<!DOCTYPE html>
<html lang="${messages.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${e(labels.title)} — ${e(accountText(report, messages))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(labels.title)}</h1>
<p>${e(labels.account)}: <strong>${e(accountText(report, messages))}</strong>${
    report.account.signInUrl === null ? '' : ` · ${e(labels.signInUrl)}: <code>${e(report.account.signInUrl)}</code>`
  } · ${e(labels.generatedAt)}: ${e(messages.date(report.generatedAt))}</p>
</header>
<section id="summary">
<h2>${e(labels.summary)}</h2>
<div class="figures">
<div class="figure"><span class="number">${summary.users}</span><span>${e(labels.users)}</span></div>
<div class="figure"><span class="number">${summary.inScope}</span><span>${e(labels.inScope)}</span></div>
<div class="figure"><span class="number">${e(shareText(summary.enrolledShare, messages))}</span><span>${e(labels.enrolledShare)}</span></div>
<div class="figure"><span class="number">${e(shareText(summary.protectedShare, messages))}</span><span>${e(labels.protectedShare)}</span></div>
</div>
${chart(report, messages)}
</section>
${options.accountView === undefined ? '' : `${options.accountView}\n`}<section id="findings">
<h2>${e(labels.findings)}</h2>
${findingItems}
</section>
<section id="user-list">
<h2>${e(labels.users)}</h2>
${userSection}
</section>
<footer>
<h2>${e(labels.sources)}</h2>
<ul>${sources}<li>${e(evidenceLine(report, messages))}</li></ul>
</footer>
<script>${tableScript(labels.showing(1234567, 7654321))}</script>
</body>
</html>
`;
}

function chart(report: AuditReport, messages: AuditMessages): string {
  const lines = summaryLines(report, messages);
  const most = Math.max(1, ...lines.map((line) => line.count));
  const rowHeight = 30;
  const labelWidth = 230;
  const barWidth = 360;
  const height = lines.length * rowHeight + 10;
  const bars = lines
    .map((line, index) => {
      const y = index * rowHeight + 5;
      const width = line.count === 0 ? 0 : Math.max(2, Math.round((line.count / most) * barWidth));
      return (
        `<g class="bar" data-status="${escapeHtml(line.status)}" tabindex="0" role="button"><title>${escapeHtml(`${line.label}: ${line.count} — ${line.meaning}`)}</title>` +
        `<text x="${labelWidth - 8}" y="${y + 19}" text-anchor="end">${escapeHtml(line.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 10}" rx="3" fill="${STATUS_COLORS[line.status]}"></rect>` +
        `<text x="${labelWidth + width + 6}" y="${y + 19}" class="count">${line.count}</text></g>`
      );
    })
    .join('');
  return `<svg id="chart" role="img" aria-label="${escapeHtml(messages.labels.chartTitle)}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" width="100%" style="max-width:${labelWidth + barWidth + 60}px"><title>${escapeHtml(messages.labels.chartTitle)}</title>${bars}</svg>`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --head: #151b23; } }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1400px; padding: 1rem 2rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
code { font-size: .9em; } .muted { color: var(--muted); font-size: .9em; }
.figures { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; display: flex; flex-direction: column; min-width: 9rem; }
.figure .number { font-size: 1.6rem; font-weight: 600; }
#chart text { fill: var(--fg); font-size: 13px; } #chart .bar { cursor: pointer; } #chart .bar:hover rect, #chart .bar:focus rect { opacity: .8; }
.findings { list-style: none; padding: 0; } .findings li { margin: .3rem 0; }
.badge { display: inline-block; min-width: 4.5rem; text-align: center; border-radius: 4px; padding: 0 .4rem; color: #fff; font-size: .85em; background: #6e7781; }
.sev-critical .badge { background: #a40e26; } .sev-high .badge { background: #cf222e; } .sev-warning .badge { background: #9a6700; } .sev-info .badge { background: #0969da; }
.controls { display: flex; gap: .8rem; align-items: center; flex-wrap: wrap; margin-bottom: .3rem; }
.controls input { min-width: 20rem; padding: .3rem .5rem; } .controls select { padding: .3rem; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--head); position: sticky; top: 0; white-space: nowrap; } th[data-type] { cursor: pointer; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
.status { color: #fff; border-radius: 10px; padding: .05rem .55rem; white-space: nowrap; font-size: .9em; }
.reasons { margin: 0; padding-left: 1.1rem; } tr[hidden] { display: none; }
`;

/** Sorting and filtering; reads only the page's own cells. The "showing" text is built from a template with two slots. */
function tableScript(sample: string): string {
  return `
(function () {
  const table = document.getElementById('users');
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const filter = document.getElementById('filter');
  const statusFilter = document.getElementById('status-filter');
  const accountFilter = document.getElementById('account-filter');
  const shown = document.getElementById('shown');
  const template = ${JSON.stringify(sample).replace(/</g, '\\u003c')};
  function showingText(count, total) {
    return template.replace('1234567', String(count)).replace('7654321', String(total));
  }
  function apply() {
    const needle = filter.value.trim().toLowerCase();
    const status = statusFilter.value;
    const account = accountFilter ? accountFilter.value : '';
    let count = 0;
    for (const row of rows) {
      const visible =
        (status === '' || row.dataset.status === status) &&
        (account === '' || row.dataset.account === account) &&
        (needle === '' || row.textContent.toLowerCase().includes(needle));
      row.hidden = !visible;
      if (visible) count++;
    }
    shown.textContent = showingText(count, rows.length);
  }
  filter.addEventListener('input', apply);
  statusFilter.addEventListener('change', apply);
  if (accountFilter) accountFilter.addEventListener('change', apply);
  // A link to an account's users (#account-<id>, from the account view) also filters the table to that account.
  for (const link of document.querySelectorAll('a[data-filter-account]')) {
    link.addEventListener('click', function () {
      if (!accountFilter) return;
      accountFilter.value = link.dataset.filterAccount;
      apply();
    });
  }
  for (const bar of document.querySelectorAll('#chart .bar')) {
    const choose = function () { statusFilter.value = statusFilter.value === bar.dataset.status ? '' : bar.dataset.status; apply(); };
    bar.addEventListener('click', choose);
    bar.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); choose(); } });
  }
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach(function (header, column) {
    if (!header.dataset.type) return;
    const sort = function () {
      const ascending = header.getAttribute('aria-sort') !== 'ascending';
      headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const numeric = header.dataset.type === 'number';
      const value = function (row) { const text = row.cells[column].dataset.value || ''; return numeric ? Number(text) : text; };
      const sorted = rows.slice().sort(function (a, b) {
        const x = value(a), y = value(b);
        const order = numeric ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
      for (const row of sorted) body.appendChild(row);
    };
    header.addEventListener('click', sort);
    header.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); } });
  });
})();
`;
}
