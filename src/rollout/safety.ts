/**
 * What enroll refuses (pure): the caller locking themselves out, no administrator left who can act, and a target
 * group that would not enforce MFA. Every verdict is evaluated from the policies, never read from names.
 */
import type { IamUser } from '../account/model.js';
import { mfaContextKeys } from '../engine/contexts.js';
import type { EnforcementAssessment } from '../audit/enforcement.js';
import type { EvaluationRequest, PolicyEvaluator } from '../audit/evaluator.js';
import type { EffectivePolicies } from '../audit/policies.js';
import { NO_MFA_CONTEXTS, type NoMfaContext } from '../audit/types.js';
import type { EnrollChange } from './enroll-plan.js';
import { userNameOfArn, type CallerIdentity, type UserCredentials } from './iam.js';

export type RefusalCode = 'caller-without-mfa' | 'caller-mfa-unproven' | 'no-administrator-left' | 'group-not-enforcing';

/** What lets a refused plan be applied anyway: `force` for lockouts, `allow-unenforcing-group` for a group that enforces nothing. */
export type RefusalOverride = 'force' | 'allow-unenforcing-group';

export interface Refusal {
  readonly code: RefusalCode;
  /** One line: what is wrong and what to do instead. */
  readonly message: string;
}

export function overrideOf(code: RefusalCode): RefusalOverride {
  return code === 'group-not-enforcing' ? 'allow-unenforcing-group' : 'force';
}

/** How the caller signs, as far as STS and the credentials tell. */
export type SessionKind = 'long-term-keys' | 'user-session' | 'assumed-role' | 'federated-user' | 'root' | 'other';

export function sessionKindOf(caller: CallerIdentity): SessionKind {
  if (/^arn:[\w-]+:sts::\d{12}:assumed-role\//.test(caller.arn)) return 'assumed-role';
  if (/^arn:[\w-]+:sts::\d{12}:federated-user\//.test(caller.arn)) return 'federated-user';
  if (/^arn:[\w-]+:iam::\d{12}:root$/.test(caller.arn)) return 'root';
  if (userNameOfArn(caller.arn) === undefined) return 'other';
  // A session token with a user's ARN: GetSessionToken (or a console-derived CLI session), with or without MFA.
  return caller.hasSessionToken ? 'user-session' : 'long-term-keys';
}

/**
 * What the tool knows about the caller's MFA. STS never says whether a session used MFA, so the only evidence is a
 * call that a guard would have denied without it: the caller's own user is, today, under policies that the evaluator
 * proves deny every request without MFA (enforced in both contexts), and the tool's IAM reads with these credentials
 * succeeded. Anything less is `unproven`.
 */
export type CallerMfaEvidence = 'proven' | 'unproven';

export function callerMfaEvidence(callerAssessment: EnforcementAssessment | undefined): CallerMfaEvidence {
  return callerAssessment?.enforced === true ? 'proven' : 'unproven';
}

/**
 * The caller is refused when the plan adds their own IAM user and their session is not proven to carry MFA: long-term
 * keys never do; a session token is accepted only with evidence (see `callerMfaEvidence`). A federated-user session
 * belongs to an IAM user STS does not name: when the plan adds anyone it may be that user, so it is refused too.
 * Roles and the root user are never in the group.
 */
export function callerRefusal(caller: CallerIdentity, changes: readonly EnrollChange[], evidence: CallerMfaEvidence): Refusal | undefined {
  const kind = sessionKindOf(caller);
  const adds = changes.filter((change) => change.action === 'add');
  if (kind === 'federated-user' && adds.length > 0) {
    return {
      code: 'caller-mfa-unproven',
      message:
        `the caller ${caller.arn} is a federated-user session, whose IAM user STS does not name and which cannot carry MFA: ` +
        'if the plan adds that user, every later call of this session is denied; run as a role or as an IAM user with an MFA session',
    };
  }
  const callerName = userNameOfArn(caller.arn);
  if (callerName === undefined || !adds.some((change) => change.userName === callerName)) return undefined;
  if (kind === 'long-term-keys') {
    return {
      code: 'caller-without-mfa',
      message:
        `the plan adds ${callerName}, the user running it, who signs with long-term access keys (no MFA): once in ` +
        'the group every later call of this session is denied; exclude this user, or run as them with an MFA session',
    };
  }
  if (evidence === 'proven') return undefined;
  return {
    code: 'caller-mfa-unproven',
    message:
      `the plan adds ${callerName}, the user running it, and AWS does not say whether this session was signed in with ` +
      'MFA (nothing denies this user without MFA yet, so no call could show it): exclude this user, or run as another ' +
      'identity (force only if you know the session used MFA)',
  };
}

/**
 * Requests that every direct call to AWS carries, for the "can this administrator act" question: a source IP (v4 and
 * v6), TLS, a region, a time and no service in between. The check asks whether SOME real request would be allowed, so
 * these keys are set, never left absent: an Allow under `NotIpAddress 0.0.0.0/0, ::/0` (or any operator that only
 * matches an absent key) must not count, since no real request lacks a source IP. Keys the caller may choose freely
 * (user agent, tags, referer) are left absent, which only makes an Allow that needs them not count: the check can err
 * only towards refusing. When the evaluator quantifies over free condition keys, `allowsSomeRequest` is the one place
 * to change.
 */
export function representativeRequests(now: Date): readonly Readonly<Record<string, string>>[] {
  const common = {
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': 'us-east-1',
    'aws:ViaAWSService': 'false',
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
  };
  return [
    { ...common, 'aws:SourceIp': '203.0.113.10' },
    { ...common, 'aws:SourceIp': '2001:db8::10' },
  ];
}

export interface Action {
  readonly action: string;
  readonly resource: string;
}

type SignIn = NoMfaContext | 'mfa';

/**
 * Whether, in one of the representative requests of this sign-in, every action is Allowed by the identity policies
 * and, when there is one, by the permissions boundary. A policy the engine cannot evaluate exactly answers "no".
 */
export function allowsSomeRequest(
  user: IamUser,
  effective: EffectivePolicies,
  actions: readonly Action[],
  signIn: SignIn,
  evaluate: PolicyEvaluator,
  now: Date,
): boolean {
  if (effective.incomplete || effective.boundary === 'missing') return false;
  const boundary = effective.boundary;
  const allowed = (request: EvaluationRequest): boolean =>
    evaluate(request, effective.policies).decision === 'Allowed' && (boundary === undefined || evaluate(request, [boundary]).decision === 'Allowed');
  try {
    return representativeRequests(now).some((keys) =>
      actions.every((entry) =>
        allowed({
          principalArn: user.arn,
          action: entry.action,
          resource: entry.resource,
          context: { ...keys, ...mfaContextKeys(signIn) },
          principalTags: user.tags,
          userId: user.userId,
        }),
      ),
    );
  } catch {
    return false;
  }
}

/**
 * IAM administration a break-glass administrator must be able to do, signed in with MFA: create users, grant them
 * policies, take users out of the guard group, and reset their MFA. The ARNs are probes, not real resources.
 */
export function administratorProbes(userArn: string, groupName: string): Action[] {
  const [, partition = 'aws', , , account = '*'] = userArn.split(':');
  const iam = `arn:${partition}:iam::${account}`;
  return [
    { action: 'iam:CreateUser', resource: `${iam}:user/force-mfa-probe` },
    { action: 'iam:AttachUserPolicy', resource: `${iam}:user/force-mfa-probe` },
    { action: 'iam:DeactivateMFADevice', resource: `${iam}:user/force-mfa-probe` },
    { action: 'iam:RemoveUserFromGroup', resource: `${iam}:group/${groupName}` },
  ];
}

/** Setting up a virtual MFA device for oneself (any device name, as the console lets users choose it). */
export function mfaEnrollmentProbes(userArn: string): Action[] {
  const [, partition = 'aws', , , account = '*'] = userArn.split(':');
  return [
    { action: 'iam:CreateVirtualMFADevice', resource: `arn:${partition}:iam::${account}:mfa/force-mfa-probe` },
    { action: 'iam:EnableMFADevice', resource: userArn },
  ];
}

export type AdministratorVerdict =
  /** Signing in with MFA (a device they have, or one they can enroll first), they can administer IAM. */
  | 'can-act'
  /** Their policies, once the plan is applied, do not allow the administrator probes in any real MFA request. */
  | 'not-administrator'
  /** An administrator with no way to sign in with MFA: no usable device and no MFA-exempt way to enroll one. */
  | 'no-mfa-path'
  /** Some policy or the boundary could not be read: not counted. */
  | 'unknown';

/**
 * Could this user, once the plan is applied, sign in with MFA and administer IAM? The MFA path is a device they can
 * use (any device with a console password; a code-giving device with access keys: STS takes no passkey), or a
 * credential whose requests without MFA may enroll a virtual device for themselves. An administrator with access keys
 * only, in a guard group that denies device changes with keys alone, has none.
 */
export function administratorVerdict(
  user: IamUser,
  effective: EffectivePolicies,
  credentials: UserCredentials,
  groupName: string,
  evaluate: PolicyEvaluator,
  now: Date,
): AdministratorVerdict {
  if (effective.incomplete || effective.boundary === 'missing') return 'unknown';
  if (!allowsSomeRequest(user, effective, administratorProbes(user.arn, groupName), 'mfa', evaluate, now)) return 'not-administrator';
  const hasDevicePath =
    (credentials.consolePassword && credentials.mfaDevices > 0) || (credentials.activeAccessKeys > 0 && credentials.codeMfaDevices > 0);
  if (hasDevicePath) return 'can-act';
  const enroll = mfaEnrollmentProbes(user.arn);
  const canEnroll =
    (credentials.consolePassword && allowsSomeRequest(user, effective, enroll, 'console-no-mfa', evaluate, now)) ||
    (credentials.activeAccessKeys > 0 && allowsSomeRequest(user, effective, enroll, 'access-keys', evaluate, now));
  return canEnroll ? 'can-act' : 'no-mfa-path';
}

export function noAdministratorRefusal(groupName: string): Refusal {
  return {
    code: 'no-administrator-left',
    message:
      `after this change no IAM user could still sign in with MFA and administer IAM (evaluated with their policies, ` +
      `groups, ${groupName} included, and permissions boundaries): keep a break-glass administrator out of the group or ` +
      'enroll MFA for one first; only IAM users were examined, so if roles or IAM Identity Center administer this account, force it',
  };
}

/** What a group lets through without MFA, for the refusal line: the probe actions not denied, per context. */
export function leaksOf(assessment: EnforcementAssessment): string {
  if (assessment.enforced === undefined) {
    const reasons = assessment.unevaluable.map((entry) => entry.policy);
    return reasons.length > 0 ? `its effect cannot be proven (cannot evaluate ${reasons.join(', ')})` : 'its effect cannot be proven (policies missing or unreadable)';
  }
  const parts = NO_MFA_CONTEXTS.flatMap((context) => {
    const found = assessment.contexts[context];
    if (found.verdict === 'denied') return [];
    const actions = [...new Set([...found.passing, ...found.beyondAllowlist])];
    const shown = actions.slice(0, 4).join(', ') + (actions.length > 4 ? ` and ${actions.length - 4} more` : '');
    return [`${context === 'access-keys' ? 'access keys' : 'a console session'} without MFA can still call ${shown || 'actions beyond MFA setup'}`];
  });
  return parts.join('; ');
}

export function unenforcingGroupRefusal(groupName: string, userNames: readonly string[], assessment: EnforcementAssessment): Refusal {
  const [first] = userNames;
  const others = userNames.length > 1 ? ` (and ${userNames.length - 1} more user(s))` : '';
  return {
    code: 'group-not-enforcing',
    message:
      `group ${groupName} would not enforce MFA on ${first ?? 'the users'}${others}: ${leaksOf(assessment)}; deploy the guard ` +
      'policy to that group (force-mfa deploy) or name the guard group',
  };
}
