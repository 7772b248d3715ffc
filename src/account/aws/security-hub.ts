/**
 * The Security Hub edge: read force-mfa's findings of one account, import the audit's findings in batches of 100,
 * resolve the ones no longer produced. Every call retries throttling and transient errors (the audit's policy);
 * items BatchImportFindings or BatchUpdateFindings refuse are tried again a bounded number of times, then reported.
 */
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { HTTP_TIMEOUTS } from '../../aws/http.js';
import { pageTokenGuard } from '../../aws/pagination.js';
import { environmentError } from '../../errors.js';
import { ASFF_GENERATOR_PREFIX, type AsffFinding } from '../../render/audit-asff.js';
import { planSecurityHubSync, isOwnFinding, type HubFinding, type SyncScope } from '../../render/asff-sync.js';
import { DEFAULT_RETRY, backoffMs, errorName, isAccessDenied, withRetry, type RetryPolicy } from './retry.js';
import type { AwsCredentials } from '../../org/assume-role.js';

/** BatchImportFindings and BatchUpdateFindings take at most 100 findings a call. */
export const SECURITY_HUB_BATCH = 100;
/** How many more times an item the service refused (FailedFindings, UnprocessedFindings) is sent. */
export const ITEM_RETRIES = 3;

export type SecurityHubSender = Pick<SecurityHubClient, 'send'>;

/** One attempt per send, as the IAM client: the retries here are the only layer. */
export function createSecurityHubClient(options: { region?: string; credentials?: AwsCredentials } = {}): SecurityHubClient {
  return new SecurityHubClient({
    maxAttempts: 1,
    ...HTTP_TIMEOUTS,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
}

export interface SyncOptions extends SyncScope {
  readonly region: string;
  /** The audit's time: the findings' UpdatedAt. */
  readonly auditedAt: string;
  /** The note on a finding force-mfa resolves (BatchUpdateFindings). */
  readonly resolvedNote: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (text: string) => void;
}

export interface FailedItem {
  readonly id: string;
  readonly code: string;
  readonly message: string;
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
  const scope: SyncScope = { productArn: options.productArn, accountId: options.accountId };
  const context = { ...scope, region: options.region };
  const before = await listOwnFindings(client, scope, retry, context, options.signal);
  const plan = planSecurityHubSync(findings, before, scope, options.auditedAt);
  const failed = new Map<string, FailedItem>();
  let imported = 0;
  for (let start = 0; start < plan.imports.length; start += SECURITY_HUB_BATCH) {
    options.onProgress?.(`Security Hub ${options.accountId}: importing ${Math.min(start + SECURITY_HUB_BATCH, plan.imports.length)}/${plan.imports.length}…`);
    const outcome = await importBatch(client, plan.imports.slice(start, start + SECURITY_HUB_BATCH), retry, context, options.signal);
    imported += outcome.accepted;
    for (const item of outcome.failed) failed.set(item.id, item);
  }

  // Workflow belongs to BatchUpdateFindings once a finding exists: read back what the import left and set it where
  // it is not yet what the finding's state calls for.
  const resolve = plan.resolve.filter((id) => !failed.has(id));
  const reopen = plan.reopen.filter((id) => !failed.has(id));
  if (resolve.length + reopen.length > 0) {
    const after = new Map((await listOwnFindings(client, scope, retry, context, options.signal)).map((finding) => [finding.Id as string, finding]));
    const status = (id: string): string | undefined => after.get(id)?.Workflow?.Status;
    const toResolve = resolve.filter((id) => status(id) !== 'RESOLVED' && status(id) !== 'SUPPRESSED');
    const toReopen = reopen.filter((id) => status(id) === 'RESOLVED');
    const note = { Text: options.resolvedNote.slice(0, 512), UpdatedBy: 'force-mfa' };
    for (const item of await updateWorkflow(client, toResolve, 'RESOLVED', note, retry, context, options.signal)) failed.set(item.id, item);
    for (const item of await updateWorkflow(client, toReopen, 'NEW', undefined, retry, context, options.signal)) failed.set(item.id, item);
  }
  const failedResolve = plan.resolve.filter((id) => failed.has(id)).length;
  const failedReopen = plan.reopen.filter((id) => failed.has(id)).length;
  return {
    accountId: options.accountId,
    region: options.region,
    imported,
    created: plan.created,
    resolved: plan.resolve.length - failedResolve,
    reopened: plan.reopen.length - failedReopen,
    newerInHub: plan.newerInHub.length,
    failed: [...failed.values()],
  };
}

interface CallContext extends SyncScope {
  readonly region: string;
}

/** force-mfa's findings of the account, every page; filtered here too, so a hub that ignores filters changes nothing. */
export async function listOwnFindings(
  client: SecurityHubSender,
  scope: SyncScope,
  retry: RetryPolicy,
  context: CallContext,
  signal?: AbortSignal,
): Promise<HubFinding[]> {
  const findings: HubFinding[] = [];
  const next = pageTokenGuard('securityhub:GetFindings');
  let token: string | undefined;
  do {
    const page = await call(
      () =>
        client.send(
          new GetFindingsCommand({
            Filters: {
              ProductArn: [{ Value: scope.productArn, Comparison: 'EQUALS' }],
              AwsAccountId: [{ Value: scope.accountId, Comparison: 'EQUALS' }],
              GeneratorId: [{ Value: ASFF_GENERATOR_PREFIX, Comparison: 'PREFIX' }],
            },
            MaxResults: 100,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
          signal === undefined ? {} : { abortSignal: signal },
        ),
      retry,
      'securityhub:GetFindings',
      context,
    );
    for (const finding of page.Findings ?? []) if (isOwnFinding(finding, scope)) findings.push(finding);
    token = next(page.NextToken);
  } while (token !== undefined);
  return findings;
}

/** One batch, its refused items sent again (after a back-off) up to ITEM_RETRIES times; invalid items are not. */
async function importBatch(
  client: SecurityHubSender,
  batch: readonly AsffFinding[],
  retry: RetryPolicy,
  context: CallContext,
  signal?: AbortSignal,
): Promise<{ accepted: number; failed: FailedItem[] }> {
  let pending = [...batch];
  let accepted = 0;
  const failed: FailedItem[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const answer = await call(
      () => client.send(new BatchImportFindingsCommand({ Findings: pending as AwsSecurityFinding[] }), signal === undefined ? {} : { abortSignal: signal }),
      retry,
      'securityhub:BatchImportFindings',
      context,
    );
    const refused = (answer.FailedFindings ?? []).map((item) => ({ id: item.Id ?? '', code: item.ErrorCode ?? 'error', message: item.ErrorMessage ?? '' }));
    accepted += pending.length - refused.length;
    const again = refused.filter((item) => !/invalid/i.test(item.code));
    failed.push(...refused.filter((item) => /invalid/i.test(item.code)));
    if (again.length === 0) break;
    if (attempt >= ITEM_RETRIES) {
      failed.push(...again);
      break;
    }
    const ids = new Set(again.map((item) => item.id));
    pending = pending.filter((finding) => ids.has(finding.Id));
    await retry.sleep(backoffMs(attempt + 1, retry), signal);
  }
  return { accepted, failed };
}

async function updateWorkflow(
  client: SecurityHubSender,
  ids: readonly string[],
  status: 'RESOLVED' | 'NEW',
  note: { Text: string; UpdatedBy: string } | undefined,
  retry: RetryPolicy,
  context: CallContext,
  signal?: AbortSignal,
): Promise<FailedItem[]> {
  const failed: FailedItem[] = [];
  for (let start = 0; start < ids.length; start += SECURITY_HUB_BATCH) {
    let pending = ids.slice(start, start + SECURITY_HUB_BATCH);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const answer = await call(
        () =>
          client.send(
            new BatchUpdateFindingsCommand({
              FindingIdentifiers: pending.map((id) => ({ Id: id, ProductArn: context.productArn })),
              Workflow: { Status: status },
              ...(note === undefined ? {} : { Note: note }),
            }),
            signal === undefined ? {} : { abortSignal: signal },
          ),
        retry,
        'securityhub:BatchUpdateFindings',
        context,
      );
      const refused = (answer.UnprocessedFindings ?? []).map((item) => ({
        id: item.FindingIdentifier?.Id ?? '',
        code: item.ErrorCode ?? 'error',
        message: `workflow ${status}: ${item.ErrorMessage ?? ''}`,
      }));
      if (refused.length === 0) break;
      if (attempt >= ITEM_RETRIES) {
        failed.push(...refused);
        break;
      }
      const again = new Set(refused.map((item) => item.id));
      pending = pending.filter((id) => again.has(id));
      await retry.sleep(backoffMs(attempt + 1, retry), signal);
    }
  }
  return failed;
}

/** A call with the audit's retries; what still fails is one line naming the operation, the account and the region. */
async function call<T>(send: () => Promise<T>, retry: RetryPolicy, operation: string, context: CallContext): Promise<T> {
  try {
    return await withRetry(send, retry);
  } catch (error) {
    const name = errorName(error) || 'error';
    const where = `account ${context.accountId}, region ${context.region}`;
    if (name === 'InvalidAccessException' || /not subscribed/i.test(error instanceof Error ? error.message : '')) {
      throw environmentError(
        'security-hub-not-enabled',
        `Security Hub is not enabled in ${where}: enable it (aws securityhub enable-security-hub --region ${context.region}) or name the hub's region with --region`,
        error,
      );
    }
    if (isAccessDenied(error)) {
      throw environmentError(
        'security-hub-denied',
        `AWS denied ${operation} in ${where}: the import needs securityhub:GetFindings, securityhub:BatchImportFindings and securityhub:BatchUpdateFindings`,
        error,
      );
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw environmentError('security-hub-call-failed', `${operation} failed in ${where} (${name}): ${message}`, error);
  }
}
