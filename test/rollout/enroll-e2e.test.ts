// End to end against an AWS-compatible endpoint (AWS_ENDPOINT_URL): plan, apply, apply again, undo.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, useFakeAwsEnvironment } from './cli-harness.js';
import { buildGuard } from '../../src/policy/guard.js';
import { startFakeIamServer, type FakeAccount, type FakeIamServer } from './fake-iam-server.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** One user per situation enroll must tell apart; seven users so every listing spans four pages of two. */
const ACCOUNT: FakeAccount = {
  callerUserName: 'breakglass',
  alias: 'example-corp',
  users: [
    { userName: 'breakglass', password: true, activeKeys: 1, attachedPolicyArns: [ADMIN] },
    { userName: 'alice', password: true, mfaSerials: ['arn:aws:iam::123456789012:mfa/alice-phone'] },
    { userName: 'bob', password: true },
    { userName: 'carol', activeKeys: 1 },
    { userName: 'dave', password: true },
    { userName: 'erin', password: true, tags: { team: 'audit', 'force-mfa:exempt': 'true' } },
    { userName: 'frank', path: '/ci/', activeKeys: 2, mfaSerials: ['GAHT12345678'] },
  ],
  groups: [
    { groupName: 'ForceMfaAccess', members: ['dave'], inlinePolicies: { ForceMfa: buildGuard({ profile: 'recommended' }).document } },
    { groupName: 'Admins', members: [] },
  ],
};

interface ChangeJson {
  userName: string;
  action: string;
  nextSignIn?: string;
  accessKeys?: string;
}

describe('enroll and unenroll against a fake IAM endpoint', () => {
  let server: FakeIamServer;
  let restore: () => void;
  let folder: string;
  let log: string;

  beforeAll(async () => {
    server = await startFakeIamServer(ACCOUNT);
    restore = useFakeAwsEnvironment(server.endpoint);
    folder = mkdtempSync(join(tmpdir(), 'force-mfa-enroll-'));
    log = join(folder, 'enroll.jsonl');
  });

  afterAll(async () => {
    restore();
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('plans the right users and changes nothing', async () => {
    const result = await runCommand(['enroll', '--all', '--exclude', 'breakglass', '--json', '--log', log]);
    expect(result.stderr).not.toContain('force-mfa:');
    expect(result.exitCode).toBe(0);
    const plan = JSON.parse(result.stdout) as { mode: string; changes: ChangeJson[]; refusals: unknown[]; actingAdministrator: string };
    expect(plan.mode).toBe('plan');
    const denied = { deniedWithoutMfa: { 'console-no-mfa': 'denied', 'access-keys': 'denied' } };
    expect(plan.changes).toEqual([
      { userName: 'alice', action: 'add', nextSignIn: 'nothing', accessKeys: 'unaffected', ...denied },
      { userName: 'bob', action: 'add', nextSignIn: 'mfa-setup', accessKeys: 'unaffected', ...denied },
      { userName: 'breakglass', action: 'skip-excluded' },
      { userName: 'carol', action: 'add', nextSignIn: 'no-console', accessKeys: 'needs-mfa-device', ...denied },
      { userName: 'dave', action: 'already-member' },
      { userName: 'erin', action: 'skip-exempt' },
      { userName: 'frank', action: 'add', nextSignIn: 'no-console', accessKeys: 'needs-mfa-session', ...denied },
    ]);
    expect(plan.refusals).toEqual([]);
    expect(plan.actingAdministrator).toBe('breakglass');
    // Administrator rights were evaluated from the policy document, read URL-encoded from IAM.
    expect(server.calls).toContain('GetPolicyVersion');
    expect(server.members('ForceMfaAccess')).toEqual(['dave']);
    expect(server.calls).not.toContain('AddUserToGroup');
    // Seven users in pages of two: the listing was read to its last page.
    expect(server.calls.filter((call) => call === 'ListUsers')).toHaveLength(4);
  });

  it('refuses to add the caller, who signs with long-term keys, and changes nothing (exit 2)', async () => {
    const result = await runCommand(['enroll', '--users', 'breakglass,bob', '--apply', '--log', log]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/refusing to apply: the plan adds breakglass, the user running it/);
    expect(server.members('ForceMfaAccess')).toEqual(['dave']);
  });

  it('--apply adds those users and only them, logging each change', async () => {
    const result = await runCommand(['enroll', '--all', '--exclude', 'breakglass', '--apply', '--log', log]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Added 4 user(s) to ForceMfaAccess');
    expect(server.members('ForceMfaAccess')).toEqual(['alice', 'bob', 'carol', 'dave', 'frank']);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines[0]).toMatchObject({ version: 3, phase: 'members-before', members: ['dave'], accountId: '123456789012', groupArn: 'arn:aws:iam::123456789012:group/ForceMfaAccess' });
    expect(lines.slice(1).map((line) => `${line['userName']}:${line['action']}:${line['phase']}`)).toEqual([
      'breakglass:tag:intent', 'breakglass:tag:done',
      'alice:add:intent', 'alice:add:done', 'bob:add:intent', 'bob:add:done',
      'carol:add:intent', 'carol:add:done', 'frank:add:intent', 'frank:add:done',
    ]);
    expect(lines[3]).toMatchObject({ memberBefore: false, by: 'arn:aws:iam::123456789012:user/breakglass' });
  });

  it('a second --apply changes nothing', async () => {
    const before = server.calls.filter((call) => call === 'AddUserToGroup').length;
    const result = await runCommand(['enroll', '--all', '--exclude', 'breakglass', '--apply', '--json', '--log', log]);
    expect(result.exitCode).toBe(0);
    const outcome = JSON.parse(result.stdout) as { changes: ChangeJson[] };
    expect(outcome.changes.filter((change) => change.action === 'add')).toEqual([]);
    expect(server.calls.filter((call) => call === 'AddUserToGroup')).toHaveLength(before);
    expect(server.members('ForceMfaAccess')).toEqual(['alice', 'bob', 'carol', 'dave', 'frank']);
  });

  it('unenroll plans the logged users, then restores the group as it was', async () => {
    const plan = await runCommand(['unenroll', '--log', log, '--json']);
    expect((JSON.parse(plan.stdout) as { changes: ChangeJson[] }).changes).toEqual([
      { userName: 'alice', action: 'remove' },
      { userName: 'bob', action: 'remove' },
      { userName: 'carol', action: 'remove' },
      { userName: 'frank', action: 'remove' },
    ]);
    expect(server.members('ForceMfaAccess')).toEqual(['alice', 'bob', 'carol', 'dave', 'frank']);

    const result = await runCommand(['unenroll', '--log', log, '--apply']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Removed 4 user(s) from ForceMfaAccess');
    expect(result.stdout).toContain('Took back the exemption tag of breakglass');
    // dave was a member before enroll ran: he stays.
    expect(server.members('ForceMfaAccess')).toEqual(['dave']);

    const again = await runCommand(['unenroll', '--log', log, '--apply']);
    expect(again.stdout).toContain('Nothing removed');
    expect(server.members('ForceMfaAccess')).toEqual(['dave']);
  });

  it('onboard names the account alias in the sign-in URL', async () => {
    const result = await runCommand(['onboard', '--users', 'bob,carol', '--lang', 'en']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('https://example-corp.signin.aws.amazon.com/console');
    // bob has no access keys: no CLI section; carol has one: the CLI section is there.
    const [bob, carol] = result.stdout.split('-'.repeat(72));
    expect(bob).not.toContain('force-mfa session');
    expect(carol).toContain('force-mfa session --profile default');
  });
});
