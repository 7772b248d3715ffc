/** The organization report as CSV: the single-account columns after `account_id` and `account_name`. */
import type { AuditMessages } from '../../audit/messages/index.js';
import { csvField, renderAuditCsv } from '../../render/audit-csv.js';
import type { OrgAuditReport } from '../report.js';

const LINE_END = '\r\n';

export function renderOrgAuditCsv(report: OrgAuditReport, messages: AuditMessages): string {
  const header = `account_id,account_name,${firstLine(renderAuditCsv({ ...report, users: [] }, messages))}`;
  // One user at a time: the single-account row, whatever its quoting, follows the header line.
  const rows = report.users.map((user) => {
    const single = renderAuditCsv({ ...report, users: [user] }, messages);
    const row = single.slice(single.indexOf(LINE_END) + LINE_END.length, -LINE_END.length);
    return `${csvField(user.accountId)},${csvField(user.accountName)},${row}`;
  });
  return [header, ...rows].join(LINE_END) + LINE_END;
}

function firstLine(text: string): string {
  return text.slice(0, text.indexOf(LINE_END));
}
