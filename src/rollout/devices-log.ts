/** The device cleanup log: one JSON line per step of every deletion, bound to the account it was made in (pure). */
import { inputError } from '../errors.js';
import { readJsonlLog, type ParsedJsonlLog } from './jsonl-log.js';

export const DEVICES_LOG_VERSION = 1;

/**
 * `plan` heads a run (the devices it means to delete); `intent` is written and synced before DeleteVirtualMFADevice,
 * `done` after it succeeded (or a re-read showed the device gone), `failed` when it did not, `skipped` when the
 * re-check right before the call found the device no longer unassigned.
 */
export type DevicesLogPhase = 'plan' | 'intent' | 'done' | 'failed' | 'skipped';

export interface DevicesLogLine {
  readonly version: number;
  readonly time: string;
  readonly runId: string;
  /** The account every line of the log is bound to: a log of another account is refused. */
  readonly accountId: string;
  /** The identity that ran the cleanup (an ARN). */
  readonly by: string;
  readonly phase: DevicesLogPhase;
  readonly serialNumber?: string;
  /** On `plan` lines: the cutoff and the devices the run means to delete. */
  readonly olderThanDays?: number;
  readonly toDelete?: readonly string[];
  /** On `skipped` lines: why. */
  readonly reason?: string;
  /** On `failed` lines: the error's name and message. */
  readonly error?: string;
  /** On `done` lines: the call failed or its answer was lost, and this read showed the device gone. */
  readonly confirmedBy?: string;
  readonly afterCutLine?: true;
}

const PHASES: readonly string[] = ['plan', 'intent', 'done', 'failed', 'skipped'];

/** One log per account: runs in two accounts never share a default log. */
export function defaultDevicesLogName(accountId: string): string {
  return `force-mfa-devices-${accountId}.jsonl`;
}

export function readDevicesLog(text: string, source: string): ParsedJsonlLog<DevicesLogLine> {
  return readJsonlLog(
    text,
    source,
    (parsed, lineNumber) => {
      const line = parsed as Partial<Record<keyof DevicesLogLine, unknown>>;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw inputError('devices-log-unreadable', `${source} line ${lineNumber} is not a device cleanup log entry`);
      }
      if (line.version !== DEVICES_LOG_VERSION) {
        throw inputError('devices-log-version', `${source} line ${lineNumber} has log version ${JSON.stringify(line.version)}, which this force-mfa cannot read: use a newer force-mfa`);
      }
      const fits =
        typeof line.time === 'string' &&
        typeof line.runId === 'string' &&
        typeof line.accountId === 'string' &&
        typeof line.by === 'string' &&
        PHASES.includes(line.phase as string) &&
        (line.serialNumber === undefined || typeof line.serialNumber === 'string');
      if (!fits) throw inputError('devices-log-unreadable', `${source} line ${lineNumber} is not a device cleanup log entry`);
      return parsed as DevicesLogLine;
    },
    'devices-log-unreadable',
  );
}

/** Refuses to append to a log of another account: its history would then mix two accounts' deletions. */
export function assertDevicesLogAccount(lines: readonly DevicesLogLine[], accountId: string, source: string): void {
  const others = [...new Set(lines.map((line) => line.accountId).filter((id) => id !== accountId))];
  if (others.length > 0) {
    throw inputError(
      'devices-log-other-account',
      `${source} records device deletions in account ${others.join(', ')}, but the credentials are for account ${accountId}: use that account's credentials or another log file (--log)`,
    );
  }
}
