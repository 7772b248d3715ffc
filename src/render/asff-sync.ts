/**
 * What an import into Security Hub must do, from this audit's findings and force-mfa's findings already in the hub:
 * update the current ones, resolve the ones this audit no longer produces, bring back the ones that return. Pure.
 */
import { ASFF_GENERATOR_PREFIX, type AsffFinding, type AsffResource } from './audit-asff.js';

/** A finding as GetFindings returns it: only the fields the plan reads are typed. */
export interface HubFinding {
  readonly Id?: string | undefined;
  readonly ProductArn?: string | undefined;
  readonly GeneratorId?: string | undefined;
  readonly AwsAccountId?: string | undefined;
  readonly SchemaVersion?: string | undefined;
  readonly Types?: readonly string[] | undefined;
  readonly CreatedAt?: string | undefined;
  readonly UpdatedAt?: string | undefined;
  readonly FirstObservedAt?: string | undefined;
  readonly Severity?: { readonly Label?: string | undefined; readonly Original?: string | undefined } | undefined;
  readonly Title?: string | undefined;
  readonly Description?: string | undefined;
  readonly ProductFields?: Readonly<Record<string, string>> | undefined;
  readonly Resources?: readonly { readonly Type?: string | undefined; readonly Id?: string | undefined; readonly Partition?: string | undefined; readonly Region?: string | undefined }[] | undefined;
  readonly RecordState?: string | undefined;
  readonly Workflow?: { readonly Status?: string | undefined } | undefined;
}

export interface SyncScope {
  readonly productArn: string;
  readonly accountId: string;
}

export interface SyncPlan {
  /** Everything to send to BatchImportFindings: current findings, then the archived versions of resolved ones. */
  readonly imports: readonly AsffFinding[];
  /** How many of `imports` are new to the hub. */
  readonly created: number;
  /** Ids of findings this audit no longer produces: archived, and their workflow to become RESOLVED. */
  readonly resolve: readonly string[];
  /** Ids of findings that were resolved or archived and are produced again: their workflow to become NEW. */
  readonly reopen: readonly string[];
  /** Findings left alone because the hub holds a newer update (another run, with newer data, wrote them). */
  readonly newerInHub: readonly string[];
}

/** Is this hub finding one force-mfa wrote for this account and product? Nothing else is ever touched. */
export function isOwnFinding(finding: HubFinding, scope: SyncScope): boolean {
  return (
    finding.ProductArn === scope.productArn &&
    finding.AwsAccountId === scope.accountId &&
    typeof finding.GeneratorId === 'string' &&
    finding.GeneratorId.startsWith(ASFF_GENERATOR_PREFIX) &&
    typeof finding.Id === 'string' &&
    finding.Id.startsWith(`force-mfa/${scope.accountId}/`)
  );
}

const isResolved = (finding: HubFinding): boolean => finding.RecordState === 'ARCHIVED' || finding.Workflow?.Status === 'RESOLVED';
const isNewer = (finding: HubFinding, than: string): boolean =>
  finding.UpdatedAt !== undefined && Number.isFinite(Date.parse(finding.UpdatedAt)) && Date.parse(finding.UpdatedAt) > Date.parse(than);

/**
 * `current` are this audit's findings (all with UpdatedAt = the audit's time), `hub` force-mfa's findings in the hub
 * (others are ignored). A finding the hub updated after this audit is left alone: an older audit never overwrites a
 * newer one's result. A workflow the customer set (NOTIFIED, SUPPRESSED) is never changed.
 */
export function planSecurityHubSync(current: readonly AsffFinding[], hub: readonly HubFinding[], scope: SyncScope, auditedAt: string): SyncPlan {
  const existing = new Map<string, HubFinding>();
  for (const finding of hub) if (isOwnFinding(finding, scope)) existing.set(finding.Id as string, finding);
  const imports: AsffFinding[] = [];
  const reopen: string[] = [];
  const newerInHub: string[] = [];
  let created = 0;
  for (const finding of current) {
    const before = existing.get(finding.Id);
    if (before === undefined) {
      imports.push(finding);
      created++;
      continue;
    }
    if (isNewer(before, auditedAt)) {
      newerInHub.push(finding.Id);
      continue;
    }
    const { Workflow: _workflow, ...rest } = finding;
    const returning = isResolved(before) && before.Workflow?.Status !== 'SUPPRESSED';
    imports.push({
      ...rest,
      CreatedAt: before.CreatedAt ?? finding.CreatedAt,
      FirstObservedAt: before.FirstObservedAt ?? before.CreatedAt ?? finding.FirstObservedAt,
      // Workflow is the customer's once the finding exists; a returning finding is NEW again (Security Hub resets it too).
      ...(returning ? { Workflow: { Status: 'NEW' as const } } : {}),
    });
    if (returning) reopen.push(finding.Id);
  }
  const produced = new Set(current.map((finding) => finding.Id));
  const resolve: string[] = [];
  for (const [id, before] of existing) {
    if (produced.has(id)) continue;
    if (isNewer(before, auditedAt)) {
      newerInHub.push(id);
      continue;
    }
    const workflowDone = before.Workflow?.Status === 'RESOLVED' || before.Workflow?.Status === 'SUPPRESSED';
    if (before.RecordState !== 'ARCHIVED') {
      const archived = archivedVersion(before, scope, auditedAt);
      if (archived !== undefined) imports.push(archived);
    }
    if (!workflowDone || before.RecordState !== 'ARCHIVED') resolve.push(id);
  }
  return { imports, created, resolve, reopen, newerInHub };
}

/**
 * The finding as its provider closes it: the issue is gone (Compliance PASSED) and the record archived. Built from
 * the hub's copy, keeping only fields a provider writes (Security Hub adds its own to what GetFindings returns).
 */
function archivedVersion(before: HubFinding, scope: SyncScope, auditedAt: string): AsffFinding | undefined {
  const partition = scope.productArn.split(':')[1] ?? 'aws';
  const resources = (before.Resources ?? []).flatMap((resource): AsffResource[] =>
    resource.Type === undefined || resource.Id === undefined
      ? []
      : [{ Type: resource.Type, Id: resource.Id, Partition: resource.Partition ?? partition, ...(resource.Region === undefined ? {} : { Region: resource.Region }) }],
  );
  if (resources.length === 0 || before.Title === undefined || before.Description === undefined) return undefined;
  const known = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
  const label = known.find((candidate) => candidate === before.Severity?.Label) ?? 'INFORMATIONAL';
  const productFields = Object.fromEntries(Object.entries(before.ProductFields ?? {}).filter(([key]) => key.startsWith('force-mfa/')));
  return {
    SchemaVersion: before.SchemaVersion ?? '2018-10-08',
    Id: before.Id as string,
    ProductArn: scope.productArn,
    ProductName: 'force-mfa',
    GeneratorId: before.GeneratorId as string,
    AwsAccountId: scope.accountId,
    Types: [...(before.Types ?? ['Software and Configuration Checks/AWS Security Best Practices'])],
    CreatedAt: before.CreatedAt ?? auditedAt,
    UpdatedAt: auditedAt,
    FirstObservedAt: before.FirstObservedAt ?? before.CreatedAt ?? auditedAt,
    LastObservedAt: auditedAt,
    Severity: { Label: label, Original: before.Severity?.Original ?? label },
    Title: before.Title,
    Description: before.Description,
    ProductFields: productFields,
    Resources: resources,
    Compliance: { Status: 'PASSED' },
    RecordState: 'ARCHIVED',
    // Honoured for a finding the hub does not know; for one it knows, the import leaves Workflow to BatchUpdateFindings.
    Workflow: { Status: 'RESOLVED' },
  };
}
