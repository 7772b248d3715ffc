/** Devices cleanup: plan the deletion of abandoned (unassigned) virtual MFA devices, then delete them one by one. */
import { randomUUID } from 'node:crypto';
import { virtualDeviceName } from '../account/model.js';
import { environmentError } from '../errors.js';
import { DEVICES_LOG_VERSION, type DevicesLogLine } from './devices-log.js';

export const DEFAULT_OLDER_THAN_DAYS = 7;

/** A virtual device as ListVirtualMFADevices lists it. */
export interface ListedDevice {
  readonly serialNumber: string;
  readonly userArn: string | undefined;
  readonly enabledAt: string | undefined;
}

/** The two IAM calls the cleanup makes; the SDK implementation drains the pages. */
export interface DeviceIam {
  listVirtualDevices(assignment: 'Unassigned' | 'Any'): Promise<readonly ListedDevice[]>;
  deleteVirtualDevice(serialNumber: string): Promise<void>;
}

export interface CandidateDevice {
  readonly serialNumber: string;
  readonly name: string;
  /** The EnableDate AWS gives (a device once enabled, then deactivated), null when none. */
  readonly enabledAt: string | null;
  /** Whole days since `enabledAt` (the device is at least that old); null when AWS gives no date. */
  readonly ageDays: number | null;
}

export type SkipReason =
  /** AWS gives no creation date for a virtual device and this one has no EnableDate: its age cannot be known. */
  | 'age-unknown'
  | 'too-recent'
  /** The serial is not a virtual device of the caller's account (a forged or foreign listing). */
  | 'not-this-account'
  /** The listing of unassigned devices gave it with a user: never touched. */
  | 'assigned';

export interface SkippedDevice extends CandidateDevice {
  readonly reason: SkipReason;
}

export interface CleanupPlan {
  readonly accountId: string;
  readonly caller: string;
  readonly olderThanDays: number;
  readonly toDelete: readonly CandidateDevice[];
  readonly skipped: readonly SkippedDevice[];
}

/**
 * Which unassigned devices are older than the cutoff (pure). A device is at least as old as its EnableDate; without
 * one its age is unknown and it is kept, except with a cutoff of 0 days, which every existing device meets.
 */
export function planCleanup(
  devices: readonly ListedDevice[],
  settings: { readonly accountId: string; readonly caller: string; readonly olderThanDays: number; readonly now: Date },
): CleanupPlan {
  const toDelete: CandidateDevice[] = [];
  const skipped: SkippedDevice[] = [];
  const sorted = [...devices].sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0));
  for (const device of sorted) {
    const ageDays = device.enabledAt === undefined ? null : Math.floor((settings.now.getTime() - Date.parse(device.enabledAt)) / 86_400_000);
    const candidate: CandidateDevice = {
      serialNumber: device.serialNumber,
      name: virtualDeviceName(device.serialNumber),
      enabledAt: device.enabledAt ?? null,
      ageDays: ageDays !== null && Number.isFinite(ageDays) ? ageDays : null,
    };
    if (device.userArn !== undefined) skipped.push({ ...candidate, reason: 'assigned' });
    else if (!isVirtualDeviceOf(device.serialNumber, settings.accountId)) skipped.push({ ...candidate, reason: 'not-this-account' });
    else if (settings.olderThanDays === 0) toDelete.push(candidate);
    else if (candidate.ageDays === null) skipped.push({ ...candidate, reason: 'age-unknown' });
    else if (candidate.ageDays < settings.olderThanDays) skipped.push({ ...candidate, reason: 'too-recent' });
    else toDelete.push(candidate);
  }
  return { accountId: settings.accountId, caller: settings.caller, olderThanDays: settings.olderThanDays, toDelete, skipped };
}

function isVirtualDeviceOf(serialNumber: string, accountId: string): boolean {
  return new RegExp(`^arn:[\\w-]+:iam::${accountId}:mfa/[\\w+=,.@/-]+$`).test(serialNumber);
}

/** What happened to one planned device. */
export type DeletionOutcome =
  | 'deleted'
  /** The call failed or its answer was lost, and a re-read showed the device gone. */
  | 'deleted-confirmed'
  /** The re-check right before the call found it assigned since the plan: left alone. */
  | 'assigned-since-plan'
  /** The re-check found it gone already (someone else deleted it). */
  | 'gone-before';

export interface DeletionResult {
  readonly serialNumber: string;
  readonly outcome: DeletionOutcome;
}

export interface ApplyCleanupDependencies {
  readonly iam: DeviceIam;
  readonly log: { append(line: DevicesLogLine): void };
  readonly now?: () => Date;
  readonly runId?: string;
  readonly onResult?: (result: DeletionResult, index: number, total: number) => void;
}

/**
 * Deletes the planned devices one by one. Right before each deletion the unassigned devices are listed again: a device
 * assigned since the plan is left alone. Each deletion sits between a synced `intent` and a `done` line; a call that
 * fails counts as done only when a re-read shows the device gone, else it is logged `failed` and the run stops
 * (exit 3): running again re-plans from what AWS lists then. A deletion cannot be undone.
 */
export async function applyCleanup(plan: CleanupPlan, deps: ApplyCleanupDependencies): Promise<DeletionResult[]> {
  if (plan.toDelete.length === 0) return [];
  const now = deps.now ?? (() => new Date());
  const runId = deps.runId ?? randomUUID();
  const base = { version: DEVICES_LOG_VERSION, runId, accountId: plan.accountId, by: plan.caller };
  deps.log.append({ ...base, time: now().toISOString(), phase: 'plan', olderThanDays: plan.olderThanDays, toDelete: plan.toDelete.map((device) => device.serialNumber) });
  const results: DeletionResult[] = [];
  for (const [index, device] of plan.toDelete.entries()) {
    const serialNumber = device.serialNumber;
    const line = { ...base, serialNumber };
    const unassigned = await deps.iam.listVirtualDevices('Unassigned');
    const stillUnassigned = unassigned.some((listed) => listed.serialNumber === serialNumber && listed.userArn === undefined);
    let result: DeletionResult;
    if (!stillUnassigned) {
      const present = (await deps.iam.listVirtualDevices('Any')).some((listed) => listed.serialNumber === serialNumber);
      result = { serialNumber, outcome: present ? 'assigned-since-plan' : 'gone-before' };
      deps.log.append({ ...line, time: now().toISOString(), phase: 'skipped', reason: result.outcome });
    } else {
      deps.log.append({ ...line, time: now().toISOString(), phase: 'intent' });
      result = await deleteOne(deps, line, now);
    }
    results.push(result);
    deps.onResult?.(result, index, plan.toDelete.length);
  }
  return results;
}

async function deleteOne(deps: ApplyCleanupDependencies, line: Omit<DevicesLogLine, 'time' | 'phase'> & { serialNumber: string }, now: () => Date): Promise<DeletionResult> {
  const { serialNumber } = line;
  try {
    await deps.iam.deleteVirtualDevice(serialNumber);
  } catch (error) {
    // The answer may be lost after AWS deleted it, or a retry met NoSuchEntity: only a re-read settles it.
    let listed: readonly ListedDevice[] | undefined;
    try {
      listed = await deps.iam.listVirtualDevices('Any');
    } catch {
      listed = undefined;
    }
    const current = listed?.find((device) => device.serialNumber === serialNumber);
    if (listed !== undefined && current === undefined) {
      deps.log.append({ ...line, time: now().toISOString(), phase: 'done', confirmedBy: 'ListVirtualMFADevices' });
      return { serialNumber, outcome: 'deleted-confirmed' };
    }
    if (current?.userArn !== undefined) {
      // Assigned between the re-check and the call (AWS refuses to delete an assigned device): left alone.
      deps.log.append({ ...line, time: now().toISOString(), phase: 'skipped', reason: 'assigned-since-plan' });
      return { serialNumber, outcome: 'assigned-since-plan' };
    }
    deps.log.append({ ...line, time: now().toISOString(), phase: 'failed', error: describeError(error) });
    throw environmentError(
      'device-delete-failed',
      `could not delete virtual MFA device ${serialNumber} (${describeError(error)})${listed === undefined ? ' and could not read the devices back to see whether it is gone' : ''}: run the cleanup again`,
      error,
    );
  }
  deps.log.append({ ...line, time: now().toISOString(), phase: 'done' });
  return { serialNumber, outcome: 'deleted' };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
