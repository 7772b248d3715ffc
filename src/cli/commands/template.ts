/** `force-mfa template`: print the guard as CloudFormation, Terraform or a plain IAM policy. */
import { Option, type Command } from 'commander';
import { buildGuard } from '../../policy/guard.js';
import { renderGuard, GUARD_FORMATS, type GuardFormat } from '../../render/guard.js';
import { addGuardOptions, guardOptionsFromFlags, type GuardFlags } from '../guard-options.js';
import { addAutoEnrollOptions, AUTO_ENROLL_FLAG_RULES, type AutoEnrollFlags } from '../guard-template.js';
import { declareFlagRules, eachOnlyWhen, onlyWhen, valueIn, type FlagRule } from '../flag-rules.js';
import { SCP_NOTICE } from '../../policy/scp.js';
import { emit, writeStderr } from '../output.js';

interface TemplateFlags extends GuardFlags, AutoEnrollFlags {
  format: GuardFormat;
  output?: string;
}

/** Flags that act only with some formats (see flag-rules.ts). */
const TEMPLATE_FLAG_RULES: readonly FlagRule[] = [
  ...AUTO_ENROLL_FLAG_RULES,
  onlyWhen('autoEnroll', valueIn('format', ['cloudformation', 'cloudformation-json']), 'automatic enrollment exists in the cloudformation formats and the CDK construct only; use --format cloudformation'),
  ...eachOnlyWhen(['groupName', 'policyName'], valueIn('format', ['cloudformation', 'cloudformation-json', 'terraform']), 'the policy and scp formats are bare documents without group or policy names; leave it out, or use --format cloudformation or terraform'),
  onlyWhen('selfService', valueIn('format', ['cloudformation', 'cloudformation-json', 'terraform', 'policy']), 'an SCP only denies, and self-service adds allow statements; leave it out, or use another --format'),
];

export function registerTemplate(program: Command): void {
  const command = program
    .command('template')
    .description('print the ForceMfaAccess guard (an IAM group with an inline policy) as code')
    .addOption(
      new Option('-f, --format <format>', 'cloudformation (YAML), cloudformation-json, terraform (.tf.json), policy (IAM JSON) or scp (service control policy for an Organization)')
        .choices([...GUARD_FORMATS])
        .default('cloudformation'),
    )
    .option('-o, --output <file>', 'write to this file instead of stdout');
  addAutoEnrollOptions(command);
  declareFlagRules(command, TEMPLATE_FLAG_RULES);
  addGuardOptions(command)
    .addHelpText(
      'after',
      `
Guards (--guard):
  recommended (default)  any device name, up to 8 devices and FIDO keys, no device removal without MFA,
                         bootstrap actions on the caller's own user only, no enrollment with access keys alone
  seed                   the August 2022 blog policy, exactly (for comparison and regression)

Examples:
  force-mfa template > force-mfa.yaml
  aws cloudformation deploy --template-file force-mfa.yaml --stack-name force-mfa --capabilities CAPABILITY_NAMED_IAM
  force-mfa template --guard seed
  force-mfa template --format terraform --output force-mfa.tf.json
  force-mfa template --format policy --self-service access-keys,ssh-keys
  force-mfa template --key-enrollment-exempt-user 'ci-*'     # programmatic users who enroll with their keys
  force-mfa template --format scp > force-mfa-scp.json      # every IAM user of the member accounts, in the group or not`,
    )
    .action(async (flags: TemplateFlags) => {
      if (flags.autoEnroll === true) {
        emit(await renderWithAutoEnroll(flags), flags.output);
        return;
      }
      emit(renderGuard(buildGuard(guardOptionsFromFlags(flags)), flags.format), flags.output);
      if (flags.format === 'scp') writeStderr(`note: ${SCP_NOTICE}`);
    });
}

async function renderWithAutoEnroll(flags: TemplateFlags): Promise<string> {
  const [{ guardTemplateFromFlags }, { stringifyTemplateYaml }] = await Promise.all([
    import('../guard-template.js'),
    import('../../render/cloudformation.js'),
  ]);
  const { template } = await guardTemplateFromFlags(flags);
  return flags.format === 'cloudformation' ? stringifyTemplateYaml(template) : `${JSON.stringify(template, null, 2)}\n`;
}
