// The auto-enroll Lambda handler: new users added, exempt ones skipped, the sweep reads every page and is idempotent.
import {
  AddUserToGroupCommand,
  GetGroupCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, type AutoEnrollEvent } from '../../src/rollout/lambda/auto-enroll-inline.js';

const iamMock = mockClient(IAMClient);
const arn = (name: string, path = '/') => `arn:aws:iam::111122223333:user${path}${name}`;
const user = (name: string, path = '/') => ({ UserName: name, Path: path, UserId: `AIDA${name}`, Arn: arn(name, path), CreateDate: new Date('2024-01-01') });

/** What EventBridge delivers for a CloudTrail-recorded CreateUser (fields trimmed to the real ones the rule sees). */
function createUserEvent(userName: string, options: { path?: string; errorCode?: string } = {}): AutoEnrollEvent {
  return {
    source: 'aws.iam',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      ...(options.errorCode === undefined ? {} : { errorCode: options.errorCode }),
      requestParameters: { userName, ...(options.path === undefined ? {} : { path: options.path }) },
      responseElements:
        options.errorCode === undefined
          ? { user: { userName, ...(options.path === undefined ? {} : { path: options.path }) } }
          : null,
    },
  };
}

const SCHEDULED: AutoEnrollEvent = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

beforeEach(() => {
  process.env['GROUP_NAME'] = 'ForceMfaAccess';
  delete process.env['EXEMPT_USERS'];
  delete process.env['EXEMPT_PATH_PREFIXES'];
  vi.spyOn(console, 'log').mockImplementation(() => {});
  iamMock.on(ListUserTagsCommand).resolves({ Tags: [], IsTruncated: false });
  iamMock.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  iamMock.on(ListUserPoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
  iamMock.on(ListGroupsForUserCommand).resolves({ Groups: [], IsTruncated: false });
  iamMock.on(AddUserToGroupCommand).resolves({});
});

afterEach(() => {
  iamMock.reset();
  vi.restoreAllMocks();
});

const addedUsers = () => iamMock.commandCalls(AddUserToGroupCommand).map((call) => `${call.args[0].input.GroupName}/${call.args[0].input.UserName}`);

describe('on CreateUser', () => {
  it('adds the new user to the group', async () => {
    const result = await handler(createUserEvent('newbie'));
    expect(result.added).toEqual(['newbie']);
    expect(addedUsers()).toEqual(['ForceMfaAccess/newbie']);
  });

  it('skips a user tagged force-mfa:exempt=true (tags read to the last page)', async () => {
    iamMock
      .on(ListUserTagsCommand, { UserName: 'robot' })
      .resolvesOnce({ Tags: [{ Key: 'team', Value: 'ci' }], IsTruncated: true, Marker: 'next' })
      .resolvesOnce({ Tags: [{ Key: 'force-mfa:exempt', Value: 'true' }], IsTruncated: false });
    const result = await handler(createUserEvent('robot'));
    expect(result).toEqual({ added: [], exempt: ['robot'], members: 0 });
    expect(addedUsers()).toEqual([]);
  });

  it('skips a user whose exemption tag key is in other letters (IAM user tag keys ignore case)', async () => {
    iamMock.on(ListUserTagsCommand, { UserName: 'robot' }).resolves({ Tags: [{ Key: 'Force-MFA:Exempt', Value: 'True' }], IsTruncated: false });
    expect(await handler(createUserEvent('robot'))).toEqual({ added: [], exempt: ['robot'], members: 0 });
    expect(addedUsers()).toEqual([]);
  });

  it("ignores another service's CreateUser (a MemoryDB user is no IAM user)", async () => {
    const event = createUserEvent('app');
    const memoryDb = { ...event, source: 'aws.memorydb', detail: { ...event.detail, eventSource: 'memorydb.amazonaws.com' } };
    expect(await handler(memoryDb)).toEqual({ added: [], exempt: [], members: 0 });
    expect(iamMock.calls()).toHaveLength(0);
  });

  it.each([
    ['EXEMPT_USERS', 'breakglass, other', 'breakglass', undefined],
    ['EXEMPT_PATH_PREFIXES', '/service/', 'deployer', '/service/ci/'],
  ])('skips users exempt by %s', async (variable, value, userName, path) => {
    process.env[variable] = value;
    const result = await handler(createUserEvent(userName, path === undefined ? {} : { path }));
    expect(result.exempt).toEqual([userName]);
    expect(addedUsers()).toEqual([]);
    expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(0);
  });

  it('ignores a failed CreateUser call recorded by CloudTrail', async () => {
    const result = await handler(createUserEvent('taken', { errorCode: 'EntityAlreadyExistsException' }));
    expect(result.added).toEqual([]);
    expect(iamMock.calls()).toHaveLength(0);
  });

  it('skips a user deleted before the event arrived, but fails when the group is missing', async () => {
    iamMock.on(AddUserToGroupCommand).rejects(new NoSuchEntityException({ message: 'The user with name gone cannot be found.', $metadata: {} }));
    iamMock.on(GetGroupCommand).resolves({ Users: [], IsTruncated: false });
    expect((await handler(createUserEvent('gone'))).added).toEqual([]);
    iamMock.on(GetGroupCommand).rejects(new NoSuchEntityException({ message: 'The group with name ForceMfaAccess cannot be found.', $metadata: {} }));
    await expect(handler(createUserEvent('gone'))).rejects.toThrow(/cannot be found/);
  });

  it('lets throttling fail the invocation so that Lambda retries and then dead-letters it', async () => {
    iamMock.on(AddUserToGroupCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    await expect(handler(createUserEvent('newbie'))).rejects.toThrow('Rate exceeded');
  });

  it('fails clearly without GROUP_NAME', async () => {
    delete process.env['GROUP_NAME'];
    await expect(handler(createUserEvent('newbie'))).rejects.toThrow('GROUP_NAME is not set');
  });
});

describe('users with permissions of their own (the inline function cannot evaluate them)', () => {
  it('refuses an administrator on CreateUser: nobody added, logged, the invocation fails (alarm)', async () => {
    iamMock.on(ListAttachedUserPoliciesCommand, { UserName: 'admin' }).resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }], IsTruncated: false });
    await expect(handler(createUserEvent('admin'))).rejects.toThrow(/refused admin: they hold permissions/);
    expect(addedUsers()).toEqual([]);
  });

  it('refuses a user in another group or with an inline policy, adds the rest of a sweep first', async () => {
    iamMock.on(ListUsersCommand).resolves({ Users: [user('ops'), user('dev'), user('ci')], IsTruncated: false });
    iamMock.on(GetGroupCommand).resolves({ Group: { GroupName: 'ForceMfaAccess', GroupId: 'G', Arn: 'arn', Path: '/', CreateDate: new Date() }, Users: [], IsTruncated: false });
    iamMock.on(ListGroupsForUserCommand, { UserName: 'ops' }).resolves({ Groups: [{ GroupName: 'Admins', GroupId: 'A', Arn: 'arn', Path: '/', CreateDate: new Date() }], IsTruncated: false });
    iamMock.on(ListUserPoliciesCommand, { UserName: 'ci' }).resolves({ PolicyNames: ['Deploy'], IsTruncated: false });
    await expect(handler(SCHEDULED)).rejects.toThrow(/refused ops, ci/);
    expect(addedUsers()).toEqual(['ForceMfaAccess/dev']);
  });
});

describe('the daily sweep', () => {
  beforeEach(() => {
    iamMock
      .on(ListUsersCommand)
      .resolvesOnce({ Users: [user('alice'), user('bob')], IsTruncated: true, Marker: 'u1' })
      .resolvesOnce({ Users: [user('robot', '/service/')], IsTruncated: true, Marker: 'u2' })
      .resolvesOnce({ Users: [user('carol'), user('dave')], IsTruncated: false });
    iamMock
      .on(GetGroupCommand)
      .resolvesOnce({ Users: [user('alice')], IsTruncated: true, Marker: 'g1' })
      .resolvesOnce({ Users: [user('dave')], IsTruncated: false });
    iamMock.on(ListUserTagsCommand, { UserName: 'carol' }).resolves({ Tags: [{ Key: 'force-mfa:exempt', Value: 'TRUE' }], IsTruncated: false });
  });

  it('adds every user on every page who is neither a member nor exempt', async () => {
    process.env['EXEMPT_PATH_PREFIXES'] = '/service/';
    const result = await handler(SCHEDULED);
    expect(result).toEqual({ added: ['bob'], exempt: ['robot', 'carol'], members: 2, refused: [] });
    expect(addedUsers()).toEqual(['ForceMfaAccess/bob']);
    expect(iamMock.commandCalls(ListUsersCommand).map((call) => call.args[0].input.Marker)).toEqual([undefined, 'u1', 'u2']);
    expect(iamMock.commandCalls(GetGroupCommand).map((call) => call.args[0].input.Marker)).toEqual([undefined, 'g1']);
  });

  it('runs on a manual { "sweep": true } invocation, and ignores other events', async () => {
    expect((await handler({ sweep: true })).added).toEqual(['bob', 'robot']);
    iamMock.resetHistory();
    expect(await handler({ source: 'aws.iam', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'DeleteUser' } })).toEqual({ added: [], exempt: [], members: 0 });
    expect(iamMock.calls()).toHaveLength(0);
  });
});
