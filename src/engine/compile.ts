/** Validated policies turned into matchers once, cached per document, so evaluating a request is cheap. */
import { compareWith, evaluateConditionKey } from './conditions.js';
import { hasVariables, resolvePieces, type ResolvedPiece, type TextPiece } from './text-pattern.js';
import { validatePolicy, type ValidatedCondition } from './validate.js';
import { compileMatcher, isUniversal, type Matcher } from './wildcard.js';

/** A policy as read from JSON or YAML, not yet validated; `name` appears in every error and trace. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: unknown;
}

/** Request keys, lower-cased, each with its values (one for single-valued keys). */
export type KeyLookup = (key: string) => readonly string[] | undefined;

export interface CompiledActionPattern {
  readonly text: string;
  readonly matcher: Matcher;
  readonly universal: boolean;
  /** The service prefix when it has no wildcard (lower-case), which lets callers skip other services. */
  readonly service: string | undefined;
}

export interface CompiledResourcePattern {
  readonly text: string;
  readonly pieces: readonly TextPiece[];
  /** Set when the pattern has no variables. */
  readonly fixed: Matcher | undefined;
  readonly universal: boolean;
  /** Variables before the fifth colon, kept as literal text (AWS substitutes only in the resource part). */
  readonly literalVariables: readonly string[];
  /**
   * A wildcard in the service segment, which AWS does not support and whose reading it does not document: the
   * pattern is read the way that protects less (see docs/guarantees.md): in an Allow's Resource and a Deny's
   * NotResource it matches as a wildcard; in a Deny's Resource and an Allow's NotResource it matches nothing.
   */
  readonly serviceWildcard: boolean;
}

/** A case AWS's documentation leaves open (or that surprises), read as docs/guarantees.md says: for notes. */
export interface PolicyReading {
  readonly policy: string;
  /** Sid, or `#n` numbered from 1. */
  readonly statement: string;
  readonly kind: 'literal-variable' | 'service-wildcard';
  /** The resource pattern as written. */
  readonly resource: string;
  /** One sentence: what the evaluator does with it. */
  readonly note: string;
}

export interface CompiledCondition {
  readonly condition: ValidatedCondition;
  /** Set when no value has variables. */
  readonly fixed: readonly Matcher[] | undefined;
}

export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  /** The Sid, or `#n` (numbered from 1) when there is none. */
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actionNegated: boolean;
  readonly actions: readonly CompiledActionPattern[];
  readonly resourceNegated: boolean;
  readonly resources: readonly CompiledResourcePattern[];
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledPolicy {
  readonly name: string;
  readonly statements: readonly CompiledStatement[];
  readonly readings: readonly PolicyReading[];
}

const compiledByDocument = new WeakMap<object, Map<string, CompiledPolicy>>();

/** Validates and compiles; documents are treated as immutable, so the result is cached per document object. */
export function compilePolicy(policy: NamedPolicy): CompiledPolicy {
  const document = policy.document;
  const cacheable = typeof document === 'object' && document !== null;
  const byName = cacheable ? compiledByDocument.get(document) : undefined;
  const cached = byName?.get(policy.name);
  if (cached !== undefined) return cached;
  const compiled = compileValidated(policy);
  if (cacheable) {
    const map = byName ?? new Map<string, CompiledPolicy>();
    map.set(policy.name, compiled);
    if (byName === undefined) compiledByDocument.set(document, map);
  }
  return compiled;
}

function compileValidated(policy: NamedPolicy): CompiledPolicy {
  const validated = validatePolicy(policy.document, policy.name);
  const statements: CompiledStatement[] = validated.statements.map((statement) => ({
      index: statement.index,
      sid: statement.sid,
      label: statement.sid === undefined || statement.sid === '' ? `#${statement.index + 1}` : statement.sid,
      effect: statement.effect,
      actionNegated: statement.action.negated,
      actions: statement.action.patterns.map(compileAction),
      resourceNegated: statement.resource.negated,
      resources: statement.resource.patterns.map(({ text, pieces, literalVariables, serviceWildcard }) => {
        const raw = pieces as readonly ResolvedPiece[];
        return {
          text,
          pieces,
          fixed: hasVariables(pieces) ? undefined : compileMatcher(raw, 'resource'),
          universal: !hasVariables(pieces) && isUniversal(raw),
          literalVariables,
          serviceWildcard,
        };
      }),
      conditions: statement.conditions.map((condition) => ({
        condition,
        fixed: condition.values.some((value) => hasVariables(value.pieces))
          ? undefined
          : condition.values.map((value) => compareWith(condition.operator, value.pieces as readonly ResolvedPiece[])),
      })),
    }));
  return { name: policy.name, statements, readings: statements.flatMap((statement) => readingsOf(policy.name, statement)) };
}

function readingsOf(policy: string, statement: CompiledStatement): PolicyReading[] {
  const element = statement.resourceNegated ? 'NotResource' : 'Resource';
  return statement.resources.flatMap((pattern) => {
    const base = { policy, statement: statement.label, resource: pattern.text };
    const readings: PolicyReading[] = pattern.literalVariables.map((variable) => ({
      ...base,
      kind: 'literal-variable',
      note: `${variable} stands before the fifth colon of ${element} "${pattern.text}": AWS substitutes variables only in the resource part of an ARN, so it is literal text here`,
    }));
    if (pattern.serviceWildcard) {
      const wildcard = serviceWildcardMatches(statement);
      readings.push({
        ...base,
        kind: 'service-wildcard',
        note: `${element} "${pattern.text}" has a wildcard in the service segment, which AWS does not support and does not say how it reads; read the less protective way: ${wildcard ? 'it matches as a wildcard' : 'it matches nothing'} in this ${statement.effect}`,
      });
    }
    return readings;
  });
}

/** The less protective reading of a service-segment wildcard: does it match (as a wildcard) or match nothing? */
function serviceWildcardMatches(statement: CompiledStatement): boolean {
  return (statement.effect === 'Allow') !== statement.resourceNegated;
}

function compileAction(text: string): CompiledActionPattern {
  const pieces: readonly ResolvedPiece[] = [{ kind: 'raw', text }];
  const colon = text.indexOf(':');
  const service = colon > 0 && !/[*?]/.test(text.slice(0, colon)) ? text.slice(0, colon).toLowerCase() : undefined;
  return { text, matcher: compileMatcher(pieces, 'action'), universal: isUniversal(pieces), service };
}

/** The matcher of a resource pattern for this request, or undefined when a variable cannot be substituted. */
export function resourceMatcher(pattern: CompiledResourcePattern, lookup: KeyLookup): Matcher | undefined {
  if (pattern.fixed !== undefined) return pattern.fixed;
  const resolved = resolvePieces(pattern.pieces, lookup);
  return resolved === undefined ? undefined : compileMatcher(resolved, 'resource');
}

/** The pattern's text with variables substituted (for traces and probes), or undefined when one cannot be. */
export function resolvedResourceText(pattern: CompiledResourcePattern, lookup: KeyLookup): string | undefined {
  if (pattern.fixed !== undefined) return pattern.text;
  const resolved = resolvePieces(pattern.pieces, lookup);
  return resolved === undefined ? undefined : resolved.map((piece) => piece.text).join('');
}

export function actionMatches(statement: CompiledStatement, action: string): boolean {
  const matched = statement.actions.some((pattern) => pattern.matcher(action));
  return statement.actionNegated ? !matched : matched;
}

export function resourceMatches(statement: CompiledStatement, resource: string, lookup: KeyLookup): boolean {
  const matched = statement.resources.some(
    (pattern) => (!pattern.serviceWildcard || serviceWildcardMatches(statement)) && resourceMatcher(pattern, lookup)?.(resource) === true,
  );
  return statement.resourceNegated ? !matched : matched;
}

export function conditionHolds(compiled: CompiledCondition, lookup: KeyLookup): boolean {
  const { condition } = compiled;
  const matchers =
    compiled.fixed ??
    condition.values.map((value) => {
      const resolved = resolvePieces(value.pieces, lookup);
      return resolved === undefined ? undefined : compareWith(condition.operator, resolved);
    });
  return evaluateConditionKey(
    condition.operator,
    lookup(condition.key),
    matchers,
    condition.values.map((value) => value.text),
  );
}

export function conditionsHold(statement: CompiledStatement, lookup: KeyLookup): boolean {
  return statement.conditions.every((condition) => conditionHolds(condition, lookup));
}

export function statementApplies(statement: CompiledStatement, action: string, resource: string, lookup: KeyLookup): boolean {
  return actionMatches(statement, action) && resourceMatches(statement, resource, lookup) && conditionsHold(statement, lookup);
}
