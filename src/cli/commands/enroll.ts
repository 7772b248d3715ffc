/** `force-mfa enroll`: plan, then apply, adding users to the guard group without locking anyone out. */
import type { Command } from 'commander';
import { inputError } from '../../errors.js';
import type { UserSelection } from '../../rollout/enroll-plan.js';
import { commaList } from '../lists.js';
import { writeStderr, writeStdout } from '../output.js';
import { declareFlagRules, given, onlyWhen, type FlagRule } from '../flag-rules.js';
import { withGivenName } from '../given-names.js';

/** --log names the log --apply will write, shown in the plan too: it has an effect without --apply. */
const ENROLL_FLAG_RULES: readonly FlagRule[] = [
  onlyWhen('force', given('apply'), 'the plan always shows what --apply would refuse; add --apply, or leave out --force'),
];

interface EnrollFlags {
  all?: boolean;
  users?: string[];
  path?: string;
  exclude?: string[];
  group: string;
  apply?: boolean;
  force?: boolean;
  allowUnenforcingGroup?: boolean;
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
  const command = program.command('enroll');
  declareFlagRules(command, ENROLL_FLAG_RULES);
  command
    .description('add IAM users to the guard group: a plan by default, --apply to add them (logged, resumable, undoable)')
    .option('--all', 'every IAM user of the account')
    .option('--users <names>', 'these users (comma-separated)', commaList)
    .option('--path <prefix>', 'users whose IAM path starts with this prefix, e.g. /staff/')
    .option('--exclude <names>', 'never add these users, e.g. a break-glass administrator (comma-separated)', commaList)
    .option('--group <name>', 'the guard group', 'ForceMfaAccess')
    .option('--apply', 'add the users (without it, only print the plan)')
    .option('--force', 'apply even when it would lock out the caller or leave no administrator who can act')
    .option('--allow-unenforcing-group', 'add users even when the evaluator does not show the group denying their requests without MFA')
    .option('--log <file>', 'JSONL log of applied changes, read by unenroll (default: ./force-mfa-enroll-<account>-<group>.jsonl)')
    .option('--json', 'print the plan or result as JSON')
    .addHelpText(
      'after',
      `
Users tagged force-mfa:exempt=true are never added; --exclude with --apply tags the excluded users so (with the
reason and the date), so automatic enrollment and audits honour it; unenroll takes the tags back. Running it again
changes nothing: members are left alone.
The plan evaluates each user it adds with the group's policies and their own: when requests without MFA would not
be denied, it refuses (exit 2) naming the group and what gets through, unless --allow-unenforcing-group.
Without --force, --apply refuses to add the user running it unless their session is proven to carry MFA, and to
leave no IAM user who could still sign in with MFA and administer IAM (evaluated with their policies, groups and
permissions boundary).

Examples:
  force-mfa enroll --all --exclude breakglass                 # the plan: who is added, what they meet next
  force-mfa enroll --all --exclude breakglass --apply         # add them; the log records every change
  force-mfa enroll --path /staff/ --json
  force-mfa unenroll --log force-mfa-enroll-123456789012-ForceMfaAccess.jsonl --apply   # undo`,
    )
    .action(async (flags: EnrollFlags) => {
      const selection = selectionOf(flags);
      const [{ createIamClient, createStsClient }, { sdkRolloutIam, sdkRolloutSts }, enroll, render, logFile, { bindingsOfLog, defaultLogFileName }, { loadCatalogue }, { assertLogBinding }] =
        await Promise.all([
          import('../../rollout/aws/clients.js'),
          import('../../rollout/aws/iam.js'),
          import('../../rollout/enroll.js'),
          import('../../rollout/enroll-render.js'),
          import('../../rollout/log-file.js'),
          import('../../rollout/enroll-log.js'),
          import('../../engine/catalogue.js'),
          import('../../rollout/unenroll.js'),
        ]);
      const iam = await sdkRolloutIam(await createIamClient());
      const sts = await sdkRolloutSts(await createStsClient());
      if (flags.json !== true) writeStderr(`Reading the users of the account and the members of ${flags.group}...`);
      const catalogue = await loadCatalogue();
      // The group is the one the user names (or the default they accept): missing, it is exit 2.
      const report = await withGivenName(
        () => enroll.prepareEnrollment({ groupName: flags.group, selection, excluded: flags.exclude ?? [] }, { iam, sts, catalogue }),
        { codes: ['group-not-found'], message: `IAM group ${flags.group} does not exist in this account: check --group and the account (--profile), or deploy the guard first (force-mfa deploy)` },
      );
      const logPath = flags.log ?? defaultLogFileName(report.caller.account, flags.group);
      const overrides = new Set([...(flags.force === true ? ['force' as const] : []), ...(flags.allowUnenforcingGroup === true ? ['allow-unenforcing-group' as const] : [])]);
      const hint = (override: string): string => ` (override: --${override})`;
      // A group that enforces nothing is refused in the plan too: nothing would come of applying it.
      enroll.assertNoRefusal(
        report.refusals.filter((refusal) => refusal.code === 'group-not-enforcing'),
        overrides,
        hint,
      );
      // What the plan shows and exits 1 for: the lockout refusals (the unenforcing group was refused above or allowed).
      const lockouts = report.refusals.filter((refusal) => refusal.code !== 'group-not-enforcing');
      if (flags.apply === true) {
        // Read the log before adding to it: a corrupt log, or one of another account or group, is refused before any
        // change (appending to it would make it impossible to undo).
        const existing = logFile.readEnrollLogFile(logPath);
        for (const warning of existing.warnings) writeStderr(`force-mfa: warning: ${warning}`);
        if (bindingsOfLog(existing.entries, flags.group).accounts.length > 0) {
          assertLogBinding(existing.entries, flags.group, report.caller, report.groupArn, logPath);
        }
      }
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
          if (lockouts.length > 0) writeStdout(`\n--apply would refuse (override: --force):\n${render.renderRefusals(lockouts)}`);
          writeStdout(additions === 0 ? '\nNothing to change.' : `\nRun again with --apply to add ${additions} user(s); changes are logged to ${logPath}.`);
        }
        if (lockouts.length > 0) process.exitCode = 1;
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
        { overrides, hint },
      );
      if (flags.json === true) {
        writeStdout(asJson('applied'));
      } else {
        writeStdout(`${render.renderSummary(report.groupName, report.changes)}\n\n${render.renderChangeTable(report.changes)}`);
        if (report.toTag.length > 0) writeStdout(`\nTagged ${report.toTag.map((entry) => entry.userName).join(', ')} force-mfa:exempt=true (undo: force-mfa unenroll --log ${logPath} --apply).`);
        writeStdout(
          applied.length === 0
            ? '\nNothing added: every selected user is already a member or exempt.'
            : `\nAdded ${applied.length} user(s) to ${report.groupName}. Undo: force-mfa unenroll --log ${logPath} --apply\nTell them what to do: force-mfa onboard --users ${applied.map((change) => change.userName).join(',')}`,
        );
      }
    });
}
