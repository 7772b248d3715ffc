/** force-mfa lint: checks IAM policies, CloudFormation templates and Terraform JSON for the MFA guard's pitfalls. */
export { readLintInput, groupPolicyInput } from './inputs.js';
export { lintEnvironment, lintInputs, type LintResult } from './lint.js';
export { actionNames, type ActionNames } from './actions.js';
export { RULES, ruleMetadata, type RuleId } from './registry.js';
export { renderRulesDoc } from './docs.js';
export { formatLintText, lintJson, failsAt, findingPlace, FAIL_ON_VALUES, type FailOn, type LintJson } from './report.js';
export type { ExtractedPolicy, InputFile, InputFormat, LintFinding, RuleMetadata, Severity, UnresolvedValue } from './types.js';
