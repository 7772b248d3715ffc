// deploy and destroy over a mocked CloudFormation (aws-sdk-client-mock), with an instant sleep.
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Stack,
  type StackEvent,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDeploy } from '../../src/cli/commands/deploy.js';
import { runDestroy } from '../../src/cli/commands/destroy.js';
import { isForceMfaError } from '../../src/errors.js';
import { sdkStackApi } from '../../src/rollout/aws/cloudformation.js';
import { changeSetView, renderChangeSet } from '../../src/rollout/deploy/change-set.js';
import { poll } from '../../src/rollout/deploy/poll.js';
import type { RolloutIam } from '../../src/rollout/iam.js';
import { buildGuard } from '../../src/policy/guard.js';
import { groupReader, holdGroup, noGroup } from './deployed-group.js';

const cfn = mockClient(CloudFormationClient);
const iamMock = mockClient(IAMClient);
const GUARD = buildGuard();
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/force-mfa/0f1e2d3c-aaaa-bbbb-cccc-000000000000';
const missing = () => Object.assign(new Error('Stack with id force-mfa does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
const stack = (status: string, extra: Partial<Stack> = {}): { Stacks: Stack[] } => ({
  Stacks: [{ StackName: 'force-mfa', StackId: STACK_ID, StackStatus: status as StackStatus, CreationTime: new Date('2026-01-01'), ...extra }],
});
let clock = 0;
const event = (logicalId: string, type: string, status: string, reason?: string): StackEvent => ({
  EventId: `${logicalId}-${status}-${clock++}`,
  StackId: STACK_ID,
  StackName: 'force-mfa',
  LogicalResourceId: logicalId,
  ResourceType: type,
  ResourceStatus: status as never,
  Timestamp: new Date(Date.UTC(2026, 0, 1, 9, 0, clock)),
  ...(reason === undefined ? {} : { ResourceStatusReason: reason }),
});

let stdout = '';
let stderr = '';
const sleep = vi.fn(async () => {});

beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  // The account holds the rendered guard: the read-back after a deployment finds it as rendered.
  holdGroup(iamMock, { [GUARD.policyName]: GUARD.document });
});
afterEach(() => {
  cfn.reset();
  iamMock.reset();
  vi.restoreAllMocks();
  sleep.mockClear();
});

async function deps(confirm = true) {
  return {
    api: await sdkStackApi(new CloudFormationClient({ region: 'us-east-1' })),
    region: 'us-east-1',
    confirm: vi.fn(async () => confirm),
    groups: groupReader,
    sleep,
    now: () => new Date('2026-05-04T03:02:01Z'),
  };
}

const ADD_GROUP = { Type: 'Resource' as const, ResourceChange: { Action: 'Add' as const, LogicalResourceId: 'ForceMfaAccess', ResourceType: 'AWS::IAM::Group' } };

describe('deploy', () => {
  it('creates a new stack through a CREATE change set, shows it, and follows the events', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(missing())
      .resolvesOnce(stack('REVIEW_IN_PROGRESS'))
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolves(stack('CREATE_COMPLETE', { Outputs: [{ OutputKey: 'GroupName', OutputValue: 'ForceMfaAccess' }] }));
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: STACK_ID });
    cfn
      .on(DescribeChangeSetCommand)
      .resolvesOnce({ Status: 'CREATE_PENDING', Changes: [] })
      .resolvesOnce({ Status: 'CREATE_IN_PROGRESS', Changes: [] })
      .resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: [ADD_GROUP] });
    const review = event('force-mfa', 'AWS::CloudFormation::Stack', 'REVIEW_IN_PROGRESS');
    const creating = event('ForceMfaAccess', 'AWS::IAM::Group', 'CREATE_IN_PROGRESS');
    const created = event('ForceMfaAccess', 'AWS::IAM::Group', 'CREATE_COMPLETE');
    const done = event('force-mfa', 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE');
    cfn
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [review] })
      .resolvesOnce({ StackEvents: [creating, review] })
      .resolves({ StackEvents: [done, created, creating, review] });
    cfn.on(ExecuteChangeSetCommand).resolves({});

    await runDeploy({ stackName: 'force-mfa', yes: true }, await deps());

    const create = cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;
    expect(create?.ChangeSetType).toBe('CREATE');
    expect(create?.ChangeSetName).toBe('force-mfa-20260504030201');
    expect(create?.Capabilities).toEqual(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    expect(Object.keys(JSON.parse(create?.TemplateBody ?? '{}').Resources)).toEqual(['ForceMfaAccess']);
    expect(stdout).toMatch(/\+ add\s+ForceMfaAccess\s+AWS::IAM::Group/);
    expect(stdout).toContain('Stack force-mfa: CREATE_COMPLETE');
    expect(stdout).toContain(`ForceMfaAccess: policy as rendered; without MFA 9 action(s) in the console, 3 with access keys alone`);
    // Each event printed once, oldest first; the event from before the execution is not repeated.
    const lines = stderr.split('\n').filter((line) => /^\d\d:\d\d:\d\d /.test(line));
    expect(lines.map((line) => line.split(/\s+/)[1])).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'CREATE_COMPLETE']);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(sleep).toHaveBeenCalled();
  });

  it('adds the auto-enroll resources with --auto-enroll and warns outside us-east-1', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    cfn.on(CreateChangeSetCommand).resolves({});
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.", Changes: [] });
    cfn.on(DeleteChangeSetCommand).resolves({});
    await runDeploy({ stackName: 'force-mfa', yes: true, autoEnroll: true, autoEnrollExempt: ['breakglass'] }, { ...(await deps()), region: 'eu-west-1' });
    const body = JSON.parse(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.TemplateBody ?? '{}');
    expect(body.Resources.AutoEnrollFunction.Type).toBe('AWS::Lambda::Function');
    expect(body.Parameters.AutoEnrollExemptUsers.Default).toBe('breakglass');
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.ChangeSetType).toBe('UPDATE');
    expect(stderr).toContain('only in us-east-1; in eu-west-1 only the daily sweep');
  });

  it('treats "no changes" as a friendly no-op and deletes the empty change set', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    cfn.on(CreateChangeSetCommand).resolves({});
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.", Changes: [] });
    cfn.on(DeleteChangeSetCommand).resolves({});
    await runDeploy({ stackName: 'force-mfa' }, await deps());
    expect(stdout).toContain('No changes: stack force-mfa is up to date');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('deletes the change set, and the empty new stack, when the answer is no', async () => {
    cfn.on(DescribeStacksCommand).rejectsOnce(missing()).resolves(stack('REVIEW_IN_PROGRESS'));
    cfn.on(CreateChangeSetCommand).resolves({});
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [ADD_GROUP] });
    cfn.on(DeleteChangeSetCommand).resolves({});
    cfn.on(DeleteStackCommand).resolves({});
    const declining = await deps(false);
    await runDeploy({ stackName: 'force-mfa' }, declining);
    expect(declining.confirm).toHaveBeenCalledWith('Execute this change set on stack force-mfa?');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(stderr).toContain('Cancelled');
  });

  it('prints the failed events with their reasons and ends with exit 3 when rolled back', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolvesOnce(stack('UPDATE_ROLLBACK_IN_PROGRESS'))
      .resolves(stack('UPDATE_ROLLBACK_COMPLETE'));
    cfn.on(CreateChangeSetCommand).resolves({});
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'ForceMfaAccess', ResourceType: 'AWS::IAM::Group', Replacement: 'False', Details: [{ Target: { Name: 'Policies', Attribute: 'Properties' } }] } }],
    });
    cfn.on(ExecuteChangeSetCommand).resolves({});
    const reason = 'Resource handler returned message: "User: arn:aws:iam::111122223333:user/ops is not authorized to perform: iam:PutGroupPolicy" (HandlerErrorCode: AccessDenied)';
    const failed = event('ForceMfaAccess', 'AWS::IAM::Group', 'UPDATE_FAILED', reason);
    cfn
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [] })
      .resolvesOnce({ StackEvents: [failed] })
      .resolves({ StackEvents: [event('force-mfa', 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE'), failed] });

    const error = await runDeploy({ stackName: 'force-mfa', yes: true }, await deps()).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toBe(`stack force-mfa ended UPDATE_ROLLBACK_COMPLETE: ForceMfaAccess (AWS::IAM::Group) ${reason}`);
    expect(stdout).toMatch(/~ modify\s+ForceMfaAccess\s+AWS::IAM::Group\s+no\s+Policies/);
    expect(stderr).toContain(`Failed:\n  ForceMfaAccess (AWS::IAM::Group) UPDATE_FAILED: ${reason}`);
  });

  it.each([
    ['UPDATE_IN_PROGRESS', /is UPDATE_IN_PROGRESS: wait until it finishes/],
    ['ROLLBACK_COMPLETE', /its creation failed\): delete it, then deploy again/],
  ])('refuses a stack in %s', async (status, message) => {
    cfn.on(DescribeStacksCommand).resolves(stack(status));
    await expect(runDeploy({ stackName: 'force-mfa', yes: true }, await deps())).rejects.toThrow(message);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('reports a change set CloudFormation rejects, and cleans it up', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    cfn.on(CreateChangeSetCommand).resolves({});
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'Template format error: Unresolved resource dependencies [X]', Changes: [] });
    cfn.on(DeleteChangeSetCommand).resolves({});
    await expect(runDeploy({ stackName: 'force-mfa', yes: true }, await deps())).rejects.toThrow(/could not create the change set: Template format error/);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });
});

describe('destroy', () => {
  // After the deletion IAM no longer has the group, unless a test says otherwise.
  beforeEach(() => {
    iamMock.reset();
    noGroup(iamMock);
  });
  const withGroup = stack('CREATE_COMPLETE', { Outputs: [{ OutputKey: 'GroupName', OutputValue: 'ForceMfaAccess' }] });
  const iamWith = (members: string[]) => {
    const removed: string[] = [];
    const iam = { getGroupMembers: async () => members.filter((member) => !removed.includes(member)), removeUserFromGroup: async (_: string, user: string) => void removed.push(user) } as unknown as RolloutIam;
    return { iam, removed };
  };

  it('refuses while the group has members (exit 2) and deletes nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves(withGroup);
    const { iam } = iamWith(['alice', 'bob']);
    const error = await runDestroy({ stackName: 'force-mfa', yes: true }, { ...(await deps()), iam: async () => iam, caller: async () => 'arn' }).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
    expect((error as Error).message).toMatch(/group ForceMfaAccess still has 2 member\(s\) \(alice, bob\)/);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('deletes an empty group stack and waits until it is gone', async () => {
    cfn.on(DescribeStacksCommand).resolvesOnce(withGroup).resolvesOnce(stack('DELETE_IN_PROGRESS')).rejects(missing());
    cfn.on(DescribeStackEventsCommand).resolvesOnce({ StackEvents: [] }).resolves({ StackEvents: [event('ForceMfaAccess', 'AWS::IAM::Group', 'DELETE_COMPLETE')] });
    cfn.on(DeleteStackCommand).resolves({});
    const { iam } = iamWith([]);
    await runDestroy({ stackName: 'force-mfa', yes: true }, { ...(await deps()), iam: async () => iam, caller: async () => 'arn' });
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input.StackName).toBe('force-mfa');
    // Events are read by stack id, which still works once the name no longer resolves.
    expect(cfn.commandCalls(DescribeStackEventsCommand).every((call) => call.args[0].input.StackName === STACK_ID)).toBe(true);
    expect(stdout).toContain('Stack force-mfa deleted; IAM group ForceMfaAccess is gone.');
  });

  it('fails (exit 3) when the stack is deleted but IAM still has the group', async () => {
    cfn.on(DescribeStacksCommand).resolvesOnce(withGroup).rejects(missing());
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DeleteStackCommand).resolves({});
    iamMock.reset();
    holdGroup(iamMock, { [GUARD.policyName]: GUARD.document });
    const error = await runDestroy({ stackName: 'force-mfa', yes: true }, { ...(await deps()), iam: async () => iamWith([]).iam, caller: async () => 'arn' }).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toBe(
      'stack force-mfa was deleted but IAM group ForceMfaAccess still exists (retained, or made again outside the stack): delete it by hand if it is no longer wanted',
    );
    expect(stdout).not.toContain('deleted;');
  });

  it('checks the group the GroupName parameter names when the stack has no GroupName output', async () => {
    const withParameter = stack('CREATE_COMPLETE', { Parameters: [{ ParameterKey: 'GroupName', ParameterValue: 'Guard2' }] });
    cfn.on(DescribeStacksCommand).resolvesOnce(withParameter).rejects(missing());
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DeleteStackCommand).resolves({});
    await runDestroy({ stackName: 'force-mfa', yes: true }, { ...(await deps()), iam: async () => iamWith([]).iam, caller: async () => 'arn' });
    expect(stdout).toContain('Stack force-mfa deleted; IAM group Guard2 is gone.');
  });

  it('removes the members first with --remove-members, logging each removal', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const log = join(mkdtempSync(join(tmpdir(), 'force-mfa-destroy-')), 'log.jsonl');
    cfn.on(DescribeStacksCommand).resolvesOnce(withGroup).rejects(missing());
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DeleteStackCommand).resolves({});
    const { iam, removed } = iamWith(['alice']);
    const asking = await deps(true);
    await runDestroy({ stackName: 'force-mfa', removeMembers: true, log }, { ...asking, iam: async () => iam, caller: async () => 'arn:aws:iam::111122223333:user/ops' });
    expect(asking.confirm).toHaveBeenCalledWith('Delete stack force-mfa in us-east-1 after removing 1 member(s) from ForceMfaAccess (their MFA is no longer enforced)?');
    expect(removed).toEqual(['alice']);
    expect(readFileSync(log, 'utf8')).toContain('"action":"remove","by":"arn:aws:iam::111122223333:user/ops","phase":"done"');
  });

  it('says so when there is no stack', async () => {
    cfn.on(DescribeStacksCommand).rejects(missing());
    await runDestroy({ stackName: 'force-mfa', yes: true }, { ...(await deps()), iam: async () => iamWith([]).iam, caller: async () => 'arn' });
    expect(stdout).toContain('Stack force-mfa does not exist in us-east-1: nothing to delete.');
  });
});

describe('pure helpers', () => {
  it('renders replacements with a warning', () => {
    const view = changeSetView({
      status: 'CREATE_COMPLETE', statusReason: undefined, executionStatus: 'AVAILABLE',
      changes: [{ action: 'Modify', logicalId: 'ForceMfaAccess', resourceType: 'AWS::IAM::Group', physicalId: 'ForceMfaAccess', replacement: 'True', properties: ['GroupName'] }],
    });
    expect(renderChangeSet(view)).toMatch(/~ modify\s+ForceMfaAccess\s+AWS::IAM::Group\s+yes\s+GroupName[\s\S]*Warning: resources marked for replacement/);
  });

  it('poll gives up by the clock with a clear error', async () => {
    let now = 0;
    const waits: number[] = [];
    await expect(
      poll('stack x', async () => 'UPDATE_IN_PROGRESS', () => false, { sleep: async (ms) => void (waits.push(ms), (now += ms)), now: () => now, intervalMs: 1000, timeoutMs: 3000 }),
    ).rejects.toThrow('gave up waiting for stack x');
    expect(waits).toEqual([1000, 1000, 1000]);
  });
});
