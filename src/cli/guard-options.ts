/** The guard's options as CLI flags, shared by every command that builds a guard (template, deploy, verify). */
import { Option, type Command } from 'commander';
import type { GuardOptions } from '../policy/options.js';
import { commaList } from './lists.js';

export interface GuardFlags {
  guard?: string;
  groupName?: string;
  policyName?: string;
  partition?: string;
  passwordChangeWithoutMfa?: boolean;
  selfService?: string[];
  exemptAction?: string[];
  allowKeyEnrollment?: boolean;
  keyEnrollmentExemptUser?: string[];
}

export function addGuardOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--guard <guard>', 'seed: the 2022 blog policy exactly; recommended (default): fixed and hardened').choices([
        'seed',
        'recommended',
      ]),
    )
    .option('--group-name <name>', 'IAM group that carries the guard (default: ForceMfaAccess)')
    .option('--policy-name <name>', "name of the group's inline policy (default: ForceMfaAccess)")
    .addOption(new Option('--partition <partition>', 'ARN partition of the account (default: aws)').choices(['aws', 'aws-cn', 'aws-us-gov']))
    .option(
      '--no-password-change-without-mfa',
      'do not let members change their password before enrolling MFA (breaks "reset password at first sign-in")',
    )
    .option(
      '--self-service <kinds>',
      'let members manage these credentials of their own user once signed in with MFA: access-keys, ssh-keys, git-credentials, signing-certificates (comma-separated)',
      commaList,
    )
    .option('--exempt-action <actions>', 'more actions usable without MFA, comma-separated (another policy must still allow them)', commaList)
    .option('--allow-key-enrollment', 'let long-term access keys alone enroll, resync or remove MFA devices (weaker: see docs)')
    .option(
      '--key-enrollment-exempt-user <users>',
      'users (wildcards * ?) who may still enroll with access keys alone, e.g. programmatic-only users (comma-separated)',
      commaList,
    );
}

/** Only flags the user gave become options: the seed profile refuses options, and defaults live in one place. */
export function guardOptionsFromFlags(flags: GuardFlags): Partial<GuardOptions> {
  const options: { -readonly [K in keyof GuardOptions]?: GuardOptions[K] } = {};
  if (flags.guard !== undefined) options.profile = flags.guard as GuardOptions['profile'];
  if (flags.groupName !== undefined) options.groupName = flags.groupName;
  if (flags.policyName !== undefined) options.policyName = flags.policyName;
  if (flags.partition !== undefined) options.partition = flags.partition as GuardOptions['partition'];
  if (flags.passwordChangeWithoutMfa === false) options.allowPasswordChangeWithoutMfa = false;
  if (flags.selfService !== undefined) options.selfService = flags.selfService as GuardOptions['selfService'];
  if (flags.exemptAction !== undefined) options.extraExemptActions = flags.exemptAction;
  if (flags.allowKeyEnrollment === true) options.denyAccessKeyEnrollment = false;
  if (flags.keyEnrollmentExemptUser !== undefined) options.accessKeyEnrollmentExemptUsers = flags.keyEnrollmentExemptUser;
  return options;
}
