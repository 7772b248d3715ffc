/** Strict validation of identity-based policy documents: every problem named with its policy and statement. */
import { checkConditionValue, parseOperator, type ParsedOperator } from './conditions.js';
import { PolicyEvaluationError, describeLocation, type PolicyLocation } from './policy-error.js';
import { literalVariablesBeforeResourcePart, parseText, type TextPiece } from './text-pattern.js';

export const SUPPORTED_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
export type SupportedVersion = (typeof SUPPORTED_VERSIONS)[number];

export interface PolicyProblem extends PolicyLocation {
  readonly code: string;
  /** What is wrong, without the location. */
  readonly problem: string;
  /** The location and the problem in one line. */
  readonly message: string;
}

export interface ValidatedCondition {
  readonly operator: ParsedOperator;
  /** The key as written, and lower-cased for lookups (condition keys are case-insensitive). */
  readonly keyText: string;
  readonly key: string;
  readonly values: readonly { readonly text: string; readonly pieces: readonly TextPiece[] }[];
}

export interface ValidatedResourcePattern {
  readonly text: string;
  readonly pieces: readonly TextPiece[];
  /** Variables written before the fifth colon: AWS does not substitute them, they are literal text. */
  readonly literalVariables: readonly string[];
  /** A wildcard in the ARN's service segment, which AWS does not support: how AWS reads it is not documented. */
  readonly serviceWildcard: boolean;
}

export interface ValidatedStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly action: { readonly negated: boolean; readonly patterns: readonly string[] };
  readonly resource: { readonly negated: boolean; readonly patterns: readonly ValidatedResourcePattern[] };
  readonly conditions: readonly ValidatedCondition[];
}

export interface ValidatedPolicy {
  readonly name: string;
  /** The Version element; undefined when absent (AWS then applies 2008-10-17 rules). */
  readonly version: SupportedVersion | undefined;
  /** Policy variables are substituted only under Version 2012-10-17. */
  readonly substitutesVariables: boolean;
  readonly statements: readonly ValidatedStatement[];
}

const POLICY_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const ACTION_PATTERN = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?_.-]+)$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class ProblemCollector {
  readonly problems: PolicyProblem[] = [];
  constructor(readonly policy: string) {}

  add(code: string, problem: string, statement?: { index: number; sid: string | undefined }): void {
    const location: PolicyLocation =
      statement === undefined
        ? { policy: this.policy }
        : statement.sid === undefined
          ? { policy: this.policy, statementIndex: statement.index }
          : { policy: this.policy, statementIndex: statement.index, sid: statement.sid };
    this.problems.push({ ...location, code, problem, message: `${describeLocation(location)}: ${problem}` });
  }
}

/** Every problem of a document (empty when it can be evaluated exactly). For lint and for `validatePolicy`. */
export function findPolicyProblems(document: unknown, policyName: string): PolicyProblem[] {
  const collector = new ProblemCollector(policyName);
  readPolicy(document, policyName, collector);
  return collector.problems;
}

/** The document in the engine's form; throws PolicyEvaluationError naming the first problem's statement. */
export function validatePolicy(document: unknown, policyName: string): ValidatedPolicy {
  const collector = new ProblemCollector(policyName);
  const policy = readPolicy(document, policyName, collector);
  const first = collector.problems[0];
  if (first !== undefined) {
    const location: PolicyLocation = { policy: first.policy, ...(first.statementIndex === undefined ? {} : { statementIndex: first.statementIndex }), ...(first.sid === undefined ? {} : { sid: first.sid }) };
    throw new PolicyEvaluationError(first.code, first.problem, location);
  }
  return policy;
}

function readPolicy(document: unknown, name: string, collector: ProblemCollector): ValidatedPolicy {
  const empty: ValidatedPolicy = { name, version: undefined, substitutesVariables: false, statements: [] };
  if (!isRecord(document)) {
    collector.add('policy-malformed', 'the policy document is not a JSON object with a Statement element');
    return empty;
  }
  for (const element of Object.keys(document)) {
    if (!POLICY_ELEMENTS.has(element)) {
      collector.add('policy-unknown-element', `unknown policy element "${element}"; a policy has Version, Id and Statement`);
    }
  }
  let version: SupportedVersion | undefined;
  const rawVersion = document['Version'];
  if (rawVersion !== undefined) {
    if (typeof rawVersion === 'string' && (SUPPORTED_VERSIONS as readonly string[]).includes(rawVersion)) {
      version = rawVersion as SupportedVersion;
    } else {
      collector.add('policy-version', `Version ${quoted(rawVersion)} is not supported; use "2012-10-17"`);
    }
  }
  if (document['Id'] !== undefined && typeof document['Id'] !== 'string') {
    collector.add('policy-malformed', 'the Id element is not a string');
  }
  const substitutesVariables = version === '2012-10-17';
  const rawStatements = document['Statement'];
  if (rawStatements === undefined) {
    collector.add('policy-malformed', 'the policy has no Statement element');
    return { name, version, substitutesVariables, statements: [] };
  }
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const statements: ValidatedStatement[] = [];
  list.forEach((raw: unknown, index) => {
    const statement = readStatement(raw, index, substitutesVariables, collector);
    if (statement !== undefined) statements.push(statement);
  });
  return { name, version, substitutesVariables, statements };
}

function readStatement(
  raw: unknown,
  index: number,
  substitutes: boolean,
  collector: ProblemCollector,
): ValidatedStatement | undefined {
  if (!isRecord(raw)) {
    collector.add('statement-malformed', 'the statement is not a JSON object', { index, sid: undefined });
    return undefined;
  }
  const sid = typeof raw['Sid'] === 'string' ? raw['Sid'] : undefined;
  const at = { index, sid };
  const before = collector.problems.length;
  if (raw['Sid'] !== undefined && sid === undefined) collector.add('statement-malformed', 'Sid is not a string', at);
  for (const element of Object.keys(raw)) {
    if (element === 'Principal' || element === 'NotPrincipal') {
      collector.add(
        'statement-principal',
        `${element} is not supported in an identity-based policy (it belongs in resource-based and trust policies)`,
        at,
      );
    } else if (!STATEMENT_ELEMENTS.has(element)) {
      collector.add('statement-unknown-element', `unknown statement element "${element}"`, at);
    }
  }
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    collector.add('statement-effect', `Effect ${quoted(effect)} is neither "Allow" nor "Deny"`, at);
  }
  const action = readPair(raw, 'Action', 'NotAction', at, collector);
  const actionPatterns = action === undefined ? [] : action.values;
  for (const pattern of actionPatterns) {
    if (!ACTION_PATTERN.test(pattern)) {
      collector.add('statement-action', `action "${pattern}" is not "*" or "service:Action" (wildcards * and ? allowed)`, at);
    }
  }
  const resource = readPair(raw, 'Resource', 'NotResource', at, collector);
  const resourcePatterns: ValidatedResourcePattern[] = [];
  for (const text of resource === undefined ? [] : resource.values) {
    const parsed = parseText(text, substitutes);
    if ('problem' in parsed) {
      collector.add('policy-variable', parsed.problem, at);
      continue;
    }
    const colons = text.split(':').length - 1;
    if (text !== '*' && !(text.startsWith('arn:') && (colons >= 5 || text.endsWith('*')))) {
      collector.add('statement-resource', `resource "${text}" is neither "*" nor an ARN`, at);
      continue;
    }
    const { pieces, literal } = literalVariablesBeforeResourcePart(parsed.pieces);
    const service = text.startsWith('arn:') ? text.split(':')[2] : undefined;
    resourcePatterns.push({ text, pieces, literalVariables: literal, serviceWildcard: service !== undefined && /[*?]/.test(service.replace(/\$\{[^}]*\}/g, '')) });
  }
  const conditions = readConditions(raw['Condition'], substitutes, at, collector);
  if (collector.problems.length > before || action === undefined || resource === undefined) return undefined;
  return {
    index,
    sid,
    effect: effect as 'Allow' | 'Deny',
    action: { negated: action.negated, patterns: actionPatterns },
    resource: { negated: resource.negated, patterns: resourcePatterns },
    conditions,
  };
}

function readPair(
  raw: Record<string, unknown>,
  positive: string,
  negative: string,
  at: { index: number; sid: string | undefined },
  collector: ProblemCollector,
): { negated: boolean; values: string[] } | undefined {
  const hasPositive = raw[positive] !== undefined;
  const hasNegative = raw[negative] !== undefined;
  const code = positive === 'Action' ? 'statement-action' : 'statement-resource';
  if (hasPositive === hasNegative) {
    collector.add(
      code,
      hasPositive
        ? `the statement has both ${positive} and ${negative}; keep one`
        : `the statement has neither ${positive} nor ${negative} (an identity-based policy needs one)`,
      at,
    );
    return undefined;
  }
  const element = hasPositive ? positive : negative;
  const value = raw[element];
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (values === undefined || values.length === 0 || !values.every((item): item is string => typeof item === 'string' && item !== '')) {
    collector.add(code, `${element} must be a non-empty string or a non-empty list of non-empty strings`, at);
    return undefined;
  }
  return { negated: hasNegative, values };
}

function readConditions(
  raw: unknown,
  substitutes: boolean,
  at: { index: number; sid: string | undefined },
  collector: ProblemCollector,
): ValidatedCondition[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) {
    collector.add('condition-malformed', 'Condition is not an object of operators', at);
    return [];
  }
  const conditions: ValidatedCondition[] = [];
  for (const [operatorText, block] of Object.entries(raw)) {
    const operator = parseOperator(operatorText);
    if ('problem' in operator) {
      collector.add('condition-operator', operator.problem, at);
      continue;
    }
    if (!isRecord(block) || Object.keys(block).length === 0) {
      collector.add('condition-malformed', `condition ${operatorText} is not an object of condition keys and values`, at);
      continue;
    }
    for (const [keyText, rawValues] of Object.entries(block)) {
      if (!/^[^:\s]+:\S+$/.test(keyText)) {
        collector.add('condition-key', `condition key "${keyText}" is not of the form prefix:name`, at);
        continue;
      }
      const list = Array.isArray(rawValues) ? rawValues : [rawValues];
      if (list.length === 0) {
        collector.add('condition-value', `condition ${operatorText} ${keyText} has no values`, at);
        continue;
      }
      const values: { text: string; pieces: readonly TextPiece[] }[] = [];
      for (const item of list) {
        if (typeof item !== 'string' && typeof item !== 'boolean' && typeof item !== 'number') {
          collector.add('condition-value', `condition ${operatorText} ${keyText}: ${quoted(item)} is not a string, boolean or number`, at);
          continue;
        }
        const text = String(item);
        const parsed = parseText(text, substitutes && operator.variables);
        if ('problem' in parsed) {
          collector.add('policy-variable', parsed.problem, at);
          continue;
        }
        const problem = checkConditionValue(operator, text, parsed.pieces);
        if (problem !== undefined) {
          collector.add('condition-value', `${problem} (key ${keyText})`, at);
          continue;
        }
        values.push({ text, pieces: parsed.pieces });
      }
      conditions.push({ operator, keyText, key: keyText.toLowerCase(), values });
    }
  }
  return conditions;
}

/** A value as JSON for a message, cut short: a message stays one readable line whatever the file holds. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
