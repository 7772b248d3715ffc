import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DeleteStackInstancesCommand,
  DeleteStackSetCommand,
  DescribeOrganizationsAccessCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  ListStackInstancesCommand,
  ListStackSetOperationResultsCommand,
  UpdateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildGuard } from '../../src/policy/guard.js';
import { renderCloudFormationYaml } from '../../src/render/cloudformation.js';
import { deployStackSet, destroyStackSet } from '../../src/org/stackset.js';
import { operationPreferences, planStackSetDeploy, planStackSetDestroy } from '../../src/org/stackset-plan.js';
import { renderDeployResult, renderDestroyResult } from '../../src/org/stackset-render.js';
import { throttled } from './fixtures.js';
import { captureStreams } from '../support/capture-output.js';

const cfnMock = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'us-east-1' });
const instant = { sleep: async () => undefined, pollIntervalMs: 1 };
const TEMPLATE = { templateBody: renderCloudFormationYaml(buildGuard()), groupName: 'ForceMfaAccess' };
const OU = 'ou-ab12-34cd56ef';

const notFound = (): Error => Object.assign(new Error('StackSet force-mfa not found'), { name: 'StackSetNotFoundException', $metadata: { httpStatusCode: 404 } });

function instance(account: string, detailed: string, reason?: string) {
  return {
    StackSetId: 'force-mfa:1',
    Region: 'us-east-1',
    Account: account,
    StackId: `arn:aws:cloudformation:us-east-1:${account}:stack/StackSet-force-mfa-abc/1`,
    Status: detailed === 'SUCCEEDED' ? ('CURRENT' as const) : ('OUTDATED' as const),
    StatusReason: reason,
    StackInstanceStatus: { DetailedStatus: detailed as 'SUCCEEDED' },
    OrganizationalUnitId: OU,
  };
}

beforeEach(() => {
  cfnMock.reset();
  cfnMock.on(DescribeOrganizationsAccessCommand).resolves({ Status: 'ENABLED' });
});

describe('planStackSetDeploy', () => {
  it('asks for a service-managed stack set with automatic deployment, named IAM capability, in us-east-1 by default', () => {
    const plan = planStackSetDeploy({ organizationalUnitIds: [OU, OU] }, TEMPLATE);
    expect(plan.create).toMatchObject({
      StackSetName: 'force-mfa',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'SELF',
      TemplateBody: TEMPLATE.templateBody,
    });
    expect(plan.instances).toEqual({
      StackSetName: 'force-mfa',
      DeploymentTargets: { OrganizationalUnitIds: [OU] },
      Regions: ['us-east-1'],
      OperationPreferences: {
        FailureTolerancePercentage: 10,
        MaxConcurrentPercentage: 25,
        ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        RegionConcurrencyType: 'SEQUENTIAL',
        RegionOrder: ['us-east-1'],
      },
      CallAs: 'SELF',
    });
    expect(plan.update).toMatchObject({ PermissionModel: 'SERVICE_MANAGED', OperationPreferences: plan.instances.OperationPreferences });
    expect(plan.update).not.toHaveProperty('DeploymentTargets');
    expect(plan.warnings).toHaveLength(1);
  });

  it('warns that several regions would create the same global IAM group twice', () => {
    const plan = planStackSetDeploy({ organizationalUnitIds: [OU], regions: ['us-east-1', 'eu-west-1'], callAs: 'DELEGATED_ADMIN' }, TEMPLATE);
    expect(plan.warnings[0]).toMatch(/2 regions \(us-east-1, eu-west-1\), but IAM is global: .*'ForceMfaAccess'.*already exists/);
    expect(plan.instances.CallAs).toBe('DELEGATED_ADMIN');
  });

  it.each([
    [{ organizationalUnitIds: [] }, /at least one organizational unit/],
    [{ organizationalUnitIds: ['prod'] }, /not an organizational unit id/],
    [{ organizationalUnitIds: [OU], regions: ['mars'] }, /not an AWS region/],
    [{ organizationalUnitIds: [OU], stackSetName: '1bad_name' }, /not a stack set name/],
    [{ organizationalUnitIds: [OU], failureToleranceCount: 1, failureTolerancePercentage: 5 }, /count or as a percentage, not both/],
    [{ organizationalUnitIds: [OU], maxConcurrentPercentage: 0 }, /from 1 to 100/],
  ])('refuses %j', (target, message) => {
    expect(() => planStackSetDeploy(target, TEMPLATE)).toThrow(message);
  });

  it('takes counts when given', () => {
    expect(operationPreferences({ failureToleranceCount: 2, maxConcurrentCount: 10 }, ['us-east-1'])).toMatchObject({ FailureToleranceCount: 2, MaxConcurrentCount: 10 });
  });
});

describe('deployStackSet', () => {
  it('retries a throttled CreateStackInstances with the same OperationId, so the retry cannot start a second operation', async () => {
    cfnMock
      .on(DescribeStackSetCommand).rejects(notFound())
      .on(CreateStackSetCommand).resolves({ StackSetId: 'force-mfa:1' })
      .on(CreateStackInstancesCommand)
      .rejectsOnce(throttled('Throttling'))
      .resolves({ OperationId: 'op-create' })
      .on(DescribeStackSetOperationCommand).resolves({ StackSetOperation: { OperationId: 'op-create', Status: 'SUCCEEDED' } })
      .on(ListStackInstancesCommand).resolves({ Summaries: [instance('222222222222', 'SUCCEEDED')] });
    const plan = planStackSetDeploy({ organizationalUnitIds: [OU] }, TEMPLATE);
    await deployStackSet(client, plan, instant);

    const attempts = cfnMock.commandCalls(CreateStackInstancesCommand).map((call) => call.args[0].input.OperationId);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(attempts[1]).toBe(attempts[0]);
  });

  it('creates a new stack set, adds the OU instances, waits for the operation and reads every page of results', async () => {
    cfnMock
      .on(DescribeStackSetCommand).rejects(notFound())
      .on(CreateStackSetCommand).resolves({ StackSetId: 'force-mfa:1' })
      .on(CreateStackInstancesCommand).resolves({ OperationId: 'op-create' })
      .on(DescribeStackSetOperationCommand)
      .resolvesOnce({ StackSetOperation: { OperationId: 'op-create', Status: 'QUEUED' } })
      .rejectsOnce(throttled('Throttling'))
      .resolvesOnce({ StackSetOperation: { OperationId: 'op-create', Status: 'RUNNING' } })
      .resolves({ StackSetOperation: { OperationId: 'op-create', Status: 'SUCCEEDED' } })
      .on(ListStackInstancesCommand).resolvesOnce({ Summaries: [instance('222222222222', 'SUCCEEDED')], NextToken: 'next' })
      .on(ListStackInstancesCommand, { NextToken: 'next' }).resolves({ Summaries: [instance('333333333333', 'SUCCEEDED')] });
    const progress: string[] = [];
    const plan = planStackSetDeploy({ organizationalUnitIds: [OU] }, TEMPLATE);
    const result = await deployStackSet(client, plan, { ...instant, onProgress: (line) => progress.push(line) });

    expect(result).toMatchObject({ created: true, succeeded: true });
    expect(result.instances.map((entry) => [entry.account, entry.failed])).toEqual([
      ['222222222222', false],
      ['333333333333', false],
    ]);
    expect(cfnMock.commandCalls(UpdateStackSetCommand)).toHaveLength(0);
    expect(cfnMock.commandCalls(CreateStackSetCommand)[0]?.args[0].input).toEqual({ ...plan.create, ClientRequestToken: expect.any(String) });
    expect(cfnMock.commandCalls(CreateStackInstancesCommand)[0]?.args[0].input).toEqual({ ...plan.instances, OperationId: expect.any(String) });
    expect(progress).toEqual([
      'stack set force-mfa: created (service-managed, automatic deployment on)',
      `stack set force-mfa: adding stack instances for ${OU} in us-east-1 (operation op-create)`,
      'operation op-create (create instances): QUEUED',
      'operation op-create (create instances): RUNNING',
      'operation op-create (create instances): SUCCEEDED',
    ]);
  });

  it('updates an existing stack set before adding instances, and reports each failed account with its reason', async () => {
    cfnMock
      .on(DescribeStackSetCommand).resolves({ StackSet: { StackSetName: 'force-mfa', Status: 'ACTIVE', PermissionModel: 'SERVICE_MANAGED' } })
      .on(UpdateStackSetCommand).resolves({ OperationId: 'op-update' })
      .on(CreateStackInstancesCommand).resolves({ OperationId: 'op-create' })
      .on(DescribeStackSetOperationCommand, { OperationId: 'op-update' }).resolves({ StackSetOperation: { Status: 'SUCCEEDED' } })
      .on(DescribeStackSetOperationCommand, { OperationId: 'op-create' })
      .resolves({ StackSetOperation: { Status: 'FAILED', StatusReason: 'The Operation op-create has failed', StatusDetails: { FailedStackInstancesCount: 1 } } })
      .on(ListStackInstancesCommand)
      .resolves({
        Summaries: [
          instance('222222222222', 'SUCCEEDED'),
          instance('333333333333', 'FAILED', 'ResourceLogicalId:ForceMfaAccess, ResourceType:AWS::IAM::Group, ResourceStatusReason:ForceMfaAccess already exists.'),
          { ...instance('444444444444', 'SUCCEEDED'), Region: 'eu-west-1' },
        ],
      });
    const result = await deployStackSet(client, planStackSetDeploy({ organizationalUnitIds: [OU] }, TEMPLATE), instant);

    expect(result.created).toBe(false);
    expect(result.succeeded).toBe(false);
    expect(result.operations.map((operation) => [operation.operationId, operation.status])).toEqual([
      ['op-update', 'SUCCEEDED'],
      ['op-create', 'FAILED'],
    ]);
    // Only the regions deployed to are reported.
    expect(result.instances.map((entry) => entry.account)).toEqual(['222222222222', '333333333333']);
    const text = renderDeployResult(result);
    expect(text).toContain('operation op-create (create instances): FAILED — The Operation op-create has failed');
    expect(text).toContain('failed: 333333333333 us-east-1: ResourceLogicalId:ForceMfaAccess, ResourceType:AWS::IAM::Group, ResourceStatusReason:ForceMfaAccess already exists.');
    expect(text).toContain('aws cloudformation describe-stack-events --stack-name arn:aws:cloudformation:us-east-1:333333333333:stack/StackSet-force-mfa-abc/1');
    expect(text).toContain('2 stack(s): 1 ok, 1 failed');
  });

  it('does not add instances when the update itself fails', async () => {
    cfnMock
      .on(DescribeStackSetCommand).resolves({ StackSet: { Status: 'ACTIVE', PermissionModel: 'SERVICE_MANAGED' } })
      .on(UpdateStackSetCommand).resolves({ OperationId: 'op-update' })
      .on(DescribeStackSetOperationCommand).resolves({ StackSetOperation: { Status: 'STOPPED' } })
      .on(ListStackInstancesCommand).resolves({ Summaries: [] });
    const result = await deployStackSet(client, planStackSetDeploy({ organizationalUnitIds: [OU] }, TEMPLATE), instant);
    expect(result.succeeded).toBe(false);
    expect(cfnMock.commandCalls(CreateStackInstancesCommand)).toHaveLength(0);
  });

  it('refuses a self-managed stack set of the same name, and says how to turn on trusted access', async () => {
    cfnMock.on(DescribeStackSetCommand).resolves({ StackSet: { Status: 'ACTIVE', PermissionModel: 'SELF_MANAGED' } });
    const plan = planStackSetDeploy({ organizationalUnitIds: [OU] }, TEMPLATE);
    await expect(deployStackSet(client, plan, instant)).rejects.toThrow(/already exists with SELF_MANAGED permissions/);
    cfnMock.on(DescribeOrganizationsAccessCommand).resolves({ Status: 'DISABLED' });
    await expect(deployStackSet(client, plan, instant)).rejects.toThrow(/activate-organizations-access/);
  });

  it('stops waiting after the time limit and says how to follow the operation', async () => {
    let clock = 0;
    cfnMock
      .on(DescribeStackSetCommand).rejects(notFound())
      .on(CreateStackSetCommand).resolves({})
      .on(CreateStackInstancesCommand).resolves({ OperationId: 'op-slow' })
      .on(DescribeStackSetOperationCommand).callsFake(() => {
        clock += 60_000;
        return { StackSetOperation: { Status: 'RUNNING' } };
      });
    const plan = planStackSetDeploy({ organizationalUnitIds: [OU] }, TEMPLATE);
    await expect(deployStackSet(client, plan, { ...instant, now: () => clock, maxWaitMs: 180_000 })).rejects.toThrow(
      /operation op-slow on stack set force-mfa is still RUNNING after 3 min: .*describe-stack-set-operation/,
    );
  });
});

describe('destroyStackSet', () => {
  it('deletes the stacks of every OU and region it has, then the stack set', async () => {
    cfnMock
      .on(DescribeStackSetCommand).resolves({ StackSet: { Status: 'ACTIVE', PermissionModel: 'SERVICE_MANAGED' } })
      .on(ListStackInstancesCommand).resolvesOnce({ Summaries: [instance('222222222222', 'SUCCEEDED'), { ...instance('333333333333', 'SUCCEEDED'), OrganizationalUnitId: 'ou-ab12-99999999' }] })
      .resolves({ Summaries: [] })
      .on(DeleteStackInstancesCommand).resolves({ OperationId: 'op-delete' })
      .on(DescribeStackSetOperationCommand).resolves({ StackSetOperation: { Status: 'SUCCEEDED' } })
      .on(ListStackSetOperationResultsCommand).resolves({ Summaries: [{ Account: '222222222222', Region: 'us-east-1', Status: 'SUCCEEDED' }] })
      .on(DeleteStackSetCommand).resolves({});
    const result = await destroyStackSet(client, {}, instant);
    expect(result).toMatchObject({ stackSetDeleted: true, keptReason: null });
    expect(cfnMock.commandCalls(DeleteStackInstancesCommand)[0]?.args[0].input).toMatchObject({
      StackSetName: 'force-mfa',
      DeploymentTargets: { OrganizationalUnitIds: [OU, 'ou-ab12-99999999'] },
      Regions: ['us-east-1'],
      RetainStacks: false,
      CallAs: 'SELF',
    });
    expect(cfnMock.commandCalls(DeleteStackSetCommand)[0]?.args[0].input).toEqual({ StackSetName: 'force-mfa', CallAs: 'SELF' });
    expect(renderDestroyResult(result)).toContain('stack set force-mfa: deleted');
  });

  it('keeps the stack set when deleting a stack fails, with the account and the reason', async () => {
    cfnMock
      .on(DescribeStackSetCommand).resolves({ StackSet: { Status: 'ACTIVE', PermissionModel: 'SERVICE_MANAGED' } })
      .on(ListStackInstancesCommand).resolves({ Summaries: [instance('222222222222', 'SUCCEEDED')] })
      .on(DeleteStackInstancesCommand).resolves({ OperationId: 'op-delete' })
      .on(DescribeStackSetOperationCommand).resolves({ StackSetOperation: { Status: 'FAILED' } })
      .on(ListStackSetOperationResultsCommand).resolves({
        Summaries: [{ Account: '222222222222', Region: 'us-east-1', Status: 'FAILED', StatusReason: 'Cannot delete entity, must remove users from group first.' }],
      });
    const result = await destroyStackSet(client, { organizationalUnitIds: [OU] }, instant);
    expect(result).toMatchObject({ stackSetDeleted: false, keptReason: 'deleting its stacks ended FAILED' });
    expect(cfnMock.commandCalls(DeleteStackSetCommand)).toHaveLength(0);
    expect(renderDestroyResult(result)).toContain('failed: 222222222222 us-east-1: Cannot delete entity, must remove users from group first.');
  });

  it('has nothing to do when the stack set does not exist', async () => {
    cfnMock.on(DescribeStackSetCommand).rejects(notFound());
    await expect(destroyStackSet(client, {}, instant)).resolves.toMatchObject({ absent: true });
    expect(planStackSetDestroy({ organizationalUnitIds: [OU] }).deleteInstances.RetainStacks).toBe(false);
  });
});

describe('deploy --org (runOrgDeploy)', () => {
  it('exits 3 naming the accounts whose stack failed, even when the operation succeeded within the failure tolerance', async () => {
    cfnMock
      .on(DescribeStackSetCommand).rejects(notFound())
      .on(CreateStackSetCommand).resolves({ StackSetId: 'force-mfa:1' })
      .on(CreateStackInstancesCommand).resolves({ OperationId: 'op-create' })
      .on(DescribeStackSetOperationCommand).resolves({ StackSetOperation: { OperationId: 'op-create', Status: 'SUCCEEDED' } })
      .on(ListStackInstancesCommand)
      .resolves({ Summaries: [instance('222222222222', 'SUCCEEDED'), instance('333333333333', 'FAILED', 'ForceMfaAccess already exists.')] });
    const { runOrgDeploy } = await import('../../src/cli/commands/org-deploy.js');
    const { OrganizationsClient } = await import('@aws-sdk/client-organizations');
    const deps = { cloudFormation: client, organizations: new OrganizationsClient({ region: 'us-east-1' }), region: 'us-east-1', confirm: async () => true, run: instant };
    const streams = captureStreams();
    const failure: unknown = await runOrgDeploy({ org: true, yes: true, ou: [OU] }, deps).catch((error: unknown) => error);
    streams.restore();
    expect(failure).toMatchObject({ exitCode: 3, code: 'stack-instances-failed' });
    expect((failure as Error).message).toContain('the guard is not deployed in 333333333333 (us-east-1)');
    expect(streams.stdout.join('')).toContain('2 stack(s): 1 ok, 1 failed');
  });
});
