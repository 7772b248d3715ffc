/** FMFA005: long-term access keys alone must not enroll an MFA device (the gap left after AWS-2023-001). */
import { mainMfaDeny } from '../guard-shape.js';
import type { EvaluationRule } from '../rule.js';

const ENROLLMENT = [
  { action: 'iam:CreateVirtualMFADevice', resource: 'callerNamedDevice' },
  { action: 'iam:EnableMFADevice', resource: 'caller' },
] as const;

export const enrollmentWithAccessKeys: EvaluationRule = {
  id: 'FMFA005',
  scope: 'evaluation',
  check(probe, policy) {
    const possible = ENROLLMENT.filter(({ action, resource }) => probe.besideAllowEverything({ action, resource: probe.arns[resource], context: 'access-keys' }) === 'Allowed');
    if (possible.length === 0) return [];
    const deny = mainMfaDeny(policy);
    return [
      {
        ...(deny === undefined ? {} : { statementIndex: deny.index }),
        message: `with long-term access keys alone (no aws:MultiFactorAuthPresent key) ${possible.map(({ action }) => action).join(' and ')} ${possible.length === 1 ? 'is' : 'are'} not denied: a leaked key of a user without MFA can enroll an attacker's device`,
      },
    ];
  },
};
