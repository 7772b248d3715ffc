/** FMFA011: actions AWS never authorizes with IAM policies; naming them has no effect. */
import { checkableStatements } from '../guard-shape.js';
import type { PolicyRule, RuleHit } from '../rule.js';

/** AWS: "you cannot use policies to control authentication operations"; GetCallerIdentity always works. */
export const UNCONTROLLABLE_ACTIONS: readonly string[] = ['sts:GetSessionToken', 'sts:GetCallerIdentity'];

export const uncontrollableAction: PolicyRule = {
  id: 'FMFA011',
  scope: 'policy',
  check(policy) {
    const hits: RuleHit[] = [];
    for (const statement of checkableStatements(policy)) {
      for (const [element, actions] of [['Action', statement.actions], ['NotAction', statement.notActions]] as const) {
        for (const action of actions) {
          const known = UNCONTROLLABLE_ACTIONS.find((name) => name.toLowerCase() === action.toLowerCase());
          if (known === undefined) continue;
          const effect = element === 'NotAction' && statement.effect === 'Deny' ? 'exempting it from the deny' : `${statement.effect === 'Deny' ? 'denying' : 'allowing'} it`;
          hits.push({
            statementIndex: statement.index,
            message: `${element} lists ${known}, which IAM policies do not control: ${effect} has no effect`,
          });
        }
      }
    }
    return hits;
  },
};
