import { describe, expect, it } from 'vitest';
import { consoleLoginEvidence, summarizeConsoleLogins, type ConsoleLoginRead, type EvidenceGap } from '../../src/account/console-logins.js';

const ARN = (name: string): string => `arn:aws:iam::123456789012:user/${name}`;
const ID = (name: string): string => `AIDA${name.toUpperCase()}EXAMPLE`;

interface Sign {
  readonly name?: string;
  readonly at?: string;
  readonly mfa?: string | undefined;
  readonly outcome?: string | undefined;
  readonly ip?: string;
  readonly type?: string;
  readonly principalId?: string | null;
  readonly arn?: string | null;
  /** The EventId; unique unless given. */
  readonly id?: string;
}
let nextId = 0;

/** A LookupEvents record with its CloudTrailEvent string, as the API and `aws cloudtrail lookup-events` give it. */
function record(sign: Sign): unknown {
  const name = sign.name ?? 'alice';
  const type = sign.type ?? 'IAMUser';
  const identity: Record<string, unknown> = { type, accountId: '123456789012' };
  if (type === 'IAMUser') {
    if (sign.arn !== null) identity['arn'] = sign.arn ?? ARN(name);
    if (sign.principalId !== null) identity['principalId'] = sign.principalId ?? ID(name);
    identity['userName'] = name;
  } else if (type === 'Root') {
    identity['arn'] = 'arn:aws:iam::123456789012:root';
  }
  return {
    EventId: sign.id ?? `event-${nextId++}`,
    EventName: 'ConsoleLogin',
    CloudTrailEvent: JSON.stringify({
      eventName: 'ConsoleLogin',
      eventTime: sign.at ?? '2025-05-10T08:00:00Z',
      sourceIPAddress: sign.ip ?? '198.51.100.7',
      userIdentity: identity,
      responseElements: sign.outcome === undefined && 'outcome' in sign ? {} : { ConsoleLogin: sign.outcome ?? 'Success' },
      additionalEventData: sign.mfa === undefined && 'mfa' in sign ? {} : { MFAUsed: sign.mfa ?? 'No' },
    }),
  };
}

const WINDOW = { from: new Date('2025-05-03T00:00:00Z'), to: new Date('2025-06-02T00:00:00Z') };

interface Case {
  readonly name: string;
  readonly records: readonly unknown[];
  /** userName → [count, lastAt, lastSourceIp] */
  readonly users: Readonly<Record<string, readonly [number, string, string | undefined]>>;
  readonly root?: readonly [number, string];
  readonly events: number;
  readonly failures?: number;
  readonly otherIdentities?: number;
  readonly rejected?: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'counts successful sign-ins without MFA per user and keeps the last time and source IP, in any order',
    records: [
      record({ at: '2025-05-10T08:00:00Z', ip: '192.0.2.1' }),
      record({ at: '2025-05-20T09:30:00Z', ip: '192.0.2.2' }),
      record({ at: '2025-05-15T09:30:00Z', ip: '192.0.2.3' }),
      record({ name: 'bob', at: '2025-05-11T10:00:00Z' }),
    ],
    users: { alice: [3, '2025-05-20T09:30:00.000Z', '192.0.2.2'], bob: [1, '2025-05-11T10:00:00.000Z', '198.51.100.7'] },
    events: 4,
  },
  {
    name: 'one event read twice (overlapping regions or files) counts once',
    records: [record({ at: '2025-05-10T08:00:00Z', id: 'same' }), record({ at: '2025-05-10T08:00:00Z', id: 'same' }), record({ at: '2025-05-11T08:00:00Z' })],
    users: { alice: [2, '2025-05-11T08:00:00.000Z', '198.51.100.7'] },
    events: 2,
  },
  {
    name: 'a copy of a sign-in without MFA that says MFA was used (same event id) is rejected, and does not hide it',
    records: [record({ at: '2025-05-10T08:00:00Z', id: 'forged', mfa: 'Yes' }), record({ at: '2025-05-10T08:00:00Z', id: 'forged', mfa: 'No' })],
    users: { alice: [1, '2025-05-10T08:00:00.000Z', '198.51.100.7'] },
    events: 2,
    rejected: ['event id forged given twice with different contents'],
  },
  {
    name: 'a sign-in with MFA is not evidence against the user',
    records: [record({ name: 'carol', mfa: 'Yes' })],
    users: {},
    events: 1,
  },
  {
    name: 'failed sign-ins are counted apart, not as sign-ins (nobody got in), even without a user ARN',
    records: [record({ name: 'dan', outcome: 'Failure' }), record({ name: 'HIDDEN_DUE_TO_SECURITY_REASONS', outcome: 'Failure', arn: null, principalId: null, mfa: undefined })],
    users: {},
    events: 2,
    failures: 2,
  },
  {
    name: 'events outside the window are not read as in it',
    records: [record({ at: '2025-04-01T10:00:00Z' }), record({ at: '2025-06-03T10:00:00Z' })],
    users: {},
    events: 0,
  },
  {
    name: 'root sign-ins without MFA are kept at account level',
    records: [record({ type: 'Root', at: '2025-05-12T10:00:00Z' }), record({ type: 'Root', at: '2025-05-14T10:00:00Z' }), record({ type: 'Root', mfa: 'Yes' })],
    users: {},
    root: [2, '2025-05-14T10:00:00.000Z'],
    events: 3,
  },
  {
    name: 'federated and role sign-ins are other identities, not IAM users',
    records: [record({ type: 'AssumedRole' }), record({ type: 'SAMLUser' })],
    users: {},
    events: 2,
    otherIdentities: 2,
  },
  {
    name: 'a deleted and recreated user of the same name is two identities (principal ids differ)',
    records: [record({ at: '2025-05-05T10:00:00Z', principalId: 'AIDAOLDALICE' }), record({ at: '2025-05-25T10:00:00Z', principalId: 'AIDANEWALICE' })],
    users: { alice: [1, '2025-05-05T10:00:00.000Z', '198.51.100.7'] },
    events: 2,
  },
  {
    name: 'records it cannot decode are rejected, not dropped: a success of unknown MFA use could hide one',
    records: [
      { CloudTrailEvent: '{not json' },
      { EventName: 'ConsoleLogin' },
      7,
      { CloudTrailEvent: '[1]' },
      record({ mfa: 'maybe' }),
      record({ mfa: undefined }),
      record({ outcome: undefined }),
      record({ arn: null }),
      { CloudTrailEvent: JSON.stringify({ eventName: 'ConsoleLogin', eventTime: 'yesterday' }) },
      { CloudTrailEvent: JSON.stringify({ eventTime: '2025-05-10T08:00:00Z' }) },
      { CloudTrailEvent: JSON.stringify({ eventName: 'GetUser', eventTime: '2025-05-10T08:00:00Z' }) },
    ],
    users: {},
    events: 4,
    rejected: [
      'CloudTrailEvent is not JSON',
      'no CloudTrailEvent string',
      'not an object',
      'CloudTrailEvent is not a JSON object',
      'no additionalEventData.MFAUsed Yes or No',
      'no additionalEventData.MFAUsed Yes or No',
      'no responseElements.ConsoleLogin Success or Failure',
      'no userIdentity.arn',
      'no eventTime',
      'no eventName',
    ],
  },
];

describe('summarizeConsoleLogins', () => {
  it.each(CASES)('$name', (entry) => {
    const summary = summarizeConsoleLogins(entry.records, WINDOW);
    const byName = Object.fromEntries(summary.users.map((user) => [user.userName, [user.count, user.lastAt, user.lastSourceIp]]));
    if (entry.name.includes('recreated')) {
      expect(summary.users.map((user) => user.principalId)).toEqual(['AIDANEWALICE', 'AIDAOLDALICE']);
    } else {
      expect(byName).toEqual(entry.users);
    }
    expect(summary.root === undefined ? undefined : [summary.root.count, summary.root.lastAt]).toEqual(entry.root);
    expect(summary.events).toBe(entry.events);
    expect(summary.failures).toBe(entry.failures ?? 0);
    expect(summary.otherIdentities).toBe(entry.otherIdentities ?? 0);
    expect(summary.rejected.map((rejected) => rejected.reason)).toEqual(entry.rejected ?? []);
  });

  it('keys users by principal id and keeps their ARN', () => {
    const summary = summarizeConsoleLogins([record({ name: 'erin' })], WINDOW);
    expect(summary.users).toEqual([
      { userArn: ARN('erin'), userName: 'erin', principalId: ID('erin'), count: 1, lastAt: '2025-05-10T08:00:00.000Z', lastSourceIp: '198.51.100.7' },
    ]);
    expect(summary.oldestEventAt).toBe('2025-05-10T08:00:00.000Z');
  });
});

describe('consoleLoginEvidence', () => {
  const read = (records: readonly unknown[], gaps: readonly EvidenceGap[] = []): ConsoleLoginRead => ({
    origin: 'aws',
    location: 'cloudtrail:LookupEvents',
    days: 30,
    window: WINDOW,
    windowEnd: 'live',
    regions: ['us-east-1'],
    maxEvents: 100,
    records,
    gaps,
  });

  it.each([
    { name: 'every event read and decoded', records: [record({})], gaps: [], state: 'complete', causes: [] },
    { name: 'no events at all, read completely', records: [], gaps: [], state: 'complete', causes: [] },
    { name: 'the event bound was reached', records: [record({})], gaps: [{ cause: 'max-events', detail: 'stopped' }], state: 'partial', causes: ['max-events'] },
    { name: 'LookupEvents was denied', records: [], gaps: [{ cause: 'access-denied', detail: 'us-east-1' }], state: 'unknown', causes: ['access-denied'] },
    { name: 'the file is missing', records: [], gaps: [{ cause: 'file-missing', detail: 'x.json' }], state: 'unknown', causes: ['file-missing'] },
    { name: 'one record is undecodable', records: [record({}), { CloudTrailEvent: 'nope' }], gaps: [], state: 'unknown', causes: ['malformed-events'] },
    {
      name: 'bound reached and a region failed',
      records: [],
      gaps: [{ cause: 'max-events', detail: 'a' }, { cause: 'call-failed', detail: 'b' }],
      state: 'unknown',
      causes: ['max-events', 'call-failed'],
    },
  ] as const)('$name: $state', ({ records, gaps, state, causes }) => {
    const evidence = consoleLoginEvidence(read(records, gaps));
    expect(evidence.state).toBe(state);
    expect(evidence.gaps.map((gap) => gap.cause)).toEqual(causes);
  });

  it("another account's events make the evidence unknown, and are not read as this account's", () => {
    const foreign = {
      EventName: 'ConsoleLogin',
      CloudTrailEvent: JSON.stringify({
        eventName: 'ConsoleLogin',
        eventTime: '2025-05-10T08:00:00Z',
        recipientAccountId: '999999999999',
        userIdentity: { type: 'IAMUser', accountId: '999999999999', arn: 'arn:aws:iam::999999999999:user/alice', principalId: 'AIDAOTHER' },
        responseElements: { ConsoleLogin: 'Success' },
        additionalEventData: { MFAUsed: 'No' },
      }),
    };
    const evidence = consoleLoginEvidence({ ...read([foreign, record({ name: 'bob' })]), accountId: '123456789012' });
    expect(evidence.state).toBe('unknown');
    expect(evidence.gaps).toEqual([{ cause: 'other-account', detail: 'events of account 999999999999, not of the audited account 123456789012' }]);
    expect(evidence.users.map((user) => user.userName)).toEqual(['bob']);
    expect(evidence.events).toBe(1);
  });

  it('keeps the sign-ins found when the evidence is incomplete: they happened', () => {
    const evidence = consoleLoginEvidence(read([record({}), 7]));
    expect(evidence.state).toBe('unknown');
    expect(evidence.users.map((user) => user.userName)).toEqual(['alice']);
    expect(evidence.gaps[0]?.detail).toMatch(/1 record\(s\) could not be decoded \(first: record 1, not an object\)/);
  });
});
