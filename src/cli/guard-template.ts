/** The guard's CloudFormation template from CLI flags, with automatic enrollment when asked: one path for template, deploy and deploy --org. */
import type { CloudFormationTemplate } from '../render/cloudformation.js';
import type { GuardDefinition } from '../policy/guard.js';
import type { Command } from 'commander';
import { guardOptionsFromFlags, type GuardFlags } from './guard-options.js';
import { commaList } from './lists.js';
import { eachOnlyWhen, given, type FlagRule } from './flag-rules.js';

export interface AutoEnrollFlags {
  autoEnroll?: boolean;
  autoEnrollExempt?: string[];
  autoEnrollExemptPath?: string[];
}

export function addAutoEnrollOptions(command: Command): Command {
  return command
    .option('--auto-enroll', 'add automatic enrollment of new IAM users: EventBridge rule on CreateUser, daily sweep, Lambda, DLQ, alarm (deploy in us-east-1)')
    .option('--auto-enroll-exempt <users>', 'with --auto-enroll: users automatic enrollment never adds (comma-separated)', commaList)
    .option('--auto-enroll-exempt-path <prefixes>', 'with --auto-enroll: IAM path prefixes automatic enrollment skips, e.g. /service/', commaList);
}

/** The automatic-enrollment options act only with --auto-enroll (template and deploy declare these rules). */
export const AUTO_ENROLL_FLAG_RULES: readonly FlagRule[] = eachOnlyWhen(
  ['autoEnrollExempt', 'autoEnrollExemptPath'],
  given('autoEnroll'),
  'it configures automatic enrollment; add --auto-enroll, or leave it out',
);

export interface GuardTemplate {
  readonly guard: GuardDefinition;
  readonly template: CloudFormationTemplate;
}

export async function guardTemplateFromFlags(flags: GuardFlags & AutoEnrollFlags): Promise<GuardTemplate> {
  const [{ buildGuard }, { cloudFormationTemplate }] = await Promise.all([
    import('../policy/guard.js'),
    import('../render/cloudformation.js'),
  ]);
  const guard = buildGuard(guardOptionsFromFlags(flags));
  const guardTemplate = cloudFormationTemplate(guard);
  if (flags.autoEnroll !== true) return { guard, template: guardTemplate };
  const { withAutoEnroll } = await import('../rollout/auto-enroll-template.js');
  const template = withAutoEnroll(guardTemplate, {
    exemptUsers: flags.autoEnrollExempt ?? [],
    exemptPathPrefixes: flags.autoEnrollExemptPath ?? [],
  });
  return { guard, template };
}
