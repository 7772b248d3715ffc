/** Resolves CloudFormation intrinsic functions inside a policy document as far as an offline reading allows. */
import { LINT_ACCOUNT_ID, LINT_PARTITION, LINT_REGION } from '../assumptions.js';
import type { UnresolvedValue } from '../types.js';

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Partition': LINT_PARTITION,
  'AWS::AccountId': LINT_ACCOUNT_ID,
  'AWS::Region': LINT_REGION,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'stack',
};

/** What a template offers for resolution: parameter defaults, mappings and its own resources. */
export interface TemplateScope {
  readonly parameters: ReadonlyMap<string, string | readonly string[]>;
  readonly mappings: Readonly<Record<string, unknown>>;
  readonly resources: Readonly<Record<string, unknown>>;
}

type Outcome = { readonly value: unknown } | { readonly removed: true } | { readonly unresolved: string };

const REMOVED: Outcome = { removed: true };

export function templateScope(template: Record<string, unknown>): TemplateScope {
  const parameters = new Map<string, string | readonly string[]>();
  const declared = template['Parameters'];
  if (isRecord(declared)) {
    for (const [name, parameter] of Object.entries(declared)) {
      if (!isRecord(parameter) || parameter['Default'] === undefined) continue;
      const fallback = String(parameter['Default']);
      const type = typeof parameter['Type'] === 'string' ? parameter['Type'] : '';
      parameters.set(name, type.startsWith('List<') || type === 'CommaDelimitedList' ? fallback.split(',').map((part) => part.trim()) : fallback);
    }
  }
  const mappings = isRecord(template['Mappings']) ? template['Mappings'] : {};
  const resources = isRecord(template['Resources']) ? template['Resources'] : {};
  return { parameters, mappings, resources };
}

/**
 * Resolve every intrinsic function in `value`. What cannot be resolved stays as written and is listed, with its path,
 * in the returned `unresolved`; `AWS::NoValue` removes the property or list item, as CloudFormation does.
 */
export function resolveIntrinsics(value: unknown, scope: TemplateScope): { value: unknown; unresolved: UnresolvedValue[] } {
  const unresolved: UnresolvedValue[] = [];
  const outcome = walk(value, scope, [], unresolved);
  return { value: 'value' in outcome ? outcome.value : undefined, unresolved };
}

function walk(value: unknown, scope: TemplateScope, path: (string | number)[], unresolved: UnresolvedValue[]): Outcome {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      // Paths name positions in the resolved list, which is what the rules read.
      const outcome = walk(item, scope, [...path, items.length], unresolved);
      if ('value' in outcome) items.push(outcome.value);
      else if ('unresolved' in outcome) items.push(item);
    }
    return { value: items };
  }
  if (!isRecord(value)) return { value };
  const intrinsic = intrinsicName(value);
  if (intrinsic !== undefined) {
    const outcome = resolveFunction(intrinsic, value[intrinsic], scope);
    if ('unresolved' in outcome) {
      unresolved.push({ path, reason: outcome.unresolved });
      return { value };
    }
    return outcome;
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const outcome = walk(item, scope, [...path, key], unresolved);
    if ('value' in outcome) result[key] = outcome.value;
    else if ('unresolved' in outcome) result[key] = item;
  }
  return { value: result };
}

function intrinsicName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

function resolveFunction(name: string, argument: unknown, scope: TemplateScope): Outcome {
  switch (name) {
    case 'Ref':
      return resolveRef(argument, scope);
    case 'Fn::Sub':
      return resolveSub(argument, scope);
    case 'Fn::Join':
      return resolveJoin(argument, scope);
    case 'Fn::Select':
      return resolveSelect(argument, scope);
    case 'Fn::Split':
      return resolveSplit(argument, scope);
    case 'Fn::FindInMap':
      return resolveFindInMap(argument, scope);
    case 'Fn::GetAtt':
      return resolveGetAttArn(argument, scope);
    default:
      return { unresolved: `${name} cannot be resolved offline` };
  }
}

/** Resolve a nested argument to a plain value (no intrinsic left inside). */
function argumentValue(argument: unknown, scope: TemplateScope): Outcome {
  const inner: UnresolvedValue[] = [];
  const outcome = walk(argument, scope, [], inner);
  const first = inner[0];
  return first === undefined ? outcome : { unresolved: first.reason };
}

function resolveRef(argument: unknown, scope: TemplateScope): Outcome {
  if (typeof argument !== 'string') return { unresolved: 'Ref needs a name' };
  if (argument === 'AWS::NoValue') return REMOVED;
  const pseudo = PSEUDO_PARAMETERS[argument];
  if (pseudo !== undefined) return { value: pseudo };
  const parameter = scope.parameters.get(argument);
  if (parameter !== undefined) return { value: parameter };
  return { unresolved: `Ref ${argument} names a resource or a parameter without default` };
}

function resolveSub(argument: unknown, scope: TemplateScope): Outcome {
  let text: unknown = argument;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(argument)) {
    [text] = argument;
    const given = argumentValue(argument[1] ?? {}, scope);
    if (!('value' in given) || !isRecord(given.value)) return { unresolved: 'Fn::Sub variables cannot be resolved offline' };
    variables = given.value;
  }
  if (typeof text !== 'string') return { unresolved: 'Fn::Sub needs a string' };
  let failure: string | undefined;
  // `${!x}` is CloudFormation's escape for a literal `${x}` (how IAM policy variables are written inside Fn::Sub).
  const substituted = text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const variable = variables[name];
    if (typeof variable === 'string' || typeof variable === 'number') return String(variable);
    const pseudo = PSEUDO_PARAMETERS[name];
    if (pseudo !== undefined) return pseudo;
    const parameter = scope.parameters.get(name);
    if (typeof parameter === 'string') return parameter;
    failure ??= name.includes(':')
      ? `Fn::Sub variable ${whole} is not a parameter, resource or pseudo parameter (write \${!${name}} for the IAM policy variable)`
      : `Fn::Sub variable ${whole} names a resource attribute or a parameter without default`;
    return whole;
  });
  return failure === undefined ? { value: substituted } : { unresolved: failure };
}

function resolveJoin(argument: unknown, scope: TemplateScope): Outcome {
  const resolved = argumentValue(argument, scope);
  if (!('value' in resolved)) return resolved;
  const [delimiter, parts] = Array.isArray(resolved.value) ? resolved.value : [];
  if (typeof delimiter !== 'string' || !Array.isArray(parts) || !parts.every(isText)) return { unresolved: 'Fn::Join needs a delimiter and a list of strings' };
  return { value: parts.map(String).join(delimiter) };
}

function resolveSelect(argument: unknown, scope: TemplateScope): Outcome {
  const resolved = argumentValue(argument, scope);
  if (!('value' in resolved)) return resolved;
  const [index, list] = Array.isArray(resolved.value) ? resolved.value : [];
  const position = Number(index);
  if (!Array.isArray(list) || !Number.isInteger(position) || position < 0 || position >= list.length) {
    return { unresolved: 'Fn::Select needs an index inside a list' };
  }
  return { value: list[position] };
}

function resolveSplit(argument: unknown, scope: TemplateScope): Outcome {
  const resolved = argumentValue(argument, scope);
  if (!('value' in resolved)) return resolved;
  const [delimiter, text] = Array.isArray(resolved.value) ? resolved.value : [];
  if (typeof delimiter !== 'string' || typeof text !== 'string') return { unresolved: 'Fn::Split needs a delimiter and a string' };
  return { value: text.split(delimiter) };
}

function resolveFindInMap(argument: unknown, scope: TemplateScope): Outcome {
  const resolved = argumentValue(argument, scope);
  if (!('value' in resolved)) return resolved;
  const keys = Array.isArray(resolved.value) ? resolved.value : [];
  let current: unknown = scope.mappings;
  for (const key of keys.slice(0, 3)) {
    current = isRecord(current) && isText(key) ? current[String(key)] : undefined;
  }
  return current === undefined ? { unresolved: 'Fn::FindInMap names no entry of the template\'s Mappings' } : { value: current };
}

/**
 * The ARN of a resource of the template, by its type and name, for the types whose ARN the name decides. A resource
 * without a name property gets CloudFormation's generated name, `stack-LogicalId-` and a suffix, here fixed: the
 * account, region and partition are the linter's assumed ones anyway (see assumptions.ts).
 */
const ARN_OF_TYPE: Readonly<Record<string, { nameProperty: string; arn: (name: string, path: string) => string }>> = {
  'AWS::IAM::Group': { nameProperty: 'GroupName', arn: (name, path) => `arn:${LINT_PARTITION}:iam::${LINT_ACCOUNT_ID}:group${path}${name}` },
  'AWS::IAM::Role': { nameProperty: 'RoleName', arn: (name, path) => `arn:${LINT_PARTITION}:iam::${LINT_ACCOUNT_ID}:role${path}${name}` },
  'AWS::IAM::User': { nameProperty: 'UserName', arn: (name, path) => `arn:${LINT_PARTITION}:iam::${LINT_ACCOUNT_ID}:user${path}${name}` },
  'AWS::SQS::Queue': { nameProperty: 'QueueName', arn: (name) => `arn:${LINT_PARTITION}:sqs:${LINT_REGION}:${LINT_ACCOUNT_ID}:${name}` },
  'AWS::Lambda::Function': { nameProperty: 'FunctionName', arn: (name) => `arn:${LINT_PARTITION}:lambda:${LINT_REGION}:${LINT_ACCOUNT_ID}:function:${name}` },
};

/** Resources whose ARN is being worked out: a name property that refers back to its own resource is unresolved. */
const resolving = new Set<string>();

function resolveGetAttArn(argument: unknown, scope: TemplateScope): Outcome {
  const [logicalId, attribute] = typeof argument === 'string' ? splitAttribute(argument) : Array.isArray(argument) ? argument : [];
  const resource = typeof logicalId === 'string' ? scope.resources[logicalId] : undefined;
  const type = isRecord(resource) && typeof resource['Type'] === 'string' ? ARN_OF_TYPE[resource['Type']] : undefined;
  if (attribute !== 'Arn' || type === undefined || resolving.has(logicalId as string)) {
    return { unresolved: 'Fn::GetAtt cannot be resolved offline' };
  }
  const id = logicalId as string;
  const properties = isRecord(resource) && isRecord(resource['Properties']) ? resource['Properties'] : {};
  resolving.add(id);
  try {
    const name = properties[type.nameProperty] === undefined ? { value: `${PSEUDO_PARAMETERS['AWS::StackName']}-${id}-GENERATED` } : argumentValue(properties[type.nameProperty], scope);
    const path = properties['Path'] === undefined ? { value: '/' } : argumentValue(properties['Path'], scope);
    if (!('value' in name) || !('value' in path) || typeof name.value !== 'string' || typeof path.value !== 'string') {
      return { unresolved: `Fn::GetAtt ${id}.Arn: the name of ${id} cannot be resolved offline` };
    }
    return { value: type.arn(name.value, path.value) };
  } finally {
    resolving.delete(id);
  }
}

function splitAttribute(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

function isText(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
