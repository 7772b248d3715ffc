/** FMFA013: documents and statements that do not have the shape IAM expects. */
import type { PolicyRule, RuleHit } from '../rule.js';

export const malformedPolicy: PolicyRule = {
  id: 'FMFA013',
  scope: 'policy',
  check(policy) {
    const hits: RuleHit[] = policy.documentProblems.map((problem) => ({ message: problem }));
    for (const statement of policy.statements) {
      for (const problem of statement.problems) hits.push({ statementIndex: statement.index, message: `${problem}` });
    }
    return hits;
  },
};
