/** The narrow view of CloudFormation that deploy and destroy need; the SDK adapter is ../aws/cloudformation.ts. */

export interface StackSummary {
  readonly stackId: string;
  readonly status: string;
  readonly statusReason: string | undefined;
  readonly outputs: Readonly<Record<string, string>>;
  /** The stack's parameter values (the guard's group name is the parameter GroupName). */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface ResourceChange {
  readonly action: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId: string | undefined;
  /** 'True' | 'False' | 'Conditional' for modifications. */
  readonly replacement: string | undefined;
  /** Top-level properties that change, for modifications. */
  readonly properties: readonly string[];
}

export interface ChangeSetDescription {
  readonly status: string;
  readonly statusReason: string | undefined;
  readonly executionStatus: string | undefined;
  readonly changes: readonly ResourceChange[];
}

export interface StackEvent {
  readonly eventId: string;
  readonly timestamp: Date;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly reason: string | undefined;
}

export type ChangeSetType = 'CREATE' | 'UPDATE';

export interface CreateChangeSetInput {
  readonly stackName: string;
  readonly changeSetName: string;
  readonly changeSetType: ChangeSetType;
  readonly templateBody: string;
  readonly capabilities: readonly string[];
}

export interface StackApi {
  /** The stack, or undefined when there is none of that name (deleted stacks count as none). */
  describeStack(stackName: string): Promise<StackSummary | undefined>;
  createChangeSet(input: CreateChangeSetInput): Promise<void>;
  /** Every page of the change set's changes. */
  describeChangeSet(stackName: string, changeSetName: string): Promise<ChangeSetDescription>;
  executeChangeSet(stackName: string, changeSetName: string): Promise<void>;
  deleteChangeSet(stackName: string, changeSetName: string): Promise<void>;
  /** The most recent events, newest first (one page is enough when polled often). */
  describeStackEvents(stackName: string): Promise<StackEvent[]>;
  deleteStack(stackName: string): Promise<void>;
}
