/**
 * A user's identity policies, groups and permissions boundary read through RolloutIam into the account model (each
 * group and managed policy read once), so enroll judges users with the audit's own policy assembly.
 */
import type { AuthorizationDetails } from '../account/authorization-details.js';
import { errorName, isAccessDenied } from '../account/aws/retry.js';
import type { IamGroup, IamUser, ManagedPolicy, UserIdentity } from '../account/model.js';
import { effectivePolicies, type EffectivePolicies } from '../audit/policies.js';
import type { PolicyDocumentOf, RolloutIam, UserSummary } from './iam.js';

export interface PolicyReads {
  /** The user's identity as IAM holds it now; undefined when the user does not exist (any more). */
  identity(user: UserSummary): Promise<UserIdentity | undefined>;
  /** The group's policies; undefined when they cannot be read (then the user's policies are incomplete). */
  group(groupName: string): Promise<IamGroup | undefined>;
  /** The managed policy; its document is undefined when it cannot be read. */
  managed(policyArn: string): Promise<ManagedPolicy>;
}

/** A user as enroll judges them: their identity with the groups they would belong to, and the policies that follow. */
export interface UserPolicies {
  readonly user: IamUser;
  readonly effective: EffectivePolicies;
}

function memo<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let cached = cache.get(key);
    if (cached === undefined) {
      cached = read(key);
      cache.set(key, cached);
    }
    return cached;
  };
}

/**
 * Unreadable is not "no policy": a read that is refused (access denied) or finds the policy gone leaves the document
 * undefined, which the audit treats as unknown. Any other failure (throttling past the retries, a 5xx, a reset) is
 * the environment's, and goes up as one: it must not turn into a verdict about the group.
 */
async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isAccessDenied(error) || errorName(error) === 'NoSuchEntity' || errorName(error) === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

function inline(policies: readonly PolicyDocumentOf[], prefix: string): { name: string; document: unknown }[] {
  return policies.map((policy) => ({ name: policy.name.startsWith(prefix) ? policy.name.slice(prefix.length) : policy.name, document: policy.document }));
}

export function policyReads(iam: RolloutIam): PolicyReads {
  const managed = memo(async (arn): Promise<ManagedPolicy> => {
    const document = await orUndefined(() => iam.managedPolicyDocument(arn));
    return { arn, name: arn.split('/').pop() ?? arn, defaultVersionId: undefined, document };
  });
  const group = memo(async (groupName): Promise<IamGroup | undefined> => {
    const [inlinePolicies, attachedPolicyArns] = await Promise.all([
      orUndefined(() => iam.listGroupInlinePolicies(groupName)),
      orUndefined(() => iam.listAttachedGroupPolicyArns(groupName)),
    ]);
    if (inlinePolicies === undefined || attachedPolicyArns === undefined) return undefined;
    return {
      groupName,
      arn: '',
      path: '/',
      groupId: '',
      createdAt: undefined,
      inlinePolicies: inline(inlinePolicies, `group ${groupName} inline `),
      attachedPolicyArns,
    };
  });
  return {
    async identity(summary) {
      const details = await iam.getUserDetails(summary.userName);
      if (details === undefined) return undefined;
      const [tags, groupNames, inlinePolicies, attachedPolicyArns] = await Promise.all([
        iam.listUserTags(summary.userName),
        iam.listGroupsForUser(summary.userName),
        orUndefined(() => iam.listUserInlinePolicies(summary.userName)),
        iam.listAttachedUserPolicyArns(summary.userName),
      ]);
      return {
        userName: summary.userName,
        arn: summary.arn,
        path: summary.path,
        userId: details.userId,
        createdAt: undefined,
        tags,
        groupNames,
        // An unreadable inline policy stands as one undefined document: the user's policies are then incomplete.
        inlinePolicies: inlinePolicies === undefined ? [{ name: '(unreadable)', document: undefined }] : inline(inlinePolicies, `user ${summary.userName} inline `),
        attachedPolicyArns,
        permissionsBoundaryArn: details.permissionsBoundaryArn,
      };
    },
    group,
    managed,
  };
}

/**
 * The user's effective policies when they belong to `groupNames` (the plan's membership, not today's): every group's
 * policies, the user's own, and the boundary, assembled by the audit's `effectivePolicies`.
 */
export async function policiesWithGroups(reads: PolicyReads, identity: UserIdentity, groupNames: readonly string[]): Promise<UserPolicies> {
  const groups = (await Promise.all(groupNames.map((name) => reads.group(name)))).filter((group): group is IamGroup => group !== undefined);
  const arns = [
    ...identity.attachedPolicyArns,
    ...groups.flatMap((group) => group.attachedPolicyArns),
    ...(identity.permissionsBoundaryArn === undefined ? [] : [identity.permissionsBoundaryArn]),
  ];
  const managed = await Promise.all([...new Set(arns)].map((arn) => reads.managed(arn)));
  const user: IamUser = { ...identity, groupNames: [...groupNames], consolePassword: undefined, mfa: undefined, accessKeys: undefined, gaps: [] };
  const effective = effectivePolicies(user, {
    groups: new Map(groups.map((group) => [group.groupName, group])),
    managed: new Map(managed.map((policy) => [policy.arn, policy])),
    sensitivity: new Map(),
  });
  return { user, effective };
}

/** The groups a user belongs to once the plan is applied: today's groups, plus or minus the target group. */
export function groupsAfter(identity: UserIdentity, groupName: string, inGroupAfter: boolean): string[] {
  const others = identity.groupNames.filter((name) => name !== groupName);
  return inGroupAfter ? [...others, groupName] : others;
}

/**
 * The same assembly from an export (GetAccountAuthorizationDetails, read by `readAuthorizationDetails`), for checks
 * made offline: the boundary comes from the user's `PermissionsBoundary`. Undefined when the export has no such user.
 */
export function policiesFromDetails(details: AuthorizationDetails, userName: string, groupNames?: readonly string[]): UserPolicies | undefined {
  const identity = details.users.find((user) => user.userName === userName);
  if (identity === undefined) return undefined;
  const user: IamUser = { ...identity, groupNames: [...(groupNames ?? identity.groupNames)], consolePassword: undefined, mfa: undefined, accessKeys: undefined, gaps: [] };
  const effective = effectivePolicies(user, {
    groups: new Map(details.groups.map((group) => [group.groupName, group])),
    managed: new Map(details.managedPolicies.map((policy) => [policy.arn, policy])),
    sensitivity: new Map(),
  });
  return { user, effective };
}
