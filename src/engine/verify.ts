/**
 * Proves what policies allow over the whole action catalogue, in each MFA context, on the caller's own resources
 * or on others'. Actions the policies cannot tell apart are evaluated once (see docs/verify-json.md).
 */
import { inputError } from '../errors.js';
import type { ActionCatalogue, CatalogueAction, ResourceType } from './catalogue.js';
import { compilePolicy, type CompiledStatement, type KeyLookup, type NamedPolicy } from './compile.js';
import { CONTEXT_DESCRIPTIONS, CONTEXT_NAMES, mfaContextKeys, type ContextName } from './contexts.js';
import { evaluate, requestContext, type ScpLayers } from './evaluate.js';
import { parsePrincipal, type Principal } from './principal.js';
import {
  ACCOUNT_PROBE,
  arnService,
  baseProbes,
  instantiatePattern,
  markWildcards,
  type ResourceProbe,
} from './probes.js';
import { resolvePieces, type ResolvedPiece } from './text-pattern.js';
import { compileMatcher, isUniversal, type Matcher } from './wildcard.js';

export const DEFAULT_PRINCIPAL_ARN = 'arn:aws:iam::111122223333:user/alice';

/** Actions IAM policies cannot control (AWS: authentication operations; GetCallerIdentity always works). */
export const UNGATED_ACTIONS: readonly string[] = ['sts:GetCallerIdentity', 'sts:GetSessionToken'];

export interface VerifyInput {
  readonly policies: readonly NamedPolicy[];
  /** Service control policy layers (see ScpLayers): each must allow, none may deny. */
  readonly scps?: ScpLayers;
  /** Default arn:aws:iam::111122223333:user/alice. */
  readonly principalArn?: string;
  readonly principalTags?: Readonly<Record<string, string>>;
  readonly userId?: string;
}

export interface VerifyOptions {
  /** `partitioned` (default) evaluates one action per class; `one-by-one` every action (the reference, slow). */
  readonly strategy?: 'partitioned' | 'one-by-one';
}

export interface AllowedAction {
  readonly action: string;
  /** Allowed only on the caller's own resources (its user, a device named after it), not on other users'. */
  readonly ownResourcesOnly: boolean;
  /** The action takes no resource (resource "*"): it acts on the account. */
  readonly accountLevel: boolean;
}

export interface ContextReport {
  readonly description: string;
  /** The MFA keys of the request (besides the keys derived from the principal). */
  readonly keys: Readonly<Record<string, string>>;
  readonly allowed: readonly AllowedAction[];
  readonly counts: {
    readonly allowed: number;
    readonly ownResourcesOnly: number;
    readonly accountLevel: number;
    /** Actions of the catalogue IAM policies control (the ungated ones apart). */
    readonly gatedActions: number;
  };
}

export interface VerifyReport {
  readonly principalArn: string;
  readonly catalogue: { readonly source: string; readonly actions: number };
  /** Actions AWS never gates with IAM policies: always possible, listed apart. */
  readonly ungated: readonly string[];
  readonly contexts: Readonly<Record<ContextName, ContextReport>>;
  /** Condition keys the policies test that none of the requests carries: such conditions saw the key absent. */
  readonly absentConditionKeys: readonly string[];
  readonly stats: { readonly actionClasses: number; readonly resourceClasses: number; readonly evaluations: number };
}

interface Setup {
  readonly input: VerifyInput;
  readonly principal: Principal;
  readonly statements: readonly CompiledStatement[];
  readonly gatedCount: number;
  readonly ungated: readonly string[];
  readonly lookups: Readonly<Record<ContextName, KeyLookup>>;
  evaluations: number;
}

export function verifyPolicies(input: VerifyInput, catalogue: ActionCatalogue, options: VerifyOptions = {}): VerifyReport {
  const setup = prepare(input, catalogue);
  const results =
    options.strategy === 'one-by-one' ? verifyOneByOne(setup, catalogue) : verifyPartitioned(setup, catalogue);
  const contexts = {} as Record<ContextName, ContextReport>;
  for (const name of CONTEXT_NAMES) {
    const { allowed, ownResourcesOnly, accountLevel } = results.allowed[name];
    contexts[name] = {
      description: CONTEXT_DESCRIPTIONS[name],
      keys: mfaContextKeys(name),
      allowed,
      counts: { allowed: allowed.length, ownResourcesOnly, accountLevel, gatedActions: setup.gatedCount },
    };
  }
  return {
    principalArn: setup.principal.arn,
    catalogue: { source: catalogue.source, actions: catalogue.actions.length },
    ungated: setup.ungated,
    contexts,
    absentConditionKeys: absentConditionKeys(setup),
    stats: { actionClasses: results.actionClasses, resourceClasses: results.resourceClasses, evaluations: setup.evaluations },
  };
}

function prepare(input: VerifyInput, catalogue: ActionCatalogue): Setup {
  const principalArn = input.principalArn ?? DEFAULT_PRINCIPAL_ARN;
  const principal = parsePrincipal(principalArn);
  if (input.policies.length === 0) throw inputError('verify-no-policy', 'no policy to verify: give at least one policy');
  const identity = input.policies.map(compilePolicy);
  const scps = (input.scps ?? []).flatMap((layer) => (Array.isArray(layer) ? (layer as readonly NamedPolicy[]) : [layer as NamedPolicy]));
  const statements = [...identity, ...scps.map(compilePolicy)].flatMap((policy) => policy.statements);
  const tables = catalogueTables(catalogue);
  const lookups = {} as Record<ContextName, KeyLookup>;
  for (const name of CONTEXT_NAMES) {
    const context = requestContext(requestFor(input, principal, name, '', ''));
    lookups[name] = (key) => context.get(key);
  }
  return {
    input,
    principal,
    statements,
    gatedCount: catalogue.actions.length - tables.ungated.length,
    ungated: tables.ungated,
    lookups,
    evaluations: 0,
  };
}

function requestFor(input: VerifyInput, principal: Principal, context: ContextName, action: string, resource: string) {
  return {
    principalArn: principal.arn,
    action,
    resource,
    context: mfaContextKeys(context),
    ...(input.principalTags === undefined ? {} : { principalTags: input.principalTags }),
    ...(input.userId === undefined ? {} : { userId: input.userId }),
  };
}

function isAllowed(setup: Setup, context: ContextName, action: string, resource: string): boolean {
  setup.evaluations += 1;
  const request = requestFor(setup.input, setup.principal, context, action, resource);
  const scps = setup.input.scps;
  return evaluate(request, setup.input.policies, scps === undefined ? {} : { scps }).decision === 'Allowed';
}

/** A resource pattern of the policies, with variables substituted for one context; never `*` alone. */
interface ContextPattern {
  readonly matcher: Matcher;
  /** Text with wildcards marked, for instantiating probes. */
  readonly marked: string;
  /** The ARN's service segment when it has no wildcard: only ARNs of that service can match. */
  readonly service: string | undefined;
}

function contextPatterns(statements: readonly CompiledStatement[], lookup: KeyLookup): { key: string; patterns: ContextPattern[] } {
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
      seen.set(marked, { matcher: compileMatcher(resolved, 'arn'), marked, service });
    }
  }
  return { key: [...seen.keys()].join('\u0002'), patterns: [...seen.values()] };
}

/** Catalogue-wide tables that depend only on the catalogue (and the principal), computed once. */
interface CatalogueTables {
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
function takesAccountProbe(action: CatalogueAction): boolean {
  return action.resourceTypes.length === 0 || !action.resourceTypes.some((entry) => entry.required);
}

function catalogueTables(catalogue: ActionCatalogue): CatalogueTables {
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

function baseProbesOf(catalogue: ActionCatalogue, principal: Principal): readonly (readonly ResourceProbe[])[] {
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
interface ProbeTable {
  readonly classes: readonly ResourceProbe[];
  /** Per typeset: the probe classes its actions must be asked about. */
  readonly typesetClasses: readonly (readonly number[])[];
}

function buildProbeTable(setup: Setup, catalogue: ActionCatalogue, patterns: readonly ContextPattern[]): ProbeTable {
  const tables = catalogueTables(catalogue);
  const base = baseProbesOf(catalogue, setup.principal);
  const derived = new Map<number, ResourceProbe[]>();
  for (const pattern of patterns) {
    const candidates = pattern.service === undefined ? catalogue.resourceTypes : (tables.typesByArnService.get(pattern.service) ?? []);
    for (const type of candidates) {
      const probe = instantiatePattern(pattern.marked, type, setup.principal);
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

interface ContextAllowed {
  readonly allowed: AllowedAction[];
  readonly ownResourcesOnly: number;
  readonly accountLevel: number;
}

interface Results {
  readonly allowed: Record<ContextName, ContextAllowed>;
  readonly actionClasses: number;
  readonly resourceClasses: number;
}

/**
 * Actions matching the same Action/NotAction patterns of every statement form one class. Most actions match none:
 * they form the default class (id 0), and only the actions some pattern names are looked at one by one.
 */
interface ActionClasses {
  /** Class per action id, 0 for the default class. */
  readonly classOf: Int32Array;
  /** A representative per class; undefined for the default class when every action matches some pattern. */
  readonly representative: readonly (CatalogueAction | undefined)[];
}

function actionClasses(setup: Setup, catalogue: ActionCatalogue): ActionClasses {
  const keys = new Map<number, string>();
  const patterns = new Map<string, { matcher: Matcher; service: string | undefined; text: string }>();
  for (const statement of setup.statements) {
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

function verifyPartitioned(setup: Setup, catalogue: ActionCatalogue): Results {
  const tables = catalogueTables(catalogue);
  const actions = actionClasses(setup, catalogue);
  // A cell holds the actions of one action class with one typeset: they get the same answer in every context.
  // Cells 0..typesets-1 are the default action class with each typeset; the named actions get cells of their own.
  const typesetCount = tables.typesets.length;
  const cells: { actionClass: number; typeset: number }[] = tables.typesets.map((_, typeset) => ({ actionClass: 0, typeset }));
  const cellOf = tables.typesetOf.slice();
  const extraCells = new Map<number, number>();
  actions.classOf.forEach((actionClass, actionId) => {
    if (actionClass === 0) return;
    const typeset = tables.typesetOf[actionId] as number;
    const key = actionClass * typesetCount + typeset;
    let id = extraCells.get(key);
    if (id === undefined) {
      id = cells.length;
      cells.push({ actionClass, typeset });
      extraCells.set(key, id);
    }
    cellOf[actionId] = id;
  });
  const probeTables = new Map<string, ProbeTable>();
  const allowed = {} as Record<ContextName, ContextAllowed>;
  let resourceClasses = 0;
  for (const context of CONTEXT_NAMES) {
    const { key, patterns } = contextPatterns(setup.statements, setup.lookups[context]);
    let table = probeTables.get(key);
    if (table === undefined) {
      table = buildProbeTable(setup, catalogue, patterns);
      probeTables.set(key, table);
      resourceClasses = Math.max(resourceClasses, table.classes.length);
    }
    const probeTable = table;
    const decisions = new Map<number, boolean>();
    const decide = (actionClass: number, probeClass: number): boolean => {
      const memoKey = actionClass * probeTable.classes.length + probeClass;
      let answer = decisions.get(memoKey);
      if (answer === undefined) {
        const probe = probeTable.classes[probeClass] as ResourceProbe;
        const action = actions.representative[actionClass] as CatalogueAction;
        answer = isAllowed(setup, context, action.name, probe.arn);
        decisions.set(memoKey, answer);
      }
      return answer;
    };
    // Per cell: bit 1 allowed on an own resource, bit 2 on another's.
    const answers = new Uint8Array(cells.length);
    cells.forEach((cell, id) => {
      if (actions.representative[cell.actionClass] === undefined) return;
      let answer = 0;
      for (const probeClass of probeTable.typesetClasses[cell.typeset] ?? []) {
        const probe = probeTable.classes[probeClass] as ResourceProbe;
        const bit = probe.own ? OWN : OTHER;
        if ((answer & bit) === 0 && decide(cell.actionClass, probeClass)) answer |= bit;
      }
      answers[id] = answer;
    });
    allowed[context] = collect(tables, (action) => answers[cellOf[action.id] as number] as number);
  }
  return { allowed, actionClasses: actions.representative.length, resourceClasses };
}

const OWN = 1;
const OTHER = 2;

function collect(tables: CatalogueTables, answer: (action: CatalogueAction) => number): ContextAllowed {
  const allowed: AllowedAction[] = [];
  let ownResourcesOnly = 0;
  let accountLevel = 0;
  for (const action of tables.sortedActions) {
    if (tables.gated[action.id] !== 1) continue;
    const bits = answer(action);
    if (bits === 0) continue;
    const entry = { action: action.name, ownResourcesOnly: bits === OWN, accountLevel: action.resourceTypes.length === 0 };
    if (entry.ownResourcesOnly) ownResourcesOnly += 1;
    if (entry.accountLevel) accountLevel += 1;
    allowed.push(entry);
  }
  return { allowed, ownResourcesOnly, accountLevel };
}

/** The reference: every action, every probe of its resource types, one evaluation each. */
function verifyOneByOne(setup: Setup, catalogue: ActionCatalogue): Results {
  const tables = catalogueTables(catalogue);
  const allowed = {} as Record<ContextName, ContextAllowed>;
  for (const context of CONTEXT_NAMES) {
    const { patterns } = contextPatterns(setup.statements, setup.lookups[context]);
    const probesOf = (type: ResourceType): ResourceProbe[] => [
      ...baseProbes(type, setup.principal),
      ...patterns.flatMap((pattern) => instantiatePattern(pattern.marked, type, setup.principal) ?? []),
    ];
    allowed[context] = collect(tables, (action) => {
      const probes = [...(takesAccountProbe(action) ? [ACCOUNT_PROBE] : []), ...action.resourceTypes.flatMap((entry) => probesOf(entry.type))];
      let answer = 0;
      for (const probe of probes) {
        if (isAllowed(setup, context, action.name, probe.arn)) answer |= probe.own ? OWN : OTHER;
      }
      return answer;
    });
  }
  return { allowed, actionClasses: setup.gatedCount, resourceClasses: 0 };
}

function absentConditionKeys(setup: Setup): string[] {
  const absent = new Map<string, string>();
  for (const statement of setup.statements) {
    for (const { condition } of statement.conditions) {
      const present = CONTEXT_NAMES.some((name) => setup.lookups[name](condition.key) !== undefined);
      if (!present && !absent.has(condition.key) && !MFA_KEYS.has(condition.key)) absent.set(condition.key, condition.keyText);
    }
  }
  return [...absent.values()].sort();
}

const MFA_KEYS = new Set(['aws:multifactorauthpresent', 'aws:multifactorauthage']);
