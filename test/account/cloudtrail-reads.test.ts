import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readConsoleLoginsFromCloudTrail, type ConsoleLoginReadOptions } from '../../src/account/aws/cloudtrail-reads.js';
import { consoleLoginEvidence } from '../../src/account/console-logins.js';
import { isForceMfaError } from '../../src/errors.js';
import { awsError } from './aws-world.js';

const NOW = new Date('2025-06-02T12:00:00Z');
const mock = mockClient(CloudTrailClient);
afterEach(() => mock.reset());

function event(index: number, name = `user${index % 3}`, mfa: 'Yes' | 'No' = 'No'): Event {
  const at = new Date(NOW.getTime() - index * 3_600_000).toISOString();
  return {
    EventId: `e-${index}`,
    EventName: 'ConsoleLogin',
    EventTime: new Date(at),
    Username: name,
    CloudTrailEvent: JSON.stringify({
      eventName: 'ConsoleLogin',
      eventTime: at,
      sourceIPAddress: '198.51.100.3',
      userIdentity: { type: 'IAMUser', principalId: `AIDA${name.toUpperCase()}`, arn: `arn:aws:iam::123456789012:user/${name}`, userName: name },
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: mfa },
    }),
  };
}
const events = (from: number, count: number): Event[] => Array.from({ length: count }, (_, offset) => event(from + offset));

/** Instant sleeps, recorded; a clock that moves only when slept. */
function options(overrides: Partial<ConsoleLoginReadOptions> = {}): ConsoleLoginReadOptions & { slept: number[] } {
  const slept: number[] = [];
  let clock = 0;
  return {
    days: 30,
    maxEvents: 1000,
    regions: ['us-east-1'],
    now: NOW,
    clientFor: (region) => new CloudTrailClient({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    clock: () => clock,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
    ...overrides,
    slept,
  };
}

describe('readConsoleLoginsFromCloudTrail', () => {
  it('reads every page of the window, filtered to ConsoleLogin, paced under 2 calls a second', async () => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: events(0, 50), NextToken: 't1' })
      .resolvesOnce({ Events: events(50, 50), NextToken: 't2' })
      .resolvesOnce({ Events: events(100, 7) });
    const settings = options();
    const read = await readConsoleLoginsFromCloudTrail(settings);
    expect(read.records).toHaveLength(107);
    expect(read.gaps).toEqual([]);
    const calls = mock.commandCalls(LookupEventsCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.NextToken)).toEqual([undefined, 't1', 't2']);
    expect(calls[0]).toMatchObject({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
      StartTime: new Date('2025-05-03T12:00:00Z'),
      EndTime: NOW,
      MaxResults: 50,
    });
    // The clock moves only by the pacer's waits: three calls, at least 550 ms apart.
    expect(settings.slept).toEqual([550, 550]);
    const evidence = consoleLoginEvidence(read);
    expect(evidence.state).toBe('complete');
    expect(evidence.users.map((user) => [user.userName, user.count])).toEqual([
      ['user0', 36],
      ['user1', 36],
      ['user2', 35],
    ]);
  });

  it('stops at the event bound and says the evidence is partial, never complete', async () => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: events(0, 50), NextToken: 't1' })
      .resolvesOnce({ Events: events(50, 50), NextToken: 't2' })
      .resolves({ Events: events(100, 50), NextToken: 't3' });
    const read = await readConsoleLoginsFromCloudTrail(options({ maxEvents: 80, regions: ['us-east-1', 'eu-north-1'] }));
    expect(read.records).toHaveLength(80);
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(2);
    expect(read.gaps).toEqual([{ cause: 'max-events', detail: 'stopped after 80 events in us-east-1; not read: eu-north-1' }]);
    const evidence = consoleLoginEvidence(read);
    expect(evidence.state).toBe('partial');
    expect(evidence.oldestEventAt).toBe(new Date(NOW.getTime() - 79 * 3_600_000).toISOString());
  });

  it('a bound met exactly by the last page of the last region is complete', async () => {
    mock.on(LookupEventsCommand).resolvesOnce({ Events: events(0, 50) });
    const read = await readConsoleLoginsFromCloudTrail(options({ maxEvents: 50 }));
    expect(read.gaps).toEqual([]);
  });

  it('access denied is unknown evidence for that region, and the other regions are still read', async () => {
    mock.on(LookupEventsCommand).callsFake(async (_input, getClient: () => CloudTrailClient) => {
      const region = await getClient().config.region();
      if (region === 'us-east-1') throw awsError('AccessDeniedException', 400);
      return { Events: [event(1, 'eve')] };
    });
    const read = await readConsoleLoginsFromCloudTrail(options({ regions: ['us-east-1', 'us-east-2'] }));
    expect(read.gaps).toEqual([{ cause: 'access-denied', detail: 'cloudtrail:LookupEvents in us-east-1' }]);
    const evidence = consoleLoginEvidence(read);
    expect(evidence.state).toBe('unknown');
    expect(evidence.users.map((user) => user.userName)).toEqual(['eve']);
  });

  it('retries throttling and reads on', async () => {
    mock
      .on(LookupEventsCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .rejectsOnce(awsError('ThrottlingException', 400))
      .resolvesOnce({ Events: events(0, 3), NextToken: 'n' })
      .resolvesOnce({ Events: events(3, 2) });
    const read = await readConsoleLoginsFromCloudTrail(options());
    expect(read.records).toHaveLength(5);
    expect(read.gaps).toEqual([]);
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(4);
  });

  it('throttling past the retries is a failed region (unknown), not "no sign-ins"', async () => {
    mock.on(LookupEventsCommand).rejects(awsError('ThrottlingException', 400));
    const read = await readConsoleLoginsFromCloudTrail(options({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }));
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(3);
    expect(read.gaps).toEqual([{ cause: 'call-failed', detail: 'cloudtrail:LookupEvents in us-east-1 (ThrottlingException)' }]);
    expect(consoleLoginEvidence(read).state).toBe('unknown');
  });

  it('an endpoint that repeats its page token is stopped with an AWS error (exit 3)', async () => {
    mock.on(LookupEventsCommand).resolves({ Events: events(0, 1), NextToken: 'again' });
    const error = await readConsoleLoginsFromCloudTrail(options()).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(2);
  });
});
