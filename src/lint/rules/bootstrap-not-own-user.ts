/** FMFA004: without MFA the bootstrap actions must reach only the caller's own user, whatever else is attached. */
import { mainMfaDeny } from '../guard-shape.js';
import { CONTEXT_LABEL, NO_MFA_CONTEXTS, type NoMfaContext } from '../probes.js';
import type { EvaluationRule } from '../rule.js';

/**
 * Actions on a user that a guard may exempt from its deny. DeactivateMFADevice is FMFA003's; ChangePassword always
 * acts on the caller, whatever the resource says.
 */
export const USER_SCOPED_ACTIONS: readonly string[] = [
  'iam:EnableMFADevice',
  'iam:ResyncMFADevice',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:GetMFADevice',
  'iam:CreateAccessKey',
  'iam:UpdateAccessKey',
  'iam:DeleteAccessKey',
  'iam:ListAccessKeys',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:DeleteLoginProfile',
  'iam:GetLoginProfile',
  'iam:UploadSSHPublicKey',
  'iam:UpdateSSHPublicKey',
  'iam:DeleteSSHPublicKey',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UploadSigningCertificate',
];

export const bootstrapNotOwnUser: EvaluationRule = {
  id: 'FMFA004',
  scope: 'evaluation',
  check(probe, policy) {
    const reachable = new Set<string>();
    const contexts = new Set<NoMfaContext>();
    for (const context of NO_MFA_CONTEXTS) {
      for (const action of USER_SCOPED_ACTIONS) {
        if (probe.besideAllowEverything({ action, resource: probe.arns.otherUser, context }) !== 'Allowed') continue;
        reachable.add(action);
        contexts.add(context);
      }
    }
    if (reachable.size === 0) return [];
    const deny = mainMfaDeny(policy);
    return [
      {
        ...(deny === undefined ? {} : { statementIndex: deny.index }),
        message:
          `without MFA (${[...contexts].map((context) => CONTEXT_LABEL[context]).join(', ')}) ${[...reachable].join(', ')} ` +
          `${reachable.size === 1 ? 'is' : 'are'} not denied on OTHER users: a member with another broad allow (e.g. AdministratorAccess) can act on their MFA and credentials`,
      },
    ];
  },
};
