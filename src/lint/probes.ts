/** Asks the evaluator what a member could do under a policy: the requests the evaluation rules are built on. */
import { mfaContextKeys } from '../engine/contexts.js';
import { evaluate, type Decision, type NamedPolicy } from '../engine/evaluate.js';
import { LINT_ACCOUNT_ID, LINT_PARTITION } from './assumptions.js';
import type { PolicyUnderLint } from './statements.js';

/** The two ways of calling AWS without MFA: a console session signed in without it, and long-term access keys. */
export type NoMfaContext = 'console-no-mfa' | 'access-keys';
export const NO_MFA_CONTEXTS: readonly NoMfaContext[] = ['console-no-mfa', 'access-keys'];

export const CONTEXT_LABEL: Readonly<Record<NoMfaContext, string>> = {
  'console-no-mfa': 'console session',
  'access-keys': 'long-term access keys',
};

/** The member the probes act as (`alice`), and another user of the same account (`bob`). */
export interface ProbeArns {
  readonly caller: string;
  readonly callerDevice: string;
  readonly callerNamedDevice: string;
  readonly otherUser: string;
  readonly otherDevice: string;
}

export function probeArns(partition: string): ProbeArns {
  const iam = `arn:${partition}:iam::${LINT_ACCOUNT_ID}`;
  return {
    caller: `${iam}:user/alice`,
    callerDevice: `${iam}:mfa/alice`,
    callerNamedDevice: `${iam}:mfa/alice-phone`,
    otherUser: `${iam}:user/bob`,
    otherDevice: `${iam}:mfa/bob`,
  };
}

/** The partition the policy's ARNs name (a guard for aws-cn is probed as a user of aws-cn); `aws` otherwise. */
export function partitionOf(policy: PolicyUnderLint): string {
  const partitions = new Set(
    policy.statements.flatMap((statement) => [...statement.resources, ...statement.notResources]).flatMap((arn) => /^arn:(aws[\w-]*):/.exec(arn)?.[1] ?? []),
  );
  return partitions.size === 1 ? ([...partitions][0] as string) : LINT_PARTITION;
}

/** Stands for AdministratorAccess or any other broad allow attached beside the guard. */
export const ALLOW_EVERYTHING: NamedPolicy = {
  name: 'a policy that allows everything (such as AdministratorAccess)',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

export interface ProbeRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: NoMfaContext;
}

export interface Probe {
  readonly arns: ProbeArns;
  /** The decision under this policy alone. */
  alone(request: ProbeRequest): Decision;
  /** The decision when the member also has a policy that allows everything: what the policy itself lets through. */
  besideAllowEverything(request: ProbeRequest): Decision;
}

/** Builds the probe of one policy; evaluation errors (PolicyEvaluationError) propagate to the caller. */
export function probeOf(policy: PolicyUnderLint): Probe {
  const named: NamedPolicy = { name: policy.policy.policyName ?? policy.policy.location, document: policy.policy.document };
  const arns = probeArns(partitionOf(policy));
  const decide = (request: ProbeRequest, policies: readonly NamedPolicy[]): Decision =>
    evaluate(
      {
        principalArn: arns.caller,
        userId: 'AIDAEXAMPLEALICE00001',
        action: request.action,
        resource: request.resource,
        context: mfaContextKeys(request.context),
      },
      policies,
    ).decision;
  return {
    arns,
    alone: (request) => decide(request, [named]),
    besideAllowEverything: (request) => decide(request, [named, ALLOW_EVERYTHING]),
  };
}
