/** The audit's flags that act only in some combinations: one line each (the mechanism and how to add one: flag-rules.ts). */
import { absent, anyOf, contradicts, eachOnlyWhen, given, onlyWhen, valueIn, type FlagRule } from '../flag-rules.js';

const OFFLINE = 'the audit reads files and calls no AWS';

export const AUDIT_FLAG_RULES: readonly FlagRule[] = [
  // --json --format json says one thing twice: accepted (docs/exit-codes.md).
  contradicts('json', anyOf(absent('format'), valueIn('format', ['json'])), '--json is --format json; give one of them'),
  ...eachOnlyWhen(['profile', 'region', 'concurrency'], absent('sample'), `${OFFLINE}; leave it out, or drop --sample for a live audit`),
  ...eachOnlyWhen(['profile', 'region', 'concurrency'], absent('from'), `${OFFLINE}; leave it out, or drop --from for a live audit`),
  ...eachOnlyWhen(['roleName', 'externalId', 'accounts', 'ou', 'accountTimeout'], given('org'), 'it chooses the accounts of an organization audit; add --org, or leave it out'),
];
