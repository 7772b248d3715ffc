import { afterEach, describe, expect, it } from 'vitest';
import { ListVirtualMFADevicesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { collectAccountSnapshot, planLiveChecks, type AwsSourceOptions } from '../../src/account/aws/collect.js';
import type { AccountSnapshot } from '../../src/account/model.js';
import { auditAccount } from '../../src/audit/audit.js';
import type { UserStatus } from '../../src/audit/types.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { isForceMfaError } from '../../src/errors.js';
import { buildGuard } from '../../src/policy/guard.js';
import { seededRandom } from '../support/seeded-random.js';
import { ACCOUNT, awsError, mockWorld, type FaultInjector, type MockedWorld, type Operation, type World } from './aws-world.js';
import { CATALOGUE } from './builders.js';

const NOW = new Date('2025-06-02T12:00:00Z');
const GUARD = { ForceMfaAccess: buildGuard().document };
const BOOL_GUARD = {
  RequireMfa: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', NotAction: ['iam:*'], Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }],
  },
};
const ADMIN = { Admin: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const virtual = (name: string): string => `arn:aws:iam::${ACCOUNT}:mfa/${name}`;

/** Users in every status the live source can settle, some with paths, and a report older than the live state. */
const WORLD: World = {
  reportGeneratedAt: new Date('2025-06-02T11:30:00Z'),
  pageSize: 2,
  reportStates: ['STARTED', 'INPROGRESS', 'COMPLETE'],
  alias: 'acme-prod',
  groups: { ForceMfaAccess: GUARD, Legacy: BOOL_GUARD, Admins: ADMIN },
  users: [
    { name: 'alice', groups: ['ForceMfaAccess'], password: true, devices: [virtual('alice')] },
    { name: 'bob', path: '/dev/', groups: ['ForceMfaAccess', 'Admins'], password: true, devices: [`arn:aws:iam::${ACCOUNT}:u2f/user/bob/key-1`] },
    // Enrolled after the report was generated: the report says no MFA, the live check settles it.
    { name: 'carol', groups: ['ForceMfaAccess'], password: true, devices: ['GAHT00000001'], inReport: { mfaActive: false } },
    { name: 'dan', groups: ['ForceMfaAccess'], password: true },
    { name: 'erin', groups: ['Admins'], password: true, devices: [virtual('erin')], keys: ['Active'] },
    { name: 'frank', groups: ['Legacy'], password: true, devices: [virtual('frank')] },
    { name: 'gina', groups: ['Admins'], password: true },
    { name: 'svc-ci', path: '/service/', keys: ['Active', 'Inactive'] },
    { name: 'nobody', groups: ['ForceMfaAccess'] },
    // Created after the report: GetLoginProfile, ListAccessKeys and ListMFADevices settle everything.
    { name: 'newbie', groups: ['ForceMfaAccess'], password: true, inReport: 'absent' },
    { name: 'newkeys', keys: ['Active'], inReport: 'absent' },
  ],
};
const EXPECTED: Record<string, UserStatus> = {
  alice: 'protected',
  bob: 'protected',
  carol: 'protected',
  dan: 'pending-enrollment',
  erin: 'enrolled-not-enforced',
  frank: 'enrolled-not-enforced',
  gina: 'unprotected',
  'svc-ci': 'unprotected-programmatic',
  nobody: 'no-credentials',
  newbie: 'pending-enrollment',
  newkeys: 'unprotected-programmatic',
};

const FAST: AwsSourceOptions = {
  retry: { sleep: async () => {}, baseDelayMs: 1, maxDelayMs: 1 },
  reportPolling: { delaysMs: [1, 2, 4], timeoutMs: 1000 },
  now: () => NOW,
};

const mocks: MockedWorld[] = [];
function world(definition: World, faults?: FaultInjector): MockedWorld {
  const mocked = mockWorld(definition, faults);
  mocks.push(mocked);
  return mocked;
}
afterEach(() => {
  for (const mocked of mocks.splice(0)) mocked.mock.restore();
});

function statuses(snapshot: AccountSnapshot): Record<string, UserStatus> {
  const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now: NOW });
  return Object.fromEntries(report.users.map((user) => [user.userName, user.status]));
}
const count = (calls: readonly Operation[], operation: Operation): number => calls.filter((call) => call === operation).length;
/** The ListVirtualMFADevices calls that settle users (the audit lists the unassigned devices once besides). */
const assignedListings = (mocked: { inputs: readonly { operation: Operation; input: Record<string, unknown> }[] }): number =>
  mocked.inputs.filter((call) => call.operation === 'ListVirtualMFADevices' && call.input['AssignmentStatus'] === 'Assigned').length;

describe('the AWS source', () => {
  it('reads every page, polls the report until COMPLETE, settles what the report cannot, and classifies each user', async () => {
    const mocked = world(WORLD);
    const progress: string[] = [];
    const snapshot = await collectAccountSnapshot(mocked.client, { ...FAST, onProgress: (event) => progress.push(event.phase) });
    expect(statuses(snapshot)).toEqual(EXPECTED);
    // 11 users + 3 groups in pages of 2: 7 pages, each asked with the previous page's Marker.
    const markers = mocked.inputs.filter((call) => call.operation === 'GetAccountAuthorizationDetails').map((call) => call.input['Marker']);
    expect(markers).toEqual([undefined, '2', '4', '6', '8', '10', '12']);
    expect(count(mocked.calls, 'GenerateCredentialReport')).toBe(3);
    expect(count(mocked.calls, 'GetCredentialReport')).toBe(1);
    // Live MFA checks only for users the report marks without MFA (dan, carol, gina, svc-ci, nobody) and the two it lacks.
    expect(count(mocked.calls, 'ListMFADevices')).toBe(7);
    expect(count(mocked.calls, 'GetLoginProfile')).toBe(2);
    expect(count(mocked.calls, 'ListAccessKeys')).toBe(2);
    expect(snapshot.alias).toBe('acme-prod');
    expect(snapshot.users.find((user) => user.userName === 'bob')).toMatchObject({ path: '/dev/', arn: `arn:aws:iam::${ACCOUNT}:user/dev/bob` });
    expect(snapshot.users.find((user) => user.userName === 'newkeys')?.accessKeys?.keys).toEqual([
      { idSuffix: 'WXYZ', active: true, lastUsedAt: undefined, lastRotatedAt: '2024-03-01T00:00:00.000Z' },
    ]);
    expect(snapshot.sources.find((source) => source.kind === 'credential-report')?.capturedAt).toBe('2025-06-02T11:30:00.000Z');
    expect(progress).toContain('live-checks');
  });

  it('never keeps a full access key id', async () => {
    const mocked = world(WORLD);
    const text = JSON.stringify(await collectAccountSnapshot(mocked.client, FAST));
    expect(text).not.toMatch(/AKIA[A-Z0-9]{4,}/);
  });

  it('retries throttling and server errors, then succeeds', async () => {
    const failures = new Map<Operation, number>([
      ['GetAccountAuthorizationDetails', 2],
      ['GetCredentialReport', 1],
      ['ListMFADevices', 2],
    ]);
    const mocked = world(WORLD, (operation) => {
      const left = failures.get(operation) ?? 0;
      if (left === 0) return undefined;
      failures.set(operation, left - 1);
      return operation === 'GetCredentialReport' ? awsError('InternalFailure', 500) : awsError('Throttling', 400, 'Rate exceeded');
    });
    expect(statuses(await collectAccountSnapshot(mocked.client, FAST))).toEqual(EXPECTED);
  });

  it.each(['CredentialReportExpiredException', 'ReportExpired', 'CredentialReportNotPresentException', 'ReportNotPresent'])('generates the report again after %s', async (name) => {
    let expired = true;
    const mocked = world(WORLD, (operation) => {
      if (operation === 'GetCredentialReport' && expired) {
        expired = false;
        return awsError(name, 410, 'Report is expired.');
      }
      return undefined;
    });
    expect(statuses(await collectAccountSnapshot(mocked.client, FAST))).toEqual(EXPECTED);
    expect(count(mocked.calls, 'GetCredentialReport')).toBe(2);
  });

  it('waits while GetCredentialReport says ReportInProgress', async () => {
    let notReady = 2;
    const mocked = world({ ...WORLD, reportStates: ['COMPLETE'] }, (operation) =>
      operation === 'GetCredentialReport' && notReady-- > 0 ? awsError('CredentialReportNotReadyException', 404) : undefined,
    );
    expect(statuses(await collectAccountSnapshot(mocked.client, FAST))).toEqual(EXPECTED);
  });

  it('falls back to per-user calls when the credential report is denied', async () => {
    const mocked = world(WORLD, (operation) => (operation === 'GenerateCredentialReport' ? awsError('AccessDenied', 403, 'User is not authorized') : undefined));
    const snapshot = await collectAccountSnapshot(mocked.client, FAST);
    expect(statuses(snapshot)).toEqual(EXPECTED);
    // Everyone is checked live but alice, erin and frank, whose assigned virtual devices settle them.
    expect(count(mocked.calls, 'ListMFADevices')).toBe(WORLD.users.length - 3);
    expect(snapshot.root).toBeUndefined();
    expect(snapshot.gaps).toContainEqual({ fact: 'root', cause: 'access-denied', detail: 'iam:GetCredentialReport (AccessDenied)' });
  });

  it('reports users as unknown, with the reason, when both the report and the per-user reads are denied', async () => {
    const mocked = world(WORLD, (operation) =>
      operation === 'GenerateCredentialReport' || operation === 'ListMFADevices' || operation === 'ListVirtualMFADevices' ? awsError('AccessDenied', 403) : undefined,
    );
    const snapshot = await collectAccountSnapshot(mocked.client, { ...FAST, concurrency: 1 });
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now: NOW });
    expect(report.summary.byStatus.protected).toBe(0);
    expect(report.users.find((user) => user.userName === 'alice')).toMatchObject({
      status: 'unknown',
      reasons: expect.arrayContaining([{ code: 'fact-unknown', params: { fact: 'mfa', cause: 'access-denied', detail: 'iam:ListMFADevices' } }]),
    });
    // Users without any credential need no MFA fact.
    expect(report.users.find((user) => user.userName === 'nobody')?.status).toBe('no-credentials');
    // A denied operation is not asked again for every user.
    expect(count(mocked.calls, 'ListMFADevices')).toBe(1);
  });

  it('says clearly when the authorization details are denied', async () => {
    const mocked = world(WORLD, (operation) => (operation === 'GetAccountAuthorizationDetails' ? awsError('AccessDenied', 403) : undefined));
    const error = await collectAccountSnapshot(mocked.client, FAST).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.code).toBe('authorization-details-denied');
  });

  it('handles an account without users', async () => {
    const mocked = world({ ...WORLD, users: [] });
    const snapshot = await collectAccountSnapshot(mocked.client, FAST);
    expect(snapshot.users).toEqual([]);
    expect(auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now: NOW }).summary).toMatchObject({ users: 0, inScope: 0, enrolledShare: null });
  });

  it('checks enrolled users live when the report is older than the threshold', async () => {
    // dan removed nothing, but erin removed her device after the report; with a 3-hour-old report she is re-checked.
    const stale: World = {
      ...WORLD,
      reportGeneratedAt: new Date('2025-06-02T09:00:00Z'),
      users: WORLD.users.map((user) => (user.name === 'alice' ? { ...user, devices: [], inReport: { mfaActive: true } } : user)),
    };
    const mocked = world(stale);
    const result = statuses(await collectAccountSnapshot(mocked.client, FAST));
    expect(result['alice']).toBe('pending-enrollment');
    // erin and frank hold assigned virtual devices: that settles them; everyone else is checked live.
    expect(count(mocked.calls, 'ListMFADevices')).toBe(WORLD.users.length - 2);
    expect(assignedListings(mocked)).toBe(1);
  });

  describe('settling users with a virtual device from ListVirtualMFADevices', () => {
    // A stale report that is wrong both ways: alice removed her device, hal enrolled a virtual one since, and
    // ivy (created after the report) enrolled one too. Pages of 2 make the device list span pages.
    const drifted: World = {
      ...WORLD,
      reportGeneratedAt: new Date('2025-06-02T09:00:00Z'),
      users: [
        ...WORLD.users.map((user) => (user.name === 'alice' ? { ...user, devices: [], inReport: { mfaActive: true } } : user)),
        { name: 'hal', groups: ['ForceMfaAccess'], password: true, devices: [virtual('hal')], inReport: { mfaActive: false } },
        { name: 'ivy', groups: ['ForceMfaAccess'], password: true, devices: [virtual('ivy')], inReport: 'absent' },
        { name: 'jo', groups: ['Admins'], password: true, devices: [virtual('jo'), `arn:aws:iam::${ACCOUNT}:u2f/user/jo/key-1`] },
      ],
    };
    const both = async (definition: World, options: AwsSourceOptions = {}) => {
      const before = world(definition);
      const after = world(definition);
      const old = await collectAccountSnapshot(before.client, { ...FAST, ...options, settleWithVirtualDevices: false });
      const settled = await collectAccountSnapshot(after.client, { ...FAST, ...options });
      return { before, after, old, settled };
    };

    it('audits the same account with the same statuses and enrollment as one ListMFADevices per user, in fewer calls', async () => {
      const { before, after, old, settled } = await both(drifted);
      expect(statuses(settled)).toEqual(statuses(old));
      expect(statuses(settled)).toMatchObject({ alice: 'pending-enrollment', hal: 'protected', ivy: 'protected', jo: 'enrolled-not-enforced' });
      const enrolled = (snapshot: AccountSnapshot) => Object.fromEntries(snapshot.users.map((user) => [user.userName, user.mfa?.enrolled]));
      expect(enrolled(settled)).toEqual(enrolled(old));
      expect(assignedListings(before)).toBe(0);
      expect(count(before.calls, 'ListMFADevices')).toBe(drifted.users.length);
      // erin, frank, hal, ivy, jo settled by 5 devices in 3 pages; ivy still needs her password and keys read.
      expect(assignedListings(after)).toBe(3);
      expect(count(after.calls, 'ListMFADevices')).toBe(drifted.users.length - 5);
      expect(after.inputs.filter((call) => call.operation === 'ListVirtualMFADevices').map((call) => call.input['AssignmentStatus'])).toEqual(['Assigned', 'Assigned', 'Assigned', 'Unassigned']);
      expect(settled.users.find((user) => user.userName === 'hal')?.mfa).toEqual({ enrolled: true, devices: undefined, source: 'list-virtual-mfa-devices' });
    });

    it('still lists every device when device kinds are wanted, with the same result', async () => {
      const { after, old, settled } = await both(drifted, { needMfaKinds: true });
      expect(statuses(settled)).toEqual(statuses(old));
      expect(settled.users.find((user) => user.userName === 'jo')?.mfa?.devices?.map((device) => device.kind)).toEqual(['virtual', 'fido']);
      expect(count(after.calls, 'ListMFADevices')).toBe(drifted.users.length);
    });

    it('falls back to one ListMFADevices per user when ListVirtualMFADevices is denied, with the same result', async () => {
      const denied = world(drifted, (operation) => (operation === 'ListVirtualMFADevices' ? awsError('AccessDenied', 403) : undefined));
      const snapshot = await collectAccountSnapshot(denied.client, FAST);
      const { old } = await both(drifted);
      expect(statuses(snapshot)).toEqual(statuses(old));
      expect(count(denied.calls, 'ListMFADevices')).toBe(drifted.users.length);
      expect(snapshot.sources.some((source) => source.kind === 'virtual-mfa-devices')).toBe(false);
    });
  });
});

describe('planLiveChecks', () => {
  const CREATED = '2024-01-01T00:00:00.000Z';
  it('asks only what the report cannot settle', () => {
    const report = {
      generatedAt: undefined,
      rows: [
        { line: 2, user: 'a', arn: 'arn:a', createdAt: CREATED, passwordEnabled: true, passwordLastUsedAt: undefined, mfaActive: true, accessKeys: [{ active: false, lastRotatedAt: undefined, lastUsedAt: undefined }, { active: false, lastRotatedAt: undefined, lastUsedAt: undefined }] },
        { line: 3, user: 'b', arn: 'arn:b', createdAt: CREATED, passwordEnabled: true, passwordLastUsedAt: undefined, mfaActive: false, accessKeys: [{ active: false, lastRotatedAt: undefined, lastUsedAt: undefined }, { active: false, lastRotatedAt: undefined, lastUsedAt: undefined }] },
      ],
      rejected: [],
    } as const;
    const users = ['a', 'b', 'c'].map((name) => ({ userName: name, arn: `arn:${name}`, createdAt: CREATED }));
    const fresh = { reportAgeHours: 0.5, reportMaxAgeHours: 1, needMfaKinds: false };
    expect(planLiveChecks(users, report, fresh)).toEqual([
      { userName: 'b', mfa: true, password: false, accessKeys: false },
      { userName: 'c', mfa: true, password: true, accessKeys: true },
    ]);
    expect(planLiveChecks(users, report, { ...fresh, needMfaKinds: true }).map((check) => check.userName)).toEqual(['a', 'b', 'c']);
    expect(planLiveChecks(users, report, { ...fresh, reportAgeHours: 2 }).map((check) => check.userName)).toEqual(['a', 'b', 'c']);
  });
});

describe('with throttling and failures injected', () => {
  /** In the truth, only these are protected; alice's device was removed after an old report said she had one. */
  const TRUTH: World = {
    ...WORLD,
    reportGeneratedAt: new Date('2025-06-02T08:00:00Z'),
    users: WORLD.users.map((user) => (user.name === 'alice' ? { ...user, devices: [], inReport: { mfaActive: true } } : user)),
  };
  const TRULY_PROTECTED = new Set(['bob', 'carol']);
  let completed = 0;
  let protectedSeen = 0;

  it.each(Array.from({ length: 40 }, (_, index) => index + 1))('seed %i: no user is protected without data proving it', async (seed) => {
    const next = seededRandom(seed);
    const mocked = world(TRUTH, (operation) => {
      const roll = next();
      if (operation === 'GetAccountAuthorizationDetails') return roll < 0.2 ? awsError('Throttling', 400) : undefined;
      if (roll < 0.25) return awsError('Throttling', 400, 'Rate exceeded');
      if (roll < 0.35) return awsError('ServiceUnavailable', 503);
      if (roll < 0.45) return awsError('AccessDenied', 403);
      return undefined;
    });
    let snapshot: AccountSnapshot;
    try {
      snapshot = await collectAccountSnapshot(mocked.client, { ...FAST, retry: { ...FAST.retry, attempts: 3 } });
    } catch (error) {
      // Failing loudly (exit 3) is allowed; a wrong "protected" is not.
      expect(isForceMfaError(error) || (error as { name?: string }).name === 'Throttling').toBe(true);
      return;
    }
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now: NOW });
    completed++;
    for (const user of report.users) {
      if (user.status !== 'protected') continue;
      protectedSeen++;
      expect(TRULY_PROTECTED.has(user.userName), `${user.userName} reported protected`).toBe(true);
    }
  });

  it('the injected runs were not vacuous: most completed and some users were proven protected', () => {
    expect(completed).toBeGreaterThan(10);
    expect(protectedSeen).toBeGreaterThan(0);
  });
});

describe('the AWS source: the root user and abandoned devices', () => {
  const rootDevice = `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`;
  it('reads GetAccountSummary, a root virtual device from the Assigned listing, and the unassigned devices', async () => {
    const mocked = world({
      ...WORLD,
      unassignedDevices: [`arn:aws:iam::${ACCOUNT}:mfa/abandoned`],
      rootSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, AccountPasswordPresent: 1 },
    });
    // The root user's device is listed with the root ARN as its user.
    (mocked.mock as unknown as ReturnType<typeof mockClient>).on(ListVirtualMFADevicesCommand, { AssignmentStatus: 'Assigned' }).resolves({
      VirtualMFADevices: [{ SerialNumber: rootDevice, User: { Arn: `arn:aws:iam::${ACCOUNT}:root`, UserName: '', UserId: ACCOUNT, Path: '/', CreateDate: new Date() } }],
      IsTruncated: false,
    } as never);
    const snapshot = await collectAccountSnapshot(mocked.client, FAST);
    expect(snapshot.unassignedVirtualDevices).toMatchObject({ value: [{ serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/abandoned`, name: 'abandoned', enabledAt: undefined }] });
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now: NOW });
    expect(report.root).toMatchObject({ mfaEnabled: true, mfaDevice: 'virtual', passwordPresent: true, accessKeysPresent: false });
    expect(report.findings.map((finding) => finding.code)).toContain('unassigned-virtual-devices');
  });

  it('denied reads leave the devices and the summary unknown, never "none" or "no MFA"', async () => {
    const mocked = world({ ...WORLD, unassignedDevices: ['x'] }, (operation, input) =>
      operation === 'GetAccountSummary' || (operation === 'ListVirtualMFADevices' && input['AssignmentStatus'] === 'Unassigned') ? awsError('AccessDenied', 403) : undefined,
    );
    const snapshot = await collectAccountSnapshot(mocked.client, FAST);
    expect(snapshot.unassignedVirtualDevices).toEqual({ gap: { fact: 'virtual-devices', cause: 'access-denied', detail: 'iam:ListVirtualMFADevices' } });
    expect(snapshot.rootSummary).toEqual({ gap: { fact: 'root', cause: 'access-denied', detail: 'iam:GetAccountSummary' } });
    const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now: NOW });
    expect(report.findings.find((finding) => finding.code === 'unassigned-virtual-devices-unknown')?.params).toMatchObject({ cause: 'access-denied' });
    // The report's root row still says MFA is on: that is what is known, from the report.
    expect(report.root).toMatchObject({ mfaEnabled: true, sources: ['credential-report'], passwordPresent: null });
  });
});

describe('the AWS source: a listing of unassigned devices that names a user', () => {
  it('never reports an assigned device as abandoned, whatever the listing was asked for', async () => {
    const mocked = world(WORLD);
    (mocked.mock as unknown as ReturnType<typeof mockClient>).on(ListVirtualMFADevicesCommand, { AssignmentStatus: 'Unassigned' }).resolves({
      VirtualMFADevices: [
        { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/erin`, User: { Arn: `arn:aws:iam::${ACCOUNT}:user/erin`, UserName: 'erin', UserId: 'AIDAERIN', Path: '/', CreateDate: new Date() } },
        { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/left-behind` },
      ],
      IsTruncated: false,
    } as never);
    const snapshot = await collectAccountSnapshot(mocked.client, FAST);
    expect(snapshot.unassignedVirtualDevices).toMatchObject({ value: [{ serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/left-behind` }] });
  });
});
