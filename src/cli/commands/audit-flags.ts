/** The audit's flags that act only in some combinations: one line each (the mechanism and how to add one: flag-rules.ts). */
import { absent, anyOf, contradicts, eachOnlyWhen, given, onlyWhen, valueIn, type FlagRule } from '../flag-rules.js';

const OFFLINE = 'the audit reads files and calls no AWS';

export const AUDIT_FLAG_RULES: readonly FlagRule[] = [
  // --json --format json says one thing twice: accepted (docs/exit-codes.md).
  contradicts('json', anyOf(absent('format'), valueIn('format', ['json'])), '--json is --format json; give one of them'),
  ...eachOnlyWhen(['profile', 'concurrency'], absent('sample'), `${OFFLINE}; leave it out, or drop --sample for a live audit`),
  onlyWhen('concurrency', absent('from'), `${OFFLINE}; leave it out, or drop --from for a live audit`),
  // --from --security-hub imports the export with the caller's credentials, into the hub of --region.
  onlyWhen('profile', anyOf(given('securityHub'), absent('from')), `${OFFLINE}; leave it out, drop --from for a live audit, or add --security-hub`),
  // Offline, the region is still the one ASFF findings name (their ProductArn): only --format asff and the import use it.
  onlyWhen('region', anyOf(absent('sample'), valueIn('format', ['asff'])), `${OFFLINE}; leave it out, or add --format asff (findings for the region's Security Hub)`),
  onlyWhen('region', anyOf(given('securityHub'), absent('from'), valueIn('format', ['asff'])), `${OFFLINE}; leave it out, or add --format asff or --security-hub (findings for the region's Security Hub)`),
  ...eachOnlyWhen(['roleName', 'externalId', 'accounts', 'ou', 'accountTimeout'], given('org'), 'it chooses the accounts of an organization audit; add --org, or leave it out'),
];
