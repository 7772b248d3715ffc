/** The enrollment log: one JSON line per step of every applied change, so a run can resume and be undone (pure). */
import { inputError } from '../errors.js';
import { readJsonlLog } from './jsonl-log.js';

/** Membership changes, and the exemption tag that `exclude` sets (`tag`) and undo takes back (`untag`). */
export type LoggedAction = 'add' | 'remove' | 'tag' | 'untag';
/** `intent` is written before the IAM call, `done` after it succeeded, `failed` when it threw. */
export type LoggedPhase = 'intent' | 'done' | 'failed';

/**
 * The log format this code writes. Lines without `version` are version 1 (no `memberBefore`, no `members-before`
 * lines) and are still read, as are version 2 lines (no account or group ARN in the header); a higher version is
 * refused, since reading it as ours could remove the wrong users.
 */
export const ENROLL_LOG_VERSION = 3;
const READABLE_VERSIONS: readonly unknown[] = [1, 2, 3];

interface LogLineBase {
  /** Absent on version 1 lines. */
  readonly version?: number;
  /** ISO 8601 time the line was written. */
  readonly time: string;
  /** Identifies one enroll or unenroll run. */
  readonly runId: string;
  readonly groupName: string;
  /** The identity that ran the change (an ARN). */
  readonly by?: string;
  /** Set when the line before it was cut short (a crash while writing) and this line was appended after it. */
  readonly afterCutLine?: true;
}

/** One step of one membership change. */
export interface EnrollLogEntry extends LogLineBase {
  readonly userName: string;
  readonly action: LoggedAction;
  readonly phase: LoggedPhase;
  /** On `intent` lines (version 2): whether the user was a member when the run read the group, before the call. */
  readonly memberBefore?: boolean;
  /** For `failed`: the error's name and message. */
  readonly error?: string;
  /** On `done` lines: the call failed or its answer was lost, and a read (GetGroup, ListUserTags) showed it applied. */
  readonly confirmedBy?: string;
  /** On `tag` and `untag` intents: the tags set, or the keys removed. */
  readonly tags?: Readonly<Record<string, string>>;
  /** On `tag` intents: the values those keys had before (absent keys are not listed), restored by undo. */
  readonly previousTags?: Readonly<Record<string, string>>;
}

/**
 * The header of one enroll run, written before its first change: the group's members as the run read them (version
 * 2), and what the run was bound to (version 3): the account, the group's ARN and the caller (`by`).
 */
export interface MembersBeforeEntry extends LogLineBase {
  readonly phase: 'members-before';
  readonly members: readonly string[];
  readonly accountId?: string;
  readonly groupArn?: string;
}

export type EnrollLogLine = EnrollLogEntry | MembersBeforeEntry;

/** Where applied changes are recorded; the file implementation appends and flushes each line before returning. */
export interface EnrollLogWriter {
  append(entry: EnrollLogLine): void;
}

export interface ParsedEnrollLog {
  readonly entries: EnrollLogLine[];
  /** Lines skipped because a crash cut them short, one sentence each. */
  readonly warnings: string[];
}

/** One log per account and group: runs in two accounts never share a default log. */
export function defaultLogFileName(accountId: string, groupName: string): string {
  return `force-mfa-enroll-${accountId}-${groupName}.jsonl`;
}

const ACTIONS: readonly string[] = ['add', 'remove', 'tag', 'untag'];
const PHASES: readonly string[] = ['intent', 'done', 'failed'];

function isLine(value: unknown): value is EnrollLogLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entry = value as Record<string, unknown>;
  const common =
    typeof entry['time'] === 'string' &&
    typeof entry['runId'] === 'string' &&
    typeof entry['groupName'] === 'string' &&
    (entry['memberBefore'] === undefined || typeof entry['memberBefore'] === 'boolean');
  if (!common) return false;
  if (entry['phase'] === 'members-before') {
    return (
      Array.isArray(entry['members']) &&
      entry['members'].every((name) => typeof name === 'string') &&
      (entry['accountId'] === undefined || typeof entry['accountId'] === 'string') &&
      (entry['groupArn'] === undefined || typeof entry['groupArn'] === 'string')
    );
  }
  return typeof entry['userName'] === 'string' && ACTIONS.includes(entry['action'] as string) && PHASES.includes(entry['phase'] as string);
}

export function isMembersBefore(line: EnrollLogLine): line is MembersBeforeEntry {
  return line.phase === 'members-before';
}

/**
 * Parses the log text. Lines cut short by a crash while writing are skipped with a warning: the last line of a text
 * that does not end with a newline, and lines followed by one marked `afterCutLine` (the writer marks the first line
 * it appends after a cut one). Any other unreadable line is an input error naming the line, since undoing from a log
 * we misread could remove the wrong users.
 */
export function readEnrollLog(text: string, source: string): ParsedEnrollLog {
  return readJsonlLog(
    text,
    source,
    (parsed, lineNumber) => {
      const version = typeof parsed === 'object' && parsed !== null ? ((parsed as { version?: unknown }).version ?? 1) : 1;
      if (!READABLE_VERSIONS.includes(version)) {
        throw inputError(
          'enroll-log-version',
          `${source} line ${lineNumber} has log version ${JSON.stringify(version)}, which this force-mfa cannot read: use a newer force-mfa`,
        );
      }
      if (!isLine(parsed)) throw inputError('enroll-log-unreadable', `${source} line ${lineNumber} is not an enrollment log entry`);
      return parsed;
    },
    'enroll-log-unreadable',
  );
}

/** The entries of the log text, warnings dropped (see `readEnrollLog`). */
export function parseEnrollLog(text: string, source: string): EnrollLogLine[] {
  return readEnrollLog(text, source).entries;
}

/**
 * Whether each user of the group was a member before this log first tried to add them: some run's `members-before`
 * snapshot taken before that user's first add line holds them (the union of every run's snapshot, so a second run
 * that found the first run's users already there cannot make the first run's additions permanent, and a run that
 * found members the log never added keeps them), or, in version 1 logs, the earliest line about them is a removal.
 */
function memberBeforeAdded(lines: readonly EnrollLogLine[]): (userName: string) => boolean {
  const heldBefore = new Set<string>();
  const firstAdd = new Set<string>();
  const firstIsRemoval = new Set<string>();
  const seen = new Set<string>();
  for (const line of lines) {
    if (isMembersBefore(line)) {
      for (const member of line.members) if (!firstAdd.has(member)) heldBefore.add(member);
      continue;
    }
    if (line.action !== 'add' && line.action !== 'remove') continue;
    if (!seen.has(line.userName)) {
      seen.add(line.userName);
      if (line.phase === 'intent' && (line.memberBefore ?? line.action === 'remove')) firstIsRemoval.add(line.userName);
    }
    if (line.action === 'add') firstAdd.add(line.userName);
  }
  return (userName) => heldBefore.has(userName) || firstIsRemoval.has(userName);
}

/**
 * Users that enroll may have added to the group and that unenroll has not removed since, in the order first added,
 * never counting one who was a member before the log first tried to add them. Every add `intent` counts, whatever its
 * outcome line says: a call that timed out or failed with a 5xx may still have been applied. The caller compares
 * with the group's members before removing anyone.
 */
export function usersAddedByLog(lines: readonly EnrollLogLine[], groupName: string): string[] {
  const ofGroup = lines.filter((line) => line.groupName === groupName);
  const wasMember = memberBeforeAdded(ofGroup);
  const added = new Map<string, boolean>();
  for (const line of ofGroup) {
    if (isMembersBefore(line)) continue;
    // Any add line shows an intent: a `done` or `failed` line follows one.
    if (line.action === 'add') added.set(line.userName, true);
    if (line.action === 'remove' && line.phase === 'done') added.set(line.userName, false);
  }
  return [...added].filter(([userName, isAdded]) => isAdded && !wasMember(userName)).map(([userName]) => userName);
}

/**
 * Exemption tags the log's runs set and undo has not taken back, per user, with the values to restore (an empty
 * record: remove the keys). Every tag intent counts, as for additions.
 */
export function tagsSetByLog(lines: readonly EnrollLogLine[], groupName: string): Map<string, { tags: Record<string, string>; previous: Record<string, string> }> {
  const result = new Map<string, { tags: Record<string, string>; previous: Record<string, string> }>();
  for (const line of lines) {
    if (line.groupName !== groupName || isMembersBefore(line)) continue;
    if (line.action === 'tag' && line.phase === 'intent' && line.tags !== undefined && !result.has(line.userName)) {
      result.set(line.userName, { tags: { ...line.tags }, previous: { ...(line.previousTags ?? {}) } });
    }
    if (line.action === 'untag' && line.phase === 'done') result.delete(line.userName);
  }
  return result;
}

/** What the log's runs were bound to: every account and group ARN its headers and callers name. */
export function bindingsOfLog(lines: readonly EnrollLogLine[], groupName: string): { accounts: string[]; groupArns: string[] } {
  const accounts = new Set<string>();
  const groupArns = new Set<string>();
  for (const line of lines) {
    if (line.groupName !== groupName) continue;
    const fromCaller = /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(line.by ?? '')?.[1];
    if (fromCaller !== undefined) accounts.add(fromCaller);
    if (isMembersBefore(line)) {
      if (line.accountId !== undefined) accounts.add(line.accountId);
      if (line.groupArn !== undefined) groupArns.add(line.groupArn);
    }
  }
  return { accounts: [...accounts].sort(), groupArns: [...groupArns].sort() };
}

export function groupsInLog(lines: readonly EnrollLogLine[]): string[] {
  return [...new Set(lines.map((line) => line.groupName))];
}
