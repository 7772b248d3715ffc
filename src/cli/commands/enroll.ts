/** `force-mfa enroll`: plan, then apply, adding users to the guard group without locking anyone out. */
import type { Command } from 'commander';
import { inputError } from '../../errors.js';
import type { UserSelection } from '../../rollout/enroll-plan.js';
import { commaList } from '../lists.js';
import { writeStderr, writeStdout } from '../output.js';

interface EnrollFlags {
  all?: boolean;
  users?: string[];
  path?: string;
  exclude?: string[];
  group: string;
  apply?: boolean;
  force?: boolean;
  log?: string;
  json?: boolean;
}

function selectionOf(flags: EnrollFlags): UserSelection {
  const given = [flags.all === true, flags.users !== undefined, flags.path !== undefined].filter(Boolean).length;
  if (given !== 1) throw inputError('selection', 'choose the users with exactly one of --all, --users A,B or --path /PREFIX/');
  if (flags.users !== undefined) return { kind: 'users', userNames: flags.users };
  if (flags.path !== undefined) {
    if (!flags.path.startsWith('/')) throw inputError('path-prefix', `path ${flags.path} must start with / (for example /staff/)`);
    return { kind: 'path', pathPrefix: flags.path };
  }
  return { kind: 'all' };
}

export function registerEnroll(program: Command): void {
  program
    .command('enroll')
    .description('add IAM users to the guard group: a plan by default, --apply to add them (logged, resumable, undoable)')
    .option('--all', 'every IAM user of the account')
    .option('--users <names>', 'these users (comma-separated)', commaList)
    .option('--path <prefix>', 'users whose IAM path starts with this prefix, e.g. /staff/')
    .option('--exclude <names>', 'never add these users, e.g. a break-glass administrator (comma-separated)', commaList)
    .option('--group <name>', 'the guard group', 'ForceMfaAccess')
    .option('--apply', 'add the users (without it, only print the plan)')
    .option('--force', 'apply even when it would lock out the caller or leave no administrator who can act')
    .option('--log <file>', 'JSONL log of applied changes, read by unenroll (default: ./force-mfa-enroll-<group>.jsonl)')
    .option('--json', 'print the plan or result as JSON')
    .addHelpText(
      'after',
      `
Users tagged force-mfa:exempt=true are never added. Running it again changes nothing: members are left alone.
Without --force, --apply refuses to add the user running it when that session has no MFA (long-term access keys),
and to leave the account without an administrator (a user whose policies allow IAM administration) who can still
sign in: outside the group, or in it with an MFA device they can use.

Examples:
  force-mfa enroll --all --exclude breakglass                 # the plan: who is added, what they meet next
  force-mfa enroll --all --exclude breakglass --apply         # add them; the log records every change
  force-mfa enroll --path /staff/ --json
  force-mfa unenroll --log force-mfa-enroll-ForceMfaAccess.jsonl --apply   # undo`,
    )
    .action(async (flags: EnrollFlags) => {
      const selection = selectionOf(flags);
      const [{ createIamClient, createStsClient }, { sdkRolloutIam, sdkRolloutSts }, enroll, render, logFile, { defaultLogFileName }] =
        await Promise.all([
          import('../../rollout/aws/clients.js'),
          import('../../rollout/aws/iam.js'),
          import('../../rollout/enroll.js'),
          import('../../rollout/enroll-render.js'),
          import('../../rollout/log-file.js'),
          import('../../rollout/enroll-log.js'),
        ]);
      const iam = await sdkRolloutIam(await createIamClient());
      const sts = await sdkRolloutSts(await createStsClient());
      const logPath = flags.log ?? defaultLogFileName(flags.group);
      if (flags.apply === true) {
        // Read the log before adding to it: a corrupt log is refused before any change, not after.
        for (const warning of logFile.readEnrollLogFile(logPath).warnings) writeStderr(`force-mfa: warning: ${warning}`);
      }
      if (flags.json !== true) writeStderr(`Reading the users of the account and the members of ${flags.group}...`);
      const report = await enroll.prepareEnrollment({ groupName: flags.group, selection, excluded: flags.exclude ?? [] }, { iam, sts });
      const additions = report.changes.filter((change) => change.action === 'add').length;
      const asJson = (mode: 'plan' | 'applied'): string =>
        render.enrollJson({
          groupName: report.groupName,
          mode,
          caller: report.caller.arn,
          logFile: logPath,
          changes: report.changes,
          refusals: report.refusals,
          ...(report.actingAdministrator === undefined ? {} : { actingAdministrator: report.actingAdministrator }),
        });

      if (flags.apply !== true) {
        if (flags.json === true) {
          writeStdout(asJson('plan'));
        } else {
          writeStdout(`${render.renderSummary(report.groupName, report.changes)}\n\n${render.renderChangeTable(report.changes)}`);
          if (report.refusals.length > 0) writeStdout(`\n--apply would refuse (use --force to override):\n${render.renderRefusals(report.refusals)}`);
          writeStdout(additions === 0 ? '\nNothing to change.' : `\nRun again with --apply to add ${additions} user(s); changes are logged to ${logPath}.`);
        }
        if (report.refusals.length > 0) process.exitCode = 1;
        return;
      }

      const applied = await enroll.applyEnrollment(
        report,
        {
          iam,
          log: logFile.enrollLogFile(logPath),
          onChange: (change, index, total) => {
            if (flags.json !== true) writeStderr(`added ${change.userName} (${index + 1}/${total})`);
          },
        },
        { force: flags.force === true },
      );
      if (flags.json === true) {
        writeStdout(asJson('applied'));
      } else {
        writeStdout(`${render.renderSummary(report.groupName, report.changes)}\n\n${render.renderChangeTable(report.changes)}`);
        writeStdout(
          applied.length === 0
            ? '\nNothing changed: every selected user is already a member or exempt.'
            : `\nAdded ${applied.length} user(s) to ${report.groupName}. Undo: force-mfa unenroll --log ${logPath} --apply\nTell them what to do: force-mfa onboard --users ${applied.map((change) => change.userName).join(',')}`,
        );
      }
    });
}
