/**
 * CloudTrail evidence of console sign-ins without MFA, decoded from LookupEvents records (live pages or the JSON
 * `aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin` writes).
 * Pure: records in, per-user evidence out. A record that cannot be decoded is counted as rejected, never dropped
 * silently, so the caller can say the evidence is incomplete.
 */

/** One user's sign-ins without MFA inside the window. */
export interface SignInsWithoutMfa {
  readonly userArn: string;
  readonly userName: string | undefined;
  readonly count: number;
  readonly lastAt: string;
  readonly lastSourceIp: string | undefined;
}

export interface ConsoleLoginEvidence {
  /** Window start and end (ISO 8601) the evidence covers. */
  readonly from: string;
  readonly to: string;
  /** Users with at least one successful console sign-in without MFA in the window, by ARN. */
  readonly users: ReadonlyMap<string, SignInsWithoutMfa>;
  /** ConsoleLogin records read in the window. */
  readonly events: number;
  /** Records that could not be decoded (index in the input and why). */
  readonly rejected: readonly { readonly index: number; readonly reason: string }[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Summarises ConsoleLogin records within [from, to]. A record counts when its decoded `CloudTrailEvent` (a JSON
 * string) says the sign-in succeeded (`responseElements.ConsoleLogin` = `Success`) and `additionalEventData.MFAUsed`
 * is `No`, for an IAM user. Records outside the window and of other identities (root, roles) are skipped by design.
 */
export function summarizeConsoleLogins(records: readonly unknown[], window: { readonly from: Date; readonly to: Date }): ConsoleLoginEvidence {
  const users = new Map<string, SignInsWithoutMfa>();
  const rejected: { index: number; reason: string }[] = [];
  let events = 0;
  records.forEach((record, index) => {
    if (!isObject(record)) return void rejected.push({ index, reason: 'not an object' });
    const raw = record['CloudTrailEvent'];
    if (typeof raw !== 'string') return void rejected.push({ index, reason: 'no CloudTrailEvent string' });
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch {
      return void rejected.push({ index, reason: 'CloudTrailEvent is not JSON' });
    }
    if (!isObject(event)) return void rejected.push({ index, reason: 'CloudTrailEvent is not a JSON object' });
    if (event['eventName'] !== 'ConsoleLogin') return;
    const at = Date.parse(text(event['eventTime']) ?? '');
    if (Number.isNaN(at)) return void rejected.push({ index, reason: 'no eventTime' });
    if (at < window.from.getTime() || at > window.to.getTime()) return;
    events++;
    const identity = event['userIdentity'];
    const additional = event['additionalEventData'];
    const response = event['responseElements'];
    if (!isObject(identity)) return void rejected.push({ index, reason: 'no userIdentity' });
    if (identity['type'] !== 'IAMUser') return;
    const arn = text(identity['arn']);
    if (arn === undefined) return void rejected.push({ index, reason: 'no userIdentity.arn' });
    const mfaUsed = isObject(additional) ? additional['MFAUsed'] : undefined;
    const outcome = isObject(response) ? response['ConsoleLogin'] : undefined;
    if (mfaUsed !== 'Yes' && mfaUsed !== 'No') return void rejected.push({ index, reason: 'no additionalEventData.MFAUsed' });
    if (outcome !== 'Success' || mfaUsed === 'Yes') return;
    const lastAt = new Date(at).toISOString();
    const previous = users.get(arn);
    const later = previous === undefined || lastAt > previous.lastAt;
    users.set(arn, {
      userArn: arn,
      userName: text(identity['userName']) ?? previous?.userName,
      count: (previous?.count ?? 0) + 1,
      lastAt: later ? lastAt : previous.lastAt,
      lastSourceIp: later ? text(event['sourceIPAddress']) : previous.lastSourceIp,
    });
  });
  return { from: window.from.toISOString(), to: window.to.toISOString(), users, events, rejected };
}
