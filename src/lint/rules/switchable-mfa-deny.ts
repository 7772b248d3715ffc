/** FMFA015: an MFA deny that also tests a key beyond the MFA keys: a value of it switches the deny off. */
import { MFA_KEYS, PRINCIPAL_KEYS } from '../../engine/quantify.js';
import { checkableStatements } from '../guard-shape.js';
import type { PolicyRule, RuleHit } from '../rule.js';

/** Keys the caller sets on its request, or that the network, path or time supply: any caller can pick a value. */
const CALLER_KEYS = new Set([
  'aws:useragent',
  'aws:referer',
  'aws:tagkeys',
  'aws:sourceip',
  'aws:vpcsourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:calledvia',
  'aws:calledviafirst',
  'aws:calledvialast',
  'aws:viaawsservice',
  'aws:requestedregion',
  'aws:securetransport',
  'aws:currenttime',
  'aws:epochtime',
  'aws:tokenissuetime',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourceidentity',
]);

export function isCallerControlledKey(key: string): boolean {
  const lower = key.toLowerCase();
  return CALLER_KEYS.has(lower) || lower.startsWith('aws:requesttag/');
}

export const switchableMfaDeny: PolicyRule = {
  id: 'FMFA015',
  scope: 'policy',
  check(policy) {
    const hits: RuleHit[] = [];
    for (const statement of checkableStatements(policy)) {
      if (statement.effect !== 'Deny') continue;
      const entries = Object.entries(statement.condition).flatMap(([operator, keys]) => Object.keys(keys).map((key) => ({ operator, key })));
      if (!entries.some(({ key }) => MFA_KEYS.has(key.toLowerCase()))) continue;
      for (const { operator, key } of entries) {
        if (MFA_KEYS.has(key.toLowerCase())) continue;
        const caller = isCallerControlledKey(key);
        // The principal's own identity is fixed by who signs the request, not chosen per request (as in verify's
        // contexts): naming principals exempts them, visibly, and is not a switch.
        if (PRINCIPAL_KEYS.has(key.toLowerCase())) continue;
        hits.push({
          statementIndex: statement.index,
          severity: caller ? 'error' : 'warning',
          message: caller
            ? `the MFA deny also tests "${operator}": "${key}", a key the caller or the network supplies: a request without MFA whose value fails this condition escapes the deny (verify and audit try every value)`
            : `the MFA deny also tests "${operator}": "${key}": where that condition fails, requests without MFA are not denied (verify and audit try every value of keys the MFA context does not fix)`,
        });
      }
    }
    return hits;
  },
};
