/** Joining the authorization details with the credential report: which row belongs to which user, and what is unknown. */
import { describe, expect, it } from 'vitest';
import { assembleSnapshot } from '../../src/account/assemble.js';
import { planLiveChecks } from '../../src/account/aws/collect.js';
import { readAuthorizationDetails } from '../../src/account/authorization-details.js';
import { parseCredentialReport } from '../../src/account/credential-report.js';
import { auditAccount } from '../../src/audit/audit.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { CATALOGUE, RECOMMENDED_DOCUMENT } from './builders.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const ACCOUNT = '123456789012';
const arn = (name: string, path = '/'): string => `arn:aws:iam::${ACCOUNT}:user${path}${name}`;
const row = (name: string, created: string, password: string, mfa: string, key1: string, path = '/'): string =>
  `${name},${arn(name, path)},${created},${password},N/A,N/A,N/A,${mfa},${key1},N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;

const REPORT = parseCredentialReport(
  [
    HEADER,
    `<root_account>,arn:aws:iam::${ACCOUNT}:root,2019-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,false,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    // "reused" was deleted after this report and created again with the same name: this row is the old user's.
    row('reused', '2023-05-05T05:05:05+00:00', 'true', 'true', 'false'),
    row('kept', '2024-01-01T00:00:00+00:00', 'true', 'true', 'false', '/team/'),
    row('odd', '2024-01-01T00:00:00+00:00', 'no_information', 'true', 'N/A'),
    // "deleted" no longer exists: its row must not become a user.
    row('deleted', '2022-01-01T00:00:00+00:00', 'true', 'false', 'false'),
  ].join('\n'),
  '2025-03-01T11:30:00.000Z',
);

const user = (name: string, created: string, path = '/') => ({
  UserName: name,
  Path: path,
  Arn: arn(name, path),
  UserId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
  CreateDate: created,
  GroupList: ['ForceMfaAccess'],
});
const DETAILS = readAuthorizationDetails([
  {
    UserDetailList: [
      user('reused', '2025-02-20T10:00:00Z'),
      user('kept', '2024-01-01T00:00:00Z', '/team/'),
      user('odd', '2024-01-01T00:00:00Z'),
      user('new', '2025-03-01T11:45:00Z'),
    ],
    GroupDetailList: [{ GroupName: 'ForceMfaAccess', Arn: `arn:aws:iam::${ACCOUNT}:group/ForceMfaAccess`, GroupPolicyList: [{ PolicyName: 'ForceMfaAccess', PolicyDocument: encodeURIComponent(JSON.stringify(RECOMMENDED_DOCUMENT)) }] }],
  },
]);

const snapshot = assembleSnapshot({ authorizationDetails: DETAILS, credentialReport: REPORT, sources: [], collectedAt: '2025-03-01T12:00:00.000Z' });
const byName = (name: string) => snapshot.users.find((candidate) => candidate.userName === name);

describe('assembleSnapshot', () => {
  it('never lends a deleted user\'s report row to a new user of the same name (same ARN, other creation time)', () => {
    const reused = byName('reused');
    expect(reused?.mfa).toBeUndefined();
    expect(reused?.consolePassword).toBeUndefined();
    expect(reused?.gaps).toContainEqual({ fact: 'mfa', cause: 'not-in-credential-report', detail: 'the row is of an earlier user of the same name' });
    const audited = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate }).users.find((candidate) => candidate.userName === 'reused');
    expect(audited?.status).toBe('unknown');
  });

  it('matches users with paths by ARN and keeps the report facts', () => {
    expect(byName('kept')).toMatchObject({ path: '/team/', consolePassword: { enabled: true }, mfa: { enrolled: true, source: 'credential-report' }, gaps: [] });
  });

  it('a user created after the report has no row: password, MFA and keys are unknown', () => {
    const created = byName('new');
    expect([created?.consolePassword, created?.mfa, created?.accessKeys]).toEqual([undefined, undefined, undefined]);
    expect(created?.gaps.map((gap) => `${gap.fact}:${gap.cause}`)).toEqual(['password:not-in-credential-report', 'mfa:not-in-credential-report', 'access-keys:not-in-credential-report']);
  });

  it('no_information and N/A in a boolean column are unknown, never false', () => {
    const odd = byName('odd');
    expect(odd?.consolePassword).toBeUndefined();
    expect(odd?.accessKeys).toBeUndefined();
    expect(odd?.mfa?.enrolled).toBe(true);
    expect(auditAccount(snapshot, { catalogue: CATALOGUE, evaluate }).users.find((candidate) => candidate.userName === 'odd')?.status).toBe('unknown');
  });

  it('users in the report but no longer in the account are left out; the root row is read apart', () => {
    expect(snapshot.users.map((candidate) => candidate.userName).sort()).toEqual(['kept', 'new', 'odd', 'reused']);
    expect(snapshot.root).toEqual({ arn: `arn:aws:iam::${ACCOUNT}:root`, mfaActive: false, accessKeysActive: true, passwordLastUsedAt: undefined });
    const codes = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate }).findings.map((finding) => finding.code);
    expect(codes).toEqual(expect.arrayContaining(['root-without-mfa', 'root-access-keys']));
  });

  it('the AWS source asks live about a user whose row is of an earlier user of the same name', () => {
    const checks = planLiveChecks(
      DETAILS.users.map((identity) => ({ userName: identity.userName, arn: identity.arn, createdAt: identity.createdAt })),
      REPORT,
      { reportAgeHours: 0.5, reportMaxAgeHours: 1, needMfaKinds: false },
    );
    expect(checks).toContainEqual({ userName: 'reused', mfa: true, password: true, accessKeys: true });
    expect(checks.find((check) => check.userName === 'kept')).toBeUndefined();
  });
});
