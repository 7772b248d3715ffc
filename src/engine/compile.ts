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
  return {
    name: policy.name,
    statements: validated.statements.map((statement) => ({
      index: statement.index,
      sid: statement.sid,
      label: statement.sid === undefined || statement.sid === '' ? `#${statement.index + 1}` : statement.sid,
      effect: statement.effect,
      actionNegated: statement.action.negated,
      actions: statement.action.patterns.map(compileAction),
      resourceNegated: statement.resource.negated,
      resources: statement.resource.patterns.map(({ text, pieces }) => {
        const raw = pieces as readonly ResolvedPiece[];
        return {
          text,
          pieces,
          fixed: hasVariables(pieces) ? undefined : compileMatcher(raw, 'resource'),
          universal: !hasVariables(pieces) && isUniversal(raw),
        };
      }),
      conditions: statement.conditions.map((condition) => ({
        condition,
        fixed: condition.values.some((value) => hasVariables(value.pieces))
          ? undefined
          : condition.values.map((value) => compareWith(condition.operator, value.pieces as readonly ResolvedPiece[])),
      })),
    })),
  };
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
  const matched = statement.resources.some((pattern) => resourceMatcher(pattern, lookup)?.(resource) === true);
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
