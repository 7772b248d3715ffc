/** The recommended profile: the seed's idea with what changed since 2022 and the known holes closed. */
import type { PolicyDocument, PolicyStatement } from './document.js';
import type { GuardOptions, SelfServiceCredential } from './options.js';

/** Bootstrap actions that act on a user: without MFA they may only touch the caller's own user. */
const OWN_USER_BOOTSTRAP = ['iam:GetUser', 'iam:ListMFADevices', 'iam:GetMFADevice', 'iam:EnableMFADevice', 'iam:ResyncMFADevice'];
/** Virtual devices are named freely by their users since 2022-11, so creation cannot be tied to the user name. */
const DEVICE_CREATION = ['iam:CreateVirtualMFADevice'];
/** Account-level reads the console's MFA assignment needs; they take no resource. */
const ACCOUNT_LEVEL_BOOTSTRAP = ['iam:ListVirtualMFADevices'];
const PASSWORD_CHANGE = ['iam:ChangePassword'];
const PASSWORD_POLICY = ['iam:GetAccountPasswordPolicy'];
/** Device changes (and the password) that long-term access keys alone must not make. */
const KEY_ONLY_DENIED = [
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:ResyncMFADevice',
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
  'iam:ChangePassword',
  'iam:ListVirtualMFADevices',
  'iam:GetAccountPasswordPolicy',
];

export const SELF_SERVICE_ACTIONS: Readonly<Record<SelfServiceCredential, readonly string[]>> = {
  'access-keys': ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:GetAccessKeyLastUsed', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
  'ssh-keys': ['iam:DeleteSSHPublicKey', 'iam:GetSSHPublicKey', 'iam:ListSSHPublicKeys', 'iam:UpdateSSHPublicKey', 'iam:UploadSSHPublicKey'],
  'git-credentials': [
    'iam:CreateServiceSpecificCredential',
    'iam:DeleteServiceSpecificCredential',
    'iam:ListServiceSpecificCredentials',
    'iam:ResetServiceSpecificCredential',
    'iam:UpdateServiceSpecificCredential',
  ],
  'signing-certificates': [
    'iam:DeleteSigningCertificate',
    'iam:ListSigningCertificates',
    'iam:UpdateSigningCertificate',
    'iam:UploadSigningCertificate',
  ],
};

const SID_PREFIX: Readonly<Record<SelfServiceCredential, string>> = {
  'access-keys': 'AccessKeys',
  'ssh-keys': 'SshPublicKeys',
  'git-credentials': 'GitCredentials',
  'signing-certificates': 'SigningCertificates',
};

/** The caller's own user, with or without a path (user names are unique in an account, paths are not part of it). */
export function ownUserArns(partition: string): string[] {
  return [`arn:${partition}:iam::*:user/\${aws:username}`, `arn:${partition}:iam::*:user/*/\${aws:username}`];
}

/** The actions a member may call without MFA under these options (before the own-resource and access-key limits). */
export function recommendedBootstrapActions(options: GuardOptions): string[] {
  return [
    ...OWN_USER_BOOTSTRAP,
    ...DEVICE_CREATION,
    ...ACCOUNT_LEVEL_BOOTSTRAP,
    ...(options.allowPasswordChangeWithoutMfa ? [...PASSWORD_CHANGE, ...PASSWORD_POLICY] : []),
    ...options.extraExemptActions,
  ];
}

const NO_MFA = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } as const;

export function recommendedPolicy(options: GuardOptions): PolicyDocument {
  const ownUser = ownUserArns(options.partition);
  const ownUserBootstrap = [...OWN_USER_BOOTSTRAP, ...(options.allowPasswordChangeWithoutMfa ? PASSWORD_CHANGE : [])];
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyAllExceptMfaSetupWithoutMfa',
      Effect: 'Deny',
      NotAction: recommendedBootstrapActions(options),
      Resource: '*',
      Condition: NO_MFA,
    },
    {
      Sid: 'DenyMfaSetupOnOtherUsersWithoutMfa',
      Effect: 'Deny',
      Action: ownUserBootstrap,
      NotResource: ownUser,
      Condition: NO_MFA,
    },
  ];
  if (options.denyAccessKeyEnrollment) {
    statements.push({
      Sid: 'DenyMfaDeviceChangesWithAccessKeysOnly',
      Effect: 'Deny',
      Action: KEY_ONLY_DENIED,
      Resource: '*',
      Condition: {
        Null: { 'aws:MultiFactorAuthPresent': 'true' },
        ...(options.accessKeyEnrollmentExemptUsers.length > 0
          ? { StringNotLike: { 'aws:username': [...options.accessKeyEnrollmentExemptUsers] } }
          : {}),
      },
    });
  }
  statements.push(
    { Sid: 'AllowViewOwnUserAndMfaDevices', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListMFADevices', 'iam:GetMFADevice'], Resource: ownUser },
    { Sid: 'AllowListVirtualMfaDevices', Effect: 'Allow', Action: ACCOUNT_LEVEL_BOOTSTRAP, Resource: '*' },
    { Sid: 'AllowCreateVirtualMfaDeviceAnyName', Effect: 'Allow', Action: DEVICE_CREATION, Resource: `arn:${options.partition}:iam::*:mfa/*` },
    { Sid: 'AllowEnableAndResyncOwnMfaDevices', Effect: 'Allow', Action: ['iam:EnableMFADevice', 'iam:ResyncMFADevice'], Resource: ownUser },
    {
      Sid: 'AllowDeactivateOwnMfaDeviceOnlyWithMfa',
      Effect: 'Allow',
      Action: ['iam:DeactivateMFADevice'],
      Resource: ownUser,
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  );
  if (options.allowPasswordChangeWithoutMfa) {
    statements.push(
      { Sid: 'AllowChangeOwnPassword', Effect: 'Allow', Action: PASSWORD_CHANGE, Resource: ownUser },
      { Sid: 'AllowReadPasswordPolicy', Effect: 'Allow', Action: PASSWORD_POLICY, Resource: '*' },
    );
  }
  for (const credential of options.selfService) {
    statements.push({
      Sid: `AllowManageOwn${SID_PREFIX[credential]}WithMfa`,
      Effect: 'Allow',
      Action: [...SELF_SERVICE_ACTIONS[credential]],
      Resource: ownUser,
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
