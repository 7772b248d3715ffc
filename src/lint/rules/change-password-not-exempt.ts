/** FMFA010: denying iam:ChangePassword without MFA deadlocks users who must reset their password at first sign-in. */
import { mainMfaDeny } from '../guard-shape.js';
import type { EvaluationRule } from '../rule.js';

export const changePasswordNotExempt: EvaluationRule = {
  id: 'FMFA010',
  scope: 'evaluation',
  check(probe, policy) {
    const decision = probe.besideAllowEverything({ action: 'iam:ChangePassword', resource: probe.arns.caller, context: 'console-no-mfa' });
    if (decision !== 'ExplicitlyDenied') return [];
    const deny = mainMfaDeny(policy);
    return [
      {
        ...(deny === undefined ? {} : { statementIndex: deny.index }),
        message: 'iam:ChangePassword on the own user is denied in a console session without MFA: a user who must change the password at first sign-in cannot, and cannot reach the MFA setup',
      },
    ];
  },
};
