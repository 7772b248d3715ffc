/**
 * The lint rules over the IAM resources of one synthesized CDK stack (pure: the stack's template is data), for the
 * ForceMfaChecks NagPack. The template is read with the same CloudFormation reader as `force-mfa lint`, so a finding
 * here is the finding `force-mfa lint cdk.out/STACK.template.json` reports on the same resource.
 */
import { lintInputs } from '../lint/lint.js';
import { ruleMetadata, type RuleId } from '../lint/registry.js';
import type { LintEnvironment } from '../lint/rule.js';
import { cloudFormationPolicies } from '../lint/sources/cloudformation.js';
import type { ExtractedPolicy, LintFinding } from '../lint/types.js';

/** The CloudFormation types whose policies are checked: inline policies of holders, and policy resources. */
export const POLICY_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::IAM::Group',
  'AWS::IAM::User',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::GroupPolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::RolePolicy',
]);

/**
 * Rules about a whole file: in a CDK app they are about the guard only. Any other role or user of the app has no MFA
 * deny and needs none; the guard group must have one.
 */
const GUARD_ONLY_RULES: ReadonlySet<string> = new Set<RuleId>(['FMFA008', 'FMFA016']);

/** The policies of one stack's template, read once and looked up per resource. */
export interface StackPolicies {
  readonly file: string;
  readonly byLogicalId: ReadonlyMap<string, readonly ExtractedPolicy[]>;
}

export function stackPolicies(file: string, template: Record<string, unknown>): StackPolicies {
  const byLogicalId = new Map<string, ExtractedPolicy[]>();
  for (const policy of cloudFormationPolicies(file, template)) {
    const logicalId = /^Resources\.([^.[]+)/.exec(policy.location)?.[1];
    if (logicalId === undefined) continue;
    byLogicalId.set(logicalId, [...(byLogicalId.get(logicalId) ?? []), policy]);
  }
  return { file, byLogicalId };
}

/**
 * The findings on one resource. `guard` says the resource is a force-mfa guard group (a ForceMfaGroup's group): only
 * then is a missing MFA deny a finding, as no other role, user or policy of an app needs one. Every policy that does
 * hold an MFA deny is evaluated as a guard wherever it sits.
 */
export function resourceFindings(policies: StackPolicies, logicalId: string, guard: boolean, environment: LintEnvironment): LintFinding[] {
  const own = policies.byLogicalId.get(logicalId) ?? [];
  if (own.length === 0) return guard ? [guardWithoutPolicy(policies.file, logicalId)] : [];
  const { findings } = lintInputs([{ file: policies.file, format: 'cloudformation', policies: own }], environment);
  return guard ? [...findings] : findings.filter((finding) => !GUARD_ONLY_RULES.has(finding.ruleId));
}

function guardWithoutPolicy(file: string, logicalId: string): LintFinding {
  const rule = ruleMetadata('FMFA008');
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    severity: rule.severity,
    file,
    location: `Resources.${logicalId}`,
    message: 'the guard group has no inline policy: nothing denies its members requests made without MFA',
    fix: rule.fix,
  };
}
