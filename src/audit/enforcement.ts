/**
 * Is MFA enforced on a user? The probes show a guard at work (denied without MFA, lifted with it); the exhaustive
 * check (exhaustive.ts) shows that nothing beyond the bootstrap allowlist works without MFA over the whole catalogue.
 */
import type { IamUser } from '../account/model.js';
import { mfaContextKeys } from '../engine/contexts.js';
import { conditionalDenies, type ConditionalDeny } from '../engine/quantify.js';
import type { Decision, EvaluationRequest, NamedPolicy, PolicyEvaluator } from './evaluator.js';
import { policyNamedByError } from './evaluator.js';
import type { ExhaustiveRequest, ExhaustiveResult } from './exhaustive.js';
import type { EffectivePolicies } from './policies.js';
import { NO_MFA_CONTEXTS, type ContextVerdict, type NoMfaContext } from './types.js';

type ProbeContext = NoMfaContext | 'mfa';

/**
 * Request keys of each way of calling AWS. `aws:MultiFactorAuthPresent` is "false" in a console session signed in
 * without MFA and ABSENT for long-term access keys (that is why `Bool` misses them and `BoolIfExists` does not).
 * Every other key (aws:SecureTransport, aws:UserAgent, aws:SourceIp, ...) is left free: the evaluator quantifies
 * over it (docs/guarantees.md), so a deny a caller can switch off does not count as denying.
 */
export const PROBE_CONTEXT_KEYS: Readonly<Record<ProbeContext, Readonly<Record<string, string>>>> = {
  'console-no-mfa': mfaContextKeys('console-no-mfa'),
  'access-keys': mfaContextKeys('access-keys'),
  mfa: mfaContextKeys('mfa'),
};

export interface Probe {
  readonly action: string;
  /** `{partition}`, `{account}` and `{self}` (the user's own ARN) are filled in per user. */
  readonly resource: string;
}

/**
 * An action of no real service: a guard that denies "everything but the bootstrap actions" (`NotAction`, or `*`)
 * denies it; a guard that names some services (`s3:*`, `ec2:*`, ...) does not, and leaves every other service open.
 */
export const OTHER_SERVICES_PROBE: Probe = { action: 'anyotherservice:AnyAction', resource: '*' };

/**
 * Representative actions outside every guard's MFA bootstrap set: reads and writes in several services, IAM changes
 * on the caller's own user (new keys, removing MFA, attaching policies), role assumption, and an action of any other
 * service. MFA is enforced in a context when each of them is explicitly denied there.
 */
export const ENFORCEMENT_PROBES: readonly Probe[] = [
  { action: 's3:ListAllMyBuckets', resource: '*' },
  { action: 's3:PutObject', resource: 'arn:{partition}:s3:::force-mfa-probe-bucket/probe-object' },
  { action: 'ec2:DescribeInstances', resource: '*' },
  { action: 'lambda:InvokeFunction', resource: 'arn:{partition}:lambda:us-east-1:{account}:function:force-mfa-probe' },
  { action: 'iam:CreateUser', resource: 'arn:{partition}:iam::{account}:user/force-mfa-probe' },
  { action: 'iam:CreateAccessKey', resource: '{self}' },
  { action: 'iam:DeactivateMFADevice', resource: '{self}' },
  { action: 'iam:AttachUserPolicy', resource: '{self}' },
  { action: 'sts:AssumeRole', resource: 'arn:{partition}:iam::{account}:role/force-mfa-probe' },
  OTHER_SERVICES_PROBE,
];

/**
 * Administrator, signed in with MFA: either every action of a cross-service sample is allowed (full admin), or one
 * self-escalation path is allowed (whoever can attach or write policies for themselves can become a full admin).
 */
export const ADMIN_SAMPLE_PROBES: readonly Probe[] = [
  { action: 'iam:CreateUser', resource: 'arn:{partition}:iam::{account}:user/force-mfa-probe' },
  { action: 'iam:AttachUserPolicy', resource: 'arn:{partition}:iam::{account}:user/force-mfa-probe' },
  { action: 's3:DeleteBucket', resource: 'arn:{partition}:s3:::force-mfa-probe-bucket' },
  { action: 'ec2:TerminateInstances', resource: 'arn:{partition}:ec2:us-east-1:{account}:instance/i-0123456789abcdef0' },
];
export const ADMIN_ESCALATION_PROBES: readonly Probe[] = [
  { action: 'iam:AttachUserPolicy', resource: '{self}' },
  { action: 'iam:PutUserPolicy', resource: '{self}' },
  { action: 'iam:AttachGroupPolicy', resource: 'arn:{partition}:iam::{account}:group/force-mfa-probe' },
  { action: 'iam:PutGroupPolicy', resource: 'arn:{partition}:iam::{account}:group/force-mfa-probe' },
  { action: 'iam:AddUserToGroup', resource: 'arn:{partition}:iam::{account}:group/force-mfa-probe' },
  { action: 'iam:CreatePolicyVersion', resource: 'arn:{partition}:iam::{account}:policy/force-mfa-probe' },
];

export interface ContextAssessment {
  readonly verdict: ContextVerdict;
  /** Probe actions that are not denied without MFA in this context. */
  readonly passing: readonly string[];
  /** How many probes are denied without MFA and not with it: a guard is at work, even if it lets some through. */
  readonly guarded: number;
  /** Policies that deny every probe in this context on their own. */
  readonly guardPolicies: readonly string[];
  /** Actions of the whole catalogue allowed without MFA beyond the allowlist (empty when not checked). */
  readonly beyondAllowlist: readonly string[];
  /** Allowed bootstrap actions on users that reach other users, not only the caller (the seed guard's scope). */
  readonly reachOtherUsers: readonly string[];
  /** MFA deny statements that a key the caller or the request supplies switches off for some passing probe. */
  readonly switchable: readonly ConditionalDeny[];
}

/** How the exhaustive check went: `not-needed` when the probes already show requests without MFA getting through. */
export type ExhaustiveOutcome = 'checked' | 'not-needed' | 'unavailable' | 'failed';

export interface EnforcementAssessment {
  /** True when both contexts deny; false when proven otherwise; undefined when the data cannot tell. */
  readonly enforced: boolean | undefined;
  readonly contexts: Readonly<Record<NoMfaContext, ContextAssessment>>;
  readonly unevaluable: readonly { readonly policy: string; readonly message: string }[];
  /** Some policy of the user is missing or unreadable. */
  readonly incomplete: boolean;
  readonly administrator: boolean | undefined;
  readonly exhaustive: ExhaustiveOutcome;
}

export type ExhaustiveCheck = (request: ExhaustiveRequest) => ExhaustiveResult;

export function assessEnforcement(
  user: IamUser,
  effective: EffectivePolicies,
  evaluate: PolicyEvaluator,
  exhaustive: ExhaustiveCheck,
): EnforcementAssessment {
  const unevaluable: { policy: string; message: string }[] = [];
  let policies = [...effective.policies];
  let boundary = typeof effective.boundary === 'object' ? effective.boundary : undefined;
  // The evaluator refuses what it cannot evaluate exactly: set that policy aside, say so, and judge the rest.
  for (;;) {
    try {
      return assessWith(user, policies, boundary, effective, unevaluable, evaluate, exhaustive);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const named = policyNamedByError(error);
      const candidates = boundary === undefined ? policies : [...policies, boundary];
      const culprit = candidates.find((policy) => policy.name === named) ?? candidates.find((policy) => !evaluatesAlone(user, policy, evaluate));
      unevaluable.push({ policy: culprit?.name ?? named ?? '(policy set)', message });
      if (culprit === undefined) return unknownAssessment(unevaluable, effective.incomplete);
      if (culprit === boundary) boundary = undefined;
      else policies = policies.filter((policy) => policy !== culprit);
    }
  }
}

function assessWith(
  user: IamUser,
  policies: readonly NamedPolicy[],
  boundary: NamedPolicy | undefined,
  effective: EffectivePolicies,
  unevaluable: readonly { policy: string; message: string }[],
  evaluate: PolicyEvaluator,
  exhaustive: ExhaustiveCheck,
): EnforcementAssessment {
  // A boundary whose document is missing might deny: only a denial proven by what is readable settles the answer.
  const uncertain = effective.incomplete || unevaluable.length > 0 || effective.boundary === 'missing';
  // An explicit deny in the permissions boundary denies as surely as one in an identity policy (a guard may live there).
  const decide = (probe: Probe, context: ProbeContext): Decision => {
    const call = request(user, probe, context);
    const decision = evaluate(call, policies).decision;
    if (decision === 'ExplicitlyDenied' || boundary === undefined) return decision;
    return evaluate(call, [boundary]).decision === 'ExplicitlyDenied' ? 'ExplicitlyDenied' : decision;
  };
  const withMfa = ENFORCEMENT_PROBES.map((probe) => decide(probe, 'mfa'));
  const contexts = {} as Record<NoMfaContext, ContextAssessment>;
  for (const context of NO_MFA_CONTEXTS) {
    const passing: string[] = [];
    let guarded = 0;
    ENFORCEMENT_PROBES.forEach((probe, index) => {
      const withoutMfa = decide(probe, context);
      if (withoutMfa !== 'ExplicitlyDenied') passing.push(probe.action);
      // A deny that also hits MFA sessions is about something else (region, network): it proves nothing about MFA.
      else if (withMfa[index] !== 'ExplicitlyDenied') guarded++;
    });
    const denied = passing.length === 0 && guarded > 0;
    const all = boundary === undefined ? policies : [...policies, boundary];
    contexts[context] = {
      verdict: denied ? 'denied' : uncertain ? 'unknown' : 'not-denied',
      passing,
      guarded,
      guardPolicies: denied ? policiesDenyingAlone(user, all, context, evaluate) : [],
      beyondAllowlist: [],
      reachOtherUsers: [],
      switchable: switchableGuards(user, all, passing, context),
    };
  }
  const failures = [...unevaluable];
  // The probes are a sample: where they say "denied", the whole catalogue must agree before "enforced" is said.
  let outcome: ExhaustiveOutcome = 'not-needed';
  if (NO_MFA_CONTEXTS.some((context) => contexts[context].verdict === 'denied')) {
    const result = exhaustive({
      principalArn: user.arn,
      principalTags: user.tags,
      userId: user.userId,
      policies,
      boundary,
      uncertain,
      identityKey: effective.identityKey,
      cacheKey: effective.cacheKey,
    });
    outcome = result.kind;
    for (const context of NO_MFA_CONTEXTS) {
      const probed = contexts[context];
      if (probed.verdict !== 'denied') continue;
      if (result.kind !== 'checked') {
        contexts[context] = { ...probed, verdict: 'unknown' };
        continue;
      }
      const found = result.contexts[context];
      // An upper bound (deny statements only, or data missing) that leaks proves nothing either way.
      const verdict = found.beyondAllowlist.length === 0 ? 'denied' : result.upperBound ? 'unknown' : 'not-denied';
      contexts[context] = {
        ...probed,
        verdict,
        beyondAllowlist: result.upperBound ? [] : found.beyondAllowlist,
        reachOtherUsers: result.upperBound ? [] : found.reachOtherUsers,
      };
    }
    if (result.kind === 'failed') failures.push({ policy: '(whole catalogue check)', message: result.message });
  }
  // Adding a policy never lifts an explicit deny, so denial proven by the readable policies holds whatever is missing.
  const verdicts = NO_MFA_CONTEXTS.map((context) => contexts[context].verdict);
  const enforced = verdicts.every((verdict) => verdict === 'denied')
    ? true
    : verdicts.some((verdict) => verdict === 'unknown')
      ? undefined
      : false;
  return {
    enforced,
    contexts,
    unevaluable: failures,
    incomplete: effective.incomplete,
    administrator: uncertain ? undefined : isAdministrator(user, policies, effective.boundary, evaluate),
    exhaustive: outcome,
  };
}

function unknownAssessment(unevaluable: readonly { policy: string; message: string }[], incomplete: boolean): EnforcementAssessment {
  const unknown: ContextAssessment = { verdict: 'unknown', passing: [], guarded: 0, guardPolicies: [], beyondAllowlist: [], reachOtherUsers: [], switchable: [] };
  return {
    enforced: undefined,
    contexts: { 'console-no-mfa': unknown, 'access-keys': unknown },
    unevaluable: [...unevaluable],
    incomplete,
    administrator: undefined,
    exhaustive: 'not-needed',
  };
}

/** The MFA denies that a free key switches off for the probes that pass, one entry per statement. */
function switchableGuards(user: IamUser, policies: readonly NamedPolicy[], passing: readonly string[], context: NoMfaContext): ConditionalDeny[] {
  const found = new Map<string, ConditionalDeny>();
  for (const probe of ENFORCEMENT_PROBES) {
    if (!passing.includes(probe.action)) continue;
    for (const deny of conditionalDenies(request(user, probe, context), policies)) {
      if (!deny.mfaGuard) continue;
      const key = `${deny.policy}\u0000${deny.statement}`;
      const known = found.get(key);
      found.set(key, known === undefined ? deny : { ...known, keys: [...new Set([...known.keys, ...deny.keys])].sort() });
    }
  }
  return [...found.values()];
}

function evaluatesAlone(user: IamUser, policy: NamedPolicy, evaluate: PolicyEvaluator): boolean {
  try {
    for (const probe of [...ENFORCEMENT_PROBES, ...ADMIN_SAMPLE_PROBES, ...ADMIN_ESCALATION_PROBES]) {
      for (const context of ['console-no-mfa', 'access-keys', 'mfa'] as const) evaluate(request(user, probe, context), [policy]);
    }
    return true;
  } catch {
    return false;
  }
}

function policiesDenyingAlone(user: IamUser, policies: readonly NamedPolicy[], context: NoMfaContext, evaluate: PolicyEvaluator): string[] {
  return policies
    .filter((policy) =>
      ENFORCEMENT_PROBES.every((probe) => evaluate(request(user, probe, context), [policy]).decision === 'ExplicitlyDenied'),
    )
    .map((policy) => policy.name);
}

function isAdministrator(
  user: IamUser,
  policies: readonly NamedPolicy[],
  boundary: NamedPolicy | 'missing' | undefined,
  evaluate: PolicyEvaluator,
): boolean | undefined {
  if (boundary === 'missing') return undefined;
  const allowed = (probe: Probe): boolean => {
    const call = request(user, probe, 'mfa');
    if (evaluate(call, policies).decision !== 'Allowed') return false;
    return boundary === undefined || evaluate(call, [boundary]).decision === 'Allowed';
  };
  try {
    return ADMIN_SAMPLE_PROBES.every(allowed) || ADMIN_ESCALATION_PROBES.some(allowed);
  } catch {
    // Enforcement was judged without error; a refusal here (often the boundary) leaves only the admin question open.
    return undefined;
  }
}

function request(user: IamUser, probe: Probe, context: ProbeContext): EvaluationRequest {
  const [, partition = 'aws', , , account = '*'] = user.arn.split(':');
  const resource = probe.resource
    .replace('{self}', user.arn)
    .replace('{partition}', partition)
    .replace('{account}', account === '' ? '*' : account);
  return {
    principalArn: user.arn,
    action: probe.action,
    resource,
    context: PROBE_CONTEXT_KEYS[context],
    principalTags: user.tags,
    userId: user.userId,
  };
}
