/** The enrollment log: one JSON line per step of every applied change, so a run can resume and be undone (pure). */
import { inputError } from '../errors.js';

export type LoggedAction = 'add' | 'remove';
/** `intent` is written before the IAM call, `done` after it succeeded, `failed` when it threw. */
export type LoggedPhase = 'intent' | 'done' | 'failed';

/**
 * The log format this code writes. Lines without `version` are version 1 (no `memberBefore`, no `members-before`
 * lines) and are still read; a higher version is refused, since reading it as ours could remove the wrong users.
 */
export const ENROLL_LOG_VERSION = 2;

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
}

/** Written by enroll before its first change: the group's members as the run read them (version 2). */
export interface MembersBeforeEntry extends LogLineBase {
  readonly phase: 'members-before';
  readonly members: readonly string[];
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

export function defaultLogFileName(groupName: string): string {
  return `force-mfa-enroll-${groupName}.jsonl`;
}

const ACTIONS: readonly string[] = ['add', 'remove'];
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
    return Array.isArray(entry['members']) && entry['members'].every((name) => typeof name === 'string');
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
  const lines = text.split('\n');
  const entries: EnrollLogLine[] = [];
  const warnings: string[] = [];
  /** Line numbers of unreadable lines not yet explained by a cut. */
  let pending: number[] = [];
  const cutShort = (numbers: readonly number[]): void => {
    for (const number of numbers) warnings.push(`${source} line ${number} was cut short (a run stopped while writing it) and is skipped`);
  };
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      pending = [...pending, index + 1];
      return;
    }
    const version = typeof parsed === 'object' && parsed !== null ? ((parsed as { version?: unknown }).version ?? 1) : 1;
    if (version !== 1 && version !== ENROLL_LOG_VERSION) {
      throw inputError(
        'enroll-log-version',
        `${source} line ${index + 1} has log version ${JSON.stringify(version)}, which this force-mfa cannot read: use a newer force-mfa`,
      );
    }
    if (!isLine(parsed)) throw inputError('enroll-log-unreadable', `${source} line ${index + 1} is not an enrollment log entry`);
    const [firstPending] = pending;
    if (firstPending !== undefined) {
      if (parsed.afterCutLine !== true) {
        throw inputError('enroll-log-unreadable', `${source} line ${firstPending} is not JSON: fix or remove that line`);
      }
      cutShort(pending);
      pending = [];
    }
    entries.push(parsed);
  });
  const [firstPending] = pending;
  if (firstPending !== undefined) {
    if (text.endsWith('\n')) throw inputError('enroll-log-unreadable', `${source} line ${firstPending} is not JSON: fix or remove that line`);
    cutShort(pending);
  }
  return { entries, warnings };
}

/** The entries of the log text, warnings dropped (see `readEnrollLog`). */
export function parseEnrollLog(text: string, source: string): EnrollLogLine[] {
  return readEnrollLog(text, source).entries;
}

/**
 * Whether each user of the group was a member before the log's first run: the earliest line that says so wins. A
 * `members-before` line says it for every user (listed or not); an `intent` line says it with `memberBefore`, or, in
 * version 1 logs, by its action (enroll added only non-members; a removal needs a member).
 */
function membersBeforeFirstRun(lines: readonly EnrollLogLine[]): (userName: string) => boolean {
  const known = new Map<string, boolean>();
  let snapshot: ReadonlySet<string> | undefined;
  for (const line of lines) {
    if (snapshot !== undefined) break;
    if (isMembersBefore(line)) {
      snapshot = new Set(line.members);
      continue;
    }
    if (line.phase !== 'intent' || known.has(line.userName)) continue;
    known.set(line.userName, line.memberBefore ?? line.action === 'remove');
  }
  return (userName) => known.get(userName) ?? snapshot?.has(userName) ?? false;
}

/**
 * Users that enroll may have added to the group and that unenroll has not removed since, in the order first added,
 * never counting one who was a member before the log's first run. Every add `intent` counts, whatever its outcome
 * line says: a call that timed out or failed with a 5xx may still have been applied. The caller compares with the
 * group's members before removing anyone.
 */
export function usersAddedByLog(lines: readonly EnrollLogLine[], groupName: string): string[] {
  const ofGroup = lines.filter((line) => line.groupName === groupName);
  const wasMember = membersBeforeFirstRun(ofGroup);
  const added = new Map<string, boolean>();
  for (const line of ofGroup) {
    if (isMembersBefore(line)) continue;
    // Any add line shows an intent: a `done` or `failed` line follows one.
    if (line.action === 'add') added.set(line.userName, true);
    if (line.action === 'remove' && line.phase === 'done') added.set(line.userName, false);
  }
  return [...added].filter(([userName, isAdded]) => isAdded && !wasMember(userName)).map(([userName]) => userName);
}

export function groupsInLog(lines: readonly EnrollLogLine[]): string[] {
  return [...new Set(lines.map((line) => line.groupName))];
}
