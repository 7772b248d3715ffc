/**
 * `session` under load against moto: codes from a command, the machine's `aws` CLI running force-mfa through
 * credential_process ten times at once (GetSessionToken counted at a loopback proxy), 50 writers of one credentials
 * file, and a code command that prints nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { CLI_PATH, TEST_ACCOUNT, TEST_REGION, cliEnvironment, makeHome, runCli, runProcess, type E2eHome } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { seedUser, type SeededUser } from './support/seed.js';

const NO_ENV_KEYS = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } as const;
let user: SeededUser;
let proxy: FaultProxy;

function credentialsOf(sourceKey: { accessKeyId: string; secretAccessKey: string } | undefined): string {
  return [
    '# e2e: this comment and the sections around the written ones must keep their bytes',
    '[work]',
    `aws_access_key_id = ${sourceKey?.accessKeyId ?? ''}`,
    `aws_secret_access_key = ${sourceKey?.secretAccessKey ?? ''}`,
    '',
    '[unrelated]   ; odd spacing',
    'aws_access_key_id=AKIAUNRELATED0000001',
    'aws_secret_access_key =not-a-real-secret/with=odd+chars',
    '',
  ].join('\n');
}

const calls = (action: string): number => proxy.stats.byAction[action] ?? 0;
const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

beforeAll(async () => {
  user = await seedUser(awsClients().iam, { name: 'yuki-cli', accessKeys: 1, mfa: true });
  proxy = await startFaultProxy({ upstream: inject('e2eEndpoint'), rate: 0 });
});

afterAll(async () => {
  await proxy.stop();
});

describe('session --code-command', () => {
  it('writes the MFA profile with the code `printf 123456` prints, and the aws CLI can use it', async () => {
    const home = makeHome({ credentials: credentialsOf(user.accessKeys[0]), config: `[profile work]\nregion = ${TEST_REGION}\n` });
    const before = calls('GetSessionToken');
    const result = await runCli(['session', '--profile', 'work', '--serial', user.mfaSerial ?? '', '--code-command', 'printf 123456'], {
      home,
      env: NO_ENV_KEYS,
      endpoint: proxy.endpoint,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('123456');
    expect(calls('GetSessionToken') - before).toBe(1);
    expect(readFileSync(home.credentialsFile, 'utf8')).toMatch(/\n\[work-mfa\]\naws_access_key_id = \S+\naws_secret_access_key = \S+\naws_session_token = \S+\n/);
    const viaCli = await runProcess('aws', ['--profile', 'work-mfa', 'sts', 'get-caller-identity', '--output', 'json'], cliEnvironment({ home, env: NO_ENV_KEYS }));
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect((JSON.parse(viaCli.stdout) as { Account: string }).Account).toBe(TEST_ACCOUNT);
  });

  it('a code command that prints nothing is exit 3 with one line, and the credentials file keeps its bytes', async () => {
    const credentials = credentialsOf(user.accessKeys[0]);
    const home = makeHome({ credentials, config: `[profile work]\nregion = ${TEST_REGION}\n` });
    const before = calls('GetSessionToken');
    const result = await runCli(['session', '--profile', 'work', '--serial', user.mfaSerial ?? '', '--code-command', 'true'], { home, env: NO_ENV_KEYS, endpoint: proxy.endpoint });
    expect(result.code).toBe(3);
    expect(lines(result.stderr)).toEqual(["force-mfa: the MFA code command 'true' printed no six-digit code (its output was empty): it must print the code as its last line (or last word)"]);
    expect(result.stdout).toBe('');
    expect(readFileSync(home.credentialsFile, 'utf8')).toBe(credentials);
    expect(calls('GetSessionToken')).toBe(before);
  });
});

describe('credential_process with force_mfa_code_command, ten aws CLI calls at once', () => {
  let home: E2eHome;
  let runs: string;

  beforeAll(() => {
    home = makeHome({ credentials: credentialsOf(user.accessKeys[0]) });
    runs = join(home.dir, 'code-command-runs');
    // The code command counts its runs in a file: a stand-in for `ykman oath accounts code --single NAME`.
    const config = [
      '[profile work]',
      `region = ${TEST_REGION}`,
      `mfa_serial = ${user.mfaSerial ?? ''}`,
      `force_mfa_code_command = sh -c 'echo run >> "$0"; printf 123456' ${runs}`,
      '',
      '[profile work-auto]',
      `region = ${TEST_REGION}`,
      `credential_process = '${process.execPath}' '${CLI_PATH}' session --profile work --format credential-process`,
      '',
    ].join('\n');
    expectNoCommentMarkers(config);
    writeConfig(home, config);
  });

  const callerIdentity = () =>
    runProcess('aws', ['--profile', 'work-auto', 'sts', 'get-caller-identity', '--output', 'json'], cliEnvironment({ home, env: NO_ENV_KEYS, endpoint: proxy.endpoint }));

  it('all ten succeed with exactly one GetSessionToken and one run of the code command', async () => {
    const before = calls('GetSessionToken');
    const results = await Promise.all(Array.from({ length: 10 }, callerIdentity));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { Account: string }).Account).toBe(TEST_ACCOUNT);
    }
    expect(calls('GetSessionToken') - before).toBe(1);
    expect(lines(readFileSync(runs, 'utf8'))).toHaveLength(1);
  });

  it('ten more with the session cached make no GetSessionToken and run no code command', async () => {
    const before = calls('GetSessionToken');
    const results = await Promise.all(Array.from({ length: 10 }, callerIdentity));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect(calls('GetSessionToken')).toBe(before);
    expect(lines(readFileSync(runs, 'utf8'))).toHaveLength(1);
  });
});

describe('50 session runs at once', () => {
  it('writing 50 target profiles leaves all 50 in the file and every other byte as it was', async () => {
    const credentials = credentialsOf(user.accessKeys[0]);
    const home = makeHome({ credentials, config: `[profile work]\nregion = ${TEST_REGION}\nmfa_serial = ${user.mfaSerial ?? ''}\n` });
    const targets = Array.from({ length: 50 }, (_, index) => `p${index}`);
    const results = await Promise.all(
      targets.map((target) =>
        runCli(['session', '--profile', 'work', '--target-profile', target, '--code-command', 'printf 123456'], { home, env: NO_ENV_KEYS, endpoint: proxy.endpoint }),
      ),
    );
    for (const [index, result] of results.entries()) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`profile p${index} holds an MFA session until`);
    }
    const after = readFileSync(home.credentialsFile, 'utf8');
    expect(after.startsWith(credentials)).toBe(true);
    const written = [...after.slice(credentials.length).matchAll(/^\[([^\]]+)\]$/gm)].map((match) => match[1]);
    expect(written.sort()).toEqual([...targets].sort());
    // Every section holds the same complete session (one GetSessionToken, then the cache).
    for (const target of targets) expect(after).toMatch(new RegExp(`\\n\\[${target}\\]\\naws_access_key_id = \\S+\\naws_secret_access_key = \\S+\\naws_session_token = \\S+\\n`));
    // The config file: [profile work] first, as it was; each target got its region, once.
    const config = readFileSync(home.configFile, 'utf8');
    expect(config.startsWith(`[profile work]\nregion = ${TEST_REGION}\nmfa_serial = ${user.mfaSerial ?? ''}\n`)).toBe(true);
    for (const target of targets) expect(config.split(`[profile ${target}]\n`)).toHaveLength(2);
  });
});

describe('a run killed while it holds the session lock', () => {
  it('leaves a lock that the next run breaks: it gets its session, exit 0', async () => {
    const home = makeHome({ credentials: credentialsOf(user.accessKeys[0]), config: `[profile work]\nregion = ${TEST_REGION}\nmfa_serial = ${user.mfaSerial ?? ''}\n` });
    const cache = join(home.dir, '.force-mfa', 'cache');
    // The first run waits on its code command (holding the lock) and is killed there, as by a closed terminal.
    const child = spawn(process.execPath, [CLI_PATH, 'session', '--profile', 'work', '--format', 'credential-process', '--code-command', 'sleep 15'], {
      env: cliEnvironment({ home, env: NO_ENV_KEYS, endpoint: proxy.endpoint }),
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const lockSeen = await waitFor(() => existsSync(cache) && readdirSync(cache).some((name) => name.endsWith('.lock')));
    expect(lockSeen).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(cache).filter((name) => name.endsWith('.lock'))).toHaveLength(1); // left behind

    const result = await runCli(['session', '--profile', 'work', '--format', 'credential-process', '--code-command', 'printf 123456'], { home, env: NO_ENV_KEYS, endpoint: proxy.endpoint });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { Version: number }).Version).toBe(1);
    expect(readdirSync(cache).filter((name) => name.includes('.lock'))).toEqual([]);
  });
});

/** Polls a condition (a child's progress seen through the file system) for up to 60 s; no timing is asserted. */
async function waitFor(condition: () => boolean): Promise<boolean> {
  for (let tries = 0; tries < 600; tries += 1) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function writeConfig(home: E2eHome, text: string): void {
  // makeHome wrote an empty config with mode 0600; replace its content, keep the file.
  writeFileSync(home.configFile, text);
}

/** A ` #` or ` ;` in a config value would be cut there by the SDKs: the test's own config must not hold one. */
function expectNoCommentMarkers(config: string): void {
  expect(config).not.toMatch(/\s[#;]/);
}
