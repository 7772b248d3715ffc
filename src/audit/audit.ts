/** The audit: a pure function from an account snapshot (and an evaluator) to a report. */
import type { ConsoleLoginEvidence } from '../account/console-logins.js';
import type { AccountSnapshot } from '../account/model.js';
import type { ActionCatalogue } from '../engine/catalogue.js';
import { evaluateQuantified } from '../engine/quantify.js';
import { verifyPolicies } from '../engine/verify.js';
import { classifyUser } from './classify.js';
import { assessEnforcement, type EnforcementAssessment } from './enforcement.js';
import { createExhaustiveChecker, validateAllowWithoutMfa, type PolicyVerifier } from './exhaustive.js';
import type { PolicyEvaluator } from './evaluator.js';
import { applySignInEvidence } from './evidence.js';
import { accountFindings } from './findings.js';
import { effectivePolicies, indexPolicies } from './policies.js';
import { rootAudit } from './root.js';
import { SEVERITIES, USER_STATUSES, type AuditReport, type AuditSummary, type Severity, type UserAudit, type UserStatus } from './types.js';

export const DEFAULT_GUARD_GROUP = 'ForceMfaAccess';
/** A credential report older than this is called stale, and the AWS source re-checks MFA live for every user. */
export const DEFAULT_REPORT_MAX_AGE_HOURS = 1;

export interface AuditOptions {
  /**
   * The policy evaluator; defaults to the engine's `evaluateQuantified`, whose decision takes the less protective
   * reading of every key the request does not fix (tests inject counting or failing ones).
   */
  readonly evaluate?: PolicyEvaluator;
  /**
   * The action catalogue (`loadCatalogue()`), required: "enforced" needs every action checked, not only the probes.
   * Without it (a JavaScript caller) no user is ever enforced: their enforcement is unknown.
   */
  readonly catalogue: ActionCatalogue;
  /** The whole-catalogue verifier; defaults to the engine's `verifyPolicies`. */
  readonly verify?: PolicyVerifier;
  /** Actions accepted without MFA besides the MFA bootstrap ones (`service:Action`, wildcards in the action). */
  readonly allowWithoutMfa?: readonly string[];
  readonly exemptUsers?: readonly string[];
  /** The group the next steps name when a user must be added to the guard. */
  readonly guardGroupName?: string;
  readonly requireHardware?: boolean;
  readonly reportMaxAgeHours?: number;
  /** The audit's clock; defaults to the snapshot's collection time, so the same snapshot gives the same report. */
  readonly now?: Date;
  /** CloudTrail evidence of console sign-ins without MFA (`consoleLoginEvidence`); without it the report says "not read". */
  readonly consoleLogins?: ConsoleLoginEvidence;
}

export function auditAccount(snapshot: AccountSnapshot, options: AuditOptions): AuditReport {
  const evaluate = options.evaluate ?? evaluateQuantified;
  const catalogue = options.catalogue as ActionCatalogue | undefined;
  const allowWithoutMfa = catalogue === undefined ? [...new Set(options.allowWithoutMfa ?? [])].sort() : validateAllowWithoutMfa(options.allowWithoutMfa ?? [], catalogue);
  const exhaustive = createExhaustiveChecker({ catalogue, verify: options.verify ?? verifyPolicies, allowWithoutMfa });
  const now = options.now ?? new Date(snapshot.collectedAt);
  const guardGroupName = options.guardGroupName ?? DEFAULT_GUARD_GROUP;
  const exemptUsers = [...new Set(options.exemptUsers ?? [])].sort();
  const requireHardware = options.requireHardware ?? false;
  const index = indexPolicies(snapshot);
  // Many users share their groups' policies: one assessment per distinct policy set (and identity, when it matters).
  const cache = new Map<string, EnforcementAssessment>();
  const exempt = new Set(exemptUsers);
  const classified: UserAudit[] = snapshot.users.map((user) => {
    const effective = effectivePolicies(user, index);
    let assessment = cache.get(effective.cacheKey);
    if (assessment === undefined) {
      assessment = assessEnforcement(user, effective, evaluate, exhaustive);
      cache.set(effective.cacheKey, assessment);
    }
    return classifyUser(user, assessment, { exemptUsers: exempt, guardGroupName });
  });
  const evidence = applySignInEvidence(classified, options.consoleLogins);
  const users = evidence.users;
  users.sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));
  const root = rootAudit(snapshot);
  const findings = [
    ...accountFindings(
      snapshot,
      users,
      { requireHardware, reportMaxAgeHours: options.reportMaxAgeHours ?? DEFAULT_REPORT_MAX_AGE_HOURS, now },
      root,
    ),
    ...evidence.findings,
  ];
  const accountName = snapshot.alias ?? snapshot.accountId;
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    account: {
      id: snapshot.accountId ?? null,
      alias: snapshot.alias ?? null,
      partition: snapshot.partition,
      signInUrl: accountName === undefined ? null : signInUrl(accountName, snapshot.partition),
    },
    options: { guardGroupName, exemptUsers, requireHardware, allowWithoutMfa },
    sources: snapshot.sources.map((source) => ({
      ...source,
      ageSeconds: source.capturedAt === undefined ? null : Math.max(0, Math.round((now.getTime() - Date.parse(source.capturedAt)) / 1000)),
    })),
    summary: summarize(users, findings.map((finding) => finding.severity)),
    findings,
    users,
    missing: snapshot.gaps,
    evidence: evidence.report,
    root,
  };
}

export function summarize(users: readonly UserAudit[], severities: readonly Severity[]): AuditSummary {
  const byStatus = Object.fromEntries(USER_STATUSES.map((status) => [status, 0])) as Record<UserStatus, number>;
  for (const user of users) byStatus[user.status]++;
  const inScope = users.filter((user) => user.status !== 'exempt' && user.status !== 'no-credentials');
  const enrolled = inScope.filter((user) => user.mfa.enrolled === true).length;
  const enforced = inScope.filter(
    (user) => user.enforcement['console-no-mfa'] === 'denied' && user.enforcement['access-keys'] === 'denied',
  ).length;
  const share = (count: number): number | null => (inScope.length === 0 ? null : Math.round((count / inScope.length) * 1000) / 1000);
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const severity of severities) findingsBySeverity[severity]++;
  return {
    users: users.length,
    byStatus,
    inScope: inScope.length,
    enrolled,
    enrolledShare: share(enrolled),
    enforced,
    protectedShare: share(byStatus.protected),
    findingsBySeverity,
  };
}

function signInUrl(account: string, partition: string): string {
  const domain = partition === 'aws-cn' ? 'signin.amazonaws.cn' : partition === 'aws-us-gov' ? 'signin.amazonaws-us-gov.com' : 'signin.aws.amazon.com';
  return `https://${encodeURIComponent(account)}.${domain}/console`;
}
