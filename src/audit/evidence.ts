/**
 * CloudTrail evidence in the audit: each user's console sign-ins without MFA, the findings that name them, and the
 * rule that a user seen signing in without MFA is never reported as protected, whatever the device state says.
 */
import type { ConsoleLoginEvidence, SignInsWithoutMfa } from '../account/console-logins.js';
import type { AccountFinding, FormerUserSignIns, SignInEvidenceReport, UserAudit, UserSignInEvidence } from './types.js';

export interface EvidenceOutcome {
  readonly users: UserAudit[];
  readonly findings: AccountFinding[];
  readonly report: SignInEvidenceReport;
}

const NOT_READ: UserSignInEvidence = { state: 'not-read', count: null, lastAt: null, lastSourceIp: null };

/**
 * Joins the evidence to the users. An entry is a user's when its principal id is the user's id; an entry without a
 * principal id is matched by ARN (a recreated user of the same path and name gets it: the less protective reading).
 * An entry whose principal id is no current user's is an earlier user's (deleted, perhaps recreated under the same
 * name): listed as a former user, never given to the new one.
 */
export function applySignInEvidence(users: readonly UserAudit[], evidence: ConsoleLoginEvidence | undefined): EvidenceOutcome {
  if (evidence === undefined) {
    return { users: users.map((user) => ({ ...user, signInsWithoutMfa: NOT_READ })), findings: [], report: { state: 'not-read' } };
  }
  const byId = new Map(users.map((user) => [user.userId, user]));
  const byArn = new Map(users.map((user) => [user.arn, user]));
  const found = new Map<string, { count: number; lastAt: string; lastSourceIp: string | null }>();
  const former: FormerUserSignIns[] = [];
  for (const entry of evidence.users) {
    const user = entry.principalId === undefined ? byArn.get(entry.userArn) : byId.get(entry.principalId);
    if (user === undefined) {
      former.push(formerUser(entry));
      continue;
    }
    const previous = found.get(user.userId);
    const later = previous === undefined || entry.lastAt > previous.lastAt;
    found.set(user.userId, {
      count: (previous?.count ?? 0) + entry.count,
      lastAt: later ? entry.lastAt : previous.lastAt,
      lastSourceIp: later ? (entry.lastSourceIp ?? null) : previous.lastSourceIp,
    });
  }
  const days = evidence.days;
  const updated = users.map((user): UserAudit => {
    const signIns = found.get(user.userId);
    if (signIns === undefined) {
      return { ...user, signInsWithoutMfa: { state: evidence.state === 'complete' ? 'none' : 'unknown', count: evidence.state === 'complete' ? 0 : null, lastAt: null, lastSourceIp: null } };
    }
    const reasons = [{ code: 'signed-in-without-mfa' as const, params: { ...signIns, days } }, ...user.reasons];
    // A device listed now does not undo a sign-in without MFA: "protected" would say MFA is in use.
    const contradicted = user.status === 'protected';
    return {
      ...user,
      status: contradicted ? 'unknown' : user.status,
      reasons,
      nextStep: contradicted ? { code: 'review-sign-ins-without-mfa', params: { user: user.userName } } : user.nextStep,
      signInsWithoutMfa: { state: 'found', ...signIns },
    };
  });

  const findings: AccountFinding[] = [];
  const named = updated.filter((user) => user.signInsWithoutMfa?.state === 'found').map((user) => user.userName).sort();
  if (named.length > 0) findings.push({ code: 'console-sign-in-without-mfa', severity: 'high', params: { days }, users: named });
  if (evidence.root !== undefined) {
    findings.push({
      code: 'root-console-sign-in-without-mfa',
      severity: 'critical',
      params: { count: evidence.root.count, lastAt: evidence.root.lastAt, lastSourceIp: evidence.root.lastSourceIp ?? null, days },
      users: [],
    });
  }
  if (evidence.state === 'unknown') {
    findings.push({ code: 'sign-in-evidence-unknown', severity: 'warning', params: { days, gaps: evidence.gaps }, users: [] });
  } else if (evidence.state === 'partial') {
    findings.push({
      code: 'sign-in-evidence-partial',
      severity: 'warning',
      params: { days, maxEvents: evidence.maxEvents ?? evidence.events, oldestReadAt: evidence.oldestEventAt ?? null },
      users: [],
    });
  }
  return {
    users: updated,
    findings,
    report: {
      state: evidence.state,
      origin: evidence.origin,
      location: evidence.location,
      days,
      from: evidence.from,
      to: evidence.to,
      windowEnd: evidence.windowEnd,
      regions: evidence.regions,
      maxEvents: evidence.maxEvents,
      events: evidence.events,
      failures: evidence.failures,
      otherIdentities: evidence.otherIdentities,
      rejected: evidence.rejected.length,
      gaps: evidence.gaps,
      usersWithoutMfa: named.length,
      root: evidence.root === undefined ? null : { count: evidence.root.count, lastAt: evidence.root.lastAt, lastSourceIp: evidence.root.lastSourceIp ?? null },
      formerUsers: former,
    },
  };
}

function formerUser(entry: SignInsWithoutMfa): FormerUserSignIns {
  return {
    arn: entry.userArn,
    principalId: entry.principalId ?? null,
    userName: entry.userName ?? null,
    count: entry.count,
    lastAt: entry.lastAt,
    lastSourceIp: entry.lastSourceIp ?? null,
  };
}
