/** Asks the evaluator what a member could do under a policy: the requests the evaluation rules are built on. */
import { mfaContextKeys } from '../engine/contexts.js';
import { evaluate, type Decision, type NamedPolicy } from '../engine/evaluate.js';
import { LINT_ACCOUNT_ID, LINT_PARTITION } from './assumptions.js';
import type { PolicyUnderLint } from './statements.js';

/** The two ways of calling AWS without MFA: a console session signed in without it, and long-term access keys. */
export type NoMfaContext = 'console-no-mfa' | 'access-keys';
export const NO_MFA_CONTEXTS: readonly NoMfaContext[] = ['console-no-mfa', 'access-keys'];

export const CONTEXT_LABEL: Readonly<Record<NoMfaContext, string>> = {
  'console-no-mfa': 'in a console session without MFA',
  'access-keys': 'with long-term access keys',
};

const IAM = `arn:${LINT_PARTITION}:iam::${LINT_ACCOUNT_ID}`;

/** The member the probes act as, and another user of the same account. */
export const PROBE_ARNS = {
  caller: `${IAM}:user/alice`,
  callerDevice: `${IAM}:mfa/alice`,
  callerNamedDevice: `${IAM}:mfa/alice-phone`,
  otherUser: `${IAM}:user/bob`,
  otherDevice: `${IAM}:mfa/bob`,
} as const;

/** Stands for AdministratorAccess or any other broad allow attached beside the guard. */
const ALLOW_EVERYTHING: NamedPolicy = {
  name: 'a policy that allows everything (such as AdministratorAccess)',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

export interface ProbeRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: NoMfaContext;
}

export interface Probe {
  /** The decision under this policy alone. */
  alone(request: ProbeRequest): Decision;
  /** The decision when the member also has a policy that allows everything: what the policy itself lets through. */
  besideAllowEverything(request: ProbeRequest): Decision;
}

/** Builds the probe of one policy; evaluation errors (PolicyEvaluationError) propagate to the caller. */
export function probeOf(policy: PolicyUnderLint): Probe {
  const named: NamedPolicy = { name: policy.policy.policyName ?? policy.policy.location, document: policy.policy.document };
  const decide = (request: ProbeRequest, policies: readonly NamedPolicy[]): Decision =>
    evaluate(
      {
        principalArn: PROBE_ARNS.caller,
        userId: 'AIDAEXAMPLEALICE00001',
        action: request.action,
        resource: request.resource,
        context: mfaContextKeys(request.context),
      },
      policies,
    ).decision;
  return {
    alone: (request) => decide(request, [named]),
    besideAllowEverything: (request) => decide(request, [named, ALLOW_EVERYTHING]),
  };
}
