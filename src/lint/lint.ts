/** Runs every lint rule over the policies of the input files and collects the findings. */
import type { ActionCatalogue } from '../engine/catalogue.js';
import { findPolicyProblems } from '../engine/validate.js';
import { actionNames } from './actions.js';
import { isPolicyEvaluationError } from '../engine/policy-error.js';
import { hasMfaDeny } from './guard-shape.js';
import { probeOf } from './probes.js';
import { ruleMetadata, type RuleId } from './registry.js';
import type { LintEnvironment, RuleHit } from './rule.js';
import { LINT_RULES } from './rules/index.js';
import { readPolicy, type PolicyUnderLint } from './statements.js';
import type { InputFile, LintFinding, Severity } from './types.js';

export interface LintResult {
  readonly files: readonly { readonly file: string; readonly format: InputFile['format']; readonly policies: number }[];
  readonly findings: readonly LintFinding[];
  readonly counts: Readonly<Record<Severity, number>>;
}

/** What the rules need of the catalogue: action names for spelling, the whole of it for exhaustive checks. */
export function lintEnvironment(catalogue: ActionCatalogue): LintEnvironment {
  return { actions: actionNames(catalogue.actions.map((action) => action.name)), catalogue };
}

export function lintInputs(inputs: readonly InputFile[], environment: LintEnvironment): LintResult {
  const findings: LintFinding[] = [];
  for (const input of inputs) {
    const policies = input.policies.map(readPolicy).map(withEngineProblems);
    for (const policy of policies) findings.push(...inReadingOrder(lintPolicy(policy.policyUnderLint, policy.engineProblems, environment)));
    for (const rule of LINT_RULES) {
      if (rule.scope !== 'file') continue;
      for (const hit of rule.check(input, policies.map((policy) => policy.policyUnderLint))) {
        findings.push(
          hit.policy === undefined ? finding(rule.id, hit, input.file) : finding(rule.id, hit, input.file, hit.policy),
        );
      }
    }
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const item of findings) counts[item.severity] += 1;
  return {
    files: inputs.map((input) => ({ file: input.file, format: input.format, policies: input.policies.length })),
    findings,
    counts,
  };
}

/** The evaluator's own validation catches what the linter's shape check does not (operators, values, ARNs). */
function withEngineProblems(policy: PolicyUnderLint): { policyUnderLint: PolicyUnderLint; engineProblems: RuleHit[] } {
  if (!policy.evaluable) return { policyUnderLint: policy, engineProblems: [] };
  const problems = findPolicyProblems(policy.policy.document, policy.policy.policyName ?? policy.policy.location);
  if (problems.length === 0) return { policyUnderLint: policy, engineProblems: [] };
  const hits = problems.map((problem): RuleHit => {
    const statement = problem.statementIndex === undefined ? undefined : policy.statements[problem.statementIndex];
    return statement === undefined
      ? { message: problem.problem }
      : { statementIndex: statement.index, message: `${problem.problem}` };
  });
  return { policyUnderLint: { ...policy, evaluable: false }, engineProblems: hits };
}

function lintPolicy(policy: PolicyUnderLint, engineProblems: readonly RuleHit[], environment: LintEnvironment): LintFinding[] {
  const findings: LintFinding[] = engineProblems.map((hit) => finding('FMFA013', hit, policy.policy.file, policy));
  for (const rule of LINT_RULES) {
    if (rule.scope !== 'policy') continue;
    for (const hit of rule.check(policy, environment)) findings.push(finding(rule.id, hit, policy.policy.file, policy));
  }
  // The evaluation rules describe what a guard lets through; a policy without an MFA deny is FMFA008's concern.
  if (!policy.evaluable || !hasMfaDeny(policy)) return findings;
  const probe = probeOf(policy);
  try {
    for (const rule of LINT_RULES) {
      if (rule.scope !== 'evaluation') continue;
      for (const hit of rule.check(probe, policy, environment)) findings.push(finding(rule.id, hit, policy.policy.file, policy));
    }
  } catch (error) {
    if (!isPolicyEvaluationError(error)) throw error;
    findings.push(finding('FMFA013', { message: `the policy cannot be evaluated exactly: ${error.problem}` }, policy.policy.file, policy));
  }
  return findings;
}

/** Findings about the whole policy first, then statement by statement; rule ids in order within each. */
function inReadingOrder(findings: readonly LintFinding[]): LintFinding[] {
  return [...findings].sort(
    (a, b) => (a.statementIndex ?? -1) - (b.statementIndex ?? -1) || a.ruleId.localeCompare(b.ruleId),
  );
}

function finding(ruleId: RuleId, hit: RuleHit, file: string, policy?: PolicyUnderLint): LintFinding {
  const rule = ruleMetadata(ruleId);
  const statement = hit.statementIndex === undefined ? undefined : policy?.statements[hit.statementIndex];
  return {
    ruleId,
    ruleName: rule.name,
    severity: hit.severity ?? rule.severity,
    file,
    ...(policy === undefined ? {} : { location: policy.policy.location }),
    ...(policy?.policy.policyName === undefined ? {} : { policyName: policy.policy.policyName }),
    ...(hit.statementIndex === undefined ? {} : { statementIndex: hit.statementIndex }),
    ...(statement?.sid === undefined ? {} : { sid: statement.sid }),
    message: hit.message,
    fix: rule.fix,
    ...sourcePathOf(policy, hit.statementIndex),
  };
}

/** The statement's path in the file when the policy's place is known; the single-statement form has no index. */
function sourcePathOf(policy: PolicyUnderLint | undefined, statementIndex: number | undefined): { sourcePath?: readonly (string | number)[] } {
  const source = policy?.policy.source;
  if (source === undefined) return policy === undefined ? { sourcePath: [] } : {};
  if (statementIndex === undefined) return { sourcePath: source.path };
  return { sourcePath: [...source.path, source.statementKey, statementIndex] };
}
