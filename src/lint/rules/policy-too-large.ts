/** FMFA012: a policy over IAM's size limit for its kind cannot be deployed. */
import { policySize } from '../../policy/guard.js';
import type { PolicyDocument } from '../../policy/document.js';
import { isRecord } from '../sources/intrinsics.js';
import type { PolicyRule } from '../rule.js';

export const policyTooLarge: PolicyRule = {
  id: 'FMFA012',
  scope: 'policy',
  check(policy) {
    const { sizeLimit, document } = policy.policy;
    if (sizeLimit === undefined || !isRecord(document)) return [];
    const size = policySize(document as unknown as PolicyDocument);
    if (size <= sizeLimit.limit) return [];
    return [{ message: `the policy is ${size} characters (white space not counted), over IAM's limit of ${sizeLimit.limit} for ${sizeLimit.kind}` }];
  },
};
