/** The organization audit report: every account's single-account report joined, failed accounts kept as unknown. */
import type { DataGap, GapCause } from '../account/model.js';
import { summarize } from '../audit/audit.js';
import type { AccountFinding, AuditReport, AuditSummary, SourceWithAge, UserAudit } from '../audit/types.js';
import type { Organization, OrgAccount, SkippedAccount } from './accounts.js';
import type { AccountOutcome } from './runner.js';
import { isAccessDenied } from '../account/aws/retry.js';
import { accountRoot, rootsWithoutMfa, unknownRoot, CENTRALIZED_ROOT_ACCESS_UNKNOWN, type CentralizedRootAccess, type OrgAccountRoot } from './root.js';

export type OrgAccountStatus = 'ok' | 'failed';

export interface OrgAccountEntry {
  readonly id: string;
  readonly name: string;
  readonly alias: string | null;
  /** The management account: service control policies never apply to it, the guard is its only MFA enforcement. */
  readonly management: boolean;
  readonly status: OrgAccountStatus;
  /** Why the account could not be audited; null when it was. */
  readonly reason: string | null;
  /** Null for a failed account: its users are unknown, not zero. */
  readonly summary: AuditSummary | null;
  readonly findings: number;
  readonly attempts: number;
  readonly durationMs: number;
  /** The account's root user: MFA, credentials, or unknown with the reason (the role could not be assumed, ...). */
  readonly root: OrgAccountRoot;
}

/** A user of one member account; `accountId` tells apart users of the same name in different accounts. */
export interface OrgUserAudit extends UserAudit {
  readonly accountId: string;
  readonly accountName: string;
}

/** A finding of one member account. */
export type OrgFinding = AccountFinding & { readonly accountId: string };

/**
 * A superset of the single-account report, so every single-account renderer still works on it: `account` names
 * the organization, `summary` covers every known user, findings and gaps say which account they belong to.
 */
export interface OrgAuditReport extends AuditReport {
  readonly organization: {
    readonly id: string;
    readonly managementAccountId: string;
    readonly partition: string;
    readonly accounts: number;
    readonly accountsOk: number;
    /** Accounts not audited: their users are unknown and counted nowhere in `summary`. */
    readonly accountsFailed: number;
    /** Accounts not ACTIVE (suspended, closing): not audited. */
    readonly skipped: readonly SkippedAccount[];
    /** Centralized root access (iam:ListOrganizationsFeatures), or unknown with the reason. */
    readonly centralizedRootAccess: CentralizedRootAccess;
  };
  readonly accounts: readonly OrgAccountEntry[];
  readonly users: readonly OrgUserAudit[];
  readonly findings: readonly OrgFinding[];
}

export interface OrgReportInput {
  readonly organization: Organization;
  readonly outcomes: readonly AccountOutcome<OrgAccount, AuditReport>[];
  readonly skipped?: readonly SkippedAccount[];
  readonly generatedAt: string;
  /** The options every account was audited with (used when no account could be audited). */
  readonly options: AuditReport['options'];
  /** Read from the management account; unknown when absent. */
  readonly centralizedRootAccess?: CentralizedRootAccess;
}

export function aggregateOrgReport(input: OrgReportInput): OrgAuditReport {
  const centralized = input.centralizedRootAccess ?? CENTRALIZED_ROOT_ACCESS_UNKNOWN('not read');
  const accounts: OrgAccountEntry[] = [];
  const users: OrgUserAudit[] = [];
  const findings: OrgFinding[] = [];
  const sources: SourceWithAge[] = [];
  const missing: DataGap[] = [];
  for (const outcome of input.outcomes) {
    const account = outcome.account;
    const base = { id: account.id, name: account.name, management: account.management, attempts: outcome.attempts, durationMs: outcome.durationMs };
    if (outcome.status === 'failed') {
      accounts.push({ ...base, alias: null, status: 'failed', reason: outcome.reason, summary: null, findings: 1, root: unknownRoot(`account not audited: ${outcome.reason}`) });
      const gap: DataGap = { fact: 'users', cause: gapCause(outcome.error, outcome.timedOut), detail: `account ${account.id}: ${outcome.reason}` };
      missing.push(gap);
      findings.push({
        code: 'data-missing',
        severity: 'high',
        params: { fact: gap.fact, cause: gap.cause, detail: gap.detail ?? null },
        users: [],
        accountId: account.id,
      });
      continue;
    }
    const report = outcome.value;
    const root = accountRoot(report.root);
    // With centralized root credentials management, a member root user without credentials is what it intends (it
    // never applies to the management account's root user).
    const intended = centralized.rootCredentialsManagement === true && root.verdict === 'no-credentials' && !account.management;
    const own = report.findings.filter((finding) => !(intended && finding.code === 'root-without-mfa'));
    accounts.push({
      ...base,
      alias: report.account.alias,
      status: 'ok',
      reason: null,
      summary: report.summary,
      findings: own.length,
      root,
    });
    for (const user of report.users) users.push({ ...user, accountId: account.id, accountName: account.name });
    for (const finding of own) findings.push({ ...finding, accountId: account.id });
    for (const source of report.sources) sources.push({ ...source, location: `${account.id}: ${source.location ?? source.kind}` });
    for (const gap of report.missing) missing.push({ ...gap, detail: `account ${account.id}${gap.detail === undefined ? '' : `: ${gap.detail}`}` });
  }
  const roots = rootsWithoutMfa(accounts, centralized);
  const managementId = input.organization.managementAccountId;
  if (roots.withoutMfa.length > 0 || roots.recoverable.length > 0) {
    findings.push({
      code: 'org-root-without-mfa',
      severity: roots.withoutMfa.length > 0 ? 'critical' : 'high',
      params: { accounts: roots.withoutMfa, recoverable: roots.recoverable, centralizedRootCredentials: centralized.rootCredentialsManagement },
      users: [],
      accountId: managementId,
    });
  }
  if (roots.unknown.length > 0) {
    findings.push({ code: 'org-root-unknown', severity: 'warning', params: { accounts: roots.unknown }, users: [], accountId: managementId });
  }
  const firstOk = input.outcomes.find((outcome) => outcome.status === 'ok');
  const failed = accounts.filter((account) => account.status === 'failed').length;
  return {
    schemaVersion: 1,
    generatedAt: input.generatedAt,
    account: { id: null, alias: `organization ${input.organization.id}`, partition: input.organization.partition, signInUrl: null },
    options: firstOk?.status === 'ok' ? firstOk.value.options : input.options,
    sources,
    summary: summarize(users, findings.map((finding) => finding.severity)),
    findings,
    users,
    missing,
    organization: {
      id: input.organization.id,
      managementAccountId: input.organization.managementAccountId,
      partition: input.organization.partition,
      accounts: accounts.length,
      accountsOk: accounts.length - failed,
      accountsFailed: failed,
      skipped: input.skipped ?? [],
      centralizedRootAccess: centralized,
    },
    accounts,
  };
}

function gapCause(error: unknown, timedOut: boolean): GapCause {
  if (timedOut) return 'call-failed';
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
    if (isAccessDenied(current)) return 'access-denied';
    current = (current as { cause?: unknown }).cause;
  }
  return 'call-failed';
}

/** The one-line progress of an account, e.g. `[12/40] 123456789012 prod-web: ok (35 users)`. */
export function progressLine(outcome: AccountOutcome<OrgAccount, AuditReport>, done: number, total: number): string {
  const width = String(total).length;
  const head = `[${String(done).padStart(width)}/${total}] ${outcome.account.id} ${outcome.account.name}`;
  if (outcome.status === 'failed') return `${head}: failed: ${outcome.reason}`;
  const count = outcome.value.users.length;
  const retried = outcome.attempts > 1 ? `, ${outcome.attempts} attempts` : '';
  return `${head}: ok (${count} user${count === 1 ? '' : 's'}${retried})`;
}
