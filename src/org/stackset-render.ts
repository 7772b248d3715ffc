/** StackSet results as plain text: one line per account and region, failures with their reason and where to look. */
import type { InstanceResult, OperationOutcome, StackSetDeployResult, StackSetDestroyResult } from './stackset.js';

export function renderOperations(operations: readonly OperationOutcome[]): string[] {
  return operations.map(
    (operation) =>
      `operation ${operation.operationId} (${operation.action}): ${operation.status}${operation.statusReason === null ? '' : ` — ${operation.statusReason}`}`,
  );
}

export function renderInstances(instances: readonly InstanceResult[]): string[] {
  if (instances.length === 0) return ['no stack instances'];
  const rows = [...instances]
    .sort((a, b) => Number(b.failed) - Number(a.failed) || a.account.localeCompare(b.account) || a.region.localeCompare(b.region))
    .map((instance) => [
      instance.account,
      instance.region,
      instance.organizationalUnitId ?? '-',
      instance.detailedStatus === null || instance.detailedStatus === instance.status ? instance.status : `${instance.status} ${instance.detailedStatus}`,
    ]);
  const header = ['account', 'region', 'OU', 'status'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const lines = [line(header), ...rows.map(line)];
  for (const instance of instances.filter((candidate) => candidate.failed)) {
    lines.push(`failed: ${instance.account} ${instance.region}: ${instance.reason ?? 'no reason given'}`);
    if (instance.stackId !== null) {
      lines.push(
        `  its stack events: aws cloudformation describe-stack-events --stack-name ${instance.stackId} --region ${instance.region} (with credentials of account ${instance.account})`,
      );
    }
  }
  const failed = instances.filter((instance) => instance.failed).length;
  lines.push(`${instances.length} stack(s): ${instances.length - failed} ok, ${failed} failed`);
  return lines;
}

export function renderDeployResult(result: StackSetDeployResult): string {
  return [
    `stack set ${result.stackSetName}: ${result.created ? 'created' : 'updated'}`,
    ...renderOperations(result.operations),
    '',
    ...renderInstances(result.instances),
  ].join('\n');
}

export function renderDestroyResult(result: StackSetDestroyResult): string {
  if (result.absent) return `stack set ${result.stackSetName}: does not exist, nothing to destroy`;
  return [
    ...renderOperations(result.operations),
    ...(result.results.length > 0 ? ['', ...renderInstances(result.results)] : []),
    '',
    result.stackSetDeleted ? `stack set ${result.stackSetName}: deleted` : `stack set ${result.stackSetName}: kept, because ${result.keptReason ?? 'of an unknown reason'}`,
  ].join('\n');
}
