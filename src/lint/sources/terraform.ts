/** Finds the IAM policy documents of a Terraform JSON configuration (`.tf.json`). */
import type { ExtractedPolicy, UnresolvedValue } from '../types.js';
import { isRecord } from './intrinsics.js';
import { POLICY_SIZE_LIMITS, type PolicyHolder } from './limits.js';

const POLICY_RESOURCES: Readonly<Record<string, { holder: PolicyHolder; holderArgument?: string }>> = {
  aws_iam_group_policy: { holder: 'group', holderArgument: 'group' },
  aws_iam_user_policy: { holder: 'user', holderArgument: 'user' },
  aws_iam_role_policy: { holder: 'role', holderArgument: 'role' },
  aws_iam_policy: { holder: 'managed' },
};

const DOCUMENT_DATA_SOURCE = 'aws_iam_policy_document';

export function isTerraformConfiguration(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && (value['resource'] !== undefined || value['data'] !== undefined);
}

interface Block {
  readonly type: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
  /** Where the body sits in the configuration (each level may be an object or a list of objects). */
  readonly path: readonly (string | number)[];
}

export function terraformPolicies(file: string, configuration: Record<string, unknown>): ExtractedPolicy[] {
  const resources = blocks(configuration['resource'], ['resource']);
  const dataSources = blocks(configuration['data'], ['data']).filter((block) => block.type === DOCUMENT_DATA_SOURCE);
  const referenced = new Set<string>();
  const policies: ExtractedPolicy[] = [];
  for (const resource of resources) {
    const kind = POLICY_RESOURCES[resource.type];
    if (kind === undefined || resource.body['policy'] === undefined) continue;
    const location = `${resource.type}.${resource.name}.policy`;
    const policyName = typeof resource.body['name'] === 'string' ? unescapeTemplate(resource.body['name']).text : undefined;
    const holderName = kind.holderArgument === undefined ? undefined : resource.body[kind.holderArgument];
    const attachedTo =
      typeof holderName === 'string' && !unescapeTemplate(holderName).interpolated ? `${kind.holder} ${unescapeTemplate(holderName).text}` : undefined;
    const base = {
      file,
      location,
      source: { path: [...resource.path, 'policy'], statementKey: 'statement' },
      ...(policyName === undefined ? {} : { policyName }),
      ...(attachedTo === undefined ? {} : { attachedTo }),
      sizeLimit: POLICY_SIZE_LIMITS[kind.holder],
    };
    const policy = resource.body['policy'];
    const reference = typeof policy === 'string' ? /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(?:json|minified_json)\}$/.exec(policy.trim()) : null;
    const dataSource = reference === null ? undefined : dataSources.find((block) => block.name === reference[1]);
    if (dataSource !== undefined) {
      referenced.add(dataSource.name);
      policies.push({ ...base, source: { path: dataSource.path, statementKey: 'statement' }, ...documentFromDataSource(dataSource.body) });
    } else {
      policies.push({ ...base, ...documentFromPolicyArgument(policy) });
    }
  }
  for (const dataSource of dataSources) {
    if (referenced.has(dataSource.name)) continue;
    const source = { path: dataSource.path, statementKey: 'statement' };
    policies.push({ file, location: `data.${DOCUMENT_DATA_SOURCE}.${dataSource.name}`, source, ...documentFromDataSource(dataSource.body) });
  }
  return policies;
}

/** Terraform JSON allows each level of `resource`/`data` as an object or a list of objects. */
function blocks(section: unknown, at: readonly (string | number)[]): Block[] {
  const found: Block[] = [];
  for (const byType of placedObjects(section, at)) {
    for (const [type, byName] of Object.entries(byType.value)) {
      for (const named of placedObjects(byName, [...byType.path, type])) {
        for (const [name, body] of Object.entries(named.value)) {
          for (const item of placedObjects(body, [...named.path, name])) found.push({ type, name, body: item.value, path: item.path });
        }
      }
    }
  }
  return found;
}

function asObjects(value: unknown): Record<string, unknown>[] {
  return placedObjects(value, []).map((item) => item.value);
}

function placedObjects(value: unknown, at: readonly (string | number)[]): { value: Record<string, unknown>; path: (string | number)[] }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, index) => (isRecord(item) ? [{ value: item, path: [...at, index] }] : []));
  }
  return isRecord(value) ? [{ value, path: [...at] }] : [];
}

/**
 * Terraform string templates: `$${` is a literal `${` and `%%{` a literal `%{`; an unescaped `${` or `%{` is an
 * interpolation or directive, which a linter cannot evaluate.
 */
export function unescapeTemplate(text: string): { text: string; interpolated: boolean } {
  let interpolated = false;
  const unescaped = text.replace(/([$%])(\1?)\{/g, (_whole, sign: string, doubled: string) => {
    if (doubled === '') interpolated = true;
    return `${sign}{`;
  });
  return { text: unescaped, interpolated };
}

function documentFromPolicyArgument(policy: unknown): { document: unknown; unresolved: UnresolvedValue[]; parseError?: string } {
  if (typeof policy !== 'string') {
    return { document: policy, unresolved: [{ path: [], reason: 'the policy argument is not a JSON string' }] };
  }
  const template = unescapeTemplate(policy);
  if (template.interpolated) {
    return { document: policy, unresolved: [{ path: [], reason: 'the policy is built by a Terraform expression (jsonencode, a reference, a template)' }] };
  }
  try {
    return { document: JSON.parse(template.text) as unknown, unresolved: [] };
  } catch (error) {
    return { document: template.text, unresolved: [], parseError: `the policy is not valid JSON: ${(error as Error).message}` };
  }
}

/** Translate an `aws_iam_policy_document` data source into the IAM JSON it renders. */
function documentFromDataSource(body: Record<string, unknown>): { document: unknown; unresolved: UnresolvedValue[] } {
  const unresolved: UnresolvedValue[] = [];
  for (const argument of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    if (body[argument] !== undefined) unresolved.push({ path: [], reason: `${argument} merges other documents, which are not read` });
  }
  const statements = asObjects(body['statement']).map((statement, index) => {
    const converted: Record<string, unknown> = { Effect: typeof statement['effect'] === 'string' ? statement['effect'] : 'Allow' };
    if (statement['sid'] !== undefined) converted['Sid'] = statement['sid'];
    const lists = { actions: 'Action', not_actions: 'NotAction', resources: 'Resource', not_resources: 'NotResource' } as const;
    for (const [argument, element] of Object.entries(lists)) {
      if (statement[argument] !== undefined) converted[element] = statement[argument];
    }
    const conditions = asObjects(statement['condition']);
    if (conditions.length > 0) {
      const block: Record<string, Record<string, unknown>> = {};
      for (const condition of conditions) {
        const test = String(condition['test']);
        const variable = String(condition['variable']);
        block[test] = { ...(block[test] ?? {}), [variable]: condition['values'] };
      }
      converted['Condition'] = block;
    }
    if (statement['principals'] !== undefined || statement['not_principals'] !== undefined) {
      converted['Principal'] = statement['principals'] ?? statement['not_principals'];
    }
    return substituteStrings(converted, ['Statement', index], unresolved);
  });
  const version = typeof body['version'] === 'string' ? body['version'] : '2012-10-17';
  return { document: { Version: version, Statement: statements }, unresolved };
}

/** In the data source, `&{aws:username}` and `$${aws:username}` both stand for the IAM variable `${aws:username}`. */
function substituteStrings(value: unknown, path: (string | number)[], unresolved: UnresolvedValue[]): unknown {
  if (typeof value === 'string') {
    const template = unescapeTemplate(value);
    if (template.interpolated) {
      unresolved.push({ path, reason: `"${value}" is a Terraform interpolation` });
      return value;
    }
    return template.text.replace(/&\{/g, '${');
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteStrings(item, [...path, index], unresolved));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteStrings(item, [...path, key], unresolved)]));
  }
  return value;
}
