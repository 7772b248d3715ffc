// Hand-edited or truncated exports are input errors (exit 2) in one line, never internal errors.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAuthorizationDetails, type AuthorizationDetailsPage } from '../../src/account/authorization-details.js';
import { readSnapshotFromDirectory } from '../../src/account/files/read-directory.js';
import { isForceMfaError } from '../../src/errors.js';
import { codedFailure } from '../support/failure.js';

const user = { UserName: 'alice', Arn: 'arn:aws:iam::111122223333:user/alice', Path: '/', GroupList: ['ForceMfaAccess'] };

describe('readAuthorizationDetails on malformed exports', () => {
  it.each<[string, unknown]>([
    ['UserDetailList is an object', { UserDetailList: { alice: user } }],
    ['a user entry is null', { UserDetailList: [null] }],
    ['GroupList is a number', { UserDetailList: [{ ...user, GroupList: 5 }] }],
    ['GroupList is a string', { UserDetailList: [{ ...user, GroupList: 'ForceMfaAccess' }] }],
    ['Tags is an object', { UserDetailList: [{ ...user, Tags: { Team: 'ops' } }] }],
    ['GroupPolicyList is a string', { GroupDetailList: [{ GroupName: 'ForceMfaAccess', GroupPolicyList: 'x' }] }],
    ['AttachedManagedPolicies is an object', { GroupDetailList: [{ GroupName: 'G', AttachedManagedPolicies: {} }] }],
    ['PolicyVersionList is a number', { Policies: [{ Arn: 'arn:aws:iam::aws:policy/X', PolicyVersionList: 1 }] }],
  ])('refuses an export where %s', (_label, page) => {
    expect(codedFailure(() => readAuthorizationDetails([page as AuthorizationDetailsPage]))).toMatchObject({
      kind: 'input',
      code: 'authorization-details-shape',
      message: expect.stringMatching(/^the authorization details are malformed \(.+\): export them again/),
    });
  });

  it('still reads absent lists as empty', () => {
    const details = readAuthorizationDetails([{ UserDetailList: [{ UserName: 'bob' }] }]);
    expect(details.users.map((entry) => [entry.userName, entry.groupNames, entry.tags])).toEqual([['bob', [], {}]]);
  });
});

describe('the files source on a malformed MFA device file', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('refuses device entries that are not objects', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'force-mfa-garbled-'));
    folders.push(folder);
    cpSync(join(import.meta.dirname, '../../examples/sample-account'), folder, { recursive: true });
    writeFileSync(join(folder, 'mfa-devices', 'alice.json'), '{"MFADevices":[null, 5]}');
    const error = await readSnapshotFromDirectory(folder).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isForceMfaError(error) && error.kind === 'input' ? error.code : error).toBe('mfa-devices-shape');
  });
});
