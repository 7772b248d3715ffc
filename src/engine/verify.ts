/**
 * Proves what policies allow over the whole action catalogue, in each MFA context, on the caller's own resources
 * or on others'. Actions the policies cannot tell apart are evaluated once (see docs/verify-json.md).
 */
import { inputError } from '../errors.js';
import type { ActionCatalogue, CatalogueAction, ResourceType } from './catalogue.js';
import { compilePolicy, type CompiledStatement, type KeyLookup, type NamedPolicy } from './compile.js';
import { CONTEXT_DESCRIPTIONS, CONTEXT_NAMES, mfaContextKeys, type ContextName } from './contexts.js';
import { evaluate, requestContext, type ScpLayers } from './evaluate.js';
import {
  actionClasses,
  buildProbeTable,
  catalogueTables,
  contextPatterns,
  takesAccountProbe,
  type CatalogueTables,
  type ProbeTable,
} from './partition.js';
import { parsePrincipal, type Principal } from './principal.js';
import { ACCOUNT_PROBE, baseProbes, instantiatePattern, type ResourceProbe } from './probes.js';

export const DEFAULT_PRINCIPAL_ARN = 'arn:aws:iam::111122223333:user/alice';

export { UNGATED_ACTIONS } from './catalogue.js';

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

function verifyPartitioned(setup: Setup, catalogue: ActionCatalogue): Results {
  const tables = catalogueTables(catalogue);
  const actions = actionClasses(setup.statements, catalogue);
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
      table = buildProbeTable(setup.principal, catalogue, patterns);
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
