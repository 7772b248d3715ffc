/** FMFA016: a file with no IAM policy in it forces nothing; a gate must not pass it as "no findings". */
import type { FileRule } from '../rule.js';

const WHAT_WAS_READ: Readonly<Record<string, string>> = {
  cloudformation: 'the CloudFormation template has no IAM group, user, role or policy with a policy document',
  terraform: 'the Terraform configuration has no aws_iam_*_policy resource and no aws_iam_policy_document data source',
  policy: 'the file holds no policy document',
};

export const noPolicyFound: FileRule = {
  id: 'FMFA016',
  scope: 'file',
  check(file, policies) {
    if (policies.length > 0) return [];
    return [{ message: `${WHAT_WAS_READ[file.format] ?? 'the file holds no IAM policy'}: nothing in it forces MFA` }];
  },
};
