/**
 * CloudTrail evidence of console sign-ins without MFA, decoded from LookupEvents records (live pages or the JSON
 * `aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin` writes).
 * Pure: records in, per-user evidence out. A record that cannot be decoded is counted as rejected, never dropped
 * silently, and makes the evidence `unknown`: an absence of sign-ins is only claimed from a complete read.
 */

/** Successful console sign-ins without MFA of one identity inside the window. */
export interface SignInsWithoutMfa {
  readonly userArn: string;
  readonly userName: string | undefined;
  /** `userIdentity.principalId`: the user's unique id (AIDA…), which a deleted-and-recreated user does not share. */
  readonly principalId: string | undefined;
  readonly count: number;
  readonly lastAt: string;
  readonly lastSourceIp: string | undefined;
}

/** The root user's successful console sign-ins without MFA inside the window. */
export interface RootSignInsWithoutMfa {
  readonly count: number;
  readonly lastAt: string;
  readonly lastSourceIp: string | undefined;
}

export interface RejectedRecord {
  readonly index: number;
  readonly reason: string;
}

export interface ConsoleLoginSummary {
  /** Window start and end (ISO 8601) the summary covers. */
  readonly from: string;
  readonly to: string;
  /** IAM users with at least one successful console sign-in without MFA in the window, sorted by ARN. */
  readonly users: readonly SignInsWithoutMfa[];
  readonly root: RootSignInsWithoutMfa | undefined;
  /** ConsoleLogin records read in the window. */
  readonly events: number;
  /** The oldest event time read in the window: where a read cut short by the event bound stops. */
  readonly oldestEventAt: string | undefined;
  /** Failed sign-ins in the window: nobody got in, so they are not sign-ins without MFA (counted, not listed). */
  readonly failures: number;
  /** Sign-ins of other identities in the window (federated, assumed roles, Identity Center): not IAM users. */
  readonly otherIdentities: number;
  /** Records that could not be decoded (index in the input and why). */
  readonly rejected: readonly RejectedRecord[];
  /** Accounts other than the audited one whose events were in the input (a wrong export), sorted. */
  readonly otherAccounts: readonly string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Summarises ConsoleLogin records within [from, to]. A record counts when its decoded `CloudTrailEvent` (a JSON
 * string) says the sign-in succeeded (`responseElements.ConsoleLogin` = `Success`) and `additionalEventData.MFAUsed`
 * is `No`. IAM users are keyed by principal id (else ARN); root sign-ins are kept apart. A record that names a
 * success but not its MFA use, or a success of an IAM user without an ARN, is rejected: it could hide one.
 */
export function summarizeConsoleLogins(
  records: readonly unknown[],
  window: { readonly from: Date; readonly to: Date },
  accountId?: string,
): ConsoleLoginSummary {
  const users = new Map<string, SignInsWithoutMfa>();
  const rejected: RejectedRecord[] = [];
  let root: RootSignInsWithoutMfa | undefined;
  let events = 0;
  let failures = 0;
  let otherIdentities = 0;
  let oldest = Infinity;
  const otherAccounts = new Set<string>();
  // One event read twice (overlapping regions or files) is one sign-in; what it says, by event id.
  const seen = new Map<string, string>();
  records.forEach((record, index) => {
    const reject = (reason: string): void => void rejected.push({ index, reason });
    if (!isObject(record)) return reject('not an object');
    const raw = record['CloudTrailEvent'];
    if (typeof raw !== 'string') return reject('no CloudTrailEvent string');
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch {
      return reject('CloudTrailEvent is not JSON');
    }
    if (!isObject(event)) return reject('CloudTrailEvent is not a JSON object');
    // A record without its event's name could be a sign-in: rejected, not skipped.
    const eventName = text(event['eventName']) ?? text(record['EventName']);
    if (eventName === undefined) return reject('no eventName');
    if (eventName !== 'ConsoleLogin') return;
    const eventId = text(event['eventID']) ?? text(record['EventId']);
    if (eventId !== undefined) {
      const before = seen.get(eventId);
      const facts = eventFacts(event);
      if (before === facts) return;
      // A second record of one id that says something else (an `MFAUsed: Yes` copy of a `No` sign-in) could hide
      // one: the evidence is unknown, and the record is read too, so a sign-in without MFA in either copy counts.
      if (before !== undefined) reject(`event id ${eventId} given twice with different contents`);
      else seen.set(eventId, facts);
    }
    const at = Date.parse(text(event['eventTime']) ?? '');
    if (Number.isNaN(at)) return reject('no eventTime');
    // Another account's events prove nothing about this one: a wrong export, never "no sign-ins" here.
    const eventAccount = text(event['recipientAccountId']) ?? (isObject(event['userIdentity']) ? text(event['userIdentity']['accountId']) : undefined);
    if (accountId !== undefined && eventAccount !== undefined && eventAccount !== accountId) {
      otherAccounts.add(eventAccount);
      return;
    }
    if (at < window.from.getTime() || at > window.to.getTime()) return;
    events++;
    oldest = Math.min(oldest, at);
    const identity = event['userIdentity'];
    const additional = event['additionalEventData'];
    const response = event['responseElements'];
    const outcome = isObject(response) ? response['ConsoleLogin'] : undefined;
    if (outcome === 'Failure') {
      failures++;
      return;
    }
    if (outcome !== 'Success') return reject('no responseElements.ConsoleLogin Success or Failure');
    if (!isObject(identity)) return reject('no userIdentity');
    const type = identity['type'];
    if (type !== 'IAMUser' && type !== 'Root') {
      otherIdentities++;
      return;
    }
    const mfaUsed = isObject(additional) ? additional['MFAUsed'] : undefined;
    if (mfaUsed !== 'Yes' && mfaUsed !== 'No') return reject('no additionalEventData.MFAUsed Yes or No');
    if (mfaUsed === 'Yes') return;
    const lastAt = new Date(at).toISOString();
    const sourceIp = text(event['sourceIPAddress']);
    if (type === 'Root') {
      const later = root === undefined || lastAt > root.lastAt;
      root = { count: (root?.count ?? 0) + 1, lastAt: later ? lastAt : (root?.lastAt ?? lastAt), lastSourceIp: later ? sourceIp : root?.lastSourceIp };
      return;
    }
    const arn = text(identity['arn']);
    if (arn === undefined) return reject('no userIdentity.arn');
    const principalId = text(identity['principalId']);
    const key = principalId ?? `arn:${arn}`;
    const previous = users.get(key);
    const later = previous === undefined || lastAt > previous.lastAt;
    users.set(key, {
      userArn: arn,
      userName: text(identity['userName']) ?? previous?.userName,
      principalId,
      count: (previous?.count ?? 0) + 1,
      lastAt: later ? lastAt : previous.lastAt,
      lastSourceIp: later ? sourceIp : previous.lastSourceIp,
    });
  });
  const sorted = [...users.values()].sort((a, b) => (a.userArn < b.userArn ? -1 : a.userArn > b.userArn ? 1 : (a.principalId ?? '') < (b.principalId ?? '') ? -1 : 1));
  return { from: window.from.toISOString(), to: window.to.toISOString(), users: sorted, root, events, oldestEventAt: oldest === Infinity ? undefined : new Date(oldest).toISOString(), failures, otherIdentities, rejected, otherAccounts: [...otherAccounts].sort() };
}

/** What a sign-in record says that decides the evidence: two records of one event id must agree on it. */
function eventFacts(event: Record<string, unknown>): string {
  const identity = isObject(event['userIdentity']) ? event['userIdentity'] : {};
  const response = isObject(event['responseElements']) ? event['responseElements'] : {};
  const additional = isObject(event['additionalEventData']) ? event['additionalEventData'] : {};
  return JSON.stringify([
    event['recipientAccountId'] ?? null,
    identity['type'] ?? null,
    identity['arn'] ?? null,
    identity['principalId'] ?? null,
    identity['accountId'] ?? null,
    response['ConsoleLogin'] ?? null,
    additional['MFAUsed'] ?? null,
  ]);
}

/** Why the evidence is not complete. */
export type EvidenceGapCause =
  /** AWS refused LookupEvents (in a region). */
  | 'access-denied'
  /** LookupEvents kept failing (in a region). */
  | 'call-failed'
  /** The export has no cloudtrail-console-logins.json. */
  | 'file-missing'
  /** The file is not the output of lookup-events. */
  | 'unreadable'
  /** Records that could not be decoded. */
  | 'malformed-events'
  /** The maximum number of events was reached before the window's start: older events were not read. */
  | 'max-events'
  /** Events of another account than the audited one: the export is not this account's. */
  | 'other-account'
  /** The export records no time: the window counts back from now, and the file's events may end long before it. */
  | 'export-time-unknown';

export interface EvidenceGap {
  readonly cause: EvidenceGapCause;
  readonly detail: string;
}

/** `complete`: every event of the window was read and decoded. Otherwise an absence of sign-ins proves nothing. */
export type EvidenceState = 'complete' | 'partial' | 'unknown';

/** What a source read: the records and everything that limits what they can prove. */
export interface ConsoleLoginRead {
  readonly origin: 'aws' | 'file';
  /** The file, or `cloudtrail:LookupEvents`. */
  readonly location: string;
  readonly days: number;
  readonly window: { readonly from: Date; readonly to: Date };
  /** What the window ends at: the live clock, the export's capture time, or now (an export of unknown time). */
  readonly windowEnd: 'live' | 'export' | 'now';
  /** The regions read (live), null for a file. */
  readonly regions: readonly string[] | null;
  readonly maxEvents: number | null;
  readonly records: readonly unknown[];
  readonly gaps: readonly EvidenceGap[];
  /** The audited account; events of another account make the evidence unknown. */
  readonly accountId?: string | undefined;
}

export interface ConsoleLoginEvidence extends ConsoleLoginSummary {
  readonly state: EvidenceState;
  readonly gaps: readonly EvidenceGap[];
  readonly origin: 'aws' | 'file';
  readonly location: string;
  readonly days: number;
  readonly windowEnd: 'live' | 'export' | 'now';
  readonly regions: readonly string[] | null;
  readonly maxEvents: number | null;
}

/**
 * The evidence of one read: `unknown` when a read failed or a record could not be decoded, `partial` when the
 * event bound cut the window short, `complete` otherwise. Sign-ins found are real in every state.
 */
export function consoleLoginEvidence(read: ConsoleLoginRead): ConsoleLoginEvidence {
  const summary = summarizeConsoleLogins(read.records, read.window, read.accountId);
  const gaps: EvidenceGap[] = [...read.gaps];
  if (summary.otherAccounts.length > 0) {
    gaps.push({ cause: 'other-account', detail: `events of account ${summary.otherAccounts.join(', ')}, not of the audited account ${read.accountId ?? ''}` });
  }
  if (summary.rejected.length > 0) {
    const first = summary.rejected[0] as RejectedRecord;
    gaps.push({ cause: 'malformed-events', detail: `${summary.rejected.length} record(s) could not be decoded (first: record ${first.index}, ${first.reason})` });
  }
  const state: EvidenceState = gaps.some((gap) => gap.cause !== 'max-events') ? 'unknown' : gaps.length > 0 ? 'partial' : 'complete';
  return {
    ...summary,
    state,
    gaps,
    origin: read.origin,
    location: read.location,
    days: read.days,
    windowEnd: read.windowEnd,
    regions: read.regions,
    maxEvents: read.maxEvents,
  };
}

/** CloudTrail's event history covers 90 days: a longer window would claim more than it can read. */
export const MAX_EVIDENCE_DAYS = 90;
export const DEFAULT_EVIDENCE_MAX_EVENTS = 50_000;
/**
 * Where IAM users' and the root user's ConsoleLogin events are recorded (CloudTrail user guide, "AWS Management
 * Console sign-in events"): root and the global endpoint without an alias cookie in us-east-1; the global endpoint
 * with an account alias cookie in us-east-2, eu-north-1 or ap-southeast-2 (by latency); a Regional sign-in endpoint
 * in its own region. The CLI adds the configured region; other regional endpoints are read only when listed.
 */
export const DEFAULT_EVIDENCE_REGIONS: readonly string[] = ['us-east-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2'];
