/** `force-mfa deploy`: create or update the guard's CloudFormation stack through a change set, after confirmation. */
import type { Command } from 'commander';
import type { GuardDefinition } from '../../policy/guard.js';
import type { Sleep } from '../../rollout/deploy/poll.js';
import type { GroupReader } from '../../rollout/deploy/read-back.js';
import type { StackApi, StackEvent } from '../../rollout/deploy/stack-api.js';
import { addGuardOptions, type GuardFlags } from '../guard-options.js';
import { addAutoEnrollOptions, AUTO_ENROLL_FLAG_RULES, guardTemplateFromFlags, type AutoEnrollFlags } from '../guard-template.js';
import { declareFlagRules } from '../flag-rules.js';
import { askYesNo, assertCanConfirm, confirmed, writeStderr, writeStdout } from '../output.js';
import { addOrgStackSetOptions, type OrgDeployFlags } from './org-deploy.js';

interface DeployFlags extends GuardFlags, AutoEnrollFlags, OrgDeployFlags {
  stackName: string;
  yes?: boolean;
}

export interface StackCommandDeps {
  readonly api: StackApi;
  readonly region: string;
  readonly confirm: (question: string) => Promise<boolean>;
  /** IAM, to read back the guard group once the stack has settled; created only when needed. */
  readonly groups: () => Promise<GroupReader>;
  readonly sleep?: Sleep;
  readonly now?: () => Date;
}

export async function runDeploy(flags: DeployFlags, deps: StackCommandDeps): Promise<void> {
  const [deploy, { renderChangeSet }, { IAM_EVENT_REGIONS }, { guard, template }] = await Promise.all([
    import('../../rollout/deploy/deploy.js'),
    import('../../rollout/deploy/change-set.js'),
    import('../../rollout/auto-enroll-template.js'),
    guardTemplateFromFlags(flags),
  ]);
  if (flags.autoEnroll === true && !IAM_EVENT_REGIONS.includes(deps.region)) {
    writeStderr(
      `Warning: IAM CreateUser events reach EventBridge only in us-east-1; in ${deps.region} only the daily sweep will enroll new users (deploy with AWS_REGION=us-east-1).`,
    );
  }
  const changeSetName = `force-mfa-${(deps.now?.() ?? new Date()).toISOString().replace(/\D/g, '').slice(0, 14)}`;
  writeStderr(`Creating change set ${changeSetName} for stack ${flags.stackName} in ${deps.region}...`);
  const pollOptions = deps.sleep === undefined ? {} : { sleep: deps.sleep };
  const prepared = await deploy.prepareDeployment(
    deps.api,
    { stackName: flags.stackName, templateBody: JSON.stringify(template), changeSetName },
    pollOptions,
  );
  if (prepared.view.empty) {
    // "Up to date" speaks of the template only: the group may have been changed by hand since, so it is read back too.
    const line = await readBackGroup(flags.stackName, 'unchanged', guard, deps);
    writeStdout(`No changes: stack ${flags.stackName} is up to date (the empty change set was deleted).\n${line}`);
    return;
  }
  writeStdout(`Change set ${changeSetName} (${prepared.changeSetType === 'CREATE' ? 'new stack' : 'update'} of ${flags.stackName}):\n\n${renderChangeSet(prepared.view)}`);
  if (!(await confirmed(flags.yes, deps.confirm, `Execute this change set on stack ${flags.stackName}?`))) {
    await deploy.discardDeployment(deps.api, prepared);
    writeStderr('Cancelled: the change set was deleted, nothing changed.');
    return;
  }
  writeStderr(`Executing ${changeSetName}...`);
  const outcome = await deploy.executeDeployment(deps.api, prepared, { poll: pollOptions, onEvent: (event) => writeStderr(deploy.formatStackEvent(event)) });
  if (!outcome.succeeded) {
    reportFailures(outcome.failures);
    const { environmentError } = await import('../../errors.js');
    throw environmentError('stack-failed', deploy.failureSummary(flags.stackName, outcome));
  }
  const line = await readBackGroup(flags.stackName, outcome.status, guard, deps);
  writeStdout(
    `\nStack ${flags.stackName}: ${outcome.status}.\n${line}\n` +
      `Next: force-mfa enroll --all --exclude <break-glass user>   (a plan first; add --apply to enroll)`,
  );
}

/**
 * Reads the guard group back from IAM and verifies it against the rendered guard: the stack's status says what
 * CloudFormation did, not what the account now holds. Anything but the rendered guard is an environment failure.
 */
async function readBackGroup(stackName: string, status: string, guard: GuardDefinition, deps: StackCommandDeps): Promise<string> {
  const [{ environmentError, isForceMfaError }, { loadCatalogue }, readBack] = await Promise.all([
    import('../../errors.js'),
    import('../../engine/catalogue.js'),
    import('../../rollout/deploy/read-back.js'),
  ]);
  writeStderr(`Reading back group ${guard.groupName} from IAM...`);
  const group = await (await deps.groups()).readGroup(guard.groupName);
  if (group === undefined) {
    throw environmentError(
      'group-missing',
      `stack ${stackName} is ${status} but IAM group ${guard.groupName} does not exist: the stack did not create it; check the stack's resources in the CloudFormation console`,
    );
  }
  const catalogue = await loadCatalogue();
  let check: import('../../rollout/deploy/read-back.js').GroupCheck;
  try {
    check = readBack.checkGroup(group, guard, catalogue, readBack.principalForGroup(group, guard.options.partition));
  } catch (error) {
    // A document the evaluator refuses (an unknown operator, say) is not the rendered guard: the deployment failed.
    if (!isForceMfaError(error) || error.kind !== 'input') throw error;
    throw environmentError('group-unverifiable', `stack ${stackName} is ${status} but group ${guard.groupName} cannot be verified: ${error.message}`, error);
  }
  const { asRendered, line } = readBack.groupCheckLine(check);
  if (!asRendered) throw environmentError('group-differs', `stack ${stackName} is ${status} but ${line}`);
  return line;
}

export function reportFailures(failures: readonly StackEvent[]): void {
  if (failures.length === 0) return;
  writeStderr('\nFailed:');
  for (const event of failures) writeStderr(`  ${event.logicalId} (${event.resourceType}) ${event.status}: ${event.reason ?? 'no reason given'}`);
}

export async function realStackDeps(): Promise<StackCommandDeps> {
  const [{ createCloudFormationClient, createIamClient }, { sdkStackApi }] = await Promise.all([
    import('../../rollout/aws/clients.js'),
    import('../../rollout/aws/cloudformation.js'),
  ]);
  const client = await createCloudFormationClient();
  const groups = async (): Promise<GroupReader> => (await import('../../rollout/aws/iam.js')).sdkGroupReader(await createIamClient());
  return { api: await sdkStackApi(client), region: await client.config.region(), confirm: askYesNo, groups };
}

export function registerDeploy(program: Command): void {
  const command = program
    .command('deploy')
    .description('create or update the guard stack in CloudFormation through a change set, shown before it runs')
    .option('--stack-name <name>', 'CloudFormation stack name', 'force-mfa')
    .option('-y, --yes', 'execute the change set without asking (required without a terminal)');
  declareFlagRules(command, AUTO_ENROLL_FLAG_RULES);
  addOrgStackSetOptions(addAutoEnrollOptions(addGuardOptions(command)))
    .addHelpText(
      'after',
      `
The change set is shown, then executed after you answer y (or at once with --yes). Stack events are printed on
stderr while it runs; on failure the failed events are listed with their reasons and the exit code is 3.
Once the stack has settled (and when there is nothing to change; not with --org), the group is read back from IAM (GetGroup, its
inline and attached policies): it must hold exactly the rendered inline policy, statement by statement, and the
exhaustive verify of what was read must match the rendered guard's. A missing group or any difference is exit 3 with
one line saying what differs; success prints the verified summary. \`force-mfa verify --group NAME\` runs the same check.
With --auto-enroll, deploy in us-east-1: IAM's CreateUser events reach EventBridge only there.
--guard chooses the guard (seed or recommended); --profile and --region choose the AWS account and region as in the
AWS CLI (default: AWS_PROFILE, AWS_REGION and the rest of the standard credential chain).

Examples:
  force-mfa deploy                                   # the recommended guard as stack force-mfa
  AWS_REGION=us-east-1 force-mfa deploy --auto-enroll --auto-enroll-exempt breakglass
  force-mfa deploy --guard seed --stack-name force-mfa-seed --yes`,
    )
    .action(async (flags: DeployFlags) => {
      if (flags.org === true) {
        assertCanConfirm(flags.yes, 'the stack set deployment');
        const { runOrgDeploy, realOrgStackSetDeps } = await import('./org-deploy.js');
        await runOrgDeploy(flags, await realOrgStackSetDeps());
        return;
      }
      assertCanConfirm(flags.yes, 'the change set');
      await runDeploy(flags, await realStackDeps());
    });
}
