/**
 * Proves what policies allow over the whole action catalogue, in each MFA context, on the caller's own resources
 * or on others'. Actions the policies cannot tell apart are evaluated once (see docs/verify-json.md).
 */
import { inputError } from '../errors.js';
import type { ActionCatalogue, CatalogueAction, ResourceType } from './catalogue.js';
import { compilePolicy, type CompiledStatement, type KeyLookup, type NamedPolicy, type PolicyReading } from './compile.js';
import { CONTEXT_DESCRIPTIONS, CONTEXT_NAMES, mfaContextKeys, type ContextName } from './contexts.js';
import { requestContext, type ScpLayers } from './evaluate.js';
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
import { evaluateQuantified, isFreeKey, type FreeKeyValue, type QuantifiedEvaluation } from './quantify.js';

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
  /**
   * Set when the action is allowed only for some values of condition keys the request does not fix (the caller or
   * the environment supplies them): one assignment that opens it. A key whose `values` is undefined is absent.
   */
  readonly openedBy?: readonly FreeKeyValue[];
  /** Set when the action is allowed only for some values of such keys: the keys it depends on. */
  readonly dependsOn?: readonly string[];
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
  /**
   * Condition keys the policies test that no context fixes (all but the MFA keys and the principal's own keys):
   * each may hold any value or be absent, and is quantified over (an Allow counts when it applies for some value,
   * a Deny when it applies for every value).
   */
  readonly freeConditionKeys: readonly string[];
  /** The same list as freeConditionKeys (kept for format version 1; it no longer means "evaluated as absent"). */
  readonly absentConditionKeys: readonly string[];
  /** Resource patterns read as docs/guarantees.md says (literal variables, service-segment wildcards), with notes. */
  readonly readings: readonly PolicyReading[];
  /** False when some answer is a bound rather than exact (see docs/guarantees.md); bounds err towards "allowed". */
  readonly exact: boolean;
  readonly stats: { readonly actionClasses: number; readonly resourceClasses: number; readonly evaluations: number };
}

interface Setup {
  readonly input: VerifyInput;
  readonly principal: Principal;
  readonly statements: readonly CompiledStatement[];
  readonly gatedCount: number;
  readonly ungated: readonly string[];
  readonly lookups: Readonly<Record<ContextName, KeyLookup>>;
  readonly contextKeys: Readonly<Record<ContextName, ReadonlyMap<string, readonly string[]>>>;
  readonly readings: readonly PolicyReading[];
  evaluations: number;
  exact: boolean;
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
    freeConditionKeys: freeKeys(setup),
    absentConditionKeys: freeKeys(setup),
    readings: setup.readings,
    exact: setup.exact,
    stats: { actionClasses: results.actionClasses, resourceClasses: results.resourceClasses, evaluations: setup.evaluations },
  };
}

function prepare(input: VerifyInput, catalogue: ActionCatalogue): Setup {
  const principalArn = input.principalArn ?? DEFAULT_PRINCIPAL_ARN;
  const principal = parsePrincipal(principalArn);
  if (input.policies.length === 0) throw inputError('verify-no-policy', 'no policy to verify: give at least one policy');
  const identity = input.policies.map(compilePolicy);
  const scps = (input.scps ?? []).flatMap((layer) => (Array.isArray(layer) ? (layer as readonly NamedPolicy[]) : [layer as NamedPolicy]));
  const compiled = [...identity, ...scps.map(compilePolicy)];
  const statements = compiled.flatMap((policy) => policy.statements);
  const tables = catalogueTables(catalogue);
  const lookups = {} as Record<ContextName, KeyLookup>;
  const contextKeys = {} as Record<ContextName, ReadonlyMap<string, readonly string[]>>;
  for (const name of CONTEXT_NAMES) {
    const context = requestContext(requestFor(input, principal, name, '', ''));
    lookups[name] = (key) => context.get(key);
    contextKeys[name] = context;
  }
  return {
    input,
    principal,
    statements,
    gatedCount: catalogue.actions.length - tables.ungated.length,
    ungated: tables.ungated,
    lookups,
    contextKeys,
    readings: compiled.flatMap((policy) => policy.readings),
    evaluations: 0,
    exact: true,
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

/** Allowed for some value of the keys no context fixes (see quantify.ts). */
function isAllowed(setup: Setup, context: ContextName, action: string, resource: string): QuantifiedEvaluation {
  setup.evaluations += 1;
  const request = requestFor(setup.input, setup.principal, context, action, resource);
  const scps = setup.input.scps;
  const result = evaluateQuantified(request, setup.input.policies, scps === undefined ? {} : { scps });
  if (!result.exact) setup.exact = false;
  return result;
}

/** What the allowing evaluations of one action need: nothing when one holds for every value, else one opening. */
interface Opening {
  unconditional: boolean;
  first: QuantifiedEvaluation | undefined;
  /** What the actions of the cell report, computed once per cell. */
  fields?: Pick<AllowedAction, 'openedBy' | 'dependsOn'> | undefined;
}

function noteOpening(opening: Opening, result: QuantifiedEvaluation): void {
  if (result.allowedForEvery) opening.unconditional = true;
  else opening.first ??= result;
}

function openingFields(opening: Opening | undefined): Pick<AllowedAction, 'openedBy' | 'dependsOn'> | undefined {
  if (opening === undefined || opening.unconditional || opening.first === undefined) return undefined;
  if (opening.fields === undefined) {
    const { opening: values, freeKeys } = opening.first;
    opening.fields = values === undefined ? { dependsOn: freeKeys } : { openedBy: values, dependsOn: freeKeys };
  }
  return opening.fields;
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
    const decisions = new Map<number, QuantifiedEvaluation>();
    const decide = (actionClass: number, probeClass: number): QuantifiedEvaluation => {
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
    // Per cell: bit 1 allowed on an own resource, bit 2 on another's; and what the allowing answers need.
    const answers = new Uint8Array(cells.length);
    const openings = new Map<number, Opening>();
    cells.forEach((cell, id) => {
      if (actions.representative[cell.actionClass] === undefined) return;
      let answer = 0;
      const opening: Opening = { unconditional: false, first: undefined };
      for (const probeClass of probeTable.typesetClasses[cell.typeset] ?? []) {
        const probe = probeTable.classes[probeClass] as ResourceProbe;
        const bit = probe.own ? OWN : OTHER;
        // A bit already set by an answer that needs no key values settles nothing more for this probe kind.
        if ((answer & bit) !== 0 && opening.unconditional) continue;
        const result = decide(cell.actionClass, probeClass);
        if (!result.allowedForSome) continue;
        answer |= bit;
        noteOpening(opening, result);
      }
      answers[id] = answer;
      if (answer !== 0) openings.set(id, opening);
    });
    allowed[context] = collect(
      tables,
      (action) => answers[cellOf[action.id] as number] as number,
      (action) => openings.get(cellOf[action.id] as number),
    );
  }
  return { allowed, actionClasses: actions.representative.length, resourceClasses };
}

const OWN = 1;
const OTHER = 2;

function collect(
  tables: CatalogueTables,
  answer: (action: CatalogueAction) => number,
  openingOf: (action: CatalogueAction) => Opening | undefined,
): ContextAllowed {
  const allowed: AllowedAction[] = [];
  let ownResourcesOnly = 0;
  let accountLevel = 0;
  for (const action of tables.sortedActions) {
    if (tables.gated[action.id] !== 1) continue;
    const bits = answer(action);
    if (bits === 0) continue;
    const fields = openingFields(openingOf(action));
    const name = action.name;
    const ownOnly = bits === OWN;
    const account = action.resourceTypes.length === 0;
    // Object literals, not spreads: this runs for every allowed action of the catalogue.
    const entry: AllowedAction =
      fields === undefined
        ? { action: name, ownResourcesOnly: ownOnly, accountLevel: account }
        : fields.openedBy === undefined
          ? { action: name, ownResourcesOnly: ownOnly, accountLevel: account, dependsOn: fields.dependsOn as readonly string[] }
          : { action: name, ownResourcesOnly: ownOnly, accountLevel: account, openedBy: fields.openedBy, dependsOn: fields.dependsOn as readonly string[] };
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
    const openings = new Map<number, Opening>();
    allowed[context] = collect(
      tables,
      (action) => {
        const probes = [...(takesAccountProbe(action) ? [ACCOUNT_PROBE] : []), ...action.resourceTypes.flatMap((entry) => probesOf(entry.type))];
        let answer = 0;
        const opening: Opening = { unconditional: false, first: undefined };
        for (const probe of probes) {
          const result = isAllowed(setup, context, action.name, probe.arn);
          if (!result.allowedForSome) continue;
          answer |= probe.own ? OWN : OTHER;
          noteOpening(opening, result);
        }
        openings.set(action.id, opening);
        return answer;
      },
      (action) => openings.get(action.id),
    );
  }
  return { allowed, actionClasses: setup.gatedCount, resourceClasses: 0 };
}

function freeKeys(setup: Setup): string[] {
  const free = new Map<string, string>();
  for (const statement of setup.statements) {
    for (const { condition } of statement.conditions) {
      const unfixed = CONTEXT_NAMES.every((name) => isFreeKey(condition.key, setup.contextKeys[name]));
      if (unfixed && !free.has(condition.key)) free.set(condition.key, condition.keyText);
    }
  }
  return [...free.values()].sort();
}
