/** The guard's IAM policy document as JSON, ready for `aws iam put-group-policy --policy-document file://...`. */
import type { GuardDefinition } from '../policy/guard.js';

export function renderPolicyJson(guard: GuardDefinition): string {
  return `${JSON.stringify(guard.document, null, 2)}\n`;
}
