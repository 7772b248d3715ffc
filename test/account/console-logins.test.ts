import { describe, expect, it } from 'vitest';
import { summarizeConsoleLogins } from '../../src/account/console-logins.js';

const ARN = (name: string): string => `arn:aws:iam::123456789012:user/${name}`;
const record = (name: string, eventTime: string, mfaUsed: string, outcome = 'Success', ip = '198.51.100.7', type = 'IAMUser'): unknown => ({
  EventName: 'ConsoleLogin',
  CloudTrailEvent: JSON.stringify({
    eventName: 'ConsoleLogin',
    eventTime,
    sourceIPAddress: ip,
    userIdentity: { type, arn: ARN(name), userName: name },
    responseElements: { ConsoleLogin: outcome },
    additionalEventData: { MFAUsed: mfaUsed },
  }),
});
const WINDOW = { from: new Date('2025-05-03T00:00:00Z'), to: new Date('2025-06-02T00:00:00Z') };

describe('summarizeConsoleLogins', () => {
  it('counts successful sign-ins without MFA per user and keeps the last time and source IP', () => {
    const evidence = summarizeConsoleLogins(
      [
        record('alice', '2025-05-10T08:00:00Z', 'No', 'Success', '192.0.2.1'),
        record('alice', '2025-05-20T09:30:00Z', 'No', 'Success', '192.0.2.2'),
        record('alice', '2025-05-15T09:30:00Z', 'No', 'Success', '192.0.2.3'),
        record('bob', '2025-05-11T10:00:00Z', 'No'),
        record('carol', '2025-05-12T10:00:00Z', 'Yes'),
        record('dan', '2025-05-12T10:00:00Z', 'No', 'Failure'),
        record('erin', '2025-04-01T10:00:00Z', 'No'),
        record('root', '2025-05-12T10:00:00Z', 'No', 'Success', '192.0.2.9', 'Root'),
      ],
      WINDOW,
    );
    expect(evidence.users.map((user) => user.userArn)).toEqual([ARN('alice'), ARN('bob')]);
    expect(evidence.users.find((user) => user.userArn === ARN('alice'))).toEqual({ userArn: ARN('alice'), userName: 'alice', principalId: undefined, count: 3, lastAt: '2025-05-20T09:30:00.000Z', lastSourceIp: '192.0.2.2' });
    expect(evidence.users.find((user) => user.userArn === ARN('bob'))?.count).toBe(1);
    expect(evidence.events).toBe(7);
    expect(evidence.rejected).toEqual([]);
  });

  it('reports records it cannot decode instead of dropping them', () => {
    const evidence = summarizeConsoleLogins(
      [{ CloudTrailEvent: '{not json' }, { EventName: 'ConsoleLogin' }, 7, record('alice', '2025-05-10T08:00:00Z', 'maybe')],
      WINDOW,
    );
    expect(evidence.users).toEqual([]);
    expect(evidence.rejected.map((entry) => entry.index)).toEqual([0, 1, 2, 3]);
  });
});
