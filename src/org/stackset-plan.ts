/** The guard as a service-managed StackSet: the requests to create, update, extend and delete it, computed without I/O. */
import type {
  CreateStackInstancesCommandInput,
  CreateStackSetCommandInput,
  DeleteStackInstancesCommandInput,
  StackSetOperationPreferences,
  UpdateStackSetCommandInput,
} from '@aws-sdk/client-cloudformation';
import { inputError } from '../errors.js';
import { validateSelection } from './selection.js';

export const DEFAULT_STACK_SET_NAME = 'force-mfa';
/** IAM is global: one region holds the guard of a whole account. */
export const DEFAULT_STACK_SET_REGIONS: readonly string[] = ['us-east-1'];

export type CallAs = 'SELF' | 'DELEGATED_ADMIN';

export interface OperationPreferenceOptions {
  readonly failureToleranceCount?: number | undefined;
  readonly failureTolerancePercentage?: number | undefined;
  readonly maxConcurrentCount?: number | undefined;
  readonly maxConcurrentPercentage?: number | undefined;
}

export interface StackSetTarget extends OperationPreferenceOptions {
  readonly stackSetName?: string | undefined;
  /** OUs (ou-…) or the root (r-…): every account in them and below, now and later, gets a stack. */
  readonly organizationalUnitIds: readonly string[];
  readonly regions?: readonly string[] | undefined;
  readonly callAs?: CallAs | undefined;
}

export interface StackSetDeployPlan {
  readonly stackSetName: string;
  readonly callAs: CallAs;
  readonly regions: readonly string[];
  readonly organizationalUnitIds: readonly string[];
  /** Sent when the stack set does not exist yet. */
  readonly create: CreateStackSetCommandInput;
  /** Sent when it exists: a new template for every stack instance it already has. */
  readonly update: UpdateStackSetCommandInput;
  /** Then: stacks for the accounts of the OUs that have none yet, in every region. */
  readonly instances: CreateStackInstancesCommandInput;
  /** Plain sentences to show before anything is sent. */
  readonly warnings: readonly string[];
}

export interface StackSetDestroyPlan {
  readonly stackSetName: string;
  readonly callAs: CallAs;
  readonly deleteInstances: DeleteStackInstancesCommandInput;
}

const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The stack set's name and the capacity the calls are made in, checked. */
export function stackSetIdentity(target: Pick<StackSetTarget, 'stackSetName' | 'callAs'>): { stackSetName: string; callAs: CallAs } {
  const stackSetName = target.stackSetName ?? DEFAULT_STACK_SET_NAME;
  if (!STACK_SET_NAME.test(stackSetName)) {
    throw inputError('stack-set-name', `'${stackSetName}' is not a stack set name (a letter, then letters, digits and hyphens, at most 128)`);
  }
  const callAs = target.callAs ?? 'SELF';
  if (callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') throw inputError('stack-set-call-as', `call-as must be SELF or DELEGATED_ADMIN, not '${String(callAs)}'`);
  return { stackSetName, callAs };
}

function validateTarget(target: StackSetTarget): { stackSetName: string; regions: string[]; callAs: CallAs } {
  const identity = stackSetIdentity(target);
  if (target.organizationalUnitIds.length === 0) {
    throw inputError('stack-set-no-ou', 'a stack set needs at least one organizational unit or root id to deploy to');
  }
  validateSelection({ organizationalUnitIds: target.organizationalUnitIds });
  const regions = [...new Set(target.regions ?? DEFAULT_STACK_SET_REGIONS)];
  if (regions.length === 0) throw inputError('stack-set-no-region', 'a stack set needs at least one region');
  for (const region of regions) {
    if (!REGION.test(region)) throw inputError('stack-set-region', `'${region}' is not an AWS region name (like us-east-1)`);
  }
  return { ...identity, regions };
}

/**
 * Failure tolerance and concurrency; a count and a percentage of the same setting exclude each other. Defaults: 25 %
 * of the accounts at once, 10 % may fail. Soft failure tolerance keeps the concurrency asked for whatever fails
 * (strict mode would silently cap it at the tolerance plus one).
 */
export function operationPreferences(options: OperationPreferenceOptions, regions: readonly string[]): StackSetOperationPreferences {
  const whole = (name: string, value: number | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) throw inputError('stack-set-preference', `${name} must be a whole number from ${min} to ${max}, not ${value}`);
    return value;
  };
  const toleranceCount = whole('the failure tolerance count', options.failureToleranceCount, 0, 10_000);
  const tolerancePercentage = whole('the failure tolerance percentage', options.failureTolerancePercentage, 0, 100);
  const concurrentCount = whole('the maximum concurrent count', options.maxConcurrentCount, 1, 10_000);
  const concurrentPercentage = whole('the maximum concurrent percentage', options.maxConcurrentPercentage, 1, 100);
  if (toleranceCount !== undefined && tolerancePercentage !== undefined) {
    throw inputError('stack-set-preference', 'give the failure tolerance as a count or as a percentage, not both');
  }
  if (concurrentCount !== undefined && concurrentPercentage !== undefined) {
    throw inputError('stack-set-preference', 'give the maximum concurrency as a count or as a percentage, not both');
  }
  return {
    ...(toleranceCount !== undefined ? { FailureToleranceCount: toleranceCount } : { FailureTolerancePercentage: tolerancePercentage ?? 10 }),
    ...(concurrentCount !== undefined ? { MaxConcurrentCount: concurrentCount } : { MaxConcurrentPercentage: concurrentPercentage ?? 25 }),
    ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
    RegionConcurrencyType: 'SEQUENTIAL',
    RegionOrder: [...regions],
  };
}

/** Why more than one region is a mistake for this template, said before anything is deployed. */
export function regionWarnings(regions: readonly string[], groupName: string): string[] {
  if (regions.length <= 1) return [];
  return [
    `the stack set targets ${regions.length} regions (${regions.join(', ')}), but IAM is global: every region's stack would create the ` +
      `same IAM group '${groupName}' in the same account, and all but the first fail with "already exists". One region (${DEFAULT_STACK_SET_REGIONS[0]}) covers the whole account.`,
  ];
}

export interface DeployTemplate {
  readonly templateBody: string;
  /** The guard group's name, for the warnings. */
  readonly groupName: string;
  readonly description?: string;
}

export function planStackSetDeploy(target: StackSetTarget, template: DeployTemplate): StackSetDeployPlan {
  const { stackSetName, regions, callAs } = validateTarget(target);
  const preferences = operationPreferences(target, regions);
  const organizationalUnitIds = [...new Set(target.organizationalUnitIds)];
  const description = template.description ?? 'force-mfa: the ForceMfaAccess guard in every account of the target organizational units';
  const common = {
    StackSetName: stackSetName,
    Description: description,
    TemplateBody: template.templateBody,
    Capabilities: ['CAPABILITY_NAMED_IAM' as const],
    PermissionModel: 'SERVICE_MANAGED' as const,
    // Accounts that join the OUs later get the guard without anyone acting; accounts that leave lose it.
    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    // Operations queue instead of failing while another one runs.
    ManagedExecution: { Active: true },
    CallAs: callAs,
  };
  return {
    stackSetName,
    callAs,
    regions,
    organizationalUnitIds,
    create: common,
    update: { ...common, OperationPreferences: preferences },
    instances: {
      StackSetName: stackSetName,
      DeploymentTargets: { OrganizationalUnitIds: organizationalUnitIds },
      Regions: regions,
      OperationPreferences: preferences,
      CallAs: callAs,
    },
    warnings: [
      ...regionWarnings(regions, template.groupName),
      'a service-managed stack set never deploys to the management account: protect it with a single-account deploy there.',
    ],
  };
}

/** Stacks deleted (not retained) in these OUs and regions; the stack set itself is deleted once it has none left. */
export function planStackSetDestroy(target: StackSetTarget): StackSetDestroyPlan {
  const { stackSetName, regions, callAs } = validateTarget(target);
  return {
    stackSetName,
    callAs,
    deleteInstances: {
      StackSetName: stackSetName,
      DeploymentTargets: { OrganizationalUnitIds: [...new Set(target.organizationalUnitIds)] },
      Regions: regions,
      RetainStacks: false,
      OperationPreferences: operationPreferences(target, regions),
      CallAs: callAs,
    },
  };
}
