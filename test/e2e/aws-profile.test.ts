/** `--profile NAME` is the AWS named profile: credentials, region and endpoint_url come from ~/.aws/config alone. */
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, makeHome, runCli, TEST_CREDENTIALS } from './support/cli.js';
import { seedGuardGroup, seedUser, seedForStatus } from './support/seed.js';

/** No AWS_* variable at all: whatever reaches moto was read from the profile. */
const NO_AWS_ENV = {
  AWS_CONFIG_FILE: undefined,
  AWS_SHARED_CREDENTIALS_FILE: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_PAGER: undefined,
  AWS_EC2_METADATA_DISABLED: undefined,
} as const;

function motoProfileHome(): ReturnType<typeof makeHome> {
  return makeHome({
    config: [
      '[profile moto]',
      'region = us-east-1',
      `endpoint_url = ${inject('e2eEndpoint')}`,
      `aws_access_key_id = ${TEST_CREDENTIALS.accessKeyId}`,
      `aws_secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}`,
      '',
    ].join('\n'),
  });
}

describe('--profile names an AWS profile', () => {
  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, seedForStatus('unprotected', 'dave-from-profile', '/'));
  });

  it('audit --profile moto --format json reads the account through the profile only', async () => {
    const home = motoProfileHome();
    const result = await runCli(['audit', '--profile', 'moto', '--format', 'json'], { home, env: { ...NO_AWS_ENV } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = jsonOf<{ users: { userName: string; status: string }[] }>(result);
    expect(report.users.find((user) => user.userName === 'dave-from-profile')?.status).toBe('unprotected');
  });

  it('without --profile the same home has no credentials: the profile is what made the audit work', async () => {
    const result = await runCli(['audit', '--format', 'json'], { home: motoProfileHome(), env: { ...NO_AWS_ENV } });
    expect(result.code).toBe(3);
  });

  it('a profile that does not exist is a name the user gave wrong: exit 2, one line with the profiles found', async () => {
    const result = await runCli(['audit', '--profile', 'nosuch', '--format', 'json'], { home: motoProfileHome(), env: { ...NO_AWS_ENV } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^force-mfa: --profile nosuch: no such profile in .*; profiles found: moto$/m);
  });

  it('--profile seed is refused with one line naming --guard', async () => {
    const result = await runCli(['deploy', '--profile', 'seed'], { home: motoProfileHome(), env: { ...NO_AWS_ENV } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--guard seed/);
  });
});
