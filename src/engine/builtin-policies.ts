/** AWS managed policies that people attach beside the guard, by name, as AWS published them (snapshots). */
import type { NamedPolicy } from './compile.js';

interface BuiltinPolicy {
  readonly description: string;
  readonly document: unknown;
}

export const BUILTIN_POLICIES: Readonly<Record<string, BuiltinPolicy>> = {
  AdministratorAccess: {
    description: 'everything on every resource',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  FullAWSAccess: {
    description: 'the SCP AWS Organizations attaches by default to every root, OU and account',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  IAMUserChangePassword: {
    description: 'change one\'s own password and read the password policy',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:ChangePassword'], Resource: ['arn:aws:iam::*:user/${aws:username}'] },
        { Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
      ],
    },
  },
  IAMReadOnlyAccess: {
    description: 'read all of IAM',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'iam:GenerateCredentialReport',
            'iam:GenerateServiceLastAccessedDetails',
            'iam:Get*',
            'iam:List*',
            'iam:SimulateCustomPolicy',
            'iam:SimulatePrincipalPolicy',
          ],
          Resource: '*',
        },
      ],
    },
  },
};

export const BUILTIN_POLICY_NAMES: readonly string[] = Object.keys(BUILTIN_POLICIES);

/** A built-in policy by name (case-insensitive), or undefined. */
export function builtinPolicy(name: string): NamedPolicy | undefined {
  const key = BUILTIN_POLICY_NAMES.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : { name: key, document: (BUILTIN_POLICIES[key] as BuiltinPolicy).document };
}
