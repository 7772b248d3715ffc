/** The shape of one language's audit texts: every status, reason, next step, finding and report label. */
import type { EvidenceGapCause } from '../../account/console-logins.js';
import type { CaptureUnknownCause, FactName, FactSource, GapCause, MfaDeviceKind, SourceKind } from '../../account/model.js';
import type {
  ContextVerdict,
  FindingCode,
  FindingParams,
  NextStepCode,
  NextStepParams,
  NoMfaContext,
  ReasonCode,
  ReasonParams,
  RootAudit,
  Severity,
  SignInEvidenceReport,
  UserSignInEvidence,
  UserStatus,
} from '../types.js';

export type Language = 'en' | 'ja';
export const LANGUAGES: readonly Language[] = ['en', 'ja'];

export interface AuditLabels {
  readonly title: string;
  readonly account: string;
  readonly signInUrl: string;
  readonly generatedAt: string;
  readonly summary: string;
  readonly users: string;
  readonly user: string;
  readonly path: string;
  readonly status: string;
  readonly reasons: string;
  readonly nextStep: string;
  readonly groups: string;
  readonly mfa: string;
  readonly consolePassword: string;
  readonly accessKeys: string;
  readonly administrator: string;
  readonly enforced: string;
  readonly consoleOnly: string;
  readonly findings: string;
  readonly severity: string;
  readonly sources: string;
  readonly source: string;
  readonly capturedAt: string;
  readonly age: string;
  readonly inScope: string;
  readonly enrolledShare: string;
  readonly protectedShare: string;
  readonly count: string;
  readonly filterPlaceholder: string;
  readonly allStatuses: string;
  /** The account filter's "no filter" choice (organization reports). */
  readonly allAccounts: string;
  readonly noFindings: string;
  readonly noUsers: string;
  readonly yes: string;
  readonly no: string;
  readonly unknown: string;
  readonly none: string;
  readonly chartTitle: string;
  readonly showing: (shown: number, total: number) => string;
  readonly sortHint: string;
  readonly missingData: string;
}

export interface AuditMessages {
  readonly language: Language;
  readonly status: Readonly<Record<UserStatus, string>>;
  readonly statusMeaning: Readonly<Record<UserStatus, string>>;
  readonly reasons: { readonly [C in ReasonCode]: (params: ReasonParams[C]) => string };
  readonly nextSteps: { readonly [C in NextStepCode]: (params: NextStepParams[C]) => string };
  readonly findings: { readonly [C in FindingCode]: (params: FindingParams[C], users: readonly string[]) => string };
  readonly severity: Readonly<Record<Severity, string>>;
  readonly context: Readonly<Record<NoMfaContext, string>>;
  readonly verdict: Readonly<Record<ContextVerdict, string>>;
  readonly fact: Readonly<Record<FactName, string>>;
  readonly cause: Readonly<Record<GapCause, string>>;
  readonly mfaKind: Readonly<Record<MfaDeviceKind, string>>;
  readonly factSource: Readonly<Record<FactSource, string>>;
  readonly sourceKind: Readonly<Record<SourceKind, string>>;
  /** Why a source's age is unknown, shown next to "unknown". */
  readonly captureUnknown: Readonly<Record<CaptureUnknownCause, string>>;
  readonly labels: AuditLabels;
  /** The CloudTrail evidence of console sign-ins without MFA. */
  readonly signIns: SignInTexts;
  /** "3 h", "2 d"; unknown ages are the labels' `unknown`. */
  readonly age: (seconds: number) => string;
  readonly date: (iso: string) => string;
  /** Security Hub (ASFF): a user finding's title, and the note on a finding force-mfa resolves. */
  readonly asff: {
    readonly userTitle: (userName: string, status: string) => string;
    readonly resolvedNote: (auditedAt: string) => string;
  };
  /** One line on the root user: MFA (and its device), password, access keys; unknown facts say so. */
  readonly rootState: (root: RootAudit) => string;
}

export interface SignInTexts {
  /** The users' column: "Without MFA (CloudTrail)". */
  readonly column: string;
  /** The report's evidence line title. */
  readonly title: string;
  /** One user's cell: "3, last 2025-05-20 09:30 UTC from 192.0.2.2", "none", "unknown", "not read". */
  readonly cell: (evidence: UserSignInEvidence) => string;
  /** After a device kind in the MFA column of a user seen signing in without MFA: the device was not used. */
  readonly notUsed: string;
  /** The evidence as a whole, one line: what was read, the window, and what it can prove. */
  readonly summary: (evidence: SignInEvidenceReport) => string;
  readonly cause: Readonly<Record<EvidenceGapCause, string>>;
}
