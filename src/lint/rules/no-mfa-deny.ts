/** FMFA008: a file with policies of which none denies requests without MFA forces nothing. */
import { hasMfaDeny } from '../guard-shape.js';
import type { FileRule, FileRuleHit } from '../rule.js';
import type { PolicyUnderLint } from '../statements.js';

/** A policy that says it is about MFA (in its name, its holder's name or its resource name) claims to be a guard. */
function claimsToBeGuard(policy: PolicyUnderLint): boolean {
  const { policyName, attachedTo, location } = policy.policy;
  return [policyName, attachedTo, location].some((name) => name !== undefined && /mfa/i.test(name));
}

export const noMfaDeny: FileRule = {
  id: 'FMFA008',
  scope: 'file',
  check(_file, policies) {
    // A policy that could not be read completely might hold the deny: FMFA013/FMFA014 already speak for it.
    if (policies.length === 0 || policies.some((policy) => hasMfaDeny(policy) || !policy.evaluable)) return [];
    const claimed = policies.filter(claimsToBeGuard);
    if (claimed.length > 0) {
      return claimed.map((policy): FileRuleHit => ({
        policy,
        message: 'the policy is named as an MFA guard, but no statement in the file denies requests made without MFA',
      }));
    }
    const subject = policies.length === 1 ? "the file's only policy does not" : `none of the ${policies.length} policies of the file`;
    return [{ message: `${subject} ${policies.length === 1 ? 'deny' : 'denies'} requests made without MFA` }];
  },
};
