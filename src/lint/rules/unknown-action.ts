/** FMFA006 and FMFA007: action names checked against the catalogue of every AWS action. */
import { checkableStatements } from '../guard-shape.js';
import type { PolicyRule, RuleHit } from '../rule.js';

function* listedActions(statements: ReturnType<typeof checkableStatements>) {
  for (const statement of statements) {
    for (const [element, actions] of [['Action', statement.actions], ['NotAction', statement.notActions]] as const) {
      for (const action of actions) yield { statement, element, action };
    }
  }
}

export const unknownAction: PolicyRule = {
  id: 'FMFA006',
  scope: 'policy',
  check(policy, { actions }) {
    const hits: RuleHit[] = [];
    for (const { statement, element, action } of listedActions(checkableStatements(policy))) {
      if (/[*?]/.test(action)) continue;
      if (!/^[\w-]+:[\w-]+$/.test(action)) {
        hits.push({ statementIndex: statement.index, message: `${element} "${action}" is not of the form service:Action` });
        continue;
      }
      if (actions.canonical(action) !== undefined) continue;
      const service = action.slice(0, action.indexOf(':'));
      const suggestion = actions.closest(action);
      const known = actions.hasService(service) ? 'is not an action of' : 'names an unknown service';
      hits.push({
        statementIndex: statement.index,
        message:
          `${element} "${action}" ${known} ${actions.hasService(service) ? service : `"${service}"`}` +
          (suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`),
      });
    }
    return hits;
  },
};

export const wildcardMatchesNothing: PolicyRule = {
  id: 'FMFA007',
  scope: 'policy',
  check(policy, { actions }) {
    const hits: RuleHit[] = [];
    for (const { statement, element, action } of listedActions(checkableStatements(policy))) {
      if (!/[*?]/.test(action) || /^\*+$/.test(action) || actions.matchesAny(action)) continue;
      hits.push({ statementIndex: statement.index, message: `${element} pattern "${action}" matches no known action` });
    }
    return hits;
  },
};
