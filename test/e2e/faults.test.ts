/**
 * The fault matrix: audit, enroll/unenroll and session through the fault proxy (throttling, 500, 503, resets,
 * answers slower than the client's timeout) at 5%, 25% and 50%. Each run completes or fails with one line and
 * exit 3; no wrong status; no hang past the run's timeout; the enroll log matches the group; the credentials file is
 * intact. Figures go to the console and to bench/results/e2e-faults.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { makeHome, runCli, scratchPath, type CliResult } from './support/cli.js';
import { ALL_FAULTS, startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { groupMembers } from './support/iam-read.js';
import { compareStatuses } from './support/population.js';
import { GUARD_GROUP, seedForStatus, seedGuardGroup, seedUser, type SeededUser } from './support/seed.js';

const RATES = [0.05, 0.25, 0.5] as const;
/** The client gives up on an answer after 2 s; slow answers take 3 s. */
const FAST_TIMEOUT = { FORCE_MFA_HTTP_TIMEOUT: '2' } as const;
const RUN_TIMEOUT_MS = 150_000;
const STATUSES = {
  'f-protected': 'protected',
  'f-pending': 'pending-enrollment',
  'f-unprotected': 'unprotected',
  'f-keys': 'unprotected-programmatic',
  'f-nothing': 'no-credentials',
  'f-exempt': 'exempt',
  'f-enrolled': 'enrolled-not-enforced',
} as const;
const MEMBERS_BEFORE = ['f-pending', 'f-protected'];

const { iam } = awsClients();
const figures: Record<string, unknown>[] = [];
let sessionUser: SeededUser;

/** Completed, or failed with one line and exit 3 (2 for a refusal the faults caused to be unknowable); never killed. */
function expectCompletedOrOneLine(result: CliResult, allowed: readonly number[] = [0]): void {
  expect(result.timedOut, 'ran past its timeout').toBe(false);
  if (allowed.includes(result.code ?? -1)) return;
  expect(result.code, result.stderr).toBe(3);
  const lines = result.stderr.trim().split('\n').filter((line) => line.startsWith('force-mfa:'));
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

function record(command: string, rate: number, result: CliResult, proxy: FaultProxy, extra: Record<string, unknown> = {}): void {
  const line = { command, rate, exit: result.code, ms: result.durationMs, requests: proxy.stats.requests, injected: { ...proxy.stats.injected }, ...extra };
  figures.push(line);
  console.log(JSON.stringify(line));
}

async function withProxy<T>(rate: number, seed: number, run: (proxy: FaultProxy) => Promise<T>): Promise<T> {
  const proxy = await startFaultProxy({ upstream: inject('e2eEndpoint'), rate, faults: ALL_FAULTS, seed, slowMs: 3_000 });
  try {
    return await run(proxy);
  } finally {
    await proxy.stop();
  }
}

describe('under injected faults', () => {
  beforeAll(async () => {
    await seedGuardGroup(iam);
    for (const [name, status] of Object.entries(STATUSES)) await seedUser(iam, seedForStatus(status, name));
    await seedUser(iam, { name: 'breakglass', password: true, mfa: true, managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    sessionUser = await seedUser(iam, { name: 'f-cli', accessKeys: 1, mfa: true });
  });
  afterAll(() => {
    const dir = new URL('../../bench/results/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    writeFileSync(new URL('e2e-faults.json', dir), `${JSON.stringify({ node: process.version, figures }, null, 2)}\n`);
  });

  for (const [index, rate] of RATES.entries()) {
    it(`audit at ${rate * 100}%: completes with no wrong status, or one line and exit 3`, async () => {
      await withProxy(rate, 100 + index, async (proxy) => {
        const result = await runCli(['audit', '--format', 'json'], { endpoint: proxy.endpoint, env: FAST_TIMEOUT, timeoutMs: RUN_TIMEOUT_MS });
        expectCompletedOrOneLine(result);
        let unknown: number | null = null;
        if (result.code === 0) {
          const users = (JSON.parse(result.stdout) as { users: { userName: string; status: string }[] }).users.filter((user) => user.userName.startsWith('f-') && user.userName !== 'f-cli');
          const comparison = compareStatuses(new Map(Object.entries(STATUSES)), users);
          expect(comparison.wrong).toEqual([]);
          expect(comparison.missing).toEqual([]);
          unknown = comparison.unknown;
        }
        record('audit', rate, result, proxy, { unknown });
      });
    });

    it(`enroll and unenroll at ${rate * 100}%: the log stays consistent with the group`, async () => {
      const log = scratchPath('enroll.jsonl');
      await withProxy(rate, 200 + index, async (proxy) => {
        const enroll = await runCli(['enroll', '--all', '--exclude', 'breakglass,f-cli', '--apply', '--log', log, '--json'], { endpoint: proxy.endpoint, env: FAST_TIMEOUT, timeoutMs: RUN_TIMEOUT_MS });
        expectCompletedOrOneLine(enroll);
        const members = await groupMembers(iam, GUARD_GROUP);
        const lines = readLog(log);
        // Every member is an earlier member or one the log says it meant to add: nobody was added unlogged.
        const intended = new Set(lines.filter((line) => line.action === 'add' && line.phase === 'intent').map((line) => line.userName));
        expect(members.filter((name) => !MEMBERS_BEFORE.includes(name) && !intended.has(name))).toEqual([]);
        // Every addition logged as done is a member.
        const done = lines.filter((line) => line.action === 'add' && line.phase === 'done').map((line) => line.userName);
        expect(done.filter((name) => !members.includes(name))).toEqual([]);
        record('enroll', rate, enroll, proxy, { added: done.length });

        const unenroll = await runCli(['unenroll', '--log', log, '--apply', '--json'], { endpoint: proxy.endpoint, env: FAST_TIMEOUT, timeoutMs: RUN_TIMEOUT_MS });
        // A log that does not exist (enroll failed before its first line) is an input error, not a fault.
        expectCompletedOrOneLine(unenroll, lines.length === 0 ? [0, 2] : [0]);
        const after = await groupMembers(iam, GUARD_GROUP);
        // Never removes an earlier member.
        expect(MEMBERS_BEFORE.filter((name) => !after.includes(name))).toEqual([]);
        record('unenroll', rate, unenroll, proxy);
      });
      // Without faults, the undo finishes the job: the group is as it was.
      if (readLog(log).length > 0) {
        const clean = await runCli(['unenroll', '--log', log, '--apply', '--json']);
        expect(clean.code, clean.stderr).toBe(0);
      }
      expect(await groupMembers(iam, GUARD_GROUP)).toEqual(MEMBERS_BEFORE);
    });

    it(`session at ${rate * 100}%: the credentials file is intact`, async () => {
      const [key] = sessionUser.accessKeys;
      const original = `# keep me\n[work]\naws_access_key_id = ${key?.accessKeyId ?? ''}\naws_secret_access_key = ${key?.secretAccessKey ?? ''}\n\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n`;
      const home = makeHome({ credentials: original, config: '[profile work]\nregion = us-east-1\n' });
      await withProxy(rate, 300 + index, async (proxy) => {
        const result = await runCli(['session', '--profile', 'work', '--code', '123456', '--serial', sessionUser.mfaSerial ?? ''], {
          home,
          endpoint: proxy.endpoint,
          env: { ...FAST_TIMEOUT, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
          timeoutMs: RUN_TIMEOUT_MS,
        });
        expectCompletedOrOneLine(result);
        const after = readFileSync(home.credentialsFile, 'utf8');
        if (result.code === 0) {
          expect(after.startsWith(original)).toBe(true);
          expect(after.slice(original.length)).toMatch(/^\s*\[work-mfa\]\n(aws_[a-z_]+ = \S+\n)+/);
        } else {
          expect(after).toBe(original);
        }
        record('session', rate, result, proxy);
      });
    });
  }
});

interface LogLine {
  userName: string;
  action?: string;
  phase?: string;
}

function readLog(path: string): LogLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as LogLine);
}
