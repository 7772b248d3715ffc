/** The two lockouts enroll refuses: the caller locking themselves out, and no administrator left who can act. */
import type { EnrollChange } from './enroll-plan.js';
import { isForceMfaError } from '../errors.js';
import {
  userNameOfArn,
  type CallerIdentity,
  type PolicyDocumentOf,
  type RolloutIam,
  type UserCredentials,
  type UserSummary,
} from './iam.js';

export type RefusalCode = 'caller-without-mfa' | 'no-administrator-left';

export interface Refusal {
  readonly code: RefusalCode;
  /** One line: what is wrong and what to do instead. */
  readonly message: string;
}

/**
 * The caller is refused when the plan adds their own IAM user and their session cannot be an MFA session:
 * long-term access keys (no session token) never carry `aws:MultiFactorAuthPresent`, and a session token of a user
 * without any MFA device cannot come from MFA. A session token of a user with a device is taken as an MFA session
 * (STS does not say how a session was obtained).
 */
export function callerRefusal(
  caller: CallerIdentity,
  changes: readonly EnrollChange[],
  callerMfaDevices: number | undefined,
): Refusal | undefined {
  const callerName = userNameOfArn(caller.arn);
  if (callerName === undefined) return undefined;
  if (!changes.some((change) => change.userName === callerName && change.action === 'add')) return undefined;
  if (!caller.hasSessionToken) {
    return {
      code: 'caller-without-mfa',
      message:
        `the plan adds ${callerName}, the user running it, who signs with long-term access keys (no MFA): once in ` +
        'the group every later call of this session is denied; exclude this user, or run as them with an MFA session',
    };
  }
  if (callerMfaDevices === 0) {
    return {
      code: 'caller-without-mfa',
      message:
        `the plan adds ${callerName}, the user running it, who has no MFA device, so this session has no MFA: once ` +
        'in the group every later call is denied; enroll an MFA device first or exclude this user',
    };
  }
  return undefined;
}

/** Decides whether a user holds administrator rights; the default looks at attached managed policies. */
export type AdministratorCheck = (user: UserSummary) => Promise<boolean>;

/** AWS managed policies that make a user an administrator of IAM (any partition). */
export const ADMINISTRATOR_POLICY_NAMES: readonly string[] = ['AdministratorAccess', 'IAMFullAccess'];

export function isAdministratorPolicyArn(arn: string): boolean {
  return ADMINISTRATOR_POLICY_NAMES.some((name) => new RegExp(`^arn:[\\w-]+:iam::aws:policy/${name}$`).test(arn));
}

/**
 * Admin rights by attached AWS managed policies, on the user or any of their groups. Rights granted by inline or
 * customer managed policies are not seen: the check can only err towards refusing (then `force` is the way out).
 */
export function attachedPolicyAdministratorCheck(iam: RolloutIam): AdministratorCheck {
  const groupPolicies = new Map<string, Promise<string[]>>();
  const policiesOfGroup = (group: string): Promise<string[]> => {
    let cached = groupPolicies.get(group);
    if (cached === undefined) {
      cached = iam.listAttachedGroupPolicyArns(group);
      groupPolicies.set(group, cached);
    }
    return cached;
  };
  return async (user) => {
    if ((await iam.listAttachedUserPolicyArns(user.userName)).some(isAdministratorPolicyArn)) return true;
    for (const group of await iam.listGroupsForUser(user.userName)) {
      if ((await policiesOfGroup(group)).some(isAdministratorPolicyArn)) return true;
    }
    return false;
  };
}

/**
 * An administrator can still act after the change when they are outside the group and hold any credential, or in
 * the group with an MFA device and a credential to use it with: a console password with any device, or access keys
 * with a device that gives codes (STS takes no passkey or security key, so keys plus those alone are locked out).
 */
export function canStillAct(inGroupAfter: boolean, credentials: UserCredentials): boolean {
  if (!inGroupAfter) return credentials.consolePassword || credentials.activeAccessKeys > 0;
  return (
    (credentials.consolePassword && credentials.mfaDevices > 0) ||
    (credentials.activeAccessKeys > 0 && credentials.codeMfaDevices > 0)
  );
}

export interface BreakGlassInput {
  readonly users: readonly UserSummary[];
  /** Members of the group after the plan is applied. */
  readonly membersAfter: ReadonlySet<string>;
}

/**
 * The first administrator who can still act after the change, or undefined. Users outside the group are tried first
 * and the search stops at the first match, so a typical account costs a handful of calls.
 */
export async function findActingAdministrator(
  input: BreakGlassInput,
  isAdministrator: AdministratorCheck,
  credentialsOf: (userName: string) => Promise<UserCredentials>,
): Promise<string | undefined> {
  const outside = input.users.filter((user) => !input.membersAfter.has(user.userName));
  const inside = input.users.filter((user) => input.membersAfter.has(user.userName));
  for (const user of [...outside, ...inside]) {
    if (!(await isAdministrator(user))) continue;
    const credentials = await credentialsOf(user.userName);
    if (canStillAct(input.membersAfter.has(user.userName), credentials)) return user.userName;
  }
  return undefined;
}

export function noAdministratorRefusal(groupName: string): Refusal {
  return {
    code: 'no-administrator-left',
    message:
      `after this change no IAM user with administrator rights could still act (each is in ${groupName} without an ` +
      'MFA device, or has no credentials): keep a break-glass administrator out of the group or enroll MFA for one first',
  };
}

/**
 * IAM administration a break-glass administrator must be able to do, signed in with MFA: create users, grant them
 * policies, take users out of the guard group, and reset their MFA. The ARNs are probes, not real resources.
 */
export function administratorProbes(userArn: string, groupName: string): { action: string; resource: string }[] {
  const [, partition = 'aws', , , account = '*'] = userArn.split(':');
  const iam = `arn:${partition}:iam::${account}`;
  return [
    { action: 'iam:CreateUser', resource: `${iam}:user/force-mfa-probe` },
    { action: 'iam:AttachUserPolicy', resource: `${iam}:user/force-mfa-probe` },
    { action: 'iam:DeactivateMFADevice', resource: `${iam}:user/force-mfa-probe` },
    { action: 'iam:RemoveUserFromGroup', resource: `${iam}:group/${groupName}` },
  ];
}

/** The request keys of a console or CLI session signed in with MFA a minute ago. */
const MFA_SESSION = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:SecureTransport': 'true' };

/**
 * Admin rights by evaluating the user's effective identity policies (user inline and managed, and those of each
 * group) with the engine: every administrator probe must be Allowed in an MFA session. A policy the engine cannot
 * evaluate exactly makes the answer "not an administrator", which can only make enroll refuse, never lock out.
 * Permissions boundaries, SCPs and roles are not considered.
 */
export function evaluatedAdministratorCheck(
  iam: RolloutIam,
  groupName: string,
  evaluate: (request: { principalArn: string; action: string; resource: string; context: Record<string, string> }, policies: readonly PolicyDocumentOf[]) => { decision: string },
): AdministratorCheck {
  const managed = new Map<string, Promise<PolicyDocumentOf>>();
  const groups = new Map<string, Promise<PolicyDocumentOf[]>>();
  const managedPolicy = (arn: string): Promise<PolicyDocumentOf> => {
    let cached = managed.get(arn);
    if (cached === undefined) {
      cached = iam.managedPolicyDocument(arn).then((document) => ({ name: arn, document }));
      managed.set(arn, cached);
    }
    return cached;
  };
  const groupPolicies = (group: string): Promise<PolicyDocumentOf[]> => {
    let cached = groups.get(group);
    if (cached === undefined) {
      cached = (async () => [
        ...(await iam.listGroupInlinePolicies(group)),
        ...(await Promise.all((await iam.listAttachedGroupPolicyArns(group)).map(managedPolicy))),
      ])();
      groups.set(group, cached);
    }
    return cached;
  };
  return async (user) => {
    const policies = [
      ...(await iam.listUserInlinePolicies(user.userName)),
      ...(await Promise.all((await iam.listAttachedUserPolicyArns(user.userName)).map(managedPolicy))),
      ...(await Promise.all((await iam.listGroupsForUser(user.userName)).map(groupPolicies))).flat(),
    ];
    try {
      return administratorProbes(user.arn, groupName).every(
        (probe) => evaluate({ principalArn: user.arn, ...probe, context: { ...MFA_SESSION, 'aws:username': user.userName } }, policies).decision === 'Allowed',
      );
    } catch (error) {
      if (isForceMfaError(error)) return false;
      throw error;
    }
  };
}
