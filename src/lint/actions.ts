/** The known action names, indexed for exact look-ups, wildcard matches and "did you mean" suggestions. */
import { actionPattern } from './guard-shape.js';

export interface ActionNames {
  /** Canonical spelling of an action, looked up case-insensitively; undefined when unknown. */
  canonical(action: string): string | undefined;
  /** True when at least one known action matches the wildcard pattern. */
  matchesAny(pattern: string): boolean;
  /** The known action closest to a misspelled one, when one is close enough to be a plausible intent. */
  closest(action: string): string | undefined;
  hasService(prefix: string): boolean;
  /** The known service prefix closest to an unknown one, when one is close enough. */
  closestService(prefix: string): string | undefined;
}

export function actionNames(names: Iterable<string>): ActionNames {
  const byLowerName = new Map<string, string>();
  const byService = new Map<string, string[]>();
  for (const name of names) {
    byLowerName.set(name.toLowerCase(), name);
    const service = serviceOf(name);
    byService.set(service, [...(byService.get(service) ?? []), name]);
  }
  const all = [...byLowerName.values()];
  return {
    canonical: (action) => byLowerName.get(action.toLowerCase()),
    matchesAny(pattern) {
      const matcher = actionPattern(pattern);
      const service = serviceOf(pattern);
      const candidates = /[*?]/.test(service) ? all : (byService.get(service) ?? []);
      return candidates.some((name) => matcher.test(name));
    },
    // A suggestion further than a third of the name away is noise, not help.
    closest: (action) => closestOf(action.toLowerCase(), byService.get(serviceOf(action)) ?? all),
    hasService: (prefix) => byService.has(prefix.toLowerCase()),
    closestService: (prefix) => closestOf(prefix.toLowerCase(), byService.keys()),
  };
}

/** The candidate nearest to `target` by edit distance, when within a third of its length (at least 2). */
function closestOf(target: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(target, name.toLowerCase(), best?.distance ?? Number.POSITIVE_INFINITY);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(target.length / 3)) ? best.name : undefined;
}

const ACTION_FORM = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;

/**
 * What is wrong with an action, or an action pattern, that a user names for IAM to match: undefined when it is an
 * action of the catalogue (in any case, as IAM compares them) or a pattern matching at least one. Otherwise one
 * sentence about the value, with the nearest catalogue spelling ("did you mean ...?") when one is close.
 */
export function actionProblem(action: string, actions: ActionNames): string | undefined {
  if (!ACTION_FORM.test(action)) return `'${action}' is not an action: write service:Action, e.g. iam:ListAccountAliases (wildcards * ? only in the action)`;
  const colon = action.indexOf(':');
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  const wildcard = /[*?]/.test(name);
  if (!actions.hasService(service)) {
    const nearest = actions.closestService(service);
    if (nearest === undefined) return `'${action}': there is no AWS service '${service}'`;
    const suggestion = wildcard ? (actions.matchesAny(`${nearest}:${name}`) ? `${nearest}:${name}` : undefined) : (actions.canonical(`${nearest}:${name}`) ?? actions.closest(`${nearest}:${name}`));
    return `'${action}': there is no AWS service '${service}' (did you mean ${suggestion ?? `the service ${nearest}`}?)`;
  }
  if (wildcard) return actions.matchesAny(action) ? undefined : `'${action}' matches no action of ${service.toLowerCase()}`;
  if (actions.canonical(action) !== undefined) return undefined;
  const suggestion = actions.closest(action);
  return `'${action}' is not an action of ${service.toLowerCase()}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`;
}

function serviceOf(action: string): string {
  const colon = action.indexOf(':');
  return (colon < 0 ? action : action.slice(0, colon)).toLowerCase();
}

/** Levenshtein distance, giving up (returning `limit`) once every path is at least `limit` long. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum >= limit) return limit;
    previous = current;
  }
  return previous[b.length] ?? limit;
}
