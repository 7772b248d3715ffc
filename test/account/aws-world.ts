/** A small in-memory IAM that answers the calls of the AWS source with realistic responses, plus injectable faults. */
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';

export const ACCOUNT = '210987654321';

export interface WorldUser {
  readonly name: string;
  readonly path?: string;
  readonly groups?: readonly string[];
  readonly password?: boolean;
  /** Device serials as IAM has them now. */
  readonly devices?: readonly string[];
  readonly keys?: readonly ('Active' | 'Inactive')[];
  /** What the (older) credential report says about MFA when it differs from now; `absent` = no row. */
  readonly inReport?: 'absent' | { readonly mfaActive: boolean };
}

export interface World {
  readonly users: readonly WorldUser[];
  readonly groups: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly reportGeneratedAt: Date;
  /** Users per GetAccountAuthorizationDetails page (short pages, like IAM's). */
  readonly pageSize?: number;
  /** The states GenerateCredentialReport answers with, in turn; the last repeats. */
  readonly reportStates?: readonly ('STARTED' | 'INPROGRESS' | 'COMPLETE')[];
  readonly alias?: string;
  /** Serials of virtual devices assigned to no one (ListVirtualMFADevices, AssignmentStatus=Unassigned). */
  readonly unassignedDevices?: readonly string[];
  /** GetAccountSummary's root keys; absent, the call is not answered (aws-sdk-client-mock returns nothing). */
  readonly rootSummary?: { readonly AccountMFAEnabled: number; readonly AccountAccessKeysPresent: number; readonly AccountPasswordPresent?: number };
}

export type Operation =
  | 'GetAccountAuthorizationDetails'
  | 'GenerateCredentialReport'
  | 'GetCredentialReport'
  | 'ListMFADevices'
  | 'ListVirtualMFADevices'
  | 'GetLoginProfile'
  | 'ListAccessKeys'
  | 'ListAccountAliases'
  | 'GetAccountSummary';

/** Decides, before each call, whether it fails and how; undefined lets it through. */
export type FaultInjector = (operation: Operation, input: Record<string, unknown>, callNumber: number) => Error | undefined;

export function awsError(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

const arnOf = (user: WorldUser): string => `arn:aws:iam::${ACCOUNT}:user${user.path ?? '/'}${user.name}`;
const userIdOf = (user: WorldUser): string => `AIDA${user.name.toUpperCase().padEnd(17, '0').slice(0, 17)}`;
const encode = (document: unknown): string => encodeURIComponent(JSON.stringify(document));

export function reportCsv(world: World): string {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rows = [
    header,
    `<root_account>,arn:aws:iam::${ACCOUNT}:root,2019-01-01T00:00:00+00:00,not_supported,2025-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  for (const user of world.users) {
    if (user.inReport === 'absent') continue;
    const mfa = user.inReport?.mfaActive ?? (user.devices ?? []).length > 0;
    const key = (slot: number): string => {
      const state = user.keys?.[slot];
      return state === undefined ? 'false,N/A,N/A,N/A,N/A' : `${state === 'Active'},2024-03-01T00:00:00+00:00,2025-05-01T00:00:00+00:00,us-east-1,s3`;
    };
    const password = user.password === true;
    rows.push(
      `${user.name},${arnOf(user)},2024-01-01T00:00:00+00:00,${password},${password ? 'no_information' : 'N/A'},${password ? '2024-01-01T00:00:00+00:00' : 'N/A'},N/A,${mfa},${key(0)},${key(1)},false,N/A,false,N/A`,
    );
  }
  return `${rows.join('\n')}\n`;
}

/** Answers one call from the world's state. */
export function answer(world: World, operation: Operation, input: Record<string, unknown>, reportPolls: { count: number }): unknown {
  const pageSize = world.pageSize ?? 1000;
  const user = (): WorldUser => {
    const found = world.users.find((candidate) => candidate.name === input['UserName']);
    if (found === undefined) throw awsError('NoSuchEntityException', 404, `The user with name ${String(input['UserName'])} cannot be found.`);
    return found;
  };
  switch (operation) {
    case 'GetAccountAuthorizationDetails': {
      // Users first, a page at a time, then groups: the order IAM uses does not matter to the reader.
      const start = Number(input['Marker'] ?? 0);
      const groupNames = Object.keys(world.groups);
      const items = [...world.users.map((entry) => ({ user: entry })), ...groupNames.map((name) => ({ group: name }))];
      const page = items.slice(start, start + pageSize);
      const next = start + pageSize;
      return {
        UserDetailList: page.flatMap((item) =>
          'user' in item
            ? [
                {
                  Path: item.user.path ?? '/',
                  UserName: item.user.name,
                  UserId: userIdOf(item.user),
                  Arn: arnOf(item.user),
                  CreateDate: new Date('2024-01-01T00:00:00Z'),
                  GroupList: [...(item.user.groups ?? [])],
                  AttachedManagedPolicies: [],
                  UserPolicyList: [],
                  Tags: [],
                },
              ]
            : [],
        ),
        GroupDetailList: page.flatMap((item) =>
          'group' in item
            ? [
                {
                  Path: '/',
                  GroupName: item.group,
                  GroupId: `AGPA${item.group.toUpperCase().padEnd(17, '0').slice(0, 17)}`,
                  Arn: `arn:aws:iam::${ACCOUNT}:group/${item.group}`,
                  CreateDate: new Date('2024-01-01T00:00:00Z'),
                  GroupPolicyList: Object.entries(world.groups[item.group] ?? {}).map(([PolicyName, document]) => ({ PolicyName, PolicyDocument: encode(document) })),
                  AttachedManagedPolicies: [],
                },
              ]
            : [],
        ),
        Policies: [],
        IsTruncated: next < items.length,
        ...(next < items.length ? { Marker: String(next) } : {}),
        $metadata: {},
      };
    }
    case 'GenerateCredentialReport': {
      const states = world.reportStates ?? ['COMPLETE'];
      const state = states[Math.min(reportPolls.count, states.length - 1)];
      reportPolls.count++;
      return { State: state, Description: 'No report exists. Starting a new report generation task', $metadata: {} };
    }
    case 'GetCredentialReport':
      return { Content: new Uint8Array(Buffer.from(reportCsv(world))), ReportFormat: 'text/csv', GeneratedTime: world.reportGeneratedAt, $metadata: {} };
    case 'ListMFADevices':
      return {
        MFADevices: (user().devices ?? []).map((SerialNumber) => ({ UserName: user().name, SerialNumber, EnableDate: new Date('2025-01-01T00:00:00Z') })),
        IsTruncated: false,
        $metadata: {},
      };
    case 'ListVirtualMFADevices': {
      if (input['AssignmentStatus'] === 'Unassigned') {
        return { VirtualMFADevices: (world.unassignedDevices ?? []).map((SerialNumber) => ({ SerialNumber })), IsTruncated: false, $metadata: {} };
      }
      // The assigned virtual devices (serials under :mfa/), in pages of the world's page size.
      const assigned = world.users.flatMap((entry) =>
        (entry.devices ?? [])
          .filter((serial) => serial.includes(':mfa/'))
          .map((SerialNumber) => ({ SerialNumber, User: { UserName: entry.name, UserId: userIdOf(entry), Arn: arnOf(entry), Path: entry.path ?? '/', CreateDate: new Date('2024-01-01T00:00:00Z') }, EnableDate: new Date('2025-01-01T00:00:00Z') })),
      );
      const start = Number(input['Marker'] ?? 0);
      const next = start + pageSize;
      return { VirtualMFADevices: assigned.slice(start, next), IsTruncated: next < assigned.length, ...(next < assigned.length ? { Marker: String(next) } : {}), $metadata: {} };
    }
    case 'GetLoginProfile':
      if (user().password !== true) throw awsError('NoSuchEntityException', 404, `Login Profile for User ${user().name} cannot be found.`);
      return { LoginProfile: { UserName: user().name, CreateDate: new Date('2024-01-01T00:00:00Z'), PasswordResetRequired: false }, $metadata: {} };
    case 'ListAccessKeys':
      return {
        AccessKeyMetadata: (user().keys ?? []).map((Status, index) => ({ UserName: user().name, AccessKeyId: `AKIAEXAMPLEKEY${index}WXYZ`, Status, CreateDate: new Date('2024-03-01T00:00:00Z') })),
        IsTruncated: false,
        $metadata: {},
      };
    case 'GetAccountSummary':
      return world.rootSummary === undefined ? undefined : { SummaryMap: { Users: world.users.length, ...world.rootSummary }, $metadata: {} };
    case 'ListAccountAliases':
      return { AccountAliases: world.alias === undefined ? [] : [world.alias], IsTruncated: false, $metadata: {} };
  }
}

const COMMANDS = [
  [GetAccountAuthorizationDetailsCommand, 'GetAccountAuthorizationDetails'],
  [GenerateCredentialReportCommand, 'GenerateCredentialReport'],
  [GetCredentialReportCommand, 'GetCredentialReport'],
  [ListMFADevicesCommand, 'ListMFADevices'],
  [ListVirtualMFADevicesCommand, 'ListVirtualMFADevices'],
  [GetLoginProfileCommand, 'GetLoginProfile'],
  [ListAccessKeysCommand, 'ListAccessKeys'],
  [ListAccountAliasesCommand, 'ListAccountAliases'],
  [GetAccountSummaryCommand, 'GetAccountSummary'],
] as const;

export interface MockedWorld {
  readonly client: IAMClient;
  readonly mock: { restore(): void };
  readonly calls: Operation[];
  readonly inputs: { operation: Operation; input: Record<string, unknown> }[];
}

/** An IAMClient whose calls aws-sdk-client-mock answers from the world, after the fault injector had its say. */
export function mockWorld(world: World, faults?: FaultInjector): MockedWorld {
  const client = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
  const mock = mockClient(client);
  const calls: Operation[] = [];
  const inputs: { operation: Operation; input: Record<string, unknown> }[] = [];
  const reportPolls = { count: 0 };
  for (const [command, operation] of COMMANDS) {
    mock.on(command as never).callsFake((input: Record<string, unknown>) => {
      calls.push(operation);
      inputs.push({ operation, input });
      const fault = faults?.(operation, input, calls.length);
      if (fault !== undefined) throw fault;
      return answer(world, operation, input, reportPolls);
    });
  }
  return { client, mock, calls, inputs };
}
