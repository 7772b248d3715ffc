// Decisions on dates must not depend on the time zone of the machine that runs force-mfa.
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.js';

const saved = process.env['TZ'];
afterEach(() => {
  if (saved === undefined) delete process.env['TZ'];
  else process.env['TZ'] = saved;
});

function decisionAt(timeZone: string, policyValue: string, requestValue: string): string {
  process.env['TZ'] = timeZone;
  return evaluate(
    { principalArn: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: '*', context: { 'aws:CurrentTime': requestValue } },
    [
      {
        name: 'policy',
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': policyValue } } }],
        },
      },
    ],
  ).decision;
}

describe('date conditions', () => {
  // Read as Tokyo local time, 09:30 would be 00:30Z (before the request's 05:00Z) and flip both decisions.
  it.each(['UTC', 'Asia/Tokyo', 'America/Los_Angeles'])('read a date-time without a zone as UTC in %s', (timeZone) => {
    expect(decisionAt(timeZone, '2024-01-01T09:30:00', '2024-01-01T05:00:00Z')).toBe('Allowed');
    expect(decisionAt(timeZone, '2024-01-01T04:30:00', '2024-01-01T05:00:00Z')).toBe('ImplicitlyDenied');
  });
});
