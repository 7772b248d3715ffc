/** The organization audit: list the accounts, assume the role in each, run the single-account audit, join the reports. */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AuditReport } from '../audit/types.js';
import { listOrganizationAccounts, type AccountSelection, type OrgAccount } from './accounts.js';
import { assumeMemberRole, DEFAULT_MEMBER_ROLE, validateRoleName, type AwsCredentials } from './assume-role.js';
import { aggregateOrgReport, type OrgAuditReport } from './report.js';
import { runPerAccount, type AccountOutcome } from './runner.js';
import type { CentralizedRootAccess } from './root.js';
import type { Sleep } from '../account/aws/retry.js';

export const DEFAULT_ORG_CONCURRENCY = 8;
export const DEFAULT_ACCOUNT_TIMEOUT_SECONDS = 300;
export const DEFAULT_ACCOUNT_RETRIES = 3;

/** One member account to audit, with the credentials to audit it with. */
export interface AccountAuditTarget {
  readonly account: OrgAccount;
  /** Undefined for the caller's own account: audit it with the caller's credentials, no role to assume. */
  readonly credentials: AwsCredentials | undefined;
  readonly partition: string;
}

/** The single-account audit (snapshot from AWS + classification) run with a target's credentials. */
export type AccountAuditor = (target: AccountAuditTarget, signal: AbortSignal) => Promise<AuditReport>;

export interface OrgAuditDependencies {
  readonly organizations: OrganizationsClient;
  readonly sts: STSClient;
  /** The caller's own account id (GetCallerIdentity), when known. */
  readonly callerAccountId: string | undefined;
  readonly auditAccount: AccountAuditor;
  /** Reads centralized root access from the caller's (management) account; unknown when absent. */
  readonly centralizedRootAccess?: () => Promise<CentralizedRootAccess>;
}

export interface OrgAuditOptions extends AccountSelection {
  readonly roleName?: string;
  readonly externalId?: string | undefined;
  readonly concurrency?: number;
  /** 0 for no limit. */
  readonly timeoutSeconds?: number;
  readonly retries?: number;
  readonly auditOptions: AuditReport['options'];
  readonly onProgress?: (outcome: AccountOutcome<OrgAccount, AuditReport>, done: number, total: number) => void;
  /** Called once the accounts are listed, before any is audited. */
  readonly onListed?: (accounts: readonly OrgAccount[]) => void;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  readonly random?: () => number;
}

export async function auditOrganization(dependencies: OrgAuditDependencies, options: OrgAuditOptions): Promise<OrgAuditReport> {
  const roleName = options.roleName ?? DEFAULT_MEMBER_ROLE;
  validateRoleName(roleName);
  const retry = { ...optional('sleep', options.sleep), ...optional('random', options.random) };
  const listing = await listOrganizationAccounts(dependencies.organizations, options, retry);
  options.onListed?.(listing.accounts);
  const partition = listing.organization.partition;
  const now = options.now ?? Date.now;

  const outcomes = await runPerAccount<OrgAccount, AuditReport>(
    listing.accounts,
    async (account, signal) => {
      const credentials =
        account.id === dependencies.callerAccountId
          ? undefined
          : await assumeMemberRole(dependencies.sts, account, { roleName, externalId: options.externalId, partition }, signal);
      return dependencies.auditAccount({ account, credentials, partition }, signal);
    },
    {
      concurrency: options.concurrency ?? DEFAULT_ORG_CONCURRENCY,
      timeoutMs: (options.timeoutSeconds ?? DEFAULT_ACCOUNT_TIMEOUT_SECONDS) * 1000,
      retries: options.retries ?? DEFAULT_ACCOUNT_RETRIES,
      now,
      ...retry,
      ...optional('onSettled', options.onProgress),
    },
  );
  const centralizedRootAccess = await dependencies.centralizedRootAccess?.();
  return aggregateOrgReport({
    ...(centralizedRootAccess === undefined ? {} : { centralizedRootAccess }),
    organization: listing.organization,
    outcomes,
    skipped: listing.skipped,
    generatedAt: new Date(now()).toISOString(),
    options: options.auditOptions,
  });
}

/** Spreads `{ key: value }` only when the value is given (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
