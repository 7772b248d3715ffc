/** The CloudTrail edge: ConsoleLogin events of the last N days from LookupEvents, paced, paginated and bounded. */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { HTTP_TIMEOUTS } from '../../aws/http.js';
import { pageTokenGuard } from '../../aws/pagination.js';
import type { ConsoleLoginRead, EvidenceGap } from '../console-logins.js';
import { CallPacer, DEFAULT_RETRY, defaultSleep, errorName, isAccessDenied, withRetry, type RetryPolicy, type Sleep } from './retry.js';

export interface CloudTrailSender {
  send(command: LookupEventsCommand): Promise<LookupEventsCommandOutput>;
}

/** One client per region, as the IAM client: one attempt per send, the reads retry themselves behind a pacer. */
export function createCloudTrailClient(region?: string, maxAttempts = 1): CloudTrailClient {
  return new CloudTrailClient({ ...(region === undefined ? {} : { region }), maxAttempts, ...HTTP_TIMEOUTS });
}

export interface ConsoleLoginProgress {
  readonly region: string;
  readonly events: number;
  readonly pages: number;
}

export interface ConsoleLoginReadOptions {
  readonly days: number;
  /** Events read at most, over all regions: the newest first, so a bound cuts the oldest part of the window. */
  readonly maxEvents: number;
  readonly regions: readonly string[];
  readonly now: Date;
  readonly clientFor: (region: string) => CloudTrailSender;
  readonly retry?: Partial<RetryPolicy>;
  /**
   * LookupEvents allows 2 requests per second per account and region: one call at a time, at least this long
   * apart (default 550 ms), so the audit stays under the quota instead of living on throttling retries.
   */
  readonly minIntervalMs?: number;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
  readonly onProgress?: (progress: ConsoleLoginProgress) => void;
}

const PAGE_SIZE = 50;

/**
 * The ConsoleLogin records of [now − days, now] in each region, in order. A region AWS refuses or that keeps failing
 * is a gap (the evidence becomes unknown), never "no sign-ins"; reaching `maxEvents` with pages left is a gap too.
 */
export async function readConsoleLoginsFromCloudTrail(options: ConsoleLoginReadOptions): Promise<ConsoleLoginRead> {
  const to = options.now;
  const from = new Date(to.getTime() - options.days * 86_400_000);
  const sleep = options.sleep ?? defaultSleep;
  const clock = options.clock ?? (() => performance.now());
  const minInterval = options.minIntervalMs ?? 550;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, pacer: new CallPacer(1), ...options.retry };
  const records: unknown[] = [];
  const gaps: EvidenceGap[] = [];
  let lastCallAt = -Infinity;
  const paced = async (call: () => Promise<LookupEventsCommandOutput>): Promise<LookupEventsCommandOutput> => {
    const wait = lastCallAt + minInterval - clock();
    if (wait > 0) await sleep(wait);
    try {
      return await call();
    } finally {
      lastCallAt = clock();
    }
  };

  for (const [index, region] of options.regions.entries()) {
    const client = options.clientFor(region);
    const nextToken = pageTokenGuard(`cloudtrail:LookupEvents (${region})`);
    let token: string | undefined;
    let pages = 0;
    try {
      do {
        const page = await withRetry(
          () =>
            paced(() =>
              client.send(
                new LookupEventsCommand({
                  LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
                  StartTime: from,
                  EndTime: to,
                  MaxResults: PAGE_SIZE,
                  ...(token === undefined ? {} : { NextToken: token }),
                }),
              ),
            ),
          retry,
        );
        pages++;
        records.push(...(page.Events ?? []));
        token = nextToken(page.NextToken);
        options.onProgress?.({ region, events: records.length, pages });
        if (records.length >= options.maxEvents && (token !== undefined || records.length > options.maxEvents || index < options.regions.length - 1)) {
          records.length = options.maxEvents;
          const unread = options.regions.slice(index + 1);
          gaps.push({
            cause: 'max-events',
            detail: `stopped after ${options.maxEvents} events in ${region}${unread.length === 0 ? '' : `; not read: ${unread.join(', ')}`}`,
          });
          return result();
        }
      } while (token !== undefined);
    } catch (error) {
      if (error instanceof Error && error.name === 'ForceMfaError') throw error;
      gaps.push({
        cause: isAccessDenied(error) ? 'access-denied' : 'call-failed',
        detail: `cloudtrail:LookupEvents in ${region}${isAccessDenied(error) ? '' : ` (${errorName(error) || (error as Error).message || 'error'})`}`,
      });
    }
  }
  return result();

  function result(): ConsoleLoginRead {
    return {
      origin: 'aws',
      location: 'cloudtrail:LookupEvents',
      days: options.days,
      window: { from, to },
      windowEnd: 'live',
      regions: [...options.regions],
      maxEvents: options.maxEvents,
      records,
      gaps,
    };
  }
}
