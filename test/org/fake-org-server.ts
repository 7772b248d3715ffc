/**
 * A tiny AWS-compatible endpoint on 127.0.0.1 for an organization: Organizations (JSON 1.1), STS and IAM (Query/XML),
 * and the CloudFormation StackSet calls (Query/XML). The account of a request is the one its access key was issued for.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeServer } from '../support/fake-http-server.js';
import {
  CLOUDFORMATION_NAMESPACE,
  IAM_NAMESPACE,
  QueryFault,
  STS_NAMESPACE,
  element,
  escapeXml,
  members,
  queryError,
  queryResult,
  sendXml,
} from '../support/query-api.js';

export interface FakeIamUser {
  readonly userName: string;
  readonly password?: boolean;
  readonly mfaSerials?: readonly string[];
  readonly activeKeys?: number;
  readonly groups?: readonly string[];
  /** Not in the credential report (created after it). */
  readonly afterReport?: boolean;
}

export interface FakeMemberAccount {
  readonly id: string;
  readonly name: string;
  readonly state?: 'ACTIVE' | 'SUSPENDED';
  readonly users: readonly FakeIamUser[];
  /** Inline policy documents of the account's groups, by group name. */
  readonly groups: Readonly<Record<string, unknown>>;
  readonly denyAssumeRole?: boolean;
}

export interface FakeOrganization {
  readonly id: string;
  readonly managementAccountId: string;
  /** The caller's access key belongs to the management account. */
  readonly callerAccessKeyId: string;
  readonly accounts: readonly FakeMemberAccount[];
}

export interface FakeOrgServer {
  readonly endpoint: string;
  /** `service:Action account` of every request, in order. */
  readonly calls: string[];
  /** The stack sets created, with their stack instances. */
  readonly stackSets: Map<string, { input: Record<string, string>; instances: { account: string; region: string; ou: string }[] }>;
  close(): Promise<void>;
}

const CREATED = '2024-04-01T09:00:00Z';

function accessKeyOf(request: IncomingMessage): string {
  const match = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '');
  return match?.[1] ?? '';
}

function userArn(accountId: string, user: FakeIamUser): string {
  return `arn:aws:iam::${accountId}:user/${user.userName}`;
}

function credentialReportCsv(account: FakeMemberAccount): string {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
    'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
    'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
    'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const root = `<root_account>,arn:aws:iam::${account.id}:root,${CREATED},not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  const rows = account.users
    .filter((user) => user.afterReport !== true)
    .map((user) => {
      const key = (slot: number): string =>
        (user.activeKeys ?? 0) >= slot ? `true,${CREATED},N/A,N/A,N/A` : 'false,N/A,N/A,N/A,N/A';
      return [
        user.userName,
        userArn(account.id, user),
        CREATED,
        String(user.password === true),
        'N/A',
        user.password === true ? CREATED : 'N/A',
        'N/A',
        String((user.mfaSerials ?? []).length > 0),
        key(1),
        key(2),
        'false,N/A,false,N/A',
      ].join(',');
    });
  return [header, root, ...rows].join('\n') + '\n';
}

function authorizationDetails(account: FakeMemberAccount, page: number): string {
  const userXml = account.users
    .map(
      (user) =>
        `<member>${element('Path', '/')}${element('UserName', user.userName)}${element('UserId', `AIDA${account.id}${user.userName.toUpperCase()}`)}${element('Arn', userArn(account.id, user))}${element('CreateDate', CREATED)}` +
        `<GroupList>${members((user.groups ?? []).map(escapeXml))}</GroupList><AttachedManagedPolicies/><UserPolicyList/><Tags/></member>`,
    )
    .join('');
  const groupXml = Object.entries(account.groups)
    .map(
      ([name, document]) =>
        `<member>${element('Path', '/')}${element('GroupName', name)}${element('GroupId', `AGPA${name.toUpperCase()}`)}${element('Arn', `arn:aws:iam::${account.id}:group/${name}`)}${element('CreateDate', CREATED)}` +
        `<GroupPolicyList><member>${element('PolicyName', name)}${element('PolicyDocument', encodeURIComponent(JSON.stringify(document)))}</member></GroupPolicyList><AttachedManagedPolicies/></member>`,
    )
    .join('');
  // Two pages: users first, then groups, as IAM may split them.
  return page === 0
    ? `<UserDetailList>${userXml}</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>${element('IsTruncated', 'true')}${element('Marker', 'page-2')}`
    : `<UserDetailList/><GroupDetailList>${groupXml}</GroupDetailList><RoleDetailList/><Policies/>${element('IsTruncated', 'false')}`;
}

export async function startFakeOrgServer(organization: FakeOrganization): Promise<FakeOrgServer> {
  const calls: string[] = [];
  const stackSets: FakeOrgServer['stackSets'] = new Map();
  const accountsById = new Map(organization.accounts.map((account) => [account.id, account]));
  const operations = new Map<string, string>();

  const accountOfKey = (key: string): FakeMemberAccount => {
    const id = key === organization.callerAccessKeyId ? organization.managementAccountId : key.replace(/^ASIA/, '');
    const account = accountsById.get(id);
    if (account === undefined) throw new QueryFault(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    return account;
  };

  const organizations: Record<string, (body: Record<string, unknown>) => unknown> = {
    DescribeOrganization: () => ({
      Organization: {
        Id: organization.id,
        Arn: `arn:aws:organizations::${organization.managementAccountId}:organization/${organization.id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: `arn:aws:organizations::${organization.managementAccountId}:account/${organization.id}/${organization.managementAccountId}`,
        MasterAccountId: organization.managementAccountId,
        MasterAccountEmail: 'management@example.com',
      },
    }),
    ListRoots: () => ({ Roots: [{ Id: 'r-ab12', Arn: `arn:aws:organizations::${organization.managementAccountId}:root/${organization.id}/r-ab12`, Name: 'Root', PolicyTypes: [] }] }),
    // Two accounts per page, so the listing needs every NextToken.
    ListAccounts: (body) => {
      const start = Number(body['NextToken'] ?? 0);
      const page = organization.accounts.slice(start, start + 2).map((account) => ({
        Id: account.id,
        Arn: `arn:aws:organizations::${organization.managementAccountId}:account/${organization.id}/${account.id}`,
        Email: `${account.name}@example.com`,
        Name: account.name,
        Status: account.state ?? 'ACTIVE',
        State: account.state ?? 'ACTIVE',
        JoinedMethod: 'CREATED',
        JoinedTimestamp: 1_700_000_000,
      }));
      return { Accounts: page, ...(start + 2 < organization.accounts.length ? { NextToken: String(start + 2) } : {}) };
    },
  };

  const sts: Record<string, (params: URLSearchParams, caller: FakeMemberAccount) => string> = {
    GetCallerIdentity: (_params, caller) =>
      `${element('Arn', `arn:aws:iam::${caller.id}:user/admin`)}${element('UserId', 'AIDAADMIN')}${element('Account', caller.id)}`,
    AssumeRole: (params) => {
      const roleArn = params.get('RoleArn') ?? '';
      const target = accountsById.get(roleArn.split(':')[4] ?? '');
      if (target === undefined || target.denyAssumeRole === true) {
        throw new QueryFault(403, 'AccessDenied', `User: arn:aws:iam::${organization.managementAccountId}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      }
      return (
        `<Credentials>${element('AccessKeyId', `ASIA${target.id}`)}${element('SecretAccessKey', 'fake-secret')}${element('SessionToken', `fake-token-${target.id}`)}${element('Expiration', '2030-01-01T00:00:00Z')}</Credentials>` +
        `<AssumedRoleUser>${element('AssumedRoleId', `AROA${target.id}:${params.get('RoleSessionName') ?? ''}`)}${element('Arn', `arn:aws:sts::${target.id}:assumed-role/${roleArn.split('/').pop() ?? ''}/${params.get('RoleSessionName') ?? ''}`)}</AssumedRoleUser>`
      );
    },
  };

  const iam: Record<string, (params: URLSearchParams, account: FakeMemberAccount) => string> = {
    GetAccountAuthorizationDetails: (params, account) => authorizationDetails(account, params.get('Marker') === 'page-2' ? 1 : 0),
    GenerateCredentialReport: () => `${element('State', 'COMPLETE')}${element('Description', 'No report exists. Starting a new report generation task')}`,
    GetCredentialReport: (_params, account) =>
      `${element('Content', Buffer.from(credentialReportCsv(account)).toString('base64'))}${element('ReportFormat', 'text/csv')}${element('GeneratedTime', new Date().toISOString().replace(/\.\d+Z$/, 'Z'))}`,
    ListMFADevices: (params, account) => {
      const user = account.users.find((candidate) => candidate.userName === params.get('UserName'));
      if (user === undefined) throw new QueryFault(404, 'NoSuchEntity', 'no such user');
      const devices = (user.mfaSerials ?? []).map((serial) => `<member>${element('UserName', user.userName)}${element('SerialNumber', serial)}${element('EnableDate', CREATED)}</member>`);
      return `<MFADevices>${devices.join('')}</MFADevices>${element('IsTruncated', 'false')}`;
    },
    GetLoginProfile: (params, account) => {
      const user = account.users.find((candidate) => candidate.userName === params.get('UserName'));
      if (user?.password !== true) throw new QueryFault(404, 'NoSuchEntity', `Login Profile for User ${params.get('UserName') ?? ''} cannot be found.`);
      return `<LoginProfile>${element('UserName', user.userName)}${element('CreateDate', CREATED)}${element('PasswordResetRequired', 'false')}</LoginProfile>`;
    },
    ListAccessKeys: (params, account) => {
      const user = account.users.find((candidate) => candidate.userName === params.get('UserName'));
      const keys = Array.from({ length: user?.activeKeys ?? 0 }, (_, index) => `<member>${element('UserName', user?.userName ?? '')}${element('AccessKeyId', `AKIA${account.id}${index}`)}${element('Status', 'Active')}${element('CreateDate', CREATED)}</member>`);
      return `<AccessKeyMetadata>${keys.join('')}</AccessKeyMetadata>${element('IsTruncated', 'false')}`;
    },
    ListAccountAliases: (_params, account) => `<AccountAliases>${members([escapeXml(account.name)])}</AccountAliases>${element('IsTruncated', 'false')}`,
  };

  const cloudFormation: Record<string, (params: URLSearchParams) => string> = {
    DescribeOrganizationsAccess: () => element('Status', 'ENABLED'),
    DescribeStackSet: (params) => {
      const name = params.get('StackSetName') ?? '';
      const set = stackSets.get(name);
      if (set === undefined) throw new QueryFault(400, 'StackSetNotFoundException', `StackSet ${name} not found`);
      return `<StackSet>${element('StackSetName', name)}${element('StackSetId', `${name}:1`)}${element('Status', 'ACTIVE')}${element('PermissionModel', set.input['PermissionModel'] ?? '')}</StackSet>`;
    },
    CreateStackSet: (params) => {
      const name = params.get('StackSetName') ?? '';
      stackSets.set(name, { input: Object.fromEntries(params.entries()), instances: [] });
      return element('StackSetId', `${name}:1`);
    },
    CreateStackInstances: (params) => {
      const set = stackSets.get(params.get('StackSetName') ?? '');
      if (set === undefined) throw new QueryFault(400, 'StackSetNotFoundException', 'no such stack set');
      const units = [...params.entries()].filter(([key]) => key.startsWith('DeploymentTargets.OrganizationalUnitIds.member.')).map(([, value]) => value);
      const regions = [...params.entries()].filter(([key]) => key.startsWith('Regions.member.')).map(([, value]) => value);
      // Service-managed: every ACTIVE member of the OUs (this fake has one OU holding all), never the management account.
      for (const ou of units) {
        for (const account of organization.accounts) {
          if (account.id === organization.managementAccountId || (account.state ?? 'ACTIVE') !== 'ACTIVE') continue;
          for (const region of regions) set.instances.push({ account: account.id, region, ou });
        }
      }
      const id = `op-${operations.size + 1}`;
      operations.set(id, 'SUCCEEDED');
      return element('OperationId', id);
    },
    DescribeStackSetOperation: (params) => {
      const id = params.get('OperationId') ?? '';
      return `<StackSetOperation>${element('OperationId', id)}${element('Action', 'CREATE')}${element('Status', operations.get(id) ?? 'FAILED')}</StackSetOperation>`;
    },
    ListStackInstances: (params) => {
      const set = stackSets.get(params.get('StackSetName') ?? '');
      const summaries = (set?.instances ?? []).map(
        (instance) =>
          `<member>${element('StackSetId', 'x')}${element('Region', instance.region)}${element('Account', instance.account)}${element('Status', 'CURRENT')}<StackInstanceStatus>${element('DetailedStatus', 'SUCCEEDED')}</StackInstanceStatus>${element('OrganizationalUnitId', instance.ou)}</member>`,
      );
      return `<Summaries>${summaries.join('')}</Summaries>`;
    },
  };

  const queryResponse = (response: ServerResponse, namespace: string, action: string, result: string): void =>
    sendXml(response, 200, queryResult(namespace, action, result, `fake-${calls.length}`));

  const handle = (request: IncomingMessage, body: string, response: ServerResponse): void => {
    const key = accessKeyOf(request);
    const target = request.headers['x-amz-target'];
    try {
      if (typeof target === 'string' && target.startsWith('AWSOrganizationsV20161128.')) {
        const action = target.slice('AWSOrganizationsV20161128.'.length);
        const caller = accountOfKey(key);
        calls.push(`organizations:${action} ${caller.id}`);
        const handler = organizations[action];
        if (handler === undefined) throw new QueryFault(400, 'InvalidAction', `unknown action ${action}`);
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(handler(body === '' ? {} : (JSON.parse(body) as Record<string, unknown>))));
        return;
      }
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      const account = accountOfKey(key);
      const stsHandler = sts[action];
      if (stsHandler !== undefined) {
        calls.push(`sts:${action} ${account.id}${action === 'AssumeRole' ? ` ${params.get('RoleArn') ?? ''} ${params.get('RoleSessionName') ?? ''}` : ''}`);
        queryResponse(response, STS_NAMESPACE, action, stsHandler(params, account));
        return;
      }
      const iamHandler = iam[action];
      if (iamHandler !== undefined) {
        calls.push(`iam:${action} ${account.id}`);
        queryResponse(response, IAM_NAMESPACE, action, iamHandler(params, account));
        return;
      }
      const cfnHandler = cloudFormation[action];
      if (cfnHandler !== undefined) {
        calls.push(`cloudformation:${action} ${account.id}`);
        queryResponse(response, CLOUDFORMATION_NAMESPACE, action, cfnHandler(params));
        return;
      }
      throw new QueryFault(400, 'InvalidAction', `Could not find operation ${action}`);
    } catch (error) {
      if (!(error instanceof QueryFault)) throw error;
      if (typeof target === 'string') {
        response.writeHead(error.status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: error.code, message: error.message }));
        return;
      }
      sendXml(response, error.status, queryError(error));
    }
  };

  const server = await startFakeServer(handle);
  return { endpoint: server.endpoint, calls, stackSets, close: () => server.close() };
}
