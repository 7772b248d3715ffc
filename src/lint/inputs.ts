/** Reads lint input text (policy JSON/YAML, CloudFormation JSON/YAML, Terraform .tf.json) into policy documents. */
import { inputError } from '../errors.js';
import { assertNestingDepth, parseJsonOrYaml } from '../engine/policy-input.js';
import { CLOUDFORMATION_TAGS } from './sources/cloudformation-yaml.js';
import { cloudFormationPolicies, isCloudFormationTemplate } from './sources/cloudformation.js';
import { isPolicyFile, policyFilePolicies } from './sources/policy-file.js';
import { isTerraformConfiguration, terraformPolicies } from './sources/terraform.js';
import { POLICY_SIZE_LIMITS } from './sources/limits.js';
import type { InputFile } from './types.js';

/**
 * Extract every IAM policy document from the text of `file` (its name is used for messages and to choose the parser).
 * Throws an input error when the text does not parse or holds neither a policy, a template nor a Terraform
 * configuration.
 */
export function readLintInput(file: string, text: string): InputFile {
  const content = parseJsonOrYaml(text, file, { customTags: CLOUDFORMATION_TAGS });
  assertNestingDepth(content, file);
  if (isCloudFormationTemplate(content)) return { file, format: 'cloudformation', policies: cloudFormationPolicies(file, content) };
  if (isTerraformConfiguration(content)) return { file, format: 'terraform', policies: terraformPolicies(file, content) };
  if (isPolicyFile(content)) return { file, format: 'policy', policies: policyFilePolicies(file, content) };
  throw inputError(
    'lint-input-unknown',
    `${file} is neither an IAM policy document, a CloudFormation template nor a Terraform JSON configuration: give one of these`,
  );
}

/** A group's inline policy given as data (force-mfa's own guard), read as if from a file named `label`. */
export function groupPolicyInput(label: string, group: { groupName: string; policyName: string; document: unknown }): InputFile {
  return {
    file: label,
    format: 'policy',
    policies: [
      {
        file: label,
        location: 'PolicyDocument',
        policyName: group.policyName,
        attachedTo: `group ${group.groupName}`,
        document: group.document,
        unresolved: [],
        sizeLimit: POLICY_SIZE_LIMITS.group,
      },
    ],
  };
}
