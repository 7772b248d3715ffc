/** Condition operators as AWS documents them: what each accepts, and how a request value is compared. */
import { ipInRange, parseIpRange } from './ip.js';
import type { ResolvedPiece, TextPiece } from './text-pattern.js';
import { joinPieces } from './text-pattern.js';
import { compileMatcher, type Matcher } from './wildcard.js';

export type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

interface BaseOperator {
  readonly family: OperatorFamily;
  /** Negated operators (StringNotEquals, NotIpAddress, ...) are true when no value matches, and when the key is absent. */
  readonly negated: boolean;
  /** Build the positive comparison of one request value with one policy value (already checked). */
  readonly compare: (policyValue: readonly ResolvedPiece[]) => Matcher;
}

const exact = (pieces: readonly ResolvedPiece[]): Matcher => {
  const text = joinPieces(pieces);
  return (value) => value === text;
};
const ignoreCase = (pieces: readonly ResolvedPiece[]): Matcher => {
  const text = joinPieces(pieces).toLowerCase();
  return (value) => value.toLowerCase() === text;
};
const like = (pieces: readonly ResolvedPiece[]): Matcher => compileMatcher(pieces, 'string');
const arn = (pieces: readonly ResolvedPiece[]): Matcher => {
  const matcher = compileMatcher(pieces, 'arn');
  return (value) => looksLikeArn(value) && matcher(value);
};

export function looksLikeArn(value: string): boolean {
  return value.startsWith('arn:') && value.split(':').length >= 6;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;
/** ISO 8601 dates and times, or epoch seconds (as aws:EpochTime gives them); milliseconds since the epoch. */
export function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!ISO_DATE.test(trimmed)) return undefined;
  // JavaScript reads a date-time without a zone in the machine's local time; AWS times are UTC, and a decision must
  // not depend on the TZ of the machine that runs verify.
  const time = Date.parse(trimmed.includes('T') && !HAS_ZONE.test(trimmed) ? `${trimmed}Z` : trimmed);
  return Number.isNaN(time) ? undefined : time;
}

const numeric =
  (test: (request: number, policy: number) => boolean) =>
  (pieces: readonly ResolvedPiece[]): Matcher => {
    const policy = parseNumber(joinPieces(pieces)) as number;
    return (value) => {
      const request = parseNumber(value);
      return request !== undefined && test(request, policy);
    };
  };
const date =
  (test: (request: number, policy: number) => boolean) =>
  (pieces: readonly ResolvedPiece[]): Matcher => {
    const policy = parseDate(joinPieces(pieces)) as number;
    return (value) => {
      const request = parseDate(value);
      return request !== undefined && test(request, policy);
    };
  };
const bool = (pieces: readonly ResolvedPiece[]): Matcher => {
  const text = joinPieces(pieces).toLowerCase();
  return (value) => value.trim().toLowerCase() === text;
};
const normaliseBase64 = (text: string): string => Buffer.from(text.trim(), 'base64').toString('base64');
const binary = (pieces: readonly ResolvedPiece[]): Matcher => {
  const text = normaliseBase64(joinPieces(pieces));
  return (value) => normaliseBase64(value) === text;
};
const ip = (pieces: readonly ResolvedPiece[]): Matcher => {
  const range = parseIpRange(joinPieces(pieces));
  return (value) => range !== undefined && ipInRange(value, range);
};
const never = (): Matcher => () => false;

const eq = (a: number, b: number): boolean => a === b;
const lt = (a: number, b: number): boolean => a < b;
const le = (a: number, b: number): boolean => a <= b;
const gt = (a: number, b: number): boolean => a > b;
const ge = (a: number, b: number): boolean => a >= b;

const op = (family: OperatorFamily, negated: boolean, compare: BaseOperator['compare']): BaseOperator => ({ family, negated, compare });

/** Every documented base operator (without `IfExists` and set qualifiers). */
export const BASE_OPERATORS: Readonly<Record<string, BaseOperator>> = {
  StringEquals: op('string', false, exact),
  StringNotEquals: op('string', true, exact),
  StringEqualsIgnoreCase: op('string', false, ignoreCase),
  StringNotEqualsIgnoreCase: op('string', true, ignoreCase),
  StringLike: op('string', false, like),
  StringNotLike: op('string', true, like),
  NumericEquals: op('numeric', false, numeric(eq)),
  NumericNotEquals: op('numeric', true, numeric(eq)),
  NumericLessThan: op('numeric', false, numeric(lt)),
  NumericLessThanEquals: op('numeric', false, numeric(le)),
  NumericGreaterThan: op('numeric', false, numeric(gt)),
  NumericGreaterThanEquals: op('numeric', false, numeric(ge)),
  DateEquals: op('date', false, date(eq)),
  DateNotEquals: op('date', true, date(eq)),
  DateLessThan: op('date', false, date(lt)),
  DateLessThanEquals: op('date', false, date(le)),
  DateGreaterThan: op('date', false, date(gt)),
  DateGreaterThanEquals: op('date', false, date(ge)),
  Bool: op('bool', false, bool),
  BinaryEquals: op('binary', false, binary),
  IpAddress: op('ip', false, ip),
  NotIpAddress: op('ip', true, ip),
  ArnEquals: op('arn', false, arn),
  ArnLike: op('arn', false, arn),
  ArnNotEquals: op('arn', true, arn),
  ArnNotLike: op('arn', true, arn),
  Null: op('null', false, never),
};

export interface ParsedOperator {
  readonly text: string;
  readonly base: string;
  readonly family: OperatorFamily;
  readonly negated: boolean;
  readonly set: SetQualifier | undefined;
  readonly ifExists: boolean;
  /** Policy variables are substituted in the values of string and ARN operators only. */
  readonly variables: boolean;
}

/** Parses `ForAllValues:StringLikeIfExists` and the like; returns a problem text for anything undocumented. */
export function parseOperator(text: string): ParsedOperator | { problem: string } {
  let rest = text;
  let set: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon);
    if (qualifier !== 'ForAnyValue' && qualifier !== 'ForAllValues') {
      return { problem: `unknown set operator "${qualifier}" in condition operator "${text}"; use ForAnyValue or ForAllValues` };
    }
    set = qualifier;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const definition = Object.hasOwn(BASE_OPERATORS, base) ? BASE_OPERATORS[base] : undefined;
  if (definition === undefined) {
    return { problem: `unknown condition operator "${text}"; the engine evaluates only documented operators (operator names are case-sensitive)` };
  }
  if (definition.family === 'null' && (ifExists || set !== undefined)) {
    return { problem: `condition operator "${text}" does not exist: Null takes neither IfExists nor a set operator` };
  }
  return {
    text,
    base,
    family: definition.family,
    negated: definition.negated,
    set,
    ifExists,
    variables: definition.family === 'string' || definition.family === 'arn',
  };
}

/** Checks one policy value (after variables are known to be well formed); returns a problem text or undefined. */
export function checkConditionValue(operator: ParsedOperator, value: string, pieces: readonly TextPiece[]): string | undefined {
  const hasVariable = pieces.some((piece) => piece.kind === 'variable');
  const where = `condition ${operator.text}`;
  switch (operator.family) {
    case 'numeric':
      return parseNumber(value) === undefined ? `${where}: "${value}" is not a number` : undefined;
    case 'date':
      return parseDate(value) === undefined ? `${where}: "${value}" is not an ISO 8601 date or epoch seconds` : undefined;
    case 'bool':
    case 'null':
      return /^(true|false)$/i.test(value.trim()) ? undefined : `${where}: "${value}" is neither true nor false`;
    case 'binary':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(value.trim()) && value.trim().length % 4 === 0
        ? undefined
        : `${where}: "${value}" is not base64`;
    case 'ip':
      return parseIpRange(value) === undefined ? `${where}: "${value}" is not an IP address or CIDR range` : undefined;
    case 'arn':
      return hasVariable || value === '*' || value.startsWith('arn:') ? undefined : `${where}: "${value}" is not an ARN`;
    case 'string':
      return undefined;
  }
}

/** The comparison of one request value with one resolved policy value for this operator. */
export function compareWith(operator: ParsedOperator, pieces: readonly ResolvedPiece[]): Matcher {
  return (BASE_OPERATORS[operator.base] as BaseOperator).compare(pieces);
}

/**
 * Evaluates one key of one operator, given the request's values for the key (undefined: absent) and one matcher per
 * policy value (undefined: a policy value whose variable could not be substituted, which matches nothing).
 * Several policy values are ORed; negated operators are true when no request value matches any policy value.
 */
export function evaluateConditionKey(
  operator: ParsedOperator,
  requestValues: readonly string[] | undefined,
  policyMatchers: readonly (Matcher | undefined)[],
  policyTexts: readonly string[],
): boolean {
  if (operator.family === 'null') {
    const absent = requestValues === undefined;
    return policyTexts.some((text) => (text.trim().toLowerCase() === 'true') === absent);
  }
  if (requestValues === undefined) {
    if (operator.ifExists) return true;
    if (operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return operator.negated;
  }
  const matchesSome = (value: string): boolean => policyMatchers.some((matcher) => matcher !== undefined && matcher(value));
  switch (operator.set) {
    case undefined:
      return operator.negated ? !requestValues.some(matchesSome) : requestValues.some(matchesSome);
    case 'ForAnyValue':
      return operator.negated ? requestValues.some((value) => !matchesSome(value)) : requestValues.some(matchesSome);
    case 'ForAllValues':
      return operator.negated ? requestValues.every((value) => !matchesSome(value)) : requestValues.every(matchesSome);
  }
}
