/** What an audit says: each user's status with reasons and a next step, account findings, and a summary. */
import type { EvidenceGap, EvidenceState } from '../account/console-logins.js';
import type { DataGap, DataSource, FactName, FactSource, GapCause, MfaDeviceKind } from '../account/model.js';

export type UserStatus =
  | 'protected'
  | 'pending-enrollment'
  | 'enrolled-not-enforced'
  | 'unprotected'
  | 'unprotected-programmatic'
  | 'no-credentials'
  | 'exempt'
  | 'unknown';

/** In the order of issue 4's definitions; summaries and charts use it. */
export const USER_STATUSES: readonly UserStatus[] = [
  'protected',
  'pending-enrollment',
  'enrolled-not-enforced',
  'unprotected',
  'unprotected-programmatic',
  'no-credentials',
  'exempt',
  'unknown',
];

/** Most urgent first: the default order of user tables. */
export const STATUS_URGENCY: Readonly<Record<UserStatus, number>> = {
  unprotected: 0,
  'unprotected-programmatic': 1,
  unknown: 2,
  'enrolled-not-enforced': 3,
  'pending-enrollment': 4,
  exempt: 5,
  'no-credentials': 6,
  protected: 7,
};

/** The two ways to call AWS without MFA: a console session signed in without it, and long-term access keys. */
export type NoMfaContext = 'console-no-mfa' | 'access-keys';
export const NO_MFA_CONTEXTS: readonly NoMfaContext[] = ['console-no-mfa', 'access-keys'];

export interface ReasonParams {
  'exempt-listed': Record<string, never>;
  'exempt-tagged': { readonly value: string };
  /** Requests without MFA are denied in both contexts; `policies` are those that deny on their own. */
  'mfa-enforced': { readonly policies: readonly string[] };
  /** Console sessions without MFA are denied, requests signed with access keys are not (Bool instead of BoolIfExists). */
  'guard-console-only': { readonly policies: readonly string[] };
  /** Some representative actions are not denied without MFA in this context. */
  'not-enforced': { readonly context: NoMfaContext; readonly actions: readonly string[] };
  /**
   * The probes are denied, but over the whole action catalogue these actions (the first few of `count`) are still
   * allowed without MFA in this context, beyond the bootstrap allowlist and the declared `allowWithoutMfa`.
   */
  'allowed-without-mfa': { readonly context: NoMfaContext; readonly actions: readonly string[]; readonly count: number };
  /** The whole-catalogue check could not run (no action catalogue given): enforcement is not proven. */
  'exhaustive-check-unavailable': Record<string, never>;
  /** Enforced, but bootstrap actions on users work on other users too without MFA (the seed guard's scope). */
  'bootstrap-reaches-other-users': { readonly actions: readonly string[] };
  /** No policy denies requests without MFA at all. */
  'no-guard': Record<string, never>;
  /**
   * An MFA deny also tests keys the caller or the request supplies (aws:UserAgent, aws:SourceIp, ...): a request
   * with the right value escapes it, so it does not enforce MFA.
   */
  'guard-switchable': { readonly policy: string; readonly statement: string; readonly keys: readonly string[] };
  'policy-unevaluable': { readonly policy: string; readonly message: string };
  'mfa-enrolled': { readonly kinds: readonly MfaDeviceKind[] | null; readonly source: FactSource };
  'mfa-not-enrolled': { readonly source: FactSource };
  'password-enabled': { readonly lastUsedAt: string | null };
  'no-password': Record<string, never>;
  'access-keys-active': { readonly count: number; readonly lastUsedAt: string | null };
  'no-access-keys': Record<string, never>;
  'fact-unknown': { readonly fact: FactName; readonly cause: GapCause; readonly detail: string | null };
  /** CloudTrail: successful console sign-ins without MFA in the last `days` days. */
  'signed-in-without-mfa': { readonly count: number; readonly lastAt: string; readonly lastSourceIp: string | null; readonly days: number };
}
export type ReasonCode = keyof ReasonParams;
export type Reason = { [C in ReasonCode]: { readonly code: C; readonly params: ReasonParams[C] } }[ReasonCode];

export interface NextStepParams {
  none: Record<string, never>;
  'enroll-mfa': { readonly user: string };
  /** Enforced, not enrolled, access keys but no console password: someone must enroll a device for them. */
  'enroll-mfa-for-key-user': { readonly user: string };
  'add-to-guard-group': { readonly user: string; readonly group: string };
  'add-to-guard-group-before-credentials': { readonly user: string; readonly group: string };
  'fix-guard-condition': { readonly policies: readonly string[] };
  'fix-guard-exemptions': { readonly actions: readonly string[] };
  /** Make the MFA deny depend on the MFA keys only: remove its conditions on `keys`. */
  'remove-switchable-condition': { readonly policy: string; readonly statement: string; readonly keys: readonly string[] };
  /** Deny these actions without MFA (narrow the guard's exemptions), or accept them with `allowWithoutMfa`. */
  'deny-or-accept-without-mfa': { readonly actions: readonly string[]; readonly count: number };
  'provide-action-catalogue': Record<string, never>;
  'secure-programmatic-user': { readonly user: string; readonly group: string };
  'review-exemption': { readonly user: string };
  'collect-missing-data': { readonly facts: readonly FactName[] };
  /** The credential report was left out (an export read without it): write it to `path` and audit again. */
  'write-credential-report': { readonly user: string; readonly path: string; readonly facts: readonly FactName[] };
  'fix-policy-document': { readonly policy: string };
  /** Signed in without MFA lately although a device is listed now: find out how, then audit again. */
  'review-sign-ins-without-mfa': { readonly user: string };
}
export type NextStepCode = keyof NextStepParams;
export type NextStep = { [C in NextStepCode]: { readonly code: C; readonly params: NextStepParams[C] } }[NextStepCode];

export type Severity = 'critical' | 'high' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'warning', 'info'];

export interface FindingParams {
  'root-without-mfa': Record<string, never>;
  'root-mfa-unknown': Record<string, never>;
  'root-access-keys': Record<string, never>;
  /** Virtual MFA devices assigned to no one (abandoned enrollments); `enabledAt` only when AWS gives a date. */
  'unassigned-virtual-devices': { readonly devices: readonly { readonly serialNumber: string; readonly name: string; readonly enabledAt: string | null }[] };
  /**
   * Organization audits: member accounts whose root user has a password or access keys and no MFA, and (`recoverable`)
   * those with no root credentials whose password can still be recovered, centralized root credentials management
   * not being known to be enabled.
   */
  'org-root-without-mfa': { readonly accounts: readonly string[]; readonly recoverable: readonly string[]; readonly centralizedRootCredentials: boolean | null };
  /** Organization audits: member accounts whose root user's MFA is unknown, with the reason of each. */
  'org-root-unknown': { readonly accounts: readonly { readonly id: string; readonly reason: string }[] };
  /** Whether such devices exist is unknown; `file` names the export that would hold them (offline audits). */
  'unassigned-virtual-devices-unknown': { readonly cause: GapCause; readonly detail: string | null; readonly file: string | null };
  'admin-without-mfa': Record<string, never>;
  'admin-not-enforced': Record<string, never>;
  'admin-mfa-unknown': Record<string, never>;
  'virtual-mfa-only': { readonly hardwareRequired: boolean };
  'mfa-kinds-unknown': Record<string, never>;
  'sms-mfa': Record<string, never>;
  'credential-report-stale': { readonly ageHours: number; readonly settledLive: boolean };
  'credential-report-age-unknown': Record<string, never>;
  'data-missing': { readonly fact: FactName; readonly cause: GapCause; readonly detail: string | null };
  'bootstrap-reaches-other-users': { readonly actions: readonly string[] };
  /** No credential report was read, on purpose; `users` are those left unknown for it. */
  'credential-report-omitted': { readonly path: string | null };
  /** Users with successful console sign-ins without MFA in the window (CloudTrail). */
  'console-sign-in-without-mfa': { readonly days: number };
  'root-console-sign-in-without-mfa': { readonly count: number; readonly lastAt: string; readonly lastSourceIp: string | null; readonly days: number };
  /** The CloudTrail evidence is incomplete: users not listed may still have signed in without MFA. */
  'sign-in-evidence-unknown': { readonly days: number; readonly gaps: readonly EvidenceGap[] };
  'sign-in-evidence-partial': { readonly days: number; readonly maxEvents: number; readonly oldestReadAt: string | null };
}
export type FindingCode = keyof FindingParams;
export type AccountFinding = {
  [C in FindingCode]: { readonly code: C; readonly severity: Severity; readonly params: FindingParams[C]; readonly users: readonly string[] };
}[FindingCode];

/** Whether requests without MFA are denied in one context: `unknown` when the policies could not be read or evaluated. */
export type ContextVerdict = 'denied' | 'not-denied' | 'unknown';

export interface UserAudit {
  readonly userName: string;
  readonly arn: string;
  readonly path: string;
  readonly userId: string;
  readonly createdAt: string | null;
  readonly groups: readonly string[];
  readonly status: UserStatus;
  readonly reasons: readonly Reason[];
  readonly nextStep: NextStep;
  readonly exempt: boolean;
  /** Can act as an administrator when signed in with MFA; null when unknown. */
  readonly administrator: boolean | null;
  readonly enforcement: Readonly<Record<NoMfaContext, ContextVerdict>>;
  readonly consolePassword: { readonly enabled: boolean | null; readonly lastUsedAt: string | null };
  readonly accessKeys: { readonly active: number | null; readonly lastUsedAt: string | null; readonly idSuffixes: readonly string[] };
  readonly mfa: { readonly enrolled: boolean | null; readonly kinds: readonly MfaDeviceKind[] | null; readonly source: FactSource | null };
  readonly missing: readonly DataGap[];
  /** CloudTrail console sign-ins without MFA in the evidence window; absent in reports built without evidence. */
  readonly signInsWithoutMfa?: UserSignInEvidence;
}

/**
 * One user's CloudTrail evidence: `found` (count and the last one), `none` (a complete read found none), `unknown`
 * (the read was incomplete and found none), `not-read` (no evidence was asked for).
 */
export interface UserSignInEvidence {
  readonly state: 'found' | 'none' | 'unknown' | 'not-read';
  readonly count: number | null;
  readonly lastAt: string | null;
  readonly lastSourceIp: string | null;
}

/** Sign-ins without MFA of an identity that is not a current user: an earlier user of the same name (other id). */
export interface FormerUserSignIns {
  readonly arn: string;
  readonly principalId: string | null;
  readonly userName: string | null;
  readonly count: number;
  readonly lastAt: string;
  readonly lastSourceIp: string | null;
}

/** What the report says of the CloudTrail evidence as a whole. */
export type SignInEvidenceReport =
  | { readonly state: 'not-read' }
  | {
      readonly state: EvidenceState;
      readonly origin: 'aws' | 'file';
      readonly location: string;
      readonly days: number;
      readonly from: string;
      readonly to: string;
      readonly windowEnd: 'live' | 'export' | 'now';
      readonly regions: readonly string[] | null;
      readonly maxEvents: number | null;
      readonly events: number;
      readonly failures: number;
      readonly otherIdentities: number;
      readonly rejected: number;
      readonly gaps: readonly EvidenceGap[];
      readonly usersWithoutMfa: number;
      readonly root: { readonly count: number; readonly lastAt: string; readonly lastSourceIp: string | null } | null;
      readonly formerUsers: readonly FormerUserSignIns[];
    };

export interface AuditSummary {
  readonly users: number;
  readonly byStatus: Readonly<Record<UserStatus, number>>;
  /** Users with credentials who are not exempt: those MFA is for. Unknown users count in. */
  readonly inScope: number;
  /** In-scope users with at least one MFA device (known). */
  readonly enrolled: number;
  /** enrolled / inScope, null when nobody is in scope. */
  readonly enrolledShare: number | null;
  /** In-scope users on whom requests without MFA are denied in both contexts. */
  readonly enforced: number;
  readonly protectedShare: number | null;
  readonly findingsBySeverity: Readonly<Record<Severity, number>>;
}

export interface SourceWithAge extends DataSource {
  /** Seconds between the source's capture and the audit; null when the capture time is unknown. */
  readonly ageSeconds: number | null;
}

/** Where a root fact came from. */
export type RootFactSource = 'account-summary' | 'credential-report' | 'virtual-mfa-devices';

/** The root user's MFA and credentials as the audit reads them; an unknown fact is null, never false. */
export interface RootAudit {
  readonly arn: string | null;
  /** GetAccountSummary's AccountMFAEnabled when read (it is current), else the credential report root row's mfa_active. */
  readonly mfaEnabled: boolean | null;
  /**
   * `virtual`: ListVirtualMFADevices lists a virtual device of the root user (others may exist besides);
   * `hardware-or-fido`: MFA is on and the complete listing has none; null when unknown.
   */
  readonly mfaDevice: 'virtual' | 'hardware-or-fido' | null;
  /** GetAccountSummary's AccountPasswordPresent (the credential report's root row has no password value). */
  readonly passwordPresent: boolean | null;
  /** True when either GetAccountSummary or the report's root row shows a key (the less protective reading). */
  readonly accessKeysPresent: boolean | null;
  readonly passwordLastUsedAt: string | null;
  readonly sources: readonly RootFactSource[];
  /** Why a root fact is null. */
  readonly missing: readonly DataGap[];
}

export interface AuditReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly account: {
    readonly id: string | null;
    readonly alias: string | null;
    readonly partition: string;
    readonly signInUrl: string | null;
  };
  readonly options: {
    readonly guardGroupName: string;
    readonly exemptUsers: readonly string[];
    readonly requireHardware: boolean;
    /** Actions the administrator accepts without MFA, besides the bootstrap allowlist (patterns, sorted). */
    readonly allowWithoutMfa: readonly string[];
  };
  readonly sources: readonly SourceWithAge[];
  readonly summary: AuditSummary;
  readonly findings: readonly AccountFinding[];
  readonly users: readonly UserAudit[];
  /** Account-wide gaps, as the snapshot lists them. */
  readonly missing: readonly DataGap[];
  /** CloudTrail evidence of console sign-ins without MFA; absent in reports built before it existed. */
  readonly evidence?: SignInEvidenceReport;
  /** The root user's MFA state (absent only in reports built by older code). */
  readonly root?: RootAudit;
}
