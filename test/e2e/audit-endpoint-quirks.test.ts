/** `audit` when the endpoint misbehaves in ways faults do not cover: a stale credential report, a repeating Marker, no answer. */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli } from './support/cli.js';
import { startFaultProxy, type FaultProxyOptions } from './support/fault-proxy.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

const EXPECTED = { 'q-protected': 'protected', 'q-pending': 'pending-enrollment', 'q-unprotected': 'unprotected', 'q-keys': 'unprotected-programmatic' } as const;

async function auditThrough(options: Omit<FaultProxyOptions, 'upstream' | 'rate'> & { rate?: number }, args: readonly string[] = []) {
  const proxy = await startFaultProxy({ upstream: inject('e2eEndpoint'), rate: 0, ...options });
  try {
    return { result: await runCli(['audit', '--format', 'json', ...args], { endpoint: proxy.endpoint, timeoutMs: 120_000 }), stats: proxy.stats };
  } finally {
    await proxy.stop();
  }
}

describe('audit against a misbehaving endpoint', () => {
  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    for (const [name, status] of Object.entries(EXPECTED)) await seedUser(iam, seedForStatus(status, name));
  });

  it('a stale credential report is a finding, and MFA is then read live: statuses stay right', async () => {
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const { result, stats } = await auditThrough({
      transform: (action, body) => (action === 'GetCredentialReport' ? body.replace(/<GeneratedTime>[^<]*<\/GeneratedTime>/, `<GeneratedTime>${twoDaysAgo}</GeneratedTime>`) : undefined),
    });
    expect(result.code, result.stderr).toBe(0);
    const report = jsonOf<{ findings: { code: string }[]; users: { userName: string; status: string }[] }>(result);
    expect(report.findings.map((finding) => finding.code)).toContain('credential-report-stale');
    expect(Object.fromEntries(report.users.map((user) => [user.userName, user.status]))).toEqual(EXPECTED);
    // Stale: the protected user's assigned virtual device settles her (one ListVirtualMFADevices page); every other
    // user's MFA is checked live. The second ListVirtualMFADevices lists the unassigned devices (abandoned ones).
    expect(stats.byAction['ListVirtualMFADevices']).toBe(2);
    expect(stats.byAction['ListMFADevices']).toBe(Object.keys(EXPECTED).length - 1);
  });

  it('a Marker that repeats is one line and exit 3, not an endless listing', async () => {
    const { result, stats } = await auditThrough({
      transform: (action, body) =>
        action === 'GetAccountAuthorizationDetails'
          ? body.replace(/<IsTruncated>false<\/IsTruncated>/, '<IsTruncated>true</IsTruncated><Marker>same-marker</Marker>').replace(/<Marker>[^<]*<\/Marker>(?=.*<Marker>)/s, '')
          : undefined,
    });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^force-mfa: iam:GetAccountAuthorizationDetails returned a page token it had returned before/)]);
    expect(stats.byAction['GetAccountAuthorizationDetails']).toBeLessThanOrEqual(3);
  });

  it('an endpoint that never answers in time ends with the time budget: one line, exit 3', async () => {
    const { result } = await auditThrough({ rate: 1, faults: ['slow'], slowMs: 60_000 }, ['--time-budget', '4']);
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^force-mfa: the command did not finish within its time budget of 4 s/);
  });
});
