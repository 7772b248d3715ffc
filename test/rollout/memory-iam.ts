/** An in-memory RolloutIam for enroll tests: users, the guard group (with the recommended guard), other groups, faults. */
import type { RolloutIam, RolloutSts, UserSummary } from '../../src/rollout/iam.js';
import { loadCatalogue } from '../../src/engine/catalogue.js';
import { buildGuard } from '../../src/policy/guard.js';

export const catalogue = await loadCatalogue();
export const GUARD = buildGuard({ profile: 'recommended' }).document;
export const FORCE = { overrides: new Set(['force' as const]) };
export const NO_OVERRIDE = { overrides: new Set<never>() };

export interface MemoryUser {
  name: string;
  mfa?: number;
  /** Serial numbers as IAM lists them, instead of `mfa` hardware serials. */
  serials?: string[];
  password?: boolean;
  keys?: number;
  policies?: string[];
  inline?: Record<string, unknown>;
  tags?: Record<string, string>;
  boundary?: string;
}

/** The AWS managed policies the tests attach, as IAM returns their default versions (decoded). */
export const MANAGED_DOCUMENTS: Record<string, unknown> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'arn:aws:iam::aws:policy/ReadOnlyAccess': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] },
  'arn:aws:iam::111122223333:policy/OnlyS3': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
};

export function memoryAccount(
  users: MemoryUser[],
  members: string[],
  options: { failOn?: string; timeOutAfterApplying?: string; groupPolicies?: Record<string, unknown>; otherGroups?: Record<string, { members: string[]; policies: Record<string, unknown> }> } = {},
) {
  const groupPolicies = options.groupPolicies ?? { ForceMfa: GUARD };
  const otherGroups = options.otherGroups ?? {};
  const group = new Set(members);
  const byName = new Map(users.map((user) => [user.name, user]));
  const adds: string[] = [];
  const iam: RolloutIam = {
    listAllUsers: async () => users.map((user): UserSummary => ({ userName: user.name, path: '/', arn: `arn:aws:iam::111122223333:user/${user.name}` })),
    getGroupMembers: async () => [...group],
    getGroup: async (name) => ({ arn: `arn:aws:iam::111122223333:group/${name}`, members: [...group] }),
    getUserDetails: async (name) => (byName.has(name) ? { userId: `AIDA${name.toUpperCase()}`, permissionsBoundaryArn: byName.get(name)?.boundary } : undefined),
    tagUser: async (name, tags) => {
      const user = byName.get(name);
      if (user !== undefined) user.tags = { ...user.tags, ...tags };
    },
    untagUser: async (name, keys) => {
      const user = byName.get(name);
      if (user !== undefined) user.tags = Object.fromEntries(Object.entries(user.tags ?? {}).filter(([key]) => !keys.includes(key)));
    },
    listMfaDevices: async (name) =>
      byName.get(name)?.serials ?? Array.from({ length: byName.get(name)?.mfa ?? 0 }, (_, index) => `GAHT0000000${index}`),
    listUserTags: async (name) => byName.get(name)?.tags ?? {},
    hasConsolePassword: async (name) => byName.get(name)?.password === true,
    countActiveAccessKeys: async (name) => byName.get(name)?.keys ?? 0,
    listAttachedUserPolicyArns: async (name) => byName.get(name)?.policies ?? [],
    listGroupsForUser: async (name) => [
      ...(group.has(name) ? ['ForceMfaAccess'] : []),
      ...Object.entries(otherGroups).filter(([, other]) => other.members.includes(name)).map(([groupName]) => groupName),
    ],
    listAttachedGroupPolicyArns: async () => [],
    listUserInlinePolicies: async (name) => Object.entries(byName.get(name)?.inline ?? {}).map(([policy, document]) => ({ name: policy, document })),
    listGroupInlinePolicies: async (groupName) =>
      Object.entries(groupName === 'ForceMfaAccess' ? groupPolicies : (otherGroups[groupName]?.policies ?? {})).map(([name, document]) => ({ name, document })),
    managedPolicyDocument: async (arn) => MANAGED_DOCUMENTS[arn],
    addUserToGroup: async (_, name) => {
      if (name === options.failOn) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      adds.push(name);
      group.add(name);
      if (name === options.timeOutAfterApplying) throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    },
    removeUserFromGroup: async (_, name) => void group.delete(name),
  };
  return { iam, group, adds };
}

export const sts = (userName: string, hasSessionToken = false): RolloutSts => ({
  getCallerIdentity: async () => ({ account: '111122223333', arn: `arn:aws:iam::111122223333:user/${userName}`, hasSessionToken }),
});

export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const request = { groupName: 'ForceMfaAccess', selection: { kind: 'all' as const }, excluded: [] as string[] };
export const NOW = () => new Date('2026-12-01T00:00:00Z');

