/** Deploy and destroy the guard stack through CloudFormation change sets, following stack events while waiting. */
import { environmentError } from '../../errors.js';
import { CHANGE_SET_SETTLED, changeSetView, isNoChangesReason, type ChangeSetView } from './change-set.js';
import { poll, type PollOptions } from './poll.js';
import type { ChangeSetType, StackApi, StackEvent, StackSummary } from './stack-api.js';

/** The group has a fixed name (NAMED_IAM); the auto-enroll function's role is an unnamed IAM resource (IAM). */
export const DEPLOY_CAPABILITIES: readonly string[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'];

export interface PreparedDeployment {
  readonly stackName: string;
  readonly changeSetName: string;
  readonly changeSetType: ChangeSetType;
  readonly view: ChangeSetView;
}

export interface StackOutcome {
  readonly status: string;
  readonly succeeded: boolean;
  /** Events whose status ends in _FAILED, oldest first: the reasons to show. */
  readonly failures: readonly StackEvent[];
}

export interface FollowOptions {
  readonly poll?: PollOptions;
  readonly onEvent?: (event: StackEvent) => void;
}

const SUCCESS = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'IMPORT_COMPLETE'];

function isSettled(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS') || status === 'REVIEW_IN_PROGRESS';
}

/** A stack that cannot take a change set right now gets one line saying what to do. */
function assertDeployable(stackName: string, stack: StackSummary | undefined): void {
  if (stack === undefined) return;
  if (stack.status === 'ROLLBACK_COMPLETE' || stack.status === 'ROLLBACK_FAILED') {
    throw environmentError('stack-needs-delete', `stack ${stackName} is ${stack.status} (its creation failed): delete it, then deploy again`);
  }
  if (!isSettled(stack.status)) {
    throw environmentError('stack-busy', `stack ${stackName} is ${stack.status}: wait until it finishes, then deploy again`);
  }
}

export async function prepareDeployment(
  api: StackApi,
  request: { readonly stackName: string; readonly templateBody: string; readonly changeSetName: string },
  options: PollOptions = {},
): Promise<PreparedDeployment> {
  const stack = await api.describeStack(request.stackName);
  assertDeployable(request.stackName, stack);
  const changeSetType: ChangeSetType = stack === undefined || stack.status === 'REVIEW_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
  await api.createChangeSet({
    stackName: request.stackName,
    changeSetName: request.changeSetName,
    changeSetType,
    templateBody: request.templateBody,
    capabilities: DEPLOY_CAPABILITIES,
  });
  const description = await poll(
    `change set ${request.changeSetName}`,
    () => api.describeChangeSet(request.stackName, request.changeSetName),
    (value) => CHANGE_SET_SETTLED.includes(value.status),
    { intervalMs: 2000, ...options },
  );
  const prepared = { stackName: request.stackName, changeSetName: request.changeSetName, changeSetType, view: changeSetView(description) };
  if (description.status === 'FAILED') {
    await discardDeployment(api, prepared);
    if (isNoChangesReason(description.statusReason)) return prepared;
    throw environmentError('change-set-failed', `CloudFormation could not create the change set: ${description.statusReason ?? 'no reason given'}`);
  }
  return prepared;
}

/** Deletes an unexecuted change set; for a new stack also the empty REVIEW_IN_PROGRESS stack it created. */
export async function discardDeployment(api: StackApi, prepared: PreparedDeployment): Promise<void> {
  await api.deleteChangeSet(prepared.stackName, prepared.changeSetName);
  if (prepared.changeSetType === 'CREATE') {
    const stack = await api.describeStack(prepared.stackName);
    if (stack?.status === 'REVIEW_IN_PROGRESS') await api.deleteStack(prepared.stackName);
  }
}

/** Events not seen before, oldest first (DescribeStackEvents lists newest first). */
async function newEvents(api: StackApi, stackRef: string, seen: Set<string>): Promise<StackEvent[]> {
  const fresh = (await api.describeStackEvents(stackRef)).filter((event) => !seen.has(event.eventId)).reverse();
  for (const event of fresh) seen.add(event.eventId);
  return fresh;
}

/**
 * Waits for the stack to settle, reporting each new event; a vanished stack counts as deleted. Right after the
 * request the stack may still show its previous status, so it counts as settled only once it has moved (a new
 * status or a new event).
 */
async function follow(
  api: StackApi,
  stackName: string,
  stackRef: string,
  seen: Set<string>,
  previousStatus: string | undefined,
  options: FollowOptions,
): Promise<StackOutcome> {
  const failures: StackEvent[] = [];
  let moved = false;
  const report = async (stack: StackSummary | undefined): Promise<void> => {
    if (stack === undefined || stack.status !== previousStatus || !isSettled(stack.status)) moved = true;
    for (const event of await newEvents(api, stackRef, seen)) {
      moved = true;
      if (event.status.endsWith('_FAILED')) failures.push(event);
      options.onEvent?.(event);
    }
  };
  const final = await poll(
    `stack ${stackName}`,
    () => api.describeStack(stackName),
    (stack) => moved && (stack === undefined || isSettled(stack.status)),
    options.poll,
    report,
  );
  const status = final?.status ?? 'DELETE_COMPLETE';
  return { status, succeeded: SUCCESS.includes(status), failures };
}

export async function executeDeployment(api: StackApi, prepared: PreparedDeployment, options: FollowOptions = {}): Promise<StackOutcome> {
  const before = await api.describeStack(prepared.stackName);
  const seen = new Set<string>();
  if (before !== undefined) await newEvents(api, before.stackId, seen);
  await api.executeChangeSet(prepared.stackName, prepared.changeSetName);
  const stackRef = before?.stackId ?? (await api.describeStack(prepared.stackName))?.stackId ?? prepared.stackName;
  return follow(api, prepared.stackName, stackRef, seen, before?.status, options);
}

export async function destroyStack(api: StackApi, stack: StackSummary, stackName: string, options: FollowOptions = {}): Promise<StackOutcome> {
  const seen = new Set<string>();
  await newEvents(api, stack.stackId, seen);
  await api.deleteStack(stackName);
  // Events are read by stack id: a deleted stack can no longer be found by name.
  return follow(api, stackName, stack.stackId, seen, stack.status, options);
}

/** One line for an event, as printed while waiting. */
export function formatStackEvent(event: StackEvent): string {
  const time = event.timestamp.toISOString().slice(11, 19);
  const reason = event.reason === undefined || event.reason === '' ? '' : `  ${event.reason}`;
  return `${time}  ${event.status.padEnd(28)}  ${event.resourceType.padEnd(28)}  ${event.logicalId}${reason}`;
}

/** One line summarizing a failed stack operation: its final status and the first failure's reason. */
export function failureSummary(stackName: string, outcome: StackOutcome): string {
  const first = outcome.failures.find((event) => event.reason !== undefined && !/cancelled|canceled/i.test(event.reason)) ?? outcome.failures[0];
  const cause = first === undefined ? '' : `: ${first.logicalId} (${first.resourceType}) ${first.reason ?? first.status}`;
  return `stack ${stackName} ended ${outcome.status}${cause}`;
}
