/** The account snapshot: what an audit knows about one AWS account, source-agnostic, plain JSON, unknowns explicit. */

/**
 * A fact is `undefined` when no source settled it; the record's `gaps` say why. A missing fact is never
 * defaulted to false: "no data" and "no MFA" are different answers.
 */

export type MfaDeviceKind = 'virtual' | 'hardware' | 'fido' | 'sms' | 'unknown';

export interface MfaDevice {
  readonly serialNumber: string;
  readonly kind: MfaDeviceKind;
  readonly enabledAt: string | undefined;
}

/** Where a per-user fact came from: the account-wide credential report or a per-user call or file. */
export type FactSource =
  | 'credential-report'
  | 'list-mfa-devices'
  /** ListVirtualMFADevices (AssignmentStatus=Assigned): the user holds a virtual device, other devices unlisted. */
  | 'list-virtual-mfa-devices'
  | 'get-login-profile'
  | 'list-access-keys'
  | 'mfa-devices-file'
  | 'builder';

export interface ConsolePassword {
  readonly enabled: boolean;
  readonly lastUsedAt: string | undefined;
  readonly source: FactSource;
}

export interface MfaState {
  /** At least one device is assigned to the user. */
  readonly enrolled: boolean;
  /** The devices with their kinds; undefined when the source tells only whether one exists (credential report). */
  readonly devices: readonly MfaDevice[] | undefined;
  readonly source: FactSource;
}

export interface AccessKey {
  /** The last four characters of the key id at most (never the full id), when a source gives it. */
  readonly idSuffix: string | undefined;
  readonly active: boolean;
  readonly lastUsedAt: string | undefined;
  readonly lastRotatedAt: string | undefined;
}

export interface AccessKeyState {
  readonly keys: readonly AccessKey[];
  readonly source: FactSource;
}

export interface InlinePolicy {
  readonly name: string;
  /** The decoded JSON document; undefined when it was missing or could not be decoded (see gaps). */
  readonly document: unknown;
}

export interface ManagedPolicy {
  readonly arn: string;
  readonly name: string;
  readonly defaultVersionId: string | undefined;
  /** The default version's decoded JSON document; undefined when missing or undecodable. */
  readonly document: unknown;
}

export type FactName =
  | 'password'
  | 'mfa'
  | 'mfa-kinds'
  | 'access-keys'
  | 'policies'
  | 'users'
  | 'root'
  /** The account's unassigned virtual MFA devices (ListVirtualMFADevices, AssignmentStatus=Unassigned). */
  | 'virtual-devices'
  | 'account-alias';

export type GapCause =
  /** AWS refused the call (AccessDenied). */
  | 'access-denied'
  /** A call kept failing (throttling or server errors after retries, network). */
  | 'call-failed'
  /** The user was created after the credential report, or the report has no row for them. */
  | 'not-in-credential-report'
  /** There is no credential report at all (denied, failed, or no file). */
  | 'no-credential-report'
  /** An input file is absent. */
  | 'file-missing'
  /** The credential report was left out on purpose (the files source's `omitCredentialReport`). */
  | 'omitted'
  /** An input file or a policy document could not be read or decoded. */
  | 'unreadable'
  /** A managed policy attached to the user or a group is not in the data. */
  | 'document-missing'
  /** A group the user belongs to is not in the data. */
  | 'group-missing';

export interface DataGap {
  readonly fact: FactName;
  readonly cause: GapCause;
  /** What is concerned: an API operation, a file, a policy ARN, a group name. Never a secret. */
  readonly detail?: string;
}

/** A user as the authorization details describe it: identity, memberships and policies, no credentials yet. */
export interface UserIdentity {
  readonly userName: string;
  readonly arn: string;
  readonly path: string;
  readonly userId: string;
  readonly createdAt: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly groupNames: readonly string[];
  readonly inlinePolicies: readonly InlinePolicy[];
  readonly attachedPolicyArns: readonly string[];
  readonly permissionsBoundaryArn: string | undefined;
}

/** A user with the credential facts joined from the credential report and per-user reads. */
export interface IamUser extends UserIdentity {
  readonly consolePassword: ConsolePassword | undefined;
  readonly mfa: MfaState | undefined;
  readonly accessKeys: AccessKeyState | undefined;
  readonly gaps: readonly DataGap[];
}

export interface IamGroup {
  readonly groupName: string;
  readonly arn: string;
  readonly path: string;
  readonly groupId: string;
  readonly createdAt: string | undefined;
  readonly inlinePolicies: readonly InlinePolicy[];
  readonly attachedPolicyArns: readonly string[];
}

/** The root user's row of the credential report. */
export interface RootUser {
  readonly arn: string;
  readonly mfaActive: boolean | undefined;
  readonly accessKeysActive: boolean | undefined;
  readonly passwordLastUsedAt: string | undefined;
}

export type SourceKind =
  | 'authorization-details'
  | 'credential-report'
  | 'mfa-devices'
  | 'virtual-mfa-devices'
  | 'login-profiles'
  | 'access-keys'
  | 'account-aliases'
  /** GetAccountSummary: the root user's MFA, access keys and password, account-wide. */
  | 'account-summary';

export interface DataSource {
  readonly kind: SourceKind;
  readonly origin: 'aws' | 'file' | 'memory';
  /**
   * When the data was produced: the credential report's GeneratedTime or the time of the live calls, taken from the
   * data, never from a file's modification time (a copy, a checkout or an edit resets it).
   */
  readonly capturedAt: string | undefined;
  /** A file path or an API operation. */
  readonly location?: string;
  /** How many calls or files fed this source. */
  readonly count?: number;
  /** Why `capturedAt` is unknown, when it is and the reason is known. */
  readonly capturedAtUnknown?: CaptureUnknownCause;
}

/** `not-recorded`: the export's format carries no time (get-account-authorization-details, list-mfa-devices, the console's CSV). */
export type CaptureUnknownCause = 'not-recorded';

export interface AccountSnapshot {
  readonly accountId: string | undefined;
  readonly alias: string | undefined;
  readonly partition: string;
  /** When the snapshot was assembled (ISO 8601). */
  readonly collectedAt: string;
  readonly sources: readonly DataSource[];
  readonly users: readonly IamUser[];
  readonly groups: readonly IamGroup[];
  readonly managedPolicies: readonly ManagedPolicy[];
  readonly root: RootUser | undefined;
  /** The root user's facts from GetAccountSummary (and ListVirtualMFADevices); absent when no source read them. */
  readonly rootSummary?: PerAccountFact<RootAccountSummary>;
  /** Virtual MFA devices assigned to no one; absent when no source read them (unknown, never "none"). */
  readonly unassignedVirtualDevices?: PerAccountFact<readonly UnassignedVirtualDevice[]>;
  /** Account-wide gaps (a source that is missing entirely). Per-user gaps live on each user. */
  readonly gaps: readonly DataGap[];
}

/** An account-wide fact as read, or the gap that kept it unread. */
export type PerAccountFact<T> = { readonly value: T; readonly capturedAt: string | undefined } | { readonly gap: DataGap };

/** GetAccountSummary's root keys (1/0 in the SummaryMap); undefined when the map lacks the key. */
export interface RootAccountSummary {
  readonly mfaEnabled: boolean | undefined;
  readonly accessKeysPresent: boolean | undefined;
  readonly passwordPresent: boolean | undefined;
  /**
   * Whether ListVirtualMFADevices (Assigned) lists a device of the root user: true virtual, false not virtual
   * (hardware TOTP or FIDO, when MFA is on), undefined when that listing was not read.
   */
  readonly virtualDevice: boolean | undefined;
}

/**
 * A virtual MFA device assigned to no user: what an abandoned enrollment leaves. AWS gives no creation date for a
 * virtual device; `enabledAt` is its EnableDate when AWS gives one (a device once enabled, then deactivated), which
 * the device is at least as old as.
 */
export interface UnassignedVirtualDevice {
  readonly serialNumber: string;
  /** The serial's last path segment (`arn:aws:iam::111122223333:mfa/alice-phone` → `alice-phone`). */
  readonly name: string;
  readonly enabledAt: string | undefined;
}

/** The name part of a virtual device's serial (its ARN). */
export function virtualDeviceName(serialNumber: string): string {
  const resource = serialNumber.split(':').slice(5).join(':');
  const name = resource.replace(/^mfa\//, '').split('/').pop();
  return name === undefined || name === '' ? serialNumber : name;
}
