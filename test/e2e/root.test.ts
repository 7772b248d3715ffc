/** The root user against moto: the single-account audit's root state, and each member account's in `audit --org`. */
import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand } from '@aws-sdk/client-organizations';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { TEST_ACCOUNT, jsonOf, runCli } from './support/cli.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

const { iam, organizations } = awsClients();
const members: string[] = [];

async function createMemberAccount(index: number): Promise<string> {
  const request = await organizations.send(new CreateAccountCommand({ AccountName: `root-member-${index}`, Email: `root-member-${index}@example.com` }));
  for (let poll = 0; poll < 60; poll += 1) {
    const status = (await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus?.Id }))).CreateAccountStatus;
    if (status?.State === 'SUCCEEDED' && status.AccountId !== undefined) return status.AccountId;
    if (status?.State === 'FAILED') throw new Error(`CreateAccount ${index} failed: ${status.FailureReason ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`CreateAccount ${index} did not finish`);
}

interface Root {
  arn: string | null;
  mfaEnabled: boolean | null;
  mfaDevice: string | null;
  passwordPresent: boolean | null;
  accessKeysPresent: boolean | null;
  sources: string[];
  missing: { fact: string; cause: string; detail: string | null }[];
}

beforeAll(async () => {
  await seedGuardGroup(iam);
  await seedUser(iam, seedForStatus('protected', 'alice'));
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (const index of [1, 2]) members.push(await createMemberAccount(index));
});

describe('the root user', () => {
  it('audit --format json holds the root user\'s MFA state from GetAccountSummary', async () => {
    const result = await runCli(['audit', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const root = jsonOf<{ root: Root }>(result).root;
    // moto 5.2.1: GetAccountSummary says AccountMFAEnabled 0 and AccountAccessKeysPresent 0, and has no
    // AccountPasswordPresent; its credential report has no <root_account> row.
    expect(root).toMatchObject({ arn: `arn:aws:iam::${TEST_ACCOUNT}:root`, mfaEnabled: false, mfaDevice: null, passwordPresent: null, accessKeysPresent: false });
    expect(root.sources).toContain('account-summary');
    expect(root.missing).toContainEqual(expect.objectContaining({ fact: 'root' }));
    expect(jsonOf<{ findings: { code: string }[] }>(result).findings.map((finding) => finding.code)).toContain('root-without-mfa');
  });

  it('the table shows the root user on one line', async () => {
    const result = await runCli(['audit']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Root user: MFA: no; password: unknown; access keys: no');
  });

  it('audit --org reports each member account\'s root state, or unknown with the reason (a role it cannot assume)', async () => {
    const locked = members[1] ?? '';
    // The second member's role cannot be assumed: AWS would answer AccessDenied.
    const proxy = await startFaultProxy({
      upstream: inject('e2eEndpoint'),
      rate: 0,
      forge: (action, body, response) => {
        if (action !== 'AssumeRole' || !decodeURIComponent(body).includes(`arn:aws:iam::${locked}:role/`)) return false;
        response.writeHead(403, { 'content-type': 'text/xml' });
        response.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on ${locked}</Message></Error><RequestId>e2e</RequestId></ErrorResponse>`,
        );
        return true;
      },
    });
    try {
      const result = await runCli(['audit', '--org', '--format', 'json'], { endpoint: proxy.endpoint });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^force-mfa: 1 of 3 account\\(s\\) not audited.*${locked}`))]);
      const report = jsonOf<{
        accounts: { id: string; status: string; root: { verdict: string; reason: string | null; mfaEnabled: boolean | null } }[];
        organization: { centralizedRootAccess: { rootCredentialsManagement: boolean | null; reason: string | null } };
        findings: { code: string; accountId: string; params: { accounts?: { id: string; reason: string }[] } }[];
      }>(result);
      const roots = Object.fromEntries(report.accounts.map((account) => [account.id, account.root]));
      // Audited accounts: no MFA (AccountMFAEnabled 0), but whether a password exists moto does not say: unknown.
      for (const id of [TEST_ACCOUNT, members[0] ?? '']) {
        expect(roots[id]).toMatchObject({ verdict: 'unknown', mfaEnabled: false });
        expect(roots[id]?.reason).toMatch(/no MFA and whether it has a password is unknown/);
      }
      expect(roots[locked]).toMatchObject({ verdict: 'unknown', mfaEnabled: null });
      expect(roots[locked]?.reason).toMatch(/^account not audited: cannot assume role .*AccessDenied/);
      // moto has no iam:ListOrganizationsFeatures: centralized root access is unknown, with the reason.
      expect(report.organization.centralizedRootAccess.rootCredentialsManagement).toBeNull();
      expect(report.organization.centralizedRootAccess.reason).toMatch(/ListOrganizationsFeatures failed/);
      const unknown = report.findings.find((finding) => finding.code === 'org-root-unknown');
      expect(unknown?.params.accounts?.map((account) => account.id).sort()).toEqual([TEST_ACCOUNT, ...members].sort());
    } finally {
      await proxy.stop();
    }
  });
});
