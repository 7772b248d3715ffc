/** What the caller's credentials are, told from who AWS says they are and how one guarded action answered (pure). */
import { formatSeconds } from './duration.js';

/**
 * The probe: a read-only action without parameters that every guard profile denies without MFA (it is none of the
 * bootstrap actions). Its answer tells the guard's deny apart from no permission at all.
 */
export const PROBE_ACTION = 'iam:GetAccountSummary';

export type ProbeAnswer =
  /** The call succeeded. */
  | { readonly outcome: 'allowed' }
  /** AccessDenied, with AWS's message. */
  | { readonly outcome: 'denied'; readonly message: string }
  /** The session token was refused before any policy was read (InvalidClientTokenId): IAM takes no session without MFA. */
  | { readonly outcome: 'token-refused'; readonly message: string };

export interface DoctorEvidence {
  /** From sts:GetCallerIdentity, which no policy can deny. */
  readonly callerArn: string;
  readonly accessKeyId: string;
  /** When the credentials expire, when their source says so. */
  readonly expiration?: Date;
  readonly probe: ProbeAnswer;
  /** The `force-mfa session` command line that would give this caller an MFA session. */
  readonly sessionCommand: string;
}

export type CallerKind =
  | 'long-term-without-mfa'
  | 'session-without-mfa'
  | 'mfa-session'
  | 'role-session'
  | 'not-covered'
  | 'unknown';

/** Where AWS's AccessDenied message says the deny came from. */
export type DenialSource =
  | { readonly kind: 'explicit'; readonly policyType: string; readonly policyArn?: string }
  | { readonly kind: 'implicit'; readonly policyType: string }
  | { readonly kind: 'unstated' };

export interface Diagnosis {
  readonly kind: CallerKind;
  /** One sentence for the person who asked. */
  readonly sentence: string;
  readonly denial?: DenialSource;
  /** True when the answer names an explicit deny in an identity-based policy (where the guard lives). */
  readonly identityBasedDeny: boolean;
}

/**
 * AWS's AccessDenied messages end, since 2021–2023, with the reason: `... with an explicit deny in an identity-based
 * policy[: POLICY-ARN]` or `... because no identity-based policy allows the ACTION action`. Older messages and other
 * endpoints say neither: then nothing is told.
 */
export function denialSource(message: string): DenialSource {
  const explicit = /with an explicit deny in an? ([a-z-]+(?: [a-z-]+)*? policy|permissions boundary)(?::\s*(arn:\S+?))?\.?\s*$/i.exec(message.trim());
  if (explicit) {
    return { kind: 'explicit', policyType: (explicit[1] ?? '').toLowerCase(), ...(explicit[2] === undefined ? {} : { policyArn: explicit[2] }) };
  }
  const implicit = /because no ([a-z-]+(?: [a-z-]+)*? policy|permissions boundary) allows/i.exec(message);
  if (implicit) return { kind: 'implicit', policyType: (implicit[1] ?? '').toLowerCase() };
  return { kind: 'unstated' };
}

type CallerArn =
  | { readonly type: 'user'; readonly name: string }
  | { readonly type: 'role'; readonly role: string; readonly session: string }
  | { readonly type: 'federated'; readonly name: string }
  | { readonly type: 'root' }
  | { readonly type: 'other' };

export function parseCallerArn(arn: string): CallerArn {
  const user = /^arn:[\w-]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return { type: 'user', name: user[1] as string };
  const role = /^arn:[\w-]+:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (role) return { type: 'role', role: role[1] as string, session: role[2] as string };
  const federated = /^arn:[\w-]+:sts::\d{12}:federated-user\/(.+)$/.exec(arn);
  if (federated) return { type: 'federated', name: federated[1] as string };
  if (/^arn:[\w-]+:iam::\d{12}:root$/.test(arn)) return { type: 'root' };
  return { type: 'other' };
}

export function diagnose(evidence: DoctorEvidence, now: Date): Diagnosis {
  const caller = parseCallerArn(evidence.callerArn);
  const { probe } = evidence;
  const denial = probe.outcome === 'denied' ? denialSource(probe.message) : undefined;
  const identityBasedDeny = denial?.kind === 'explicit' && denial.policyType === 'identity-based policy';
  const base = { identityBasedDeny, ...(denial === undefined ? {} : { denial }) };
  const probeSaid = describeProbe(probe, denial);
  const temporary = evidence.accessKeyId.startsWith('ASIA');

  switch (caller.type) {
    case 'root':
      return { ...base, kind: 'not-covered', sentence: `You are using the root user's credentials, which the guard (a policy of an IAM group) does not cover; ${probeSaid}.` };
    case 'role':
      return {
        ...base,
        kind: 'role-session',
        sentence:
          `You have a role session of ${caller.role} (session ${caller.session}${lifetime(evidence, now)})` +
          `${caller.role.startsWith('AWSReservedSSO_') ? ' from IAM Identity Center' : ''}; the guard covers IAM users, not roles, so MFA is up to how the role was assumed; ${probeSaid}.`,
      };
    case 'federated':
      if (identityBasedDeny) {
        return { ...base, kind: 'session-without-mfa', sentence: `You have a federation session (GetFederationToken) of ${caller.name}, which never carries MFA, and ${probeSaid}: run \`${evidence.sessionCommand}\` and use its profile.` };
      }
      return { ...base, kind: 'not-covered', sentence: `You have a federation session (GetFederationToken) of ${caller.name}, which the guard does not deny: ${probeSaid}.` };
    case 'user':
      break;
    default:
      return { ...base, kind: 'unknown', sentence: `AWS names the caller ${evidence.callerArn}, which force-mfa cannot place; ${probeSaid}.` };
  }

  if (temporary) {
    if (probe.outcome === 'token-refused') {
      return {
        ...base,
        kind: 'session-without-mfa',
        // A session cannot start another one: the command must name the profile with the user's long-term keys.
        sentence: `You have a session of IAM user ${caller.name} without MFA (IAM refuses its token: ${probe.message}): run \`force-mfa session --profile SOURCE\` with the profile that holds your long-term access keys, and use its profile.`,
      };
    }
    if (identityBasedDeny) {
      // The less protected reading: the guard may be denying a session that lacks MFA (one not from GetSessionToken).
      return {
        ...base,
        kind: 'unknown',
        sentence: `You have a session of IAM user ${caller.name}${lifetime(evidence, now)}, and ${probeSaid}: either the guard treats it as a session without MFA, or another deny covers that action; get a session with \`force-mfa session --profile SOURCE\` and run doctor on it.`,
      };
    }
    // IAM takes a session token from GetSessionToken only when MFA was given for it: being judged at all proves MFA.
    return {
      ...base,
      kind: 'mfa-session',
      sentence: `You have an MFA session of IAM user ${caller.name}${lifetime(evidence, now)}; ${probeSaid}.`,
    };
  }
  if (identityBasedDeny) {
    return {
      ...base,
      kind: 'long-term-without-mfa',
      sentence: `You are using the long-term access keys of IAM user ${caller.name} without MFA, and ${probeSaid}: run \`${evidence.sessionCommand}\` and use its profile.`,
    };
  }
  if (probe.outcome === 'allowed' || denial?.kind === 'implicit' || denial?.kind === 'explicit') {
    return {
      ...base,
      kind: 'not-covered',
      sentence: `You are using the long-term access keys of IAM user ${caller.name}, which the guard does not cover (${probeSaid}).`,
    };
  }
  return {
    ...base,
    kind: 'unknown',
    sentence: `You are using the long-term access keys of IAM user ${caller.name}; whether the guard covers them is not known: ${probeSaid}, and AWS's message does not say why.`,
  };
}

function describeProbe(probe: ProbeAnswer, denial: DenialSource | undefined): string {
  if (probe.outcome === 'allowed') return `${PROBE_ACTION} without MFA was allowed`;
  if (probe.outcome === 'token-refused') return `IAM refused the session token`;
  if (denial?.kind === 'explicit') {
    return `${PROBE_ACTION} was denied with an explicit deny in ${article(denial.policyType)} ${denial.policyType}${denial.policyArn === undefined ? '' : ` (${denial.policyArn})`}`;
  }
  if (denial?.kind === 'implicit') return `${PROBE_ACTION} was denied only because no ${denial.policyType} allows it`;
  return `${PROBE_ACTION} was denied`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function lifetime(evidence: DoctorEvidence, now: Date): string {
  if (evidence.expiration === undefined) return ', remaining lifetime not known';
  const seconds = Math.floor((evidence.expiration.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return ', expired';
  return `, ${formatSeconds(Math.floor(seconds / 60) * 60 || seconds)} left`;
}
