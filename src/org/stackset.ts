/** Runs a StackSet plan: create or update, add stack instances, wait for each operation, read per-account results. */
import {
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
  type CloudFormationClient,
  type StackSet,
} from '@aws-sdk/client-cloudformation';
import { environmentError } from '../errors.js';
import { defaultSleep, withRetries, type Sleep } from '../account/aws/retry.js';
import { pageTokenGuard } from '../aws/pagination.js';
import { planStackSetDestroy, stackSetIdentity, type CallAs, type StackSetDeployPlan, type StackSetTarget } from './stackset-plan.js';
import { randomUUID } from 'node:crypto';

export interface StackSetRunOptions {
  /** Between two DescribeStackSetOperation calls (default 10 s). */
  readonly pollIntervalMs?: number;
  /** How long one operation may run before we stop waiting (default 2 h; the operation goes on in AWS). */
  readonly maxWaitMs?: number;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** One line per change worth telling: an operation started, its status changed. */
  readonly onProgress?: (line: string) => void;
}

export type OperationStatus = 'SUCCEEDED' | 'FAILED' | 'STOPPED';

export interface OperationOutcome {
  readonly operationId: string;
  readonly action: string;
  readonly status: OperationStatus;
  readonly statusReason: string | null;
  readonly failedInstances: number | null;
}

/** One account's stack in one region. */
export interface InstanceResult {
  readonly account: string;
  readonly region: string;
  readonly organizationalUnitId: string | null;
  /** The stack's ARN in the member account (its events tell why it failed); null when AWS does not say. */
  readonly stackId: string | null;
  /** CURRENT, OUTDATED or INOPERABLE (instances), or SUCCEEDED, FAILED, CANCELLED... (operation results). */
  readonly status: string;
  /** SUCCEEDED, FAILED, CANCELLED, SKIPPED_SUSPENDED_ACCOUNT...; null when AWS does not say. */
  readonly detailedStatus: string | null;
  readonly reason: string | null;
  readonly failed: boolean;
}

export interface StackSetDeployResult {
  readonly stackSetName: string;
  readonly created: boolean;
  readonly operations: readonly OperationOutcome[];
  readonly instances: readonly InstanceResult[];
  /** Every operation succeeded (instances may still have failed within the failure tolerance). */
  readonly succeeded: boolean;
}

export interface StackSetDestroyResult {
  readonly stackSetName: string;
  /** The stack set did not exist: nothing to do. */
  readonly absent: boolean;
  readonly operations: readonly OperationOutcome[];
  /** The results of the deletion, per account and region. */
  readonly results: readonly InstanceResult[];
  readonly stackSetDeleted: boolean;
  /** Why the stack set itself was kept, when it was. */
  readonly keptReason: string | null;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);

export async function deployStackSet(client: CloudFormationClient, plan: StackSetDeployPlan, options: StackSetRunOptions = {}): Promise<StackSetDeployResult> {
  const say = options.onProgress ?? (() => undefined);
  const sleep = options.sleep;
  await requireTrustedAccess(client, plan.callAs, sleep);
  const existing = await describeStackSet(client, plan.stackSetName, plan.callAs, sleep);
  if (existing !== undefined && existing.PermissionModel !== 'SERVICE_MANAGED') {
    throw environmentError(
      'stack-set-self-managed',
      `stack set ${plan.stackSetName} already exists with ${existing.PermissionModel ?? 'self-managed'} permissions: choose another stack set name`,
    );
  }
  const operations: OperationOutcome[] = [];
  if (existing === undefined) {
    // Retries of a create must not create twice: one idempotency token for all attempts of this call.
    const create = { ...plan.create, ClientRequestToken: randomUUID() };
    await call(() => client.send(new CreateStackSetCommand(create)), `CreateStackSet ${plan.stackSetName}`, sleep);
    say(`stack set ${plan.stackSetName}: created (service-managed, automatic deployment on)`);
  } else {
    const update = { ...plan.update, OperationId: randomUUID() };
    const output = await call(() => client.send(new UpdateStackSetCommand(update)), `UpdateStackSet ${plan.stackSetName}`, sleep);
    say(`stack set ${plan.stackSetName}: exists, updating its stack instances (operation ${output.OperationId ?? '?'})`);
    operations.push(await waitForOperation(client, plan.stackSetName, plan.callAs, output.OperationId, 'update', options));
  }
  if (operations.every((operation) => operation.status === 'SUCCEEDED')) {
    const instanceRequest = { ...plan.instances, OperationId: randomUUID() };
    const output = await call(() => client.send(new CreateStackInstancesCommand(instanceRequest)), `CreateStackInstances ${plan.stackSetName}`, sleep);
    say(
      `stack set ${plan.stackSetName}: adding stack instances for ${plan.organizationalUnitIds.join(', ')} in ${plan.regions.join(', ')} (operation ${output.OperationId ?? '?'})`,
    );
    operations.push(await waitForOperation(client, plan.stackSetName, plan.callAs, output.OperationId, 'create instances', options));
  }
  const instances = (await listStackInstances(client, plan.stackSetName, plan.callAs, sleep)).filter((instance) => plan.regions.includes(instance.region));
  return {
    stackSetName: plan.stackSetName,
    created: existing === undefined,
    operations,
    instances,
    succeeded: operations.every((operation) => operation.status === 'SUCCEEDED'),
  };
}

/**
 * Deletes the stacks of the OUs and regions given, or (none given) of every OU and region the stack set has stacks
 * in; then the stack set, unless stacks remain (other OUs) or the deletion failed.
 */
export async function destroyStackSet(
  client: CloudFormationClient,
  target: Omit<StackSetTarget, 'organizationalUnitIds'> & { readonly organizationalUnitIds?: readonly string[] | undefined },
  options: StackSetRunOptions = {},
): Promise<StackSetDestroyResult> {
  const say = options.onProgress ?? (() => undefined);
  const sleep = options.sleep;
  const { stackSetName, callAs } = stackSetIdentity(target);
  const existing = await describeStackSet(client, stackSetName, callAs, options.sleep);
  if (existing === undefined) {
    say(`stack set ${stackSetName}: does not exist, nothing to destroy`);
    return { stackSetName, absent: true, operations: [], results: [], stackSetDeleted: false, keptReason: null };
  }
  const before = await listStackInstances(client, stackSetName, callAs, sleep);
  const units = target.organizationalUnitIds?.length ? target.organizationalUnitIds : unique(before.map((instance) => instance.organizationalUnitId));
  const regions = target.regions?.length ? target.regions : unique(before.map((instance) => instance.region));
  const operations: OperationOutcome[] = [];
  let results: InstanceResult[] = [];
  if (units.length > 0 && regions.length > 0 && before.length > 0) {
    const plan = planStackSetDestroy({ ...target, organizationalUnitIds: units, regions });
    const deletion = { ...plan.deleteInstances, OperationId: randomUUID() };
    const output = await call(() => client.send(new DeleteStackInstancesCommand(deletion)), `DeleteStackInstances ${stackSetName}`, sleep);
    say(`stack set ${stackSetName}: deleting the stacks of ${units.join(', ')} in ${regions.join(', ')} (operation ${output.OperationId ?? '?'})`);
    const operation = await waitForOperation(client, stackSetName, callAs, output.OperationId, 'delete instances', options);
    operations.push(operation);
    results = await listOperationResults(client, stackSetName, callAs, operation.operationId, sleep);
    if (operation.status !== 'SUCCEEDED') {
      return { stackSetName, absent: false, operations, results, stackSetDeleted: false, keptReason: `deleting its stacks ended ${operation.status}` };
    }
  }
  const remaining = await listStackInstances(client, stackSetName, callAs, sleep);
  if (remaining.length > 0) {
    const where = unique(remaining.map((instance) => instance.organizationalUnitId ?? instance.account)).join(', ');
    return { stackSetName, absent: false, operations, results, stackSetDeleted: false, keptReason: `it still has ${remaining.length} stack(s) (${where})` };
  }
  await call(() => client.send(new DeleteStackSetCommand({ StackSetName: stackSetName, CallAs: callAs })), `DeleteStackSet ${stackSetName}`, sleep);
  say(`stack set ${stackSetName}: deleted`);
  return { stackSetName, absent: false, operations, results, stackSetDeleted: true, keptReason: null };
}

/** Service-managed stack sets need trusted access with Organizations; say how to turn it on rather than fail later. */
async function requireTrustedAccess(client: CloudFormationClient, callAs: CallAs, sleep: Sleep | undefined): Promise<void> {
  let status: string | undefined;
  try {
    status = (await withRetries(() => client.send(new DescribeOrganizationsAccessCommand({ CallAs: callAs })), sleep === undefined ? {} : { sleep })).Status;
  } catch {
    // Older endpoints and some emulators lack this call; CreateStackSet will say the same thing if access is off.
    return;
  }
  if (status === 'DISABLED') {
    throw environmentError(
      'stack-set-no-trusted-access',
      'CloudFormation StackSets has no trusted access to AWS Organizations: run `aws cloudformation activate-organizations-access` from the management account, then deploy again',
    );
  }
}

async function describeStackSet(client: CloudFormationClient, name: string, callAs: CallAs, sleep: Sleep | undefined): Promise<StackSet | undefined> {
  try {
    const output = await withRetries(() => client.send(new DescribeStackSetCommand({ StackSetName: name, CallAs: callAs })), sleep === undefined ? {} : { sleep });
    return output.StackSet?.Status === 'DELETED' ? undefined : output.StackSet;
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'StackSetNotFoundException') return undefined;
    throw stackSetError(`DescribeStackSet ${name}`, error);
  }
}

/** Polls until the operation ends; the status is told once per change, with the failed-stack count when known. */
export async function waitForOperation(
  client: CloudFormationClient,
  stackSetName: string,
  callAs: CallAs,
  operationId: string | undefined,
  action: string,
  options: StackSetRunOptions,
): Promise<OperationOutcome> {
  if (operationId === undefined) throw environmentError('stack-set-no-operation', `CloudFormation started no operation for ${action} on ${stackSetName}`);
  const sleep = options.sleep;
  const wait = sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const interval = options.pollIntervalMs ?? 10_000;
  const maxWait = options.maxWaitMs ?? 2 * 60 * 60 * 1000;
  const started = now();
  let told = '';
  for (;;) {
    const output = await call(
      () => client.send(new DescribeStackSetOperationCommand({ StackSetName: stackSetName, OperationId: operationId, CallAs: callAs })),
      `DescribeStackSetOperation ${operationId}`,
      sleep,
    );
    const operation = output.StackSetOperation;
    const status = operation?.Status ?? 'UNKNOWN';
    const failed = operation?.StatusDetails?.FailedStackInstancesCount;
    const line = `operation ${operationId} (${action}): ${status}${failed !== undefined && failed > 0 ? `, ${failed} stack(s) failed` : ''}`;
    if (line !== told) options.onProgress?.(line);
    told = line;
    if (FINAL.has(status)) {
      return {
        operationId,
        action,
        status: status as OperationStatus,
        statusReason: operation?.StatusReason ?? null,
        failedInstances: failed ?? null,
      };
    }
    if (now() - started >= maxWait) {
      throw environmentError(
        'stack-set-wait',
        `operation ${operationId} on stack set ${stackSetName} is still ${status} after ${Math.round(maxWait / 60000)} min: follow it with \`aws cloudformation describe-stack-set-operation --stack-set-name ${stackSetName} --operation-id ${operationId}\``,
      );
    }
    await wait(interval);
  }
}

export async function listStackInstances(client: CloudFormationClient, stackSetName: string, callAs: CallAs, sleep?: Sleep): Promise<InstanceResult[]> {
  const results: InstanceResult[] = [];
  const next = pageTokenGuard('cloudformation:ListStackInstances');
  let token: string | undefined;
  do {
    const current = token;
    const page = await call(
      () => client.send(new ListStackInstancesCommand({ StackSetName: stackSetName, CallAs: callAs, NextToken: current })),
      `ListStackInstances ${stackSetName}`,
      sleep,
    );
    for (const summary of page.Summaries ?? []) {
      const detailed = summary.StackInstanceStatus?.DetailedStatus ?? null;
      const status = summary.Status ?? 'UNKNOWN';
      results.push({
        account: summary.Account ?? '',
        region: summary.Region ?? '',
        organizationalUnitId: summary.OrganizationalUnitId ?? null,
        stackId: summary.StackId ?? null,
        status,
        detailedStatus: detailed,
        reason: summary.StatusReason ?? null,
        failed: detailed === 'FAILED' || detailed === 'CANCELLED' || status === 'INOPERABLE' || (status === 'OUTDATED' && detailed !== 'PENDING' && detailed !== 'RUNNING'),
      });
    }
    token = next(page.NextToken);
  } while (token !== undefined);
  return results;
}

async function listOperationResults(
  client: CloudFormationClient,
  stackSetName: string,
  callAs: CallAs,
  operationId: string,
  sleep: Sleep | undefined,
): Promise<InstanceResult[]> {
  const results: InstanceResult[] = [];
  const next = pageTokenGuard('cloudformation:ListStackSetOperationResults');
  let token: string | undefined;
  do {
    const current = token;
    const page = await call(
      () => client.send(new ListStackSetOperationResultsCommand({ StackSetName: stackSetName, OperationId: operationId, CallAs: callAs, NextToken: current })),
      `ListStackSetOperationResults ${operationId}`,
      sleep,
    );
    for (const summary of page.Summaries ?? []) {
      const status = summary.Status ?? 'UNKNOWN';
      results.push({
        account: summary.Account ?? '',
        region: summary.Region ?? '',
        organizationalUnitId: summary.OrganizationalUnitId ?? null,
        stackId: null,
        status,
        detailedStatus: status,
        reason: summary.StatusReason ?? null,
        failed: status === 'FAILED' || status === 'CANCELLED',
      });
    }
    token = next(page.NextToken);
  } while (token !== undefined);
  return results;
}

function unique<T>(values: readonly (T | null)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== null && value !== ''))];
}

async function call<T>(send: () => Promise<T>, operation: string, sleep: Sleep | undefined): Promise<T> {
  try {
    return await withRetries(send, sleep === undefined ? {} : { sleep });
  } catch (error) {
    throw stackSetError(operation, error);
  }
}

function stackSetError(operation: string, error: unknown): Error {
  if (error instanceof Error && error.name === 'ForceMfaError') return error;
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof name === 'string' ? name : 'error';
  const hint =
    code === 'AccessDenied' || code === 'AccessDeniedException'
      ? ': run from the management account, or from a delegated administrator with call-as DELEGATED_ADMIN'
      : /trusted access|ValidationError/i.test(`${code} ${message}`) && /organization/i.test(message)
        ? ': turn on trusted access with `aws cloudformation activate-organizations-access`'
        : '';
  return environmentError('stack-set-call-failed', `${operation} failed (${code}): ${message}${hint}`, error);
}
