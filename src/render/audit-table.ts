/** The audit on a terminal: account, sources, summary with bars, findings, and one line per user. */
import type { AuditMessages } from '../audit/messages/index.js';
import type { AuditReport, Severity, UserStatus } from '../audit/types.js';
import { accountText, evidenceLine, evidenceRead, findingLines, hasAccounts, rootLine, shareText, sourceLines, summaryLines, userRows } from './audit-view.js';

export interface AuditTableOptions {
  readonly messages: AuditMessages;
  readonly color: boolean;
}

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', blue: '\u001b[34m', magenta: '\u001b[35m', cyan: '\u001b[36m' } as const;
type Tint = keyof typeof ANSI;

export const STATUS_TINT: Readonly<Record<UserStatus, Tint>> = {
  protected: 'green',
  'pending-enrollment': 'cyan',
  'enrolled-not-enforced': 'yellow',
  unprotected: 'red',
  'unprotected-programmatic': 'magenta',
  'no-credentials': 'dim',
  exempt: 'blue',
  unknown: 'yellow',
};
const SEVERITY_TINT: Readonly<Record<Severity, Tint>> = { critical: 'red', high: 'red', warning: 'yellow', info: 'cyan' };

export function renderAuditTable(report: AuditReport, options: AuditTableOptions): string {
  const { messages } = options;
  const labels = messages.labels;
  const paint = (tint: Tint, text: string): string => (options.color ? `${ANSI[tint]}${text}${ANSI.reset}` : text);
  const lines: string[] = [];
  lines.push(paint('bold', labels.title));
  lines.push(`${labels.account}: ${clean(accountText(report, messages))}    ${labels.generatedAt}: ${messages.date(report.generatedAt)}`);
  for (const source of sourceLines(report, messages)) {
    lines.push(`${labels.source}: ${source.kind} — ${clean(source.location)} — ${labels.age} ${source.age}`);
  }
  lines.push(clean(evidenceLine(report, messages)));
  const root = rootLine(report, messages);
  if (root !== null) lines.push(clean(root));
  lines.push('');
  const summary = report.summary;
  lines.push(
    paint('bold', `${labels.summary}: ${summary.users} ${labels.users.toLowerCase()}`) +
      `    ${labels.inScope}: ${summary.inScope}    ${labels.enrolledShare}: ${shareText(summary.enrolledShare, messages)}    ${labels.protectedShare}: ${shareText(summary.protectedShare, messages)}`,
  );
  const statusLines = summaryLines(report, messages);
  const labelWidth = Math.max(...statusLines.map((line) => displayWidth(line.label)));
  const most = Math.max(1, ...statusLines.map((line) => line.count));
  for (const line of statusLines) {
    const bar = '█'.repeat(Math.round((line.count / most) * 30));
    lines.push(`  ${pad(line.label, labelWidth)}  ${String(line.count).padStart(6)}  ${paint(STATUS_TINT[line.status], bar)}`);
  }
  lines.push('');
  lines.push(paint('bold', labels.findings));
  const findings = findingLines(report, messages);
  if (findings.length === 0) lines.push(`  ${labels.noFindings}`);
  for (const finding of findings) {
    const account = finding.accountId === null ? '' : `${finding.accountId}: `;
    lines.push(`  ${paint(SEVERITY_TINT[finding.severityCode as Severity], `[${finding.severity}]`)} ${clean(account + finding.text)}`);
  }
  lines.push('');
  const rows = userRows(report, messages);
  if (rows.length === 0) {
    lines.push(labels.noUsers);
    return `${lines.join('\n')}\n`;
  }
  // In an organization report the same user name may exist in several accounts: the account comes first.
  const withAccount = hasAccounts(report);
  const withEvidence = evidenceRead(report);
  const header = [
    ...(withAccount ? [labels.account] : []),
    labels.user,
    labels.status,
    labels.enforced,
    labels.mfa,
    labels.consolePassword,
    labels.accessKeys,
    ...(withEvidence ? [messages.signIns.column] : []),
    labels.nextStep,
  ];
  const statusColumn = withAccount ? 2 : 1;
  const cells = rows.map((row) => [
    ...(withAccount ? [clean(row.accountId ?? '')] : []),
    clean(row.path === '/' ? row.userName : `${row.path}${row.userName}`),
    row.statusLabel,
    row.enforced,
    row.mfa,
    row.consolePassword,
    row.accessKeys,
    ...(withEvidence ? [clean(row.signInsWithoutMfa)] : []),
    clean(row.nextStep),
  ]);
  const widths = header.map((title, column) =>
    column === header.length - 1 ? 0 : Math.max(displayWidth(title), ...cells.map((cell) => displayWidth(cell[column] ?? ''))),
  );
  const format = (values: readonly string[], status?: UserStatus): string =>
    values
      .map((value, column) => {
        const text = column === values.length - 1 ? value : pad(value, widths[column] ?? 0);
        return column === statusColumn && status !== undefined ? paint(STATUS_TINT[status], text) : text;
      })
      .join('  ')
      .trimEnd();
  lines.push(paint('bold', format(header)));
  rows.forEach((row, index) => lines.push(format(cells[index] ?? [], row.status)));
  return `${lines.join('\n')}\n`;
}

/** Names and tags are untrusted: no terminal control sequences reach the screen. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Terminal columns: East Asian wide and fullwidth characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    width +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd)
        ? 2
        : 1;
  }
  return width;
}
