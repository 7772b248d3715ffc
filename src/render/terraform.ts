/** The guard as Terraform JSON (`.tf.json`): aws_iam_group + aws_iam_group_policy. */
import type { GuardDefinition } from '../policy/guard.js';

/**
 * Terraform reads `${...}` and `%{...}` in every string as template syntax; `$${` and `%%{` are its escapes.
 * Without them `${aws:username}` would be an invalid reference instead of reaching IAM literally.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

export function terraformConfig(guard: GuardDefinition): Record<string, unknown> {
  return {
    '//': `force-mfa guard (${guard.profile} profile). Add users with aws_iam_user_group_membership or aws_iam_group_membership.`,
    variable: {
      force_mfa_group_name: {
        type: 'string',
        default: guard.groupName,
        description: 'Name of the IAM group whose members must use MFA.',
      },
    },
    resource: {
      aws_iam_group: {
        force_mfa: { name: '${var.force_mfa_group_name}' },
      },
      aws_iam_group_policy: {
        force_mfa: {
          name: guard.policyName,
          group: '${aws_iam_group.force_mfa.name}',
          policy: escapeTerraformTemplate(JSON.stringify(guard.document)),
        },
      },
    },
    output: {
      force_mfa_group_name: { value: '${aws_iam_group.force_mfa.name}' },
      force_mfa_group_arn: { value: '${aws_iam_group.force_mfa.arn}' },
    },
  };
}

export function renderTerraform(guard: GuardDefinition): string {
  return `${JSON.stringify(terraformConfig(guard), null, 2)}\n`;
}
