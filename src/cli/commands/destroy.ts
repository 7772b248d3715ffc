/** `force-mfa destroy`: delete the guard stack, refusing while its group still has members unless told to remove them. */
import type { Command } from 'commander';
import { environmentError, inputError } from '../../errors.js';
import type { RolloutIam } from '../../rollout/iam.js';
import { askYesNo, assertCanConfirm, confirmed, writeStderr, writeStdout } from '../output.js';
import { addOrgStackSetOptions, type OrgStackSetFlags } from './org-deploy.js';
import { absent, declareFlagRules, given, onlyWhen, type FlagRule } from '../flag-rules.js';
import { realStackDeps, reportFailures, type StackCommandDeps } from './deploy.js';

interface DestroyFlags extends OrgStackSetFlags {
  stackName: string;
  yes?: boolean;
  removeMembers?: boolean;
  log?: string;
}

export interface DestroyDeps extends StackCommandDeps {
  /** IAM, to check (and with removeMembers, empty) the group; created only when the stack names a group. */
  readonly iam: () => Promise<RolloutIam>;
  readonly caller: () => Promise<string>;
}

export async function runDestroy(flags: DestroyFlags, deps: DestroyDeps): Promise<void> {
  const [deploy, { applyMembershipChanges }, { enrollLogFile }, { defaultLogFileName }] = await Promise.all([
    import('../../rollout/deploy/deploy.js'),
    import('../../rollout/enroll.js'),
    import('../../rollout/log-file.js'),
    import('../../rollout/enroll-log.js'),
  ]);
  const stack = await deps.api.describeStack(flags.stackName);
  if (stack === undefined) {
    writeStdout(`Stack ${flags.stackName} does not exist in ${deps.region}: nothing to delete.`);
    return;
  }
  // The output names the group the stack made; the parameter names the group it was to make (an endpoint may have made none).
  const groupName = nonEmpty(stack.outputs['GroupName']) ?? nonEmpty(stack.parameters['GroupName']);
  let members: string[] = [];
  let iam: RolloutIam | undefined;
  if (groupName !== undefined) {
    iam = await deps.iam();
    try {
      members = await iam.getGroupMembers(groupName);
    } catch (error) {
      if ((error as { code?: string }).code !== 'group-not-found') throw error;
    }
  }
  if (members.length > 0 && flags.removeMembers !== true) {
    const shown = members.slice(0, 5).join(', ') + (members.length > 5 ? ', ...' : '');
    throw inputError(
      'group-has-members',
      `group ${groupName} still has ${members.length} member(s) (${shown}) and CloudFormation cannot delete a group with members: ` +
        'undo enroll with `force-mfa unenroll --log FILE --apply`, or run again with --remove-members',
    );
  }
  const removal = members.length > 0 ? ` after removing ${members.length} member(s) from ${groupName} (their MFA is no longer enforced)` : '';
  if (!(await confirmed(flags.yes, deps.confirm, `Delete stack ${flags.stackName} in ${deps.region}${removal}?`))) {
    writeStderr('Cancelled: nothing changed.');
    return;
  }
  if (members.length > 0 && iam !== undefined && groupName !== undefined) {
    const by = await deps.caller();
    const logPath = flags.log ?? defaultLogFileName(/^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(by)?.[1] ?? 'unknown-account', groupName);
    await applyMembershipChanges(groupName, members.map((userName) => ({ userName, action: 'remove' as const })), 'remove', by, {
      iam,
      log: enrollLogFile(logPath),
      onChange: (change, index, total) => writeStderr(`removed ${change.userName} (${index + 1}/${total})`),
    });
    writeStderr(`Removed ${members.length} member(s), logged in ${logPath}.`);
  }
  writeStderr(`Deleting stack ${flags.stackName}...`);
  const outcome = await deploy.destroyStack(deps.api, stack, flags.stackName, {
    poll: deps.sleep === undefined ? {} : { sleep: deps.sleep },
    onEvent: (event) => writeStderr(deploy.formatStackEvent(event)),
  });
  if (!outcome.succeeded) {
    reportFailures(outcome.failures);
    throw environmentError('stack-failed', deploy.failureSummary(flags.stackName, outcome));
  }
  if (groupName === undefined) {
    writeStdout(`Stack ${flags.stackName} deleted. It names no guard group (no GroupName output or parameter), so no group was checked.`);
    return;
  }
  // CloudFormation reports DELETE_COMPLETE for a retained resource too: the group is gone only if IAM says so.
  if ((await (await deps.groups()).readGroup(groupName)) !== undefined) {
    throw environmentError(
      'group-remains',
      `stack ${flags.stackName} was deleted but IAM group ${groupName} still exists (retained, or made again outside the stack): delete it by hand if it is no longer wanted`,
    );
  }
  writeStdout(`Stack ${flags.stackName} deleted; IAM group ${groupName} is gone.`);
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

const DESTROY_FLAG_RULES: readonly FlagRule[] = [
  onlyWhen('log', given('removeMembers'), 'only removals are logged; add --remove-members, or leave out --log'),
  // With --org, --log needs --remove-members, which --org refuses: one rule covers both.
  onlyWhen('removeMembers', absent('org'), 'with --org the stack set deletes its stacks and no group is emptied first; leave out --remove-members'),
];

export function registerDestroy(program: Command): void {
  const command = program
    .command('destroy')
    .description('delete the guard stack (refuses while the group has members, unless --remove-members)')
    .option('--stack-name <name>', 'CloudFormation stack name', 'force-mfa')
    .option('--remove-members', 'remove every member from the group first (logged), so that the stack can be deleted')
    .option('--log <file>', 'with --remove-members: the log of removals (default: ./force-mfa-enroll-<account>-<group>.jsonl)')
    .option('-y, --yes', 'delete without asking (required without a terminal)');
  declareFlagRules(command, DESTROY_FLAG_RULES);
  addOrgStackSetOptions(command)
    .addHelpText(
      'after',
      `
CloudFormation cannot delete an IAM group that has members, so destroy checks the group first. Prefer undoing
enroll (force-mfa unenroll --log FILE --apply); --remove-members removes everyone, including members added by hand.

Examples:
  force-mfa destroy
  force-mfa destroy --stack-name force-mfa-seed --remove-members --yes`,
    )
    .action(async (flags: DestroyFlags) => {
      if (flags.org === true) {
        assertCanConfirm(flags.yes, 'deleting the stack set');
        const { runOrgDestroy, realOrgStackSetDeps } = await import('./org-deploy.js');
        await runOrgDestroy(flags, await realOrgStackSetDeps());
        return;
      }
      assertCanConfirm(flags.yes, 'the deletion');
      const stackDeps = await realStackDeps();
      const [{ createIamClient, createStsClient }, { sdkRolloutIam, sdkRolloutSts }] = await Promise.all([
        import('../../rollout/aws/clients.js'),
        import('../../rollout/aws/iam.js'),
      ]);
      await runDestroy(flags, {
        ...stackDeps,
        confirm: askYesNo,
        iam: async () => sdkRolloutIam(await createIamClient()),
        caller: async () => (await (await sdkRolloutSts(await createStsClient())).getCallerIdentity()).arn,
      });
    });
}
