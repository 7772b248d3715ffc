/** The audit as Markdown: for pull requests, tickets and wikis; untrusted text is escaped. */
import type { AuditMessages } from '../audit/messages/index.js';
import type { AuditReport } from '../audit/types.js';
import { accountText, evidenceLine, evidenceRead, findingLines, hasAccounts, rootLine, shareText, sourceLines, summaryLines, userRows } from './audit-view.js';

export function renderAuditMarkdown(report: AuditReport, messages: AuditMessages): string {
  const labels = messages.labels;
  const out: string[] = [];
  out.push(`# ${labels.title}`, '');
  out.push(`- ${labels.account}: ${md(accountText(report, messages))}`);
  if (report.account.signInUrl !== null) out.push(`- ${labels.signInUrl}: ${md(report.account.signInUrl)}`);
  out.push(`- ${labels.generatedAt}: ${messages.date(report.generatedAt)}`);
  for (const source of sourceLines(report, messages)) {
    out.push(`- ${labels.source}: ${md(source.kind)} (${md(source.location)}), ${labels.age} ${source.age}`);
  }
  out.push(`- ${md(evidenceLine(report, messages))}`);
  const root = rootLine(report, messages);
  if (root !== null) out.push(`- ${md(root)}`);
  out.push('', `## ${labels.summary}`, '');
  const summary = report.summary;
  out.push(
    `${summary.users} ${md(labels.users.toLowerCase())} · ${labels.inScope}: ${summary.inScope} · ${labels.enrolledShare}: ${shareText(summary.enrolledShare, messages)} · ${labels.protectedShare}: ${shareText(summary.protectedShare, messages)}`,
    '',
  );
  out.push(`| ${labels.status} | ${labels.count} | |`, '|---|---:|---|');
  for (const line of summaryLines(report, messages)) out.push(`| ${md(line.label)} | ${line.count} | ${md(line.meaning)} |`);
  out.push('', `## ${labels.findings}`, '');
  const findings = findingLines(report, messages);
  if (findings.length === 0) out.push(labels.noFindings);
  for (const finding of findings) {
    out.push(`- **${md(finding.severity)}** ${finding.accountId === null ? '' : `${md(finding.accountId)}: `}${md(finding.text)}`);
  }
  out.push('', `## ${labels.users}`, '');
  const rows = userRows(report, messages);
  if (rows.length === 0) out.push(labels.noUsers);
  else {
    // In an organization report the same user name may exist in several accounts: the account comes first.
    const withAccount = hasAccounts(report);
    const withEvidence = evidenceRead(report);
    out.push(
      `|${withAccount ? ` ${labels.account} |` : ''} ${labels.user} | ${labels.status} | ${labels.enforced} | ${labels.mfa} | ${labels.consolePassword} | ${labels.accessKeys} |${withEvidence ? ` ${md(messages.signIns.column)} |` : ''} ${labels.reasons} | ${labels.nextStep} |`,
      `|${withAccount ? '---|' : ''}---|---|---|---|---|---|${withEvidence ? '---|' : ''}---|---|`,
    );
    for (const row of rows) {
      const name = row.path === '/' ? row.userName : `${row.path}${row.userName}`;
      out.push(
        `|${withAccount ? ` ${md(row.accountId ?? '')} |` : ''} ${md(name)} | ${md(row.statusLabel)} | ${md(row.enforced)} | ${md(row.mfa)} | ${md(row.consolePassword)} | ${md(row.accessKeys)} |${withEvidence ? ` ${md(row.signInsWithoutMfa)} |` : ''} ${row.reasons.map(md).join('<br>')} | ${md(row.nextStep)} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Markdown and inline HTML are neutralised: a user name cannot become a link, markup or a new table cell. */
export function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]{}()#+!|~])/g, '\\$1');
}
