// An `audit --from` export of one account: the guard group (with the given policy), an Admins group, one administrator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ACCOUNT = '111122223333';
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/**
 * Writes into `dir` the export of an account whose user `admin` (console password, one access key, no MFA) is in
 * the guard group ForceMfaAccess (inline policy `guard`) and in Admins (Allow * on *).
 */
export function writeGuardExport(dir: string, guard: unknown): void {
  mkdirSync(join(dir, 'mfa-devices'), { recursive: true });
  const created = '2025-01-06T09:00:00+00:00';
  const group = (name: string, document: unknown) => ({
    Path: '/',
    GroupName: name,
    GroupId: `AGPA${name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'X').slice(0, 17)}`,
    Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    CreateDate: created,
    GroupPolicyList: [{ PolicyName: name, PolicyDocument: document }],
    AttachedManagedPolicies: [],
  });
  const details = {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'admin',
        UserId: 'AIDAADMINQ7W3E5R2T8Y4',
        Arn: `arn:aws:iam::${ACCOUNT}:user/admin`,
        CreateDate: created,
        GroupList: ['ForceMfaAccess', 'Admins'],
        AttachedManagedPolicies: [],
        UserPolicyList: [],
        Tags: [],
      },
    ],
    GroupDetailList: [
      group('ForceMfaAccess', guard),
      group('Admins', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    ],
    RoleDetailList: [],
    Policies: [],
  };
  writeFileSync(join(dir, 'authorization-details.json'), JSON.stringify(details, null, 2));
  const row = `admin,arn:aws:iam::${ACCOUNT}:user/admin,${created},true,2025-06-01T08:00:00+00:00,${created},N/A,false,true,${created},2025-06-01T08:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  const report = `${HEADER}\n${row}\n`;
  writeFileSync(
    join(dir, 'credential-report.json'),
    JSON.stringify({ Content: Buffer.from(report).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2025-06-02T09:00:00+00:00' }),
  );
  writeFileSync(join(dir, 'mfa-devices', 'admin.json'), JSON.stringify({ MFADevices: [] }));
  writeFileSync(join(dir, 'account-aliases.json'), JSON.stringify({ AccountAliases: [] }));
}
