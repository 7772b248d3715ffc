/**
 * The classes of actions and of resources that policies cannot tell apart: actions matching the same Action and
 * NotAction patterns, resources matching the same Resource and NotResource patterns (and equally owned).
 */
import { UNGATED_ACTIONS, type ActionCatalogue, type CatalogueAction, type ResourceType } from './catalogue.js';
import type { CompiledStatement, KeyLookup } from './compile.js';
import type { Principal } from './principal.js';
import { ACCOUNT_PROBE, arnService, baseProbes, instantiatePattern, markWildcards, type ResourceProbe } from './probes.js';
import { resolvePieces, type ResolvedPiece } from './text-pattern.js';
import { compileMatcher, isUniversal, type Matcher } from './wildcard.js';

/** A resource pattern of the policies, with variables substituted for one context; never `*` alone. */
export interface ContextPattern {
  readonly matcher: Matcher;
  /** Text with wildcards marked, for instantiating probes. */
  readonly marked: string;
  /** The ARN's service segment when it has no wildcard: only ARNs of that service can match. */
  readonly service: string | undefined;
}

export function contextPatterns(statements: readonly CompiledStatement[], lookup: KeyLookup): { key: string; patterns: ContextPattern[] } {
  const seen = new Map<string, ContextPattern>();
  for (const statement of statements) {
    for (const pattern of statement.resources) {
      const resolved: readonly ResolvedPiece[] | undefined =
        pattern.fixed !== undefined ? (pattern.pieces as readonly ResolvedPiece[]) : resolvePieces(pattern.pieces, lookup);
      // Unresolvable patterns match nothing and universal ones everything: neither tells resources apart.
      if (resolved === undefined || isUniversal(resolved)) continue;
      const marked = markWildcards(resolved);
      if (seen.has(marked)) continue;
      const segment = marked.startsWith('arn:') ? marked.split(':')[2] : undefined;
      const service = segment !== undefined && !/[\u0000\u0001]/.test(segment) && marked.split(':').length >= 4 ? segment : undefined;
      seen.set(marked, { matcher: compileMatcher(resolved, 'resource'), marked, service });
    }
  }
  return { key: [...seen.keys()].join('\u0002'), patterns: [...seen.values()] };
}

/** Catalogue-wide tables that depend only on the catalogue (and the principal), computed once. */
export interface CatalogueTables {
  /** Per typeset: resource type ids, and whether the account-level probe `*` applies. */
  readonly typesets: readonly { readonly types: readonly number[]; readonly account: boolean }[];
  readonly typesetOf: Int32Array;
  /** Resource types by the service segment of their ARN template (sts:role's is `iam`). */
  readonly typesByArnService: ReadonlyMap<string, readonly ResourceType[]>;
  readonly sortedActions: readonly CatalogueAction[];
  /** 1 for actions IAM policies control. */
  readonly gated: Uint8Array;
  readonly ungated: readonly string[];
}

const tablesCache = new WeakMap<ActionCatalogue, CatalogueTables>();
const baseProbeCache = new WeakMap<ActionCatalogue, Map<string, readonly (readonly ResourceProbe[])[]>>();

/** An action with no required resource type can be called on `*` too. */
export function takesAccountProbe(action: CatalogueAction): boolean {
  return action.resourceTypes.length === 0 || !action.resourceTypes.some((entry) => entry.required);
}

export function catalogueTables(catalogue: ActionCatalogue): CatalogueTables {
  const cached = tablesCache.get(catalogue);
  if (cached !== undefined) return cached;
  const typesets: { types: number[]; account: boolean }[] = [];
  const ids = new Map<string, number>();
  const typesetOf = new Int32Array(catalogue.actions.length);
  for (const action of catalogue.actions) {
    const types = [...new Set(action.resourceTypes.map((entry) => entry.type.id))].sort((a, b) => a - b);
    const account = takesAccountProbe(action);
    const key = `${account ? 'a' : ''}${types.join(',')}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = typesets.length;
      typesets.push({ types, account });
      ids.set(key, id);
    }
    typesetOf[action.id] = id;
  }
  const typesByArnService = new Map<string, ResourceType[]>();
  for (const type of catalogue.resourceTypes) {
    const service = type.arnTemplate.split(':')[2] ?? '';
    typesByArnService.set(service, [...(typesByArnService.get(service) ?? []), type]);
  }
  const sortedActions = [...catalogue.actions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ungatedNames = new Set(UNGATED_ACTIONS.map((name) => name.toLowerCase()));
  const gated = new Uint8Array(catalogue.actions.length);
  const ungated: string[] = [];
  for (const action of catalogue.actions) {
    if (ungatedNames.has(action.name.toLowerCase())) ungated.push(action.name);
    else gated[action.id] = 1;
  }
  const tables = { typesets, typesetOf, typesByArnService, sortedActions, gated, ungated };
  tablesCache.set(catalogue, tables);
  return tables;
}

export function baseProbesOf(catalogue: ActionCatalogue, principal: Principal): readonly (readonly ResourceProbe[])[] {
  let byPrincipal = baseProbeCache.get(catalogue);
  if (byPrincipal === undefined) {
    byPrincipal = new Map();
    baseProbeCache.set(catalogue, byPrincipal);
  }
  const cached = byPrincipal.get(principal.arn);
  if (cached !== undefined) return cached;
  const probes = catalogue.resourceTypes.map((type) => baseProbes(type, principal));
  byPrincipal.set(principal.arn, probes);
  return probes;
}

/** Probe classes for one set of context patterns: probes with the same match vector and ownership are one class. */
export interface ProbeTable {
  readonly classes: readonly ResourceProbe[];
  /** Per typeset: the probe classes its actions must be asked about. */
  readonly typesetClasses: readonly (readonly number[])[];
}

export function buildProbeTable(principal: Principal, catalogue: ActionCatalogue, patterns: readonly ContextPattern[]): ProbeTable {
  const tables = catalogueTables(catalogue);
  const base = baseProbesOf(catalogue, principal);
  const derived = new Map<number, ResourceProbe[]>();
  for (const pattern of patterns) {
    const candidates = pattern.service === undefined ? catalogue.resourceTypes : (tables.typesByArnService.get(pattern.service) ?? []);
    for (const type of candidates) {
      const probe = instantiatePattern(pattern.marked, type, principal);
      if (probe !== undefined) derived.set(type.id, [...(derived.get(type.id) ?? []), probe]);
    }
  }
  const anyService = patterns.map((pattern, index) => ({ pattern, index })).filter(({ pattern }) => pattern.service === undefined);
  const byService = new Map<string, { pattern: ContextPattern; index: number }[]>();
  patterns.forEach((pattern, index) => {
    if (pattern.service !== undefined) byService.set(pattern.service, [...(byService.get(pattern.service) ?? []), { pattern, index }]);
  });
  const classes: ResourceProbe[] = [];
  const classIds = new Map<string, number>();
  const classOf = (probe: ResourceProbe): number => {
    const service = arnService(probe.arn);
    const specific = service === undefined ? undefined : byService.get(service);
    let key = probe.own ? 'o' : 'n';
    if (service === undefined || anyService.length > 0 || specific !== undefined) {
      const applicable = service === undefined ? patterns.map((pattern, index) => ({ pattern, index })) : [...anyService, ...(specific ?? [])];
      const hits = applicable.filter(({ pattern }) => pattern.matcher(probe.arn)).map(({ index }) => index).sort((a, b) => a - b);
      key += hits.join(',');
    }
    let id = classIds.get(key);
    if (id === undefined) {
      id = classes.length;
      classes.push(probe);
      classIds.set(key, id);
    }
    return id;
  };
  const typeClasses = catalogue.resourceTypes.map((type) =>
    [...(base[type.id] ?? []), ...(derived.get(type.id) ?? [])].map(classOf),
  );
  const accountClass = classOf(ACCOUNT_PROBE);
  const typesetClasses = tables.typesets.map((typeset) => {
    const ids = new Set<number>(typeset.account ? [accountClass] : []);
    for (const type of typeset.types) for (const id of typeClasses[type] ?? []) ids.add(id);
    return [...ids];
  });
  return { classes, typesetClasses };
}

/**
 * Actions matching the same Action/NotAction patterns of every statement form one class. Most actions match none:
 * they form the default class (id 0), and only the actions some pattern names are looked at one by one.
 */
export interface ActionClasses {
  /** Class per action id, 0 for the default class. */
  readonly classOf: Int32Array;
  /** A representative per class; undefined for the default class when every action matches some pattern. */
  readonly representative: readonly (CatalogueAction | undefined)[];
}

export function actionClasses(statements: readonly CompiledStatement[], catalogue: ActionCatalogue): ActionClasses {
  const keys = new Map<number, string>();
  const patterns = new Map<string, { matcher: Matcher; service: string | undefined; text: string }>();
  for (const statement of statements) {
    for (const pattern of statement.actions) {
      if (!pattern.universal) patterns.set(pattern.text.toLowerCase(), pattern);
    }
  }
  let index = 0;
  for (const pattern of patterns.values()) {
    const candidates = /[*?]/.test(pattern.text)
      ? pattern.service === undefined
        ? catalogue.actions
        : catalogue.actionsOfService(pattern.service)
      : [catalogue.get(pattern.text)].filter((action): action is CatalogueAction => action !== undefined);
    for (const action of candidates) {
      if (pattern.matcher(action.name)) keys.set(action.id, `${keys.get(action.id) ?? ''}${index},`);
    }
    index += 1;
  }
  const classOf = new Int32Array(catalogue.actions.length);
  const representative: (CatalogueAction | undefined)[] = [undefined];
  const ids = new Map<string, number>();
  for (const [actionId, key] of keys) {
    let id = ids.get(key);
    if (id === undefined) {
      id = representative.length;
      representative.push(catalogue.actions[actionId]);
      ids.set(key, id);
    }
    classOf[actionId] = id;
  }
  if (keys.size < catalogue.actions.length) {
    representative[0] = catalogue.actions.find((action) => !keys.has(action.id));
  }
  return { classOf, representative };
}
