// The SDK adapters: every page read, "no such entity" turned into answers or one clear error.
import {
  GetGroupCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserPolicyCommand,
  ListUserPoliciesCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkRolloutIam, sdkRolloutSts } from '../../src/rollout/aws/iam.js';
import { isForceMfaError } from '../../src/errors.js';

const iamMock = mockClient(IAMClient);
const noSuchEntity = (message: string) => new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
const user = (name: string, path = '/') => ({ UserName: name, Path: path, UserId: `AIDA${name}`, Arn: `arn:aws:iam::111122223333:user${path}${name}`, CreateDate: new Date('2024-01-01') });

afterEach(() => iamMock.reset());

describe('sdkRolloutIam', () => {
  it('reads every page of ListUsers, even short pages before the last', async () => {
    iamMock
      .on(ListUsersCommand)
      .resolvesOnce({ Users: [user('a')], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ Users: [], IsTruncated: true, Marker: 'm2' })
      .resolvesOnce({ Users: [user('b', '/staff/'), user('c')], IsTruncated: false });
    const iam = await sdkRolloutIam(new IAMClient({ region: 'us-east-1' }));
    expect((await iam.listAllUsers()).map((summary) => `${summary.path}${summary.userName}`)).toEqual(['/a', '/staff/b', '/c']);
    expect(iamMock.commandCalls(ListUsersCommand).map((call) => call.args[0].input.Marker)).toEqual([undefined, 'm1', 'm2']);
  });

  it('reads every page of GetGroup and ListUserTags', async () => {
    iamMock
      .on(GetGroupCommand)
      .resolvesOnce({ Group: undefined, Users: [user('a')], IsTruncated: true, Marker: 'g1' })
      .resolvesOnce({ Group: undefined, Users: [user('b')], IsTruncated: false });
    iamMock
      .on(ListUserTagsCommand)
      .resolvesOnce({ Tags: [{ Key: 'team', Value: 'x' }], IsTruncated: true, Marker: 't1' })
      .resolvesOnce({ Tags: [{ Key: 'force-mfa:exempt', Value: 'true' }], IsTruncated: false });
    const iam = await sdkRolloutIam(new IAMClient({ region: 'us-east-1' }));
    expect(await iam.getGroupMembers('ForceMfaAccess')).toEqual(['a', 'b']);
    expect(await iam.listUserTags('a')).toEqual({ team: 'x', 'force-mfa:exempt': 'true' });
  });

  it('answers "no console password" for NoSuchEntity and counts only active keys', async () => {
    iamMock.on(GetLoginProfileCommand, { UserName: 'keys-only' }).rejects(noSuchEntity('Login Profile for User keys-only cannot be found.'));
    iamMock.on(GetLoginProfileCommand, { UserName: 'human' }).resolves({ LoginProfile: { UserName: 'human', CreateDate: new Date() } });
    iamMock.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [{ Status: 'Active' }, { Status: 'Inactive' }],
      IsTruncated: false,
    });
    const iam = await sdkRolloutIam(new IAMClient({ region: 'us-east-1' }));
    expect(await iam.hasConsolePassword('keys-only')).toBe(false);
    expect(await iam.hasConsolePassword('human')).toBe(true);
    expect(await iam.countActiveAccessKeys('keys-only')).toBe(1);
  });

  it('decodes URL-encoded policy documents, inline and managed (default version)', async () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${aws:username}' }] };
    iamMock.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['Self'], IsTruncated: false });
    iamMock.on(GetUserPolicyCommand).resolves({ UserName: 'a', PolicyName: 'Self', PolicyDocument: encodeURIComponent(JSON.stringify(document)) });
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', DefaultVersionId: 'v3' } });
    iamMock.on(GetPolicyVersionCommand, { VersionId: 'v3' }).resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(document)), VersionId: 'v3' } });
    const iam = await sdkRolloutIam(new IAMClient({ region: 'us-east-1' }));
    expect(await iam.listUserInlinePolicies('a')).toEqual([{ name: 'user a inline Self', document }]);
    expect(await iam.managedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual(document);
  });

  it('turns a missing group into one environment error', async () => {
    iamMock.on(GetGroupCommand).rejects(noSuchEntity('The group with name ForceMfaAccess cannot be found.'));
    const iam = await sdkRolloutIam(new IAMClient({ region: 'us-east-1' }));
    await expect(iam.getGroupMembers('ForceMfaAccess')).rejects.toSatisfy(
      (error) => isForceMfaError(error) && error.exitCode === 3 && /group ForceMfaAccess does not exist/.test(error.message),
    );
  });

  it('lets other failures through (AccessDenied is reported by the CLI handler)', async () => {
    iamMock.on(GetLoginProfileCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: {} }));
    const iam = await sdkRolloutIam(new IAMClient({ region: 'us-east-1' }));
    await expect(iam.hasConsolePassword('x')).rejects.toThrow('not authorized');
  });
});

describe('sdkRolloutSts', () => {
  const stsMock = mockClient(STSClient);
  afterEach(() => stsMock.reset());

  it.each([
    [undefined, false],
    ['FwoGZXIvYXdzEXAMPLE', true],
  ])('session token %s → hasSessionToken %s', async (sessionToken, expected) => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/ops', UserId: 'AIDAOPS' });
    const client = new STSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', ...(sessionToken === undefined ? {} : { sessionToken }) },
    });
    const identity = await (await sdkRolloutSts(client)).getCallerIdentity();
    expect(identity).toEqual({ account: '111122223333', arn: 'arn:aws:iam::111122223333:user/ops', hasSessionToken: expected });
  });
});

describe('the rollout clients', () => {
  it('give up on an endpoint that accepts a connection and never answers', async () => {
    const { createCloudFormationClient, createIamClient, createStsClient } = await import('../../src/rollout/aws/clients.js');
    const saved = process.env['AWS_REGION'];
    process.env['AWS_REGION'] = 'eu-west-1';
    try {
      for (const client of [await createIamClient(), await createStsClient(), await createCloudFormationClient()]) {
        const handler = client.config.requestHandler as unknown as { configProvider: Promise<{ connectionTimeout?: number; socketTimeout?: number }> };
        const settings = await handler.configProvider;
        expect(settings.connectionTimeout).toBeGreaterThan(0);
        expect(settings.socketTimeout).toBeGreaterThan(0);
        client.destroy();
      }
    } finally {
      if (saved === undefined) delete process.env['AWS_REGION'];
      else process.env['AWS_REGION'] = saved;
    }
  });
});
