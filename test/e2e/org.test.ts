/** `audit --org` over member accounts through AssumeRole, and the requests `deploy --org` makes, against moto. */
import { readFileSync } from 'node:fs';
import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, ListRootsCommand } from '@aws-sdk/client-organizations';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients, clientsInAccount } from './support/aws.js';
import { TEST_ACCOUNT, TEST_REGION, runCli, scratchPath } from './support/cli.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

const { organizations } = awsClients();
const members: string[] = [];
const expected = new Map<string, string>();

async function createMemberAccount(index: number): Promise<string> {
  const request = await organizations.send(new CreateAccountCommand({ AccountName: `e2e-member-${index}`, Email: `member-${index}@example.com` }));
  const id = request.CreateAccountStatus?.Id;
  for (let poll = 0; poll < 60; poll += 1) {
    const status = (await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: id }))).CreateAccountStatus;
    if (status?.State === 'SUCCEEDED' && status.AccountId !== undefined) return status.AccountId;
    if (status?.State === 'FAILED') throw new Error(`CreateAccount ${index} failed: ${status.FailureReason ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`CreateAccount ${index} did not finish`);
}

describe('organization', () => {
  beforeAll(async () => {
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const index of [1, 2]) members.push(await createMemberAccount(index));
    const perAccount = [
      ['m-alice', 'protected'],
      ['m-bob', 'unprotected'],
      ['m-carol', 'unprotected-programmatic'],
    ] as const;
    for (const [position, account] of members.entries()) {
      const { iam } = await clientsInAccount(account);
      await seedGuardGroup(iam);
      for (const [name, status] of perAccount) {
        await seedUser(iam, seedForStatus(status, name));
        expected.set(`${account}/${name}`, status);
      }
      const own = position === 0 ? (['only-in-1', 'pending-enrollment'] as const) : (['only-in-2', 'exempt'] as const);
      await seedUser(iam, seedForStatus(own[1], own[0]));
      expected.set(`${account}/${own[0]}`, own[1]);
    }
    const { iam } = awsClients();
    await seedUser(iam, seedForStatus('unprotected', 'mgmt-dave'));
    expected.set(`${TEST_ACCOUNT}/mgmt-dave`, 'unprotected');
  });

  it('audit --org reports every user of every account with its accountId and the right status', async () => {
    const output = scratchPath('org.json');
    const result = await runCli(['audit', '--org', '--format', 'json', '--output', output]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(output, 'utf8')) as { users: { accountId: string; userName: string; status: string }[] };
    const got = new Map(report.users.map((user) => [`${user.accountId}/${user.userName}`, user.status]));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
  });

  it('audit --org --accounts audits only the chosen account', async () => {
    const result = await runCli(['audit', '--org', '--accounts', members[1] ?? '', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const accounts = new Set((JSON.parse(result.stdout) as { users: { accountId: string }[] }).users.map((user) => user.accountId));
    expect([...accounts]).toEqual([members[1]]);
  });

  it('deploy --org asks CloudFormation for a service-managed stack set and instances for the root in the region', async () => {
    const bodies: string[] = [];
    const proxy = await startFaultProxy({
      upstream: inject('e2eEndpoint'),
      rate: 0,
      forge: (action, body) => {
        if (action === 'CreateStackSet' || action === 'CreateStackInstances') bodies.push(body);
        return false;
      },
    });
    try {
      const root = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
      const result = await runCli(['deploy', '--org', '--yes'], { endpoint: proxy.endpoint, timeoutMs: 150_000 });
      expect(result.timedOut).toBe(false);
      const createSet = new URLSearchParams(bodies.find((body) => body.includes('Action=CreateStackSet')) ?? '');
      expect(createSet.get('PermissionModel')).toBe('SERVICE_MANAGED');
      expect(createSet.get('AutoDeployment.Enabled')).toBe('true');
      const instances = new URLSearchParams(bodies.find((body) => body.includes('Action=CreateStackInstances')) ?? '');
      expect(instances.get('DeploymentTargets.OrganizationalUnitIds.member.1')).toBe(root);
      expect(instances.get('Regions.member.1')).toBe(TEST_REGION);
      // moto cannot model AWS::IAM::Group outputs in stack instances: a failure there must be one line, exit 3.
      if (result.code !== 0) {
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('force-mfa:'))).toHaveLength(1);
      }
    } finally {
      await proxy.stop();
    }
  });
});
