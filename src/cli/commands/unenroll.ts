/** `force-mfa unenroll`: remove exactly the users an enrollment log says were added, and nobody else. */
import type { Command } from 'commander';
import { inputError } from '../../errors.js';
import { writeStderr, writeStdout } from '../output.js';

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
    .requiredOption('--log <file>', 'the log written by enroll --apply (e.g. force-mfa-enroll-ForceMfaAccess.jsonl)')
    .option('--group <name>', 'the group to undo, when the log records several')
    .option('--apply', 'remove them (without it, only print the plan)')
    .option('--json', 'print the plan or result as JSON')
    .addHelpText(
      'after',
      `
Removed: every user the log shows enroll meant to add (even when that call timed out or failed: AWS may have
applied it) who is still a member. Never removed: members the group had before the log's first run, and members
the log did not try to add. The removals are appended to the same log, so running it twice changes nothing the
second time.

Examples:
  force-mfa unenroll --log force-mfa-enroll-ForceMfaAccess.jsonl
  force-mfa unenroll --log force-mfa-enroll-ForceMfaAccess.jsonl --apply`,
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
      const report = await unenroll.prepareUnenrollment(entries, groupName, iam);
      const removals = report.changes.filter((change) => change.action === 'remove').length;
      let applied = 0;
      let caller: string | undefined;
      if (flags.apply === true && removals > 0) {
        const sts = await sdkRolloutSts(await createStsClient());
        caller = (await sts.getCallerIdentity()).arn;
        const done = await unenroll.applyUnenrollment(report, caller, {
          iam,
          log: logFile.enrollLogFile(flags.log),
          onChange: (change, index, total) => {
            if (flags.json !== true) writeStderr(`removed ${change.userName} (${index + 1}/${total})`);
          },
        });
        applied = done.length;
      }
      if (flags.json === true) {
        const mode = flags.apply === true ? 'applied' : 'plan';
        writeStdout(render.enrollJson({ groupName, mode, ...(caller === undefined ? {} : { caller }), logFile: flags.log, changes: report.changes, refusals: [] }));
        return;
      }
      writeStdout(`${render.renderSummary(groupName, report.changes)}\n\n${render.renderChangeTable(report.changes)}`);
      if (flags.apply === true) writeStdout(applied === 0 ? '\nNothing changed.' : `\nRemoved ${applied} user(s) from ${groupName}.`);
      else writeStdout(removals === 0 ? '\nNothing to undo.' : `\nRun again with --apply to remove ${removals} user(s).`);
    });
}
