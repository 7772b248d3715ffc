/**
 * Condition keys the request does not fix, quantified over. The request fixes the MFA keys, the keys derived from
 * the principal and whatever it names in its context; every other key may hold any value, or be absent. A request
 * is allowed for SOME values when one assignment of those keys lets an Allow apply with no Deny applying; it is
 * denied for EVERY value when a Deny applies under every assignment. Representative values decide it (see
 * docs/guarantees.md for where that is exact).
 */
import {
  actionMatches,
  compilePolicy,
  conditionsHold,
  resourceMatches,
  type CompiledCondition,
  type CompiledPolicy,
  type CompiledStatement,
  type KeyLookup,
  type NamedPolicy,
} from './compile.js';
import { parseDate, parseNumber } from './conditions.js';
import type { Decision, EvaluationRequest, ScpLayers } from './evaluate.js';
import { checkRequest, evaluate, requestContext } from './evaluate.js';
import { parseIpAddress, parseIpRange } from './ip.js';
import { joinPieces, resolvePieces, type ResolvedPiece, type TextPiece } from './text-pattern.js';

/** One free key's value in an assignment: its values (one for single-valued keys, maybe none for sets) or absent. */
export interface FreeKeyValue {
  /** The key as a policy writes it. */
  readonly key: string;
  /** Undefined: the key is absent from the request. */
  readonly values: readonly string[] | undefined;
}

export interface QuantifiedEvaluation {
  /** Some assignment of the free keys (absent included) lets the request through. */
  readonly allowedForSome: boolean;
  /** Every assignment lets it through. */
  readonly allowedForEvery: boolean;
  /** A Deny applies under every assignment. */
  readonly deniedForEvery: boolean;
  /** The less protective decision: Allowed when allowed for some values, ExplicitlyDenied when denied for every. */
  readonly decision: Decision;
  /** An assignment that lets the request through, when it is allowed for some values but not for every one. */
  readonly opening: readonly FreeKeyValue[] | undefined;
  /** Free keys tested by the statements that match the action and resource (as written, sorted). */
  readonly freeKeys: readonly string[];
  /** False when the answer is a bound, not the exact one (see docs/guarantees.md); it always errs towards "allowed". */
  readonly exact: boolean;
}

export interface QuantifyOptions {
  readonly scps?: ScpLayers;
}

/** Keys AWS sets from the principal even when they are absent (a user without a tag has no such tag key). */
export const PRINCIPAL_KEYS: ReadonlySet<string> = new Set(['aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:userid', 'aws:username']);
/** The MFA keys: each context fixes them, absence included. */
export const MFA_KEYS: ReadonlySet<string> = new Set(['aws:multifactorauthpresent', 'aws:multifactorauthage']);
/** Keys AWS documents as multivalued: they are quantified over sets of values. */
const MULTIVALUED_KEYS = new Set(['aws:tagkeys', 'aws:calledvia', 'aws:principalservicenameslist', 'aws:principalorgpaths', 'aws:resourceorgpaths', 'aws:sourceorgpaths']);

/** Beyond this many assignments per request, each statement is quantified on its own (a bound, see `exact`). */
export const MAX_ASSIGNMENTS = 4096;

const UNMATCHED = 'force-mfa-no-policy-value';

/** A lower-cased key the request context cannot fix: neither an MFA key nor one derived from the principal. */
export function isFreeKey(key: string, context: ReadonlyMap<string, readonly string[]>): boolean {
  return !context.has(key) && !MFA_KEYS.has(key) && !PRINCIPAL_KEYS.has(key) && !key.startsWith('aws:principaltag/');
}

/** The free keys a policy set tests anywhere (lower-cased key, as written), for notes. */
export function freeConditionKeys(policies: readonly NamedPolicy[], context: ReadonlyMap<string, readonly string[]>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const policy of policies.map(compilePolicy)) {
    for (const statement of policy.statements) {
      for (const { condition } of statement.conditions) {
        if (isFreeKey(condition.key, context) && !keys.has(condition.key)) keys.set(condition.key, condition.keyText);
      }
    }
  }
  return keys;
}

interface Layer {
  readonly name: string;
  readonly statements: readonly CompiledStatement[];
}

/** Evaluates a request over every value of the keys it does not fix. */
export function evaluateQuantified(request: EvaluationRequest, policies: readonly NamedPolicy[], options: QuantifyOptions = {}): QuantifiedEvaluation {
  checkRequest(request);
  const context = requestContext(request);
  const layers: CompiledPolicy[][] = [policies.map(compilePolicy), ...(options.scps ?? []).map((layer) => (Array.isArray(layer) ? (layer as readonly NamedPolicy[]) : [layer as NamedPolicy]).map(compilePolicy))];
  // Most policy sets test no free key at all: one plain evaluation decides, for every value alike.
  if (!layers.some((layer) => layer.some((policy) => testsFreeKey(policy, context)))) {
    const decision = evaluate(request, policies, options.scps === undefined ? {} : { scps: options.scps }).decision;
    const allowed = decision === 'Allowed';
    return { allowedForSome: allowed, allowedForEvery: allowed, deniedForEvery: decision === 'ExplicitlyDenied', decision, opening: undefined, freeKeys: [], exact: true };
  }
  const base: KeyLookup = (key) => context.get(key);
  let exact = true;
  // Statements that can apply to this action and resource, with the free keys they test.
  const relevant: Layer[] = layers.map((layer, position) => ({
    name: position === 0 ? 'identity' : `scp:${position}`,
    statements: layer.flatMap((policy) =>
      policy.statements.filter((statement) => {
        if (!actionMatches(statement, request.action)) return false;
        if (usesFreeVariable(statement, context)) {
          // A variable of a free key could take any value: no exact answer. An Allow is read as applying, a Deny as not.
          exact = false;
          return statement.effect === 'Allow';
        }
        return resourceMatches(statement, request.resource, base);
      }),
    ),
  }));
  const wild = new Set(
    relevant.flatMap((layer) => layer.statements.filter((statement) => usesFreeVariable(statement, context))),
  );
  const conditionsByKey = new Map<string, { keyText: string; conditions: CompiledCondition[] }>();
  for (const layer of relevant) {
    for (const statement of layer.statements) {
      if (wild.has(statement)) continue;
      for (const compiled of statement.conditions) {
        const key = compiled.condition.key;
        if (!isFreeKey(key, context)) continue;
        const entry = conditionsByKey.get(key) ?? { keyText: compiled.condition.keyText, conditions: [] };
        entry.conditions.push(compiled);
        conditionsByKey.set(key, entry);
      }
    }
  }
  const keys = [...conditionsByKey.keys()].sort();
  const freeKeys = keys.map((key) => (conditionsByKey.get(key) as { keyText: string }).keyText);
  const candidates = keys.map((key) => candidateValues(key, (conditionsByKey.get(key) as { conditions: CompiledCondition[] }).conditions, base));
  // Two or more patterns on one key: the crossed instances decide two patterns together, not every combination.
  if (keys.some((key) => wildcardPatterns((conditionsByKey.get(key) as { conditions: CompiledCondition[] }).conditions, base).length > 1)) exact = false;
  // Several conditions on a multivalued key may need a subset of its values beyond those tried.
  if (keys.some((key) => {
    const { conditions } = conditionsByKey.get(key) as { conditions: CompiledCondition[] };
    return conditions.length > 1 && isMultivalued(key, conditions);
  })) exact = false;
  const applies = (statement: CompiledStatement, lookup: KeyLookup): boolean => wild.has(statement) || conditionsHold(statement, lookup);
  const decideWith = (lookup: KeyLookup): Decision => {
    let notAllowed = false;
    for (const layer of relevant) {
      let allowed = false;
      for (const statement of layer.statements) {
        if (!applies(statement, lookup)) continue;
        if (statement.effect === 'Deny') return 'ExplicitlyDenied';
        allowed = true;
      }
      if (!allowed) notAllowed = true;
    }
    return notAllowed ? 'ImplicitlyDenied' : 'Allowed';
  };
  const total = candidates.reduce((product, values) => product * values.length, 1);
  if (total > MAX_ASSIGNMENTS) return perStatement(relevant, keys, freeKeys, candidates, base, wild);

  let allowedForSome = false;
  let allowedForEvery = true;
  let deniedForEvery = true;
  let opening: FreeKeyValue[] | undefined;
  const choice = new Array<number>(keys.length).fill(0);
  for (let step = 0; step < total; step += 1) {
    const assigned = new Map<string, readonly string[] | undefined>(keys.map((key, index) => [key, candidates[index]?.[choice[index] as number]]));
    const lookup: KeyLookup = (key) => (assigned.has(key) ? assigned.get(key) : base(key));
    const decision = decideWith(lookup);
    if (decision === 'Allowed') {
      if (!allowedForSome) opening = keys.map((key, index) => ({ key: freeKeys[index] as string, values: assigned.get(key) }));
      allowedForSome = true;
    } else allowedForEvery = false;
    if (decision !== 'ExplicitlyDenied') deniedForEvery = false;
    for (let index = 0; index < choice.length; index += 1) {
      choice[index] = (choice[index] as number) + 1;
      if ((choice[index] as number) < (candidates[index]?.length ?? 0)) break;
      choice[index] = 0;
    }
  }
  return {
    allowedForSome,
    allowedForEvery,
    deniedForEvery,
    decision: allowedForSome ? 'Allowed' : deniedForEvery ? 'ExplicitlyDenied' : 'ImplicitlyDenied',
    opening: allowedForSome && !allowedForEvery ? opening : undefined,
    freeKeys,
    exact,
  };
}

/**
 * Too many assignments to try together: each statement on its own. A statement's condition block is an AND of
 * conditions each on one key, so per statement the keys are independent: an Allow applies for some values when
 * each key has a value satisfying its conditions; a Deny for every value when each key's conditions hold for all.
 * Across statements this is a bound: an Allow and a Deny may need different values of one key.
 */
function perStatement(
  relevant: readonly Layer[],
  keys: readonly string[],
  freeKeys: readonly string[],
  candidates: readonly (readonly (readonly string[] | undefined)[])[],
  base: KeyLookup,
  wild: ReadonlySet<CompiledStatement>,
): QuantifiedEvaluation {
  const quantified = (statement: CompiledStatement, every: boolean): boolean => {
    if (wild.has(statement)) return statement.effect === 'Allow';
    const tested = keys.filter((key) => statement.conditions.some((compiled) => compiled.condition.key === key));
    // The conditions on fixed keys see the base values, whichever free values are tried.
    if (!conditionsHold({ ...statement, conditions: statement.conditions.filter((compiled) => !keys.includes(compiled.condition.key)) }, base)) return false;
    return tested.every((key) => {
      const own = statement.conditions.filter((compiled) => compiled.condition.key === key);
      const values = candidates[keys.indexOf(key)] ?? [];
      const holds = (value: readonly string[] | undefined): boolean => conditionsHold({ ...statement, conditions: own }, (asked) => (asked === key ? value : base(asked)));
      return every ? values.every(holds) : values.some(holds);
    });
  };
  const decide = (allowSome: boolean): Decision => {
    let notAllowed = false;
    for (const layer of relevant) {
      let allowed = false;
      for (const statement of layer.statements) {
        if (statement.effect === 'Deny' && quantified(statement, allowSome)) return 'ExplicitlyDenied';
        if (statement.effect === 'Allow' && quantified(statement, !allowSome)) allowed = true;
      }
      if (!allowed) notAllowed = true;
    }
    return notAllowed ? 'ImplicitlyDenied' : 'Allowed';
  };
  // Allowed for some: Allows for some values, Denies only for every value; allowed for every: the reverse.
  const some = decide(true);
  const every = decide(false);
  const deniedForEvery = relevant.some((layer) => layer.statements.some((statement) => statement.effect === 'Deny' && quantified(statement, true)));
  return {
    allowedForSome: some === 'Allowed',
    allowedForEvery: every === 'Allowed',
    deniedForEvery,
    decision: some === 'Allowed' ? 'Allowed' : deniedForEvery ? 'ExplicitlyDenied' : 'ImplicitlyDenied',
    opening: undefined,
    freeKeys,
    exact: false,
  };
}

/** Per request context (cached by evaluate.ts per principal and keys): whether a policy tests a free key. */
const freeKeyTests = new WeakMap<ReadonlyMap<string, readonly string[]>, WeakMap<CompiledPolicy, boolean>>();

function testsFreeKey(policy: CompiledPolicy, context: ReadonlyMap<string, readonly string[]>): boolean {
  let byPolicy = freeKeyTests.get(context);
  if (byPolicy === undefined) {
    byPolicy = new WeakMap();
    freeKeyTests.set(context, byPolicy);
  }
  let answer = byPolicy.get(policy);
  if (answer === undefined) {
    answer = policy.statements.some(
      (statement) => statement.conditions.some((compiled) => isFreeKey(compiled.condition.key, context)) || usesFreeVariable(statement, context),
    );
    byPolicy.set(policy, answer);
  }
  return answer;
}

function usesFreeVariable(statement: CompiledStatement, context: ReadonlyMap<string, readonly string[]>): boolean {
  const free = (pieces: readonly TextPiece[]): boolean => pieces.some((piece) => piece.kind === 'variable' && isFreeKey(piece.key, context));
  return (
    statement.resources.some((pattern) => free(pattern.pieces)) ||
    statement.conditions.some((compiled) => compiled.condition.values.some((value) => free(value.pieces)))
  );
}

/**
 * Representative values of one free key for the conditions that test it: absent, each policy value (and an
 * instance of its wildcards), both cases, a value on each side of every numeric, date or IP bound, and a value
 * matching none; for a multivalued key, each value alone, the empty set and all values together.
 */
export function candidateValues(key: string, conditions: readonly CompiledCondition[], base: KeyLookup): (readonly string[] | undefined)[] {
  const singles = new Set<string>();
  const numbers: number[] = [];
  const dates: number[] = [];
  const multivalued = isMultivalued(key, conditions);
  for (const { condition } of conditions) {
    for (const value of condition.values) {
      const resolved = resolvePieces(value.pieces, base);
      if (resolved === undefined) continue;
      const text = joinPieces(resolved);
      switch (condition.operator.family) {
        case 'numeric': {
          const number = parseNumber(text);
          if (number !== undefined) numbers.push(number);
          break;
        }
        case 'date': {
          const time = parseDate(text);
          if (time !== undefined) dates.push(time);
          break;
        }
        case 'ip':
          for (const address of ipNeighbours(text)) singles.add(address);
          break;
        case 'bool':
          singles.add('true').add('false');
          break;
        case 'null':
          break;
        default: {
          // Instances of the wildcards first (literal pieces stay as they are): they read best as opening values.
          singles.add(instanceOf(resolved, '')).add(instanceOf(resolved, 'force-mfa')).add(text).add(text.toLowerCase()).add(text.toUpperCase());
        }
      }
    }
  }
  // A value matching two patterns at once (`a*` and `*b`: `ab`), which no instance of either gives: each pattern with
  // its wildcards filled by an instance of the other. Denies split across statements may only both lift for it.
  const patterns = wildcardPatterns(conditions, base);
  for (const outer of patterns) {
    for (const inner of patterns) {
      if (outer !== inner) singles.add(instanceOf(outer, instanceOf(inner, '')));
    }
  }
  for (const number of boundaryPoints(numbers)) singles.add(String(number));
  for (const time of boundaryPoints(dates)) singles.add(new Date(time).toISOString());
  singles.add(UNMATCHED);
  const values = [...singles];
  const result: (readonly string[] | undefined)[] = [undefined, ...values.map((value) => [value])];
  // Each value left out once too: denies split across statements may each lift for a value and one more apply for
  // another, so only a set holding some values but not all escapes them together.
  if (multivalued) result.push([], values, ...(values.length > 2 ? values.map((left) => values.filter((value) => value !== left)) : []));
  return result;
}

/** AWS documents the key as multivalued, or a set operator (`ForAnyValue`, `ForAllValues`) tests it. */
function isMultivalued(key: string, conditions: readonly CompiledCondition[]): boolean {
  return MULTIVALUED_KEYS.has(key) || conditions.some(({ condition }) => condition.operator.set !== undefined);
}

/** The distinct wildcard patterns (a `*` or `?` outside variables) that string and ARN conditions hold for a key. */
function wildcardPatterns(conditions: readonly CompiledCondition[], base: KeyLookup): (readonly ResolvedPiece[])[] {
  const found = new Map<string, readonly ResolvedPiece[]>();
  for (const { condition } of conditions) {
    if (condition.operator.family !== 'string' && condition.operator.family !== 'arn') continue;
    for (const value of condition.values) {
      const resolved = resolvePieces(value.pieces, base);
      if (resolved === undefined || !resolved.some((piece) => piece.kind === 'raw' && /[*?]/.test(piece.text))) continue;
      found.set(JSON.stringify(resolved), resolved);
    }
  }
  return [...found.values()];
}

/** A value a pattern matches: each `*` as the given text, each `?` as one character. */
function instanceOf(pattern: readonly ResolvedPiece[], star: string): string {
  return pattern.map((piece) => (piece.kind === 'raw' ? piece.text.replace(/\*/g, star).replace(/\?/g, 'x') : piece.text)).join('');
}

/** Each bound, a point between each two, and one beyond each end: every interval the bounds make. */
function boundaryPoints(bounds: readonly number[]): number[] {
  const sorted = [...new Set(bounds)].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const points = [(sorted[0] as number) - 1, ...sorted, (sorted[sorted.length - 1] as number) + 1];
  for (let index = 1; index < sorted.length; index += 1) points.push(((sorted[index - 1] as number) + (sorted[index] as number)) / 2);
  return points;
}

/** The first address of a range, the one before it and the one after its last. */
function ipNeighbours(text: string): string[] {
  const range = parseIpRange(text);
  if (range === undefined) return [];
  const bits = range.family === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - range.prefix);
  const top = (1n << BigInt(bits)) - 1n;
  const addresses = [range.network];
  if (range.network > 0n) addresses.push(range.network - 1n);
  if (range.network + size <= top) addresses.push(range.network + size);
  return addresses.map((value) => formatIp(value, range.family)).filter((address) => parseIpAddress(address) !== undefined);
}

function formatIp(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}

/** A Deny statement that applies to a request for some values of keys the request does not fix, not for all. */
export interface ConditionalDeny {
  readonly policy: string;
  /** Sid, or `#n` numbered from 1. */
  readonly statement: string;
  /** The free keys (as written) whose values can switch it off. */
  readonly keys: readonly string[];
  /** The statement tests an MFA key too: it is (part of) an MFA guard. */
  readonly mfaGuard: boolean;
}

/**
 * The Deny statements matching the request's action and resource that a free key can switch off: they do not
 * apply for every value of the keys the request does not fix (a caller who sends the right value escapes them).
 */
export function conditionalDenies(request: EvaluationRequest, policies: readonly NamedPolicy[]): ConditionalDeny[] {
  checkRequest(request);
  const context = requestContext(request);
  const base: KeyLookup = (key) => context.get(key);
  const found: ConditionalDeny[] = [];
  for (const policy of policies.map(compilePolicy)) {
    for (const statement of policy.statements) {
      if (statement.effect !== 'Deny' || !actionMatches(statement, request.action)) continue;
      const mfaGuard = statement.conditions.some((compiled) => MFA_KEYS.has(compiled.condition.key));
      const variableKeys = statement.resources
        .flatMap((pattern) => pattern.pieces)
        .concat(statement.conditions.flatMap((compiled) => compiled.condition.values.flatMap((value) => value.pieces)))
        .flatMap((piece) => (piece.kind === 'variable' && isFreeKey(piece.key, context) ? [piece.name] : []));
      if (variableKeys.length > 0) {
        found.push({ policy: policy.name, statement: statement.label, keys: [...new Set(variableKeys)].sort(), mfaGuard });
        continue;
      }
      if (!resourceMatches(statement, request.resource, base)) continue;
      const free = statement.conditions.filter((compiled) => isFreeKey(compiled.condition.key, context));
      if (free.length === 0) continue;
      const fixed = statement.conditions.filter((compiled) => !isFreeKey(compiled.condition.key, context));
      if (!conditionsHold({ ...statement, conditions: fixed }, base)) continue;
      const switching = [...new Set(free.map((compiled) => compiled.condition.key))].filter((key) => {
        const own = free.filter((compiled) => compiled.condition.key === key);
        return candidateValues(key, own, base).some((value) => !conditionsHold({ ...statement, conditions: own }, (asked) => (asked === key ? value : base(asked))));
      });
      if (switching.length === 0) continue;
      const keyText = (key: string): string => (free.find((compiled) => compiled.condition.key === key) as CompiledCondition).condition.keyText;
      found.push({ policy: policy.name, statement: statement.label, keys: switching.map(keyText).sort(), mfaGuard });
    }
  }
  return found;
}
