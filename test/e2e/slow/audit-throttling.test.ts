/**
 * SLOW, not in the default run (`npm run test:e2e:slow`): a 1,100-user audit through the fault proxy at 0%, 5%, 25%,
 * 30% and 50% throttling. Prints and writes (bench/results/audit-throttling.json) time, calls and `unknown` count.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../support/aws.js';
import { jsonOf, runCli } from '../support/cli.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { compareStatuses, seedPopulation } from '../support/population.js';

const USERS = Number(process.env['E2E_SLOW_USERS'] ?? 1100);
const RATES = (process.env['E2E_SLOW_RATES'] ?? '0,0.05,0.25,0.3,0.5').split(',').map(Number);
const figures: Record<string, unknown>[] = [];
let expected: Map<string, string>;

describe(`audit of ${USERS} users under throttling`, () => {
  beforeAll(async () => {
    const started = performance.now();
    expected = await seedPopulation(awsClients().iam, USERS);
    console.log(`seeded ${USERS} users in ${Math.round(performance.now() - started)} ms`);
  }, 1_800_000);

  afterAll(() => {
    const dir = new URL('../../../bench/results/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    writeFileSync(new URL('audit-throttling.json', dir), `${JSON.stringify({ users: USERS, node: process.version, figures }, null, 2)}\n`);
    console.table(figures);
  });

  for (const rate of RATES) {
    it(`at ${rate * 100}% throttling: finishes, no wrong status`, async () => {
      const proxy = await startFaultProxy({ upstream: (await import('vitest')).inject('e2eEndpoint'), rate, faults: ['throttle'], seed: 7 });
      try {
        const result = await runCli(['audit', '--format', 'json'], { endpoint: proxy.endpoint, timeoutMs: 600_000 });
        const line = { rate, exit: result.code, seconds: result.durationMs / 1000, calls: proxy.stats.requests, throttled: proxy.stats.injected.throttle, ...countsOf(result) };
        figures.push(line);
        console.log(JSON.stringify(line));
        expect(result.timedOut).toBe(false);
        if (result.code === 3) {
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          return;
        }
        expect(result.code).toBe(0);
        const comparison = compareStatuses(expected, jsonOf<{ users: { userName: string; status: string }[] }>(result).users);
        expect(comparison.wrong).toEqual([]);
        expect(comparison.missing).toEqual([]);
      } finally {
        await proxy.stop();
      }
    }, 900_000);
  }
});

function countsOf(result: { code: number | null; stdout: string; stderr: string }): Record<string, unknown> {
  if (result.code !== 0) return { unknown: null, error: result.stderr.trim().slice(0, 200) };
  const report = JSON.parse(result.stdout) as { users: { status: string }[] };
  return { unknown: report.users.filter((user) => user.status === 'unknown').length, users: report.users.length };
}
