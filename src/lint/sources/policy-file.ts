/** Reads a policy file: a bare policy document, or the shapes the AWS CLI prints around one. */
import type { ExtractedPolicy } from '../types.js';
import { isRecord } from './intrinsics.js';
import { POLICY_SIZE_LIMITS, type PolicyHolder } from './limits.js';

const HOLDER_KEYS: readonly [string, PolicyHolder][] = [
  ['GroupName', 'group'],
  ['UserName', 'user'],
  ['RoleName', 'role'],
];

export function isPolicyFile(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    (value['Statement'] !== undefined || value['PolicyDocument'] !== undefined || (isRecord(value['PolicyVersion']) && value['PolicyVersion']['Document'] !== undefined))
  );
}

export function policyFilePolicies(file: string, content: Record<string, unknown>): ExtractedPolicy[] {
  if (content['Statement'] !== undefined) {
    // A bare document is most likely the guard, a group's inline policy.
    return [{ file, location: 'policy', document: content, unresolved: [], sizeLimit: POLICY_SIZE_LIMITS.group, source: { path: [], statementKey: 'Statement' } }];
  }
  if (content['PolicyDocument'] !== undefined) {
    // `aws iam get-group-policy` (and get-user-policy, get-role-policy) output, or the seed's own file.
    const holder = HOLDER_KEYS.find(([key]) => typeof content[key] === 'string');
    const policyName = typeof content['PolicyName'] === 'string' ? content['PolicyName'] : undefined;
    return [
      {
        file,
        location: 'PolicyDocument',
        source: { path: ['PolicyDocument'], statementKey: 'Statement' },
        ...(policyName === undefined ? {} : { policyName }),
        ...(holder === undefined ? {} : { attachedTo: `${holder[1]} ${String(content[holder[0]])}`, sizeLimit: POLICY_SIZE_LIMITS[holder[1]] }),
        ...decodeDocument(content['PolicyDocument']),
      },
    ];
  }
  // `aws iam get-policy-version` output.
  const version = content['PolicyVersion'] as Record<string, unknown>;
  return [{ file, location: 'PolicyVersion.Document', source: { path: ['PolicyVersion', 'Document'], statementKey: 'Statement' }, sizeLimit: POLICY_SIZE_LIMITS.managed, ...decodeDocument(version['Document']) }];
}

/** IAM's API returns documents URL-encoded; the CLI decodes them, other tools may not. */
function decodeDocument(document: unknown): { document: unknown; unresolved: []; parseError?: string } {
  if (typeof document !== 'string') return { document, unresolved: [] };
  try {
    const text = /^\s*%7B/i.test(document) ? decodeURIComponent(document) : document;
    return { document: JSON.parse(text) as unknown, unresolved: [] };
  } catch (error) {
    return { document, unresolved: [], parseError: `the policy document is not valid JSON: ${(error as Error).message}` };
  }
}
