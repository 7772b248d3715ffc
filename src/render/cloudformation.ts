/** The guard as a CloudFormation template: one AWS::IAM::Group with the policy inline, as in the seed. */
import { stringify } from 'yaml';
import type { GuardDefinition } from '../policy/guard.js';

/** The logical id the seed uses for the group. */
export const GROUP_LOGICAL_ID = 'ForceMfaAccess';

export interface CloudFormationTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Metadata: Record<string, unknown>;
  readonly Parameters: Record<string, Record<string, unknown>>;
  readonly Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  readonly Outputs: Record<string, Record<string, unknown>>;
}

/**
 * Plain strings only (no Fn::Sub), so `${aws:username}` reaches IAM literally. The group name is a parameter whose
 * default is the chosen name; the policy follows from the options, which are recorded in Metadata.
 */
export function cloudFormationTemplate(guard: GuardDefinition): CloudFormationTemplate {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      `force-mfa guard (${guard.profile} profile): members of this IAM group can do nothing but change their ` +
      'password and set up MFA until they sign in with MFA.',
    Metadata: {
      // The seed takes no options, so recording the defaults would only suggest it does.
      'force-mfa': guard.profile === 'seed' ? { profile: 'seed' } : { profile: guard.profile, options: guard.options },
    },
    Parameters: {
      GroupName: {
        Type: 'String',
        Default: guard.groupName,
        AllowedPattern: '[\\w+=,.@-]{1,128}',
        Description: 'Name of the IAM group whose members must use MFA.',
      },
    },
    Resources: {
      [GROUP_LOGICAL_ID]: {
        Type: 'AWS::IAM::Group',
        Properties: {
          GroupName: { Ref: 'GroupName' },
          Policies: [{ PolicyName: guard.policyName, PolicyDocument: guard.document }],
        },
      },
    },
    Outputs: {
      GroupName: { Description: 'The guard group: add users to it to force MFA on them.', Value: { Ref: GROUP_LOGICAL_ID } },
      GroupArn: { Value: { 'Fn::GetAtt': [GROUP_LOGICAL_ID, 'Arn'] } },
    },
  };
}

export function renderCloudFormationYaml(guard: GuardDefinition): string {
  return stringifyTemplateYaml(cloudFormationTemplate(guard));
}

/** Any CloudFormation template object as YAML, the way the guard's template is written. */
export function stringifyTemplateYaml(template: object): string {
  // Long-form intrinsics (Ref:, Fn::GetAtt:) keep the YAML readable by any YAML parser, not only CloudFormation's;
  // YAML 1.1 rules quote "2012-10-17" so that 1.1 parsers (cfn-lint, PyYAML) do not read the versions as dates.
  return stringify(template, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}

export function renderCloudFormationJson(guard: GuardDefinition): string {
  return `${JSON.stringify(cloudFormationTemplate(guard), null, 2)}\n`;
}
