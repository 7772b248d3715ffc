/** One entry point for every audit format, so commands and libraries pick a format by name. */
import type { AuditMessages } from '../audit/messages/index.js';
import type { AuditReport } from '../audit/types.js';
import { renderAuditCsv } from './audit-csv.js';
import { renderAuditHtml } from './audit-html.js';
import { renderAuditJson } from './audit-json.js';
import { renderAuditMarkdown } from './audit-markdown.js';
import { renderAuditTable } from './audit-table.js';

export type AuditFormat = 'table' | 'json' | 'csv' | 'markdown' | 'html';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['table', 'json', 'csv', 'markdown', 'html'];

export function renderAudit(report: AuditReport, format: AuditFormat, options: { messages: AuditMessages; color?: boolean }): string {
  switch (format) {
    case 'table':
      return renderAuditTable(report, { messages: options.messages, color: options.color ?? false });
    case 'json':
      return renderAuditJson(report, options.messages);
    case 'csv':
      return renderAuditCsv(report, options.messages);
    case 'markdown':
      return renderAuditMarkdown(report, options.messages);
    case 'html':
      return renderAuditHtml(report, options.messages);
  }
}
