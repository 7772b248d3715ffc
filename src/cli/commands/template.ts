/** `force-mfa template`: print the guard as CloudFormation, Terraform or a plain IAM policy. */
import { Option, type Command } from 'commander';
import { buildGuard } from '../../policy/guard.js';
import { renderGuard, GUARD_FORMATS, type GuardFormat } from '../../render/guard.js';
import { addGuardOptions, guardOptionsFromFlags, type GuardFlags } from '../guard-options.js';
import { SCP_NOTICE } from '../../policy/scp.js';
import { emit, writeStderr } from '../output.js';
import { inputError } from '../../errors.js';
import type { GuardDefinition } from '../../policy/guard.js';

interface TemplateFlags extends GuardFlags {
  format: GuardFormat;
  autoEnroll?: boolean;
  output?: string;
}

export function registerTemplate(program: Command): void {
  const command = program
    .command('template')
    .description('print the ForceMfaAccess guard (an IAM group with an inline policy) as code')
    .addOption(
      new Option('-f, --format <format>', 'cloudformation (YAML), cloudformation-json, terraform (.tf.json), policy (IAM JSON) or scp (service control policy for an Organization)')
        .choices([...GUARD_FORMATS])
        .default('cloudformation'),
    )
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--auto-enroll', 'add automatic enrollment of new IAM users: EventBridge rule on CreateUser, daily sweep, DLQ, alarm (cloudformation formats; deploy in us-east-1)');
  addGuardOptions(command)
    .addHelpText(
      'after',
      `
Profiles:
  recommended (default)  any device name, up to 8 devices and FIDO keys, no device removal without MFA,
                         bootstrap actions on the caller's own user only, no enrollment with access keys alone
  seed                   the August 2022 blog policy, exactly (for comparison and regression)

Examples:
  force-mfa template > force-mfa.yaml
  aws cloudformation deploy --template-file force-mfa.yaml --stack-name force-mfa --capabilities CAPABILITY_NAMED_IAM
  force-mfa template --profile seed
  force-mfa template --format terraform --output force-mfa.tf.json
  force-mfa template --format policy --self-service access-keys,ssh-keys
  force-mfa template --key-enrollment-exempt-user 'ci-*'     # programmatic users who enroll with their keys
  force-mfa template --format scp > force-mfa-scp.json      # every IAM user of the member accounts, in the group or not`,
    )
    .action(async (flags: TemplateFlags) => {
      const guard = buildGuard(guardOptionsFromFlags(flags));
      if (flags.autoEnroll === true) {
        emit(await renderWithAutoEnroll(guard, flags.format), flags.output);
        return;
      }
      emit(renderGuard(guard, flags.format), flags.output);
      if (flags.format === 'scp') writeStderr(`note: ${SCP_NOTICE}`);
    });
}

async function renderWithAutoEnroll(guard: GuardDefinition, format: GuardFormat): Promise<string> {
  if (format !== 'cloudformation' && format !== 'cloudformation-json') {
    throw inputError('auto-enroll-format', 'automatic enrollment exists in the cloudformation formats and the CDK construct only: use --format cloudformation');
  }
  const [{ withAutoEnroll }, { cloudFormationTemplate, stringifyTemplateYaml }] = await Promise.all([
    import('../../rollout/auto-enroll-template.js'),
    import('../../render/cloudformation.js'),
  ]);
  const template = withAutoEnroll(cloudFormationTemplate(guard));
  return format === 'cloudformation' ? stringifyTemplateYaml(template) : `${JSON.stringify(template, null, 2)}\n`;
}
