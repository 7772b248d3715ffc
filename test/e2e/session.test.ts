/** `session` against moto: the profile it writes works for the `aws` CLI and the SDK, the file is intact, reuse. */
import { readFileSync, statSync } from 'node:fs';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { CLI_PATH, TEST_ACCOUNT, TEST_REGION, cliEnvironment, makeHome, runCli, runProcess, type E2eHome } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { seedUser, type SeededUser } from './support/seed.js';

const NO_ENV_KEYS = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } as const;
let user: SeededUser;
let home: E2eHome;
let proxy: FaultProxy;
let credentialsBefore: string;
let configBefore: string;

function sections(text: string): string[] {
  return [...text.matchAll(/^\s*\[([^\]]+)\]/gm)].map((match) => match[1] ?? '');
}

describe('session', () => {
  beforeAll(async () => {
    user = await seedUser(awsClients().iam, { name: 'sam-cli', accessKeys: 1, mfa: true });
    const [key] = user.accessKeys;
    credentialsBefore = [
      '# Shared credentials of the e2e test. This comment must survive.',
      '[work]',
      '; long-term keys of sam-cli',
      `aws_access_key_id = ${key?.accessKeyId ?? ''}`,
      `aws_secret_access_key = ${key?.secretAccessKey ?? ''}`,
      '',
      '[unrelated]   # another team\'s keys, never touched',
      'aws_access_key_id = AKIAUNRELATED0000001',
      'aws_secret_access_key = not-a-real-secret/with=odd+chars',
      '  ; an indented comment',
      'region=eu-west-1',
      '',
    ].join('\n');
    configBefore = ['# config of the e2e test', '[profile work]', `region = ${TEST_REGION}`, '', '[profile unrelated]', 'region = eu-west-1', ''].join('\n');
    home = makeHome({ credentials: credentialsBefore, config: configBefore });
    proxy = await startFaultProxy({ upstream: inject('e2eEndpoint'), rate: 0 });
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('writes the target profile with one GetSessionToken; other sections byte for byte; mode 0600', async () => {
    const result = await runCli(['session', '--profile', 'work', '--code', '123456', '--serial', user.mfaSerial ?? ''], { home, env: NO_ENV_KEYS, endpoint: proxy.endpoint });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.stats.byAction['GetSessionToken']).toBe(1);
    const after = readFileSync(home.credentialsFile, 'utf8');
    expect(after.startsWith(credentialsBefore)).toBe(true);
    expect(sections(after.slice(credentialsBefore.length))).toEqual(['work-mfa']);
    expect(statSync(home.credentialsFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(home.configFile, 'utf8').startsWith(configBefore)).toBe(true);
  });

  it("the machine's aws CLI calls STS with the written profile", async () => {
    const result = await runProcess('aws', ['--profile', 'work-mfa', 'sts', 'get-caller-identity', '--output', 'json'], cliEnvironment({ home, env: NO_ENV_KEYS }));
    expect(result.code, result.stderr).toBe(0);
    // moto does not tie session keys to their user: the call succeeding with only the profile's keys is the proof.
    expect((JSON.parse(result.stdout) as { Account: string }).Account).toBe(TEST_ACCOUNT);
    const absent = await runProcess('aws', ['--profile', 'no-such-profile', 'sts', 'get-caller-identity'], cliEnvironment({ home, env: NO_ENV_KEYS }));
    expect(absent.code).not.toBe(0);
  });

  it("the SDK's fromIni reads the written profile as session credentials that work", async () => {
    const credentials = await fromIni({ profile: 'work-mfa', filepath: home.credentialsFile, configFilepath: home.configFile })();
    expect(credentials.sessionToken).toBeTruthy();
    const sts = new STSClient({ endpoint: inject('e2eEndpoint'), region: TEST_REGION, credentials });
    expect(credentials.accessKeyId).not.toBe(user.accessKeys[0]?.accessKeyId);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(TEST_ACCOUNT);
  });

  it('a second run while the session is valid makes no STS call and leaves the file as it was', async () => {
    const before = readFileSync(home.credentialsFile, 'utf8');
    const calls = proxy.stats.byAction['GetSessionToken'];
    const result = await runCli(['session', '--profile', 'work', '--serial', user.mfaSerial ?? ''], { home, env: NO_ENV_KEYS, endpoint: proxy.endpoint });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.stats.byAction['GetSessionToken']).toBe(calls);
    expect(readFileSync(home.credentialsFile, 'utf8')).toBe(before);
  });

  it('--format credential-process prints Version 1 credentials with an Expiration in the future', async () => {
    const result = await runCli(['session', '--profile', 'work', '--serial', user.mfaSerial ?? '', '--code', '123456', '--format', 'credential-process'], { home, env: NO_ENV_KEYS });
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { Version: number; AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
    expect(answer.Version).toBe(1);
    expect(answer.SessionToken).toBeTruthy();
    expect(Date.parse(answer.Expiration)).toBeGreaterThan(Date.now());
  });

  it('a credential_process profile works for the SDK and the aws CLI', async () => {
    const env = cliEnvironment({ home, env: NO_ENV_KEYS });
    const prefix = ['AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'HOME'].map((name) => `${name}='${env[name] ?? ''}'`).join(' ');
    const command = `env ${prefix} '${process.execPath}' '${CLI_PATH}' session --profile work --serial ${user.mfaSerial ?? ''} --format credential-process`;
    const consumer = makeHome({ config: `[profile via-process]\nregion = ${TEST_REGION}\ncredential_process = ${command}\n` });
    const credentials = await fromIni({ profile: 'via-process', filepath: consumer.credentialsFile, configFilepath: consumer.configFile })();
    expect(credentials.sessionToken).toBeTruthy();
    const viaCli = await runProcess('aws', ['--profile', 'via-process', 'sts', 'get-caller-identity', '--output', 'json'], cliEnvironment({ home: consumer, env: NO_ENV_KEYS }));
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect((JSON.parse(viaCli.stdout) as { Account: string }).Account).toBe(TEST_ACCOUNT);
  });

  it('a source profile that does not exist is one line and exit 2, and the credentials file keeps its bytes', async () => {
    const before = readFileSync(home.credentialsFile, 'utf8');
    const result = await runCli(['session', '--profile', 'no-such-profile', '--code', '123456', '--serial', user.mfaSerial ?? ''], { home, env: NO_ENV_KEYS });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(home.credentialsFile, 'utf8')).toBe(before);
  });
});
