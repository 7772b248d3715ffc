/** `deploy --org` and `destroy --org`: the guard as a service-managed CloudFormation StackSet over OUs of an Organization. */
import { Option, type Command } from 'commander';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { environmentError, inputError } from '../../errors.js';
import type { StackSetRunOptions } from '../../org/stackset.js';
import type { GuardFlags } from '../guard-options.js';
import { guardTemplateFromFlags, type AutoEnrollFlags } from '../guard-template.js';
import { commaList } from '../lists.js';
import { askYesNo, confirmed, writeStderr, writeStdout } from '../output.js';
import { absent, declareFlagRules, eachOnlyWhen, given, onlyWhen, type FlagRule } from '../flag-rules.js';

export interface OrgStackSetFlags {
  org?: boolean;
  ou?: string[];
  regions?: string[];
  stackSetName?: string;
  callAs?: 'SELF' | 'DELEGATED_ADMIN';
  failureTolerance?: string;
  failureTolerancePercent?: string;
  maxConcurrent?: string;
  maxConcurrentPercent?: string;
  yes?: boolean;
}

export interface OrgDeployFlags extends OrgStackSetFlags, GuardFlags, AutoEnrollFlags {}

export interface OrgStackSetDeps {
  readonly cloudFormation: CloudFormationClient;
  readonly organizations: OrganizationsClient;
  /** The region the stack set itself lives in (its administration region). */
  readonly region: string;
  readonly confirm: (question: string) => Promise<boolean>;
  readonly run?: Omit<StackSetRunOptions, 'onProgress'>;
}

/** The stack set options act only with --org, and --stack-name (one account's stack) only without it. */
export const ORG_STACKSET_FLAG_RULES: readonly FlagRule[] = [
  ...eachOnlyWhen(
    ['ou', 'regions', 'stackSetName', 'callAs', 'failureTolerance', 'failureTolerancePercent', 'maxConcurrent', 'maxConcurrentPercent'],
    given('org'),
    'it configures the stack set of --org; add --org, or leave it out',
  ),
  onlyWhen('stackName', absent('org'), 'with --org the guard is the stack set --stack-set-name; leave out --stack-name'),
];

/** The options deploy and destroy share for --org; deploy's template options stay its own. */
export function addOrgStackSetOptions(command: Command): Command {
  return declareFlagRules(command, ORG_STACKSET_FLAG_RULES)
    .option('--org', 'work on a service-managed CloudFormation StackSet across the accounts of an AWS Organization (run from the management account or a delegated administrator)')
    .option('--ou <ids>', 'with --org: organizational unit ids (or the root r-…); deploy: whose accounts get the guard, now and when they join later (default: the root, i.e. every account); destroy: whose stacks are deleted (default: every stack)', commaList)
    .option('--regions <regions>', 'with --org: regions of the stack instances (deploy default us-east-1: IAM is global, one region is right; destroy default: every region with a stack)', commaList)
    .option('--stack-set-name <name>', 'with --org: the stack set name', 'force-mfa')
    .addOption(new Option('--call-as <who>', 'with --org: SELF (management account) or DELEGATED_ADMIN').choices(['SELF', 'DELEGATED_ADMIN']).default('SELF'))
    .addOption(new Option('--failure-tolerance <n>', 'with --org: accounts that may fail per region before the operation stops').conflicts('failureTolerancePercent'))
    .option('--failure-tolerance-percent <p>', 'with --org: the same as a percentage of the accounts (default 10)')
    .addOption(new Option('--max-concurrent <n>', 'with --org: accounts deployed to (or deleted from) at once').conflicts('maxConcurrentPercent'))
    .option('--max-concurrent-percent <p>', 'with --org: the same as a percentage of the accounts (default 25)');
}

function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw inputError('org-number', `${flag} must be a whole number, not '${text}'`);
  return value;
}

function targetFromFlags(flags: OrgStackSetFlags, organizationalUnitIds: readonly string[]) {
  return {
    stackSetName: flags.stackSetName,
    organizationalUnitIds,
    regions: flags.regions,
    callAs: flags.callAs,
    failureToleranceCount: wholeNumber(flags.failureTolerance, '--failure-tolerance'),
    failureTolerancePercentage: wholeNumber(flags.failureTolerancePercent, '--failure-tolerance-percent'),
    maxConcurrentCount: wholeNumber(flags.maxConcurrent, '--max-concurrent'),
    maxConcurrentPercentage: wholeNumber(flags.maxConcurrentPercent, '--max-concurrent-percent'),
  };
}

/** Without --ou: the organization's root, i.e. every account, including those that join later. */
async function targetUnits(flags: OrgStackSetFlags, organizations: OrganizationsClient): Promise<string[]> {
  if (flags.ou !== undefined && flags.ou.length > 0) return flags.ou;
  const { ListRootsCommand } = await import('@aws-sdk/client-organizations');
  const roots = await organizations.send(new ListRootsCommand({})).catch((error: unknown) => {
    throw environmentError('org-roots', `cannot find the organization's root (organizations:ListRoots): ${error instanceof Error ? error.message : String(error)}; give --ou`, error);
  });
  const root = roots.Roots?.[0]?.Id;
  if (root === undefined) throw environmentError('org-roots', 'the organization has no root to deploy to: give --ou');
  return [root];
}

export async function runOrgDeploy(flags: OrgDeployFlags, deps: OrgStackSetDeps): Promise<void> {
  const [{ planStackSetDeploy }, { deployStackSet }, { renderDeployResult }, { stringifyTemplateYaml }, { guard, template }] = await Promise.all([
    import('../../org/stackset-plan.js'),
    import('../../org/stackset.js'),
    import('../../org/stackset-render.js'),
    import('../../render/cloudformation.js'),
    guardTemplateFromFlags(flags),
  ]);
  const units = await targetUnits(flags, deps.organizations);
  const plan = planStackSetDeploy(targetFromFlags(flags, units), {
    templateBody: stringifyTemplateYaml(template),
    groupName: guard.groupName,
  });
  for (const warning of plan.warnings) writeStderr(`Warning: ${warning}`);
  if (flags.autoEnroll === true && !plan.regions.includes('us-east-1')) {
    writeStderr('Warning: IAM CreateUser events reach EventBridge only in us-east-1: elsewhere only the daily sweep enrolls new users.');
  }
  const preferences = plan.instances.OperationPreferences ?? {};
  const summary =
    `stack set ${plan.stackSetName} (administered from ${deps.region}, call as ${plan.callAs}): guard group ${guard.groupName}` +
    `${flags.autoEnroll === true ? ' with automatic enrollment' : ''} in every account of ${plan.organizationalUnitIds.join(', ')}, region(s) ${plan.regions.join(', ')}; ` +
    `up to ${preferences.MaxConcurrentCount ?? `${preferences.MaxConcurrentPercentage ?? '?'}%`} of the accounts at once, ` +
    `${preferences.FailureToleranceCount ?? `${preferences.FailureTolerancePercentage ?? '?'}%`} may fail; accounts joining later get it automatically.`;
  writeStdout(summary);
  if (!(await confirmed(flags.yes, deps.confirm, `Deploy stack set ${plan.stackSetName}?`))) {
    writeStderr('Cancelled: nothing changed.');
    return;
  }
  const result = await deployStackSet(deps.cloudFormation, plan, { ...deps.run, onProgress: (line) => writeStderr(line) });
  writeStdout(renderDeployResult(result));
  const failedOperation = result.operations.find((operation) => operation.status !== 'SUCCEEDED');
  if (failedOperation !== undefined) {
    throw environmentError('stack-set-failed', `stack set ${plan.stackSetName}: operation ${failedOperation.operationId} ended ${failedOperation.status}: see the failed accounts above`);
  }
  // Within the failure tolerance the operation succeeds, but the guard is missing where a stack failed: that is an
  // AWS failure for those accounts (exit 3), not a finding.
  const failedInstances = result.instances.filter((instance) => instance.failed);
  if (failedInstances.length > 0) {
    const where = failedInstances.map((instance) => `${instance.account} (${instance.region})`).join(', ');
    throw environmentError('stack-instances-failed', `stack set ${plan.stackSetName}: the guard is not deployed in ${where}: see the failed accounts above, fix them and deploy again`);
  }
}

export async function runOrgDestroy(flags: OrgStackSetFlags, deps: OrgStackSetDeps): Promise<void> {
  const [{ destroyStackSet }, { renderDestroyResult }] = await Promise.all([import('../../org/stackset.js'), import('../../org/stackset-render.js')]);
  const target = targetFromFlags(flags, flags.ou ?? []);
  const scope = flags.ou?.length ? `the stacks of ${flags.ou.join(', ')}` : 'every stack';
  if (!(await confirmed(flags.yes, deps.confirm, `Delete ${scope} of stack set ${flags.stackSetName ?? 'force-mfa'} (the guard groups go; MFA is no longer enforced there), then the stack set?`))) {
    writeStderr('Cancelled: nothing changed.');
    return;
  }
  const result = await destroyStackSet(deps.cloudFormation, target, { ...deps.run, onProgress: (line) => writeStderr(line) });
  writeStdout(renderDestroyResult(result));
  if (!result.absent && !result.stackSetDeleted) {
    throw environmentError(
      'stack-set-kept',
      `stack set ${result.stackSetName} was not deleted: ${result.keptReason ?? 'unknown reason'} (a guard group with members cannot be deleted: unenroll its members in those accounts first)`,
    );
  }
}

/** Clients with the default credential chain; the stack set lives in the configured region (us-east-1 when none). */
export async function realOrgStackSetDeps(): Promise<OrgStackSetDeps> {
  const [{ CloudFormationClient }, { OrganizationsClient }, { HTTP_TIMEOUTS }] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-organizations'),
    import('../../aws/http.js'),
  ]);
  // src/org retries every call itself (withRetries, with backoff): a second retry layer in the SDK would multiply
  // the attempts (8 x 5 were measured against an emulator returning 500s).
  const retry = { maxAttempts: 1, ...HTTP_TIMEOUTS };
  const probe = new CloudFormationClient({});
  const region = await probe.config.region().catch(() => 'us-east-1');
  probe.destroy();
  return {
    cloudFormation: new CloudFormationClient({ ...retry, region }),
    organizations: new OrganizationsClient({ ...retry, region }),
    region,
    confirm: askYesNo,
  };
}
