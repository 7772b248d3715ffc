/** `force-mfa devices cleanup`: delete the virtual MFA devices abandoned enrollments leave, a plan unless --apply. */
import type { Command } from 'commander';
import { inputError } from '../../errors.js';
import type { CleanupPlan, DeletionResult, SkipReason } from '../../rollout/devices-cleanup.js';
import { addAwsOptions } from '../aws-options.js';
import { writeStderr, writeStdout } from '../output.js';

interface CleanupFlags {
  olderThan: string;
  apply?: boolean;
  log?: string;
  json?: boolean;
}

const UNDO = 'A deleted virtual MFA device cannot be restored (its secret is gone): this cannot be undone. An unassigned device protects no one; whoever set it up creates a new one.';

/** How long a second cleanup of the same account waits for the first before giving up (exit 3). */
const LOCK_TIMEOUT_MS = 120_000;

function olderThanDays(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw inputError('devices-older-than', `--older-than takes a whole number of days (0 or more), not '${text}'`);
  return Number(text.trim());
}

export function registerDevices(program: Command): void {
  const devices = program.command('devices').description('manage the account\'s virtual MFA devices (abandoned enrollments)');
  const cleanup = devices
    .command('cleanup')
    .description('delete unassigned virtual MFA devices older than a cutoff: a plan by default, --apply to delete (logged, not undoable)')
    .option('--older-than <days>', 'only devices at least this many days old; 0: every unassigned device', '7')
    .option('--apply', 'delete them (without it, only print the plan)')
    .option('--log <file>', 'JSONL log of the deletions (default: ./force-mfa-devices-<account>.jsonl)')
    .option('--json', 'print the plan or result as JSON')
    .addHelpText(
      'after',
      `
An enrollment started and not finished leaves a virtual MFA device assigned to no one; the recommended guard rightly
forbids deleting devices without MFA, so they pile up, and a user who tries again with the same name fails.
This lists them (iam:ListVirtualMFADevices, AssignmentStatus=Unassigned) and deletes those older than --older-than
days (iam:DeleteVirtualMFADevice). AWS gives no creation date for a virtual device: a device is known to be at least
as old as its EnableDate (one enabled once and deactivated since); a device with no date is never deleted, but
listed as skipped, unless --older-than 0 (every existing device is at least 0 days old).
An assigned device is never touched: right before each deletion the unassigned devices are listed again, and a
device assigned since the plan is left alone. Each deletion is logged (an intent line before the call, synced, and
its result after); a call whose answer was lost counts as done only once ListVirtualMFADevices shows the device
gone. The log is bound to the account: a log of another account is refused (exit 2). Two cleanups of one account
on this machine do not run at once: the second waits for the first, then plans again.
${UNDO}
Needs sts:GetCallerIdentity, iam:ListVirtualMFADevices, iam:DeleteVirtualMFADevice.

Examples:
  force-mfa devices cleanup                        # the plan: devices older than 7 days
  force-mfa devices cleanup --older-than 30 --apply
  force-mfa devices cleanup --older-than 0 --json  # every unassigned device, whatever its age`,
    )
    .action(async (flags: CleanupFlags) => {
      const days = olderThanDays(flags.olderThan);
      const [{ createIamClient, createStsClient }, { sdkRolloutSts }, { sdkDeviceIam }, cleanupModule, devicesLog, logFile, { withLock }, { tmpdir }, { join }] =
        await Promise.all([
          import('../../rollout/aws/clients.js'),
          import('../../rollout/aws/iam.js'),
          import('../../rollout/aws/devices.js'),
          import('../../rollout/devices-cleanup.js'),
          import('../../rollout/devices-log.js'),
          import('../../rollout/log-file.js'),
          import('../../session/lock.js'),
          import('node:os'),
          import('node:path'),
        ]);
      const client = await createIamClient({ singleAttempt: true });
      const iam = sdkDeviceIam(client);
      const caller = await (await sdkRolloutSts(await createStsClient())).getCallerIdentity();
      const logPath = flags.log ?? devicesLog.defaultDevicesLogName(caller.account);
      const plan = async (): Promise<CleanupPlan> =>
        cleanupModule.planCleanup(await iam.listVirtualDevices('Unassigned'), { accountId: caller.account, caller: caller.arn, olderThanDays: days, now: new Date() });

      if (flags.apply !== true) {
        const planned = await plan();
        writeStdout(flags.json === true ? cleanupJson(planned, 'plan', logPath, []) : planText(planned, logPath));
        return;
      }
      // Read the log before the lock's work adds to it: one of another account is refused before any deletion.
      const text = logFile.readLogText(logPath, 'the device cleanup log');
      const existing = text === undefined ? { entries: [], warnings: [] } : devicesLog.readDevicesLog(text, logPath);
      for (const warning of existing.warnings) writeStderr(`force-mfa: warning: ${warning}`);
      devicesLog.assertDevicesLogAccount(existing.entries, caller.account, logPath);
      // One cleanup of an account at a time on this machine; the plan is read once the lock is held.
      const lockPath = join(tmpdir(), `force-mfa-devices-${caller.account}.lock`);
      const { planned, results } = await withLock(lockPath, { timeoutMs: LOCK_TIMEOUT_MS, purpose: `the device cleanup of account ${caller.account}` }, async () => {
        const current = await plan();
        const done = await cleanupModule.applyCleanup(current, {
          iam,
          log: logFile.jsonlLogFile(logPath, 'the device cleanup log'),
          onResult: (result, index, total) => {
            if (flags.json !== true) writeStderr(`${OUTCOME[result.outcome]} ${result.serialNumber} (${index + 1}/${total})`);
          },
        });
        return { planned: current, results: done };
      });
      if (flags.json === true) {
        writeStdout(cleanupJson(planned, 'applied', logPath, results));
        return;
      }
      const deleted = results.filter((result) => result.outcome === 'deleted' || result.outcome === 'deleted-confirmed').length;
      writeStdout(
        `${planText(planned, logPath, false)}\n${deleted === 0 ? 'Nothing deleted.' : `Deleted ${deleted} device(s); the log is ${logPath}.`}` +
          results
            .filter((result) => result.outcome === 'assigned-since-plan' || result.outcome === 'gone-before')
            .map((result) => `\nLeft alone: ${result.serialNumber} (${OUTCOME[result.outcome]})`)
            .join(''),
      );
    });
  addAwsOptions(cleanup);
}

const OUTCOME: Readonly<Record<DeletionResult['outcome'], string>> = {
  deleted: 'deleted',
  'deleted-confirmed': 'deleted (answer lost; ListVirtualMFADevices shows it gone)',
  'assigned-since-plan': 'assigned since the plan',
  'gone-before': 'already gone',
};

const SKIP: Readonly<Record<SkipReason, string>> = {
  'age-unknown': 'age unknown (AWS gives no creation date for a virtual device): kept; --older-than 0 deletes it regardless of age',
  'too-recent': 'younger than the cutoff',
  'not-this-account': 'not a virtual device of this account: never touched',
  assigned: 'listed with a user: never touched',
};

function planText(plan: CleanupPlan, logPath: string, asPlan = true): string {
  const lines = [`Unassigned virtual MFA devices in account ${plan.accountId}: ${plan.toDelete.length + plan.skipped.length}`];
  const age = (device: { enabledAt: string | null; ageDays: number | null }): string =>
    device.enabledAt === null ? 'age unknown' : `enabled ${device.enabledAt.slice(0, 10)}, at least ${device.ageDays ?? 0} day(s) old`;
  lines.push('', `To delete (older than ${plan.olderThanDays} day(s)): ${plan.toDelete.length}`);
  for (const device of plan.toDelete) lines.push(`  ${device.serialNumber}  (${age(device)})`);
  if (plan.skipped.length > 0) {
    lines.push('', `Skipped: ${plan.skipped.length}`);
    for (const device of plan.skipped) lines.push(`  ${device.serialNumber}  ${SKIP[device.reason]}`);
  }
  lines.push('', UNDO);
  if (asPlan) {
    lines.push(plan.toDelete.length === 0 ? 'Nothing to delete.' : `Run again with --apply to delete ${plan.toDelete.length} device(s); each deletion is logged to ${logPath}.`);
  }
  return lines.join('\n');
}

function cleanupJson(plan: CleanupPlan, mode: 'plan' | 'applied', logPath: string, results: readonly DeletionResult[]): string {
  return `${JSON.stringify(
    {
      mode,
      accountId: plan.accountId,
      caller: plan.caller,
      olderThanDays: plan.olderThanDays,
      logFile: logPath,
      undo: 'not possible: a deleted virtual MFA device cannot be restored',
      toDelete: plan.toDelete,
      skipped: plan.skipped,
      ...(mode === 'applied' ? { results } : {}),
    },
    null,
    2,
  )}\n`;
}
