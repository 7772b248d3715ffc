/** FMFA012: a policy over IAM's size limit for its kind cannot be deployed; a holder's inline policies count together. */
import { policySize } from '../../policy/guard.js';
import type { PolicyDocument } from '../../policy/document.js';
import { isRecord } from '../sources/intrinsics.js';
import type { FileRule, FileRuleHit } from '../rule.js';
import type { PolicyUnderLint } from '../statements.js';

function sizeOf(policy: PolicyUnderLint): number | undefined {
  return isRecord(policy.policy.document) ? policySize(policy.policy.document as unknown as PolicyDocument) : undefined;
}

export const policyTooLarge: FileRule = {
  id: 'FMFA012',
  scope: 'file',
  check(_file, policies) {
    const hits: FileRuleHit[] = [];
    const inlineByHolder = new Map<string, PolicyUnderLint[]>();
    for (const policy of policies) {
      const { sizeLimit, attachedTo } = policy.policy;
      const size = sizeOf(policy);
      if (sizeLimit === undefined || size === undefined) continue;
      if (size > sizeLimit.limit) {
        hits.push({ policy, message: `the policy is ${size} characters (white space not counted), over IAM's limit of ${sizeLimit.limit} for ${sizeLimit.kind}` });
      } else if (attachedTo !== undefined && !attachedTo.includes(',') && sizeLimit.kind.includes('inline')) {
        inlineByHolder.set(attachedTo, [...(inlineByHolder.get(attachedTo) ?? []), policy]);
      }
    }
    // IAM's inline limit is for all inline policies of one group, user or role together.
    for (const [holder, group] of inlineByHolder) {
      const limit = group[0]?.policy.sizeLimit;
      const total = group.reduce((sum, policy) => sum + (sizeOf(policy) ?? 0), 0);
      if (group.length < 2 || limit === undefined || total <= limit.limit) continue;
      hits.push({
        policy: group[0] as PolicyUnderLint,
        message: `the ${group.length} inline policies of ${holder} (${group.map((policy) => policy.policy.location).join(', ')}) are ${total} characters together, over IAM's limit of ${limit.limit} for ${limit.kind}`,
      });
    }
    return hits;
  },
};
