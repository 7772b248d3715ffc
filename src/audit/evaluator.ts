/** The evaluator as the audit sees it: the engine's `evaluate` (src/engine/evaluate.ts) fits this shape. */

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface NamedPolicy {
  readonly name: string;
  readonly document: unknown;
}

export interface EvaluationRequest {
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly principalTags?: Readonly<Record<string, string>>;
  readonly userId?: string;
}

/** Throws for a policy it cannot evaluate exactly (the engine's PolicyEvaluationError names the policy). */
export type PolicyEvaluator = (request: EvaluationRequest, policies: readonly NamedPolicy[]) => { readonly decision: Decision };

/** The name of the policy an evaluation error points at, when the error says it. */
export function policyNamedByError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const location = (error as { location?: { policy?: unknown } }).location;
  return typeof location?.policy === 'string' ? location.policy : undefined;
}
