// End to end, no mocks: the session command against a local STS (Query API over HTTP) given in AWS_ENDPOINT_URL.
import type { IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerSession } from '../../src/cli/commands/session.js';
import { startFakeServer, type FakeServer } from '../support/fake-http-server.js';
import { runInProcess } from '../support/run-command.js';
import { STS_NAMESPACE, queryError, queryResult, sendXml } from '../support/query-api.js';

interface Seen {
  readonly action: string;
  readonly params: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

const SOURCE_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice-phone';
let server: FakeServer;
let endpoint: string;
let seen: Seen[];
let issuedCount = 0;

/** A tiny STS: GetSessionToken for the source key with a six-digit code, GetCallerIdentity for anyone signed. */
function answer(action: string, params: URLSearchParams, headers: IncomingHttpHeaders): { status: number; body: string } {
  const requestId = `0000000${seen.length}-aaaa-4bbb-8ccc-dddddddddddd`;
  if (action === 'GetSessionToken') {
    if (!String(headers.authorization).includes(`Credential=${SOURCE_KEY}/`) || params.get('SerialNumber') !== SERIAL || !/^\d{6}$/.test(params.get('TokenCode') ?? '')) {
      return {
        status: 403,
        body: queryError({ code: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' }, STS_NAMESPACE, requestId),
      };
    }
    issuedCount += 1;
    const expiration = new Date(Date.now() + Number(params.get('DurationSeconds') ?? 43_200) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      status: 200,
      body: queryResult(
        STS_NAMESPACE,
        action,
        '<Credentials>' +
          `<SessionToken>FwoGZXIvYXdzELOCAL${issuedCount}//token+/=</SessionToken>` +
          `<SecretAccessKey>localSecret${issuedCount}/abc+def</SecretAccessKey>` +
          `<Expiration>${expiration}</Expiration>` +
          `<AccessKeyId>ASIALOCAL${issuedCount}</AccessKeyId>` +
          '</Credentials>',
        requestId,
      ),
    };
  }
  if (action === 'GetCallerIdentity') {
    return {
      status: 200,
      body: queryResult(
        STS_NAMESPACE,
        action,
        '<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLEUSERID0001</UserId><Account>123456789012</Account>',
        requestId,
      ),
    };
  }
  return { status: 400, body: queryError({ code: 'InvalidAction', message: action }, STS_NAMESPACE, requestId) };
}

beforeAll(async () => {
  server = await startFakeServer((request, requestBody, response) => {
    const params = new URLSearchParams(requestBody);
    const action = params.get('Action') ?? '';
    seen.push({ action, params, headers: request.headers });
    const { status, body } = answer(action, params, request.headers);
    sendXml(response, status, body);
  });
  endpoint = server.endpoint;
});

afterAll(async () => {
  await server.close();
});

const CREDENTIALS = [
  '# shared credentials',
  '[default]',
  'aws_access_key_id = AKIADEFAULT000000000',
  'aws_secret_access_key = defaultSecret',
  '',
  '[work]',
  `aws_access_key_id = ${SOURCE_KEY}`,
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '',
  '[zeta]   ; last one',
  'aws_access_key_id=AKIAZETA000000000000',
  'aws_secret_access_key=zeta',
  '',
].join('\n');

const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_IAM',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'FORCE_MFA_CACHE_DIR',
];
let saved: Record<string, string | undefined>;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'force-mfa-e2e-'));
  writeFileSync(join(dir, 'credentials'), CREDENTIALS, { mode: 0o644 });
  writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n');
  saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    FORCE_MFA_CACHE_DIR: join(dir, 'cache'),
  });
  seen = [];
});

afterEach(() => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `force-mfa <args>` in-process; returns what it printed on stdout. */
async function forceMfa(...args: string[]): Promise<string> {
  return (await runInProcess([registerSession], args)).stdout;
}

describe('session against an STS endpoint given in AWS_ENDPOINT_URL', () => {
  it('writes a working target profile, keeps the rest of the file, mode 0600, and reuses it without a request', async () => {
    const printed = await forceMfa('session', '--profile', 'work', '--code', '123456', '--serial', SERIAL);
    expect(printed).toMatch(/^profile work-mfa holds an MFA session until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);

    expect(seen.map((request) => request.action)).toEqual(['GetSessionToken']);
    const call = seen[0];
    expect(call?.params.get('TokenCode')).toBe('123456');
    expect(call?.params.get('SerialNumber')).toBe(SERIAL);
    expect(call?.params.get('DurationSeconds')).toBe('43200');
    expect(call?.headers.authorization).toContain(`Credential=${SOURCE_KEY}/`);
    expect(call?.headers['x-amz-security-token']).toBeUndefined();

    const written = readFileSync(join(dir, 'credentials'), 'utf8');
    expect(written.startsWith(CREDENTIALS)).toBe(true);
    expect(written.slice(CREDENTIALS.length)).toMatch(
      /^\n\[work-mfa\]\naws_access_key_id = ASIALOCAL1\naws_secret_access_key = localSecret1\/abc\+def\naws_session_token = FwoGZXIvYXdzELOCAL1\/\/token\+\/=\nx_security_token_expires = \S+Z\nx_force_mfa_source_key_id = AKIAIOSFODNN7EXAMPLE\n$/,
    );
    expect(statSync(join(dir, 'credentials')).mode & 0o777).toBe(0o600);

    await forceMfa('session', '--profile', 'work', '--code', '654321', '--serial', SERIAL);
    expect(seen).toHaveLength(1);
    expect(readFileSync(join(dir, 'credentials'), 'utf8')).toBe(written);

    // The written profile works: the SDK reads it from the file and signs with its session token.
    const client = new STSClient({
      region: 'us-east-1',
      credentials: fromIni({ profile: 'work-mfa', filepath: join(dir, 'credentials'), configFilepath: join(dir, 'config'), ignoreCache: true }),
    });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:iam::123456789012:user/alice');
    const identityCall = seen[1];
    expect(identityCall?.action).toBe('GetCallerIdentity');
    expect(identityCall?.headers['x-amz-security-token']).toBe('FwoGZXIvYXdzELOCAL1//token+/=');
    expect(identityCall?.headers.authorization).toContain('Credential=ASIALOCAL1/');
  });

  it('prints credential_process JSON from the cache, and export lines, with one request in all', async () => {
    const json = JSON.parse(await forceMfa('session', '--profile', 'work', '--code', '123456', '--serial', SERIAL, '--format', 'credential-process')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(json).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIALOCAL/) });
    expect(new Date(String(json['Expiration'])).getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);

    const again = JSON.parse(await forceMfa('session', '--profile', 'work', '--format', 'credential-process')) as Record<string, unknown>;
    expect(again).toEqual(json);

    const env = await forceMfa('session', '--profile', 'work', '--format', 'env');
    expect(env.split('\n').filter(Boolean)).toEqual([
      `export AWS_ACCESS_KEY_ID=${String(json['AccessKeyId'])}`,
      `export AWS_SECRET_ACCESS_KEY=${String(json['SecretAccessKey'])}`,
      `export AWS_SESSION_TOKEN=${String(json['SessionToken'])}`,
      `export AWS_CREDENTIAL_EXPIRATION=${String(json['Expiration'])}`,
    ]);
    expect(seen).toHaveLength(1);
    expect(readFileSync(join(dir, 'credentials'), 'utf8')).toBe(CREDENTIALS);
  });

  it('prefers AWS_ENDPOINT_URL_STS over AWS_ENDPOINT_URL', async () => {
    process.env['AWS_ENDPOINT_URL_STS'] = endpoint;
    process.env['AWS_ENDPOINT_URL'] = 'http://127.0.0.1:9'; // discard port: a request sent there would fail
    const json = JSON.parse(await forceMfa('session', '--profile', 'work', '--code', '123456', '--serial', SERIAL, '--format', 'json')) as Record<string, unknown>;
    expect(json).toMatchObject({ version: 1, sourceProfile: 'work', targetProfile: null, how: 'issued', mfaSerial: SERIAL });
    expect(seen.map((request) => request.action)).toEqual(['GetSessionToken']);
  });

  it('reports a code STS rejects as one line naming the device, and writes nothing', async () => {
    await expect(forceMfa('session', '--profile', 'zeta', '--code', '123456', '--serial', SERIAL)).rejects.toThrow(
      /^AWS rejected the MFA code for device arn:aws:iam::123456789012:mfa\/alice-phone: /,
    );
    expect(seen.map((request) => request.action)).toEqual(['GetSessionToken']);
    expect(readFileSync(join(dir, 'credentials'), 'utf8')).toBe(CREDENTIALS);
  });
});
