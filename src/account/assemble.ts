/** Joins the sources (authorization details, credential report, per-user calls or files) into one AccountSnapshot. */
import type { AuthorizationDetails, UserIdentity } from './authorization-details.js';
import { credentialReportRows, rootRow, type CredentialReport, type CredentialReportRow, type ReportRowMatch } from './credential-report.js';
import type {
  AccessKey,
  AccessKeyState,
  AccountSnapshot,
  ConsolePassword,
  DataGap,
  DataSource,
  FactSource,
  IamGroup,
  IamUser,
  ManagedPolicy,
  MfaDevice,
  MfaState,
  PerAccountFact,
  RootAccountSummary,
  RootUser,
  UnassignedVirtualDevice,
} from './model.js';

/** A per-user fact read by a call or a file, or the gap that kept it unread. A gap here wins over the report. */
export type PerUserFact<T> = { readonly value: T; readonly source: FactSource } | { readonly gap: DataGap };

export interface SnapshotParts {
  readonly authorizationDetails: AuthorizationDetails;
  readonly credentialReport: CredentialReport | undefined;
  /** Why there is no credential report, when there is none. */
  readonly credentialReportGap?: DataGap | undefined;
  /** The user's devices from ListMFADevices or a file, or `true` when an assigned virtual device settles enrollment. */
  readonly mfaDevices?: ReadonlyMap<string, PerUserFact<readonly MfaDevice[] | true>>;
  readonly consolePasswords?: ReadonlyMap<string, PerUserFact<boolean>>;
  readonly accessKeys?: ReadonlyMap<string, PerUserFact<readonly AccessKey[]>>;
  readonly alias?: string | undefined;
  readonly sources: readonly DataSource[];
  readonly gaps?: readonly DataGap[];
  readonly collectedAt: string;
  /** GetAccountSummary's root facts, or why they are unknown; absent when the source has none (files). */
  readonly rootSummary?: PerAccountFact<RootAccountSummary> | undefined;
  /** The unassigned virtual MFA devices, or why they are unknown. */
  readonly unassignedVirtualDevices?: PerAccountFact<readonly UnassignedVirtualDevice[]> | undefined;
}

export function assembleSnapshot(parts: SnapshotParts): AccountSnapshot {
  const details = parts.authorizationDetails;
  const report = parts.credentialReport;
  const rowFor = report === undefined ? undefined : credentialReportRows(report);
  const groupsByName = new Map(details.groups.map((group) => [group.groupName, group]));
  const policiesByArn = new Map(details.managedPolicies.map((policy) => [policy.arn, policy]));
  const reportGap: DataGap | undefined =
    report === undefined ? (parts.credentialReportGap ?? { fact: 'password', cause: 'no-credential-report' }) : undefined;

  const users = details.users.map((identity): IamUser => {
    const match: ReportRowMatch | undefined = rowFor?.({ arn: identity.arn, createdAt: identity.createdAt });
    const row = match?.kind === 'row' ? match.row : undefined;
    const gaps: DataGap[] = [];
    const missingRow = (fact: DataGap['fact']): DataGap => (reportGap !== undefined ? { ...reportGap, fact } : rowGap(fact, match));

    const consolePassword = resolve(
      parts.consolePasswords?.get(identity.userName),
      row?.passwordEnabled === undefined ? undefined : { value: row.passwordEnabled, source: 'credential-report' },
      (value, source): ConsolePassword => ({ enabled: value, lastUsedAt: row?.passwordLastUsedAt, source }),
      row === undefined ? missingRow('password') : { fact: 'password', cause: 'unreadable', detail: 'credential report' },
      gaps,
    );
    const mfa = resolve(
      parts.mfaDevices?.get(identity.userName),
      row?.mfaActive === undefined ? undefined : { value: row.mfaActive, source: 'credential-report' },
      (value, source): MfaState =>
        typeof value === 'boolean' ? { enrolled: value, devices: undefined, source } : { enrolled: value.length > 0, devices: value, source },
      row === undefined ? missingRow('mfa') : { fact: 'mfa', cause: 'unreadable', detail: 'credential report' },
      gaps,
    );
    const reportKeys = row === undefined ? undefined : keysFromRow(row);
    const accessKeys = resolve(
      parts.accessKeys?.get(identity.userName),
      reportKeys === undefined ? undefined : { value: reportKeys, source: 'credential-report' },
      (value, source): AccessKeyState => ({ keys: value, source }),
      row === undefined ? missingRow('access-keys') : { fact: 'access-keys', cause: 'unreadable', detail: 'credential report' },
      gaps,
    );
    gaps.push(...policyGaps(identity, groupsByName, policiesByArn, details.gaps));
    return { ...identity, consolePassword, mfa, accessKeys, gaps };
  });

  const root = rootUser(report);
  const anyArn = details.users[0]?.arn ?? details.groups[0]?.arn ?? root?.arn ?? '';
  const arnParts = anyArn.split(':');
  return {
    accountId: arnParts[4] !== undefined && arnParts[4] !== '' ? arnParts[4] : undefined,
    alias: parts.alias,
    partition: arnParts[1] !== undefined && arnParts[1] !== '' ? arnParts[1] : 'aws',
    collectedAt: parts.collectedAt,
    sources: parts.sources,
    users,
    groups: details.groups,
    managedPolicies: details.managedPolicies,
    root,
    ...(parts.rootSummary === undefined ? {} : { rootSummary: parts.rootSummary }),
    ...(parts.unassignedVirtualDevices === undefined ? {} : { unassignedVirtualDevices: parts.unassignedVirtualDevices }),
    gaps: [
      ...(reportGap !== undefined ? [{ ...reportGap, fact: 'root' as const }] : []),
      ...(parts.gaps ?? []),
    ],
  };
}

/** A per-user fact wins (its gap too: a failed live check means the report could not be trusted for it). */
function resolve<V, R, T>(
  perUser: PerUserFact<V> | undefined,
  fromReport: { value: R; source: FactSource } | undefined,
  build: (value: V | R, source: FactSource) => T,
  missing: DataGap,
  gaps: DataGap[],
): T | undefined {
  if (perUser !== undefined) {
    if ('gap' in perUser) {
      gaps.push(perUser.gap);
      return undefined;
    }
    return build(perUser.value, perUser.source);
  }
  if (fromReport !== undefined) return build(fromReport.value, fromReport.source);
  gaps.push(missing);
  return undefined;
}

/** Both key slots of a row; undefined when a slot cannot be read. A slot with no key is `false` and never rotated. */
function keysFromRow(row: CredentialReportRow): AccessKey[] | undefined {
  const keys: AccessKey[] = [];
  for (const slot of row.accessKeys) {
    if (slot.active === undefined) return undefined;
    if (slot.active || slot.lastRotatedAt !== undefined) {
      keys.push({ idSuffix: undefined, active: slot.active, lastUsedAt: slot.lastUsedAt, lastRotatedAt: slot.lastRotatedAt });
    }
  }
  return keys;
}

function policyGaps(
  identity: UserIdentity,
  groups: ReadonlyMap<string, IamGroup>,
  policies: ReadonlyMap<string, ManagedPolicy>,
  documentGaps: readonly DataGap[],
): DataGap[] {
  const gaps: DataGap[] = [];
  const managed = [...identity.attachedPolicyArns];
  for (const name of identity.groupNames) {
    const group = groups.get(name);
    if (group === undefined) {
      gaps.push({ fact: 'policies', cause: 'group-missing', detail: name });
      continue;
    }
    managed.push(...group.attachedPolicyArns);
    for (const inline of group.inlinePolicies) {
      if (inline.document === undefined) gaps.push({ fact: 'policies', cause: 'unreadable', detail: `group ${name} inline ${inline.name}` });
    }
  }
  for (const inline of identity.inlinePolicies) {
    if (inline.document === undefined) gaps.push({ fact: 'policies', cause: 'unreadable', detail: `user ${identity.userName} inline ${inline.name}` });
  }
  if (identity.permissionsBoundaryArn !== undefined) managed.push(identity.permissionsBoundaryArn);
  for (const arn of new Set(managed)) {
    const policy = policies.get(arn);
    if (policy === undefined || policy.document === undefined) {
      const known = documentGaps.find((gap) => gap.detail === arn);
      gaps.push({ fact: 'policies', cause: known?.cause ?? 'document-missing', detail: arn });
    }
  }
  return gaps;
}

/** Why the report settles nothing for a user it has no trusted row for. */
function rowGap(fact: DataGap['fact'], match: ReportRowMatch | undefined): DataGap {
  switch (match?.kind) {
    case 'earlier-user':
      return { fact, cause: 'not-in-credential-report', detail: 'the row is of an earlier user of the same name' };
    case 'creation-unknown':
      return { fact, cause: 'not-in-credential-report', detail: "the user's creation time is unknown, so no row can be matched to it" };
    case 'rejected':
      return { fact, cause: 'unreadable', detail: `credential report line ${match.rejected.line}: ${match.rejected.reason}` };
    default:
      return { fact, cause: 'not-in-credential-report' };
  }
}

function rootUser(report: CredentialReport | undefined): RootUser | undefined {
  const row = report === undefined ? undefined : rootRow(report);
  if (row === undefined) return undefined;
  const [first, second] = row.accessKeys;
  const accessKeysActive =
    first.active === true || second.active === true ? true : first.active === false && second.active === false ? false : undefined;
  return { arn: row.arn, mfaActive: row.mfaActive, accessKeysActive, passwordLastUsedAt: row.passwordLastUsedAt };
}
