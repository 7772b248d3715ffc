// Reading whether a user has a console password for onboard: yes, no (NoSuchEntity), or not known (AccessDenied).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetLoginProfileCommand, IAMClient, IAMServiceException, NoSuchEntityException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consolePasswordIfReadable } from '../../src/rollout/aws/iam.js';
import { runCommand, useFakeAwsEnvironment } from './cli-harness.js';
import { startFakeIamServer, type FakeIamServer } from './fake-iam-server.js';

const denied = (userName: string) =>
  new IAMServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:iam::111122223333:user/ops is not authorized to perform: iam:GetLoginProfile on resource: user ${userName} because no identity-based policy allows the iam:GetLoginProfile action`,
  });

describe('consolePasswordIfReadable', () => {
  const iamMock = mockClient(IAMClient);
  afterEach(() => iamMock.reset());
  afterAll(() => iamMock.restore());

  it('answers true, false for NoSuchEntity, undefined for AccessDenied, and passes other errors on', async () => {
    iamMock.on(GetLoginProfileCommand, { UserName: 'human' }).resolves({ LoginProfile: { UserName: 'human', CreateDate: new Date('2024-01-01'), PasswordResetRequired: false } });
    iamMock
      .on(GetLoginProfileCommand, { UserName: 'svc-ci' })
      .rejects(new NoSuchEntityException({ message: 'Login Profile for User svc-ci cannot be found.', $metadata: { httpStatusCode: 404 } }));
    iamMock.on(GetLoginProfileCommand, { UserName: 'hidden' }).rejects(denied('hidden'));
    iamMock
      .on(GetLoginProfileCommand, { UserName: 'busy' })
      .rejects(new IAMServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }));
    const client = new IAMClient({ region: 'us-east-1' });
    expect(await consolePasswordIfReadable(client, 'human')).toBe(true);
    expect(await consolePasswordIfReadable(client, 'svc-ci')).toBe(false);
    expect(await consolePasswordIfReadable(client, 'hidden')).toBeUndefined();
    await expect(consolePasswordIfReadable(client, 'busy')).rejects.toThrow('Rate exceeded');
  });
});

describe('consolePasswordIfReadable over HTTP', () => {
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    // IAM's own error body for a denied GetLoginProfile, so the SDK's real deserializer names the error.
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(403, { 'content-type': 'text/xml' });
        response.end(
          `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
            `<Message>User: arn:aws:iam::111122223333:user/ops is not authorized to perform: iam:GetLoginProfile on resource: user bob</Message>` +
            `</Error><RequestId>4f8c1b2a-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('turns the AccessDenied that IAM sends into "not known"', async () => {
    const client = new IAMClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake' }, maxAttempts: 1 });
    expect(await consolePasswordIfReadable(client, 'bob')).toBeUndefined();
  });
});

describe('onboard --users against a fake IAM endpoint', () => {
  let server: FakeIamServer;
  let restore: () => void;

  beforeAll(async () => {
    server = await startFakeIamServer({
      callerUserName: 'ops',
      alias: 'example-corp',
      users: [
        { userName: 'ops', password: true },
        { userName: 'alice', password: true },
        { userName: 'svc-ci', activeKeys: 1 },
      ],
      groups: [{ groupName: 'ForceMfaAccess', members: [] }],
    });
    restore = useFakeAwsEnvironment(server.endpoint);
  });

  afterAll(async () => {
    restore();
    await server.close();
  });

  it.each(['en', 'ja'] as const)('gives the console steps to a user with a password and the assisted ones to a user without (%s)', async (language) => {
    const result = await runCommand(['onboard', '--users', 'alice,svc-ci', '--lang', language]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const [alice, svc] = result.stdout.split('-'.repeat(72));
    const adminHelp = { en: 'cannot set up MFA by yourself', ja: 'ご自身で MFA を設定することはできません' }[language];
    const hint = { en: 'If you have no console password', ja: 'コンソールのパスワードをお持ちでない場合は' }[language];
    expect(alice).not.toContain(adminHelp);
    expect(alice).not.toContain(hint);
    expect(alice).toMatch(/^ {2}4\. /m);
    expect(svc).toContain(adminHelp);
    expect(svc).not.toMatch(/^ {2}4\. /m);
    expect(svc).toContain('force-mfa session --profile default');
    expect(server.calls.filter((call) => call === 'GetLoginProfile').length).toBeGreaterThanOrEqual(2);
  });
});
