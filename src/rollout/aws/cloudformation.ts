/** StackApi over the AWS SDK v3 CloudFormation client. */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ChangeSetDescription, ResourceChange, StackApi, StackEvent } from '../deploy/stack-api.js';
import { pageTokenGuard } from '../../aws/pagination.js';

function isMissingStack(error: unknown): boolean {
  const candidate = error as { name?: unknown; message?: unknown };
  return candidate?.name === 'ValidationError' && typeof candidate.message === 'string' && /does not exist/.test(candidate.message);
}

export async function sdkStackApi(client: CloudFormationClient): Promise<StackApi> {
  const sdk = await import('@aws-sdk/client-cloudformation');
  return {
    async describeStack(stackName) {
      try {
        const stack = (await client.send(new sdk.DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
        if (stack === undefined || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
        const outputs: Record<string, string> = {};
        for (const output of stack.Outputs ?? []) if (output.OutputKey !== undefined) outputs[output.OutputKey] = output.OutputValue ?? '';
        return { stackId: stack.StackId ?? stackName, status: stack.StackStatus ?? 'UNKNOWN', statusReason: stack.StackStatusReason, outputs };
      } catch (error) {
        if (isMissingStack(error)) return undefined;
        throw error;
      }
    },
    async createChangeSet(input) {
      await client.send(
        new sdk.CreateChangeSetCommand({
          StackName: input.stackName,
          ChangeSetName: input.changeSetName,
          ChangeSetType: input.changeSetType,
          TemplateBody: input.templateBody,
          Capabilities: [...input.capabilities] as never,
          Description: 'force-mfa deploy',
        }),
      );
    },
    async describeChangeSet(stackName, changeSetName) {
      const changes: ResourceChange[] = [];
      const next = pageTokenGuard('cloudformation:DescribeChangeSet');
      let nextToken: string | undefined;
      let first: { Status?: string; StatusReason?: string; ExecutionStatus?: string } | undefined;
      do {
        const page = await client.send(new sdk.DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName, NextToken: nextToken }));
        first ??= page;
        for (const change of page.Changes ?? []) {
          const resource = change.ResourceChange;
          if (resource === undefined) continue;
          changes.push({
            action: resource.Action ?? 'Unknown',
            logicalId: resource.LogicalResourceId ?? '',
            resourceType: resource.ResourceType ?? '',
            physicalId: resource.PhysicalResourceId,
            replacement: resource.Replacement,
            properties: [...new Set((resource.Details ?? []).map((detail) => detail.Target?.Name ?? '').filter((name) => name !== ''))],
          });
        }
        nextToken = next(page.NextToken);
      } while (nextToken !== undefined);
      const description: ChangeSetDescription = {
        status: first?.Status ?? 'UNKNOWN',
        statusReason: first?.StatusReason,
        executionStatus: first?.ExecutionStatus,
        changes,
      };
      return description;
    },
    async executeChangeSet(stackName, changeSetName) {
      await client.send(new sdk.ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    },
    async deleteChangeSet(stackName, changeSetName) {
      await client.send(new sdk.DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    },
    async describeStackEvents(stackName) {
      const page = await client.send(new sdk.DescribeStackEventsCommand({ StackName: stackName }));
      return (page.StackEvents ?? []).map(
        (event): StackEvent => ({
          eventId: event.EventId ?? '',
          timestamp: event.Timestamp ?? new Date(0),
          logicalId: event.LogicalResourceId ?? '',
          resourceType: event.ResourceType ?? '',
          status: event.ResourceStatus ?? '',
          reason: event.ResourceStatusReason,
        }),
      );
    },
    async deleteStack(stackName) {
      await client.send(new sdk.DeleteStackCommand({ StackName: stackName }));
    },
  };
}
