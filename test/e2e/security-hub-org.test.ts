/**
 * `audit --org --security-hub` against moto: each account's findings go into that account's hub with the member's
 * assumed-role credentials; an account whose hub refuses is reported in one line and the others go on (exit 3).
 */
import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand } from '@aws-sdk/client-organizations';
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients, clientsInAccount, type TestCredentials } from './support/aws.js';
import { TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION, runCli } from './support/cli.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

const { organizations } = awsClients();
const members: string[] = [];
const credentials = new Map<string, TestCredentials>();

async function createMemberAccount(index: number): Promise<string> {
  const request = await organizations.send(new CreateAccountCommand({ AccountName: `hub-member-${index}`, Email: `hub-member-${index}@example.com` }));
  const id = request.CreateAccountStatus?.Id;
  for (let poll = 0; poll < 60; poll += 1) {
    const status = (await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: id }))).CreateAccountStatus;
    if (status?.State === 'SUCCEEDED' && status.AccountId !== undefined) return status.AccountId;
    if (status?.State === 'FAILED') throw new Error(`CreateAccount ${index} failed: ${status.FailureReason ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`CreateAccount ${index} did not finish`);
}

async function findingsOf(account: string): Promise<AwsSecurityFinding[]> {
  const hub = new SecurityHubClient({ endpoint: inject('e2eEndpoint'), region: TEST_REGION, credentials: credentials.get(account) ?? TEST_CREDENTIALS });
  return ((await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? []).filter((finding) => finding.GeneratorId === 'force-mfa/user-mfa');
}
const usersOf = (findings: AwsSecurityFinding[]) => findings.map((finding) => finding.ProductFields?.['force-mfa/UserName']).sort();

describe('audit --org --security-hub', () => {
  beforeAll(async () => {
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const index of [1, 2]) members.push(await createMemberAccount(index));
    for (const [position, account] of members.entries()) {
      const clients = await clientsInAccount(account);
      credentials.set(account, clients.credentials);
      await seedGuardGroup(clients.iam);
      await seedUser(clients.iam, seedForStatus('protected', 'm-alice'));
      await seedUser(clients.iam, seedForStatus('unprotected', `m-bob-${position + 1}`));
    }
    await seedUser(awsClients().iam, seedForStatus('unprotected', 'mgmt-dave'));
  });

  it('imports each account\'s findings into that account, labelled with it', async () => {
    const result = await runCli(['audit', '--org', '--security-hub', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n').sort();
    expect(lines).toHaveLength(3);
    for (const account of [TEST_ACCOUNT, ...members]) {
      expect(lines.some((line) => line.startsWith(`force-mfa: Security Hub ${account} ${TEST_REGION}: `)), account).toBe(true);
    }
    expect(usersOf(await findingsOf(TEST_ACCOUNT))).toEqual(['mgmt-dave']);
    for (const [position, account] of members.entries()) {
      const findings = await findingsOf(account);
      expect(usersOf(findings)).toEqual([`m-bob-${position + 1}`]);
      for (const finding of findings) {
        expect(finding.AwsAccountId).toBe(account);
        expect(finding.ProductArn).toBe(`arn:aws:securityhub:${TEST_REGION}:${account}:product/${account}/default`);
      }
    }
  });

  it('--org --format asff writes every audited account\'s findings, each labelled with its account', async () => {
    const result = await runCli(['audit', '--org', '--format', 'asff']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const users = (JSON.parse(result.stdout) as { Findings: AwsSecurityFinding[] }).Findings.filter((finding) => finding.GeneratorId === 'force-mfa/user-mfa');
    expect(users.map((finding) => `${finding.AwsAccountId}/${finding.ProductFields?.['force-mfa/UserName']}`).sort()).toEqual(
      [`${TEST_ACCOUNT}/mgmt-dave`, ...members.map((account, position) => `${account}/m-bob-${position + 1}`)].sort(),
    );
    for (const finding of users) expect(finding.Resources?.[0]?.Id?.split(':')[4]).toBe(finding.AwsAccountId);
  });

  it('reports an account whose hub refuses, goes on with the others, and exits 3', async () => {
    const refused = members[1] as string;
    const proxy = await startFaultProxy({
      upstream: inject('e2eEndpoint'),
      rate: 0,
      forge: (_action, body, response) => {
        if (!body.includes('"AwsAccountId"') || !body.includes(refused)) return false;
        const text = JSON.stringify({ message: 'not authorized to perform securityhub:GetFindings' });
        response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException', 'content-length': String(text.length) });
        response.end(text);
        return true;
      },
    });
    try {
      const result = await runCli(['audit', '--org', '--security-hub'], { endpoint: proxy.endpoint });
      expect(result.code).toBe(3);
      const lines = result.stderr.trim().split('\n');
      expect(lines.filter((line) => line.includes(`Security Hub ${refused}`))).toEqual([
        `force-mfa: Security Hub ${refused}: not imported: AWS denied securityhub:GetFindings in account ${refused}, region ${TEST_REGION}: the import needs securityhub:GetFindings, securityhub:BatchImportFindings and securityhub:BatchUpdateFindings`,
      ]);
      expect(lines.filter((line) => /: \d+ finding\(s\) imported \(0 new\), 0 resolved$/.test(line))).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
  });

  it('says an account that could not be audited was not imported into its hub, and exits 3', async () => {
    const lost = members[0] as string;
    const proxy = await startFaultProxy({
      upstream: inject('e2eEndpoint'),
      rate: 0,
      forge: (action, body, response) => {
        if (action !== 'AssumeRole' || !decodeURIComponent(body).includes(`:${lost}:`)) return false;
        const text = `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error></ErrorResponse>`;
        response.writeHead(403, { 'content-type': 'text/xml', 'content-length': String(text.length) });
        response.end(text);
        return true;
      },
    });
    try {
      const result = await runCli(['audit', '--org', '--security-hub'], { endpoint: proxy.endpoint });
      const lines = result.stderr.trim().split('\n');
      expect(lines.filter((line) => line.startsWith(`force-mfa: Security Hub ${lost}:`)), result.stderr).toEqual([
        expect.stringMatching(new RegExp(`^force-mfa: Security Hub ${lost}: not imported: the account could not be audited \\(.+\\)$`)),
      ]);
      expect(result.code).toBe(3);
    } finally {
      await proxy.stop();
    }
  });
});
