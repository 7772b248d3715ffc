/** Reads policies from the text of a JSON or YAML file: a document, or AWS CLI and export shapes around one. */
import { parseDocument, type CollectionTag, type ScalarTag } from 'yaml';
import { inputError } from '../errors.js';
import type { NamedPolicy } from './compile.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deeper than any policy, template or export: nesting beyond it only exhausts the stack of whoever walks the value. */
export const MAX_NESTING_DEPTH = 64;

/** Refuses values nested deeper than MAX_NESTING_DEPTH (walked without recursion, so the check cannot overflow). */
export function assertNestingDepth(value: unknown, source: string): void {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_NESTING_DEPTH) {
      throw inputError('nesting-too-deep', `${source} nests arrays or objects more than ${MAX_NESTING_DEPTH} levels deep: no policy does; correct the file`);
    }
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
}

function parseStructured(text: string, source: string): unknown {
  const value = parseJsonOrYaml(text, source);
  assertNestingDepth(value, source);
  return value;
}

export interface StructuredTextOptions {
  /** YAML tags beyond the core schema (CloudFormation's !Ref, !Sub, ...). */
  readonly customTags?: readonly (ScalarTag | CollectionTag)[];
}

/** How a file's text is read: JSON for `.json`, YAML for `.yaml`/`.yml`, else JSON when the text opens like JSON. */
export function textSyntax(source: string, text: string): 'json' | 'yaml' {
  if (/\.json$/i.test(source)) return 'json';
  if (/\.ya?ml$/i.test(source)) return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/**
 * The value in a file's text, strictly: a `.json` file (or text that opens like JSON) must be JSON, which IAM
 * requires too; YAML is read only for `.yaml`/`.yml` and for other text, with unique keys and bounded aliases.
 */
export function parseJsonOrYaml(text: string, source: string, options: StructuredTextOptions = {}): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (textSyntax(source, body) === 'json') {
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      // JSON.parse quotes the start of the text, line breaks included: keep the message on one line.
      const reason = (error as Error).message.replace(/\s+/g, ' ').trim().replace(/ is not valid JSON$/, '');
      throw inputError('file-not-json', `${source} is not valid JSON (${reason}): correct the file`, error);
    }
  }
  const document = parseDocument(body, { customTags: [...(options.customTags ?? [])], prettyErrors: true, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem !== undefined) {
    // With prettyErrors the first line of the message ends with "at line L, column C:".
    const summary = (problem.message.split('\n')[0] ?? '').replace(/:\s*$/, '');
    throw inputError('file-not-yaml', `${source} is not valid YAML (${summary}): correct the file`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    // Aliases that expand beyond the limit (a "billion laughs" file) are refused by the parser, not a bug.
    throw inputError('file-not-yaml', `${source} is not usable YAML (${(error as Error).message.split('\n')[0]}): correct the file`, error);
  }
}

/** Documents from GetAccountAuthorizationDetails and the console are sometimes URL-encoded JSON strings. */
function documentFrom(value: unknown, source: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    // Inside the try: a stray "%" makes decodeURIComponent throw URIError, which is bad input, not a bug.
    return JSON.parse(value.trim().startsWith('%') ? decodeURIComponent(value) : value) as unknown;
  } catch (error) {
    throw inputError('policy-unreadable', `${source}: the policy document string is not JSON`, error);
  }
}

function policiesFrom(value: unknown, name: string, source: string): NamedPolicy[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => policiesFrom(item, `${name}[${index + 1}]`, source));
  }
  if (isRecord(value)) {
    if ('Statement' in value) return [{ name, document: value }];
    const policyName = typeof value['PolicyName'] === 'string' ? value['PolicyName'] : name;
    if ('PolicyDocument' in value) return [{ name: policyName, document: documentFrom(value['PolicyDocument'], source) }];
    const version = value['PolicyVersion'];
    if (isRecord(version) && 'Document' in version) return [{ name: policyName, document: documentFrom(version['Document'], source) }];
  }
  throw inputError(
    'policy-unrecognised',
    `${source} holds no policy document: expected an object with a Statement element (or PolicyDocument, PolicyVersion.Document)`,
  );
}

/**
 * The policies in a file's text. `source` names the file in messages; a policy is named after its PolicyName when
 * the file gives one, else after the file.
 */
export function parsePolicyText(text: string, source: string): NamedPolicy[] {
  if (text.trim() === '') throw inputError('policy-unreadable', `${source} is empty`);
  const name = source.split(/[\\/]/).pop() ?? source;
  return policiesFrom(parseStructured(text, source), name, source);
}
