/** The organization report as JSON: the single-account JSON plus `organization`, `accounts[]` and `users[].accountId`. */
import type { AuditMessages } from '../../audit/messages/index.js';
import { auditJson } from '../../render/audit-json.js';
import type { OrgAuditReport } from '../report.js';

export function orgAuditJson(report: OrgAuditReport, messages: AuditMessages): unknown {
  const base = auditJson(report, messages) as { users: Record<string, unknown>[]; findings: Record<string, unknown>[] } & Record<string, unknown>;
  // auditJson maps users and findings one to one, in order: the account fields join by position.
  return {
    ...base,
    organization: report.organization,
    accounts: report.accounts.map((account) => ({
      id: account.id,
      name: account.name,
      alias: account.alias,
      management: account.management,
      status: account.status,
      reason: account.reason,
      summary: account.summary,
      findings: account.findings,
      attempts: account.attempts,
      durationMs: account.durationMs,
      root: account.root,
    })),
    findings: base.findings.map((finding, index) => ({ accountId: report.findings[index]?.accountId ?? null, ...finding })),
    users: base.users.map((user, index) => ({
      accountId: report.users[index]?.accountId ?? null,
      accountName: report.users[index]?.accountName ?? null,
      ...user,
    })),
  };
}

export function renderOrgAuditJson(report: OrgAuditReport, messages: AuditMessages): string {
  return `${JSON.stringify(orgAuditJson(report, messages), null, 2)}\n`;
}
