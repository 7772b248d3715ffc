import { describe, expect, it } from 'vitest';
import { isForceMfaError } from '../../src/errors.js';
import { ROLE_RANGE, SESSION_TOKEN_RANGE, checkDuration, formatSeconds, parseDuration } from '../../src/session/duration.js';
import { checkTokenCode, checkUsableSerial, deviceKind, pickListedDevice } from '../../src/session/device.js';
import { freshness, fromCacheFile, holdsLongTermKeys, sessionFromProfile, toCacheFile, profileEntries, type StoredSession } from '../../src/session/credentials.js';
import { credentialProcessJson, envExports, sessionJson } from '../../src/session/formats.js';
import { parseIni } from '../../src/session/ini.js';
import { listProfiles, resolveSourceProfile, sharedFilePaths, stsRegion, type AwsFileSet } from '../../src/session/profiles.js';
import { sessionClientConfig, stsError, userNameOfArn } from '../../src/session/sts.js';
import { codedFailure } from '../support/failure.js';

describe('durations', () => {
  it.each([
    ['12h', 43_200],
    ['90m', 5_400],
    ['3600', 3_600],
    ['3600s', 3_600],
    ['1h30m', 5_400],
    ['36H', 129_600],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '12 hours', '-1h', '1.5h', 'h'])('rejects %j', (text) => {
    expect(codedFailure(() => parseDuration(text)).code).toBe('session.duration-invalid');
  });

  it.each([
    [899, SESSION_TOKEN_RANGE],
    [129_601, SESSION_TOKEN_RANGE],
    [43_201, ROLE_RANGE],
  ] as const)('%i seconds is out of the %o range', (seconds, range) => {
    const error = codedFailure(() => checkDuration(seconds, range));
    expect(error).toMatchObject({ code: 'session.duration-out-of-range', kind: 'input' });
    expect(error.message).toContain(range.operation);
  });

  it('accepts both ends of the GetSessionToken range', () => {
    expect(checkDuration(900, SESSION_TOKEN_RANGE)).toBe(900);
    expect(checkDuration(129_600, SESSION_TOKEN_RANGE)).toBe(129_600);
    expect(formatSeconds(5_430)).toBe('1h30m30s');
  });
});

describe('MFA devices and codes', () => {
  it.each([
    ['arn:aws:iam::123456789012:mfa/alice-phone', 'virtual'],
    ['arn:aws-cn:iam::123456789012:mfa/path/alice', 'virtual'],
    ['GAHT12345678', 'hardware'],
    ['arn:aws:iam::123456789012:u2f/user/alice/yubikey-ABCD', 'fido'],
    ['arn:aws:iam::123456789012:sms-mfa/alice', 'sms'],
  ])('%s is %s', (serial, kind) => {
    expect(deviceKind(serial)).toBe(kind);
  });

  it('refuses a FIDO serial and says what to do instead', () => {
    const error = codedFailure(() => checkUsableSerial('arn:aws:iam::123456789012:u2f/user/alice/key-1'));
    expect(error.code).toBe('session.device-fido-only');
    expect(error.message).toMatch(/register a virtual .* or hardware TOTP device/);
  });

  it('picks the one TOTP device among FIDO keys, asks among several, explains FIDO only and none', () => {
    const fido = 'arn:aws:iam::123456789012:u2f/user/alice/key-1';
    const phone = 'arn:aws:iam::123456789012:mfa/phone';
    expect(pickListedDevice([fido, phone], 'alice')).toEqual({ kind: 'one', serial: phone });
    expect(pickListedDevice([phone, 'GAHT12345678'], 'alice')).toEqual({ kind: 'several', serials: [phone, 'GAHT12345678'] });
    expect(codedFailure(() => pickListedDevice([fido], 'alice')).code).toBe('session.device-fido-only');
    expect(codedFailure(() => pickListedDevice([], 'alice')).code).toBe('session.no-device');
  });

  it.each(['12345', '1234567', '12a456', '', '12 345'])('rejects the code %j', (code) => {
    expect(codedFailure(() => checkTokenCode(code))).toMatchObject({ code: 'session.code-invalid', kind: 'input' });
  });

  it('accepts six digits, leading zeros kept', () => {
    expect(checkTokenCode(' 012345 ')).toBe('012345');
  });
});

describe('source profiles', () => {
  const files = (credentials: string, config = ''): AwsFileSet => ({
    credentialsPath: '/h/.aws/credentials',
    configPath: '/h/.aws/config',
    credentials: parseIni(credentials),
    config: parseIni(config),
  });
  const keys = 'aws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = secret\n';

  it('reads keys from the credentials file and mfa_serial and region from [profile NAME] of the config file', () => {
    const source = resolveSourceProfile(
      files(`[work]\n${keys}`, '[profile work]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = ap-northeast-1\n'),
      { name: 'work', chosen: true },
      {},
    );
    expect(source).toEqual({
      name: 'work',
      origin: 'credentials-file',
      accessKeyId: 'AKIAEXAMPLE000000001',
      secretAccessKey: 'secret',
      mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
      region: 'ap-northeast-1',
    });
    expect(stsRegion(source, {})).toBe('ap-northeast-1');
    expect(stsRegion(source, { AWS_REGION: 'eu-west-1' })).toBe('eu-west-1');
  });

  it('uses [default] of the config file for the default profile, and environment keys when no file has any', () => {
    const source = resolveSourceProfile(files('', '[default]\nmfa_serial = GAHT12345678\n'), { name: 'default', chosen: false }, {
      AWS_ACCESS_KEY_ID: 'AKIAENV0000000000001',
      AWS_SECRET_ACCESS_KEY: 'envsecret',
    });
    expect(source).toMatchObject({ origin: 'environment', accessKeyId: 'AKIAENV0000000000001', mfaSerial: 'GAHT12345678' });
    expect(stsRegion(source, {})).toBe('us-east-1');
  });

  it('lists the profiles found when the named one is unknown', () => {
    const error = codedFailure(() => resolveSourceProfile(files(`[work]\n${keys}[home]\n${keys}`, '[profile ops]\n'), { name: 'wrok', chosen: true }, {}));
    expect(error).toMatchObject({ code: 'session.profile-unknown', kind: 'input' });
    expect(error.message).toContain('profiles found: home, ops, work');
  });

  it('says there are no credentials at all as an environment error', () => {
    expect(codedFailure(() => resolveSourceProfile(files(''), { name: 'default', chosen: false }, {}))).toMatchObject({
      code: 'session.no-credentials',
      kind: 'environment',
    });
  });

  it.each([
    ['a session token', `[work]\n${keys}aws_session_token = tok\n`, {}],
    ['an ASIA key id', '[work]\naws_access_key_id = ASIATEMP\naws_secret_access_key = s\n', {}],
  ])('refuses a source holding temporary credentials (%s)', (_name, text, env) => {
    const error = codedFailure(() => resolveSourceProfile(files(text), { name: 'work', chosen: true }, env));
    expect(error.code).toBe('session.source-temporary');
    expect(error.message).toContain('long-term access keys');
  });

  it('refuses temporary environment keys', () => {
    const env = { AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' };
    expect(codedFailure(() => resolveSourceProfile(files(''), { name: 'default', chosen: false }, env)).code).toBe('session.source-temporary');
  });

  it('points a role profile to its source profile', () => {
    const error = codedFailure(() =>
      resolveSourceProfile(files('', '[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = work\n'), { name: 'admin', chosen: true }, {}),
    );
    expect(error.code).toBe('session.source-is-role');
    expect(error.message).toContain("use 'work' as the source profile");
  });

  it('finds the files where the SDKs do', () => {
    expect(sharedFilePaths({}, '/home/u')).toEqual({ credentialsPath: '/home/u/.aws/credentials', configPath: '/home/u/.aws/config' });
    expect(sharedFilePaths({ AWS_SHARED_CREDENTIALS_FILE: '~/c', AWS_CONFIG_FILE: '/x/config' }, '/home/u')).toEqual({
      credentialsPath: '/home/u/c',
      configPath: '/x/config',
    });
    expect(listProfiles(files('[a]\n', '[default]\n[profile b]\n[sso-session s]\n'))).toEqual(['a', 'b', 'default']);
  });
});

describe('stored sessions and formats', () => {
  const session: StoredSession = {
    credentials: {
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'se/cr+et',
      sessionToken: "to'ken==",
      expiration: new Date('2030-01-01T12:00:00.000Z'),
    },
    sourceAccessKeyId: 'AKIAEXAMPLE000000001',
  };

  it('is valid with more than five minutes left, expiring with less, expired under a minute', () => {
    expect(freshness(session.credentials, new Date('2030-01-01T11:54:59Z'))).toBe('valid');
    expect(freshness(session.credentials, new Date('2030-01-01T11:55:00Z'))).toBe('expiring');
    expect(freshness(session.credentials, new Date('2030-01-01T11:59:00Z'))).toBe('expired');
  });

  it('round-trips the cache file and ignores damaged ones', () => {
    const text = JSON.stringify(toCacheFile({ ...session, roleArn: 'arn:aws:iam::123456789012:role/Admin' }));
    expect(fromCacheFile(text)).toEqual({ ...session, roleArn: 'arn:aws:iam::123456789012:role/Admin' });
    expect(fromCacheFile('{')).toBeUndefined();
    expect(fromCacheFile(JSON.stringify({ ...toCacheFile(session), Expiration: 'soon' }))).toBeUndefined();
    expect(fromCacheFile(JSON.stringify({ ...toCacheFile(session), Version: 2 }))).toBeUndefined();
  });

  it('reads back what it writes into a profile, and recognises long-term keys', () => {
    const entries = Object.fromEntries(Object.entries(profileEntries(session)).filter((entry): entry is [string, string] => entry[1] !== undefined));
    expect(entries['x_security_token_expires']).toBe('2030-01-01T12:00:00Z');
    expect(sessionFromProfile(entries)).toEqual(session);
    expect(sessionFromProfile({ aws_access_key_id: 'ASIA', aws_secret_access_key: 's', aws_session_token: 't' })).toBeUndefined();
    expect(holdsLongTermKeys({ aws_access_key_id: 'AKIA', aws_secret_access_key: 's' })).toBe(true);
    expect(holdsLongTermKeys(entries)).toBe(false);
  });

  it('prints the credential_process JSON with exactly its five keys', () => {
    expect(JSON.parse(credentialProcessJson(session))).toEqual({
      Version: 1,
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'se/cr+et',
      SessionToken: "to'ken==",
      Expiration: '2030-01-01T12:00:00Z',
    });
  });

  it('prints export lines a POSIX shell reads back exactly', () => {
    expect(envExports(session)).toBe(
      [
        'export AWS_ACCESS_KEY_ID=ASIAEXAMPLE',
        'export AWS_SECRET_ACCESS_KEY=se/cr+et',
        "export AWS_SESSION_TOKEN='to'\\''ken=='",
        'export AWS_CREDENTIAL_EXPIRATION=2030-01-01T12:00:00Z',
        '',
      ].join('\n'),
    );
  });

  it('prints the documented json', () => {
    expect(JSON.parse(sessionJson({ session, sourceProfile: 'work', targetProfile: 'work-mfa', how: 'issued', mfaSerial: 'GAHT12345678' }))).toEqual({
      version: 1,
      sourceProfile: 'work',
      targetProfile: 'work-mfa',
      roleArn: null,
      mfaSerial: 'GAHT12345678',
      how: 'issued',
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'se/cr+et',
      sessionToken: "to'ken==",
      expiration: '2030-01-01T12:00:00Z',
    });
  });
});

describe('userNameOfArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/alice', 'alice'],
    ['arn:aws:iam::123456789012:user/dev/team/alice', 'alice'],
    ['arn:aws-cn:iam::123456789012:user/bob', 'bob'],
    ['arn:aws:iam::123456789012:root', undefined],
    ['arn:aws:sts::123456789012:assumed-role/Admin/session', undefined],
    [undefined, undefined],
  ])('%s → %s', (arn, expected) => {
    expect(userNameOfArn(arn)).toBe(expected);
  });
});

describe('an endpoint that never answers', () => {
  it('ends every call: the clients give up on a connection and on a silent socket', () => {
    const { requestHandler, maxAttempts } = sessionClientConfig({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }, { region: 'us-east-1' });
    expect(requestHandler.connectionTimeout).toBeGreaterThan(0);
    expect(requestHandler.socketTimeout).toBeGreaterThan(0);
    expect(maxAttempts * (requestHandler.connectionTimeout + requestHandler.socketTimeout)).toBeLessThanOrEqual(180_000);
  });

  it.each([
    ['a silent socket', Object.assign(new Error('the request socket timed out after 30000 ms of inactivity'), { name: 'TimeoutError', $metadata: { attempts: 3 } })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } })],
  ])('says AWS was not reached after %s (exit 3, one line)', (_, cause) => {
    const error = stsError(cause, 'GetSessionToken', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' });
    expect(isForceMfaError(error) && error.code).toBe('session.unreachable');
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect(error.message).not.toContain('wJalrXUtnFEMI');
    expect(error.message).not.toMatch(/\n/);
  });
});
