/** Finds the IAM policy documents of a CloudFormation template (groups, users, roles, inline and managed policies). */
import type { ExtractedPolicy, UnresolvedValue } from '../types.js';
import { isRecord, resolveIntrinsics, templateScope, type TemplateScope } from './intrinsics.js';
import { POLICY_SIZE_LIMITS, strictestLimit, type PolicyHolder } from './limits.js';

const HOLDER_OF_TYPE: Readonly<Record<string, PolicyHolder>> = {
  'AWS::IAM::Group': 'group',
  'AWS::IAM::User': 'user',
  'AWS::IAM::Role': 'role',
};

const SINGLE_POLICY_TYPES: Readonly<Record<string, { holder: PolicyHolder | 'attachments'; nameProperty?: string }>> = {
  'AWS::IAM::ManagedPolicy': { holder: 'managed', nameProperty: 'ManagedPolicyName' },
  'AWS::IAM::Policy': { holder: 'attachments', nameProperty: 'PolicyName' },
  'AWS::IAM::GroupPolicy': { holder: 'group', nameProperty: 'PolicyName' },
  'AWS::IAM::UserPolicy': { holder: 'user', nameProperty: 'PolicyName' },
  'AWS::IAM::RolePolicy': { holder: 'role', nameProperty: 'PolicyName' },
};

const HOLDER_NAME_PROPERTY: Readonly<Record<PolicyHolder, string>> = { group: 'GroupName', user: 'UserName', role: 'RoleName', managed: '' };

export function isCloudFormationTemplate(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && isRecord(value['Resources']);
}

export function cloudFormationPolicies(file: string, template: Record<string, unknown>): ExtractedPolicy[] {
  const scope = templateScope(template);
  const resources = template['Resources'] as Record<string, unknown>;
  const policies: ExtractedPolicy[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || typeof resource['Type'] !== 'string') continue;
    const properties = isRecord(resource['Properties']) ? resource['Properties'] : {};
    const type = resource['Type'];
    const holder = HOLDER_OF_TYPE[type];
    if (holder !== undefined) policies.push(...holderPolicies(file, logicalId, holder, properties, scope));
    const single = SINGLE_POLICY_TYPES[type];
    if (single !== undefined && properties['PolicyDocument'] !== undefined) {
      policies.push(singlePolicy(file, logicalId, single, properties, scope));
    }
  }
  return policies;
}

function holderPolicies(file: string, logicalId: string, holder: PolicyHolder, properties: Record<string, unknown>, scope: TemplateScope): ExtractedPolicy[] {
  if (properties['Policies'] === undefined) return [];
  const holderName = textOf(properties[HOLDER_NAME_PROPERTY[holder]], scope) ?? logicalId;
  const base = { file, attachedTo: `${holder} ${holderName}`, sizeLimit: POLICY_SIZE_LIMITS[holder] };
  const list = resolveIntrinsics(properties['Policies'], scope);
  if (!Array.isArray(list.value) || list.unresolved.some((entry) => entry.path.length === 0)) {
    const reason = list.unresolved[0]?.reason ?? 'Policies is not a list';
    const source = { path: ['Resources', logicalId, 'Properties', 'Policies'], statementKey: 'Statement' };
    return [{ ...base, location: `Resources.${logicalId}.Policies`, source, document: properties['Policies'], unresolved: [{ path: [], reason }] }];
  }
  return list.value.map((entry, index) => {
    const location = `Resources.${logicalId}.Policies[${index}]`;
    const policyName = isRecord(entry) && typeof entry['PolicyName'] === 'string' ? entry['PolicyName'] : undefined;
    // An entry built by a function (say Fn::If) leaves its whole document unknown.
    const inner = list.unresolved
      .filter((item) => item.path[0] === index && (item.path.length === 1 || item.path[1] === 'PolicyDocument'))
      .map((item) => ({ path: item.path.slice(2), reason: item.reason }));
    const document = isRecord(entry) ? entry['PolicyDocument'] : undefined;
    const source = { path: ['Resources', logicalId, 'Properties', 'Policies', index, 'PolicyDocument'], statementKey: 'Statement' };
    return { ...base, location, source, ...(policyName === undefined ? {} : { policyName }), ...documentOf(document, inner) };
  });
}

function singlePolicy(
  file: string,
  logicalId: string,
  kind: { holder: PolicyHolder | 'attachments'; nameProperty?: string },
  properties: Record<string, unknown>,
  scope: TemplateScope,
): ExtractedPolicy {
  const resolved = resolveIntrinsics(properties['PolicyDocument'], scope);
  const policyName = kind.nameProperty === undefined ? undefined : textOf(properties[kind.nameProperty], scope);
  let attachedTo: string | undefined;
  let sizeLimit: ExtractedPolicy['sizeLimit'];
  if (kind.holder === 'attachments') {
    const holders = (['group', 'user', 'role'] as const).filter((holder) => hasEntries(properties[`${capitalize(holder)}s`]));
    sizeLimit = strictestLimit(holders);
    const names = holders.flatMap((holder) => listOf(properties[`${capitalize(holder)}s`], scope).map((name) => `${holder} ${name}`));
    attachedTo = names.length > 0 ? names.join(', ') : undefined;
  } else {
    sizeLimit = POLICY_SIZE_LIMITS[kind.holder];
    if (kind.holder !== 'managed') {
      const holderName = textOf(properties[HOLDER_NAME_PROPERTY[kind.holder]], scope);
      attachedTo = holderName === undefined ? undefined : `${kind.holder} ${holderName}`;
    }
  }
  return {
    file,
    location: `Resources.${logicalId}.PolicyDocument`,
    source: { path: ['Resources', logicalId, 'Properties', 'PolicyDocument'], statementKey: 'Statement' },
    ...(policyName === undefined ? {} : { policyName }),
    ...(attachedTo === undefined ? {} : { attachedTo }),
    ...(sizeLimit === undefined ? {} : { sizeLimit }),
    ...documentOf(resolved.value, resolved.unresolved),
  };
}

/** CloudFormation also takes a policy document as a JSON string. */
function documentOf(document: unknown, unresolved: readonly UnresolvedValue[]): { document: unknown; unresolved: readonly UnresolvedValue[] } {
  if (typeof document === 'string' && unresolved.length === 0) {
    try {
      return { document: JSON.parse(document) as unknown, unresolved };
    } catch {
      return { document, unresolved };
    }
  }
  return { document, unresolved };
}

function textOf(value: unknown, scope: TemplateScope): string | undefined {
  if (value === undefined) return undefined;
  const resolved = resolveIntrinsics(value, scope);
  return resolved.unresolved.length === 0 && typeof resolved.value === 'string' ? resolved.value : undefined;
}

function listOf(value: unknown, scope: TemplateScope): string[] {
  const resolved = resolveIntrinsics(value, scope);
  return Array.isArray(resolved.value) ? resolved.value.map((item) => (typeof item === 'string' ? item : '(unresolved)')) : [];
}

function hasEntries(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
