/** What every audit renderer shows of a report, as plain text in one language (formats only add layout). */
import { findingText, nextStepText, reasonText, type AuditMessages } from '../audit/messages/index.js';
import { STATUS_URGENCY, USER_STATUSES, type AuditReport, type UserAudit, type UserStatus } from '../audit/types.js';

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
  const mfa =
    user.mfa.enrolled === null
      ? labels.unknown
      : !user.mfa.enrolled
        ? labels.none
        : user.mfa.kinds === null
          ? labels.yes
          : [...new Set(user.mfa.kinds)].map((kind) => messages.mfaKind[kind]).join(', ');
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

export function findingLines(report: AuditReport, messages: AuditMessages): FindingLine[] {
  return report.findings.map((finding) => ({
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
  readonly age: string;
}

export function sourceLines(report: AuditReport, messages: AuditMessages): SourceLine[] {
  return report.sources.map((source) => ({
    kind: messages.sourceKind[source.kind],
    location: source.location ?? source.origin,
    capturedAt: source.capturedAt === undefined ? messages.labels.unknown : messages.date(source.capturedAt),
    age: source.ageSeconds === null ? messages.labels.unknown : messages.age(source.ageSeconds),
  }));
}

export function accountText(report: AuditReport, messages: AuditMessages): string {
  const { id, alias } = report.account;
  if (id === null && alias === null) return messages.labels.unknown;
  return alias === null ? (id ?? '') : id === null ? alias : `${alias} (${id})`;
}

/** The root user's line; null in a report without one (an organization report: see its accounts). */
export function rootLine(report: AuditReport, messages: AuditMessages): string | null {
  return report.root === undefined || hasAccounts(report) ? null : messages.rootState(report.root);
}
