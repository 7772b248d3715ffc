/** Evaluates one request against identity-based policies (and optional SCP layers), as IAM does, with a trace. */
import { inputError } from '../errors.js';
import {
  actionMatches,
  compilePolicy,
  conditionHolds,
  resolvedResourceText,
  resourceMatches,
  statementApplies,
  type CompiledPolicy,
  type CompiledStatement,
  type KeyLookup,
  type NamedPolicy,
} from './compile.js';
import { parsePrincipal, principalKeys } from './principal.js';

export type { NamedPolicy } from './compile.js';
export { PolicyEvaluationError, isPolicyEvaluationError } from './policy-error.js';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface EvaluationRequest {
  /** IAM user ARN, with or without a path (role and assumed-role ARNs are accepted too). */
  readonly principalArn: string;
  /** `service:Action`, no wildcards. */
  readonly action: string;
  /** An ARN, or `*` for actions that take no resource. */
  readonly resource: string;
  /** Request keys; a key that is not given is absent. Keys are case-insensitive; given keys override derived ones. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly principalTags?: Readonly<Record<string, string>>;
  /** aws:userid; a stable placeholder is used when not given. */
  readonly userId?: string;
}

/**
 * Service control policies, outermost layer first. An element that is a single policy is a layer of its own; a list
 * is one layer with several policies. Every layer must allow the request and none may deny it.
 */
export type ScpLayers = readonly (NamedPolicy | readonly NamedPolicy[])[];

export interface EvaluationOptions {
  readonly trace?: boolean;
  readonly scps?: ScpLayers;
}

export type PolicyElement = 'Action' | 'NotAction' | 'Resource' | 'NotResource' | 'Condition';

export interface ConditionTrace {
  readonly operator: string;
  readonly key: string;
  readonly policyValues: readonly string[];
  /** The request's values for the key; undefined when the key is absent. */
  readonly requestValues: readonly string[] | undefined;
  readonly holds: boolean;
}

export interface StatementTrace {
  /** `identity`, or `scp:<n>` for the n-th SCP layer (from 1). */
  readonly layer: string;
  readonly policy: string;
  /** Sid, or `#n` numbered from 1. */
  readonly statement: string;
  readonly index: number;
  readonly effect: 'Allow' | 'Deny';
  readonly applies: boolean;
  /** The first element that did not match, when the statement does not apply. */
  readonly failed?: PolicyElement;
  /** One sentence: why the statement applies or not. */
  readonly reason: string;
  readonly conditions: readonly ConditionTrace[];
}

export interface Evaluation {
  readonly decision: Decision;
  /** Which layer decided a denial: the identity policies or an SCP layer. */
  readonly deniedBy?: string;
  readonly trace?: readonly StatementTrace[];
}

const ACTION_NAME = /^[A-Za-z0-9-]+:[A-Za-z0-9_.-]+$/;

const contextCache = new Map<string, ReadonlyMap<string, readonly string[]>>();

/** The full request context: keys derived from the principal, then the request's own keys (lower-cased). */
export function requestContext(request: EvaluationRequest): ReadonlyMap<string, readonly string[]> {
  const cacheKey = JSON.stringify([request.principalArn, request.principalTags ?? {}, request.userId ?? null, request.context ?? {}]);
  const cached = contextCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const keys = principalKeys(parsePrincipal(request.principalArn), request.principalTags, request.userId);
  for (const [key, value] of Object.entries(request.context ?? {})) {
    keys.set(key.toLowerCase(), typeof value === 'string' ? [value] : [...value]);
  }
  if (contextCache.size > 1000) contextCache.clear();
  contextCache.set(cacheKey, keys);
  return keys;
}

/** Refuses a request whose action or resource is not well formed. */
export function checkRequest(request: EvaluationRequest): void {
  if (typeof request.action !== 'string' || !ACTION_NAME.test(request.action)) {
    throw inputError('request-action', `action "${String(request.action)}" is not of the form service:ActionName`);
  }
  if (typeof request.resource !== 'string' || request.resource === '') {
    throw inputError('request-resource', 'the resource must be an ARN or "*"');
  }
}

function layersOf(scps: ScpLayers | undefined): (readonly NamedPolicy[])[] {
  return (scps ?? []).map((layer) => (Array.isArray(layer) ? (layer as readonly NamedPolicy[]) : [layer as NamedPolicy]));
}

/** Explicit deny (in any layer) wins; otherwise the identity policies and every SCP layer must allow. */
export function evaluate(request: EvaluationRequest, policies: readonly NamedPolicy[], options: EvaluationOptions = {}): Evaluation {
  checkRequest(request);
  const identity = policies.map(compilePolicy);
  const scpLayers = layersOf(options.scps).map((layer) => layer.map(compilePolicy));
  const context = requestContext(request);
  const lookup: KeyLookup = (key) => context.get(key);
  if (options.trace === true) return evaluateWithTrace(request, identity, scpLayers, lookup);

  const layers: { name: string; policies: readonly CompiledPolicy[] }[] = [
    { name: 'identity', policies: identity },
    ...scpLayers.map((layer, index) => ({ name: `scp:${index + 1}`, policies: layer })),
  ];
  let notAllowedBy: string | undefined;
  for (const layer of layers) {
    let allowed = false;
    for (const policy of layer.policies) {
      for (const statement of policy.statements) {
        if (statement.effect === 'Allow' && allowed) continue;
        if (statementApplies(statement, request.action, request.resource, lookup)) {
          if (statement.effect === 'Deny') return { decision: 'ExplicitlyDenied', deniedBy: layer.name };
          allowed = true;
        }
      }
    }
    if (!allowed && notAllowedBy === undefined) notAllowedBy = layer.name;
  }
  return notAllowedBy === undefined ? { decision: 'Allowed' } : { decision: 'ImplicitlyDenied', deniedBy: notAllowedBy };
}

function evaluateWithTrace(
  request: EvaluationRequest,
  identity: readonly CompiledPolicy[],
  scpLayers: readonly (readonly CompiledPolicy[])[],
  lookup: KeyLookup,
): Evaluation {
  const trace: StatementTrace[] = [];
  let deniedBy: string | undefined;
  let notAllowedBy: string | undefined;
  const layers = [identity, ...scpLayers];
  layers.forEach((policies, position) => {
    const layer = position === 0 ? 'identity' : `scp:${position}`;
    let allowed = false;
    for (const policy of policies) {
      for (const statement of policy.statements) {
        const entry = traceStatement(layer, policy.name, statement, request, lookup);
        trace.push(entry);
        if (!entry.applies) continue;
        if (statement.effect === 'Deny') deniedBy ??= layer;
        else allowed = true;
      }
    }
    if (!allowed) notAllowedBy ??= layer;
  });
  if (deniedBy !== undefined) return { decision: 'ExplicitlyDenied', deniedBy, trace };
  if (notAllowedBy !== undefined) return { decision: 'ImplicitlyDenied', deniedBy: notAllowedBy, trace };
  return { decision: 'Allowed', trace };
}

function list(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

function traceStatement(
  layer: string,
  policy: string,
  statement: CompiledStatement,
  request: EvaluationRequest,
  lookup: KeyLookup,
): StatementTrace {
  const base = { layer, policy, statement: statement.label, index: statement.index, effect: statement.effect };
  const conditions: ConditionTrace[] = statement.conditions.map((compiled) => ({
    operator: compiled.condition.operator.text,
    key: compiled.condition.keyText,
    policyValues: compiled.condition.values.map((value) => value.text),
    requestValues: lookup(compiled.condition.key),
    holds: conditionHolds(compiled, lookup),
  }));
  const actionElement: PolicyElement = statement.actionNegated ? 'NotAction' : 'Action';
  if (!actionMatches(statement, request.action)) {
    const patterns = list(statement.actions.map((pattern) => pattern.text));
    return {
      ...base,
      applies: false,
      failed: actionElement,
      reason: statement.actionNegated
        ? `${request.action} is listed in NotAction (${patterns})`
        : `${request.action} matches no Action pattern (${patterns})`,
      conditions,
    };
  }
  const resourceElement: PolicyElement = statement.resourceNegated ? 'NotResource' : 'Resource';
  if (!resourceMatches(statement, request.resource, lookup)) {
    const patterns = list(
      statement.resources.map((pattern) => {
        const resolved = resolvedResourceText(pattern, lookup);
        const notes = [
          ...pattern.literalVariables.map((variable) => `${variable} before the fifth colon is literal text`),
          ...(pattern.serviceWildcard ? ['a wildcard in the service segment, read the less protective way'] : []),
        ];
        const note = notes.length === 0 ? '' : ` (${notes.join('; ')})`;
        if (resolved === undefined) return `${pattern.text} (a variable has no value: matches nothing)${note}`;
        return `${resolved === pattern.text ? pattern.text : `${pattern.text} = ${resolved}`}${note}`;
      }),
    );
    return {
      ...base,
      applies: false,
      failed: resourceElement,
      reason: statement.resourceNegated
        ? `${request.resource} matches NotResource (${patterns})`
        : `${request.resource} matches no Resource pattern (${patterns})`,
      conditions,
    };
  }
  const failing = conditions.find((condition) => !condition.holds);
  if (failing !== undefined) {
    const requestText = failing.requestValues === undefined ? 'absent' : list(failing.requestValues);
    return {
      ...base,
      applies: false,
      failed: 'Condition',
      reason: `condition ${failing.operator} ${failing.key} (${list(failing.policyValues)}) does not hold: request value ${requestText}`,
      conditions,
    };
  }
  const what = statement.conditions.length === 0 ? `${actionElement} and ${resourceElement} match` : `${actionElement}, ${resourceElement} and every condition match`;
  return { ...base, applies: true, reason: `${what}: the statement ${statement.effect === 'Allow' ? 'allows' : 'denies'} the request`, conditions };
}
