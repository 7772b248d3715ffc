/**
 * Applies an audit to one account's Security Hub: read force-mfa's findings there, import the current ones in
 * batches of 100, resolve the ones no longer produced, bring back the ones that return (the plan: render/asff-sync).
 */
import {
  SECURITY_HUB_BATCH,
  importFindings,
  listFindings,
  updateWorkflow,
  type AwsSecurityFinding,
  type FailedItem,
  type HubContext,
  type SecurityHubSender,
} from '../account/aws/security-hub.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../account/aws/retry.js';
import { ASFF_GENERATOR_PREFIX, type AsffFinding } from '../render/audit-asff.js';
import { planSecurityHubSync, type HubFinding } from '../render/asff-sync.js';

export interface SyncOptions extends HubContext {
  /** The audit's time: the findings' UpdatedAt. */
  readonly auditedAt: string;
  /** The note on a finding force-mfa resolves (BatchUpdateFindings). */
  readonly resolvedNote: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (text: string) => void;
}

export interface SyncResult {
  readonly accountId: string;
  readonly region: string;
  /** Findings BatchImportFindings accepted: current ones (new and updated) and resolved ones. */
  readonly imported: number;
  readonly created: number;
  readonly resolved: number;
  readonly reopened: number;
  /** Findings left alone: the hub holds a newer update of them. */
  readonly newerInHub: number;
  readonly failed: readonly FailedItem[];
}

/** Import `findings` (one account's) and resolve force-mfa's findings of that account they no longer include. */
export async function syncSecurityHub(client: SecurityHubSender, findings: readonly AsffFinding[], options: SyncOptions): Promise<SyncResult> {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const context: HubContext = { productArn: options.productArn, accountId: options.accountId, region: options.region };
  const read = async (): Promise<HubFinding[]> => listFindings(client, context, ASFF_GENERATOR_PREFIX, retry, options.signal);
  const plan = planSecurityHubSync(findings, await read(), context, options.auditedAt);
  const failed = new Map<string, FailedItem>();
  let imported = 0;
  for (let start = 0; start < plan.imports.length; start += SECURITY_HUB_BATCH) {
    options.onProgress?.(`Security Hub ${options.accountId}: importing ${Math.min(start + SECURITY_HUB_BATCH, plan.imports.length)}/${plan.imports.length}…`);
    // ASFF as force-mfa writes it is the SDK's AwsSecurityFinding in plain JSON.
    const batch = plan.imports.slice(start, start + SECURITY_HUB_BATCH) as unknown as AwsSecurityFinding[];
    const outcome = await importFindings(client, batch, retry, context, options.signal);
    imported += outcome.accepted;
    for (const item of outcome.failed) failed.set(item.id, item);
  }

  // Workflow belongs to BatchUpdateFindings once a finding exists: read back what the import left and set it where
  // it is not yet what the finding's state calls for.
  const resolve = plan.resolve.filter((id) => !failed.has(id));
  const reopen = plan.reopen.filter((id) => !failed.has(id));
  if (resolve.length + reopen.length > 0) {
    const after = new Map((await read()).map((finding) => [finding.Id, finding]));
    const status = (id: string): string | undefined => after.get(id)?.Workflow?.Status;
    const toResolve = resolve.filter((id) => status(id) !== 'RESOLVED' && status(id) !== 'SUPPRESSED');
    const toReopen = reopen.filter((id) => status(id) === 'RESOLVED');
    const note = { Text: options.resolvedNote.slice(0, 512), UpdatedBy: 'force-mfa' };
    for (const item of await updateWorkflow(client, toResolve, 'RESOLVED', note, retry, context, options.signal)) failed.set(item.id, item);
    for (const item of await updateWorkflow(client, toReopen, 'NEW', undefined, retry, context, options.signal)) failed.set(item.id, item);
  }
  return {
    accountId: options.accountId,
    region: options.region,
    imported,
    created: plan.created,
    resolved: plan.resolve.filter((id) => !failed.has(id)).length,
    reopened: plan.reopen.filter((id) => !failed.has(id)).length,
    newerInHub: plan.newerInHub.length,
    failed: [...failed.values()],
  };
}
