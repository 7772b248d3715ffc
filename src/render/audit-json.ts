/** The audit report as stable JSON (documented in docs/audit-json.md): codes for machines, messages for people. */
import { findingText, nextStepText, reasonText, type AuditMessages } from '../audit/messages/index.js';
import type { AuditReport, RootAudit } from '../audit/types.js';

export function auditJson(report: AuditReport, messages: AuditMessages): unknown {
  return {
    schemaVersion: report.schemaVersion,
    generatedAt: report.generatedAt,
    language: messages.language,
    account: report.account,
    options: report.options,
    sources: report.sources.map((source) => ({
      kind: source.kind,
      origin: source.origin,
      capturedAt: source.capturedAt ?? null,
      ageSeconds: source.ageSeconds,
      location: source.location ?? null,
      ...(source.count === undefined ? {} : { count: source.count }),
      capturedAtUnknown: source.capturedAt === undefined ? (source.capturedAtUnknown ?? null) : null,
    })),
    summary: report.summary,
    findings: report.findings.map((finding) => ({ ...finding, message: findingText(messages, finding) })),
    users: report.users.map((user) => ({
      userName: user.userName,
      arn: user.arn,
      path: user.path,
      userId: user.userId,
      createdAt: user.createdAt,
      groups: user.groups,
      status: user.status,
      reasons: user.reasons.map((reason) => ({ ...reason, message: reasonText(messages, reason) })),
      nextStep: { ...user.nextStep, message: nextStepText(messages, user.nextStep) },
      exempt: user.exempt,
      administrator: user.administrator,
      enforcement: user.enforcement,
      mfa: user.mfa,
      consolePassword: user.consolePassword,
      accessKeys: user.accessKeys,
      missing: user.missing.map((gap) => ({ fact: gap.fact, cause: gap.cause, detail: gap.detail ?? null })),
      signInsWithoutMfa: user.signInsWithoutMfa ?? { state: 'not-read', count: null, lastAt: null, lastSourceIp: null },
    })),
    missing: report.missing.map((gap) => ({ fact: gap.fact, cause: gap.cause, detail: gap.detail ?? null })),
    evidence: { ...(report.evidence ?? { state: 'not-read' }), message: messages.signIns.summary(report.evidence ?? { state: 'not-read' }) },
    ...(report.root === undefined ? {} : { root: rootJson(report.root) }),
  };
}

export function renderAuditJson(report: AuditReport, messages: AuditMessages): string {
  return `${JSON.stringify(auditJson(report, messages), null, 2)}\n`;
}

export function rootJson(root: RootAudit): unknown {
  return { ...root, missing: root.missing.map((gap) => ({ fact: gap.fact, cause: gap.cause, detail: gap.detail ?? null })) };
}
