// deploy reads the guard group back once the stack has settled: outcomes moto cannot produce, over mocked IAM.
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { GetGroupPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDeploy } from '../../src/cli/commands/deploy.js';
import { isForceMfaError } from '../../src/errors.js';
import { builtinPolicy } from '../../src/engine/builtin-policies.js';
import type { PolicyDocument, PolicyStatement } from '../../src/policy/document.js';
import { buildGuard } from '../../src/policy/guard.js';
import { sdkStackApi } from '../../src/rollout/aws/cloudformation.js';
import { groupReader, holdGroup, noGroup } from './deployed-group.js';

const cfn = mockClient(CloudFormationClient);
const iam = mockClient(IAMClient);
const GUARD = buildGuard();
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/force-mfa/0f1e2d3c-aaaa-bbbb-cccc-000000000000';
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

let stdout = '';
beforeEach(() => {
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  cfn.reset();
  iam.reset();
  vi.restoreAllMocks();
});

const stack = (status: string) => ({ Stacks: [{ StackName: 'force-mfa', StackId: STACK_ID, StackStatus: status as StackStatus, CreationTime: new Date('2026-01-01') }] });

/** CloudFormation updates the stack successfully: only what IAM then holds decides the outcome. */
function stackUpdates(): void {
  cfn
    .on(DescribeStacksCommand)
    .resolvesOnce(stack('UPDATE_COMPLETE'))
    .resolvesOnce(stack('UPDATE_COMPLETE'))
    .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
    .resolves(stack('UPDATE_COMPLETE'));
  cfn.on(CreateChangeSetCommand).resolves({});
  cfn.on(DescribeChangeSetCommand).resolves({
    Status: 'CREATE_COMPLETE',
    Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'ForceMfaAccess', ResourceType: 'AWS::IAM::Group', Replacement: 'False' } }],
  });
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
}

async function deploy(): Promise<unknown> {
  const deps = {
    api: await sdkStackApi(new CloudFormationClient({ region: 'us-east-1' })),
    region: 'us-east-1',
    confirm: async () => true,
    groups: groupReader,
    sleep: async () => {},
    now: () => new Date('2026-05-04T03:02:01Z'),
  };
  return runDeploy({ stackName: 'force-mfa', yes: true }, deps).then(
    () => undefined,
    (error: unknown) => error,
  );
}

function withStatement(index: number, change: (statement: PolicyStatement) => PolicyStatement): PolicyDocument {
  return { ...GUARD.document, Statement: GUARD.document.Statement.map((statement, at) => (at === index ? change(statement) : statement)) };
}

const ADMIN = builtinPolicy('AdministratorAccess')?.document;

describe('deploy reads the group back (exit 3 with one line when it is not the rendered guard)', () => {
  it.each<[string, () => void, RegExp[]]>([
    [
      'the group is missing',
      () => noGroup(iam),
      [/^stack force-mfa is UPDATE_COMPLETE but IAM group ForceMfaAccess does not exist: the stack did not create it/],
    ],
    [
      'the MFA deny reads Bool instead of BoolIfExists',
      () => holdGroup(iam, { [GUARD.policyName]: withStatement(0, (statement) => ({ ...statement, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })) }),
      [
        // The group's own Allow statements still limit access keys to the bootstrap reads, so only the document differs.
        /^stack force-mfa is UPDATE_COMPLETE but group ForceMfaAccess is not the rendered guard: inline policy ForceMfaAccess: statement 1 \(DenyAllExceptMfaSetupWithoutMfa\) differs in Condition$/,
      ],
    ],
    [
      'AdministratorAccess is attached to the group',
      () => holdGroup(iam, { [GUARD.policyName]: GUARD.document }, { [ADMIN_ARN]: ADMIN }),
      [/is not the rendered guard: attached policy arn:aws:iam::aws:policy\/AdministratorAccess is not part of the rendered guard; verified, it differs: mfa: /],
    ],
    [
      'a second inline policy allows EC2',
      () => holdGroup(iam, { [GUARD.policyName]: GUARD.document, Extra: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } }),
      [/inline policy Extra is not part of the rendered guard; verified, it differs: mfa: ec2:/],
    ],
    [
      'the inline policy has another name',
      () => holdGroup(iam, { Renamed: GUARD.document }),
      [/inline policy ForceMfaAccess is missing \(and 1 more\)$/],
    ],
    [
      'the group has no policy at all',
      () => holdGroup(iam, {}),
      [/inline policy ForceMfaAccess is missing; verified, it differs: console-no-mfa: iam:\w+ is expected to be allowed but is not/],
    ],
    [
      'a statement was dropped',
      () => holdGroup(iam, { [GUARD.policyName]: { ...GUARD.document, Statement: GUARD.document.Statement.slice(1) } }),
      // The group alone allows only the bootstrap actions either way: the document comparison is what catches it.
      [/is not the rendered guard: inline policy ForceMfaAccess: statement 1 \(DenyAllExceptMfaSetupWithoutMfa\) of the rendered guard is missing$/],
    ],
  ])('%s', async (_, arrange, messages) => {
    stackUpdates();
    arrange();
    const error = await deploy();
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    for (const pattern of messages) expect(message).toMatch(pattern);
    expect(stdout).not.toContain('policy as rendered');
  });

  it('accepts the rendered policy written differently (single strings, other list orders, booleans): the same policy', async () => {
    stackUpdates();
    const rewritten = {
      Statement: GUARD.document.Statement.map((statement) => ({
        ...statement,
        ...(Array.isArray(statement.NotAction) ? { NotAction: [...(statement.NotAction as string[])].reverse() } : {}),
        ...(Array.isArray(statement.Resource) && statement.Resource.length === 1 ? { Resource: statement.Resource[0] } : {}),
      })),
      Version: '2012-10-17',
    };
    holdGroup(iam, { [GUARD.policyName]: rewritten });
    expect(await deploy()).toBeUndefined();
    expect(stdout).toMatch(/ForceMfaAccess: policy as rendered; without MFA 9 action\(s\) in the console, 3 with access keys alone; also on other users' resources: iam:CreateVirtualMFADevice/);
  });

  it('fails on a document IAM returns undecoded', async () => {
    stackUpdates();
    holdGroup(iam, { [GUARD.policyName]: GUARD.document });
    iam.on(GetGroupPolicyCommand).resolves({ GroupName: 'ForceMfaAccess', PolicyName: GUARD.policyName, PolicyDocument: '%E0%A4%A' });
    const error = await deploy();
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toBe(`IAM returned inline policy ${GUARD.policyName} of group ForceMfaAccess in a form that is not a URL-encoded JSON document`);
  });

  it('fails (exit 3) on a group policy the evaluator refuses, naming it', async () => {
    stackUpdates();
    holdGroup(iam, { [GUARD.policyName]: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: 'iam:GetUser', Resource: '*', Condition: { BoolIfExistz: { 'aws:MultiFactorAuthPresent': 'false' } } }] } });
    const error = await deploy();
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toMatch(/^stack force-mfa is UPDATE_COMPLETE but group ForceMfaAccess cannot be verified: .*BoolIfExistz/);
  });

  it('passes an AWS failure of the read through (AccessDenied is exit 3 at the top level), never "as rendered"', async () => {
    stackUpdates();
    holdGroup(iam, { [GUARD.policyName]: GUARD.document });
    iam.on(GetGroupPolicyCommand).rejects(Object.assign(new Error('not authorized to perform iam:GetGroupPolicy'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const error = await deploy();
    expect((error as Error).name).toBe('AccessDenied');
    expect(stdout).not.toContain('policy as rendered');
  });

  it('reads the group back when there is nothing to change: a group edited by hand is not "up to date"', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    cfn.on(CreateChangeSetCommand).resolves({});
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes.", Changes: [] });
    cfn.on(DeleteChangeSetCommand).resolves({});
    holdGroup(iam, { [GUARD.policyName]: GUARD.document }, { [ADMIN_ARN]: ADMIN });
    const error = await deploy();
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toMatch(/^stack force-mfa is unchanged but group ForceMfaAccess is not the rendered guard: attached policy arn:aws:iam::aws:policy\/AdministratorAccess/);
  });
});
