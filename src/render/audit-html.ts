/**
 * The audit as one self-contained HTML page: summary chart, findings (most severe first), a sortable, filterable user
 * table that becomes one card per user on a narrow screen, and a print stylesheet.
 */
import type { AuditMessages } from '../audit/messages/index.js';
import { STATUS_URGENCY, type AuditReport, type UserStatus } from '../audit/types.js';
import { accountText, evidenceLine, evidenceRead, findingLines, hasAccounts, rootLine, shareText, sourceLines, summaryLines, userRows } from './audit-view.js';

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
  const root = rootLine(report, messages);
  const sources = sourceLines(report, messages)
    .map(
      (source) =>
        `<li class="prose">${e(source.kind)} — <code>${e(source.location)}</code> — ${e(labels.capturedAt)} ${
          // An unknown time says why once ("unknown: the export records no time"), not twice.
          source.ageKnown ? `${e(source.capturedAt)} (${e(labels.age)} ${e(source.age)})` : e(source.age)
        }</li>`,
    )
    .join('');
  const findings = findingLines(report, messages);
  const findingItems =
    findings.length === 0
      ? `<p>${e(labels.noFindings)}</p>`
      : `<ul class="findings">${findings
          .map(
            (finding) =>
              `<li class="sev-${e(finding.severityCode)}"${finding.accountId === null ? '' : ` data-account="${e(finding.accountId)}"`}><span class="badge label">${e(finding.severity)}</span> <span class="prose">${finding.accountId === null ? '' : `<code>${e(finding.accountId)}</code>: `}${prose(finding.text)}</span></li>`,
          )
          .join('')}</ul>`;
  const statusOptions = summaryLines(report, messages)
    .map((line) => `<option value="${e(line.status)}">${e(line.label)} (${line.count})</option>`)
    .join('');
  // Each cell names its column (data-label): on a narrow screen the row is a card and the label stands beside the value.
  const cell = (label: string, className: string, value: string | null, content: string): string =>
    `<td class="${className}" data-label="${e(label)}"${value === null ? '' : ` data-value="${e(value)}"`}><div class="v">${content}</div></td>`;
  const tableRows = rows
    .map((row) => {
      const name = row.path === '/' ? row.userName : `${row.path}${row.userName}`;
      return (
        `<tr data-status="${e(row.status)}"${row.accountId === null ? '' : ` data-account="${e(row.accountId)}"`}>` +
        (withAccount ? cell(labels.account, 'account', row.accountId ?? '', `<code>${e(row.accountId ?? '')}</code>`) : '') +
        cell(labels.user, 'user', name.toLowerCase(), `<strong>${e(name)}</strong>${row.groups === '' ? '' : `<div class="muted">${e(row.groups)}</div>`}`) +
        cell(labels.status, 'status-cell', String(STATUS_URGENCY[row.status]), `<span class="status label" style="background:${STATUS_COLORS[row.status]}">${e(row.statusLabel)}</span>`) +
        cell(labels.enforced, 'value', row.enforced, `<span class="label">${e(row.enforced)}</span>`) +
        cell(labels.mfa, 'value mfa', row.mfa, `<span class="phrase">${e(row.mfa)}</span>`) +
        cell(labels.consolePassword, 'value', row.consolePassword, `<span class="label">${e(row.consolePassword)}</span>`) +
        cell(labels.accessKeys, 'value', row.accessKeys, `<span class="label">${e(row.accessKeys)}</span>`) +
        (withEvidence ? cell(messages.signIns.column, 'value', row.signInsWithoutMfa, `<span class="prose">${e(row.signInsWithoutMfa)}</span>`) : '') +
        cell(labels.reasons, 'reasons-cell', null, `<ul class="reasons">${row.reasons.map((reason) => `<li class="prose">${prose(reason)}</li>`).join('')}</ul>`) +
        cell(labels.nextStep, 'next-step', null, `<span class="prose">${prose(row.nextStep)}</span>`) +
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
<p class="muted sort-hint">${e(labels.sortHint)}</p>
<table id="users">
<thead><tr>
${withAccount ? `<th data-type="text" tabindex="0" class="label">${e(labels.account)}</th>\n` : ''}<th data-type="text" tabindex="0" class="label">${e(labels.user)}</th>
<th data-type="number" tabindex="0" aria-sort="ascending" class="label">${e(labels.status)}</th>
<th data-type="text" tabindex="0" class="label">${e(labels.enforced)}</th>
<th data-type="text" tabindex="0" class="label">${e(labels.mfa)}</th>
<th data-type="text" tabindex="0" class="label">${e(labels.consolePassword)}</th>
<th data-type="text" tabindex="0" class="label">${e(labels.accessKeys)}</th>
${withEvidence ? `<th data-type="text" tabindex="0" class="label">${e(messages.signIns.column)}</th>\n` : ''}<th class="label">${e(labels.reasons)}</th>
<th class="label">${e(labels.nextStep)}</th>
</tr></thead>
<tbody>
${tableRows}
</tbody>
</table>`;
  const signIn = report.account.signInUrl;

  return `<!DOCTYPE html>
<html lang="${messages.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${e(labels.title)} — ${e(accountText(report, messages))}</title>
<style>${style(tableFrom(messages.language, withEvidence, withAccount))}</style>
</head>
<body>
<header>
<h1>${e(labels.title)}</h1>
<p><span class="label">${e(labels.account)}:</span> <strong>${e(accountText(report, messages))}</strong>${
    signIn === null ? '' : ` · <span class="label">${e(labels.signInUrl)}:</span> <a class="url" href="${e(signIn)}"><code>${e(signIn)}</code></a>`
  } · <span class="label">${e(labels.generatedAt)}:</span> <span class="label">${e(messages.date(report.generatedAt))}</span></p>
</header>
<section id="summary">
<h2>${e(labels.summary)}</h2>
<div class="figures">
<div class="figure"><span class="number">${summary.users}</span><span class="label">${e(labels.users)}</span></div>
<div class="figure"><span class="number">${summary.inScope}</span><span class="label">${e(labels.inScope)}</span></div>
<div class="figure"><span class="number">${e(shareText(summary.enrolledShare, messages))}</span><span class="label">${e(labels.enrolledShare)}</span></div>
<div class="figure"><span class="number">${e(shareText(summary.protectedShare, messages))}</span><span class="label">${e(labels.protectedShare)}</span></div>
</div>
${root === null ? '' : `<p id="root-user"><strong class="phrase">${e(root)}</strong></p>\n`}${chart(report, messages)}
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
<ul>${sources}<li class="prose">${prose(evidenceLine(report, messages))}</li></ul>
</footer>
<script>${tableScript(labels.showing(1234567, 7654321))}</script>
</body>
</html>
`;
}

/**
 * Escaped running text in which long identifiers (ARNs, paths, policy names: runs of 24 or more non-space ASCII
 * characters) break after their separators first and anywhere if they must, so they never widen the page; words and
 * Japanese phrases keep their own rules. The separators are matched after escaping: no entity contains them.
 */
function prose(text: string): string {
  return text
    .split(/([\x21-\x7e]{24,})/)
    .map((part, index) => (index % 2 === 1 ? `<span class="long">${escapeHtml(part).replace(/([/:,])/g, '$1<wbr>')}</span>` : escapeHtml(part)))
    .join('');
}

/** Horizontal bars in HTML (not SVG), so the labels keep their size and wrap on a phone. Each bar filters the table. */
function chart(report: AuditReport, messages: AuditMessages): string {
  const lines = summaryLines(report, messages);
  const most = Math.max(1, ...lines.map((line) => line.count));
  const bars = lines
    .map((line) => {
      const share = line.count === 0 ? 0 : Math.max(1, Math.round((line.count / most) * 1000) / 10);
      return (
        `<div class="bar" data-status="${escapeHtml(line.status)}" tabindex="0" role="button" title="${escapeHtml(`${line.label}: ${line.count} — ${line.meaning}`)}">` +
        `<span class="bar-label label">${escapeHtml(line.label)}</span>` +
        `<span class="track"><span class="fill" style="width:${share}%;background:${STATUS_COLORS[line.status]}"></span><span class="count">${line.count}</span></span></div>`
      );
    })
    .join('');
  return `<div id="chart" role="group" aria-label="${escapeHtml(messages.labels.chartTitle)}"><h3 class="chart-title">${escapeHtml(messages.labels.chartTitle)}</h3>${bars}</div>`;
}

/**
 * The narrowest window (CSS px) that shows the user table; below it each user is a card. Measured in Chromium with
 * real fonts (Noto Sans CJK for Japanese) and without them: the short columns take their longest unbreakable label
 * (Japanese ones are wider: コンソールパスワード, 認証アプリケーション), and Reasons and Next step still get about 17rem
 * each; a narrower window gets cards, side by side where they fit. Every extra column (the CloudTrail evidence, the
 * account) moves it up.
 */
export function tableFrom(language: AuditMessages['language'], withEvidence: boolean, withAccount: boolean): number {
  return (language === 'ja' ? 1360 : 1100) + (withEvidence ? 140 : 0) + (withAccount ? 130 : 0);
}

/*
 * Layout: a table from \`tableFrom\` px up, where every column fits (identifiers may break anywhere, prose wraps),
 * Reasons and Next step take the room and the short value columns stay narrow; below it one card per user (several
 * side by side on a wide screen) with the next step right after the status, labels in a column as wide as the
 * longest one and long values (reasons, next step) under their label across the card. Japanese labels never break
 * inside a word (keep-all, strict line breaking); Japanese prose and device lists break between phrases where the
 * browser knows them (auto-phrase).
 */
const style = (tableFrom: number): string => `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --head: #151b23; --accent: #4493f8; } }
*, *::before, *::after { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Noto Sans CJK JP", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1440px; padding: 1rem 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
a { color: var(--accent); }
code { font-size: .9em; overflow-wrap: anywhere; } .muted { color: var(--muted); font-size: .9em; }
.long, td.user strong, td.user .muted { overflow-wrap: anywhere; } header .label { white-space: nowrap; }
:lang(ja) { line-break: strict; }
:lang(ja) .label, :lang(ja) th, :lang(ja) h1, :lang(ja) h2, :lang(ja) h3, :lang(ja) option { word-break: keep-all; }
:lang(ja) .prose, :lang(ja) .phrase { word-break: auto-phrase; }
.figures { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; display: flex; flex-direction: column; min-width: 9rem; flex: 0 1 auto; }
.figure .number { font-size: 1.6rem; font-weight: 600; }
#chart { max-width: 46rem; } .chart-title { font-size: 1rem; margin: .5rem 0; }
#chart .bar { display: grid; grid-template-columns: minmax(7rem, 14rem) 1fr; gap: .6rem; align-items: center; padding: .15rem .3rem; border-radius: 4px; cursor: pointer; }
#chart .bar:hover, #chart .bar:focus { background: var(--head); }
.bar-label { text-align: right; } .track { display: flex; align-items: center; gap: .4rem; min-width: 0; }
.fill { display: inline-block; height: 1.1rem; border-radius: 3px; } .count { font-variant-numeric: tabular-nums; }
.findings { list-style: none; padding: 0; } .findings li { margin: .3rem 0; display: flex; gap: .5rem; align-items: baseline; }
.badge { display: inline-block; flex: none; min-width: 4.5rem; text-align: center; border-radius: 4px; padding: 0 .4rem; color: #fff; font-size: .85em; background: #6e7781; }
.sev-critical .badge { background: #a40e26; } .sev-high .badge { background: #cf222e; } .sev-warning .badge { background: #9a6700; } .sev-info .badge { background: #0969da; }
.controls { display: flex; gap: .8rem; align-items: center; flex-wrap: wrap; margin-bottom: .3rem; }
.controls input { flex: 1 1 16rem; max-width: 24rem; min-width: 0; padding: .3rem .5rem; } .controls select { padding: .3rem; max-width: 100%; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--head); position: sticky; top: 0; } th[data-type] { cursor: pointer; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
#users td.user { min-width: 8rem; } #users td.status-cell { min-width: 7.5rem; } #users td.value { width: 1%; }
#users td.reasons-cell, #users td.next-step { min-width: 14rem; } #users td.reasons-cell { width: 30%; } #users td.next-step { width: 26%; }
.status { display: inline-block; color: #fff; border-radius: 10px; padding: .05rem .55rem; font-size: .9em; }
.reasons { margin: 0; padding-left: 1.1rem; } tr[hidden] { display: none; }
footer li { overflow-wrap: anywhere; }
@media (max-width: ${tableFrom - 1}px) {
  body { padding: .75rem 1rem; }
  #users thead, .sort-hint { display: none; }
  #users { display: block; }
  #users tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 26rem), 1fr)); gap: .8rem; align-items: start; }
  #users tr { display: grid; grid-template-columns: fit-content(min(45%, 12rem)) minmax(0, 1fr); column-gap: .8rem; border: 1px solid var(--line); border-radius: 8px; padding: .3rem .2rem; min-width: 0; }
  #users tr[hidden] { display: none; }
  #users td { display: grid; grid-column: 1 / -1; grid-template-columns: subgrid; border: 0; padding: .2rem .6rem; min-width: 0; }
  #users td::before { content: attr(data-label); color: var(--muted); font-weight: 600; }
  :lang(ja) #users td::before { word-break: keep-all; }
  #users td.user { order: 0; font-size: 1.05em; } #users td.status-cell { order: 1; }
  #users td.next-step { order: 2; background: var(--head); border-left: 3px solid var(--accent); border-radius: 4px; margin: .2rem .4rem; padding: .4rem .5rem; }
  #users td.value { order: 3; width: auto; } #users td.reasons-cell { order: 4; } #users td.account { order: 0; }
  #users td.reasons-cell, #users td.next-step { display: block; width: auto; min-width: 0; }
  #users td.reasons-cell::before, #users td.next-step::before { display: block; }
  .bar-label { text-align: left; } #chart .bar { grid-template-columns: minmax(6rem, 40%) 1fr; }
  #accounts table { display: block; overflow-x: auto; }
}
@media print {
  :root { color-scheme: light; --fg: #000; --bg: #fff; --muted: #444; --line: #999; --head: #eee; --accent: #000; }
  @page { margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .controls, .sort-hint, script { display: none !important; }
  #users tr[hidden] { display: table-row !important; }
  @media (max-width: ${tableFrom - 1}px) { #users tr[hidden] { display: grid !important; } }
  th { position: static; } thead { display: table-header-group; }
  th[aria-sort]::after { content: none; } th[data-type], #chart .bar { cursor: auto; }
  tr, .findings li, .figure, #chart, #users tr { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  a[href^="http"]:not(.url)::after { content: " (" attr(href) ")"; overflow-wrap: anywhere; }
  .status, .badge, .fill, td.next-step { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
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
