/** Compares a verify report with what the user expects it to say: the CI gate of `verify --expect`. */
import { inputError } from '../errors.js';
import { CONTEXT_NAMES, type ContextName } from './contexts.js';
import type { ActionCatalogue } from './catalogue.js';
import type { VerifyReport } from './verify.js';

/**
 * Per context, either `allowed` (exactly the allowed actions) or `denied` (exactly the gated actions NOT allowed,
 * for contexts where nearly everything is allowed). Entries are action names, or `{ action, ownResourcesOnly }` to
 * check the own-resources mark too. A verify JSON report is itself a valid expectation. Contexts left out are not checked.
 */
export type ExpectedAction = string | { readonly action: string; readonly ownResourcesOnly?: boolean };
export interface ContextExpectation {
  readonly allowed?: readonly ExpectedAction[];
  readonly denied?: readonly string[];
}
export interface Expectation {
  readonly contexts: Partial<Readonly<Record<ContextName, ContextExpectation>>>;
}

export type DifferenceKind = 'allowed-not-expected' | 'expected-not-allowed' | 'own-resources-only-differs';

export interface ExpectationDifference {
  readonly context: ContextName;
  readonly action: string;
  readonly kind: DifferenceKind;
  /** One line for people. */
  readonly message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape of a parsed expectation file; throws an input error naming what is wrong. */
export function readExpectation(value: unknown, source: string): Expectation {
  const bad = (what: string) => inputError('expectation-malformed', `${source}: ${what} (see docs/verify-json.md)`);
  if (!isRecord(value) || !isRecord(value['contexts'])) throw bad('expected an object with a "contexts" object');
  const contexts: Partial<Record<ContextName, ContextExpectation>> = {};
  for (const [name, raw] of Object.entries(value['contexts'])) {
    if (!(CONTEXT_NAMES as readonly string[]).includes(name)) throw bad(`unknown context "${name}"; use ${CONTEXT_NAMES.join(', ')}`);
    if (!isRecord(raw)) throw bad(`context "${name}" is not an object`);
    const allowed = raw['allowed'];
    const denied = raw['denied'];
    if ((allowed === undefined) === (denied === undefined)) throw bad(`context "${name}" needs exactly one of "allowed" and "denied"`);
    if (allowed !== undefined) {
      if (!Array.isArray(allowed)) throw bad(`"${name}".allowed is not a list`);
      for (const entry of allowed) {
        const ok =
          typeof entry === 'string' ||
          (isRecord(entry) &&
            typeof entry['action'] === 'string' &&
            (entry['ownResourcesOnly'] === undefined || typeof entry['ownResourcesOnly'] === 'boolean'));
        if (!ok) throw bad(`"${name}".allowed has an entry that is neither an action name nor { "action", "ownResourcesOnly" }`);
      }
      contexts[name as ContextName] = { allowed: allowed as ExpectedAction[] };
    } else {
      if (!Array.isArray(denied) || !denied.every((entry) => typeof entry === 'string')) throw bad(`"${name}".denied is not a list of action names`);
      contexts[name as ContextName] = { denied: denied as string[] };
    }
  }
  // A gate that names no context would pass whatever the policy allows.
  if (Object.keys(contexts).length === 0) throw bad(`"contexts" names no context, so it would check nothing; give at least one of ${CONTEXT_NAMES.join(', ')}`);
  return { contexts };
}

/** Every difference, in context order; `catalogue` names the actions a `denied` expectation leaves allowed. */
export function compareWithExpectation(report: VerifyReport, expectation: Expectation, catalogue: ActionCatalogue): ExpectationDifference[] {
  const differences: ExpectationDifference[] = [];
  for (const context of CONTEXT_NAMES) {
    const expected = expectation.contexts[context];
    if (expected === undefined) continue;
    const actual = new Map(report.contexts[context].allowed.map((entry) => [entry.action.toLowerCase(), entry]));
    const add = (action: string, kind: DifferenceKind, message: string) => differences.push({ context, action, kind, message: `${context}: ${message}` });
    if (expected.allowed !== undefined) {
      const wanted = new Map<string, { action: string; ownResourcesOnly?: boolean }>();
      for (const entry of expected.allowed) {
        const item = typeof entry === 'string' ? { action: entry } : entry;
        wanted.set(item.action.toLowerCase(), item);
      }
      for (const [key, item] of wanted) {
        const found = actual.get(key);
        if (found === undefined) {
          add(item.action, 'expected-not-allowed', `${item.action} is expected to be allowed but is not`);
        } else if (item.ownResourcesOnly !== undefined && item.ownResourcesOnly !== found.ownResourcesOnly) {
          add(
            found.action,
            'own-resources-only-differs',
            item.ownResourcesOnly
              ? `${found.action} is expected on the caller's own resources only but is allowed on other users' resources too`
              : `${found.action} is expected on other users' resources too but is allowed on the caller's own resources only`,
          );
        }
      }
      for (const [key, found] of actual) {
        if (!wanted.has(key)) add(found.action, 'allowed-not-expected', `${found.action} is allowed but not expected`);
      }
    } else {
      const denied = new Set((expected.denied ?? []).map((action) => action.toLowerCase()));
      for (const action of expected.denied ?? []) {
        const found = actual.get(action.toLowerCase());
        if (found !== undefined) add(found.action, 'allowed-not-expected', `${found.action} is allowed but expected to be denied`);
      }
      const ungated = new Set(report.ungated.map((action) => action.toLowerCase()));
      for (const action of catalogue.actions) {
        const key = action.name.toLowerCase();
        if (ungated.has(key) || denied.has(key) || actual.has(key)) continue;
        add(action.name, 'expected-not-allowed', `${action.name} is expected to be allowed but is not`);
      }
    }
  }
  return differences;
}
