/** FMFA014: parts of a policy built from values an offline reading cannot resolve are reported, never skipped. */
import type { PolicyRule, RuleHit } from '../rule.js';

const SKIPPED = 'the checks that evaluate the policy (FMFA003, FMFA004, FMFA005, FMFA010) were not run on it';

export const unresolvedValue: PolicyRule = {
  id: 'FMFA014',
  scope: 'policy',
  check(policy) {
    const hits: RuleHit[] = [...new Set(policy.documentUnresolved)].map((reason) => ({
      message: `the policy document could not be checked: ${reason}`,
    }));
    for (const statement of policy.statements) {
      if (statement.unresolved.length === 0) continue;
      hits.push({
        statementIndex: statement.index,
        message: `could not be checked: ${[...new Set(statement.unresolved)].join('; ')}; ${SKIPPED}`,
      });
    }
    return hits;
  },
};
