/** What every audit renderer shows of a report, as plain text in one language (formats only add layout). */
import { findingText, nextStepText, reasonText, type AuditMessages } from '../audit/messages/index.js';
import { SEVERITIES, STATUS_URGENCY, USER_STATUSES, type AuditReport, type UserAudit, type UserStatus } from '../audit/types.js';

export interface UserRow {
  /** The member account of an organization report; null in a single-account report. */
  readonly accountId: string | null;
  readonly userName: string;
  readonly path: string;
  readonly status: UserStatus;
  readonly statusLabel: string;
  readonly enforced: string;
  readonly mfa: string;
  readonly consolePassword: string;
  readonly accessKeys: string;
  readonly administrator: string;
  readonly groups: string;
  /** CloudTrail sign-ins without MFA: "3, last … from …", "none", "unknown", "not read". */
  readonly signInsWithoutMfa: string;
  readonly reasons: readonly string[];
  readonly nextStep: string;
}

export interface SummaryLine {
  readonly status: UserStatus;
  readonly label: string;
  readonly meaning: string;
  readonly count: number;
}

export function summaryLines(report: AuditReport, messages: AuditMessages): SummaryLine[] {
  return USER_STATUSES.map((status) => ({
    status,
    label: messages.status[status],
    meaning: messages.statusMeaning[status],
    count: report.summary.byStatus[status],
  }));
}

export function shareText(share: number | null, messages: AuditMessages): string {
  return share === null ? messages.labels.unknown : `${Math.round(share * 100)}%`;
}

/** The account an organization report gives a user or a finding (`accountId`); null in a single-account report. */
export function accountIdOf(item: object): string | null {
  const id = (item as { accountId?: unknown }).accountId;
  return typeof id === 'string' ? id : null;
}

/** Whether the report's users or findings belong to several accounts (an organization report): show the account. */
export function hasAccounts(report: AuditReport): boolean {
  return report.users.some((user) => accountIdOf(user) !== null) || report.findings.some((finding) => accountIdOf(finding) !== null);
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Users most urgent first, then by name, then by account (the same name may exist in several accounts). */
export function userRows(report: AuditReport, messages: AuditMessages): UserRow[] {
  return [...report.users]
    .sort(
      (a, b) =>
        STATUS_URGENCY[a.status] - STATUS_URGENCY[b.status] ||
        byText(a.userName, b.userName) ||
        byText(accountIdOf(a) ?? '', accountIdOf(b) ?? ''),
    )
    .map((user) => userRow(user, messages));
}

export function userRow(user: UserAudit, messages: AuditMessages): UserRow {
  const labels = messages.labels;
  const yesNo = (value: boolean | null): string => (value === null ? labels.unknown : value ? labels.yes : labels.no);
  const signIns = user.signInsWithoutMfa ?? { state: 'not-read', count: null, lastAt: null, lastSourceIp: null };
  const device =
    user.mfa.enrolled === null
      ? labels.unknown
      : !user.mfa.enrolled
        ? labels.none
        : user.mfa.kinds === null
          ? labels.yes
          : [...new Set(user.mfa.kinds)].map((kind) => messages.mfaKind[kind]).join(', ');
  // A device listed now is not MFA in use for someone CloudTrail saw signing in without it.
  const mfa = signIns.state === 'found' && user.mfa.enrolled === true ? `${device} (${messages.signIns.notUsed})` : device;
  const keys =
    user.accessKeys.active === null
      ? labels.unknown
      : user.accessKeys.idSuffixes.length > 0 && user.accessKeys.active > 0
        ? `${user.accessKeys.active} (…${user.accessKeys.idSuffixes.join(', …')})`
        : String(user.accessKeys.active);
  const consoleVerdict = user.enforcement['console-no-mfa'];
  const keysVerdict = user.enforcement['access-keys'];
  const enforced =
    consoleVerdict === 'denied' && keysVerdict === 'denied'
      ? labels.yes
      : consoleVerdict === 'unknown' || keysVerdict === 'unknown'
        ? labels.unknown
        : consoleVerdict === 'denied'
          ? labels.consoleOnly
          : labels.no;
  return {
    accountId: accountIdOf(user),
    userName: user.userName,
    path: user.path,
    status: user.status,
    statusLabel: messages.status[user.status],
    enforced,
    mfa,
    consolePassword: yesNo(user.consolePassword.enabled),
    accessKeys: keys,
    administrator: yesNo(user.administrator),
    groups: user.groups.join(', '),
    signInsWithoutMfa: messages.signIns.cell(signIns),
    reasons: user.reasons.map((reason) => reasonText(messages, reason)),
    nextStep: nextStepText(messages, user.nextStep),
  };
}

export interface FindingLine {
  /** The member account the finding is about, in an organization report; null otherwise. */
  readonly accountId: string | null;
  readonly severity: string;
  readonly severityCode: string;
  readonly text: string;
}

/** Findings most severe first; within a severity, in the report's order (the sort is stable). */
export function findingLines(report: AuditReport, messages: AuditMessages): FindingLine[] {
  return [...report.findings]
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)).map((finding) => ({
    accountId: accountIdOf(finding),
    severity: messages.severity[finding.severity],
    severityCode: finding.severity,
    text: findingText(messages, finding),
  }));
}

export interface SourceLine {
  readonly kind: string;
  readonly location: string;
  readonly capturedAt: string;
  /** The age, or "unknown" with the reason when the data records no time. */
  readonly age: string;
  readonly ageKnown: boolean;
}

export function sourceLines(report: AuditReport, messages: AuditMessages): SourceLine[] {
  return report.sources.map((source) => ({
    kind: messages.sourceKind[source.kind],
    location: source.location ?? source.origin,
    capturedAt: source.capturedAt === undefined ? messages.labels.unknown : messages.date(source.capturedAt),
    // An unknown age says why when the data tells (an export format that records no time); it is never guessed.
    age:
      source.ageSeconds !== null
        ? messages.age(source.ageSeconds)
        : source.capturedAtUnknown === undefined
          ? messages.labels.unknown
          : `${messages.labels.unknown}: ${messages.captureUnknown[source.capturedAtUnknown]}`,
    ageKnown: source.ageSeconds !== null,
  }));
}

export function accountText(report: AuditReport, messages: AuditMessages): string {
  const { id, alias } = report.account;
  if (id === null && alias === null) return messages.labels.unknown;
  return alias === null ? (id ?? '') : id === null ? alias : `${alias} (${id})`;
}

/** Whether the report holds CloudTrail evidence (read, complete or not): renderers then show its column. */
export function evidenceRead(report: AuditReport): boolean {
  return report.evidence !== undefined && report.evidence.state !== 'not-read';
}

/** The evidence line: what was read and what it proves, or that it was not read. */
export function evidenceLine(report: AuditReport, messages: AuditMessages): string {
  return `${messages.signIns.title}: ${messages.signIns.summary(report.evidence ?? { state: 'not-read' })}`;
}

/** The root user's line; null in a report without one (an organization report: see its accounts). */
export function rootLine(report: AuditReport, messages: AuditMessages): string | null {
  return report.root === undefined || hasAccounts(report) ? null : messages.rootState(report.root);
}
