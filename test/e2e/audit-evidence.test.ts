/**
 * `audit --evidence-days` live, through the built CLI: IAM from moto, LookupEvents (which moto lacks) forged by the
 * loopback proxy in CloudTrail's JSON 1.1 shape, so the real SDK, endpoint and pagination are exercised.
 */
import { GetUserCommand } from '@aws-sdk/client-iam';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { TEST_ACCOUNT, jsonOf, runCli } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

interface AuditJson {
  users: { userName: string; status: string; signInsWithoutMfa: { state: string; count: number | null; lastAt: string | null } }[];
  findings: { code: string; users: string[] }[];
  evidence: { state: string; regions?: string[]; events?: number; gaps?: { cause: string; detail: string }[] };
}

const ids = new Map<string, string>();
const HOUR = 3_600_000;

function lookupEvent(user: string, hoursAgo: number, mfa: 'Yes' | 'No'): unknown {
  const at = new Date(Date.now() - hoursAgo * HOUR);
  const eventId = `${user}-${hoursAgo}`;
  return {
    EventId: eventId,
    EventName: 'ConsoleLogin',
    // The JSON 1.1 protocol sends timestamps as epoch seconds.
    EventTime: at.getTime() / 1000,
    EventSource: 'signin.amazonaws.com',
    Username: user,
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', principalId: ids.get(user), arn: `arn:aws:iam::${TEST_ACCOUNT}:user/${user}`, accountId: TEST_ACCOUNT, userName: user },
      eventTime: at.toISOString().replace(/\.\d+Z$/, 'Z'),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.44',
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: mfa },
      eventID: eventId,
      recipientAccountId: TEST_ACCOUNT,
    }),
  };
}

function answer(response: ServerResponse, status: number, body: unknown): true {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
  return true;
}

let proxy: FaultProxy;
let mode: 'pages' | 'denied' = 'pages';
const lookups: Record<string, unknown>[] = [];

beforeAll(async () => {
  const { iam } = awsClients();
  await seedGuardGroup(iam);
  for (const [name, status] of [
    ['ana', 'protected'],
    ['ben', 'unprotected'],
    ['cy', 'unprotected'],
  ] as const) {
    await seedUser(iam, seedForStatus(status, name));
    ids.set(name, (await iam.send(new GetUserCommand({ UserName: name }))).User?.UserId ?? '');
  }
  proxy = await startFaultProxy({
    upstream: inject('e2eEndpoint'),
    rate: 0,
    forge: (action, body, response) => {
      if (action !== 'LookupEvents') return false;
      const input = JSON.parse(body) as Record<string, unknown>;
      lookups.push(input);
      if (mode === 'denied') return answer(response, 400, { __type: 'AccessDeniedException', message: 'User is not authorized to perform: cloudtrail:LookupEvents' });
      if (input['NextToken'] === undefined) return answer(response, 200, { Events: [lookupEvent('ben', 2, 'No'), lookupEvent('ana', 5, 'No')], NextToken: 'page-2' });
      return answer(response, 200, { Events: [lookupEvent('cy', 30, 'Yes'), lookupEvent('ben', 50, 'No')] });
    },
  });
});
afterAll(async () => proxy.stop());

describe('audit --evidence-days, live', () => {
  it('reads every page of ConsoleLogin events and names the users who signed in without MFA', async () => {
    lookups.length = 0;
    const result = await runCli(['audit', '--json', '--evidence-days', '7', '--evidence-regions', 'us-east-1'], { endpoint: proxy.endpoint });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = jsonOf<AuditJson>(result);
    expect(lookups.map((input) => input['NextToken'])).toEqual([undefined, 'page-2']);
    expect(lookups[0]).toMatchObject({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }], MaxResults: 50 });
    expect(report.evidence).toMatchObject({ state: 'complete', regions: ['us-east-1'], events: 4 });
    expect(report.findings.find((finding) => finding.code === 'console-sign-in-without-mfa')?.users).toEqual(['ana', 'ben']);
    const of = (name: string) => report.users.find((user) => user.userName === name);
    expect(of('ben')?.signInsWithoutMfa).toMatchObject({ state: 'found', count: 2 });
    expect(of('cy')?.signInsWithoutMfa.state).toBe('none');
    // ana holds a device and is enforced, but CloudTrail saw her sign in without MFA: not protected.
    expect(of('ana')?.status).toBe('unknown');
  });

  it('access denied is unknown evidence with the reason, never "no sign-ins"', async () => {
    mode = 'denied';
    const result = await runCli(['audit', '--json', '--evidence-days', '7', '--evidence-regions', 'us-east-1'], { endpoint: proxy.endpoint });
    mode = 'pages';
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = jsonOf<AuditJson>(result);
    expect(report.evidence).toMatchObject({ state: 'unknown', gaps: [{ cause: 'access-denied', detail: 'cloudtrail:LookupEvents in us-east-1' }] });
    expect(report.users.every((user) => user.signInsWithoutMfa.state === 'unknown')).toBe(true);
    expect(report.findings.some((finding) => finding.code === 'sign-in-evidence-unknown')).toBe(true);
  });

  it('reads the default regions when none are listed', async () => {
    lookups.length = 0;
    const result = await runCli(['audit', '--json', '--evidence-days', '7'], { endpoint: proxy.endpoint });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonOf<AuditJson>(result).evidence.regions).toEqual(['us-east-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2']);
    // Every region answers the same forged pages: the same events read again count once.
    expect(lookups).toHaveLength(8);
    expect(jsonOf<AuditJson>(result).users.find((user) => user.userName === 'ben')?.signInsWithoutMfa.count).toBe(2);
  });

  it('without --evidence-days makes no CloudTrail call and says the evidence was not read', async () => {
    lookups.length = 0;
    const result = await runCli(['audit', '--json'], { endpoint: proxy.endpoint });
    expect(result.code, result.stderr).toBe(0);
    expect(lookups).toEqual([]);
    expect(jsonOf<AuditJson>(result).evidence.state).toBe('not-read');
  });
});
