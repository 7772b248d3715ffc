/** The linter's data: rule metadata, policies found in input files, and the findings reported on them. */

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/** True when `severity` is at least as serious as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export interface RuleMetadata {
  /** Stable identifier, `FMFA` and three digits; never reused. */
  readonly id: string;
  /** Short kebab-case name, for people. */
  readonly name: string;
  readonly severity: Severity;
  /** When a rule may report another severity than its default, why (for the generated documentation). */
  readonly severityNote?: string;
  readonly title: string;
  readonly why: string;
  readonly fix: string;
}

/** The kind of file a policy came from. */
export type InputFormat = 'policy' | 'cloudformation' | 'terraform';

/** A value inside a policy document that the linter could not resolve (an intrinsic function, an interpolation). */
export interface UnresolvedValue {
  /** Path inside the policy document, e.g. `['Statement', 1, 'Resource', 0]`; `[]` for the whole document. */
  readonly path: readonly (string | number)[];
  readonly reason: string;
}

/** One IAM policy document found in an input file. */
export interface ExtractedPolicy {
  readonly file: string;
  /** Where the document sits in the file, e.g. `Resources.ForceMfaAccess.Policies[0]`. */
  readonly location: string;
  readonly policyName?: string;
  /** What the policy is attached to, as IAM names it, e.g. `group ForceMfaAccess`. */
  readonly attachedTo?: string;
  /** The parsed document, intrinsic functions resolved where possible (unresolved ones stay as they were). */
  readonly document: unknown;
  readonly unresolved: readonly UnresolvedValue[];
  /** Set when the document is text that does not parse (a policy given as a JSON string). */
  readonly parseError?: string;
  /** IAM's size limit for this kind of policy, when the file says which kind it is. */
  readonly sizeLimit?: { readonly limit: number; readonly kind: string };
  /** Where the document sits in the file's parsed content, for line and column; absent for a policy given as data. */
  readonly source?: PolicySource;
}

/** The path of a policy document inside its file's content, and the key of its statement list there. */
export interface PolicySource {
  readonly path: readonly (string | number)[];
  /** `Statement` in IAM JSON, `statement` in Terraform's aws_iam_policy_document. */
  readonly statementKey: string;
}

export interface InputFile {
  readonly file: string;
  readonly format: InputFormat;
  readonly policies: readonly ExtractedPolicy[];
}

export interface LintFinding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly file: string;
  /** The policy's place in the file; absent for findings about the whole file. */
  readonly location?: string;
  readonly policyName?: string;
  /** Index of the statement in the policy's Statement list, when the finding is about one statement. */
  readonly statementIndex?: number;
  readonly sid?: string;
  readonly message: string;
  readonly fix: string;
  /** Path in the file's parsed content of the statement (or the policy, or nothing for the whole file). */
  readonly sourcePath?: readonly (string | number)[];
}
