/**
 * A user whose path imitates a credential-report row (commas are legal in IAM paths) must not lend a device to the
 * user it names: read from an export, with the path quoted as CSV quotes it and unquoted (forged).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshotFromDirectory } from '../../src/account/files/read-directory.js';
import { auditAccount } from '../../src/audit/audit.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { CATALOGUE, RECOMMENDED_DOCUMENT } from './builders.js';

const ACCOUNT = '111122223333';
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const AMY_CREATED = '2024-01-01T00:00:00+00:00';
const ZED_CREATED = '2024-06-01T00:00:00+00:00';
/** The values after the ARN, creation time first: password on, the given MFA, no keys. */
const values = (created: string, mfa: 'true' | 'false'): string =>
  `${created},true,N/A,N/A,N/A,${mfa},false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
/** zed's path holds amy's ARN tail and a whole row of values that claim an MFA device for her. */
const ZED_PATH = `/amy,${values(AMY_CREATED, 'true')},/`;
const arnOf = (path: string, name: string): string => `arn:aws:iam::${ACCOUNT}:user${path}${name}`;

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function exportWith(zedRow: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'force-mfa-forged-'));
  folders.push(folder);
  const user = (name: string, path: string, created: string) => ({
    UserName: name,
    Path: path,
    Arn: arnOf(path, name),
    UserId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
    CreateDate: created,
    GroupList: ['ForceMfaAccess'],
    UserPolicyList: [],
    AttachedManagedPolicies: [],
  });
  writeFileSync(
    join(folder, 'authorization-details.json'),
    JSON.stringify({
      UserDetailList: [user('amy', '/', AMY_CREATED), user('zed', ZED_PATH, ZED_CREATED)],
      GroupDetailList: [
        {
          GroupName: 'ForceMfaAccess',
          Path: '/',
          Arn: `arn:aws:iam::${ACCOUNT}:group/ForceMfaAccess`,
          GroupPolicyList: [{ PolicyName: 'ForceMfaAccess', PolicyDocument: RECOMMENDED_DOCUMENT }],
          AttachedManagedPolicies: [],
        },
      ],
      Policies: [],
    }),
  );
  // amy's own row says no device; zed's row comes after it (under the old parser, the last row of an ARN won).
  const csv = [HEADER, `amy,${arnOf('/', 'amy')},${values(AMY_CREATED, 'false')}`, zedRow].join('\n');
  writeFileSync(
    join(folder, 'credential-report.json'),
    JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2025-06-02T11:30:00Z' }),
  );
  return folder;
}

async function amyAndZed(folder: string) {
  const snapshot = await readSnapshotFromDirectory(folder, { now: new Date('2025-06-02T12:00:00Z') });
  const audit = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate });
  const find = (name: string) => ({
    user: snapshot.users.find((candidate) => candidate.userName === name),
    status: audit.users.find((candidate) => candidate.userName === name)?.status,
  });
  return { amy: find('amy'), zed: find('zed') };
}

describe('a credential report row forged through a path with commas', () => {
  it('quoted as CSV quotes it: the path stays inside the ARN, and amy keeps her own row (no device)', async () => {
    const { amy, zed } = await amyAndZed(exportWith(`zed,"${arnOf(ZED_PATH, 'zed')}",${values(ZED_CREATED, 'false')}`));
    expect(amy.user?.mfa).toEqual({ enrolled: false, devices: undefined, source: 'credential-report' });
    expect(amy.status).toBe('pending-enrollment');
    expect(zed.user?.mfa?.enrolled).toBe(false);
    expect(zed.user?.arn).toBe(arnOf(ZED_PATH, 'zed'));
  });

  it('unquoted (forged): the row does not fit the header, so neither amy nor zed is settled, and amy has no device', async () => {
    const { amy, zed } = await amyAndZed(exportWith(`zed,${arnOf(ZED_PATH, 'zed')},${values(ZED_CREATED, 'false')}`));
    expect(amy.user?.mfa).toBeUndefined();
    expect(amy.user?.gaps).toContainEqual({ fact: 'mfa', cause: 'unreadable', detail: 'credential report line 3: 43 values, the header has 22 columns' });
    expect(amy.status).toBe('unknown');
    expect(zed.user?.mfa).toBeUndefined();
    expect(zed.status).toBe('unknown');
  });
});
