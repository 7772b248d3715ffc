/** `force-mfa unenroll`: remove exactly the users an enrollment log says were added, and nobody else. */
import type { Command } from 'commander';
import { inputError } from '../../errors.js';
import { writeStderr, writeStdout } from '../output.js';
import { withGivenName } from '../given-names.js';

interface UnenrollFlags {
  log: string;
  group?: string;
  apply?: boolean;
  json?: boolean;
}

export function registerUnenroll(program: Command): void {
  program
    .command('unenroll')
    .description('undo enroll: remove from the group exactly the users its log says it added (a plan unless --apply)')
    .requiredOption('--log <file>', 'the log written by enroll --apply (e.g. force-mfa-enroll-123456789012-ForceMfaAccess.jsonl)')
    .option('--group <name>', 'the group to undo, when the log records several')
    .option('--apply', 'remove them (without it, only print the plan)')
    .option('--json', 'print the plan or result as JSON')
    .addHelpText(
      'after',
      `
Removed: every user the log shows enroll meant to add (even when that call timed out or failed: AWS may have
applied it) who is still a member. Never removed: members any run of the log found in the group before it tried
to add them, and members the log did not try to add. The force-mfa:exempt tags enroll --exclude set are taken
back (previous values restored). It refuses (exit 2) when the credentials are for another account than the log's,
or the group is not the one the log recorded. The removals are appended to the same log, so running it twice
changes nothing the second time; a call whose answer was lost counts as done once GetGroup shows it.

Examples:
  force-mfa unenroll --log force-mfa-enroll-123456789012-ForceMfaAccess.jsonl
  force-mfa unenroll --log force-mfa-enroll-123456789012-ForceMfaAccess.jsonl --apply`,
    )
    .action(async (flags: UnenrollFlags) => {
      const { existsSync } = await import('node:fs');
      if (!existsSync(flags.log)) throw inputError('enroll-log-missing', `enrollment log ${flags.log} does not exist`);
      const [{ createIamClient, createStsClient }, { sdkRolloutIam, sdkRolloutSts }, unenroll, render, logFile] = await Promise.all([
        import('../../rollout/aws/clients.js'),
        import('../../rollout/aws/iam.js'),
        import('../../rollout/unenroll.js'),
        import('../../rollout/enroll-render.js'),
        import('../../rollout/log-file.js'),
      ]);
      const { entries, warnings } = logFile.readEnrollLogFile(flags.log);
      for (const warning of warnings) writeStderr(`force-mfa: warning: ${warning}`);
      const groupName = unenroll.groupOfLog(entries, flags.group, flags.log);
      const iam = await sdkRolloutIam(await createIamClient());
      const sts = await sdkRolloutSts(await createStsClient());
      const caller = await sts.getCallerIdentity();
      const prepare = () => unenroll.prepareUnenrollment(entries, groupName, iam, caller, flags.log);
      // A group named with --group is the user's; the log's own group, vanished, stays an AWS-side failure.
      const report =
        flags.group === undefined
          ? await prepare()
          : await withGivenName(prepare, { codes: ['group-not-found'], message: `IAM group ${groupName} does not exist in this account: check --group and the account (--profile)` });
      const removals = report.changes.filter((change) => change.action === 'remove').length;
      let applied = 0;
      let untagged: string[] = [];
      if (flags.apply === true && (removals > 0 || report.tags.size > 0)) {
        const done = await unenroll.applyUnenrollment(report, caller.arn, {
          iam,
          log: logFile.enrollLogFile(flags.log),
          onChange: (change, index, total) => {
            if (flags.json !== true) writeStderr(`removed ${change.userName} (${index + 1}/${total})`);
          },
        });
        applied = done.removed.length;
        untagged = done.untagged;
      }
      if (flags.json === true) {
        const mode = flags.apply === true ? 'applied' : 'plan';
        writeStdout(render.enrollJson({ groupName, mode, caller: caller.arn, logFile: flags.log, changes: report.changes, refusals: [] }));
        return;
      }
      writeStdout(`${render.renderSummary(groupName, report.changes)}\n\n${render.renderChangeTable(report.changes)}`);
      const tagNote = report.tags.size === 0 ? '' : flags.apply === true ? (untagged.length === 0 ? '' : `\nTook back the exemption tag of ${untagged.join(', ')}.`) : `\nThe exemption tags of ${[...report.tags.keys()].join(', ')} are taken back too.`;
      if (flags.apply === true) writeStdout(`${applied === 0 ? '\nNothing removed.' : `\nRemoved ${applied} user(s) from ${groupName}.`}${tagNote}`);
      else writeStdout(`${removals === 0 ? '\nNothing to remove.' : `\nRun again with --apply to remove ${removals} user(s).`}${tagNote}`);
    });
}
