import { IAMClient, ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { auditAccount } from '../../src/audit/audit.js';
import { findingText, auditMessages } from '../../src/audit/messages/index.js';
import type { RootAccountSummary } from '../../src/account/model.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { auditOrganization, type AccountAuditor } from '../../src/org/audit-org.js';
import { readCentralizedRootAccess } from '../../src/org/root-access.js';
import { accountRoot } from '../../src/org/root.js';
import { CATALOGUE, anAccount } from '../account/builders.js';
import { awsError } from '../account/aws-world.js';
import { DEADLINE_MS, instantSleep, MANAGEMENT, mockAssumeRole, mockOrganization, orgAccount } from './fixtures.js';

const organizationsMock = mockClient(OrganizationsClient);
const stsMock = mockClient(STSClient);
const iamMock = mockClient(IAMClient);
afterEach(() => {
  organizationsMock.reset();
  stsMock.reset();
  iamMock.reset();
});

const OPTIONS = { guardGroupName: 'ForceMfaAccess', exemptUsers: [], requireHardware: false, allowWithoutMfa: [] };
const summary = (mfa: boolean, password: boolean | undefined, keys: boolean): RootAccountSummary => ({ mfaEnabled: mfa, passwordPresent: password, accessKeysPresent: keys, virtualDevice: false });
const reportWith = (root: RootAccountSummary | 'denied') =>
  auditAccount(
    anAccount()
      .withRoot(undefined)
      .withRootSummary(root === 'denied' ? { gap: { fact: 'root', cause: 'access-denied', detail: 'iam:GetAccountSummary' } } : root)
      .build(),
    { catalogue: CATALOGUE, evaluate },
  );

describe('accountRoot', () => {
  it.each([
    ['MFA on', summary(true, true, false), 'mfa'],
    ['a password, no MFA', summary(false, true, false), 'credentials-without-mfa'],
    ['access keys, no MFA', summary(false, false, true), 'credentials-without-mfa'],
    ['no credentials at all', summary(false, false, false), 'no-credentials'],
    ['no MFA, password unknown (no AccountPasswordPresent)', summary(false, undefined, false), 'unknown'],
    ['GetAccountSummary denied, no report', 'denied', 'unknown'],
  ] as const)('%s', (_name, root, verdict) => {
    const result = accountRoot(reportWith(root).root);
    expect(result.verdict).toBe(verdict);
    if (verdict === 'unknown') expect(result.reason).toMatch(/unknown/);
    else expect(result.reason).toBeNull();
  });

  it('says why when the summary is denied', () => {
    expect(accountRoot(reportWith('denied').root).reason).toContain('access-denied (iam:GetAccountSummary)');
  });
});

describe('readCentralizedRootAccess', () => {
  const iam = () => new IAMClient({ region: 'us-east-1' });
  it('reads the enabled features', async () => {
    iamMock.on(ListOrganizationsFeaturesCommand).resolves({ OrganizationId: 'o-abcdefghij', EnabledFeatures: ['RootCredentialsManagement'] });
    expect(await readCentralizedRootAccess(iam())).toEqual({ rootCredentialsManagement: true, rootSessions: false, reason: null });
  });
  it('no trusted access for IAM: the features cannot be enabled', async () => {
    iamMock.on(ListOrganizationsFeaturesCommand).rejects(awsError('ServiceAccessNotEnabledException', 400));
    expect(await readCentralizedRootAccess(iam())).toEqual({ rootCredentialsManagement: false, rootSessions: false, reason: null });
  });
  it.each([
    ['denied', awsError('AccessDenied', 403), 'access denied (iam:ListOrganizationsFeatures)'],
    ['not the management account', awsError('AccountNotManagementOrDelegatedAdministratorException', 400, 'not the management account'), /ListOrganizationsFeatures failed: AccountNotManagementOrDelegatedAdministratorException/],
  ])('%s: unknown with the reason, never "not enabled"', async (_name, error, reason) => {
    iamMock.on(ListOrganizationsFeaturesCommand).rejects(error);
    const access = await readCentralizedRootAccess(iam());
    expect(access).toMatchObject({ rootCredentialsManagement: null, rootSessions: null });
    expect(access.reason).toMatch(reason);
  });
});

describe('audit --org: the root users of the member accounts', () => {
  const MEMBERS = { withPassword: '222222222222', withMfa: '333333333333', removed: '444444444444', locked: '555555555555', denied: '666666666666' };
  const roots: Record<string, RootAccountSummary | 'denied'> = {
    [MANAGEMENT]: summary(true, true, false),
    [MEMBERS.withPassword]: summary(false, true, false),
    [MEMBERS.withMfa]: summary(true, true, false),
    [MEMBERS.removed]: summary(false, false, false),
    [MEMBERS.denied]: 'denied',
  };
  const auditor: AccountAuditor = async (target) => reportWith(roots[target.account.id] ?? 'denied');
  const run = (centralized: { rootCredentialsManagement: boolean | null }) => {
    mockOrganization(organizationsMock, [[orgAccount(MANAGEMENT, 'management'), ...Object.entries(MEMBERS).map(([name, id]) => orgAccount(id, name))]]);
    mockAssumeRole(stsMock, new Set([MEMBERS.locked]));
    return auditOrganization(
      {
        organizations: new OrganizationsClient({ region: 'us-east-1' }),
        sts: new STSClient({ region: 'us-east-1' }),
        callerAccountId: MANAGEMENT,
        auditAccount: auditor,
        centralizedRootAccess: async () => ({ ...centralized, rootSessions: false, reason: centralized.rootCredentialsManagement === null ? 'access denied (iam:ListOrganizationsFeatures)' : null }),
      },
      { auditOptions: OPTIONS, sleep: instantSleep(), timeoutSeconds: DEADLINE_MS / 1000, now: () => Date.parse('2025-03-01T12:00:00Z') },
    );
  };

  it('reports each account\'s root state, or unknown with the reason, and names the accounts without root MFA', async () => {
    const report = await run({ rootCredentialsManagement: false });
    expect(Object.fromEntries(report.accounts.map((account) => [account.id, account.root.verdict]))).toEqual({
      [MANAGEMENT]: 'mfa',
      [MEMBERS.withPassword]: 'credentials-without-mfa',
      [MEMBERS.withMfa]: 'mfa',
      [MEMBERS.removed]: 'no-credentials',
      [MEMBERS.locked]: 'unknown',
      [MEMBERS.denied]: 'unknown',
    });
    expect(report.accounts.find((account) => account.id === MEMBERS.locked)?.root.reason).toMatch(/^account not audited: cannot assume role .*AccessDenied/);
    expect(report.accounts.find((account) => account.id === MEMBERS.denied)?.root.reason).toContain('access-denied (iam:GetAccountSummary)');
    const finding = report.findings.find((entry) => entry.code === 'org-root-without-mfa');
    // Without centralized root credentials management, a root user without credentials can recover its password.
    expect(finding).toMatchObject({ severity: 'critical', accountId: MANAGEMENT, params: { accounts: [MEMBERS.withPassword], recoverable: [MEMBERS.removed], centralizedRootCredentials: false } });
    expect(findingText(auditMessages('en'), finding!)).toContain(MEMBERS.withPassword);
    expect(report.findings.find((entry) => entry.code === 'org-root-unknown')?.params).toEqual({
      accounts: [expect.objectContaining({ id: MEMBERS.locked }), expect.objectContaining({ id: MEMBERS.denied })],
    });
    expect(report.organization.centralizedRootAccess).toEqual({ rootCredentialsManagement: false, rootSessions: false, reason: null });
  });

  it('with centralized root credentials management, a member account without root credentials is fine', async () => {
    const report = await run({ rootCredentialsManagement: true });
    const finding = report.findings.find((entry) => entry.code === 'org-root-without-mfa');
    expect(finding?.params).toMatchObject({ accounts: [MEMBERS.withPassword], recoverable: [] });
    expect(report.findings.filter((entry) => entry.accountId === MEMBERS.removed && entry.code === 'root-without-mfa')).toEqual([]);
    expect(report.findings.filter((entry) => entry.accountId === MEMBERS.withPassword && entry.code === 'root-without-mfa')).toHaveLength(1);
  });

  it('the table and Markdown end with every account\'s root user, and say what centralized root access is', async () => {
    const { renderOrgAudit } = await import('../../src/cli/commands/org-audit.js');
    const report = await run({ rootCredentialsManagement: false });
    const table = await renderOrgAudit(report, 'table', { messages: auditMessages('en'), color: false });
    expect(table).toContain('Root users\n  Centralized root access: root credentials management not enabled, root sessions not enabled.');
    expect(table).toContain(`  ${MEMBERS.withPassword} withPassword: password or access keys, NO MFA`);
    expect(table).toMatch(new RegExp(`  ${MEMBERS.locked} locked: unknown \\(account not audited: cannot assume role`));
    const markdown = await renderOrgAudit(report, 'markdown', { messages: auditMessages('ja') });
    expect(markdown).toContain('## ルートユーザー');
    expect(markdown).toContain(`- ${MEMBERS.removed} removed: 認証情報なし`);
  });

  it('centralized root access unknown (denied) is never read as enabled', async () => {
    const report = await run({ rootCredentialsManagement: null });
    expect(report.findings.find((entry) => entry.code === 'org-root-without-mfa')?.params).toMatchObject({ recoverable: [MEMBERS.removed], centralizedRootCredentials: null });
    expect(report.organization.centralizedRootAccess.reason).toBe('access denied (iam:ListOrganizationsFeatures)');
  });
});
