// Undo against a fake IAM endpoint when things go wrong: a lost response, a member removed by hand, a damaged log.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCommand, useFakeAwsEnvironment } from './cli-harness.js';
import { buildGuard } from '../../src/policy/guard.js';
import { startFakeIamServer, type FakeAccount, type FakeIamServer } from './fake-iam-server.js';

// One attempt and a short request timeout (long enough for a loaded machine): the real client retries a timeout several times with backoff, which ends
// the same way here (IAM applied the change, the client saw only errors) but slowly.
vi.mock('../../src/rollout/aws/clients.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rollout/aws/clients.js')>();
  return {
    ...original,
    createIamClient: async () => {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      return new IAMClient({ region: 'us-east-1', maxAttempts: 1, requestHandler: { requestTimeout: 5000, throwOnRequestTimeout: true } });
    },
  };
});

const ACCOUNT: FakeAccount = {
  callerUserName: 'breakglass',
  users: [
    { userName: 'breakglass', password: true, activeKeys: 1, attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
    { userName: 'alice', password: true },
    { userName: 'bob', password: true },
    { userName: 'carol', password: true },
    { userName: 'dave', password: true },
  ],
  groups: [{ groupName: 'ForceMfaAccess', members: ['dave'], inlinePolicies: { ForceMfa: buildGuard({ profile: 'recommended' }).document } }],
};

const ENROLL = ['enroll', '--all', '--exclude', 'breakglass', '--apply'];
const addCalls = (server: FakeIamServer): number => server.calls.filter((call) => call === 'AddUserToGroup').length;

describe('unenroll restores the group as it was', () => {
  let server: FakeIamServer;
  let restore: () => void;
  let folder: string;
  let log: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'force-mfa-undo-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  beforeEach(async () => {
    server = await startFakeIamServer(ACCOUNT);
    restore = useFakeAwsEnvironment(server.endpoint);
    log = join(folder, `${Math.random().toString(36).slice(2)}.jsonl`);
  });
  afterEach(async () => {
    restore();
    await server.close();
  });

  it('counts an AddUserToGroup that timed out although IAM applied it as done once GetGroup shows it, and undoes it', async () => {
    server.applyThenHang('AddUserToGroup', 'bob');
    const first = await runCommand([...ENROLL, '--log', log]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('Added 3 user(s)');
    expect(server.members('ForceMfaAccess')).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(readFileSync(log, 'utf8')).toMatch(/"userName":"bob","action":"add".*"phase":"done","confirmedBy":"GetGroup"/);

    // A second run changes nothing.
    const calls = addCalls(server);
    expect((await runCommand([...ENROLL, '--log', log])).stdout).toContain('Nothing added');
    expect(addCalls(server)).toBe(calls);

    const undo = await runCommand(['unenroll', '--log', log, '--apply']);
    expect(undo.exitCode).toBe(0);
    expect(undo.stdout).toContain('Removed 3 user(s)');
    expect(server.members('ForceMfaAccess')).toEqual(['dave']);
  });

  it('never removes a member from before the first run, even after a later run logged an intent to add them', async () => {
    expect((await runCommand(['enroll', '--users', 'alice', '--apply', '--log', log])).exitCode).toBe(0);
    // Someone takes dave out by hand; the next run adds him back, with an intent line for him.
    server.setMembers('ForceMfaAccess', ['alice']);
    expect((await runCommand(['enroll', '--users', 'dave,bob', '--apply', '--log', log])).exitCode).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/"userName":"dave","action":"add".*"phase":"intent"/);
    expect(server.members('ForceMfaAccess')).toEqual(['alice', 'bob', 'dave']);

    const undo = await runCommand(['unenroll', '--log', log, '--apply']);
    expect(undo.exitCode).toBe(0);
    expect(server.members('ForceMfaAccess')).toEqual(['dave']);
  });

  it('skips a last line cut short with a warning, and a later run appends after it without damaging the log', async () => {
    expect((await runCommand(['enroll', '--users', 'alice', '--apply', '--log', log])).exitCode).toBe(0);
    const lines = readFileSync(log, 'utf8').split('\n').length - 1;
    appendFileSync(log, '{"version":2,"time":"2026-05-04T03:0');

    const plan = await runCommand(['unenroll', '--log', log]);
    expect(plan.exitCode).toBe(0);
    expect(plan.stderr).toContain(`force-mfa: warning: ${log} line ${lines + 1} was cut short`);

    const resumed = await runCommand(['enroll', '--users', 'bob', '--apply', '--log', log]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toContain(`line ${lines + 1} was cut short`);
    const undo = await runCommand(['unenroll', '--log', log, '--apply']);
    expect(undo.exitCode).toBe(0);
    expect(server.members('ForceMfaAccess')).toEqual(['dave']);
  });

  it('refuses a corrupt line in the middle (exit 2, one line naming it), before enroll changes anything', async () => {
    expect((await runCommand(['enroll', '--users', 'alice', '--apply', '--log', log])).exitCode).toBe(0);
    const [first, ...rest] = readFileSync(log, 'utf8').split('\n');
    writeFileSync(log, [first, '{"version":2,"time":', ...rest].join('\n'));

    const undo = await runCommand(['unenroll', '--log', log, '--apply']);
    expect(undo.exitCode).toBe(2);
    expect(undo.stderr).toBe(`force-mfa: ${log} line 2 is not JSON: fix or remove that line\n`);

    const calls = addCalls(server);
    const enroll = await runCommand(['enroll', '--users', 'bob', '--apply', '--log', log]);
    expect(enroll.exitCode).toBe(2);
    expect(enroll.stderr).toContain(`${log} line 2 is not JSON`);
    expect(addCalls(server)).toBe(calls);
    expect(server.members('ForceMfaAccess')).toEqual(['alice', 'dave']);
  });
});
