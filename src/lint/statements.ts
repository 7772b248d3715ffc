/** Checks the shape of a policy document and reads its statements into lists the rules can work with. */
import { isRecord } from './sources/intrinsics.js';
import type { ExtractedPolicy } from './types.js';

export interface LintStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** operator → key → values, values as IAM compares them (text). */
  readonly condition: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Why the statement does not have the shape IAM expects; empty when it does. */
  readonly problems: readonly string[];
  /** Values the linter could not resolve; empty when everything is known. */
  readonly unresolved: readonly string[];
}

export interface PolicyUnderLint {
  readonly policy: ExtractedPolicy;
  readonly version: unknown;
  readonly statements: readonly LintStatement[];
  readonly documentProblems: readonly string[];
  readonly documentUnresolved: readonly string[];
  /** True when the whole document is known and well-formed, so evaluating it means something. */
  readonly evaluable: boolean;
}

const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

export function readPolicy(policy: ExtractedPolicy): PolicyUnderLint {
  const documentUnresolved = policy.unresolved.filter((item) => statementOf(item.path, policy.document) === undefined).map((item) => item.reason);
  const documentProblems: string[] = [];
  if (policy.parseError !== undefined) documentProblems.push(policy.parseError);
  const document = policy.document;
  let statements: LintStatement[] = [];
  if (policy.parseError === undefined && documentUnresolved.length === 0) {
    if (!isRecord(document)) {
      documentProblems.push('the policy document is not a JSON object');
    } else {
      documentProblems.push(...documentShapeProblems(document));
      const raw = document['Statement'];
      const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
      statements = list.map((statement: unknown, index) => {
        const unresolved = policy.unresolved.filter((item) => statementOf(item.path, document) === index).map((item) => item.reason);
        return readStatement(statement, index, unresolved);
      });
    }
  }
  const evaluable =
    documentProblems.length === 0 &&
    documentUnresolved.length === 0 &&
    statements.every((statement) => statement.problems.length === 0 && statement.unresolved.length === 0);
  return {
    policy,
    version: isRecord(document) ? document['Version'] : undefined,
    statements,
    documentProblems,
    documentUnresolved,
    evaluable,
  };
}

/** The statement index an unresolved path falls in, or undefined when it concerns the whole document. */
function statementOf(path: readonly (string | number)[], document: unknown): number | undefined {
  if (path[0] !== 'Statement' || path.length < 2) return undefined;
  if (typeof path[1] === 'number') return path[1];
  return isRecord(document) && isRecord(document['Statement']) ? 0 : undefined;
}

function documentShapeProblems(document: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(document)) {
    if (!DOCUMENT_KEYS.has(key)) problems.push(`unknown element "${key}" in the policy document`);
  }
  const version = document['Version'];
  if (version !== undefined && !(typeof version === 'string' && VERSIONS.has(version))) {
    problems.push(`Version ${JSON.stringify(version)} is not "2012-10-17" or "2008-10-17"`);
  }
  const statement = document['Statement'];
  if (statement === undefined) problems.push('the policy document has no Statement');
  else if (Array.isArray(statement) && statement.length === 0) problems.push('the Statement list is empty');
  else if (!Array.isArray(statement) && !isRecord(statement)) problems.push('Statement is neither a statement nor a list of statements');
  return problems;
}

function readStatement(raw: unknown, index: number, unresolved: readonly string[]): LintStatement {
  const empty = { index, actions: [], notActions: [], resources: [], notResources: [], condition: {}, unresolved };
  if (!isRecord(raw)) return { ...empty, problems: ['the statement is not a JSON object'] };
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) problems.push(`unknown element "${key}"`);
  }
  if (raw['Principal'] !== undefined || raw['NotPrincipal'] !== undefined) {
    problems.push('Principal/NotPrincipal belong in resource policies, not in identity policies');
  }
  const sid = raw['Sid'];
  if (sid !== undefined && typeof sid !== 'string') problems.push('Sid is not a string');
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') problems.push(`Effect ${JSON.stringify(effect)} is neither "Allow" nor "Deny"`);
  const lists = {
    actions: stringList(raw, 'Action', problems),
    notActions: stringList(raw, 'NotAction', problems),
    resources: stringList(raw, 'Resource', problems),
    notResources: stringList(raw, 'NotResource', problems),
  };
  exactlyOne(raw, 'Action', 'NotAction', problems);
  exactlyOne(raw, 'Resource', 'NotResource', problems);
  const condition = readCondition(raw['Condition'], problems);
  return {
    ...empty,
    ...(typeof sid === 'string' ? { sid } : {}),
    ...(effect === 'Allow' || effect === 'Deny' ? { effect } : {}),
    ...lists,
    condition,
    problems: unresolved.length > 0 ? [] : problems,
  };
}

function stringList(raw: Record<string, unknown>, key: string, problems: string[]): string[] {
  const value = raw[key];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) problems.push(`${key} is an empty list`);
  if (!list.every((item) => typeof item === 'string')) problems.push(`${key} holds a value that is not a string`);
  return list.filter((item): item is string => typeof item === 'string');
}

function exactlyOne(raw: Record<string, unknown>, element: string, negated: string, problems: string[]): void {
  const present = [element, negated].filter((key) => raw[key] !== undefined);
  if (present.length === 0) problems.push(`the statement has neither ${element} nor ${negated}`);
  if (present.length === 2) problems.push(`the statement has both ${element} and ${negated}`);
}

function readCondition(raw: unknown, problems: string[]): Record<string, Record<string, string[]>> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    problems.push('Condition is not an object of operators');
    return {};
  }
  const condition: Record<string, Record<string, string[]>> = {};
  for (const [operator, block] of Object.entries(raw)) {
    if (!isRecord(block)) {
      problems.push(`Condition operator ${operator} does not map keys to values`);
      continue;
    }
    const keys: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(block)) {
      const values = Array.isArray(value) ? value : [value];
      if (!values.every((item) => ['string', 'number', 'boolean'].includes(typeof item))) {
        problems.push(`Condition ${operator} ${key} holds a value that is not a string, number or boolean`);
      }
      keys[key] = values.map(String);
    }
    condition[operator] = keys;
  }
  return condition;
}
