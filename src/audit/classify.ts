/** One user's status, reasons and next step, from the snapshot's facts and the enforcement assessment. */
import type { DataGap, FactName, IamUser } from '../account/model.js';
import { CREDENTIAL_REPORT_FILE } from '../account/files/layout.js';
import { exemptTagValue } from '../rollout/exemption.js';
import type { EnforcementAssessment } from './enforcement.js';
import { NO_MFA_CONTEXTS, type NextStep, type Reason, type UserAudit, type UserStatus } from './types.js';

/** How many of the actions allowed without MFA a reason names (the count says how many there are). */
export const LISTED_ACTIONS = 5;

export interface ClassifyOptions {
  readonly exemptUsers: ReadonlySet<string>;
  readonly guardGroupName: string;
}

interface Facts {
  readonly password: boolean | undefined;
  readonly activeKeys: number | undefined;
  readonly enrolled: boolean | undefined;
  readonly hasCredentials: boolean | undefined;
}

export function classifyUser(user: IamUser, assessment: EnforcementAssessment, options: ClassifyOptions): UserAudit {
  const facts = factsOf(user);
  const exemptReason = exemption(user, options.exemptUsers);
  const status = decideStatus(facts, assessment, exemptReason !== undefined);
  const reasons = [
    ...(exemptReason === undefined ? [] : [exemptReason]),
    ...(status === 'unknown' ? unknownReasons(user, facts, assessment) : []),
    ...enforcementReasons(assessment),
    ...mfaReasons(user),
    ...credentialReasons(user),
  ];
  return {
    userName: user.userName,
    arn: user.arn,
    path: user.path,
    userId: user.userId,
    createdAt: user.createdAt ?? null,
    groups: user.groupNames,
    status,
    reasons: dedupe(reasons),
    nextStep: nextStep(status, user, facts, assessment, options.guardGroupName),
    exempt: exemptReason !== undefined,
    administrator: assessment.administrator ?? null,
    enforcement: {
      'console-no-mfa': assessment.contexts['console-no-mfa'].verdict,
      'access-keys': assessment.contexts['access-keys'].verdict,
    },
    consolePassword: { enabled: facts.password ?? null, lastUsedAt: user.consolePassword?.lastUsedAt ?? null },
    accessKeys: {
      active: facts.activeKeys ?? null,
      lastUsedAt: latest(user.accessKeys?.keys.map((key) => key.lastUsedAt)),
      idSuffixes: (user.accessKeys?.keys ?? []).flatMap((key) => (key.idSuffix === undefined ? [] : [key.idSuffix.slice(-4)])),
    },
    mfa: {
      enrolled: facts.enrolled ?? null,
      kinds: user.mfa?.devices?.map((device) => device.kind) ?? null,
      source: user.mfa?.source ?? null,
    },
    missing: user.gaps,
  };
}

function factsOf(user: IamUser): Facts {
  const password = user.consolePassword?.enabled;
  const activeKeys = user.accessKeys?.keys.filter((key) => key.active).length;
  const hasCredentials =
    password === true || (activeKeys ?? 0) > 0 ? true : password === false && activeKeys === 0 ? false : undefined;
  return { password, activeKeys, enrolled: user.mfa?.enrolled, hasCredentials };
}

/**
 * The order matters: an exemption is the administrator's decision; a user with no way to sign in needs nothing;
 * then any fact the status depends on must be known, or the answer is `unknown` (never a guess).
 */
function decideStatus(facts: Facts, assessment: EnforcementAssessment, exempt: boolean): UserStatus {
  if (exempt) return 'exempt';
  if (facts.hasCredentials === false) return 'no-credentials';
  if (facts.hasCredentials === undefined || assessment.enforced === undefined || facts.enrolled === undefined) return 'unknown';
  if (assessment.enforced) return facts.enrolled ? 'protected' : 'pending-enrollment';
  if (facts.enrolled) return 'enrolled-not-enforced';
  if (facts.password === true) return 'unprotected';
  // Not enrolled, not enforced, active keys: "keys only" needs the password fact too.
  return facts.password === false ? 'unprotected-programmatic' : 'unknown';
}

function exemption(user: IamUser, exemptUsers: ReadonlySet<string>): Reason | undefined {
  if (exemptUsers.has(user.userName)) return { code: 'exempt-listed', params: {} };
  const value = exemptTagValue(user.tags);
  return value === undefined ? undefined : { code: 'exempt-tagged', params: { value } };
}

function unknownReasons(user: IamUser, facts: Facts, assessment: EnforcementAssessment): Reason[] {
  const reasons: Reason[] = [];
  const gapReason = (fact: FactName): Reason[] => {
    const gaps = user.gaps.filter((gap) => gap.fact === fact);
    const list: DataGap[] = gaps.length > 0 ? gaps : [{ fact, cause: 'unreadable' }];
    return list.map((gap) => ({ code: 'fact-unknown', params: { fact: gap.fact, cause: gap.cause, detail: gap.detail ?? null } }));
  };
  if (facts.hasCredentials === undefined || (facts.password === undefined && facts.enrolled === false)) {
    if (facts.password === undefined) reasons.push(...gapReason('password'));
    if (facts.activeKeys === undefined) reasons.push(...gapReason('access-keys'));
  }
  if (facts.enrolled === undefined) reasons.push(...gapReason('mfa'));
  if (assessment.enforced === undefined && assessment.incomplete) reasons.push(...gapReason('policies'));
  return reasons;
}

function enforcementReasons(assessment: EnforcementAssessment): Reason[] {
  const reasons: Reason[] = assessment.unevaluable.map((entry) => ({
    code: 'policy-unevaluable',
    params: { policy: entry.policy, message: entry.message },
  }));
  const console = assessment.contexts['console-no-mfa'];
  const keys = assessment.contexts['access-keys'];
  if (assessment.exhaustive === 'unavailable') reasons.push({ code: 'exhaustive-check-unavailable', params: {} });
  if (assessment.enforced === true) {
    const policies = console.guardPolicies.filter((policy) => keys.guardPolicies.includes(policy));
    reasons.push({ code: 'mfa-enforced', params: { policies } });
    const reaching = [...new Set([...console.reachOtherUsers, ...keys.reachOtherUsers])].sort();
    if (reaching.length > 0) reasons.push({ code: 'bootstrap-reaches-other-users', params: { actions: reaching } });
    return reasons;
  }
  for (const context of NO_MFA_CONTEXTS) {
    const beyond = assessment.contexts[context].beyondAllowlist;
    if (beyond.length > 0) {
      reasons.push({ code: 'allowed-without-mfa', params: { context, actions: beyond.slice(0, LISTED_ACTIONS), count: beyond.length } });
    }
  }
  if (console.verdict === 'denied' && keys.verdict !== 'denied') {
    reasons.push({ code: 'guard-console-only', params: { policies: console.guardPolicies } });
  }
  const switchable = switchableOf(assessment);
  for (const deny of switchable) {
    reasons.push({ code: 'guard-switchable', params: { policy: deny.policy, statement: deny.statement, keys: deny.keys } });
  }
  if (switchable.length === 0 && console.verdict === 'not-denied' && keys.verdict === 'not-denied' && console.guarded === 0 && keys.guarded === 0) {
    reasons.push({ code: 'no-guard', params: {} });
    return reasons;
  }
  for (const [context, verdict] of [['console-no-mfa', console], ['access-keys', keys]] as const) {
    if (verdict.verdict === 'not-denied' && verdict.passing.length > 0) {
      reasons.push({ code: 'not-enforced', params: { context, actions: verdict.passing } });
    }
  }
  return reasons;
}


/** The switchable MFA denies of both contexts, one per statement. */
function switchableOf(assessment: EnforcementAssessment): { policy: string; statement: string; keys: string[] }[] {
  const found = new Map<string, { policy: string; statement: string; keys: string[] }>();
  for (const context of NO_MFA_CONTEXTS) {
    for (const deny of assessment.contexts[context].switchable) {
      const key = `${deny.policy}\u0000${deny.statement}`;
      const known = found.get(key);
      found.set(key, { policy: deny.policy, statement: deny.statement, keys: [...new Set([...(known?.keys ?? []), ...deny.keys])].sort() });
    }
  }
  return [...found.values()];
}

function mfaReasons(user: IamUser): Reason[] {
  if (user.mfa === undefined) return [];
  if (!user.mfa.enrolled) return [{ code: 'mfa-not-enrolled', params: { source: user.mfa.source } }];
  const kinds = user.mfa.devices === undefined ? null : [...new Set(user.mfa.devices.map((device) => device.kind))];
  return [{ code: 'mfa-enrolled', params: { kinds, source: user.mfa.source } }];
}

function credentialReasons(user: IamUser): Reason[] {
  const reasons: Reason[] = [];
  if (user.consolePassword !== undefined) {
    reasons.push(
      user.consolePassword.enabled
        ? { code: 'password-enabled', params: { lastUsedAt: user.consolePassword.lastUsedAt ?? null } }
        : { code: 'no-password', params: {} },
    );
  }
  if (user.accessKeys !== undefined) {
    const active = user.accessKeys.keys.filter((key) => key.active);
    reasons.push(
      active.length > 0
        ? { code: 'access-keys-active', params: { count: active.length, lastUsedAt: latest(active.map((key) => key.lastUsedAt)) } }
        : { code: 'no-access-keys', params: {} },
    );
  }
  return reasons;
}

function nextStep(status: UserStatus, user: IamUser, userFacts: Facts, assessment: EnforcementAssessment, group: string): NextStep {
  const name = user.userName;
  const consoleOnly = assessment.contexts['console-no-mfa'].verdict === 'denied' && assessment.contexts['access-keys'].verdict === 'not-denied';
  const partialActions = [...new Set(notDeniedActions(assessment))];
  const beyond = [...new Set(NO_MFA_CONTEXTS.flatMap((context) => assessment.contexts[context].beyondAllowlist))].sort();
  const switchable = switchableOf(assessment)[0];
  const guardFix = (): NextStep | undefined => {
    if (switchable !== undefined) return { code: 'remove-switchable-condition', params: switchable };
    // The probes pass, the whole catalogue does not: the guard's deny exempts more than MFA setup.
    if (beyond.length > 0) return { code: 'deny-or-accept-without-mfa', params: { actions: beyond.slice(0, LISTED_ACTIONS), count: beyond.length } };
    if (consoleOnly) return { code: 'fix-guard-condition', params: { policies: assessment.contexts['console-no-mfa'].guardPolicies } };
    // Some probes denied without MFA, others not: a guard is there but exempts too much.
    const anyGuard = assessment.contexts['console-no-mfa'].guarded > 0 || assessment.contexts['access-keys'].guarded > 0;
    if (anyGuard && partialActions.length > 0) return { code: 'fix-guard-exemptions', params: { actions: partialActions } };
    return undefined;
  };
  switch (status) {
    case 'protected':
      return { code: 'none', params: {} };
    case 'pending-enrollment':
      return userFacts.password === true ? { code: 'enroll-mfa', params: { user: name } } : { code: 'enroll-mfa-for-key-user', params: { user: name } };
    case 'enrolled-not-enforced':
    case 'unprotected':
      return guardFix() ?? { code: 'add-to-guard-group', params: { user: name, group } };
    case 'unprotected-programmatic':
      return guardFix() ?? { code: 'secure-programmatic-user', params: { user: name, group } };
    case 'no-credentials':
      return assessment.enforced === true ? { code: 'none', params: {} } : { code: 'add-to-guard-group-before-credentials', params: { user: name, group } };
    case 'exempt':
      return { code: 'review-exemption', params: { user: name } };
    case 'unknown': {
      if (assessment.exhaustive === 'unavailable' && userFacts.hasCredentials !== undefined && userFacts.enrolled !== undefined) {
        return { code: 'provide-action-catalogue', params: {} };
      }
      const unevaluable = assessment.unevaluable[0];
      if (unevaluable !== undefined && !assessment.incomplete) return { code: 'fix-policy-document', params: { policy: unevaluable.policy } };
      // Only the credential report is missing, and on purpose: the next step is the command that writes it.
      const omitted = user.gaps.find((gap) => gap.cause === 'omitted');
      if (omitted !== undefined && user.gaps.every((gap) => gap.cause === 'omitted')) {
        const facts = [...new Set(user.gaps.map((gap) => gap.fact))];
        return { code: 'write-credential-report', params: { user: name, path: omitted.detail ?? CREDENTIAL_REPORT_FILE, facts } };
      }
      const facts = [...new Set(user.gaps.map((gap) => gap.fact))];
      return { code: 'collect-missing-data', params: { facts: facts.length > 0 ? facts : ['policies'] } };
    }
  }
}

function notDeniedActions(assessment: EnforcementAssessment): string[] {
  return [...assessment.contexts['console-no-mfa'].passing, ...assessment.contexts['access-keys'].passing];
}

function latest(dates: readonly (string | undefined)[] | undefined): string | null {
  const known = (dates ?? []).filter((date): date is string => date !== undefined).sort();
  return known.at(-1) ?? null;
}

function dedupe(reasons: readonly Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((reason) => {
    const key = JSON.stringify(reason);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
