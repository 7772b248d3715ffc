/** What a lint rule is: a small pure check over one policy (or one file), named by its registry id. */
import type { ActionCatalogue } from '../engine/catalogue.js';
import type { ActionNames } from './actions.js';
import type { Probe } from './probes.js';
import type { RuleId } from './registry.js';
import type { PolicyUnderLint } from './statements.js';
import type { InputFile, Severity } from './types.js';

export interface RuleHit {
  readonly message: string;
  readonly statementIndex?: number;
  /** Only for rules whose registry entry documents another severity. */
  readonly severity?: Severity;
}

export interface FileRuleHit extends RuleHit {
  /** The policy the hit is about, when it is about one. */
  readonly policy?: PolicyUnderLint;
}

export interface LintEnvironment {
  readonly actions: ActionNames;
  /** The whole catalogue, for the rules that verify a guard over every action. */
  readonly catalogue: ActionCatalogue;
}

export interface PolicyRule {
  readonly id: RuleId;
  readonly scope: 'policy';
  check(policy: PolicyUnderLint, environment: LintEnvironment): readonly RuleHit[];
}

/** A rule that evaluates the policy; it runs only on complete, well-formed guards (see probes.ts). */
export interface EvaluationRule {
  readonly id: RuleId;
  readonly scope: 'evaluation';
  check(probe: Probe, policy: PolicyUnderLint, environment: LintEnvironment): readonly RuleHit[];
}

export interface FileRule {
  readonly id: RuleId;
  readonly scope: 'file';
  check(file: InputFile, policies: readonly PolicyUnderLint[]): readonly FileRuleHit[];
}

export type LintRule = PolicyRule | EvaluationRule | FileRule;
