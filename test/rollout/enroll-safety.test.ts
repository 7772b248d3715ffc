// Issue 11 and issue 10 item 5 over an in-memory IAM: administrators who cannot act, a group that enforces nothing,
// the caller's session kinds, exclusions tagged exempt and untagged by undo, lost responses on removal.
import { describe, expect, it } from 'vitest';
import { isForceMfaError } from '../../src/errors.js';
import { applyEnrollment, prepareEnrollment } from '../../src/rollout/enroll.js';
import type { EnrollLogLine } from '../../src/rollout/enroll-log.js';
import type { RolloutSts } from '../../src/rollout/iam.js';
import { applyUnenrollment, assertLogBinding, prepareUnenrollment } from '../../src/rollout/unenroll.js';
import { switchableGuard } from '../support/switchable-guard.js';
import { ADMIN, catalogue, GUARD, memoryAccount, NO_OVERRIDE, NOW, request, sts } from './memory-iam.js';

const ALLOW_ALL_FROM_NOWHERE = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } } }],
};
const deps = (iam: ReturnType<typeof memoryAccount>['iam'], caller: RolloutSts = sts('ci', true)) => ({ iam, sts: caller, catalogue, now: NOW });

describe('administrators who cannot act do not satisfy the check', () => {
  // Each case: the last administrators (key-only, no MFA device) are enrolled; the one kept out cannot act.
  const keyOnlyAdmin = { name: 'admin', keys: 1, policies: [ADMIN] };
  it.each([
    [
      'in another guard group with no MFA device',
      memoryAccount([keyOnlyAdmin, { name: 'ops', keys: 1, policies: [ADMIN] }], [], { otherGroups: { OtherGuard: { members: ['ops'], policies: { Guard: GUARD } } } }),
    ],
    ['whose only admin policy is Allow * under NotIpAddress 0.0.0.0/0, ::/0', memoryAccount([keyOnlyAdmin, { name: 'ops', password: true, mfa: 1, inline: { Nowhere: ALLOW_ALL_FROM_NOWHERE } }], [])],
    [
      'with AdministratorAccess under a permissions boundary that allows only S3',
      memoryAccount([keyOnlyAdmin, { name: 'ops', password: true, mfa: 1, policies: [ADMIN], boundary: 'arn:aws:iam::111122223333:policy/OnlyS3' }], []),
    ],
  ])('an administrator %s', async (_, account) => {
    const report = await prepareEnrollment({ ...request, excluded: ['ops'] }, deps(account.iam));
    expect(report.actingAdministrator).toBeUndefined();
    expect(report.refusals.map((refusal) => refusal.code)).toEqual(['no-administrator-left']);
    await expect(applyEnrollment(report, { iam: account.iam, log: { append: () => {} } }, NO_OVERRIDE)).rejects.toSatisfy(
      (error) => isForceMfaError(error) && error.exitCode === 2 && error.code === 'no-administrator-left',
    );
    expect(account.group.size).toBe(0);
  });

  it('accepts the same administrator once the trap is gone (the check can pass)', async () => {
    const account = memoryAccount([{ name: 'admin', keys: 1, policies: [ADMIN] }, { name: 'ops', password: true, mfa: 1, policies: [ADMIN] }], []);
    const report = await prepareEnrollment({ ...request, excluded: ['ops'] }, deps(account.iam));
    expect(report.actingAdministrator).toBe('ops');
    expect(report.refusals).toEqual([]);
  });

  it('does not count an administrator whose boundary cannot be read', async () => {
    const account = memoryAccount([{ name: 'admin', keys: 1, policies: [ADMIN] }, { name: 'ops', password: true, mfa: 1, policies: [ADMIN], boundary: 'arn:aws:iam::111122223333:policy/Gone' }], []);
    const report = await prepareEnrollment({ ...request, excluded: ['ops'] }, deps(account.iam));
    expect(report.refusals.map((refusal) => refusal.code)).toEqual(['no-administrator-left']);
  });
});

describe('a target group that would not enforce MFA', () => {
  const users = [{ name: 'admin', password: true, mfa: 1, policies: [ADMIN] }, { name: 'dev', password: true, keys: 1 }];
  it.each([
    ['no policy at all', {}],
    ['only Allow statements', { Allow: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListMFADevices', Resource: '*' }] } }],
  ])('with %s is refused, naming the group and what gets through; the texts say not enforced', async (_, groupPolicies) => {
    const account = memoryAccount(users, ['admin'], { groupPolicies });
    const report = await prepareEnrollment(request, deps(account.iam));
    const [refusal] = report.refusals;
    expect(refusal?.code).toBe('group-not-enforcing');
    expect(refusal?.message).toMatch(/^group ForceMfaAccess would not enforce MFA on dev: .*without MFA can still call .*s3:ListAllMyBuckets/);
    expect(report.changes.find((change) => change.userName === 'dev')).toMatchObject({ nextSignIn: 'not-enforced', accessKeys: 'not-enforced' });
    await expect(applyEnrollment(report, { iam: account.iam, log: { append: () => {} } }, NO_OVERRIDE)).rejects.toSatisfy(
      (error) => isForceMfaError(error) && error.exitCode === 2 && error.message.includes('group ForceMfaAccess would not enforce MFA'),
    );
    expect([...account.group]).toEqual(['admin']);
    await applyEnrollment(report, { iam: account.iam, log: { append: () => {} } }, { overrides: new Set(['allow-unenforcing-group' as const]) });
    expect([...account.group].sort()).toEqual(['admin', 'dev']);
  });

  it('whose MFA deny a caller-supplied key switches off is refused (the quantified evaluation, as the audit)', async () => {
    const switchable = switchableGuard({ StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } }).document;
    const account = memoryAccount(users, ['admin'], { groupPolicies: { Guard: switchable } });
    const report = await prepareEnrollment(request, deps(account.iam));
    expect(report.refusals.map((refusal) => refusal.code)).toEqual(['group-not-enforcing']);
    expect(report.changes.find((change) => change.userName === 'dev')).toMatchObject({ nextSignIn: 'not-enforced' });
    // The same group without the extra condition enforces MFA: the refusal comes from the switch, not the group.
    const guarded = memoryAccount(users, ['admin'], { groupPolicies: { Guard: GUARD } });
    expect((await prepareEnrollment(request, deps(guarded.iam))).refusals).toEqual([]);
  });

  it('is judged with the user\'s other policies: a user another guard already covers is enforced', async () => {
    const account = memoryAccount([...users.slice(0, 1), { name: 'dev', password: true }], ['admin'], {
      groupPolicies: {},
      otherGroups: { OtherGuard: { members: ['dev'], policies: { Guard: GUARD } } },
    });
    const report = await prepareEnrollment(request, deps(account.iam));
    expect(report.refusals).toEqual([]);
    expect(report.changes.find((change) => change.userName === 'dev')).toMatchObject({ nextSignIn: 'mfa-setup' });
  });
});

describe('the caller check knows session types', () => {
  const users = [{ name: 'admin', password: true, mfa: 1, policies: [ADMIN] }, { name: 'ops', password: true, mfa: 1, policies: [ADMIN] }];
  it('refuses a session token of a user with a device when nothing proves MFA (GetSessionToken without MFA looks the same)', async () => {
    const account = memoryAccount(users, []);
    const report = await prepareEnrollment({ ...request, excluded: ['admin'] }, deps(account.iam, sts('ops', true)));
    expect(report.refusals.map((refusal) => refusal.code)).toEqual(['caller-mfa-unproven']);
  });

  it('accepts it when the caller is under a guard the evaluator proves, so the reads that worked needed MFA', async () => {
    const account = memoryAccount(users, [], { otherGroups: { OtherGuard: { members: ['ops'], policies: { Guard: GUARD } } } });
    const report = await prepareEnrollment({ ...request, excluded: ['admin'] }, deps(account.iam, sts('ops', true)));
    expect(report.refusals).toEqual([]);
  });

  it('refuses long-term keys, and a federated-user session whenever the plan adds anyone', async () => {
    const account = memoryAccount(users, []);
    expect((await prepareEnrollment({ ...request, excluded: ['admin'] }, deps(account.iam, sts('ops', false)))).refusals.map((refusal) => refusal.code)).toEqual(['caller-without-mfa']);
    const federated: RolloutSts = { getCallerIdentity: async () => ({ account: '111122223333', arn: 'arn:aws:sts::111122223333:federated-user/ops', hasSessionToken: true }) };
    expect((await prepareEnrollment({ ...request, excluded: ['admin'] }, deps(account.iam, federated))).refusals.map((refusal) => refusal.code)).toEqual(['caller-mfa-unproven']);
    const role: RolloutSts = { getCallerIdentity: async () => ({ account: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/ops', hasSessionToken: true }) };
    expect((await prepareEnrollment({ ...request, excluded: ['admin'] }, deps(account.iam, role))).refusals).toEqual([]);
  });
});

describe('exclusions are tagged exempt, and undo takes the tags back', () => {
  it('tags the excluded user (case-insensitive name) with the reason and date, logs it, and unenroll restores the tags', async () => {
    const account = memoryAccount([{ name: 'admin', password: true, mfa: 1, policies: [ADMIN] }, { name: 'BreakGlass', password: true, policies: [ADMIN], tags: { team: 'ops' } }, { name: 'dev', password: true }], ['admin']);
    const log: EnrollLogLine[] = [];
    const writer = { append: (entry: EnrollLogLine) => void log.push(entry) };
    const report = await prepareEnrollment({ ...request, excluded: ['breakglass'] }, deps(account.iam, sts('admin', false)));
    expect(report.toTag.map((entry) => entry.userName)).toEqual(['BreakGlass']);
    await applyEnrollment(report, { iam: account.iam, log: writer, now: NOW }, { overrides: new Set(['force' as const]) });
    const tags = await account.iam.listUserTags('BreakGlass');
    expect(tags).toEqual({ team: 'ops', 'force-mfa:exempt': 'true', 'force-mfa:exempt-reason': 'excluded by force-mfa enroll on 2026-12-01 by arn:aws:iam::111122223333:user/admin' });
    expect(log[0]).toMatchObject({ phase: 'members-before', accountId: '111122223333', groupArn: 'arn:aws:iam::111122223333:group/ForceMfaAccess', members: ['admin'] });

    // A later run without --exclude skips the user: the tag says so.
    const again = await prepareEnrollment(request, deps(account.iam, sts('admin', false)));
    expect(again.changes.find((change) => change.userName === 'BreakGlass')?.action).toBe('skip-exempt');

    const caller = { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/admin', hasSessionToken: false };
    const undo = await prepareUnenrollment(log, 'ForceMfaAccess', account.iam, caller, 'log');
    const done = await applyUnenrollment(undo, caller.arn, { iam: account.iam, log: writer });
    expect(done.untagged).toEqual(['BreakGlass']);
    expect(await account.iam.listUserTags('BreakGlass')).toEqual({ team: 'ops' });
    expect([...account.group]).toEqual(['admin']);
  });
});

describe('lost responses on removal converge', () => {
  it('a removal applied whose retry says NoSuchEntity counts as done after GetGroup confirms it', async () => {
    const account = memoryAccount([{ name: 'admin', password: true, mfa: 1, policies: [ADMIN] }, { name: 'a', password: true }, { name: 'b', password: true }], ['admin']);
    const log: EnrollLogLine[] = [];
    const writer = { append: (entry: EnrollLogLine) => void log.push(entry) };
    await applyEnrollment(await prepareEnrollment(request, deps(account.iam, sts('admin', false))), { iam: account.iam, log: writer }, { overrides: new Set(['force' as const]) });
    const remove = account.iam.removeUserFromGroup;
    account.iam.removeUserFromGroup = async (group, name) => {
      await remove(group, name);
      throw Object.assign(new Error(`User ${name} is not in group`), { name: 'NoSuchEntityException' });
    };
    const caller = { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/admin', hasSessionToken: false };
    const done = await applyUnenrollment(await prepareUnenrollment(log, 'ForceMfaAccess', account.iam, caller, 'log'), caller.arn, { iam: account.iam, log: writer });
    expect(done.removed.map((change) => change.userName)).toEqual(['a', 'b']);
    expect([...account.group]).toEqual(['admin']);
    expect(log.filter((line) => line.phase === 'done' && 'action' in line && line.action === 'remove').map((line) => ('confirmedBy' in line ? line.confirmedBy : undefined))).toEqual(['GetGroup', 'GetGroup']);
  });
});

describe('a log is undone only in its account and on its group', () => {
  const header = (accountId: string, groupArn: string): EnrollLogLine => ({
    version: 3, time: 't', runId: 'r', groupName: 'ForceMfaAccess', phase: 'members-before', members: [], accountId, groupArn, by: `arn:aws:iam::${accountId}:user/ops`,
  });
  const ARN_A = 'arn:aws:iam::111122223333:group/ForceMfaAccess';
  const callerIn = (account: string) => ({ account, arn: `arn:aws:iam::${account}:user/ops`, hasSessionToken: false });
  it.each([
    ['another account', [header('111122223333', ARN_A)], callerIn('444455556666'), ARN_A, /records changes in account 111122223333, but the credentials are for account 444455556666/],
    ['another group of the same name', [header('111122223333', ARN_A)], callerIn('111122223333'), 'arn:aws:iam::111122223333:group/other/ForceMfaAccess', /is not about this group/],
    ['runs in two accounts', [header('111122223333', ARN_A), header('444455556666', 'arn:aws:iam::444455556666:group/ForceMfaAccess')], callerIn('111122223333'), ARN_A, /several accounts \(111122223333, 444455556666\)/],
    ['no account at all', [{ time: 't', runId: 'r', groupName: 'ForceMfaAccess', userName: 'a', action: 'add' as const, phase: 'intent' as const }], callerIn('111122223333'), ARN_A, /does not record the account/],
  ])('refuses %s (exit 2, one line)', (_, log, caller, groupArn, message) => {
    expect(() => assertLogBinding(log, 'ForceMfaAccess', caller, groupArn, 'log')).toThrow(message);
    try {
      assertLogBinding(log, 'ForceMfaAccess', caller, groupArn, 'log');
    } catch (error) {
      expect(isForceMfaError(error) && error.exitCode === 2 && !error.message.includes('\n')).toBe(true);
    }
  });
  it('accepts the log in its own account and group', () => {
    expect(() => assertLogBinding([header('111122223333', ARN_A)], 'ForceMfaAccess', callerIn('111122223333'), ARN_A, 'log')).not.toThrow();
  });
});
