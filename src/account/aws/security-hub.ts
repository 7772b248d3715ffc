/**
 * The Security Hub edge: read one product's findings of an account, import findings, set their workflow. Every call
 * retries throttling and transient errors (the audit's policy); items BatchImportFindings or BatchUpdateFindings
 * refuse are sent again a bounded number of times, then returned. What to import is decided elsewhere (rollout).
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
import { backoffMs, errorName, isAccessDenied, withRetry, type RetryPolicy } from './retry.js';

/** BatchImportFindings and BatchUpdateFindings take at most 100 findings a call. */
export const SECURITY_HUB_BATCH = 100;
/** How many more times an item the service refused (FailedFindings, UnprocessedFindings) is sent. */
export const ITEM_RETRIES = 3;

export type SecurityHubSender = Pick<SecurityHubClient, 'send'>;
export type { AwsSecurityFinding };

/** Whose findings a call reads or writes: one product (ARN) in one account, and the hub's region. */
export interface HubContext {
  readonly productArn: string;
  readonly accountId: string;
  readonly region: string;
}

/** One attempt per send, as the IAM client: the retries here are the only layer. */
export function createSecurityHubClient(
  options: { region?: string; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } = {},
): SecurityHubClient {
  return new SecurityHubClient({
    maxAttempts: 1,
    ...HTTP_TIMEOUTS,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
}

export interface FailedItem {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/**
 * The product's findings of the account whose GeneratorId starts with `generatorPrefix`, every page. Filtered here
 * too: a hub that ignores filters (moto) must not make another product's or account's findings look like ours.
 */
export async function listFindings(
  client: SecurityHubSender,
  context: HubContext,
  generatorPrefix: string,
  retry: RetryPolicy,
  signal?: AbortSignal,
): Promise<AwsSecurityFinding[]> {
  const findings: AwsSecurityFinding[] = [];
  const next = pageTokenGuard('securityhub:GetFindings');
  let token: string | undefined;
  do {
    const page = await call(
      () =>
        client.send(
          new GetFindingsCommand({
            Filters: {
              ProductArn: [{ Value: context.productArn, Comparison: 'EQUALS' }],
              AwsAccountId: [{ Value: context.accountId, Comparison: 'EQUALS' }],
              GeneratorId: [{ Value: generatorPrefix, Comparison: 'PREFIX' }],
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
    for (const finding of page.Findings ?? []) {
      const ours = finding.ProductArn === context.productArn && finding.AwsAccountId === context.accountId && finding.GeneratorId?.startsWith(generatorPrefix) === true;
      if (ours) findings.push(finding);
    }
    token = next(page.NextToken);
  } while (token !== undefined);
  return findings;
}

/**
 * At most 100 findings (one call), its refused items sent again (after a back-off) up to ITEM_RETRIES times; items
 * refused as invalid input are not sent again. Importing is idempotent (same Id, same product), so a call whose
 * answer was lost is sent again too.
 */
export async function importFindings(
  client: SecurityHubSender,
  batch: readonly AwsSecurityFinding[],
  retry: RetryPolicy,
  context: HubContext,
  signal?: AbortSignal,
): Promise<{ accepted: number; failed: FailedItem[] }> {
  if (batch.length > SECURITY_HUB_BATCH) throw new RangeError(`at most ${SECURITY_HUB_BATCH} findings a call, not ${batch.length}`);
  let pending = [...batch];
  let accepted = 0;
  const failed: FailedItem[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const answer = await call(
      () => client.send(new BatchImportFindingsCommand({ Findings: pending }), signal === undefined ? {} : { abortSignal: signal }),
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
    pending = pending.filter((finding) => ids.has(finding.Id ?? ''));
    await retry.sleep(backoffMs(attempt + 1, retry), signal);
  }
  return { accepted, failed };
}

/** Sets the workflow status of findings of the product (batches of 100); the ones still refused are returned. */
export async function updateWorkflow(
  client: SecurityHubSender,
  ids: readonly string[],
  status: 'RESOLVED' | 'NEW',
  note: { Text: string; UpdatedBy: string } | undefined,
  retry: RetryPolicy,
  context: HubContext,
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
async function call<T>(send: () => Promise<T>, retry: RetryPolicy, operation: string, context: HubContext): Promise<T> {
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
