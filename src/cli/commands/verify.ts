/** `force-mfa verify`: prove what the guard (or given policies) allows over every AWS action, per MFA context. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { inputError } from '../../errors.js';
import { POLICY_FILE_BOUND, readInputText } from '../../input-file.js';
import type { NamedPolicy } from '../../engine/compile.js';
import { addGuardOptions, guardOptionsFromFlags, type GuardFlags } from '../guard-options.js';
import { repeatable } from '../lists.js';
import type { GroupReader } from '../../rollout/deploy/read-back.js';
import type { ExpectationDifference } from '../../engine/expect.js';
import type { VerifyReport } from '../../engine/verify.js';
import type { ActionCatalogue } from '../../engine/catalogue.js';
import { emit } from '../output.js';
import { declareFlagRules, given, never, onlyWhen, type FlagRule } from '../flag-rules.js';

/** verify and explain: flags that act only beside others (see flag-rules.ts). */
const POLICY_FLAG_RULES: readonly FlagRule[] = [
  onlyWhen('fullAwsAccess', given('scp'), 'it changes how --scp layers are evaluated; add --scp FILE, or leave it out'),
  // The guard's policy is the same whatever its group is called (verify --group names the group to read).
  onlyWhen('groupName', never, 'the guard\'s policy is the same whatever its group is called; leave it out (verify --group NAME reads a group)'),
];

/** The flags every command that evaluates policies shares (verify, explain). */
export interface PolicyFlags extends GuardFlags {
  /** Repeatable options have no default, so that help does not print "(default: [])"; absent means none. */
  policy?: string[];
  withPolicy?: string[];
  scp?: string[];
  fullAwsAccess?: boolean;
  principal?: string;
}

export interface VerifyFlags extends PolicyFlags {
  json?: boolean;
  expect?: string;
  output?: string;
  group?: string;
}

export interface VerifyGroupDeps {
  /** IAM, to read the group; created only for --group. */
  readonly groups: () => Promise<GroupReader>;
}

export interface PolicyInputs {
  readonly policies: NamedPolicy[];
  readonly scps: NamedPolicy[][];
  readonly principalArn: string;
}

/** Adds the guard options and --policy, --with-policy, --scp, --principal to a command. */
export function addPolicyOptions(command: Command): Command {
  return addGuardOptions(declareFlagRules(command, POLICY_FLAG_RULES))
    .option('--policy <file>', 'evaluate this identity policy file (JSON or YAML) instead of the guard; repeatable', repeatable)
    .option(
      '--with-policy <file-or-name>',
      'also attach this policy, from a file or built in: AdministratorAccess, IAMUserChangePassword, IAMReadOnlyAccess; repeatable',
      repeatable,
    )
    .option(
      '--scp <file>',
      'a service control policy file; each is one layer (root, OU, account) that must allow and not deny, evaluated beside FullAWSAccess as AWS attaches it by default; repeatable',
      repeatable,
    )
    .option('--no-full-aws-access', 'evaluate each --scp layer without the default FullAWSAccess SCP beside it')
    .option('--principal <arn>', 'the IAM user making the requests (default: arn:<partition>:iam::111122223333:user/alice)');
}

function readText(path: string): string {
  return readInputText(path, POLICY_FILE_BOUND);
}

/**
 * A guard names its partition in every ARN: a principal of another partition matches none of them, so every request
 * would look denied (a silent "nothing is allowed"). That is a usage mistake, not a result.
 */
function assertPrincipalInPartition(principal: string | undefined, partition: string): void {
  const given = principal === undefined ? undefined : /^arn:([^:]+):/.exec(principal)?.[1];
  if (given !== undefined && given !== partition) {
    throw inputError(
      'usage',
      `--principal ${principal} is in partition ${given} but the guard is built for ${partition}: give --partition ${given} or a principal of ${partition}`,
    );
  }
}

/** Builds the policies to evaluate from the flags: the guard or --policy files, plus --with-policy and --scp. */
export async function readPolicyInputs(flags: PolicyFlags): Promise<PolicyInputs> {
  const { parsePolicyText } = await import('../../engine/policy-input.js');
  const { builtinPolicy, BUILTIN_POLICY_NAMES } = await import('../../engine/builtin-policies.js');
  const guardOptions = guardOptionsFromFlags(flags);
  const policyFiles = flags.policy ?? [];
  let policies: NamedPolicy[];
  if (policyFiles.length > 0) {
    if (Object.keys(guardOptions).length > 0) {
      throw inputError('usage', '--policy replaces the guard: leave out --guard and the other guard options, or drop --policy');
    }
    policies = policyFiles.flatMap((path) => parsePolicyText(readText(path), path));
  } else {
    const { buildGuard } = await import('../../policy/guard.js');
    const guard = buildGuard(guardOptions);
    assertPrincipalInPartition(flags.principal, guard.options.partition);
    policies = [{ name: guard.policyName, document: guard.document }];
  }
  for (const value of flags.withPolicy ?? []) {
    if (existsSync(value)) {
      policies.push(...parsePolicyText(readText(value), value));
      continue;
    }
    const builtin = builtinPolicy(value);
    if (builtin === undefined) {
      throw inputError(
        'usage',
        `--with-policy ${value}: no such file, and not a built-in policy (${BUILTIN_POLICY_NAMES.join(', ')})`,
      );
    }
    policies.push(builtin);
  }
  const fullAwsAccess = flags.fullAwsAccess === false ? [] : [builtinPolicy('FullAWSAccess') as NamedPolicy];
  const scps = (flags.scp ?? []).map((path) => [...fullAwsAccess, ...parsePolicyText(readText(path), path)]);
  const partition = flags.partition ?? 'aws';
  return { policies, scps, principalArn: flags.principal ?? `arn:${partition}:iam::111122223333:user/alice` };
}

export function registerVerify(program: Command): void {
  const command = program
    .command('verify')
    .description(
      'prove what an IAM user can do without MFA (console), with access keys alone, and with MFA, over every AWS action',
    );
  addPolicyOptions(command)
    .option('--json', 'print the report as JSON (format: docs/verify-json.md)')
    .option('--expect <file>', 'compare with this expectation (JSON or YAML, docs/verify-json.md) and exit 1 on any difference')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option(
      '--group <name>',
      "verify this IAM group's inline and attached policies as the account holds them (standard credential chain) and compare them with the rendered guard",
    )
    .addHelpText(
      'after',
      `
Every action of the catalogue is checked in three requests: a console session without MFA
(aws:MultiFactorAuthPresent "false"), long-term access keys (key absent) and a session with MFA ("true").
"own resources only" means allowed on the caller's own user (or a device named after it) but not on other users'.
Other condition keys (aws:UserAgent, aws:SourceIp, tags, ...) may hold any value or none: every value is tried, and an
action that only some values open is listed with them ("only with ..."). See docs/guarantees.md.

Examples:
  force-mfa verify                                         # the recommended guard alone
  force-mfa verify --guard seed --with-policy AdministratorAccess
  force-mfa verify --policy my-guard.json --with-policy team-policy.yaml --json > verify.json
  force-mfa verify --guard recommended --expect expected.json          # CI gate: exit 1 on any difference
  force-mfa verify --principal arn:aws:iam::123456789012:user/dev/alice  # a user with a path
  force-mfa verify --with-policy AdministratorAccess --scp force-mfa-scp.json
  force-mfa verify --policy admin.json --scp force-mfa-scp.json --principal arn:aws:sts::111122223333:assumed-role/Admin/ops
  force-mfa verify --group ForceMfaAccess                  # the deployed guard: as rendered? exit 1 if not
  force-mfa verify --group ForceMfaAccess --expect expected.json         # CI: watch the deployed guard for drift

With --group, the group's policies are read from the account (GetGroup, GetGroupPolicy, the attached policies'
default versions; AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL honoured) and verified. Without --expect they must be
exactly the guard the guard options render (the same check deploy makes after deploying): any difference is exit 1.
With --expect the expectation is the gate instead. A group that does not exist is exit 2; an AWS failure exit 3.`,
    )
    .action(async (flags: VerifyFlags) => {
      if (flags.group !== undefined) {
        await runVerifyGroup(flags, { groups: async () => (await import('../../rollout/aws/iam.js')).sdkGroupReader(await (await import('../../rollout/aws/clients.js')).createIamClient()) });
        return;
      }
      const inputs = await readPolicyInputs(flags);
      const [{ loadCatalogue }, { verifyPolicies }] = await Promise.all([import('../../engine/catalogue.js'), import('../../engine/verify.js')]);
      const catalogue = await loadCatalogue();
      const report = verifyPolicies(
        { policies: inputs.policies, scps: inputs.scps, principalArn: inputs.principalArn },
        catalogue,
      );
      const differences = await expectationDifferences(flags.expect, report, catalogue);
      if (differences !== undefined && differences.length > 0) process.exitCode = 1;
      await emitReport(flags, report, catalogue, { policies: inputs.policies.map((policy) => policy.name), scps: inputs.scps.map((layer) => layer.map((policy) => policy.name)) }, differences);
    });
}

/** The differences from `--expect FILE`, or undefined without it. */
async function expectationDifferences(path: string | undefined, report: VerifyReport, catalogue: ActionCatalogue): Promise<ExpectationDifference[] | undefined> {
  if (path === undefined) return undefined;
  const [{ parseJsonOrYaml }, expectModule] = await Promise.all([import('../../engine/policy-input.js'), import('../../engine/expect.js')]);
  const parsed = parseJsonOrYaml(readText(path), path);
  return expectModule.compareWithExpectation(report, expectModule.readExpectation(parsed, path), catalogue);
}

interface ReportSource {
  readonly policies: readonly string[];
  readonly scps: readonly (readonly string[])[];
  /** With --group: the group read and what its check found. */
  readonly group?: {
    readonly name: string;
    readonly arn: string;
    readonly line: string;
    readonly check?: { readonly asRendered: boolean; readonly policyDifferences: readonly string[]; readonly verifyDifferences: readonly ExpectationDifference[] };
  };
}

/** The report as JSON (docs/verify-json.md) or text, with the expectation's and the group check's outcome. */
async function emitReport(
  flags: VerifyFlags,
  report: VerifyReport,
  catalogue: ActionCatalogue,
  source: ReportSource,
  differences: ExpectationDifference[] | undefined,
): Promise<void> {
  const { formatVerifyReport, formatDifferences } = await import('../../render/verify-text.js');
  if (flags.json === true) {
    const { stats: _stats, ...stable } = report;
    const document = {
      formatVersion: 1,
      ...(source.group === undefined
        ? {}
        : { group: { name: source.group.name, arn: source.group.arn, summary: source.group.line, ...(source.group.check === undefined ? {} : { check: source.group.check }) } }),
      policies: source.policies,
      scps: source.scps,
      ...stable,
      ...(differences === undefined ? {} : { expectation: { source: flags.expect, met: differences.length === 0, differences } }),
    };
    emit(JSON.stringify(document, null, 2), flags.output);
    return;
  }
  const ungated = new Set(report.ungated);
  const gatedNames = catalogue.actions
    .map((action) => action.name)
    .filter((name) => !ungated.has(name))
    .sort();
  const scpText = source.scps.length === 0 ? '' : `; SCP layers: ${source.scps.map((layer) => layer.join(' + ')).join(' > ')}`;
  const check = source.group?.check;
  const groupLines =
    source.group === undefined
      ? []
      : [
          '',
          ...(check === undefined || check.asRendered
            ? []
            : [
                'Differences from the rendered guard:',
                ...check.policyDifferences.map((line) => `  ${line}`),
                ...check.verifyDifferences.slice(0, 40).map((difference) => `  verified: ${difference.message}`),
                ...(check.verifyDifferences.length > 40 ? [`  verified: ... and ${check.verifyDifferences.length - 40} more (see --json)`] : []),
              ]),
          source.group.line,
        ];
  const text = [
    ...(source.group === undefined ? [] : [`Group: ${source.group.name} (${source.group.arn})`]),
    `Policies: ${source.policies.join(', ') || 'none'}${scpText}`,
    formatVerifyReport(report, gatedNames),
    ...(differences === undefined || flags.expect === undefined ? [] : ['', formatDifferences(differences, flags.expect)]),
    ...groupLines,
  ].join('\n');
  emit(text, flags.output);
}

/**
 * `verify --group NAME`: the group's inline and attached policies as the account holds them, verified like --policy.
 * Without --expect they are compared with the guard the guard options render (as deploy does after deploying): any
 * difference is exit 1. With --expect the expectation is the gate instead.
 */
export async function runVerifyGroup(flags: VerifyFlags, deps: VerifyGroupDeps): Promise<void> {
  const groupName = flags.group ?? '';
  if (!/^[\w+=,.@-]{1,128}$/.test(groupName)) {
    throw inputError('usage', `--group ${JSON.stringify(groupName)} is not an IAM group name (1 to 128 letters, digits and +=,.@_-)`);
  }
  const conflicting = [
    ...((flags.policy ?? []).length > 0 ? ['--policy'] : []),
    ...((flags.withPolicy ?? []).length > 0 ? ['--with-policy'] : []),
    ...((flags.scp ?? []).length > 0 ? ['--scp'] : []),
    ...(flags.fullAwsAccess === false ? ['--no-full-aws-access'] : []),
  ];
  if (conflicting.length > 0) {
    throw inputError('usage', `--group verifies the group's own policies as the account holds them: leave out ${conflicting.join(', ')}, or verify exported files with --policy`);
  }
  const guardOptions = guardOptionsFromFlags(flags);
  if (flags.expect !== undefined && Object.keys(guardOptions).length > 0) {
    throw inputError('usage', '--group with --expect checks the group against the expectation only: leave out the guard options, or drop --expect to compare with the rendered guard');
  }
  const [{ loadCatalogue }, readBack, { buildGuard }] = await Promise.all([
    import('../../engine/catalogue.js'),
    import('../../rollout/deploy/read-back.js'),
    import('../../policy/guard.js'),
  ]);
  const guard = buildGuard(guardOptions);
  assertPrincipalInPartition(flags.principal, guard.options.partition);
  const group = await (await deps.groups()).readGroup(groupName);
  if (group === undefined) {
    throw inputError('group-not-found', `IAM group ${groupName} does not exist in this account: check the name (aws iam list-groups) and the account (AWS_PROFILE)`);
  }
  const catalogue = await loadCatalogue();
  const principalArn = flags.principal ?? readBack.principalForGroup(group, guard.options.partition);
  const policies = readBack.groupPolicies(group).map((policy) => policy.name);
  if (flags.expect === undefined) {
    const check = readBack.checkGroup(group, guard, catalogue, principalArn);
    const { asRendered, line } = readBack.groupCheckLine(check);
    if (!asRendered) process.exitCode = 1;
    await emitReport(flags, check.report, catalogue, {
      policies,
      scps: [],
      group: { name: group.groupName, arn: group.arn, line, check: { asRendered, policyDifferences: check.policyDifferences, verifyDifferences: check.verifyDifferences } },
    }, undefined);
    return;
  }
  const report = readBack.verifyGroup(group, catalogue, principalArn);
  const differences = await expectationDifferences(flags.expect, report, catalogue);
  if (differences !== undefined && differences.length > 0) process.exitCode = 1;
  const line = `${group.groupName}: ${readBack.verifiedSummary(report)}`;
  await emitReport(flags, report, catalogue, { policies, scps: [], group: { name: group.groupName, arn: group.arn, line } }, differences);
}
