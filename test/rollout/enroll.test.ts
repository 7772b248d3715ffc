// Enroll orchestration over an in-memory IAM: refusals, force, resuming an interrupted run.
import { describe, expect, it } from 'vitest';
import { applyEnrollment, prepareEnrollment } from '../../src/rollout/enroll.js';
import { isMembersBefore, usersAddedByLog, type EnrollLogEntry, type EnrollLogLine } from '../../src/rollout/enroll-log.js';
import { planUnenrollment } from '../../src/rollout/unenroll.js';
import { isForceMfaError } from '../../src/errors.js';
import { ADMIN, catalogue, FORCE, memoryAccount, NO_OVERRIDE, NOW, request, sts } from './memory-iam.js';

describe('break-glass', () => {
  it('refuses when every administrator would be in the group with access keys only and no MFA device', async () => {
    const { iam, group } = memoryAccount([{ name: 'admin', keys: 1, policies: [ADMIN] }, { name: 'dev', password: true }], []);
    const report = await prepareEnrollment(request, { iam, sts: sts('ci', true), catalogue, now: NOW });
    expect(report.refusals.map((refusal) => refusal.code)).toEqual(['no-administrator-left']);
    await expect(applyEnrollment(report, { iam, log: { append: () => {} } }, NO_OVERRIDE)).rejects.toSatisfy(
      (error) => isForceMfaError(error) && error.exitCode === 2 && /no IAM user could still sign in with MFA and administer IAM/.test(error.message) && /only IAM users were examined/.test(error.message),
    );
    expect(group.size).toBe(0);
  });

  it('counts an administrator with a console password and no device: the guard lets them enroll one without MFA', async () => {
    const { iam } = memoryAccount([{ name: 'admin', password: true, policies: [ADMIN] }, { name: 'dev', password: true }], []);
    const report = await prepareEnrollment(request, { iam, sts: sts('ci', true), catalogue, now: NOW });
    expect(report.actingAdministrator).toBe('admin');
    expect(report.refusals).toEqual([]);
  });

  it('accepts an administrator with MFA inside the group, and an excluded one outside it', async () => {
    const withMfa = memoryAccount([{ name: 'admin', password: true, mfa: 1, policies: [ADMIN] }], []);
    expect((await prepareEnrollment(request, { iam: withMfa.iam, sts: sts('ci'), catalogue, now: NOW })).actingAdministrator).toBe('admin');
    const outside = memoryAccount([{ name: 'admin', keys: 1, policies: [ADMIN] }, { name: 'dev', password: true }], []);
    const report = await prepareEnrollment({ ...request, excluded: ['admin'] }, { iam: outside.iam, sts: sts('ci'), catalogue, now: NOW });
    expect(report.refusals).toEqual([]);
  });

  it('refuses when the only administrator signs with access keys and has only a security key (STS takes no FIDO device)', async () => {
    const fidoOnly = ['arn:aws:iam::111122223333:u2f/user/admin/yubikey-ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    const { iam } = memoryAccount([{ name: 'admin', keys: 1, serials: fidoOnly, policies: [ADMIN] }, { name: 'dev', password: true }], []);
    const report = await prepareEnrollment(request, { iam, sts: sts('ci', true), catalogue, now: NOW });
    expect(report.refusals.map((refusal) => refusal.code)).toEqual(['no-administrator-left']);
    expect(report.changes.find((change) => change.userName === 'admin')).toMatchObject({ action: 'add', accessKeys: 'needs-mfa-device' });

    const withApp = memoryAccount(
      [{ name: 'admin', keys: 1, serials: [...fidoOnly, 'arn:aws:iam::111122223333:mfa/admin-phone'], policies: [ADMIN] }],
      [],
    );
    const fine = await prepareEnrollment(request, { iam: withApp.iam, sts: sts('ci', true), catalogue, now: NOW });
    expect(fine.refusals).toEqual([]);
    expect(fine.actingAdministrator).toBe('admin');
  });

  it('applies anyway when forced', async () => {
    const { iam, group } = memoryAccount([{ name: 'admin', keys: 1, policies: [ADMIN] }], []);
    const report = await prepareEnrollment(request, { iam, sts: sts('admin'), catalogue, now: NOW });
    expect(report.refusals).toHaveLength(2);
    await applyEnrollment(report, { iam, log: { append: () => {} } }, FORCE);
    expect([...group]).toEqual(['admin']);
  });
});

describe('exclusions', () => {
  it.each([
    ['a typo', ['breakglas']],
    ['a user name with a comma, split by the list parser', ['brk', 'glass']],
  ])('refuses %s instead of enrolling the user it was meant to keep out', async (_, excluded) => {
    const { iam, group } = memoryAccount([{ name: 'brk,glass', password: true, policies: [ADMIN] }, { name: 'breakglass' }, { name: 'dev' }], []);
    await expect(prepareEnrollment({ ...request, excluded }, { iam, sts: sts('ci', true), catalogue, now: NOW })).rejects.toSatisfy(
      (error) => isForceMfaError(error) && error.exitCode === 2 && error.code === 'unknown-excluded-user' && error.message.includes(excluded.join(', ')),
    );
    expect(group.size).toBe(0);
  });

  it('accepts a user name with the characters IAM allows (+=,.@_-)', async () => {
    const { iam } = memoryAccount([{ name: 'brk+x=y,z.w@ex_a-mple', password: true, policies: [ADMIN] }, { name: 'dev' }], []);
    const report = await prepareEnrollment({ ...request, excluded: ['brk+x=y,z.w@ex_a-mple'] }, { iam, sts: sts('ci', true), catalogue, now: NOW });
    expect(report.changes.map((change) => [change.userName, change.action])).toEqual([
      ['brk+x=y,z.w@ex_a-mple', 'skip-excluded'],
      ['dev', 'add'],
    ]);
  });
});

describe('administrator rights, as the engine evaluates them', () => {
  const dev = { name: 'dev', password: true };
  it.each([
    ['AdministratorAccess attached', { policies: [ADMIN] }, true],
    ['an inline policy allowing iam:*', { inline: { IamAdmin: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] } } }, true],
    ['read-only access', { policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }, false],
    [
      'AdministratorAccess with an inline deny on IAM',
      { policies: [ADMIN], inline: { NoIam: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] } } },
      false,
    ],
  ])('%s: acting administrator found: %s', async (_, rights, found) => {
    const { iam } = memoryAccount([{ name: 'ops', keys: 1, ...rights }, dev], []);
    const report = await prepareEnrollment({ ...request, excluded: ['ops'] }, { iam, sts: sts('ci', true), catalogue, now: NOW });
    expect(report.actingAdministrator).toBe(found ? 'ops' : undefined);
    expect(report.refusals.map((refusal) => refusal.code)).toEqual(found ? [] : ['no-administrator-left']);
  });
});

describe('an interrupted run', () => {
  it('logs intent then failed, and a second run resumes with the rest only', async () => {
    const users = [
      { name: 'admin', password: true, mfa: 1, policies: [ADMIN] },
      { name: 'a', password: true },
      { name: 'b', password: true },
      { name: 'c', password: true },
    ];
    const log: EnrollLogLine[] = [];
    const writer = { append: (entry: EnrollLogLine) => void log.push(entry) };
    const first = memoryAccount(users, ['admin'], { failOn: 'b' });
    const report = await prepareEnrollment(request, { iam: first.iam, sts: sts('admin', true), catalogue, now: NOW });
    await expect(applyEnrollment(report, { iam: first.iam, log: writer }, NO_OVERRIDE)).rejects.toThrow('Rate exceeded');
    expect(log.map((entry) => (isMembersBefore(entry) ? `members-before:${entry.members.join(',')}` : `${entry.userName}:${entry.phase}`))).toEqual([
      'members-before:admin', 'a:intent', 'a:done', 'b:intent', 'b:failed',
    ]);
    expect(log.find((entry): entry is EnrollLogEntry => entry.phase === 'failed')?.error).toBe('Throttling: Rate exceeded');

    // The same account, now without the fault: membership shows a was done.
    const second = { ...first, iam: { ...first.iam, addUserToGroup: async (_: string, name: string) => void (first.adds.push(name), first.group.add(name)) } };
    const again = await prepareEnrollment(request, { iam: second.iam, sts: sts('admin', true), catalogue, now: NOW });
    expect(again.changes.filter((change) => change.action === 'add').map((change) => change.userName)).toEqual(['b', 'c']);
    await applyEnrollment(again, { iam: second.iam, log: writer }, NO_OVERRIDE);
    expect(first.adds).toEqual(['a', 'b', 'c']);
    expect(usersAddedByLog(log, 'ForceMfaAccess')).toEqual(['a', 'b', 'c']);
  });
});

describe('an add whose outcome is unknown', () => {
  it('counts as done once GetGroup shows it, and is undone by unenroll', async () => {
    const users = [{ name: 'admin', password: true, mfa: 1, policies: [ADMIN] }, { name: 'a', password: true }, { name: 'b', password: true }];
    const log: EnrollLogLine[] = [];
    const account = memoryAccount(users, ['admin'], { timeOutAfterApplying: 'a' });
    const report = await prepareEnrollment(request, { iam: account.iam, sts: sts('admin', true), catalogue, now: NOW });
    await applyEnrollment(report, { iam: account.iam, log: { append: (entry) => void log.push(entry) } }, NO_OVERRIDE);
    expect(log.filter((entry) => !isMembersBefore(entry) && entry.userName === 'a').map((entry) => [entry.phase, (entry as EnrollLogEntry).confirmedBy])).toEqual([
      ['intent', undefined],
      ['done', 'GetGroup'],
    ]);
    expect(planUnenrollment(log, 'ForceMfaAccess', account.group)).toEqual([
      { userName: 'a', action: 'remove' },
      { userName: 'b', action: 'remove' },
    ]);
  });

  it('a failure that GetGroup does not show applied is logged as failed and stops the run', async () => {
    const users = [{ name: 'admin', password: true, mfa: 1, policies: [ADMIN] }, { name: 'a', password: true }];
    const log: EnrollLogLine[] = [];
    const account = memoryAccount(users, ['admin'], { failOn: 'a' });
    const report = await prepareEnrollment(request, { iam: account.iam, sts: sts('admin', true), catalogue, now: NOW });
    await expect(applyEnrollment(report, { iam: account.iam, log: { append: (entry) => void log.push(entry) } }, NO_OVERRIDE)).rejects.toThrow('Rate exceeded');
    expect(log.at(-1)).toMatchObject({ userName: 'a', phase: 'failed' });
  });
});
