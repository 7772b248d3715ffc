/** The root user of every account of an organization report, as plain lines (table and Markdown append them). */
import type { Language } from '../../audit/messages/types.js';
import { orgMessages } from '../messages.js';
import type { OrgAuditReport } from '../report.js';

export function orgRootLines(report: OrgAuditReport, language: Language): string[] {
  const texts = orgMessages(language);
  const lines = [texts.rootUsers, texts.centralizedRootAccess(report.organization.centralizedRootAccess)];
  for (const account of report.accounts) {
    const reason = account.root.reason === null ? '' : ` (${account.root.reason})`;
    lines.push(`${account.id} ${account.name}: ${texts.rootVerdict[account.root.verdict]}${reason}`);
  }
  return lines;
}
