/**
 * The exhaustive half of "is MFA enforced": over the whole action catalogue, what still works without MFA? Only the
 * MFA-bootstrap actions and what the administrator accepts may; the probes alone would miss a guard that exempts a
 * whole real service.
 */
import type { ActionCatalogue } from '../engine/catalogue.js';
import type { NamedPolicy } from '../engine/compile.js';
import type { AllowedAction, VerifyInput, VerifyReport } from '../engine/verify.js';
import { inputError } from '../errors.js';
import { buildGuard } from '../policy/guard.js';
import type { NoMfaContext } from './types.js';

/** The engine's `verifyPolicies` fits this shape (tests inject counting or failing ones). */
export type PolicyVerifier = (input: VerifyInput, catalogue: ActionCatalogue) => VerifyReport;

/** What one no-MFA context allows beyond the allowlist, and which allowed bootstrap actions reach other users. */
export interface ExhaustiveContext {
  readonly beyondAllowlist: readonly string[];
  readonly reachOtherUsers: readonly string[];
}

export type ExhaustiveResult =
  | { readonly kind: 'checked'; readonly contexts: Readonly<Record<NoMfaContext, ExhaustiveContext>>; readonly upperBound: boolean }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * The bootstrap allowlist: the union of what the seed guard and the recommended guard (password change included)
 * let a member do without MFA. Taken from the guards themselves, so the audit and the guard cannot drift apart.
 */
export function bootstrapAllowlist(): readonly string[] {
  bootstrapCache ??= [
    ...new Set([
      ...buildGuard({ profile: 'seed' }).bootstrapActions,
      ...buildGuard({ profile: 'recommended', allowPasswordChangeWithoutMfa: true }).bootstrapActions,
    ]),
  ].sort();
  return bootstrapCache;
}
let bootstrapCache: readonly string[] | undefined;

const ACTION_PATTERN = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;

/** Checks administrator-declared actions (`service:Action`, `*` and `?` allowed in the action part). */
export function validateAllowWithoutMfa(patterns: readonly string[], catalogue: ActionCatalogue): readonly string[] {
  for (const pattern of patterns) {
    if (!ACTION_PATTERN.test(pattern)) {
      throw inputError('audit-allow-without-mfa', `'${pattern}' is not an action pattern like dynamodb:Describe* (service:Action, wildcards only in the action)`);
    }
    if (catalogue.matching(pattern).length === 0) {
      throw inputError('audit-allow-without-mfa', `'${pattern}' matches no AWS action in the catalogue (${catalogue.source}); check the spelling`);
    }
  }
  return [...new Set(patterns)].sort();
}

function patternMatcher(patterns: readonly string[]): (action: string) => boolean {
  const exact = new Set(patterns.filter((pattern) => !/[*?]/.test(pattern)).map((pattern) => pattern.toLowerCase()));
  const wild = patterns
    .filter((pattern) => /[*?]/.test(pattern))
    .map((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`, 'i'));
  return (action) => exact.has(action.toLowerCase()) || wild.some((regex) => regex.test(action));
}

const ALLOW_ALL: NamedPolicy = { name: '(anything not denied)', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

export interface ExhaustiveCheckerOptions {
  /** Undefined only for JavaScript callers that skipped it: every check is then `unavailable` (never "enforced"). */
  readonly catalogue: ActionCatalogue | undefined;
  readonly verify: PolicyVerifier;
  readonly allowWithoutMfa: readonly string[];
}

export interface ExhaustiveRequest {
  readonly principalArn: string;
  readonly principalTags: Readonly<Record<string, string>>;
  readonly userId: string;
  readonly policies: readonly NamedPolicy[];
  readonly boundary: NamedPolicy | undefined;
  /** Some policy is missing or unreadable: only what the deny statements prove counts. */
  readonly uncertain: boolean;
  /** Users with equal keys get equal answers (policy set, path or identity). */
  readonly identityKey: string;
  readonly cacheKey: string;
}

/**
 * One checker per audit: it caches by deny statements (most users share one guard, whatever they are allowed) and
 * by full policy set. First the deny statements alone, with everything else allowed: if even that leaves nothing
 * beyond the allowlist, no allow can add anything. Only otherwise are the real allows verified.
 */
export function createExhaustiveChecker(options: ExhaustiveCheckerOptions): (request: ExhaustiveRequest) => ExhaustiveResult {
  const allowlisted = patternMatcher([...bootstrapAllowlist(), ...options.allowWithoutMfa]);
  const byDenies = new Map<string, ExhaustiveResult>();
  const byPolicies = new Map<string, ExhaustiveResult>();
  const catalogue = options.catalogue;
  const userResource = (action: string): boolean =>
    catalogue?.get(action)?.resourceTypes.some((entry) => entry.type.service === 'iam' && entry.type.name === 'user') ?? false;

  const run = (request: ExhaustiveRequest, policies: readonly NamedPolicy[], upperBound: boolean): ExhaustiveResult => {
    if (catalogue === undefined) return { kind: 'unavailable' };
    let report: VerifyReport;
    try {
      report = options.verify(
        {
          policies,
          principalArn: request.principalArn,
          principalTags: request.principalTags,
          userId: request.userId,
          ...(request.boundary === undefined ? {} : { scps: [request.boundary] }),
        },
        catalogue,
      );
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    const context = (allowed: readonly AllowedAction[]): ExhaustiveContext => ({
      beyondAllowlist: allowed.filter((entry) => !allowlisted(entry.action)).map((entry) => entry.action),
      reachOtherUsers: allowed.filter((entry) => allowlisted(entry.action) && !entry.ownResourcesOnly && userResource(entry.action)).map((entry) => entry.action),
    });
    return {
      kind: 'checked',
      upperBound,
      contexts: { 'console-no-mfa': context(report.contexts['console-no-mfa'].allowed), 'access-keys': context(report.contexts['access-keys'].allowed) },
    };
  };

  return (request) => {
    const denies = denyStatementsOnly(request.policies);
    let upper: ExhaustiveResult | undefined;
    if (denies !== undefined) {
      const key = `${JSON.stringify(denies.map((policy) => policy.document))}\n${JSON.stringify(request.boundary?.document ?? null)}\n${request.identityKey}`;
      upper = byDenies.get(key);
      if (upper === undefined) {
        upper = run(request, [...denies, ALLOW_ALL], true);
        byDenies.set(key, upper);
      }
      if (upper.kind !== 'checked') return upper;
      const leaks = (name: NoMfaContext) => upper?.kind === 'checked' && upper.contexts[name].beyondAllowlist.length > 0;
      const reaches = (name: NoMfaContext) => upper?.kind === 'checked' && upper.contexts[name].reachOtherUsers.length > 0;
      const settled = !leaks('console-no-mfa') && !leaks('access-keys');
      // Nothing beyond the allowlist even if everything else were allowed; the exact answer only sharpens "other users".
      if (settled && (request.uncertain || (!reaches('console-no-mfa') && !reaches('access-keys')))) return upper;
    }
    if (request.uncertain) return upper ?? run(request, [...request.policies, ALLOW_ALL], true);
    let exact = byPolicies.get(request.cacheKey);
    if (exact === undefined) {
      exact = run(request, request.policies, false);
      byPolicies.set(request.cacheKey, exact);
    }
    return exact;
  };
}

/** The deny statements of each policy, in a policy of its own; undefined when a document has an unexpected shape. */
function denyStatementsOnly(policies: readonly NamedPolicy[]): NamedPolicy[] | undefined {
  const result: NamedPolicy[] = [];
  for (const policy of policies) {
    const document = policy.document as { Version?: unknown; Statement?: unknown } | null;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
    const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement === undefined ? undefined : [document.Statement];
    if (statements === undefined) return undefined;
    const denies = statements.filter((statement) => typeof statement === 'object' && statement !== null && (statement as { Effect?: unknown }).Effect === 'Deny');
    if (denies.length > 0) result.push({ name: policy.name, document: { ...(document.Version === undefined ? {} : { Version: document.Version }), Statement: denies } });
  }
  return result;
}
