// A guard group as IAM would return it, over aws-sdk-client-mock: inline documents URL-encoded, as GetGroupPolicy gives them.
import {
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
} from '@aws-sdk/client-iam';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { sdkGroupReader } from '../../src/rollout/aws/iam.js';
import type { GroupReader } from '../../src/rollout/deploy/read-back.js';

export const GROUP_ARN = 'arn:aws:iam::111122223333:group/ForceMfaAccess';

const noSuchEntity = () => Object.assign(new Error('The group with name ForceMfaAccess cannot be found.'), { name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });

/** Makes the mock hold `groupName` with these inline policies (name → document) and attached managed policies (ARN → document). */
export function holdGroup(
  iam: AwsClientStub<IAMClient>,
  inline: Readonly<Record<string, unknown>>,
  attached: Readonly<Record<string, unknown>> = {},
  groupName = 'ForceMfaAccess',
): void {
  iam.on(GetGroupCommand, { GroupName: groupName }).resolves({
    Group: { GroupName: groupName, Arn: GROUP_ARN, Path: '/', GroupId: 'AGPAEXAMPLE', CreateDate: new Date('2026-01-01') },
    Users: [],
  });
  iam.on(ListGroupPoliciesCommand, { GroupName: groupName }).resolves({ PolicyNames: Object.keys(inline), IsTruncated: false });
  for (const [policyName, document] of Object.entries(inline)) {
    iam
      .on(GetGroupPolicyCommand, { GroupName: groupName, PolicyName: policyName })
      .resolves({ GroupName: groupName, PolicyName: policyName, PolicyDocument: encodeURIComponent(typeof document === 'string' ? document : JSON.stringify(document)) });
  }
  iam.on(ListAttachedGroupPoliciesCommand, { GroupName: groupName }).resolves({
    AttachedPolicies: Object.keys(attached).map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
    IsTruncated: false,
  });
  for (const [arn, document] of Object.entries(attached)) {
    iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { Arn: arn, DefaultVersionId: 'v1' } });
    iam.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: 'v1' }).resolves({ PolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify(document)) } });
  }
}

/** Makes GetGroup answer NoSuchEntity, as IAM does for a group that does not exist. */
export function noGroup(iam: AwsClientStub<IAMClient>): void {
  iam.on(GetGroupCommand).rejects(noSuchEntity());
}

export async function groupReader(): Promise<GroupReader> {
  return sdkGroupReader(new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }));
}
