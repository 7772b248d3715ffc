/** Reads lint input text (policy JSON/YAML, CloudFormation JSON/YAML, Terraform .tf.json) into policy documents. */
import { parseDocument } from 'yaml';
import { inputError } from '../errors.js';
import { assertNestingDepth } from '../engine/policy-input.js';
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
  const content = parseContent(file, text);
  assertNestingDepth(content, file);
  if (isCloudFormationTemplate(content)) return { file, format: 'cloudformation', policies: cloudFormationPolicies(file, content) };
  if (isTerraformConfiguration(content)) return { file, format: 'terraform', policies: terraformPolicies(file, content) };
  if (isPolicyFile(content)) return { file, format: 'policy', policies: policyFilePolicies(file, content) };
  throw inputError(
    'lint-input-unknown',
    `${file} is neither an IAM policy document, a CloudFormation template nor a Terraform JSON configuration: give one of these`,
  );
}

function parseContent(file: string, text: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      // Windows editors save JSON with a byte order mark; JSON.parse refuses it.
      return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    } catch (error) {
      throw inputError('lint-input-json', `${file} is not valid JSON (${(error as Error).message}): correct the file`);
    }
  }
  const document = parseDocument(text, { customTags: [...CLOUDFORMATION_TAGS], prettyErrors: true, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem !== undefined) {
    // With prettyErrors the first line of the message ends with "at line L, column C:".
    const summary = (problem.message.split('\n')[0] ?? '').replace(/:\s*$/, '');
    throw inputError('lint-input-yaml', `${file} is not valid YAML or JSON (${summary}): correct the file`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    // Aliases that expand beyond the limit (a "billion laughs" file) are refused by the parser, not a bug.
    throw inputError('lint-input-yaml', `${file} is not usable YAML (${(error as Error).message}): correct the file`, error);
  }
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
