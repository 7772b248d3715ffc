/** The seed profile: the blog post's group policy of August 2022, statement for statement. Never edit it. */
import type { PolicyDocument } from './document.js';

export const SEED_GROUP_NAME = 'ForceMfaAccess';
export const SEED_POLICY_NAME = 'ForceMfaAccess';

export const SEED_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyAllExcept0010',
      Effect: 'Deny',
      NotAction: [
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:GetUser',
        'iam:ListMFADevices',
        'iam:ListVirtualMFADevices',
        'iam:ResyncMFADevice',
        'iam:ChangePassword',
        'iam:GetAccountPasswordPolicy',
        'sts:GetSessionToken',
      ],
      Resource: ['*'],
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': false } },
    },
    {
      Sid: 'ManageUser0010',
      Effect: 'Allow',
      Action: [
        'iam:DeactivateMFADevice',
        'iam:EnableMFADevice',
        'iam:ListMFADevices',
        'iam:ResyncMFADevice',
        'iam:ChangePassword',
        'iam:GetUser',
      ],
      Resource: ['arn:aws:iam::*:user/${aws:username}'],
    },
    {
      Sid: 'ManageUser0020',
      Effect: 'Allow',
      Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
      Resource: ['*'],
    },
    {
      Sid: 'ManageMfaDevice0010',
      Effect: 'Allow',
      Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
      Resource: ['arn:aws:iam::*:mfa/${aws:username}'],
    },
  ],
};
