import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { IAMClient, IAMServiceException, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isForceMfaError, type ForceMfaError } from '../../src/errors.js';
import { obtainSession, type SessionHost, type SessionRequest } from '../../src/session/obtain.js';
import { awsIssuer } from '../../src/session/sts.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice-phone';
const HARDWARE = 'GAHT12345678';
const FIDO = 'arn:aws:iam::123456789012:u2f/user/alice/yubikey-7RZ3ABCDEFGHIJKLMNOPQRSTUVWX';
const ROLE = 'arn:aws:iam::210987654321:role/ops/Admin';

// Everything except [work-mfa] must come out byte for byte: comments, odd spacing, a sub-property, no tidy-up.
const HEAD = [
  '# team credentials — do not share',
  '[default]',
  'aws_access_key_id=AKIADEFAULT000000000',
  'aws_secret_access_key   =  defaultSecret0000000000000000000000000000',
  '',
  '[work]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '; rotated 2029-12',
  '',
].join('\n');
const TAIL = ['', '[ci]   ; the pipeline', 'aws_access_key_id = AKIACI0000000000000', 'aws_secret_access_key = ciSecret', '  '].join('\n');
const CONFIG = [
  '[default]',
  'region = us-west-2',
  '',
  '[profile work]',
  `mfa_serial = ${SERIAL}`,
  'region = ap-northeast-1',
  's3 =',
  '  max_concurrent_requests = 20',
  '# end',
].join('\n');

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
let dir: string;
let notices: string[];
let answers: string[];
let clock: Date;

function paths() {
  return { credentials: join(dir, 'credentials'), config: join(dir, 'config'), cache: join(dir, 'cache') };
}

function host(overrides: Partial<SessionHost> = {}): SessionHost {
  return {
    env: { AWS_SHARED_CREDENTIALS_FILE: paths().credentials, AWS_CONFIG_FILE: paths().config, FORCE_MFA_CACHE_DIR: paths().cache },
    homeDir: dir,
    now: () => clock,
    interactive: false,
    ask: async (question) => {
      notices.push(`? ${question}`);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${question}`);
      return answer;
    },
    notice: (line) => notices.push(line),
    issuer: awsIssuer,
    renewCommand: 'force-mfa session --profile work',
    ...overrides,
  };
}

function request(overrides: Partial<SessionRequest> = {}): SessionRequest {
  return { profile: 'work', format: 'profile', force: false, code: '123456', ...overrides };
}

function issued(id: string, hours = 12) {
  return {
    Credentials: {
      AccessKeyId: `ASIA${id}`,
      SecretAccessKey: `secret/${id}+x`,
      SessionToken: `FwoGZXIvYXdzE${id}//////////wEaDN+token==`,
      Expiration: new Date(clock.getTime() + hours * 3_600_000),
    },
    $metadata: { httpStatusCode: 200, requestId: 'c6104cbe-af31-11e0-8154-cbc7ccf896c7' },
  };
}

async function failure(promise: Promise<unknown>): Promise<ForceMfaError> {
  try {
    await promise;
  } catch (error) {
    if (isForceMfaError(error)) return error;
    throw error;
  }
  throw new Error('expected a ForceMfaError');
}

function sectionOf(text: string, name: string): string {
  const start = text.indexOf(`[${name}]`);
  const next = text.indexOf('\n[', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'force-mfa-session-'));
  writeFileSync(paths().credentials, `${HEAD}${TAIL}`, { mode: 0o644 });
  chmodSync(paths().credentials, 0o644);
  writeFileSync(paths().config, CONFIG, { mode: 0o644 });
  chmodSync(paths().config, 0o644);
  notices = [];
  answers = [];
  clock = NOW;
  sts.reset();
  iam.reset();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('session in the profile format', () => {
  it("calls GetSessionToken with the profile's device, writes the target profile, keeps every other byte, mode 0600", async () => {
    sts.on(GetSessionTokenCommand).resolves(issued('FIRST'));
    const outcome = await obtainSession(request(), host());

    expect(outcome).toMatchObject({ how: 'issued', sourceProfile: 'work', targetProfile: 'work-mfa', mfaSerial: SERIAL });
    expect(sts.commandCalls(GetSessionTokenCommand).map((call) => call.args[0].input)).toEqual([
      { SerialNumber: SERIAL, TokenCode: '123456', DurationSeconds: 43_200 },
    ]);
    const client = sts.call(0).thisValue as STSClient;
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    expect(await client.config.region()).toBe('ap-northeast-1');

    const written = readFileSync(paths().credentials, 'utf8');
    expect(written).toBe(
      // the file ended in a line of spaces without a newline: it gets its newline and counts as the blank separator
      `${HEAD}${TAIL}\n[work-mfa]\n` +
        'aws_access_key_id = ASIAFIRST\n' +
        'aws_secret_access_key = secret/FIRST+x\n' +
        'aws_session_token = FwoGZXIvYXdzEFIRST//////////wEaDN+token==\n' +
        'x_security_token_expires = 2030-01-01T12:00:00Z\n' +
        'x_force_mfa_source_key_id = AKIAIOSFODNN7EXAMPLE\n',
    );
    expect(statSync(paths().credentials).mode & 0o777).toBe(0o600);
    // the region of the source goes to a new [profile work-mfa]; the config keeps its bytes and its mode
    expect(readFileSync(paths().config, 'utf8')).toBe(`${CONFIG}\n\n[profile work-mfa]\nregion = ap-northeast-1\n`);
    expect(statSync(paths().config).mode & 0o777).toBe(0o644);
    // the cache holds the session too, private
    const [cacheFile] = readdirSync(paths().cache);
    expect(statSync(join(paths().cache, cacheFile ?? '')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an existing target section in place, keeping the sections around it and the lines it does not own', async () => {
    const old = '[work-mfa]\naws_access_key_id = ASIAOLD\n# my note\naws_secret_access_key = old\naws_session_token = old\naws_security_token = old\noutput = json\n';
    writeFileSync(paths().credentials, `${HEAD}${old}${TAIL}`);
    sts.on(GetSessionTokenCommand).resolves(issued('NEW'));
    await obtainSession(request(), host());
    const written = readFileSync(paths().credentials, 'utf8');
    expect(written.startsWith(HEAD)).toBe(true);
    expect(written.endsWith(TAIL)).toBe(true);
    expect(sectionOf(written, 'work-mfa')).toBe(
      '[work-mfa]\naws_access_key_id = ASIANEW\n# my note\naws_secret_access_key = secret/NEW+x\n' +
        'aws_session_token = FwoGZXIvYXdzENEW//////////wEaDN+token==\noutput = json\n' +
        'x_security_token_expires = 2030-01-01T12:00:00Z\nx_force_mfa_source_key_id = AKIAIOSFODNN7EXAMPLE\n',
    );
  });

  it('warns when the target profile also runs credential_process, since the written keys would win over it', async () => {
    writeFileSync(paths().config, `${CONFIG}\n[profile work-mfa]\ncredential_process = force-mfa session --profile work --format credential-process\n`);
    sts.on(GetSessionTokenCommand).resolves(issued('NEW'));
    await obtainSession(request(), host());
    expect(notices.join('\n')).toMatch(/warning: profile 'work-mfa' also has credential_process in .*config; the keys just written take precedence/);
    notices = [];
    await obtainSession(request({ targetProfile: 'work-keys' }), host());
    expect(notices.join('\n')).not.toMatch(/credential_process/);
  });

  it('keeps CRLF files CRLF', async () => {
    const crlf = `${HEAD}${TAIL}`.replaceAll('\n', '\r\n');
    writeFileSync(paths().credentials, crlf);
    sts.on(GetSessionTokenCommand).resolves(issued('CRLF'));
    await obtainSession(request(), host());
    const written = readFileSync(paths().credentials, 'utf8');
    expect(written.startsWith(`${crlf}\r\n[work-mfa]\r\naws_access_key_id = ASIACRLF\r\n`)).toBe(true);
    expect(written.replaceAll('\r\n', '').includes('\n')).toBe(false);
  });

  it('reuses a valid session without any AWS call or question, and writes nothing', async () => {
    sts.on(GetSessionTokenCommand).resolves(issued('FIRST'));
    await obtainSession(request(), host());
    const before = readFileSync(paths().credentials, 'utf8');
    const modified = statSync(paths().credentials).mtimeMs;
    sts.reset();
    iam.reset();

    clock = new Date(NOW.getTime() + 11 * 3_600_000); // 1 h left
    const { code: _omitted, ...withoutCode } = request();
    const outcome = await obtainSession(withoutCode, host({ interactive: true }));
    expect(outcome.how).toBe('reused');
    expect(outcome.session.credentials.accessKeyId).toBe('ASIAFIRST');
    expect(sts.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
    expect(notices.some((line) => line.startsWith('?'))).toBe(false);
    expect(readFileSync(paths().credentials, 'utf8')).toBe(before);
    expect(statSync(paths().credentials).mtimeMs).toBe(modified);
  });

  it('reuses the session stored in the target profile when the cache is gone', async () => {
    sts.on(GetSessionTokenCommand).resolves(issued('FIRST'));
    await obtainSession(request(), host());
    rmSync(paths().cache, { recursive: true });
    sts.reset();
    expect((await obtainSession(request(), host())).how).toBe('reused');
    expect(sts.calls()).toHaveLength(0);
  });

  it('asks STS again with force, and when the session is within five minutes of its end', async () => {
    sts.on(GetSessionTokenCommand).resolvesOnce(issued('FIRST')).resolvesOnce(issued('SECOND')).resolves(issued('THIRD'));
    await obtainSession(request(), host());
    expect((await obtainSession(request({ force: true }), host())).session.credentials.accessKeyId).toBe('ASIASECOND');
    clock = new Date(NOW.getTime() + 12 * 3_600_000 - 4 * 60_000);
    expect((await obtainSession(request(), host())).session.credentials.accessKeyId).toBe('ASIATHIRD');
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(3);
    expect(sectionOf(readFileSync(paths().credentials, 'utf8'), 'work-mfa')).toContain('aws_access_key_id = ASIATHIRD\n');
  });

  it('follows a symbolic link to the credentials file instead of replacing the link', async () => {
    const real = join(dir, 'dotfiles-credentials');
    writeFileSync(real, `${HEAD}${TAIL}`);
    rmSync(paths().credentials);
    symlinkSync(real, paths().credentials);
    sts.on(GetSessionTokenCommand).resolves(issued('LINK'));
    await obtainSession(request(), host());
    expect(lstatSync(paths().credentials).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('aws_access_key_id = ASIALINK');
  });

  it('creates the credentials file when the keys live in the config file', async () => {
    rmSync(paths().credentials);
    writeFileSync(paths().config, `[profile solo]\naws_access_key_id = AKIASOLO000000000000\naws_secret_access_key = s\nmfa_serial = ${SERIAL}\n`);
    sts.on(GetSessionTokenCommand).resolves(issued('SOLO'));
    await obtainSession(request({ profile: 'solo' }), host());
    expect(readFileSync(paths().credentials, 'utf8')).toMatch(/^\[solo-mfa\]\naws_access_key_id = ASIASOLO\n/);
    expect(statSync(paths().credentials).mode & 0o777).toBe(0o600);
  });
});

describe('checked before any AWS call', () => {
  const cases: [string, Partial<SessionRequest>, string][] = [
    ['a five-digit code', { code: '12345' }, 'session.code-invalid'],
    ['a code with letters', { code: '12a456' }, 'session.code-invalid'],
    ['a duration under 15 minutes', { duration: '10m' }, 'session.duration-out-of-range'],
    ['a duration over 36 hours', { duration: '37h' }, 'session.duration-out-of-range'],
    ['a role duration over 12 hours', { duration: '13h', roleArn: ROLE }, 'session.duration-out-of-range'],
    ['an unreadable duration', { duration: 'soon' }, 'session.duration-invalid'],
    ['a FIDO serial', { serial: FIDO }, 'session.device-fido-only'],
    ['a malformed role ARN', { roleArn: 'Admin' }, 'session.role-arn-invalid'],
    ['the source as target', { targetProfile: 'work' }, 'session.target-is-source'],
    ['a target holding long-term keys', { targetProfile: 'ci' }, 'session.target-has-keys'],
    ['an unknown profile', { profile: 'wrok' }, 'session.profile-unknown'],
  ];
  it.each(cases)('%s', async (_name, overrides, code) => {
    const before = readFileSync(paths().credentials, 'utf8');
    const error = await failure(obtainSession(request(overrides), host()));
    expect(error).toMatchObject({ code, kind: 'input' });
    expect(error.message).not.toMatch(/\n/);
    expect(sts.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
    expect(readFileSync(paths().credentials, 'utf8')).toBe(before);
  });

  it('says how to renew in a terminal when there is neither a code nor a terminal', async () => {
    const { code: _omitted, ...withoutCode } = request();
    const error = await failure(obtainSession(withoutCode, host()));
    expect(error.code).toBe('session.code-required');
    expect(error.message).toContain('run `force-mfa session --profile work` in a terminal');
    expect(sts.calls()).toHaveLength(0);
  });

  it('refuses a source profile that holds a session token', async () => {
    writeFileSync(paths().credentials, `${HEAD}[temp]\naws_access_key_id = ASIATEMP\naws_secret_access_key = s\naws_session_token = t\n`);
    const error = await failure(obtainSession(request({ profile: 'temp' }), host()));
    expect(error.code).toBe('session.source-temporary');
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('what AWS answers', () => {
  it('turns a rejected code into one line telling to wait for the next code (exit 2)', async () => {
    sts.on(GetSessionTokenCommand).rejects(
      new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403, requestId: '8f9e3a1c-0000-4000-8000-000000000000' },
        message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ',
      }),
    );
    const before = readFileSync(paths().credentials, 'utf8');
    const error = await failure(obtainSession(request(), host()));
    expect(error).toMatchObject({ code: 'session.code-rejected', kind: 'input' });
    expect(error.message).toContain(SERIAL);
    expect(readFileSync(paths().credentials, 'utf8')).toBe(before);
    // The cache folder holds the lock while a session is fetched: nothing is left in it, the lock released.
    expect(readdirSync(paths().cache)).toEqual([]);
  });

  it('names the access key AWS does not know (exit 3)', async () => {
    sts.on(GetSessionTokenCommand).rejects(
      new STSServiceException({ name: 'InvalidClientTokenId', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'The security token included in the request is invalid.' }),
    );
    expect(await failure(obtainSession(request(), host()))).toMatchObject({ code: 'session.keys-unknown', kind: 'environment' });
  });
});

describe('finding the MFA device', () => {
  beforeEach(() => {
    writeFileSync(paths().config, '[profile work]\nregion = eu-central-1\n');
  });

  it("lists the caller's devices (every page) and uses the only TOTP one, skipping FIDO keys", async () => {
    iam
      .on(ListMFADevicesCommand, {})
      .resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: FIDO, EnableDate: NOW }], IsTruncated: true, Marker: 'page2' })
      .on(ListMFADevicesCommand, { Marker: 'page2' })
      .resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: SERIAL, EnableDate: NOW }], IsTruncated: false });
    sts.on(GetSessionTokenCommand).resolves(issued('LISTED'));
    const outcome = await obtainSession(request(), host());
    expect(iam.commandCalls(ListMFADevicesCommand)).toHaveLength(2);
    expect(outcome.mfaSerial).toBe(SERIAL);
    expect(sts.commandCalls(GetSessionTokenCommand)[0]?.args[0].input.SerialNumber).toBe(SERIAL);
  });

  it('names the caller (from GetCallerIdentity) in ListMFADevices, as AWS-compatible endpoints need', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::123456789012:user/dev/alice', Account: '123456789012', UserId: 'AIDAEXAMPLE' });
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: SERIAL, EnableDate: NOW }] });
    sts.on(GetSessionTokenCommand).resolves(issued('NAMED'));
    const outcome = await obtainSession(request(), host());
    expect(iam.commandCalls(ListMFADevicesCommand)[0]?.args[0].input.UserName).toBe('alice');
    expect(outcome.mfaSerial).toBe(SERIAL);
  });

  it('asks which device on a terminal, then the code', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: SERIAL, EnableDate: NOW }, { UserName: 'alice', SerialNumber: HARDWARE, EnableDate: NOW }] });
    sts.on(GetSessionTokenCommand).resolves(issued('CHOSEN'));
    answers = ['2', '654321'];
    const { code: _omitted, ...withoutCode } = request();
    await obtainSession(withoutCode, host({ interactive: true }));
    expect(notices).toContain(`  2) ${HARDWARE}`);
    expect(sts.commandCalls(GetSessionTokenCommand)[0]?.args[0].input).toMatchObject({ SerialNumber: HARDWARE, TokenCode: '654321' });
  });

  it('asks again after a mistyped code, and uses the corrected one', async () => {
    writeFileSync(paths().config, `[profile work]\nmfa_serial = ${SERIAL}\n`);
    sts.on(GetSessionTokenCommand).resolves(issued('RETYPED'));
    answers = ['12345', '123456'];
    const { code: _omitted, ...withoutCode } = request();
    await obtainSession(withoutCode, host({ interactive: true }));
    expect(notices.filter((line) => line.startsWith('? MFA code'))).toHaveLength(2);
    expect(notices).toContain('the MFA code must be exactly six digits, as your authenticator app or token shows it; try again');
    expect(sts.commandCalls(GetSessionTokenCommand).map((call) => call.args[0].input.TokenCode)).toEqual(['123456']);
  });

  it('checks a typed code before calling STS, three tries at most', async () => {
    writeFileSync(paths().config, `[profile work]\nmfa_serial = ${SERIAL}\n`);
    answers = ['12345', '1234567', 'abcdef'];
    const { code: _omitted, ...withoutCode } = request();
    expect((await failure(obtainSession(withoutCode, host({ interactive: true })))).code).toBe('session.code-invalid');
    expect(sts.calls()).toHaveLength(0);
  });

  it('requires a serial without a terminal when several devices give codes, and lists them', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: SERIAL, EnableDate: NOW }, { UserName: 'alice', SerialNumber: HARDWARE, EnableDate: NOW }] });
    const error = await failure(obtainSession(request(), host()));
    expect(error.code).toBe('session.device-ambiguous');
    expect(error.message).toContain(`${SERIAL}, ${HARDWARE}`);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it('explains that FIDO keys and passkeys cannot start a CLI session', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: FIDO, EnableDate: NOW }] });
    const error = await failure(obtainSession(request(), host()));
    expect(error.code).toBe('session.device-fido-only');
    expect(error.message).toMatch(/accepts only six-digit TOTP codes/);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it('says there is no device, and what to do when listing is denied', async () => {
    iam.on(ListMFADevicesCommand).resolvesOnce({ MFADevices: [] }).rejects(
      new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListMFADevices' }),
    );
    expect((await failure(obtainSession(request(), host()))).code).toBe('session.no-device');
    expect((await failure(obtainSession(request(), host()))).code).toBe('session.devices-unlisted');
  });

  it('prefers the given serial over mfa_serial, and says so', async () => {
    writeFileSync(paths().config, `[profile work]\nmfa_serial = ${SERIAL}\n`);
    sts.on(GetSessionTokenCommand).resolves(issued('GIVEN'));
    await obtainSession(request({ serial: HARDWARE }), host());
    expect(sts.commandCalls(GetSessionTokenCommand)[0]?.args[0].input.SerialNumber).toBe(HARDWARE);
    expect(notices.join('\n')).toContain(`instead of mfa_serial ${SERIAL}`);
  });
});

describe('credential_process', () => {
  const processRequest = (overrides: Partial<SessionRequest> = {}) => request({ format: 'credential-process', ...overrides });

  it('issues once, then serves the cache without a code or a call; never touches the credentials file', async () => {
    sts.on(GetSessionTokenCommand).resolves(issued('PROC'));
    const before = readFileSync(paths().credentials, 'utf8');
    await obtainSession(processRequest(), host());
    sts.reset();
    const { code: _omitted, ...withoutCode } = processRequest();
    const outcome = await obtainSession(withoutCode, host());
    expect(outcome).toMatchObject({ how: 'reused', session: { credentials: { accessKeyId: 'ASIAPROC' } } });
    expect(sts.calls()).toHaveLength(0);
    expect(readFileSync(paths().credentials, 'utf8')).toBe(before);
    expect(readFileSync(paths().config, 'utf8')).toBe(CONFIG);
  });

  it('hands out a session in its last minutes with a warning, then fails with what to run once it expired', async () => {
    sts.on(GetSessionTokenCommand).resolves(issued('PROC'));
    await obtainSession(processRequest(), host());
    const { code: _omitted, ...withoutCode } = processRequest();

    clock = new Date(NOW.getTime() + 12 * 3_600_000 - 3 * 60_000);
    expect((await obtainSession(withoutCode, host())).how).toBe('reused');
    expect(notices.at(-1)).toMatch(/^warning: .* run `force-mfa session --profile work --force` in a terminal/);

    clock = new Date(NOW.getTime() + 12 * 3_600_000);
    const error = await failure(obtainSession(withoutCode, host()));
    expect(error.code).toBe('session.code-required');
    expect(error.message).toContain('has expired');
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
  });

  it('does not reuse a cached session made from other access keys', async () => {
    sts.on(GetSessionTokenCommand).resolves(issued('OLDKEY'));
    await obtainSession(processRequest(), host());
    writeFileSync(paths().credentials, `[work]\naws_access_key_id = AKIAROTATED000000000\naws_secret_access_key = rotated\n`);
    const { code: _omitted, ...withoutCode } = processRequest();
    expect((await failure(obtainSession(withoutCode, host()))).code).toBe('session.code-required');
  });
});

describe('roles', () => {
  it('assumes the role with the MFA code from the long-term keys, 1 hour by default, into SOURCE-ROLE-mfa', async () => {
    sts.on(AssumeRoleCommand).resolves({ ...issued('ROLE', 1), AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:force-mfa-work', Arn: `${ROLE}/force-mfa-work` } });
    const outcome = await obtainSession(request({ roleArn: ROLE }), host());
    expect(outcome).toMatchObject({ how: 'issued', targetProfile: 'work-Admin-mfa' });
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'force-mfa-work',
      DurationSeconds: 3_600,
      SerialNumber: SERIAL,
      TokenCode: '123456',
    });
    expect(sectionOf(readFileSync(paths().credentials, 'utf8'), 'work-Admin-mfa')).toContain(`x_force_mfa_role_arn = ${ROLE}\n`);
  });

  it('chains from a valid MFA session without a code, clamped to one hour, and says so', async () => {
    sts.on(GetSessionTokenCommand).resolves(issued('BASE'));
    sts.on(AssumeRoleCommand).resolves(issued('CHAINED', 1));
    await obtainSession(request({ format: 'json' }), host());
    const { code: _omitted, ...withoutCode } = request({ roleArn: ROLE, duration: '12h', roleSessionName: 'alice' });
    const outcome = await obtainSession(withoutCode, host());
    expect(outcome.how).toBe('chained');
    const call = sts.commandCalls(AssumeRoleCommand)[0];
    expect(call?.args[0].input).toEqual({ RoleArn: ROLE, RoleSessionName: 'alice', DurationSeconds: 3_600 });
    expect(await (call?.thisValue as STSClient).config.credentials()).toMatchObject({ accessKeyId: 'ASIABASE', sessionToken: 'FwoGZXIvYXdzEBASE//////////wEaDN+token==' });
    expect(notices.join('\n')).toContain('lasts at most 1h: asking for 1h instead of 12h');
  });

  it("relays the role's refusal of a long session as an input error", async () => {
    sts.on(AssumeRoleCommand).rejects(
      new STSServiceException({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' }),
    );
    expect(await failure(obtainSession(request({ roleArn: ROLE, duration: '12h' }), host()))).toMatchObject({ code: 'session.duration-rejected', kind: 'input' });
  });
});
