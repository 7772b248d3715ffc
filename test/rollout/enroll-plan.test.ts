// The pure parts of enroll: plan, impact, selection, log replay, refusals.
import { describe, expect, it } from 'vitest';
import { impactOf, planEnrollment, selectUsers, unknownUserNames } from '../../src/rollout/enroll-plan.js';
import { parseEnrollLog, readEnrollLog, usersAddedByLog, type EnrollLogEntry, type EnrollLogLine } from '../../src/rollout/enroll-log.js';
import { isExemptByTag, isUnderPath } from '../../src/rollout/exemption.js';
import { callerRefusal, sessionKindOf } from '../../src/rollout/safety.js';
import { bindingsOfLog, tagsSetByLog } from '../../src/rollout/enroll-log.js';
import { planUnenrollment, groupOfLog } from '../../src/rollout/unenroll.js';
import type { UserSummary } from '../../src/rollout/iam.js';

const DENIED = { 'console-no-mfa': 'denied', 'access-keys': 'denied' } as const;
const user = (userName: string, path = '/'): UserSummary => ({ userName, path, arn: `arn:aws:iam::123456789012:user${path}${userName}` });

describe('impact at the next sign-in', () => {
  it.each([
    [{ mfaDevices: 1, codeMfaDevices: 1, consolePassword: true, activeAccessKeys: 0 }, 'nothing', 'unaffected'],
    [{ mfaDevices: 0, codeMfaDevices: 0, consolePassword: true, activeAccessKeys: 0 }, 'mfa-setup', 'unaffected'],
    [{ mfaDevices: 0, codeMfaDevices: 0, consolePassword: true, activeAccessKeys: 1 }, 'mfa-setup', 'needs-mfa-device'],
    [{ mfaDevices: 2, codeMfaDevices: 2, consolePassword: true, activeAccessKeys: 1 }, 'nothing', 'needs-mfa-session'],
    [{ mfaDevices: 0, codeMfaDevices: 0, consolePassword: false, activeAccessKeys: 2 }, 'no-console', 'needs-mfa-device'],
    [{ mfaDevices: 1, codeMfaDevices: 1, consolePassword: false, activeAccessKeys: 1 }, 'no-console', 'needs-mfa-session'],
    // Only a passkey or security key: the console works, access keys can never get an MFA session with it.
    [{ mfaDevices: 1, codeMfaDevices: 0, consolePassword: true, activeAccessKeys: 1 }, 'nothing', 'needs-mfa-device'],
    [{ mfaDevices: 2, codeMfaDevices: 1, consolePassword: false, activeAccessKeys: 1 }, 'no-console', 'needs-mfa-session'],
  ])('%o → %s, keys %s', (credentials, nextSignIn, accessKeys) => {
    expect(impactOf(credentials, DENIED)).toEqual({ nextSignIn, accessKeys });
  });

  it('follows the evaluation, not the group: a context not proven denied is not-enforced', () => {
    const credentials = { mfaDevices: 0, codeMfaDevices: 0, consolePassword: true, activeAccessKeys: 1 };
    expect(impactOf(credentials, { 'console-no-mfa': 'not-denied', 'access-keys': 'denied' })).toEqual({ nextSignIn: 'not-enforced', accessKeys: 'needs-mfa-device' });
    expect(impactOf(credentials, { 'console-no-mfa': 'denied', 'access-keys': 'unknown' })).toEqual({ nextSignIn: 'mfa-setup', accessKeys: 'not-enforced' });
  });
});

describe('planEnrollment', () => {
  it('decides exclusion first, then the tag, then membership, sorted by name', () => {
    const changes = planEnrollment({
      groupName: 'ForceMfaAccess',
      users: [user('zed'), user('amy'), user('kim'), user('lee')],
      members: new Set(['kim', 'lee']),
      excluded: new Set(['lee']),
      tags: new Map<string, Record<string, string>>([['zed', { 'force-mfa:exempt': 'TRUE' }], ['amy', {}], ['kim', {}]]),
      credentials: new Map([['amy', { mfaDevices: 0, codeMfaDevices: 0, consolePassword: true, activeAccessKeys: 0 }]]),
      enforcement: new Map([['amy', DENIED]]),
    });
    expect(changes).toEqual([
      { userName: 'amy', action: 'add', nextSignIn: 'mfa-setup', accessKeys: 'unaffected', deniedWithoutMfa: DENIED },
      { userName: 'kim', action: 'already-member' },
      { userName: 'lee', action: 'skip-excluded' },
      { userName: 'zed', action: 'skip-exempt' },
    ]);
  });
});

describe('selection', () => {
  const users = [user('a'), user('b', '/staff/'), user('c', '/staff/dev/'), user('d', '/staffing/')];
  it('by path prefix', () => expect(selectUsers({ kind: 'path', pathPrefix: '/staff/' }, users).map((u) => u.userName)).toEqual(['b', 'c']));
  it('by names, reporting unknown ones', () => {
    expect(selectUsers({ kind: 'users', userNames: ['a', 'x'] }, users).map((u) => u.userName)).toEqual(['a']);
    expect(unknownUserNames({ kind: 'users', userNames: ['a', 'x'] }, users)).toEqual(['x']);
  });
});

describe('exemption rules', () => {
  it.each([
    [{ 'force-mfa:exempt': 'true' }, true],
    [{ 'force-mfa:exempt': ' True ' }, true],
    [{ 'force-mfa:exempt': 'false' }, false],
    [{ 'force-mfa:exempt': 'yes' }, false],
    [{ exempt: 'true' }, false],
    // IAM user tag keys ignore case: the same key as force-mfa:exempt.
    [{ 'Force-MFA:Exempt': 'true' }, true],
    [{ 'FORCE-MFA:EXEMPT': 'false' }, false],
  ])('tags %o exempt: %s', (tags, exempt) => expect(isExemptByTag(tags)).toBe(exempt));

  it('path prefixes mean folders', () => {
    expect(isUnderPath('/service/', ['/service/'])).toBe(true);
    expect(isUnderPath('/service/ci/', ['/service'])).toBe(true);
    expect(isUnderPath('/services/', ['/service'])).toBe(false);
  });
});

describe('refusals', () => {
  const adding = [{ userName: 'ops', action: 'add' as const }];
  const caller = (arn: string, hasSessionToken: boolean) => ({ account: '123456789012', arn, hasSessionToken });

  it('refuses to add the caller with long-term keys', () => {
    expect(callerRefusal(caller('arn:aws:iam::123456789012:user/team/ops', false), adding, 'proven')?.code).toBe('caller-without-mfa');
  });
  it('refuses to add the caller with a session token unless MFA is proven', () => {
    expect(callerRefusal(caller('arn:aws:iam::123456789012:user/ops', true), adding, 'unproven')?.message).toMatch(/AWS does not say whether this session was signed in with MFA/);
    expect(callerRefusal(caller('arn:aws:iam::123456789012:user/ops', true), adding, 'proven')).toBeUndefined();
  });
  it('accepts a caller not added and a role; refuses a federated user when anyone is added', () => {
    expect(callerRefusal(caller('arn:aws:iam::123456789012:user/root-ops', false), adding, 'unproven')).toBeUndefined();
    expect(callerRefusal(caller('arn:aws:sts::123456789012:assumed-role/Admin/ops', true), adding, 'unproven')).toBeUndefined();
    expect(callerRefusal(caller('arn:aws:sts::123456789012:federated-user/ops', true), adding, 'unproven')?.code).toBe('caller-mfa-unproven');
    expect(callerRefusal(caller('arn:aws:sts::123456789012:federated-user/ops', true), [], 'unproven')).toBeUndefined();
  });
  it.each([
    ['arn:aws:iam::123456789012:user/ops', false, 'long-term-keys'],
    ['arn:aws:iam::123456789012:user/ops', true, 'user-session'],
    ['arn:aws:sts::123456789012:assumed-role/Admin/ops', true, 'assumed-role'],
    ['arn:aws:sts::123456789012:federated-user/ops', true, 'federated-user'],
    ['arn:aws:iam::123456789012:root', false, 'root'],
  ])('%s (session token %s) is %s', (arn, token, kind) => expect(sessionKindOf(caller(arn, token))).toBe(kind));
});

describe('the enrollment log', () => {
  const line = (userName: string, action: 'add' | 'remove', phase: 'intent' | 'done' | 'failed', groupName = 'G'): EnrollLogEntry => ({
    time: '2026-01-01T00:00:00.000Z', runId: 'r', groupName, userName, action, phase,
  });
  const text = (entries: EnrollLogEntry[]) => entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n';

  it('replays adds, interrupted adds, failed adds (IAM may have applied them) and removals', () => {
    const entries = [
      line('a', 'add', 'intent'), line('a', 'add', 'done'),
      line('b', 'add', 'intent'),
      line('c', 'add', 'intent'), line('c', 'add', 'failed'),
      line('d', 'add', 'intent'), line('d', 'add', 'done'), line('d', 'remove', 'intent'), line('d', 'remove', 'done'),
      line('e', 'add', 'done', 'Other'),
    ];
    expect(usersAddedByLog(entries, 'G')).toEqual(['a', 'b', 'c']);
  });

  it('never counts a user who was a member before the first run, whatever later runs logged', () => {
    const before = (members: string[], runId: string): EnrollLogLine => ({
      version: 2, time: '2026-01-01T00:00:00.000Z', runId, groupName: 'G', phase: 'members-before', members,
    });
    const intent = (userName: string, runId: string): EnrollLogLine => ({ ...line(userName, 'add', 'intent'), version: 2, runId, memberBefore: false });
    const entries = [
      before(['dave'], 'r1'), intent('a', 'r1'),
      // dave was taken out of the group by hand between the runs; the second run added him back.
      before(['a'], 'r2'), intent('dave', 'r2'), intent('b', 'r2'),
    ];
    expect(usersAddedByLog(entries, 'G')).toEqual(['a', 'b']);
    // Version 1 lines: an add intent means the user was not a member; a first removal means they were.
    expect(usersAddedByLog([line('x', 'remove', 'intent'), line('x', 'remove', 'done'), line('x', 'add', 'intent')], 'G')).toEqual([]);
  });

  it('reads version 1 lines and refuses a version it does not know', () => {
    const v1 = text([line('a', 'add', 'done')]);
    expect(parseEnrollLog(v1, 'log')).toHaveLength(1);
    expect(() => parseEnrollLog(`${v1}${JSON.stringify({ ...line('b', 'add', 'intent'), version: 4 })}\n`, 'log')).toThrow(
      /^log line 2 has log version 4, which this force-mfa cannot read: use a newer force-mfa$/,
    );
  });

  it('undo keeps every member some run found before it tried to add them (the union of the snapshots)', () => {
    const before = (members: string[], runId: string): EnrollLogLine => ({ version: 3, time: 't', runId, groupName: 'G', phase: 'members-before', members });
    const intent = (userName: string, runId: string): EnrollLogLine => ({ ...line(userName, 'add', 'intent'), version: 3, runId, memberBefore: false });
    // Run 1 adds a; someone adds carol by hand; run 2 finds a and carol and adds b. Only a and b are the log's.
    expect(usersAddedByLog([before([], 'r1'), intent('a', 'r1'), before(['a', 'carol'], 'r2'), intent('b', 'r2'), intent('carol', 'r3')], 'G')).toEqual(['a', 'b']);
  });

  it('names the accounts and group ARNs its runs were bound to, from headers and callers', () => {
    const header: EnrollLogLine = { version: 3, time: 't', runId: 'r', groupName: 'G', phase: 'members-before', members: [], accountId: '111122223333', groupArn: 'arn:aws:iam::111122223333:group/G', by: 'arn:aws:iam::111122223333:user/ops' };
    expect(bindingsOfLog([header, { ...line('a', 'add', 'intent'), by: 'arn:aws:sts::444455556666:assumed-role/R/s' }], 'G')).toEqual({
      accounts: ['111122223333', '444455556666'],
      groupArns: ['arn:aws:iam::111122223333:group/G'],
    });
  });

  it('lists the exemption tags set and not taken back', () => {
    const tag = { ...line('bg', 'add', 'intent'), action: 'tag' as const, tags: { 'force-mfa:exempt': 'true' }, previousTags: {} };
    expect([...tagsSetByLog([tag], 'G').keys()]).toEqual(['bg']);
    expect([...tagsSetByLog([tag, { ...line('bg', 'add', 'done'), action: 'untag' as const }], 'G').keys()]).toEqual([]);
  });

  it('removes only logged users still in the group', () => {
    const entries = [line('a', 'add', 'done'), line('b', 'add', 'done')];
    expect(planUnenrollment(entries, 'G', new Set(['a', 'x']))).toEqual([
      { userName: 'a', action: 'remove' },
      { userName: 'b', action: 'not-member' },
    ]);
  });

  it('skips a line cut short with a warning, refuses a broken line elsewhere', () => {
    const good = text([line('a', 'add', 'done')]);
    expect(readEnrollLog(`${good}{"time":"2026`, 'log')).toEqual({
      entries: [line('a', 'add', 'done')],
      warnings: ['log line 2 was cut short (a run stopped while writing it) and is skipped'],
    });
    // The writer starts the next line on a line of its own, marked: the cut line is then skipped, not refused.
    const resumed = `${good}{"time":"2026\n${JSON.stringify({ ...line('b', 'add', 'intent'), afterCutLine: true })}\n`;
    expect(readEnrollLog(resumed, 'log').entries.map((entry) => entry.phase)).toEqual(['done', 'intent']);
    expect(() => parseEnrollLog(`${good}{"time":"2026\n${good}`, 'log')).toThrow(/^log line 2 is not JSON/);
    expect(() => parseEnrollLog(`${good}{"time":"2026\n`, 'log')).toThrow(/^log line 2 is not JSON/);
    expect(() => parseEnrollLog(`{"time"\n${good}`, 'log')).toThrow(/log line 1 is not JSON/);
    expect(() => parseEnrollLog('{"time":"x"}\n', 'log')).toThrow(/not an enrollment log entry/);
  });

  it('needs the group named when the log holds several', () => {
    const entries = [line('a', 'add', 'done', 'G1'), line('b', 'add', 'done', 'G2')];
    expect(() => groupOfLog(entries, undefined, 'log')).toThrow(/several groups \(G1, G2\)/);
    expect(groupOfLog(entries, 'G2', 'log')).toBe('G2');
    expect(() => groupOfLog([], undefined, 'log')).toThrow(/nothing to undo/);
  });
});

describe('the plan as text', () => {
  it('shows the impact columns only when some user has one', async () => {
    const { renderChangeTable, renderSummary } = await import('../../src/rollout/enroll-render.js');
    const plan = renderChangeTable([
      { userName: 'bob', action: 'add', nextSignIn: 'mfa-setup', accessKeys: 'needs-mfa-device' },
      { userName: 'dave', action: 'already-member' },
    ]);
    expect(plan.split('\n')[0]).toMatch(/^USER\s+ACTION\s+NEXT CONSOLE SIGN-IN\s+ACCESS KEYS$/);
    expect(plan).toMatch(/bob\s+add\s+can only set up MFA, then sign in again\s+calls denied; needs an MFA device that gives codes first/);
    const undo = renderChangeTable([{ userName: 'bob', action: 'remove' }]);
    expect(undo).toBe('USER  ACTION\nbob   remove');
    expect(renderSummary('G', [{ userName: 'bob', action: 'add' }, { userName: 'x', action: 'skip-exempt' }])).toBe(
      'Group G: 2 user(s) selected: 1 add, 1 skip (tag force-mfa:exempt)',
    );
  });
});
