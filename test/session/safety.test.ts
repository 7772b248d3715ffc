// The credentials file and the cache under attack and under load: read-only files, planted caches, odd profile
// names, parallel writers and parallel credential_process runs, codes from a command.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isForceMfaError, type ForceMfaError } from '../../src/errors.js';
import { obtainSession, type SessionHost, type SessionRequest } from '../../src/session/obtain.js';
import { cacheFilePath } from '../../src/session/store.js';
import { awsIssuer } from '../../src/session/sts.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice-phone';
const OTHERS = [
  '# keep me',
  '[work]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '',
  '[ci]  ; odd spacing stays',
  'aws_access_key_id=AKIACI0000000000000',
  'aws_secret_access_key =ciSecret',
  '',
].join('\n');
const CONFIG = ['[profile work]', `mfa_serial = ${SERIAL}`, ''].join('\n');

const sts = mockClient(STSClient);
let dir: string;
let notices: string[];

const paths = () => ({ credentials: join(dir, 'credentials'), config: join(dir, 'config'), cache: join(dir, 'cache') });

function host(overrides: Partial<SessionHost> = {}): SessionHost {
  return {
    env: { AWS_SHARED_CREDENTIALS_FILE: paths().credentials, AWS_CONFIG_FILE: paths().config, FORCE_MFA_CACHE_DIR: paths().cache },
    homeDir: dir,
    now: () => NOW,
    interactive: false,
    ask: async (question) => {
      throw new Error(`unexpected question: ${question}`);
    },
    notice: (line) => notices.push(line),
    issuer: awsIssuer,
    renewCommand: 'force-mfa session --profile work',
    ...overrides,
  };
}

const request = (overrides: Partial<SessionRequest> = {}): SessionRequest => ({ profile: 'work', format: 'profile', force: false, code: '123456', ...overrides });

function issued(id: string, hours = 12) {
  return {
    Credentials: {
      AccessKeyId: `ASIA${id}`,
      SecretAccessKey: `secret${id}`,
      SessionToken: `token${id}`,
      Expiration: new Date(NOW.getTime() + hours * 3_600_000),
    },
    $metadata: { httpStatusCode: 200 },
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

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'force-mfa-safety-'));
  writeFileSync(paths().credentials, OTHERS, { mode: 0o600 });
  writeFileSync(paths().config, CONFIG, { mode: 0o600 });
  notices = [];
  sts.reset();
  sts.on(GetSessionTokenCommand).resolves(issued('FIRST'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the credentials file', () => {
  it('refuses a read-only file with one line before any code is used, and leaves it as it was', async () => {
    chmodSync(paths().credentials, 0o400);
    const error = await failure(obtainSession(request(), host()));
    expect(error).toMatchObject({ code: 'session.file-read-only', kind: 'environment' });
    expect(error.message).toBe(
      `${paths().credentials} is read-only (mode 0400): force-mfa does not replace it; make it writable (chmod 600) or write the session elsewhere`,
    );
    expect(readFileSync(paths().credentials, 'utf8')).toBe(OTHERS);
    expect(statSync(paths().credentials).mode & 0o777).toBe(0o400);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  // Each is a name the AWS CLI (botocore) and the JavaScript SDK would read differently, or not at all.
  const refused = ['my  work', 'my work', ' work-mfa', 'work-mfa ', 'a]b', 'a[b', 'profile x', '__proto__', 'a#b', 'a;b', 'a\nb', 'a"b', "a'b", ''];
  it.each(refused)('refuses the target profile name %j, before any code is used', async (name) => {
    const error = await failure(obtainSession(request({ targetProfile: name }), host()));
    expect(error).toMatchObject({ code: 'session.target-invalid', kind: 'input' });
    expect(error.message).not.toContain('\n');
    expect(readFileSync(paths().credentials, 'utf8')).toBe(OTHERS);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it.each(['work.mfa', 'alice@corp+mfa', 'team:prod/mfa', 'Work_MFA-2'])('accepts %j, which both read alike, and writes [%s]', async (name) => {
    await obtainSession(request({ targetProfile: name }), host());
    expect(readFileSync(paths().credentials, 'utf8')).toContain(`\n[${name}]\naws_access_key_id = ASIAFIRST\n`);
  });

  it.each(['[ work-mfa ]', '[work-mfa] old', '[work-mfa]#old'])('refuses to write next to the header %j that the tools read differently', async (header) => {
    const before = `${OTHERS}\n${header}\naws_session_token = x\n`;
    writeFileSync(paths().credentials, before);
    const error = await failure(obtainSession(request(), host()));
    expect(error).toMatchObject({ code: 'session.target-ambiguous', kind: 'input' });
    expect(error.message).toContain(JSON.stringify(header));
    expect(readFileSync(paths().credentials, 'utf8')).toBe(before);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it('writes into a credentials file of 160,000 lines, its target section last, keeping the rest', async () => {
    const filler = Array.from({ length: 40_000 }, (_, index) => `[f${index}]\naws_access_key_id = AKIAFILL${index}\naws_secret_access_key = s\n\n`).join('');
    const before = `${OTHERS}${filler}[work-mfa]\naws_session_token = old\n`;
    expect(before.split('\n').length).toBeGreaterThan(160_000);
    writeFileSync(paths().credentials, before);
    await obtainSession(request(), host());
    const after = readFileSync(paths().credentials, 'utf8');
    expect(after.startsWith(`${OTHERS}${filler}[work-mfa]\naws_session_token = tokenFIRST\n`)).toBe(true);
  });

  it('50 runs at once writing 50 target profiles: all 50 are in the file, every other byte is as it was', async () => {
    const targets = Array.from({ length: 50 }, (_, index) => `p${index}`);
    const outcomes = await Promise.all(targets.map((targetProfile) => obtainSession(request({ targetProfile }), host())));
    expect(outcomes.map((outcome) => outcome.targetProfile)).toEqual(targets);
    const text = readFileSync(paths().credentials, 'utf8');
    expect(text.startsWith(OTHERS)).toBe(true);
    for (const target of targets) expect(text).toContain(`\n[${target}]\naws_access_key_id = ASIAFIRST\n`);
    expect(text.match(/^\[p\d+\]$/gm)).toHaveLength(50);
    expect(notices.filter((line) => line.startsWith('wrote profile '))).toHaveLength(50);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(['cache', 'config', 'credentials']); // no lock or temporary file left
  });
});

describe('the session cache', () => {
  const planted = JSON.stringify({
    Version: 1,
    AccessKeyId: 'ASIAATTACKER',
    SecretAccessKey: 'attacker',
    SessionToken: 'attacker',
    Expiration: '2099-01-01T00:00:00Z',
    SourceAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  });

  it.each([
    ['group-writable', 0o770, /can be written by its group \(mode 0770\)/],
    ['world-writable', 0o777, /can be written by everyone \(mode 0777\)/],
    ['world-writable with the sticky bit, like /tmp', 0o1777, /can be written by everyone/],
  ])('refuses a %s cache folder and never reads the session planted in it (exit 3, one line)', async (_name, mode, message) => {
    mkdirSync(paths().cache);
    chmodSync(paths().cache, mode);
    writeFileSync(cacheFilePath(paths().cache, 'work'), planted, { mode: 0o600 });
    const error = await failure(obtainSession(request({ format: 'credential-process', code: undefined }), host()));
    expect(error).toMatchObject({ code: 'session.cache-unsafe', kind: 'environment', exitCode: 3 });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it('refuses a cache file that group or others can write, even in a private folder', async () => {
    mkdirSync(paths().cache, { mode: 0o700 });
    const file = cacheFilePath(paths().cache, 'work');
    writeFileSync(file, planted);
    chmodSync(file, 0o666);
    const error = await failure(obtainSession(request({ format: 'credential-process', code: undefined }), host()));
    expect(error).toMatchObject({ code: 'session.cache-unsafe' });
    expect(error.message).toContain(file);
  });

  it('creates a missing cache folder 0700 and its file 0600', async () => {
    await obtainSession(request({ format: 'credential-process' }), host());
    expect(statSync(paths().cache).mode & 0o777).toBe(0o700);
    expect(statSync(cacheFilePath(paths().cache, 'work')).mode & 0o777).toBe(0o600);
  });
});

describe('codes from a command, and credential_process under concurrency', () => {
  const counter = () => join(dir, 'runs');
  // Counts its runs in a file, then prints the code: a stand-in for `ykman oath accounts code --single NAME`.
  const counting = () => `sh -c 'echo run >> "$0"; printf 654321' ${counter()}`;
  const runs = () => readFileSync(counter(), 'utf8').split('\n').filter(Boolean).length;

  it('uses the code the command prints, without a terminal', async () => {
    const outcome = await obtainSession(request({ code: undefined, codeCommand: counting(), format: 'credential-process' }), host());
    expect(outcome.how).toBe('issued');
    expect(sts.commandCalls(GetSessionTokenCommand)[0]?.args[0].input).toMatchObject({ TokenCode: '654321', SerialNumber: SERIAL });
    expect(runs()).toBe(1);
    expect(notices.join('\n')).not.toContain('654321');
  });

  it('takes the command from force_mfa_code_command of the source profile in the config file', async () => {
    writeFileSync(paths().config, `${CONFIG}force_mfa_code_command = ${counting()}\n`);
    await obtainSession(request({ code: undefined, format: 'credential-process' }), host());
    expect(sts.commandCalls(GetSessionTokenCommand)[0]?.args[0].input).toMatchObject({ TokenCode: '654321' });
  });

  it('a command that prints nothing: exit 3, one line, the credentials file unchanged, nothing sent', async () => {
    const error = await failure(obtainSession(request({ code: undefined, codeCommand: 'true' }), host()));
    expect(error).toMatchObject({ code: 'session.code-command-no-code', exitCode: 3 });
    expect(error.message).not.toContain('\n');
    expect(readFileSync(paths().credentials, 'utf8')).toBe(OTHERS);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it('refuses a code and a code command together', async () => {
    expect(await failure(obtainSession(request({ codeCommand: 'true' }), host()))).toMatchObject({ code: 'session.code-and-command', kind: 'input' });
  });

  it('a config command that cannot be split names the file and the key', async () => {
    writeFileSync(paths().config, `${CONFIG}force_mfa_code_command = ykman 'oops\n`);
    const error = await failure(obtainSession(request({ code: undefined }), host()));
    expect(error.message).toBe(`force_mfa_code_command of profile 'work' in ${paths().config}: the code command has an unclosed ' quote: ykman 'oops`);
  });

  it('10 credential_process runs at once: one code command, one GetSessionToken, ten times the same session', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => obtainSession(request({ code: undefined, codeCommand: counting(), format: 'credential-process' }), host())),
    );
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
    expect(runs()).toBe(1);
    expect(outcomes.map((outcome) => outcome.how).sort()).toEqual(['issued', ...Array.from({ length: 9 }, () => 'reused')]);
    expect(new Set(outcomes.map((outcome) => outcome.session.credentials.accessKeyId))).toEqual(new Set(['ASIAFIRST']));
    expect(readdirSync(paths().cache)).toEqual([cacheFilePath(paths().cache, 'work').split('/').pop()]);
  });

  it.each([
    ['4 minutes', 240_000],
    ['14 minutes (botocore refreshes 15 minutes ahead)', 840_000],
  ])('renews ahead of expiry: a session with %s left is replaced when a code command can give a code', async (_name, leftMs) => {
    const soon = { ...issued('OLD'), Credentials: { ...issued('OLD').Credentials, Expiration: new Date(NOW.getTime() + leftMs) } };
    sts.on(GetSessionTokenCommand).resolvesOnce(soon).resolves(issued('NEW'));
    await obtainSession(request({ format: 'credential-process' }), host());
    const renewed = await obtainSession(request({ code: undefined, codeCommand: counting(), format: 'credential-process' }), host());
    expect(renewed).toMatchObject({ how: 'issued' });
    expect(renewed.session.credentials.accessKeyId).toBe('ASIANEW');
  });

  it('without a code command, a session with 14 minutes left is still reused (no code can be had)', async () => {
    const soon = { ...issued('OLD'), Credentials: { ...issued('OLD').Credentials, Expiration: new Date(NOW.getTime() + 840_000) } };
    sts.on(GetSessionTokenCommand).resolvesOnce(soon).resolves(issued('NEW'));
    await obtainSession(request({ format: 'credential-process' }), host());
    const again = await obtainSession(request({ code: undefined, format: 'credential-process' }), host());
    expect(again).toMatchObject({ how: 'reused' });
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
  });
});
