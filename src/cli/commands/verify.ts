/** `force-mfa verify`: prove what the guard (or given policies) allows over every AWS action, per MFA context. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { inputError } from '../../errors.js';
import { POLICY_FILE_BOUND, readInputText } from '../../input-file.js';
import type { NamedPolicy } from '../../engine/compile.js';
import { addGuardOptions, guardOptionsFromFlags, type GuardFlags } from '../guard-options.js';
import { repeatable } from '../lists.js';
import { emit } from '../output.js';

/** The flags every command that evaluates policies shares (verify, explain). */
export interface PolicyFlags extends GuardFlags {
  /** Repeatable options have no default, so that help does not print "(default: [])"; absent means none. */
  policy?: string[];
  withPolicy?: string[];
  scp?: string[];
  fullAwsAccess?: boolean;
  principal?: string;
}

interface VerifyFlags extends PolicyFlags {
  json?: boolean;
  expect?: string;
  output?: string;
}

export interface PolicyInputs {
  readonly policies: NamedPolicy[];
  readonly scps: NamedPolicy[][];
  readonly principalArn: string;
}

/** Adds the guard options and --policy, --with-policy, --scp, --principal to a command. */
export function addPolicyOptions(command: Command): Command {
  return addGuardOptions(command)
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
      throw inputError('usage', '--policy replaces the guard: leave out --profile and the other guard options, or drop --policy');
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
  force-mfa verify --profile seed --with-policy AdministratorAccess
  force-mfa verify --policy my-guard.json --with-policy team-policy.yaml --json > verify.json
  force-mfa verify --profile recommended --expect expected.json          # CI gate: exit 1 on any difference
  force-mfa verify --principal arn:aws:iam::123456789012:user/dev/alice  # a user with a path
  force-mfa verify --with-policy AdministratorAccess --scp force-mfa-scp.json
  force-mfa verify --policy admin.json --scp force-mfa-scp.json --principal arn:aws:sts::111122223333:assumed-role/Admin/ops`,
    )
    .action(async (flags: VerifyFlags) => {
      const inputs = await readPolicyInputs(flags);
      const [{ loadCatalogue }, { verifyPolicies }, { formatVerifyReport, formatDifferences }, expectModule] = await Promise.all([
        import('../../engine/catalogue.js'),
        import('../../engine/verify.js'),
        import('../../render/verify-text.js'),
        import('../../engine/expect.js'),
      ]);
      const catalogue = await loadCatalogue();
      const report = verifyPolicies(
        { policies: inputs.policies, scps: inputs.scps, principalArn: inputs.principalArn },
        catalogue,
      );
      let differences: import('../../engine/expect.js').ExpectationDifference[] | undefined;
      if (flags.expect !== undefined) {
        const { parseJsonOrYaml } = await import('../../engine/policy-input.js');
        const parsed = parseJsonOrYaml(readText(flags.expect), flags.expect);
        differences = expectModule.compareWithExpectation(report, expectModule.readExpectation(parsed, flags.expect), catalogue);
        if (differences.length > 0) process.exitCode = 1;
      }
      if (flags.json === true) {
        const { stats: _stats, ...stable } = report;
        const document = {
          formatVersion: 1,
          policies: inputs.policies.map((policy) => policy.name),
          scps: inputs.scps.map((layer) => layer.map((policy) => policy.name)),
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
      const scpText = inputs.scps.length === 0 ? '' : `; SCP layers: ${inputs.scps.map((layer) => layer.map((policy) => policy.name).join(' + ')).join(' > ')}`;
      const text = [
        `Policies: ${inputs.policies.map((policy) => policy.name).join(', ')}${scpText}`,
        formatVerifyReport(report, gatedNames),
        ...(differences === undefined || flags.expect === undefined ? [] : ['', formatDifferences(differences, flags.expect)]),
      ].join('\n');
      emit(text, flags.output);
    });
}
