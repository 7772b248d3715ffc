/** `audit --org --format json` against an AWS-compatible endpoint (AWS_ENDPOINT_URL): Organizations, STS and IAM. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgAuditAction } from '../../src/cli/commands/org-audit.js';
import { buildGuard } from '../../src/policy/guard.js';
import { captureRun } from '../support/capture-output.js';
import { useFakeAwsEnvironment } from '../support/fake-aws-environment.js';
import { startFakeOrgServer, type FakeOrgServer } from './fake-org-server.js';

const MANAGEMENT = '111111111111';
const GUARD = buildGuard().document;
const GROUPS = { ForceMfaAccess: GUARD };
const mfa = (account: string, user: string): string[] => [`arn:aws:iam::${account}:mfa/${user}`];

/** account/user → the status the audit must give. */
const EXPECTED: Record<string, string> = {
  [`${MANAGEMENT}/admin`]: 'protected',
  '222222222222/alice': 'protected',
  '222222222222/bob': 'pending-enrollment',
  '222222222222/carol': 'unprotected',
  '222222222222/dave': 'unprotected-programmatic',
  '333333333333/erin': 'no-credentials',
  '333333333333/frank': 'enrolled-not-enforced',
  '333333333333/gina': 'unknown',
  '444444444444/hank': 'pending-enrollment',
  '444444444444/ivy': 'protected',
  // Same name as in 222222222222, other account, other status.
  '444444444444/alice': 'unprotected',
};

let server: FakeOrgServer;
let restore: () => void;

beforeAll(async () => {
  server = await startFakeOrgServer({
    id: 'o-exampleorg1',
    managementAccountId: MANAGEMENT,
    callerAccessKeyId: 'AKIAMANAGEMENTCALLER',
    accounts: [
      { id: MANAGEMENT, name: 'management', users: [{ userName: 'admin', password: true, mfaSerials: mfa(MANAGEMENT, 'admin'), groups: ['ForceMfaAccess'] }], groups: GROUPS },
      {
        id: '222222222222',
        name: 'prod',
        groups: GROUPS,
        users: [
          { userName: 'alice', password: true, mfaSerials: mfa('222222222222', 'alice'), groups: ['ForceMfaAccess'] },
          { userName: 'bob', password: true, groups: ['ForceMfaAccess'] },
          { userName: 'carol', password: true },
          { userName: 'dave', activeKeys: 2 },
        ],
      },
      {
        id: '333333333333',
        name: 'dev',
        groups: GROUPS,
        users: [
          { userName: 'erin' },
          { userName: 'frank', password: true, mfaSerials: mfa('333333333333', 'frank') },
          // In a group the data does not have: its policies are unknown, so is the user.
          { userName: 'gina', password: true, groups: ['Ghost'] },
        ],
      },
      {
        id: '444444444444',
        name: 'sandbox',
        groups: GROUPS,
        users: [
          { userName: 'hank', activeKeys: 1, groups: ['ForceMfaAccess'] },
          // Created after the credential report: every fact comes from live calls.
          { userName: 'ivy', password: true, mfaSerials: mfa('444444444444', 'ivy'), groups: ['ForceMfaAccess'], afterReport: true },
          { userName: 'alice', password: true },
        ],
      },
      { id: '555555555555', name: 'locked', groups: GROUPS, users: [{ userName: 'zed', password: true }], denyAssumeRole: true },
      { id: '666666666666', name: 'closing', state: 'SUSPENDED', groups: GROUPS, users: [{ userName: 'old', password: true }] },
    ],
  });
  restore = useFakeAwsEnvironment(server.endpoint, { AWS_ACCESS_KEY_ID: 'AKIAMANAGEMENTCALLER' });
});

afterAll(async () => {
  restore();
  await server.close();
});

async function capture(run: () => Promise<unknown>): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const { stdout, stderr, exitCode } = await captureRun(run);
  return { stdout, stderr, exitCode: exitCode ?? 0 };
}

describe('audit --org against an AWS-compatible endpoint', () => {
  it('reports every user of every account with its account id and the right status', async () => {
    const result = await capture(() => orgAuditAction({ org: true, format: 'json', concurrency: '3' }, []));
    const json = JSON.parse(result.stdout) as {
      accounts: { id: string; name: string; status: string; reason: string | null; summary: { users: number } | null; management: boolean }[];
      users: { accountId: string; userName: string; status: string }[];
      organization: { id: string; accountsFailed: number; skipped: { id: string }[] };
    };
    expect(Object.fromEntries(json.users.map((user) => [`${user.accountId}/${user.userName}`, user.status]))).toEqual(EXPECTED);
    expect(json.users).toHaveLength(Object.keys(EXPECTED).length);
    expect(json.accounts.map((account) => [account.id, account.status, account.management])).toEqual([
      [MANAGEMENT, 'ok', true],
      ['222222222222', 'ok', false],
      ['333333333333', 'ok', false],
      ['444444444444', 'ok', false],
      ['555555555555', 'failed', false],
    ]);
    const locked = json.accounts[4];
    expect(locked?.reason).toMatch(/^cannot assume role arn:aws:iam::555555555555:role\/OrganizationAccountAccessRole in account 555555555555: AccessDenied: /);
    expect(locked?.summary).toBeNull();
    expect(json.organization).toMatchObject({ id: 'o-exampleorg1', accountsFailed: 1, skipped: [{ id: '666666666666' }] });
    expect(result.stderr).toContain('1 of 5 account(s) not audited, their users are unknown: 555555555555');
    expect(result.exitCode).toBe(0);

    // Roles were assumed with the audit's session name, never in the caller's own account or a suspended one.
    const assumed = server.calls.filter((call) => call.startsWith('sts:AssumeRole'));
    expect(assumed.map((call) => call.split(' ')[2]?.split(':')[4]).sort()).toEqual(['222222222222', '333333333333', '444444444444', '555555555555']);
    expect(assumed.every((call) => call.endsWith(' force-mfa-audit'))).toBe(true);
    // Each member's IAM was read with that member's credentials; every ListAccounts page was read.
    expect(server.calls).toContain('iam:GetAccountAuthorizationDetails 333333333333');
    expect(server.calls).not.toContain('iam:GetAccountAuthorizationDetails 555555555555');
    expect(server.calls).toContain('iam:GetLoginProfile 444444444444');
    expect(server.calls.filter((call) => call.startsWith('organizations:ListAccounts'))).toHaveLength(3);
  });

  it('checks every account against the same catalogue and --allow-without-mfa list', async () => {
    const result = await capture(() => orgAuditAction({ org: true, format: 'json', concurrency: '3', allowWithoutMfa: ['dynamodb:Describe*'] }, []));
    const json = JSON.parse(result.stdout) as { options: { allowWithoutMfa: string[] }; users: { accountId: string; userName: string; status: string }[] };
    expect(json.options.allowWithoutMfa).toEqual(['dynamodb:Describe*']);
    // Without the catalogue the guard could not be proven: these would be unknown.
    expect(json.users.find((user) => user.accountId === '444444444444' && user.userName === 'ivy')?.status).toBe('protected');
    // A pattern that is no action is refused once, before any account is audited.
    const refused: unknown = await orgAuditAction({ org: true, format: 'json', allowWithoutMfa: ['*'] }, []).catch((error: unknown) => error);
    expect((refused as { exitCode?: number }).exitCode).toBe(2);
  });

  it('exits 1 with --fail-on unknown when an account could not be audited', async () => {
    const result = await capture(() => orgAuditAction({ org: true, format: 'csv', accounts: ['222222222222', '555555555555'] }, ['unknown']));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('1 account(s) with unknown users');
    const lines = result.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^account_id,account_name,user_name,/);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      '222222222222,prod,alice',
      '222222222222,prod,bob',
      '222222222222,prod,carol',
      '222222222222,prod,dave',
    ]);
  });
});

describe('deploy --org against an AWS-compatible endpoint', () => {
  it('creates the stack set and its stack instances for the member accounts of the root', async () => {
    const { realOrgStackSetDeps, runOrgDeploy } = await import('../../src/cli/commands/org-deploy.js');
    const deps = { ...(await realOrgStackSetDeps()), confirm: async () => false, run: { sleep: async () => undefined } };
    const result = await capture(() => runOrgDeploy({ org: true, yes: true }, deps));
    expect(result.exitCode).toBe(0);
    const stackSet = server.stackSets.get('force-mfa');
    expect(stackSet?.input).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      'AutoDeployment.Enabled': 'true',
      'AutoDeployment.RetainStacksOnAccountRemoval': 'false',
      'Capabilities.member.1': 'CAPABILITY_NAMED_IAM',
      CallAs: 'SELF',
    });
    expect(stackSet?.input['TemplateBody']).toContain('AWS::IAM::Group');
    // Every ACTIVE member, never the management account (service-managed stack sets skip it), in us-east-1 only.
    expect(stackSet?.instances.map((instance) => `${instance.account} ${instance.region} ${instance.ou}`).sort()).toEqual([
      '222222222222 us-east-1 r-ab12',
      '333333333333 us-east-1 r-ab12',
      '444444444444 us-east-1 r-ab12',
      '555555555555 us-east-1 r-ab12',
    ]);
    expect(result.stdout).toContain('stack set force-mfa: created');
    expect(result.stdout).toContain('4 stack(s): 4 ok, 0 failed');
    expect(result.stderr).toContain('never deploys to the management account');
  });
});
