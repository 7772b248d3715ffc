/** Reads policies from the text of a JSON or YAML file: a document, or AWS CLI and export shapes around one. */
import { parse as parseYaml } from 'yaml';
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

function parseJsonOrYaml(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (jsonError) {
    try {
      return parseYaml(text) as unknown;
    } catch (yamlError) {
      const reason = yamlError instanceof Error ? yamlError.message.split('\n')[0] : String(yamlError);
      throw inputError('policy-unreadable', `${source} is neither JSON nor YAML (${reason})`, jsonError);
    }
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
