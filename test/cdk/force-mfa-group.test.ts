import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { User, type CfnGroup } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { ForceMfaGroup, type ForceMfaGroupProps } from '../../src/cdk/index.js';
import { isForceMfaError } from '../../src/errors.js';
import { buildGuard } from '../../src/policy/guard.js';
import { cloudFormationTemplate, GROUP_LOGICAL_ID } from '../../src/render/cloudformation.js';

const seedFile = JSON.parse(readFileSync(new URL('../fixtures/seed-policy.json', import.meta.url), 'utf8')) as {
  GroupName: string;
  PolicyName: string;
  PolicyDocument: unknown;
};

interface SynthesizedGroup {
  readonly logicalId: string;
  readonly properties: { GroupName?: unknown; Policies?: unknown };
}

function synthesize(props?: ForceMfaGroupProps, addMember = false): { template: Template; group: SynthesizedGroup } {
  const app = new App();
  const stack = new Stack(app, 'Guarded');
  const guard = new ForceMfaGroup(stack, 'ForceMfa', props);
  if (addMember) guard.addUser(new User(stack, 'Alice', { userName: 'alice' }));
  const template = Template.fromStack(stack);
  const groups = Object.entries(template.findResources('AWS::IAM::Group'));
  expect(groups).toHaveLength(1);
  const [logicalId, resource] = groups[0] as [string, { Properties: SynthesizedGroup['properties'] }];
  return { template, group: { logicalId, properties: resource.Properties } };
}

/** What `force-mfa template --format cloudformation` puts in the group's Policies for the same options. */
function renderedPolicies(props: ForceMfaGroupProps): unknown {
  return cloudFormationTemplate(buildGuard(props)).Resources[GROUP_LOGICAL_ID]?.Properties['Policies'];
}

const OPTION_SETS: readonly { readonly name: string; readonly props: ForceMfaGroupProps }[] = [
  { name: 'seed profile', props: { profile: 'seed' } },
  { name: 'recommended defaults', props: {} },
  {
    name: 'recommended with every self-service credential, exemptions and extra actions',
    props: {
      selfService: ['access-keys', 'ssh-keys', 'git-credentials', 'signing-certificates'],
      extraExemptActions: ['iam:ListAccountAliases'],
      accessKeyEnrollmentExemptUsers: ['ci-*', 'deploy-bot'],
    },
  },
  { name: 'partition aws-cn', props: { partition: 'aws-cn' } },
  { name: 'GovCloud, no password change, no access-key guarantee', props: { partition: 'aws-us-gov', allowPasswordChangeWithoutMfa: false, denyAccessKeyEnrollment: false } },
  { name: 'custom group and policy names', props: { groupName: 'MfaRequired', policyName: 'RequireMfa' } },
];

describe('ForceMfaGroup', () => {
  it.each(OPTION_SETS)('synthesizes the same group policy as the CloudFormation renderer: $name', ({ props }) => {
    const { group } = synthesize(props);
    const guard = buildGuard(props);
    expect(group.properties.GroupName).toBe(guard.groupName);
    expect(group.properties.Policies).toStrictEqual(renderedPolicies(props));
    expect(group.properties.Policies).toStrictEqual([{ PolicyName: guard.policyName, PolicyDocument: guard.document }]);
  });

  it('keeps one-element lists as lists, where CDK PolicyDocument would turn them into strings', () => {
    const { group } = synthesize({ profile: 'seed' });
    expect(group.properties.Policies).toStrictEqual([
      { PolicyName: seedFile.PolicyName, PolicyDocument: seedFile.PolicyDocument },
    ]);
    const serialized = JSON.stringify(group.properties.Policies);
    expect(serialized).toContain('"Resource":["*"]');
    expect(serialized).toContain('"aws:MultiFactorAuthPresent":false');
  });

  it('passes ${aws:username} through literally, not as a CDK token or an Fn::Sub', () => {
    for (const props of [{}, { profile: 'seed' }, { partition: 'aws-cn' }] satisfies ForceMfaGroupProps[]) {
      const { template } = synthesize(props);
      const serialized = JSON.stringify(template.toJSON());
      expect(serialized).toContain('user/${aws:username}');
      expect(serialized).not.toMatch(/Fn::Sub|Fn::Join|\$\{Token\[/);
    }
    expect(JSON.stringify(synthesize({ partition: 'aws-cn' }).template.toJSON())).toContain('arn:aws-cn:iam::*:user/*/${aws:username}');
  });

  it('adds members with addUser, by reference to the guard group', () => {
    const { template, group } = synthesize({}, true);
    template.hasResourceProperties('AWS::IAM::User', { UserName: 'alice', Groups: [{ Ref: group.logicalId }] });
  });

  it('exposes the group, its name and ARN as references to the synthesized group', () => {
    const stack = new Stack(new App(), 'Guarded');
    const guard = new ForceMfaGroup(stack, 'ForceMfa', { groupName: 'MfaRequired' });
    const logicalId = stack.getLogicalId(guard.group.node.defaultChild as never);
    expect(stack.resolve(guard.groupName)).toStrictEqual({ Ref: logicalId });
    expect(stack.resolve(guard.groupArn)).toStrictEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(guard.guard.groupName).toBe('MfaRequired');
    expect(guard.guard.profile).toBe('recommended');
  });

  it('cannot change the shared guard through the synthesized template', () => {
    const stack = new Stack(new App(), 'Guarded');
    const guard = new ForceMfaGroup(stack, 'ForceMfa', { profile: 'seed' });
    const policies = (guard.group.node.defaultChild as CfnGroup).policies as unknown as { policyDocument: { Statement: unknown[] } }[];
    policies[0]?.policyDocument.Statement.pop();
    expect(buildGuard({ profile: 'seed' }).document).toStrictEqual(seedFile.PolicyDocument);
  });

  it.each([
    { props: { partition: 'aws-xx' } as unknown as ForceMfaGroupProps, code: 'bad-partition' },
    { props: { profile: 'seed', groupName: 'Other' } as ForceMfaGroupProps, code: 'seed-is-fixed' },
    { props: { groupName: 'has space' } as ForceMfaGroupProps, code: 'bad-name' },
  ])('rejects invalid options with the guard error $code', ({ props, code }) => {
    const stack = new Stack(new App(), 'Guarded');
    let thrown: unknown;
    try {
      new ForceMfaGroup(stack, 'ForceMfa', props);
    } catch (error) {
      thrown = error;
    }
    expect(isForceMfaError(thrown) && thrown.code).toBe(code);
  });
});
