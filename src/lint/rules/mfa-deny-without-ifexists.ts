/** FMFA001: a Deny on aws:MultiFactorAuthPresent = false without IfExists never applies to access-key requests. */
import { checkableStatements } from '../guard-shape.js';
import type { PolicyRule, RuleHit } from '../rule.js';

export const mfaDenyWithoutIfExists: PolicyRule = {
  id: 'FMFA001',
  scope: 'policy',
  check(policy) {
    const hits: RuleHit[] = [];
    for (const statement of checkableStatements(policy)) {
      if (statement.effect !== 'Deny') continue;
      for (const [operator, keys] of Object.entries(statement.condition)) {
        // Null tests presence itself, and ...IfExists operators match a missing key: both reach access-key requests.
        if (/IfExists$/i.test(operator) || /^Null$/i.test(operator)) continue;
        for (const [key, values] of Object.entries(keys)) {
          if (!/^aws:MultiFactorAuthPresent$/i.test(key) || !values.some((value) => value.toLowerCase() === 'false')) continue;
          hits.push({
            statementIndex: statement.index,
            message: `denies on "${operator}": {"${key}": "false"}, which never matches requests signed with long-term access keys (the key is absent): they bypass the MFA deny`,
          });
        }
      }
    }
    return hits;
  },
};
