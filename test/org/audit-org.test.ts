import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isForceMfaError } from '../../src/errors.js';
import { auditOrganization, type AccountAuditor, type AccountAuditTarget } from '../../src/org/audit-org.js';
import { progressLine } from '../../src/org/report.js';
import {
  accountReport,
  DEADLINE_MS,
  instantSleep,
  MANAGEMENT,
  mockAssumeRole,
  mockOrganization,
  orgAccount,
  ORG_ID,
  throttled,
} from './fixtures.js';

const organizationsMock = mockClient(OrganizationsClient);
const stsMock = mockClient(STSClient);

const OPTIONS = { guardGroupName: 'ForceMfaAccess', exemptUsers: [], requireHardware: false, allowWithoutMfa: [] };

beforeEach(() => {
  organizationsMock.reset();
  stsMock.reset();
});
afterEach(() => {
  organizationsMock.reset();
  stsMock.reset();
});

function run(auditAccount: AccountAuditor, extra: Partial<Parameters<typeof auditOrganization>[1]> = {}) {
  return auditOrganization(
    { organizations: new OrganizationsClient({ region: 'us-east-1' }), sts: new STSClient({ region: 'us-east-1' }), callerAccountId: MANAGEMENT, auditAccount },
    { auditOptions: OPTIONS, sleep: instantSleep(), timeoutSeconds: DEADLINE_MS / 1000, now: () => Date.parse('2025-03-01T12:00:00Z'), ...extra },
  );
}

/** Each account answers with its own users, and only with the credentials STS gave for it. */
const auditByCredentials: AccountAuditor = async (target: AccountAuditTarget) => {
  const expectedKey = target.account.management ? undefined : `ASIA${target.account.id}`;
  if (target.credentials?.accessKeyId !== expectedKey) throw new Error(`wrong credentials for ${target.account.id}`);
  return accountReport(Number(target.account.id.slice(0, 1)));
};

describe('auditOrganization', () => {
  it('audits every ACTIVE account of every page, reports the one it cannot enter, and completes the rest', async () => {
    mockOrganization(organizationsMock, [
      [orgAccount(MANAGEMENT, 'management'), orgAccount('222222222222', 'prod-web')],
      [orgAccount('333333333333', 'locked'), orgAccount('444444444444', 'gone', 'SUSPENDED')],
      [orgAccount('555555555555', 'sandbox')],
    ]);
    mockAssumeRole(stsMock, new Set(['333333333333']));
    const progress: string[] = [];
    const report = await run(auditByCredentials, { onProgress: (outcome, done, total) => progress.push(progressLine(outcome, done, total)) });

    expect(organizationsMock.commandCalls(ListAccountsCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'page-1', 'page-2']);
    expect(report.accounts.map((account) => [account.id, account.status, account.management])).toEqual([
      [MANAGEMENT, 'ok', true],
      ['222222222222', 'ok', false],
      ['333333333333', 'failed', false],
      ['555555555555', 'ok', false],
    ]);
    const locked = report.accounts[2];
    expect(locked?.reason).toMatch(
      /^cannot assume role arn:aws:iam::333333333333:role\/OrganizationAccountAccessRole in account 333333333333: AccessDenied: .*not authorized/,
    );
    expect(locked?.summary).toBeNull();
    expect(report.organization).toMatchObject({ id: ORG_ID, accounts: 4, accountsOk: 3, accountsFailed: 1, skipped: [{ id: '444444444444', state: 'SUSPENDED' }] });

    // The management account is audited with the caller's own credentials: no role assumed there.
    const assumed = stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);
    expect(assumed.map((input) => input.RoleArn?.split(':')[4]).sort()).toEqual(['222222222222', '333333333333', '555555555555']);
    expect(assumed.every((input) => input.RoleSessionName === 'force-mfa-audit' && input.ExternalId === undefined)).toBe(true);

    // 1 + 2 + 5 extra users on top of three each; every user carries its account.
    expect(report.users).toHaveLength(3 + 1 + 3 + 2 + 3 + 5);
    expect(new Set(report.users.map((user) => user.accountId))).toEqual(new Set([MANAGEMENT, '222222222222', '555555555555']));
    expect(report.users.filter((user) => user.accountId === '222222222222').map((user) => [user.userName, user.status]).slice(0, 3)).toEqual([
      ['alice', 'protected'],
      ['bob', 'pending-enrollment'],
      ['carol', 'unprotected'],
    ]);
    expect(report.summary.users).toBe(17);
    expect(report.summary.byStatus.unprotected).toBe(3);
    expect(report.accounts[1]?.summary?.users).toBe(5);

    // The failed account is a finding and a gap, never a count of zero users.
    expect(report.findings.filter((finding) => finding.code === 'data-missing')).toEqual([
      expect.objectContaining({ accountId: '333333333333', severity: 'high', params: expect.objectContaining({ fact: 'users', cause: 'access-denied' }) }),
    ]);
    expect(report.missing).toContainEqual(expect.objectContaining({ fact: 'users', cause: 'access-denied' }));

    expect(progress).toHaveLength(4);
    expect(progress.find((line) => line.includes('555555555555'))).toMatch(/^\[\d\/4\] 555555555555 sandbox: ok \(8 users\)$/);
    expect(progress.find((line) => line.includes('333333333333'))).toMatch(/^\[\d\/4\] 333333333333 locked: failed: cannot assume role/);
  });

  it('passes the role name and external id, in the partition of the organization', async () => {
    mockOrganization(organizationsMock, [[orgAccount('222222222222', 'prod')]]);
    mockAssumeRole(stsMock);
    await run(auditByCredentials, { roleName: 'audit/ForceMfaAudit', externalId: 'ext-123' });
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: 'arn:aws:iam::222222222222:role/audit/ForceMfaAudit',
      RoleSessionName: 'force-mfa-audit',
      ExternalId: 'ext-123',
    });
  });

  it('rides out throttling of Organizations and STS', async () => {
    mockOrganization(organizationsMock, [[orgAccount('222222222222', 'prod')], [orgAccount('555555555555', 'dev')]]);
    organizationsMock.on(ListAccountsCommand, { NextToken: 'page-1' }).rejectsOnce(throttled()).resolves({ Accounts: [orgAccount('555555555555', 'dev')] });
    let assumeCalls = 0;
    stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      assumeCalls++;
      if (assumeCalls === 1) return Promise.reject(throttled('Throttling'));
      const id = input.RoleArn.split(':')[4] ?? '';
      return { Credentials: { AccessKeyId: `ASIA${id}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2030-01-01T00:00:00Z') } };
    });
    const report = await run(auditByCredentials, { concurrency: 1 });
    expect(report.accounts.map((account) => [account.id, account.status, account.attempts])).toEqual([
      ['222222222222', 'ok', 2],
      ['555555555555', 'ok', 1],
    ]);
    expect(organizationsMock.commandCalls(ListAccountsCommand)).toHaveLength(3);
  });

  it('fails an account that takes longer than its time limit and finishes the others', async () => {
    mockOrganization(organizationsMock, [[orgAccount('222222222222', 'slow'), orgAccount('555555555555', 'quick')]]);
    mockAssumeRole(stsMock);
    const hanging: AccountAuditor = (target, signal) =>
      target.account.id === '222222222222'
        ? new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))
        : Promise.resolve(accountReport());
    const report = await run(hanging, {
      timeoutSeconds: 90,
      // The 90 s deadline ends on the next turn of the event loop; the quick account is done by then.
      sleep: () => new Promise((resolve) => setImmediate(resolve)),
    });
    expect(report.accounts.map((account) => [account.name, account.status, account.reason])).toEqual([
      ['slow', 'failed', 'timed out after 90s'],
      ['quick', 'ok', null],
    ]);
    expect(report.findings).toContainEqual(expect.objectContaining({ accountId: '222222222222', params: expect.objectContaining({ cause: 'call-failed' }) }));
  });

  it('walks the OUs below the ones given, every page, and keeps only the accounts asked for', async () => {
    mockOrganization(organizationsMock, [[]]);
    organizationsMock
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-11111111' })
      .resolves({ Accounts: [orgAccount('222222222222', 'a')], NextToken: 'more' })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-11111111', NextToken: 'more' })
      .resolves({ Accounts: [orgAccount('333333333333', 'b')] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-11111111' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-22222222' }], NextToken: 'ous' })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-11111111', NextToken: 'ous' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-33333333' }] })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-22222222' })
      .resolves({ Accounts: [orgAccount('444444444444', 'c')] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-22222222' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-44444444' }] })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-44444444' })
      .resolves({ Accounts: [orgAccount('555555555555', 'd')] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-44444444' })
      .resolves({ OrganizationalUnits: [] })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-33333333' })
      .resolves({ Accounts: [orgAccount('666666666666', 'e')] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-33333333' })
      .resolves({});
    mockAssumeRole(stsMock);
    const all = await run(async () => accountReport(), { organizationalUnitIds: ['ou-ab12-11111111'] });
    expect(all.accounts.map((account) => account.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(organizationsMock.commandCalls(ListAccountsCommand)).toHaveLength(0);

    const some = await run(async () => accountReport(), { organizationalUnitIds: ['ou-ab12-11111111'], accountIds: ['555555555555', '333333333333'] });
    expect(some.accounts.map((account) => account.id)).toEqual(['333333333333', '555555555555']);
  });

  it('refuses an account id that is not in the organization, and malformed ids', async () => {
    mockOrganization(organizationsMock, [[orgAccount('222222222222', 'prod')]]);
    const absent = await run(async () => accountReport(), { accountIds: ['999999999999'] }).catch((error: unknown) => error);
    expect(isForceMfaError(absent) && absent.kind === 'input' ? absent.message : absent).toBe(`account(s) 999999999999 are not in organization ${ORG_ID}`);
    await expect(run(async () => accountReport(), { accountIds: ['12345'] })).rejects.toThrow(/not an AWS account id/);
    await expect(run(async () => accountReport(), { organizationalUnitIds: ['prod'] })).rejects.toThrow(/not an organizational unit id/);
    await expect(run(async () => accountReport(), { roleName: 'bad role' })).rejects.toThrow(/not an IAM role name/);
  });

  it('says plainly when Organizations refuses to list the accounts', async () => {
    mockOrganization(organizationsMock, [[]]);
    organizationsMock.on(ListAccountsCommand).rejects(Object.assign(new Error('You don’t have permissions'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    await expect(run(async () => accountReport())).rejects.toThrow(/^ListAccounts was denied .*management account or a delegated administrator/);
  });
});

describe('runOrgAudit with every AWS client mocked', () => {
  it('reads each member account with the credentials assumed for it', async () => {
    const { IAMClient, GetAccountAuthorizationDetailsCommand, GenerateCredentialReportCommand, GetCredentialReportCommand, ListMFADevicesCommand, ListAccountAliasesCommand } =
      await import('@aws-sdk/client-iam');
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const { runOrgAudit } = await import('../../src/cli/commands/org-audit.js');
    const iamMock = mockClient(IAMClient);
    // The caller's own clients use the default chain: dummy keys in the environment, so it never looks further.
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIACALLERCALLER0000', AWS_SECRET_ACCESS_KEY: 'test-only', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' });
    delete process.env['AWS_PROFILE'];
    delete process.env['AWS_SESSION_TOKEN'];
    try {
      mockOrganization(organizationsMock, [[orgAccount(MANAGEMENT, 'management'), orgAccount('222222222222', 'prod')], [orgAccount('333333333333', 'locked')]]);
      mockAssumeRole(stsMock, new Set(['333333333333']));
      stsMock.on(GetCallerIdentityCommand).resolves({ Account: MANAGEMENT, Arn: `arn:aws:iam::${MANAGEMENT}:user/admin`, UserId: 'AIDAADMIN' });
      /** The account whose credentials the client was built with: the assumed keys name it; none means the caller's. */
      const accountOf = async (getClient: () => { config: { credentials: () => Promise<{ accessKeyId: string }> } }): Promise<string> => {
        const credentials = await getClient().config.credentials().catch(() => undefined);
        return credentials?.accessKeyId.startsWith('ASIA') === true ? credentials.accessKeyId.slice(4) : MANAGEMENT;
      };
      const userName = (account: string): string => `user-${account}`;
      iamMock
        .on(GetAccountAuthorizationDetailsCommand)
        .callsFake(async (_input, getClient) => {
          const account = await accountOf(getClient);
          return {
            UserDetailList: [{ UserName: userName(account), UserId: `AIDA${account}`, Arn: `arn:aws:iam::${account}:user/${userName(account)}`, Path: '/', GroupList: [], AttachedManagedPolicies: [], UserPolicyList: [] }],
            GroupDetailList: [],
            Policies: [],
            IsTruncated: false,
          };
        })
        .on(GenerateCredentialReportCommand)
        .resolves({ State: 'COMPLETE' })
        .on(GetCredentialReportCommand)
        .callsFake(async (_input, getClient) => {
          const account = await accountOf(getClient);
          const csv =
            'user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,access_key_1_active,access_key_2_active\n' +
            `${userName(account)},arn:aws:iam::${account}:user/${userName(account)},2024-01-01T00:00:00+00:00,true,N/A,false,false,false\n`;
          return { Content: new TextEncoder().encode(csv), ReportFormat: 'text/csv', GeneratedTime: new Date() };
        })
        .on(ListMFADevicesCommand)
        .resolves({ MFADevices: [], IsTruncated: false })
        .on(ListAccountAliasesCommand)
        .resolves({ AccountAliases: [] });

      const report = await runOrgAudit({ org: true, concurrency: '2' });
      expect(report.users.map((user) => [user.accountId, user.userName, user.status])).toEqual([
        [MANAGEMENT, `user-${MANAGEMENT}`, 'unprotected'],
        ['222222222222', 'user-222222222222', 'unprotected'],
      ]);
      expect(report.accounts.map((account) => account.status)).toEqual(['ok', 'ok', 'failed']);
    } finally {
      iamMock.restore();
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
