/** A tiny in-process IAM + STS Query API on 127.0.0.1: XML in IAM's shape, small pages, membership state to assert. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeServer } from '../support/fake-http-server.js';
import { IAM_NAMESPACE, QueryFault, STS_NAMESPACE, element, escapeXml, queryError, queryResult, sendXml } from '../support/query-api.js';

export const ACCOUNT_ID = '123456789012';

export interface FakeUser {
  readonly userName: string;
  readonly path?: string;
  readonly tags?: Record<string, string>;
  readonly mfaSerials?: string[];
  readonly password?: boolean;
  readonly activeKeys?: number;
  readonly attachedPolicyArns?: string[];
  /** Inline policies by name (documents as JSON values). */
  readonly inlinePolicies?: Record<string, unknown>;
  readonly permissionsBoundaryArn?: string;
}

/** AWS managed policies the fake account knows, as their default versions. */
const MANAGED_POLICIES: Record<string, unknown> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'arn:aws:iam::aws:policy/ReadOnlyAccess': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] },
};

export interface FakeGroup {
  readonly groupName: string;
  readonly members: string[];
  readonly attachedPolicyArns?: string[];
  /** Inline policies by name; the guard group usually holds the guard. */
  readonly inlinePolicies?: Record<string, unknown>;
}

export interface FakeAccount {
  readonly users: FakeUser[];
  readonly groups: FakeGroup[];
  readonly alias?: string;
  /** The user the signing credentials belong to. */
  readonly callerUserName: string;
}

export interface FakeIamServer {
  readonly endpoint: string;
  /** Every Action received, in order. */
  readonly calls: string[];
  members(groupName: string): string[];
  /** Changes the group behind the tool's back, as another administrator would. */
  setMembers(groupName: string, members: readonly string[]): void;
  /**
   * From now on, `action` calls naming `userName` are applied and then never answered, as when a response is lost:
   * the client times out although IAM made the change.
   */
  applyThenHang(action: string, userName: string): void;
  close(): Promise<void>;
}

const CREATED = '2024-04-01T09:00:00Z';

function userArn(user: FakeUser): string {
  return `arn:aws:iam::${ACCOUNT_ID}:user${user.path ?? '/'}${user.userName}`;
}

function userXml(user: FakeUser): string {
  return (
    element('Path', user.path ?? '/') +
    element('UserName', user.userName) +
    element('UserId', `AIDA${user.userName.toUpperCase().padEnd(17, 'X').slice(0, 17)}`) +
    element('Arn', userArn(user)) +
    element('CreateDate', CREATED)
  );
}

/** IAM pages with IsTruncated and an opaque Marker; the page size is tiny so every listing needs several pages. */
function paged<T>(items: readonly T[], params: URLSearchParams, pageSize: number, render: (item: T) => string, listName: string): string {
  const start = Number(Buffer.from(params.get('Marker') ?? '', 'base64').toString() || '0');
  const page = items.slice(start, start + pageSize);
  const truncated = start + pageSize < items.length;
  const marker = truncated ? element('Marker', Buffer.from(String(start + pageSize)).toString('base64')) : '';
  return `<${listName}>${page.map((item) => `<member>${render(item)}</member>`).join('')}</${listName}>${element('IsTruncated', String(truncated))}${marker}`;
}

export async function startFakeIamServer(account: FakeAccount, pageSize = 2): Promise<FakeIamServer> {
  const users = new Map(account.users.map((user) => [user.userName, user]));
  const groups = new Map(account.groups.map((group) => [group.groupName, { ...group, members: [...group.members] }]));
  const calls: string[] = [];
  const hangs = new Set<string>();

  const userOf = (params: URLSearchParams): FakeUser => {
    const name = params.get('UserName') ?? '';
    const user = users.get(name);
    if (user === undefined) throw new QueryFault(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
    return user;
  };
  const groupOf = (params: URLSearchParams): { groupName: string; members: string[]; attachedPolicyArns?: string[]; inlinePolicies?: Record<string, unknown> } => {
    const name = params.get('GroupName') ?? '';
    const group = groups.get(name);
    if (group === undefined) throw new QueryFault(404, 'NoSuchEntity', `The group with name ${name} cannot be found.`);
    return group;
  };
  const policyXml = (arn: string): string => element('PolicyName', arn.split('/').pop() ?? '') + element('PolicyArn', arn);

  const actions: Record<string, (params: URLSearchParams) => string> = {
    ListUsers: (params) => {
      const prefix = params.get('PathPrefix') ?? '/';
      return paged([...users.values()].filter((user) => (user.path ?? '/').startsWith(prefix)), params, pageSize, userXml, 'Users');
    },
    GetUser: (params) => {
      const user = userOf(params);
      const boundary = user.permissionsBoundaryArn === undefined ? '' : `<PermissionsBoundary>${element('PermissionsBoundaryType', 'Policy')}${element('PermissionsBoundaryArn', user.permissionsBoundaryArn)}</PermissionsBoundary>`;
      return `<User>${userXml(user)}${boundary}</User>`;
    },
    TagUser: (params) => {
      const user = userOf(params) as FakeUser & { tags?: Record<string, string> };
      const tags: Record<string, string> = { ...(user.tags ?? {}) };
      for (let index = 1; params.has(`Tags.member.${index}.Key`); index++) tags[params.get(`Tags.member.${index}.Key`) ?? ''] = params.get(`Tags.member.${index}.Value`) ?? '';
      users.set(user.userName, { ...user, tags });
      return '';
    },
    UntagUser: (params) => {
      const user = userOf(params);
      const keys = new Set<string>();
      for (let index = 1; params.has(`TagKeys.member.${index}`); index++) keys.add(params.get(`TagKeys.member.${index}`) ?? '');
      users.set(user.userName, { ...user, tags: Object.fromEntries(Object.entries(user.tags ?? {}).filter(([key]) => !keys.has(key))) });
      return '';
    },
    GetGroup: (params) => {
      const group = groupOf(params);
      const groupXml = element('Path', '/') + element('GroupName', group.groupName) + element('GroupId', 'AGPAFAKE') +
        element('Arn', `arn:aws:iam::${ACCOUNT_ID}:group/${group.groupName}`) + element('CreateDate', CREATED);
      const members = group.members.map((name) => users.get(name)).filter((user): user is FakeUser => user !== undefined);
      return `<Group>${groupXml}</Group>${paged(members, params, pageSize, userXml, 'Users')}`;
    },
    AddUserToGroup: (params) => {
      const group = groupOf(params);
      const user = userOf(params);
      if (!group.members.includes(user.userName)) group.members.push(user.userName);
      return '';
    },
    RemoveUserFromGroup: (params) => {
      const group = groupOf(params);
      const user = userOf(params);
      if (!group.members.includes(user.userName)) throw new QueryFault(404, 'NoSuchEntity', `User ${user.userName} is not in group ${group.groupName}.`);
      group.members.splice(group.members.indexOf(user.userName), 1);
      return '';
    },
    ListMFADevices: (params) => {
      const user = userOf(params);
      return paged(user.mfaSerials ?? [], params, pageSize, (serial) => element('UserName', user.userName) + element('SerialNumber', serial) + element('EnableDate', CREATED), 'MFADevices');
    },
    ListUserTags: (params) =>
      paged(Object.entries(userOf(params).tags ?? {}), params, pageSize, ([key, value]) => element('Key', key) + element('Value', value), 'Tags'),
    GetLoginProfile: (params) => {
      const user = userOf(params);
      if (user.password !== true) throw new QueryFault(404, 'NoSuchEntity', `Login Profile for User ${user.userName} cannot be found.`);
      return `<LoginProfile>${element('UserName', user.userName)}${element('CreateDate', CREATED)}${element('PasswordResetRequired', 'false')}</LoginProfile>`;
    },
    ListAccessKeys: (params) => {
      const user = userOf(params);
      const keys = Array.from({ length: user.activeKeys ?? 0 }, (_, index) => `AKIAFAKE${user.userName.toUpperCase()}${index}`);
      return paged(keys, params, pageSize, (id) => element('UserName', user.userName) + element('AccessKeyId', id) + element('Status', 'Active') + element('CreateDate', CREATED), 'AccessKeyMetadata');
    },
    ListAttachedUserPolicies: (params) => paged(userOf(params).attachedPolicyArns ?? [], params, pageSize, policyXml, 'AttachedPolicies'),
    ListGroupsForUser: (params) => {
      const user = userOf(params);
      const names = [...groups.values()].filter((group) => group.members.includes(user.userName));
      return paged(names, params, pageSize, (group) => element('Path', '/') + element('GroupName', group.groupName) + element('GroupId', 'AGPAFAKE') + element('Arn', `arn:aws:iam::${ACCOUNT_ID}:group/${group.groupName}`) + element('CreateDate', CREATED), 'Groups');
    },
    ListAttachedGroupPolicies: (params) => paged(groupOf(params).attachedPolicyArns ?? [], params, pageSize, policyXml, 'AttachedPolicies'),
    ListUserPolicies: (params) => paged(Object.keys(userOf(params).inlinePolicies ?? {}), params, pageSize, (name) => escapeXml(name), 'PolicyNames'),
    GetUserPolicy: (params) => {
      const user = userOf(params);
      const name = params.get('PolicyName') ?? '';
      const document = user.inlinePolicies?.[name];
      if (document === undefined) throw new QueryFault(404, 'NoSuchEntity', `The user policy with name ${name} cannot be found.`);
      return element('UserName', user.userName) + element('PolicyName', name) + element('PolicyDocument', encodeURIComponent(JSON.stringify(document)));
    },
    ListGroupPolicies: (params) => paged(Object.keys(groupOf(params).inlinePolicies ?? {}), params, pageSize, (name) => escapeXml(name), 'PolicyNames'),
    GetGroupPolicy: (params) => {
      const group = groupOf(params);
      const name = params.get('PolicyName') ?? '';
      const document = group.inlinePolicies?.[name];
      if (document === undefined) throw new QueryFault(404, 'NoSuchEntity', `The group policy with name ${name} cannot be found.`);
      return element('GroupName', group.groupName) + element('PolicyName', name) + element('PolicyDocument', encodeURIComponent(JSON.stringify(document)));
    },
    GetPolicy: (params) => {
      const arn = params.get('PolicyArn') ?? '';
      if (MANAGED_POLICIES[arn] === undefined) throw new QueryFault(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
      return `<Policy>${element('PolicyName', arn.split('/').pop() ?? '')}${element('Arn', arn)}${element('DefaultVersionId', 'v7')}${element('IsAttachable', 'true')}</Policy>`;
    },
    GetPolicyVersion: (params) => {
      const arn = params.get('PolicyArn') ?? '';
      if (params.get('VersionId') !== 'v7') throw new QueryFault(404, 'NoSuchEntity', `Policy ${arn} version ${params.get('VersionId')} does not exist.`);
      return `<PolicyVersion>${element('Document', encodeURIComponent(JSON.stringify(MANAGED_POLICIES[arn])))}${element('VersionId', 'v7')}${element('IsDefaultVersion', 'true')}</PolicyVersion>`;
    },
    ListAccountAliases: () => `<AccountAliases>${account.alias === undefined ? '' : `<member>${escapeXml(account.alias)}</member>`}</AccountAliases>${element('IsTruncated', 'false')}`,
  };

  const handle = (request: IncomingMessage, body: string, response: ServerResponse): void => {
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    calls.push(action);
    if (action === 'GetCallerIdentity') {
      const caller = users.get(account.callerUserName);
      const arn = caller === undefined ? `arn:aws:iam::${ACCOUNT_ID}:root` : userArn(caller);
      sendXml(response, 200, queryResult(STS_NAMESPACE, action, `${element('Arn', arn)}${element('UserId', 'AIDAFAKECALLER')}${element('Account', ACCOUNT_ID)}`, 'fake-sts'));
      return;
    }
    const handler = actions[action];
    try {
      if (handler === undefined || request.method !== 'POST') throw new QueryFault(400, 'InvalidAction', `Could not find operation ${action}`);
      const result = handler(params);
      if (hangs.has(`${action} ${params.get('UserName') ?? ''}`)) return;
      sendXml(response, 200, queryResult(IAM_NAMESPACE, action, result, `fake-${calls.length}`));
    } catch (error) {
      if (!(error instanceof QueryFault)) throw error;
      sendXml(response, error.status, queryError(error, IAM_NAMESPACE));
    }
  };

  const server = await startFakeServer(handle);
  return {
    endpoint: server.endpoint,
    calls,
    members: (groupName) => [...(groups.get(groupName)?.members ?? [])].sort(),
    setMembers: (groupName, members) => {
      const group = groups.get(groupName);
      if (group === undefined) throw new Error(`no group ${groupName} in the fake account`);
      group.members = [...members];
    },
    applyThenHang: (action, userName) => void hangs.add(`${action} ${userName}`),
    // Also ends the requests left unanswered on purpose.
    close: () => server.close(),
  };
}
