import { describe, expect, it } from 'vitest';
import { decodePolicyDocument, readAuthorizationDetails } from '../../src/account/authorization-details.js';
import { parseCredentialReport, parseCsv } from '../../src/account/credential-report.js';
import { mfaDeviceKind } from '../../src/account/mfa-kind.js';

describe('mfaDeviceKind', () => {
  it.each([
    ['arn:aws:iam::123456789012:mfa/alice-phone', 'virtual'],
    ['arn:aws:iam::123456789012:mfa/team/alice', 'virtual'],
    ['arn:aws-cn:iam::123456789012:mfa/alice', 'virtual'],
    ['arn:aws:iam::123456789012:u2f/user/alice/yubikey-ABCDEF', 'fido'],
    ['arn:aws:iam::123456789012:sms-mfa/alice', 'sms'],
    ['GAHT12345678', 'hardware'],
    ['arn:aws:iam::123456789012:something/alice', 'unknown'],
    ['', 'unknown'],
  ])('%s is %s', (serial, kind) => {
    expect(mfaDeviceKind(serial)).toBe(kind);
  });
});

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

describe('parseCredentialReport', () => {
  const csv = [
    HEADER,
    '<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,2025-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    '"a,b","arn:aws:iam::123456789012:user/dev/a,b",2024-01-01T00:00:00+00:00,true,no_information,2024-01-01T00:00:00+00:00,N/A,false,true,2024-02-01T00:00:00+00:00,2025-05-01T10:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  ].join('\r\n');

  it('keeps "no data" apart from false and reads quoted names (IAM names may contain commas)', () => {
    const report = parseCredentialReport(`${csv}\r\n`, '2025-06-01T00:00:00.000Z');
    expect(report.generatedAt).toBe('2025-06-01T00:00:00.000Z');
    const [root, user] = report.rows;
    expect(root).toMatchObject({ user: '<root_account>', passwordEnabled: undefined, mfaActive: true });
    expect(user).toMatchObject({ user: 'a,b', arn: 'arn:aws:iam::123456789012:user/dev/a,b', passwordEnabled: true, passwordLastUsedAt: undefined, mfaActive: false });
    expect(user?.accessKeys[0]).toEqual({ active: true, lastRotatedAt: '2024-02-01T00:00:00.000Z', lastUsedAt: '2025-05-01T10:00:00.000Z' });
    expect(user?.accessKeys[1]).toEqual({ active: false, lastRotatedAt: undefined, lastUsedAt: undefined });
  });

  it('refuses a CSV that is not a credential report', () => {
    expect(() => parseCredentialReport('name,value\nx,1\n', undefined)).toThrow(/lacks the column/);
  });

  const body = (created: string, mfa: string) => `${created},true,N/A,N/A,N/A,${mfa},false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  const valid = `bob,arn:aws:iam::123456789012:user/bob,${body('2024-01-01T00:00:00+00:00', 'false')}`;

  it.each([
    ['one value too many', `${valid},extra`, /23 values, the header has 22/],
    ['one value too few', valid.replace(/,N\/A$/, ''), /21 values/],
    ['a creation time that is not a time', valid.replace('2024-01-01T00:00:00+00:00', 'N/A'), /user_creation_time "N\/A" is not a time/],
    ['an MFA value that is not a boolean', valid.replace(',false,false,', ',yes,false,'), /mfa_active "yes"/],
    ['an ARN that is not the named user\'s', valid.replace('user/bob', 'user/alice'), /not the ARN of a user named "bob"/],
    ['a quote left open on its line', valid.replace('bob,', '"bob,'), /not CSV|a quoted value/],
  ])('rejects a row with %s, and keeps the other rows', (_case, line, reason) => {
    const report = parseCredentialReport([HEADER, line, csv.split('\r\n')[1]].join('\n'), undefined);
    expect(report.rows.map((row) => row.user)).toEqual(['<root_account>']);
    expect(report.rejected).toEqual([{ line: 2, reason: expect.stringMatching(reason) as string, text: line }]);
  });

  it('rejects every row of an ARN that has two', () => {
    const report = parseCredentialReport([HEADER, valid, valid.replace('false,false,N/A', 'true,false,N/A')].join('\n'), undefined);
    expect(report.rows).toEqual([]);
    expect(report.rejected.map((line) => [line.line, line.reason])).toEqual([
      [2, 'two or more rows for arn:aws:iam::123456789012:user/bob'],
      [3, 'two or more rows for arn:aws:iam::123456789012:user/bob'],
    ]);
  });

  it('a quote opened in one row never swallows the rows after it; a bare quote inside a value is not CSV', () => {
    const opener = `mallory,"arn:aws:iam::123456789012:user/x/mallory,${body('2024-01-01T00:00:00+00:00', 'true')}`;
    const report = parseCredentialReport([HEADER, opener, valid, `eve,arn:aws:iam::123456789012:user/a"/eve,${body('2024-01-01T00:00:00+00:00', 'false')}`].join('\n'), undefined);
    expect(report.rows.map((row) => row.user)).toEqual(['bob']);
    expect(report.rows.find((row) => row.user === 'bob')?.mfaActive).toBe(false);
    expect(report.rejected.map((line) => line.line)).toEqual([2, 4]);
  });

  it('parses RFC 4180 quoting', () => {
    expect(parseCsv('a,"b ""q"", c","line\nbreak"\nx,,y')).toEqual([
      ['a', 'b "q", c', 'line\nbreak'],
      ['x', '', 'y'],
    ]);
  });
});

const DOCUMENT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

describe('readAuthorizationDetails', () => {
  it('decodes URL-encoded documents (API) and accepts decoded objects (CLI)', () => {
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(DOCUMENT)))).toEqual(DOCUMENT);
    expect(decodePolicyDocument(DOCUMENT)).toEqual(DOCUMENT);
    expect(decodePolicyDocument(JSON.stringify({ ...DOCUMENT, Id: '100%' }))).toEqual({ ...DOCUMENT, Id: '100%' });
    expect(decodePolicyDocument('%7Bbroken')).toBeUndefined();
    expect(decodePolicyDocument(undefined)).toBeUndefined();
  });

  it('merges pages, takes the default version, and records what it could not decode', () => {
    const details = readAuthorizationDetails([
      {
        UserDetailList: [
          {
            UserName: 'alice',
            Path: '/dev/',
            Arn: 'arn:aws:iam::123456789012:user/dev/alice',
            UserId: 'AIDAALICE',
            CreateDate: new Date('2024-01-01T00:00:00Z'),
            GroupList: ['G'],
            UserPolicyList: [{ PolicyName: 'bad', PolicyDocument: '%7B%22oops' }],
            Tags: [{ Key: 'force-mfa:exempt', Value: 'true' }],
          },
        ],
      },
      {
        GroupDetailList: [{ GroupName: 'G', Arn: 'arn:aws:iam::123456789012:group/G', GroupPolicyList: [{ PolicyName: 'p', PolicyDocument: encodeURIComponent(JSON.stringify(DOCUMENT)) }] }],
        Policies: [
          {
            Arn: 'arn:aws:iam::123456789012:policy/M',
            PolicyName: 'M',
            DefaultVersionId: 'v2',
            PolicyVersionList: [
              { VersionId: 'v1', IsDefaultVersion: false, Document: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}') },
              { VersionId: 'v2', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify(DOCUMENT)) },
            ],
          },
        ],
      },
    ]);
    expect(details.users[0]).toMatchObject({ userName: 'alice', path: '/dev/', createdAt: '2024-01-01T00:00:00.000Z', tags: { 'force-mfa:exempt': 'true' } });
    expect(details.users[0]?.inlinePolicies[0]?.document).toBeUndefined();
    expect(details.groups[0]?.inlinePolicies[0]?.document).toEqual(DOCUMENT);
    expect(details.managedPolicies[0]).toMatchObject({ defaultVersionId: 'v2', document: DOCUMENT });
    expect(details.gaps).toEqual([{ fact: 'policies', cause: 'unreadable', detail: 'user alice inline bad' }]);
  });
});
