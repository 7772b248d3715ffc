/** A user's effective identity policies (group inline, group managed, user inline, user managed) and a cache key. */
import type { AccountSnapshot, IamGroup, IamUser, ManagedPolicy } from '../account/model.js';
import type { NamedPolicy } from './evaluator.js';

export interface EffectivePolicies {
  readonly policies: readonly NamedPolicy[];
  /** The permissions boundary: undefined when none, 'missing' when set but its document is not in the data. */
  readonly boundary: NamedPolicy | 'missing' | undefined;
  /** A group or a policy document of the user is missing or unreadable. */
  readonly incomplete: boolean;
  /**
   * Users with equal keys get equal answers: same policies, same path, and (only when a policy depends on who the
   * caller is: names, ids, tags, policy variables other than `${aws:username}` in own-user ARNs) the same identity.
   */
  readonly cacheKey: string;
  /** The part of the cache key that is about the user: the path, or the whole identity when a policy depends on it. */
  readonly identityKey: string;
}

export interface PolicyIndex {
  readonly groups: ReadonlyMap<string, IamGroup>;
  readonly managed: ReadonlyMap<string, ManagedPolicy>;
  /** Per-policy identity sensitivity, computed once per document. */
  readonly sensitivity: Map<unknown, boolean>;
}

export function indexPolicies(snapshot: AccountSnapshot): PolicyIndex {
  return {
    groups: new Map(snapshot.groups.map((group) => [group.groupName, group])),
    managed: new Map(snapshot.managedPolicies.map((policy) => [policy.arn, policy])),
    sensitivity: new Map(),
  };
}

export function effectivePolicies(user: IamUser, index: PolicyIndex): EffectivePolicies {
  const policies: NamedPolicy[] = [];
  const keyParts: string[] = [];
  let incomplete = false;
  let identitySensitive = false;
  const seenManaged = new Set<string>();
  const add = (name: string, document: unknown, key: string): void => {
    if (document === undefined) {
      incomplete = true;
      return;
    }
    policies.push({ name, document });
    keyParts.push(key);
    identitySensitive ||= isIdentitySensitive(document, index.sensitivity);
  };
  const addManaged = (owner: string, arn: string): void => {
    if (seenManaged.has(arn)) return;
    seenManaged.add(arn);
    const policy = index.managed.get(arn);
    add(`${owner}/${policy?.name ?? arn}`, policy?.document, `m:${arn}`);
  };
  for (const groupName of user.groupNames) {
    const group = index.groups.get(groupName);
    if (group === undefined) {
      incomplete = true;
      continue;
    }
    for (const inline of group.inlinePolicies) add(`group:${groupName}/${inline.name}`, inline.document, `g:${groupName}:${inline.name}`);
    for (const arn of group.attachedPolicyArns) addManaged(`group:${groupName}`, arn);
  }
  for (const inline of user.inlinePolicies) {
    add(`user:${user.userName}/${inline.name}`, inline.document, `u:${inline.name}:${JSON.stringify(inline.document)}`);
  }
  for (const arn of user.attachedPolicyArns) addManaged(`user:${user.userName}`, arn);

  let boundary: EffectivePolicies['boundary'];
  if (user.permissionsBoundaryArn !== undefined) {
    const policy = index.managed.get(user.permissionsBoundaryArn);
    boundary = policy?.document === undefined ? 'missing' : { name: `boundary/${policy.name}`, document: policy.document };
    keyParts.push(`b:${user.permissionsBoundaryArn}`);
    if (typeof boundary === 'object') identitySensitive ||= isIdentitySensitive(boundary.document, index.sensitivity);
  }
  const identity = identitySensitive ? `${user.arn}|${user.userId}|${JSON.stringify(user.tags)}` : `path:${user.path}`;
  return { policies, boundary, incomplete, cacheKey: `${[...keyParts].sort().join('\n')}\n${identity}\n${incomplete}`, identityKey: identity };
}

const IDENTITY_KEYS = /aws:username|aws:userid|aws:PrincipalTag|aws:ResourceTag|iam:ResourceTag|aws:PrincipalArn|aws:SourceIdentity|aws:PrincipalIsAWSService/i;

function isIdentitySensitive(document: unknown, cache: Map<unknown, boolean>): boolean {
  const cached = cache.get(document);
  if (cached !== undefined) return cached;
  const text = JSON.stringify(document).replaceAll('${aws:username}', '');
  let sensitive = IDENTITY_KEYS.test(text) || text.includes('${');
  // A user ARN is fine only as a wildcard pattern (`user/*`, `user/*/${aws:username}`): a named user is not.
  for (const match of text.matchAll(/:user\/([^"]*)/g)) {
    if (!/^[*/]*$/.test(match[1] ?? '')) sensitive = true;
  }
  cache.set(document, sensitive);
  return sensitive;
}
