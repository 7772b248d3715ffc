/** The evaluator as the audit sees it: the engine's `evaluate` (src/engine/evaluate.ts) fits this shape. */
import type { Decision, EvaluationRequest, NamedPolicy } from '../engine/evaluate.js';

export type { Decision, EvaluationRequest, NamedPolicy } from '../engine/evaluate.js';

/** Throws for a policy it cannot evaluate exactly (the engine's PolicyEvaluationError names the policy). */
export type PolicyEvaluator = (request: EvaluationRequest, policies: readonly NamedPolicy[]) => { readonly decision: Decision };

/** The name of the policy an evaluation error points at, when the error says it. */
export function policyNamedByError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const location = (error as { location?: { policy?: unknown } }).location;
  return typeof location?.policy === 'string' ? location.policy : undefined;
}
