/** Builds the guard (group name, policy name, policy document) from options; the one source every renderer uses. */
import { inputError } from '../errors.js';
import type { PolicyDocument } from './document.js';
import { resolveGuardOptions, type GuardOptions, type GuardProfileName } from './options.js';
import { recommendedBootstrapActions, recommendedPolicy } from './recommended.js';
import { SEED_GROUP_NAME, SEED_POLICY, SEED_POLICY_NAME } from './seed.js';

/** IAM quota: all inline policies of one group together, in characters, white space not counted. */
export const GROUP_INLINE_POLICY_LIMIT = 5120;

export interface GuardDefinition {
  readonly profile: GuardProfileName;
  readonly groupName: string;
  readonly policyName: string;
  readonly document: PolicyDocument;
  /** Actions a member may call without MFA, as the guard's deny exempts them. */
  readonly bootstrapActions: readonly string[];
  readonly options: GuardOptions;
}

export function buildGuard(partial: Partial<GuardOptions> = {}): GuardDefinition {
  const options = resolveGuardOptions(partial);
  const guard: GuardDefinition =
    options.profile === 'seed'
      ? {
          profile: 'seed',
          groupName: SEED_GROUP_NAME,
          policyName: SEED_POLICY_NAME,
          document: SEED_POLICY,
          bootstrapActions: seedBootstrapActions(),
          options,
        }
      : {
          profile: 'recommended',
          groupName: options.groupName,
          policyName: options.policyName,
          document: recommendedPolicy(options),
          bootstrapActions: recommendedBootstrapActions(options),
          options,
        };
  assertWithinSizeLimit(guard.document);
  return guard;
}

/**
 * The actions that setting MFA up needs without MFA, as force-mfa's profiles exempt them (a first password change
 * included): what a guard may leave usable without MFA before it opens more than MFA setup.
 */
export function mfaSetupActions(): readonly string[] {
  const recommended = recommendedBootstrapActions(resolveGuardOptions({ allowPasswordChangeWithoutMfa: true }));
  return [...new Set([...seedBootstrapActions(), ...recommended])].sort();
}

function seedBootstrapActions(): string[] {
  const deny = SEED_POLICY.Statement[0];
  const listed = deny?.NotAction;
  return listed === undefined ? [] : typeof listed === 'string' ? [listed] : [...listed];
}

/** Size as IAM counts it: the JSON text without white space. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).replace(/\s+/g, '').length;
}

export function assertWithinSizeLimit(document: PolicyDocument, limit: number = GROUP_INLINE_POLICY_LIMIT): void {
  const size = policySize(document);
  if (size > limit) {
    throw inputError(
      'policy-too-large',
      `the guard policy is ${size} characters, over IAM's limit of ${limit} for a group's inline policies: exempt fewer extra actions or users`,
    );
  }
}
