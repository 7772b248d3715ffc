/** FMFA009: policy variables are literal text unless the document says Version 2012-10-17. */
import { checkableStatements } from '../guard-shape.js';
import type { PolicyRule, RuleHit } from '../rule.js';

export const variablesWithoutVersion: PolicyRule = {
  id: 'FMFA009',
  scope: 'policy',
  check(policy) {
    if (policy.version === '2012-10-17') return [];
    const version = policy.version === undefined ? 'no Version' : `Version ${JSON.stringify(policy.version)}`;
    const hits: RuleHit[] = [];
    for (const statement of checkableStatements(policy)) {
      const texts = [...statement.resources, ...statement.notResources, ...Object.values(statement.condition).flatMap((keys) => Object.values(keys).flat())];
      const variables = [...new Set(texts.flatMap((text) => text.match(/\$\{[^}]*\}/g) ?? []))];
      if (variables.length === 0) continue;
      hits.push({
        statementIndex: statement.index,
        message: `uses ${variables.join(', ')} but the document has ${version}: IAM reads them as literal text`,
      });
    }
    return hits;
  },
};
