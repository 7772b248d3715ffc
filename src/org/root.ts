/** The root users of an organization's accounts: each account's root state, centralized root access, findings (pure). */
import type { RootAudit } from '../audit/types.js';

/**
 * `mfa`: the root user has MFA. `no-credentials`: no MFA, no password and no access key (what centralized root access
 * leaves). `credentials-without-mfa`: a password or an access key and no MFA. `unknown`: see `reason`.
 */
export type OrgRootVerdict = 'mfa' | 'no-credentials' | 'credentials-without-mfa' | 'unknown';

export interface OrgAccountRoot {
  readonly verdict: OrgRootVerdict;
  /** Why the verdict is unknown (the account was not audited, a read was denied); null otherwise. */
  readonly reason: string | null;
  readonly mfaEnabled: boolean | null;
  readonly passwordPresent: boolean | null;
  readonly accessKeysPresent: boolean | null;
  readonly mfaDevice: RootAudit['mfaDevice'];
}

/** iam:ListOrganizationsFeatures, read from the management account (or the IAM delegated administrator). */
export interface CentralizedRootAccess {
  /** RootCredentialsManagement: member accounts' root credentials can be removed, and their password recovery is off. */
  readonly rootCredentialsManagement: boolean | null;
  /** RootSessions: privileged root tasks in member accounts through sts:AssumeRoot. */
  readonly rootSessions: boolean | null;
  /** Why the features are unknown (null when read). */
  readonly reason: string | null;
}

export const CENTRALIZED_ROOT_ACCESS_UNKNOWN = (reason: string): CentralizedRootAccess => ({ rootCredentialsManagement: null, rootSessions: null, reason });

export function accountRoot(root: RootAudit | undefined): OrgAccountRoot {
  if (root === undefined) return unknownRoot('the account report has no root user facts');
  const facts = { mfaEnabled: root.mfaEnabled, passwordPresent: root.passwordPresent, accessKeysPresent: root.accessKeysPresent, mfaDevice: root.mfaDevice };
  const why = root.missing.map((gap) => `${gap.cause}${gap.detail === undefined ? '' : ` (${gap.detail})`}`).join('; ');
  if (root.mfaEnabled === true) return { verdict: 'mfa', reason: null, ...facts };
  if (root.mfaEnabled === null) return { verdict: 'unknown', reason: `whether the root user has MFA is unknown: ${why || 'not read'}`, ...facts };
  if (root.passwordPresent === true || root.accessKeysPresent === true) return { verdict: 'credentials-without-mfa', reason: null, ...facts };
  if (root.passwordPresent === false && root.accessKeysPresent === false) return { verdict: 'no-credentials', reason: null, ...facts };
  return {
    verdict: 'unknown',
    reason: `the root user has no MFA and whether it has a password${root.accessKeysPresent === null ? ' or access keys' : ''} is unknown: ${why || 'GetAccountSummary gave no AccountPasswordPresent'}`,
    ...facts,
  };
}

/** The root state of an account that could not be audited: unknown, with the reason (role missing, access denied). */
export function unknownRoot(reason: string): OrgAccountRoot {
  return { verdict: 'unknown', reason, mfaEnabled: null, passwordPresent: null, accessKeysPresent: null, mfaDevice: null };
}

/**
 * Accounts whose root user can act without MFA: credentials without MFA, and, unless centralized root credentials
 * management is known to be enabled, also those with no credentials (their root password can be recovered by email,
 * then used without MFA).
 */
export function rootsWithoutMfa(
  accounts: readonly { readonly id: string; readonly management: boolean; readonly root: OrgAccountRoot }[],
  centralized: CentralizedRootAccess,
): { withoutMfa: string[]; recoverable: string[]; unknown: { id: string; reason: string }[] } {
  const withoutMfa = accounts.filter((account) => account.root.verdict === 'credentials-without-mfa').map((account) => account.id);
  // Centralized root access covers member accounts only, never the management account.
  const recoverable = accounts
    .filter((account) => account.root.verdict === 'no-credentials' && (account.management || centralized.rootCredentialsManagement !== true))
    .map((account) => account.id);
  const unknown = accounts.filter((account) => account.root.verdict === 'unknown').map((account) => ({ id: account.id, reason: account.root.reason ?? 'unknown' }));
  return { withoutMfa, recoverable, unknown };
}
