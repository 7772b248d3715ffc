/**
 * Issue 11 and issue 10 item 5 against moto: undo bound to its account, administrators who cannot act, a target
 * group that enforces nothing, and unenroll converging under injected faults.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreatePolicyCommand, GetAccountAuthorizationDetailsCommand, GetUserCommand, PutUserPermissionsBoundaryCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, inject, it } from 'vitest';
import { readAuthorizationDetails, type AuthorizationDetailsPage } from '../../src/account/authorization-details.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { policiesFromDetails } from '../../src/rollout/policy-reads.js';
import { administratorVerdict } from '../../src/rollout/safety.js';
import { awsClients, type AwsClients } from './support/aws.js';
import { jsonOf, runCli, scratchPath, TEST_ACCOUNT } from './support/cli.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { groupMembers } from './support/iam-read.js';
import { resetMoto } from './support/moto.js';
import { ALLOW_ALL, GUARD_GROUP, seedGroup, seedGuardGroup, seedUser } from './support/seed.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const ACCOUNT_B = '222233334444';
const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? '';

/** Credentials in account B: moto hands out an assumed role's keys in the account its ARN names. */
async function accountB(): Promise<{ clients: AwsClients; env: Record<string, string> }> {
  const answer = await awsClients().sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT_B}:role/Operator`, RoleSessionName: 'e2e' }));
  const issued = answer.Credentials;
  if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined || issued.SessionToken === undefined) throw new Error('AssumeRole gave no credentials');
  const credentials = { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken };
  return {
    clients: awsClients({ credentials }),
    env: { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken },
  };
}

describe('undo bound to its account and group', () => {
  it('A then B: unenroll in B restores B exactly, and A\'s log in B is exit 2 and changes nothing', async () => {
    const { iam } = awsClients();
    const b = await accountB();
    const cwd = mkdtempSync(join(scratchPath('two-accounts'), '..', 'two-accounts-'));
    // Account A: alice and bob are enrolled by a run in A.
    await seedGuardGroup(iam);
    await seedUser(iam, { name: 'root-admin', password: true, mfa: true, managedPolicies: [ADMIN] });
    for (const name of ['alice', 'bob']) await seedUser(iam, { name, password: true });
    // Account B: alice and bob are already members; carol is not.
    await seedGuardGroup(b.clients.iam);
    await seedUser(b.clients.iam, { name: 'admin-b', password: true, mfa: true, managedPolicies: [ADMIN] });
    for (const name of ['alice', 'bob']) await seedUser(b.clients.iam, { name, password: true, groups: [GUARD_GROUP] });
    await seedUser(b.clients.iam, { name: 'carol', password: true });
    const before = await groupMembers(b.clients.iam, GUARD_GROUP);
    expect(before).toEqual(['alice', 'bob']);

    const inA = await runCli(['enroll', '--users', 'alice,bob', '--apply'], { cwd });
    expect(inA.code, inA.stderr).toBe(0);
    const inB = await runCli(['enroll', '--all', '--exclude', 'admin-b', '--apply'], { cwd, env: b.env });
    expect(inB.code, inB.stderr).toBe(0);
    expect(await groupMembers(b.clients.iam, GUARD_GROUP)).toEqual(['alice', 'bob', 'carol']);
    // One log per account: the default names differ.
    expect(readdirSync(cwd).sort()).toEqual([`force-mfa-enroll-${TEST_ACCOUNT}-${GUARD_GROUP}.jsonl`, `force-mfa-enroll-${ACCOUNT_B}-${GUARD_GROUP}.jsonl`]);

    const wrong = await runCli(['unenroll', '--log', `force-mfa-enroll-${TEST_ACCOUNT}-${GUARD_GROUP}.jsonl`, '--apply'], { cwd, env: b.env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(new RegExp(`account ${TEST_ACCOUNT}.*account ${ACCOUNT_B}`));
    expect(await groupMembers(b.clients.iam, GUARD_GROUP)).toEqual(['alice', 'bob', 'carol']);

    // Nor does enroll append a run in B to A's log: that log could then never be undone.
    const append = await runCli(['enroll', '--all', '--exclude', 'admin-b', '--apply', '--log', `force-mfa-enroll-${TEST_ACCOUNT}-${GUARD_GROUP}.jsonl`], { cwd, env: b.env });
    expect(append.code).toBe(2);
    expect(lastLine(append.stderr)).toMatch(new RegExp(`^force-mfa: .*account ${TEST_ACCOUNT}.*account ${ACCOUNT_B}`));

    const undo = await runCli(['unenroll', '--log', `force-mfa-enroll-${ACCOUNT_B}-${GUARD_GROUP}.jsonl`, '--apply'], { cwd, env: b.env });
    expect(undo.code, undo.stderr).toBe(0);
    expect(await groupMembers(b.clients.iam, GUARD_GROUP)).toEqual(before);
    // A's group is untouched by anything that ran in B.
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(['alice', 'bob']);
  });
});

const NOWHERE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } } }] };
const ONLY_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };

async function boundaryStored(iam: IAMClient, userName: string): Promise<boolean> {
  const { User: user } = await iam.send(new GetUserCommand({ UserName: userName }));
  return user?.PermissionsBoundary?.PermissionsBoundaryArn !== undefined;
}

describe('administrators who cannot act fail the check (no-administrator-left)', () => {
  const cases: [string, (iam: IAMClient) => Promise<void>][] = [
    [
      'an administrator in another guard group with no MFA device',
      async (iam) => {
        await seedGuardGroup(iam, 'OtherGuard');
        await seedUser(iam, { name: 'ops', accessKeys: 1, managedPolicies: [ADMIN], groups: ['OtherGuard'] });
      },
    ],
    ['an administrator whose only Allow * is under NotIpAddress 0.0.0.0/0, ::/0', async (iam) => void (await seedUser(iam, { name: 'ops', password: true, mfa: true, inlinePolicies: { Nowhere: NOWHERE } }))],
  ];

  it.each(cases)('%s', async (_, seedOps) => {
    await resetMoto(inject('e2eEndpoint'));
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    // The last key-only administrators are being enrolled; ops, kept out, is the one the check must not accept.
    await seedUser(iam, { name: 'admin', accessKeys: 1, managedPolicies: [ADMIN] });
    await seedUser(iam, { name: 'dev', password: true });
    await seedOps(iam);
    const plan = await runCli(['enroll', '--all', '--exclude', 'ops', '--json']);
    expect(plan.code, plan.stderr).toBe(1);
    expect(jsonOf<{ refusals: { code: string }[] }>(plan).refusals.map((refusal) => refusal.code)).toEqual(['no-administrator-left']);
    const apply = await runCli(['enroll', '--all', '--exclude', 'ops', '--apply', '--log', scratchPath('admins.jsonl')]);
    expect(apply.code).toBe(2);
    expect(lastLine(apply.stderr)).toMatch(/^force-mfa: refusing to apply: after this change no IAM user could still sign in with MFA.*only IAM users were examined/);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual([]);
  });

  it('AdministratorAccess under a permissions boundary that allows only S3: live when the endpoint stores it, else from an export', async () => {
    await resetMoto(inject('e2eEndpoint'));
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, { name: 'admin', accessKeys: 1, managedPolicies: [ADMIN] });
    await seedUser(iam, { name: 'ops', password: true, mfa: true, managedPolicies: [ADMIN] });
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'OnlyS3', PolicyDocument: JSON.stringify(ONLY_S3) }));
    const boundaryArn = policy.Policy?.Arn ?? '';
    const stored = await iam
      .send(new PutUserPermissionsBoundaryCommand({ UserName: 'ops', PermissionsBoundary: boundaryArn }))
      .then(() => boundaryStored(iam, 'ops'))
      .catch(() => false);
    if (stored) {
      const apply = await runCli(['enroll', '--all', '--exclude', 'ops', '--apply', '--log', scratchPath('boundary.jsonl')]);
      expect(apply.code).toBe(2);
      expect(lastLine(apply.stderr)).toMatch(/no IAM user could still sign in with MFA/);
      return;
    }
    // moto 5.2.1 answers PutUserPermissionsBoundary with a server error: the export (as AWS writes it, boundary set)
    // is the endpoint's own authorization details with the boundary that AWS would list on the user.
    const pages = [await iam.send(new GetAccountAuthorizationDetailsCommand({}))].map((page) => ({
      ...page,
      UserDetailList: page.UserDetailList?.map((user) => (user.UserName === 'ops' ? { ...user, PermissionsBoundary: { PermissionsBoundaryType: 'Policy' as const, PermissionsBoundaryArn: boundaryArn } } : user)),
    }));
    const details = readAuthorizationDetails(JSON.parse(JSON.stringify(pages)) as AuthorizationDetailsPage[]);
    const credentials = { mfaDevices: 1, codeMfaDevices: 1, consolePassword: true, activeAccessKeys: 0 };
    const verdict = (withBoundary: boolean): string => {
      const found = policiesFromDetails(withBoundary ? details : { ...details, users: details.users.map((user) => ({ ...user, permissionsBoundaryArn: undefined })) }, 'ops');
      if (found === undefined) throw new Error('ops is not in the export');
      return administratorVerdict(found.user, found.effective, credentials, GUARD_GROUP, evaluate, new Date());
    };
    expect(details.managedPolicies.map((entry) => entry.arn)).toContain(boundaryArn);
    expect(verdict(true)).toBe('not-administrator');
    expect(verdict(false)).toBe('can-act');
  });

  it('accepts ops once nothing stands in the way (the check can pass)', async () => {
    await resetMoto(inject('e2eEndpoint'));
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, { name: 'admin', accessKeys: 1, managedPolicies: [ADMIN] });
    await seedUser(iam, { name: 'ops', password: true, mfa: true, managedPolicies: [ADMIN] });
    const plan = await runCli(['enroll', '--all', '--exclude', 'ops', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(jsonOf<{ actingAdministrator: string }>(plan).actingAdministrator).toBe('ops');
  });
});

describe('a target group that enforces nothing', () => {
  it.each([
    ['no policy at all', {}],
    ['only Allow statements', { AllowAll: ALLOW_ALL }],
  ])('enroll --group G --all exits 2 naming G: %s', async (_, policies) => {
    await resetMoto(inject('e2eEndpoint'));
    const { iam } = awsClients();
    await seedGroup(iam, 'G', policies);
    await seedUser(iam, { name: 'breakglass', password: true, mfa: true, managedPolicies: [ADMIN] });
    await seedUser(iam, { name: 'dev', password: true });
    const result = await runCli(['enroll', '--group', 'G', '--all']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('force-mfa:'))).toHaveLength(1);
    expect(lastLine(result.stderr)).toMatch(/^force-mfa: refusing to apply: group G would not enforce MFA on breakglass \(and 1 more user\(s\)\): .*without MFA can still call .*\(override: --allow-unenforcing-group\)$/);
    const forced = await runCli(['enroll', '--group', 'G', '--all', '--allow-unenforcing-group', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(jsonOf<{ changes: { userName: string; nextSignIn?: string }[] }>(forced).changes).toContainEqual(expect.objectContaining({ userName: 'dev', nextSignIn: 'not-enforced' }));
    expect(await groupMembers(iam, 'G')).toEqual([]);
  });
});

describe('unenroll under 15% injected faults', () => {
  it('converges in at most 3 runs to exactly the members before enrollment', async () => {
    await resetMoto(inject('e2eEndpoint'));
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, { name: 'breakglass', password: true, mfa: true, managedPolicies: [ADMIN] });
    const names = Array.from({ length: 40 }, (_, index) => `user${String(index).padStart(2, '0')}`);
    for (const [index, name] of names.entries()) await seedUser(iam, { name, password: true, ...(index < 3 ? { groups: [GUARD_GROUP] } : {}) });
    const before = await groupMembers(iam, GUARD_GROUP);
    const log = scratchPath('faults.jsonl');
    const enroll = await runCli(['enroll', '--all', '--exclude', 'breakglass', '--apply', '--log', log]);
    expect(enroll.code, enroll.stderr).toBe(0);
    expect(await groupMembers(iam, GUARD_GROUP)).toHaveLength(40);

    const proxy = await startFaultProxy({ upstream: inject('e2eEndpoint'), rate: 0.15, seed: 11, slowMs: 3_000 });
    try {
      const codes: (number | null)[] = [];
      for (let run = 0; run < 3; run += 1) {
        const undo = await runCli(['unenroll', '--log', log, '--apply'], { endpoint: proxy.endpoint, env: { FORCE_MFA_HTTP_TIMEOUT: '2' } });
        codes.push(undo.code);
        // Every run ends with exit 0, or with one line and exit 3.
        if (undo.code !== 0) expect(undo.stderr.trim().split('\n').filter((line) => line.startsWith('force-mfa:'))).toHaveLength(1);
        if (undo.code === 0) break;
      }
      expect(codes.at(-1), `exit codes of the runs: ${codes.join(', ')}`).toBe(0);
      expect(proxy.stats.injected.reset + proxy.stats.injected.slow + proxy.stats.injected['error-500'] + proxy.stats.injected['error-503'] + proxy.stats.injected.throttle).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(before);
  });
});

