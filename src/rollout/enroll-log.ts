/** The enrollment log: one JSON line per step of every applied change, so a run can resume and be undone (pure). */
import { inputError } from '../errors.js';

export type LoggedAction = 'add' | 'remove';
/** `intent` is written before the IAM call, `done` after it succeeded, `failed` when it threw. */
export type LoggedPhase = 'intent' | 'done' | 'failed';

export interface EnrollLogEntry {
  /** ISO 8601 time the line was written. */
  readonly time: string;
  /** Identifies one enroll or unenroll run. */
  readonly runId: string;
  readonly groupName: string;
  readonly userName: string;
  readonly action: LoggedAction;
  readonly phase: LoggedPhase;
  /** The identity that ran the change (an ARN). */
  readonly by?: string;
  /** For `failed`: the error's name and message. */
  readonly error?: string;
}

/** Where applied changes are recorded; the file implementation appends and flushes each line before returning. */
export interface EnrollLogWriter {
  append(entry: EnrollLogEntry): void;
}

export function defaultLogFileName(groupName: string): string {
  return `force-mfa-enroll-${groupName}.jsonl`;
}

const ACTIONS: readonly string[] = ['add', 'remove'];
const PHASES: readonly string[] = ['intent', 'done', 'failed'];

function isEntry(value: unknown): value is EnrollLogEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry['time'] === 'string' &&
    typeof entry['runId'] === 'string' &&
    typeof entry['groupName'] === 'string' &&
    typeof entry['userName'] === 'string' &&
    ACTIONS.includes(entry['action'] as string) &&
    PHASES.includes(entry['phase'] as string)
  );
}

/**
 * Parses the log text. A last line cut short (a run killed while writing) is ignored; any other unreadable line is
 * an input error, since undoing from a log we misread could remove the wrong users.
 */
export function parseEnrollLog(text: string, source: string): EnrollLogEntry[] {
  const lines = text.split('\n');
  const entries: EnrollLogEntry[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
      if (isLast && !text.endsWith('\n')) return;
      throw inputError('enroll-log-unreadable', `${source} line ${index + 1} is not JSON: fix or remove that line`);
    }
    if (!isEntry(parsed)) {
      throw inputError('enroll-log-unreadable', `${source} line ${index + 1} is not an enrollment log entry`);
    }
    entries.push(parsed);
  });
  return entries;
}

/**
 * Users that enroll added to the group and unenroll has not removed since, in the order first added. An add whose
 * call failed does not count; an add with only its intent line (interrupted) counts, since the call may have
 * succeeded: the caller compares with the group's members before removing anyone.
 */
export function usersAddedByLog(entries: readonly EnrollLogEntry[], groupName: string): string[] {
  const added = new Map<string, boolean>();
  for (const entry of entries) {
    if (entry.groupName !== groupName) continue;
    if (entry.action === 'add') added.set(entry.userName, entry.phase !== 'failed');
    if (entry.action === 'remove' && entry.phase === 'done') added.set(entry.userName, false);
  }
  return [...added].filter(([, isAdded]) => isAdded).map(([userName]) => userName);
}

export function groupsInLog(entries: readonly EnrollLogEntry[]): string[] {
  return [...new Set(entries.map((entry) => entry.groupName))];
}
