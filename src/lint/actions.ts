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
    closest(action) {
      const candidates = byService.get(serviceOf(action)) ?? all;
      const target = action.toLowerCase();
      let best: { name: string; distance: number } | undefined;
      for (const name of candidates) {
        const distance = editDistance(target, name.toLowerCase(), best?.distance ?? Number.POSITIVE_INFINITY);
        if (best === undefined || distance < best.distance) best = { name, distance };
      }
      // A suggestion further than a third of the name away is noise, not help.
      return best !== undefined && best.distance <= Math.max(2, Math.floor(action.length / 3)) ? best.name : undefined;
    },
    hasService: (prefix) => byService.has(prefix.toLowerCase()),
  };
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
