/**
 * `audit --security-hub` against moto's Security Hub: one finding per user who needs one, no duplicates on a
 * second run, a user made protected ends RESOLVED, a user who regresses comes back active, and an export of another
 * account is refused. moto 5.2.1 ignores GetFindings filters and has no BatchUpdateFindings: force-mfa filters what
 * it reads itself, and the BatchUpdateFindings path is covered with aws-sdk-client-mock (test/rollout/security-hub-sync.test.ts).
 */
import { join } from 'node:path';
import { AddUserToGroupCommand, RemoveUserFromGroupCommand } from '@aws-sdk/client-iam';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION, jsonOf, runCli } from './support/cli.js';
import { GUARD_GROUP, enableVirtualMfa, seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

const USERS = [
  { name: 'alice-protected', status: 'protected' },
  { name: 'bob-pending', status: 'pending-enrollment' },
  { name: 'carol-mfa-admin', status: 'enrolled-not-enforced' },
  { name: 'dave-unprotected', status: 'unprotected' },
  { name: 'erin-keys-only', status: 'unprotected-programmatic' },
  { name: 'frank-no-credentials', status: 'no-credentials' },
  { name: 'grace-exempt', status: 'exempt' },
] as const;
const NEEDING = ['bob-pending', 'carol-mfa-admin', 'dave-unprotected', 'erin-keys-only'];
const PRODUCT_ARN = `arn:aws:securityhub:${TEST_REGION}:${TEST_ACCOUNT}:product/${TEST_ACCOUNT}/default`;

function hub(): SecurityHubClient {
  return new SecurityHubClient({ endpoint: inject('e2eEndpoint'), region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 2 });
}

async function hubFindings(): Promise<AwsSecurityFinding[]> {
  const all: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await hub().send(new GetFindingsCommand({ MaxResults: 100, ...(token === undefined ? {} : { NextToken: token }) }));
    all.push(...(page.Findings ?? []));
    token = page.NextToken;
  } while (token !== undefined && token !== '');
  return all;
}

const userFindings = (findings: AwsSecurityFinding[]) => findings.filter((finding) => finding.GeneratorId === 'force-mfa/user-mfa');
const userOf = (finding: AwsSecurityFinding): string | undefined => finding.ProductFields?.['force-mfa/UserName'];
const byUser = (findings: AwsSecurityFinding[]) => new Map(userFindings(findings).map((finding) => [userOf(finding), finding]));
/** stderr holds only the import's result line (no progress: not a terminal). */
const resultLine = (stderr: string): string[] => stderr.trim().split('\n');

describe('audit --security-hub against moto', () => {
  let firstIds: string[] = [];

  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    for (const user of USERS) await seedUser(iam, seedForStatus(user.status, user.name));
    await hub().send(new EnableSecurityHubCommand({}));
  });

  it('imports one finding per user not protected, exempt or without credentials, plus the account findings', async () => {
    const result = await runCli(['audit', '--security-hub', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = jsonOf<{ users: { userName: string; status: string }[]; findings: unknown[] }>(result);
    expect(Object.fromEntries(report.users.map((user) => [user.userName, user.status]))).toEqual(Object.fromEntries(USERS.map((user) => [user.name, user.status])));

    const findings = await hubFindings();
    expect([...byUser(findings).keys()].sort()).toEqual([...NEEDING].sort());
    expect(findings.length).toBe(NEEDING.length + report.findings.length);
    for (const finding of findings) {
      expect(finding.ProductArn).toBe(PRODUCT_ARN);
      expect(finding.AwsAccountId).toBe(TEST_ACCOUNT);
      expect(finding.RecordState).toBe('ACTIVE');
      expect(finding.Workflow?.Status).toBe('NEW');
    }
    expect(byUser(findings).get('dave-unprotected')?.Resources?.[0]).toMatchObject({ Type: 'AwsIamUser', Id: `arn:aws:iam::${TEST_ACCOUNT}:user/dave-unprotected` });
    expect(resultLine(result.stderr)).toEqual([
      `force-mfa: Security Hub ${TEST_ACCOUNT} ${TEST_REGION}: ${findings.length} finding(s) imported (${findings.length} new), 0 resolved`,
    ]);
    firstIds = findings.map((finding) => finding.Id as string).sort();
  });

  it('updates the same findings on a second run: no duplicates', async () => {
    const result = await runCli(['audit', '--security-hub']);
    expect(result.code).toBe(0);
    const findings = await hubFindings();
    expect(findings.map((finding) => finding.Id).sort()).toEqual(firstIds);
    expect(resultLine(result.stderr)).toEqual([`force-mfa: Security Hub ${TEST_ACCOUNT} ${TEST_REGION}: ${firstIds.length} finding(s) imported (0 new), 0 resolved`]);
  });

  it('resolves the finding of a user made protected between the runs', async () => {
    const { iam } = awsClients();
    await iam.send(new AddUserToGroupCommand({ GroupName: GUARD_GROUP, UserName: 'dave-unprotected' }));
    await enableVirtualMfa(iam, 'dave-unprotected');
    const result = await runCli(['audit', '--security-hub', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(jsonOf<{ users: { userName: string; status: string }[] }>(result).users.find((user) => user.userName === 'dave-unprotected')?.status).toBe('protected');
    const findings = await hubFindings();
    expect(findings.map((finding) => finding.Id).sort()).toEqual(firstIds);
    const dave = byUser(findings).get('dave-unprotected');
    expect(dave?.Workflow?.Status).toBe('RESOLVED');
    expect(dave?.RecordState).toBe('ARCHIVED');
    expect(dave?.Compliance?.Status).toBe('PASSED');
    for (const name of NEEDING.filter((user) => user !== 'dave-unprotected')) expect(byUser(findings).get(name)?.RecordState, name).toBe('ACTIVE');
    expect(resultLine(result.stderr)).toEqual([`force-mfa: Security Hub ${TEST_ACCOUNT} ${TEST_REGION}: ${firstIds.length} finding(s) imported (0 new), 1 resolved`]);
  });

  it('brings the finding back active when the user regresses', async () => {
    const { iam } = awsClients();
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: GUARD_GROUP, UserName: 'dave-unprotected' }));
    const result = await runCli(['audit', '--security-hub']);
    expect(result.code).toBe(0);
    const dave = byUser(await hubFindings()).get('dave-unprotected');
    expect(dave?.RecordState).toBe('ACTIVE');
    expect(dave?.Workflow?.Status).toBe('NEW');
    expect(dave?.Compliance?.Status).toBe('FAILED');
    expect(dave?.ProductFields?.['force-mfa/Status']).toBe('enrolled-not-enforced');
    expect(resultLine(result.stderr)[0]).toMatch(/0 resolved, 1 active again$/);
  });

  it('keeps the audit exit code: 1 with --fail-on', async () => {
    const result = await runCli(['audit', '--security-hub', '--fail-on', 'unprotected-programmatic']);
    expect(result.code).toBe(1);
    expect(resultLine(result.stderr)).toEqual([
      expect.stringMatching(/^force-mfa: Security Hub 123456789012 us-east-1: \d+ finding\(s\) imported \(0 new\), 0 resolved$/),
      'force-mfa: 1 unprotected-programmatic (--fail-on unprotected-programmatic)',
    ]);
  });

  it('refuses to import an export of another account, and the sample, with one line and exit 2', async () => {
    const before = (await hubFindings()).length;
    const sample = join(import.meta.dirname, '../../examples/sample-account');
    const foreign = await runCli(['audit', '--from', sample, '--security-hub']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^force-mfa: the audit describes account 111122223333, but the findings were to go to account 123456789012: use credentials of account 111122223333/),
    ]);
    const bundled = await runCli(['audit', '--sample', '--security-hub']);
    expect(bundled.code).toBe(2);
    expect(bundled.stderr.trim().split('\n')).toHaveLength(1);
    expect((await hubFindings()).length).toBe(before);
  });
});
