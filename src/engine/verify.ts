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
  readonly gated: readonly CatalogueAction[];
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
    const allowed = results.allowed[name];
    contexts[name] = {
      description: CONTEXT_DESCRIPTIONS[name],
      keys: mfaContextKeys(name),
      allowed,
      counts: {
        allowed: allowed.length,
        ownResourcesOnly: allowed.filter((entry) => entry.ownResourcesOnly).length,
        accountLevel: allowed.filter((entry) => entry.accountLevel).length,
        gatedActions: setup.gated.length,
      },
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
  const ungatedNames = new Set(UNGATED_ACTIONS.map((name) => name.toLowerCase()));
  const lookups = {} as Record<ContextName, KeyLookup>;
  for (const name of CONTEXT_NAMES) {
    const context = requestContext(requestFor(input, principal, name, '', ''));
    lookups[name] = (key) => context.get(key);
  }
  return {
    input,
    principal,
    statements,
    gated: catalogue.actions.filter((action) => !ungatedNames.has(action.name.toLowerCase())),
    ungated: catalogue.actions.filter((action) => ungatedNames.has(action.name.toLowerCase())).map((action) => action.name),
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
  const tables = { typesets, typesetOf, typesByArnService, sortedActions };
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
    const applicable = service === undefined ? patterns.map((pattern, index) => ({ pattern, index })) : [...anyService, ...(byService.get(service) ?? [])];
    const hits = applicable.filter(({ pattern }) => pattern.matcher(probe.arn)).map(({ index }) => index).sort((a, b) => a - b);
    const key = `${probe.own ? 'o' : 'n'}${hits.join(',')}`;
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

interface Results {
  readonly allowed: Record<ContextName, AllowedAction[]>;
  readonly actionClasses: number;
  readonly resourceClasses: number;
}

/** Class id per action: actions matching the same Action/NotAction patterns of every statement are one class. */
function actionClasses(setup: Setup, catalogue: ActionCatalogue): { classOf: Int32Array; count: number; representative: CatalogueAction[] } {
  const keys = new Array<string>(catalogue.actions.length).fill('');
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
      if (pattern.matcher(action.name)) keys[action.id] += `${index},`;
    }
    index += 1;
  }
  const ids = new Map<string, number>();
  const representative: CatalogueAction[] = [];
  const classOf = new Int32Array(catalogue.actions.length);
  for (const action of catalogue.actions) {
    const key = keys[action.id] as string;
    let id = ids.get(key);
    if (id === undefined) {
      id = representative.length;
      representative.push(action);
      ids.set(key, id);
    }
    classOf[action.id] = id;
  }
  return { classOf, count: representative.length, representative };
}

function verifyPartitioned(setup: Setup, catalogue: ActionCatalogue): Results {
  const tables = catalogueTables(catalogue);
  const actions = actionClasses(setup, catalogue);
  const gatedIds = new Set(setup.gated.map((action) => action.id));
  // A cell holds the actions of one action class with one typeset: they get the same answer in every context.
  const cellIds = new Map<number, number>();
  const cells: { actionClass: number; typeset: number }[] = [];
  const cellOf = new Int32Array(catalogue.actions.length);
  const typesetCount = tables.typesets.length;
  for (const action of catalogue.actions) {
    const actionClass = actions.classOf[action.id] as number;
    const typeset = tables.typesetOf[action.id] as number;
    const key = actionClass * typesetCount + typeset;
    let id = cellIds.get(key);
    if (id === undefined) {
      id = cells.length;
      cells.push({ actionClass, typeset });
      cellIds.set(key, id);
    }
    cellOf[action.id] = id;
  }
  const probeTables = new Map<string, ProbeTable>();
  const allowed = {} as Record<ContextName, AllowedAction[]>;
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
        answer = isAllowed(setup, context, (actions.representative[actionClass] as CatalogueAction).name, probe.arn);
        decisions.set(memoKey, answer);
      }
      return answer;
    };
    const cellAnswers = cells.map((cell) => {
      let own = false;
      let other = false;
      for (const probeClass of probeTable.typesetClasses[cell.typeset] ?? []) {
        const probe = probeTable.classes[probeClass] as ResourceProbe;
        if (probe.own ? own : other) continue;
        if (decide(cell.actionClass, probeClass)) {
          if (probe.own) own = true;
          else other = true;
        }
      }
      return { own, other };
    });
    allowed[context] = collect(tables.sortedActions, gatedIds, (action) => cellAnswers[cellOf[action.id] as number] as { own: boolean; other: boolean });
  }
  return { allowed, actionClasses: actions.count, resourceClasses };
}

function collect(
  sorted: readonly CatalogueAction[],
  gated: ReadonlySet<number>,
  answer: (action: CatalogueAction) => { own: boolean; other: boolean },
): AllowedAction[] {
  const list: AllowedAction[] = [];
  for (const action of sorted) {
    if (!gated.has(action.id)) continue;
    const { own, other } = answer(action);
    if (!own && !other) continue;
    list.push({ action: action.name, ownResourcesOnly: own && !other, accountLevel: action.resourceTypes.length === 0 });
  }
  return list;
}

/** The reference: every action, every probe of its resource types, one evaluation each. */
function verifyOneByOne(setup: Setup, catalogue: ActionCatalogue): Results {
  const tables = catalogueTables(catalogue);
  const gatedIds = new Set(setup.gated.map((action) => action.id));
  const allowed = {} as Record<ContextName, AllowedAction[]>;
  for (const context of CONTEXT_NAMES) {
    const { patterns } = contextPatterns(setup.statements, setup.lookups[context]);
    const probesOf = (type: ResourceType): ResourceProbe[] => [
      ...baseProbes(type, setup.principal),
      ...patterns.flatMap((pattern) => instantiatePattern(pattern.marked, type, setup.principal) ?? []),
    ];
    allowed[context] = collect(tables.sortedActions, gatedIds, (action) => {
      const probes = [...(takesAccountProbe(action) ? [ACCOUNT_PROBE] : []), ...action.resourceTypes.flatMap((entry) => probesOf(entry.type))];
      let own = false;
      let other = false;
      for (const probe of probes) {
        if (isAllowed(setup, context, action.name, probe.arn)) {
          if (probe.own) own = true;
          else other = true;
        }
      }
      return { own, other };
    });
  }
  return { allowed, actionClasses: setup.gated.length, resourceClasses: 0 };
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
