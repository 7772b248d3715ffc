/**
 * Writes the bundled sample account (authorization-details.json, credential-report.json, mfa-devices/*.json) in the
 * exact shapes the AWS CLI produces. Deterministic: run it again after changing the guard and commit the result.
 * From the repository root:
 *   npx esbuild examples/sample-account/generate.ts --bundle --platform=node --format=esm --outfile=/tmp/generate.mjs
 *   node /tmp/generate.mjs examples/sample-account
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXPORT_COMMANDS } from '../../src/account/files/layout.js';
import { buildGuard } from '../../src/policy/guard.js';
import { SEED_POLICY } from '../../src/policy/seed.js';

const ACCOUNT = '111122223333';
const REPORT_GENERATED = '2025-06-02T09:00:00+00:00';
const FOLDER = process.argv[2] ?? 'examples/sample-account';

type Kind = 'virtual' | 'fido' | 'hardware' | 'sms';
interface UserSpec {
  readonly name: string;
  readonly path?: string;
  readonly groups?: readonly string[];
  readonly managed?: readonly string[];
  readonly inline?: Readonly<Record<string, unknown>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly password?: boolean;
  readonly passwordLastUsed?: string;
  /** Devices; `reportOnly` leaves no mfa-devices file (the report says only "true"). */
  readonly mfa?: readonly Kind[];
  readonly reportOnly?: boolean;
  readonly keys?: readonly ('active' | 'inactive')[];
  /** Created after the credential report: not in it. */
  readonly afterReport?: boolean;
  readonly shows: string;
}

const AWS_POLICY = (name: string): string => `arn:aws:iam::aws:policy/${name}`;
const LOCAL_POLICY = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

const recommended = buildGuard().document;
const boolGuard = JSON.parse(JSON.stringify(SEED_POLICY).replace('"BoolIfExists"', '"Bool"')) as unknown;
/** A home-made guard that exempts S3 reads "so the billing export keeps working": it lets them through without MFA. */
const looseGuard = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyWithoutMfaExceptSetupAndReports',
      Effect: 'Deny',
      NotAction: ['iam:*', 's3:ListAllMyBuckets', 's3:GetObject', 's3:PutObject', 'sts:GetSessionToken'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ],
};

const GROUPS: Readonly<Record<string, { inline?: Record<string, unknown>; managed?: string[] }>> = {
  ForceMfaAccess: { inline: { ForceMfaAccess: recommended } },
  ForceMfaAccessSeed: { inline: { ForceMfaAccess: SEED_POLICY } },
  LegacyMfaGuard: { inline: { RequireMfaConsole: boolGuard } },
  BillingTeam: { inline: { BillingMfaGuard: looseGuard }, managed: [AWS_POLICY('job-function/Billing')] },
  Admins: { managed: [AWS_POLICY('AdministratorAccess')] },
  Developers: { managed: [LOCAL_POLICY('DeveloperAccess')] },
  ReadOnly: { managed: [AWS_POLICY('ReadOnlyAccess')] },
};

export const USERS: readonly UserSpec[] = [
  { name: 'alice', groups: ['ForceMfaAccess', 'ReadOnly'], password: true, mfa: ['virtual'], shows: 'protected: recommended guard, virtual device (info finding: virtual only)' },
  { name: 'bob', groups: ['ForceMfaAccess', 'Developers'], password: true, mfa: ['fido'], keys: ['active'], shows: 'protected: FIDO security key, access keys used through MFA sessions' },
  { name: 'carol', path: '/engineering/', groups: ['ForceMfaAccess', 'Developers'], password: true, mfa: ['hardware'], shows: 'protected: user with a path, hardware TOTP token' },
  { name: 'dave', groups: ['ForceMfaAccessSeed', 'ReadOnly'], password: true, mfa: ['virtual'], shows: 'protected: the seed guard (BoolIfExists) enforces MFA too' },
  { name: 'erin', groups: ['ForceMfaAccess', 'Admins'], password: true, mfa: ['fido', 'virtual'], shows: 'protected administrator: guard and AdministratorAccess, two devices' },
  { name: 'frank', path: '/ops/', groups: ['ForceMfaAccessSeed'], password: true, mfa: ['virtual'], reportOnly: true, shows: 'protected: seed guard, path user, MFA known from the report only' },
  { name: 'kim', groups: ['ForceMfaAccess', 'Developers'], password: true, mfa: ['virtual'], reportOnly: true, shows: 'protected: device kind unknown (no mfa-devices file)' },
  { name: 'liam', groups: ['ForceMfaAccess', 'ReadOnly'], password: true, mfa: ['hardware'], shows: 'protected' },
  { name: 'mia', groups: ['ForceMfaAccess'], password: true, mfa: ['fido'], shows: 'protected' },
  { name: 'noah', groups: ['ForceMfaAccess', 'BillingTeam'], password: true, mfa: ['virtual'], shows: 'protected: the recommended guard wins over a loose one in another group' },
  { name: 'grace', groups: ['ForceMfaAccess', 'ReadOnly'], password: true, shows: 'pending enrollment: new hire, must set up MFA at first sign-in' },
  { name: 'heidi', groups: ['ForceMfaAccess', 'Developers'], keys: ['active'], shows: 'pending enrollment: access keys but no password; someone must enroll a device for her' },
  { name: 'ivan', path: '/contractors/', groups: ['ForceMfaAccessSeed'], password: true, shows: 'pending enrollment under the seed guard; the seed allows enrollment only on `user/${aws:username}`, which a path user\'s ARN does not match' },
  { name: 'judy', groups: ['Admins'], password: true, mfa: ['virtual'], keys: ['active'], shows: 'enrolled, not enforced: administrator with a device but no guard (high finding)' },
  { name: 'mallory', groups: ['LegacyMfaGuard', 'Developers'], password: true, mfa: ['virtual'], keys: ['active'], shows: 'enrolled, not enforced: Bool guard denies console sessions only; access keys bypass it' },
  { name: 'niaj', groups: ['BillingTeam'], password: true, mfa: ['virtual'], shows: 'enrolled, not enforced: a home-made guard exempts S3 reads and writes' },
  { name: 'olivia', groups: ['Developers'], password: true, mfa: ['sms'], shows: 'enrolled, not enforced: legacy SMS MFA (warning finding)' },
  { name: 'peggy', groups: ['Admins'], password: true, passwordLastUsed: '2025-06-01T17:42:00+00:00', shows: 'unprotected administrator: password, no MFA, no guard (critical finding)' },
  { name: 'rupert', groups: ['ReadOnly'], password: true, shows: 'unprotected: console password, no MFA, no guard' },
  { name: 'sybil', groups: ['LegacyMfaGuard', 'ReadOnly'], password: true, shows: 'unprotected: the Bool guard covers her console but not access keys she may create' },
  { name: 'trent', password: true, keys: ['active', 'active'], inline: { ProjectBucket: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::project-data', 'arn:aws:s3:::project-data/*'] }] } }, shows: 'unprotected: password and two access keys, inline policy only' },
  { name: 'svc-ci-deploy', path: '/service/', groups: ['Developers'], keys: ['active'], shows: 'unprotected (access keys): a CI user with long-term keys' },
  { name: 'svc-backup', path: '/service/', keys: ['active', 'inactive'], inline: { BackupWriter: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::backups', 'arn:aws:s3:::backups/*'] }] } }, shows: 'unprotected (access keys): one active and one deactivated key' },
  { name: 'breakglass', groups: ['Admins'], password: true, tags: { 'force-mfa:exempt': 'true', purpose: 'emergency access' }, shows: 'exempt by tag; still listed as an administrator without MFA' },
  { name: 'svc-legacy-erp', path: '/service/', keys: ['active'], managed: [AWS_POLICY('ReadOnlyAccess')], tags: { 'force-mfa:exempt': 'True' }, shows: 'exempt by tag (value True)' },
  { name: 'victor', groups: ['ForceMfaAccess'], shows: 'no credentials: created, in the guard group, not yet given a password' },
  { name: 'wendy', keys: ['inactive'], shows: 'no credentials: only a deactivated key, no guard' },
  { name: 'xavier', groups: ['ForceMfaAccess'], password: true, afterReport: true, shows: 'unknown: created after the credential report, so password, keys and MFA are unknown' },
  { name: 'yara', groups: ['Developers'], keys: ['active'], afterReport: true, shows: 'unknown: created after the report, not enforced either' },
  { name: 'zoe', groups: ['ForceMfaAccess', 'ReadOnly'], password: true, mfa: ['virtual'], reportOnly: true, tags: { team: '<script>alert(1)</script>' }, shows: 'protected; a tag with markup (renderers must escape it)' },
];

const MANAGED: readonly { arn: string; name: string; document: unknown; versions?: number }[] = [
  { arn: AWS_POLICY('AdministratorAccess'), name: 'AdministratorAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
  {
    arn: AWS_POLICY('ReadOnlyAccess'),
    name: 'ReadOnlyAccess',
    // Abbreviated: the real AWS managed policy lists hundreds of read actions.
    document: { Version: '2012-10-17', Statement: [{ Sid: 'ReadOnlyAbbreviated', Effect: 'Allow', Action: ['ec2:Describe*', 's3:Get*', 's3:List*', 'iam:Get*', 'iam:List*', 'lambda:Get*', 'lambda:List*'], Resource: '*' }] },
  },
  {
    arn: AWS_POLICY('job-function/Billing'),
    name: 'Billing',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['aws-portal:*', 'budgets:*', 'ce:*', 'cur:*'], Resource: '*' }] },
  },
  {
    arn: LOCAL_POLICY('DeveloperAccess'),
    name: 'DeveloperAccess',
    versions: 2,
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Build', Effect: 'Allow', Action: ['s3:*', 'lambda:*', 'ec2:Describe*', 'logs:*', 'sts:AssumeRole'], Resource: '*' },
        { Sid: 'NoIam', Effect: 'Deny', Action: ['iam:Create*', 'iam:Attach*', 'iam:Put*'], Resource: '*' },
      ],
    },
  },
];

const created = (index: number): string => new Date(Date.UTC(2024, 0, 8 + index * 3, 9, 0, 0)).toISOString().replace('.000Z', '+00:00');
const id = (prefix: string, text: string): string => (prefix + text.toUpperCase().replace(/[^A-Z0-9]/g, '') + 'Q7W3E5R2T8Y4U6').slice(0, 21);

function serial(user: UserSpec, kind: Kind, index: number): string {
  switch (kind) {
    case 'virtual':
      return `arn:aws:iam::${ACCOUNT}:mfa/${user.name}-phone${index === 0 ? '' : `-${index}`}`;
    case 'fido':
      return `arn:aws:iam::${ACCOUNT}:u2f/user/${user.name}/yubikey-${'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.slice(index, index + 26)}`;
    case 'hardware':
      return `GAHT${String(61_000_000 + user.name.length * 1001 + index).padStart(8, '0')}`;
    case 'sms':
      return `arn:aws:iam::${ACCOUNT}:sms-mfa/${user.name}`;
  }
}

function authorizationDetails(): unknown {
  const byGroupName = Object.entries(GROUPS);
  return {
    UserDetailList: USERS.map((user, index) => ({
      Path: user.path ?? '/',
      UserName: user.name,
      UserId: id('AIDA', user.name),
      Arn: `arn:aws:iam::${ACCOUNT}:user${user.path ?? '/'}${user.name}`,
      CreateDate: user.afterReport === true ? '2025-06-02T11:30:00+00:00' : created(index),
      ...(user.inline === undefined ? {} : { UserPolicyList: Object.entries(user.inline).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })) }),
      GroupList: [...(user.groups ?? [])],
      AttachedManagedPolicies: (user.managed ?? []).map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
      ...(user.tags === undefined ? {} : { Tags: Object.entries(user.tags).map(([Key, Value]) => ({ Key, Value })) }),
    })),
    GroupDetailList: byGroupName.map(([name, group], index) => ({
      Path: '/',
      GroupName: name,
      GroupId: id('AGPA', name),
      Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
      CreateDate: created(index),
      GroupPolicyList: Object.entries(group.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
      AttachedManagedPolicies: (group.managed ?? []).map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
    })),
    RoleDetailList: [],
    Policies: MANAGED.map((policy, index) => {
      const versions = policy.versions ?? 1;
      return {
        PolicyName: policy.name,
        PolicyId: id('ANPA', policy.name),
        Arn: policy.arn,
        Path: policy.arn.includes(':aws:policy/job-function/') ? '/job-function/' : '/',
        DefaultVersionId: `v${versions}`,
        AttachmentCount: 1,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        CreateDate: created(index),
        UpdateDate: created(index + 1),
        PolicyVersionList: Array.from({ length: versions }, (_, version) => ({
          // Older versions are kept by IAM; only the default one counts.
          Document: version + 1 === versions ? policy.document : { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
          VersionId: `v${version + 1}`,
          IsDefaultVersion: version + 1 === versions,
          CreateDate: created(index + version),
        })),
      };
    }),
  };
}

const REPORT_COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function credentialReport(): unknown {
  const rows = [REPORT_COLUMNS];
  rows.push(
    `<root_account>,arn:aws:iam::${ACCOUNT}:root,2019-03-14T08:00:00+00:00,not_supported,2025-05-20T07:15:00+00:00,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  );
  USERS.forEach((user, index) => {
    if (user.afterReport === true) return;
    const since = created(index);
    const password = user.password === true;
    const key = (slot: number): string[] => {
      const state = user.keys?.[slot];
      if (state === undefined) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
      const used = state === 'active' ? ['2025-06-01T22:10:00+00:00', 'us-east-1', 's3'] : ['N/A', 'N/A', 'N/A'];
      return [state === 'active' ? 'true' : 'false', since, ...used];
    };
    rows.push(
      [
        user.name,
        `arn:aws:iam::${ACCOUNT}:user${user.path ?? '/'}${user.name}`,
        since,
        String(password),
        password ? (user.passwordLastUsed ?? (user.mfa === undefined ? 'no_information' : '2025-05-30T08:45:00+00:00')) : 'N/A',
        password ? since : 'N/A',
        'N/A',
        String((user.mfa ?? []).length > 0),
        ...key(0),
        ...key(1),
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  });
  return {
    Content: Buffer.from(`${rows.join('\n')}\n`, 'utf8').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: REPORT_GENERATED,
  };
}

function mfaDeviceFiles(): Map<string, unknown> {
  const files = new Map<string, unknown>();
  for (const user of USERS) {
    if (user.afterReport === true || user.reportOnly === true || user.mfa === undefined) continue;
    files.set(user.name, {
      MFADevices: user.mfa.map((kind, index) => ({ UserName: user.name, SerialNumber: serial(user, kind, index), EnableDate: '2025-02-03T10:00:00+00:00' })),
    });
  }
  return files;
}

function readme(): string {
  const rows = USERS.map((user) => {
    const groups = [...(user.groups ?? []), ...(user.managed ?? []).map((arn) => `(${arn.split('/').pop() ?? arn})`)].join(', ');
    return `| \`${user.name}\` | \`${user.path ?? '/'}\` | ${groups === '' ? '—' : groups} | ${user.shows} |`;
  });
  return `<!-- Written by generate.ts: edit the generator, not this file. -->
# The sample account

A fictional AWS account (\`${ACCOUNT}\`, alias \`example-corp\`) with ${USERS.length} IAM users that together show every
status of \`force-mfa audit\` and the account findings. It is bundled with the package, so it works on a fresh
clone with no AWS credentials:

\`\`\`sh
force-mfa audit --sample                                   # table on the terminal
force-mfa audit --sample --format html --output audit.html # open audit.html in a browser
force-mfa audit --sample --format json --lang ja           # JSON, messages in Japanese
force-mfa audit --from examples/sample-account             # the same, as files
\`\`\`

## Files (the exact shapes the AWS CLI writes)

Audit your own account offline by exporting the same files into a folder and running \`force-mfa audit --from DIR\`:

\`\`\`sh
${EXPORT_COMMANDS.join('\n')}
\`\`\`

- \`authorization-details.json\`: users (with paths, groups, inline and attached policies, tags), groups and managed
  policies with their versions. The CLI prints policy documents decoded; the API's URL-encoded form is accepted too.
  The output records no time, so the audit shows its age as unknown (never the file's modification time).
- \`credential-report.json\`: the credential report, base64 CSV in \`Content\`, with \`GeneratedTime\`: the audit
  takes the report's age from it. A folder without the report is refused (exit 2, with the commands above) unless
  \`--no-credential-report\` says it is left out on purpose; users whose state needs it are then \`unknown\`, each with
  the commands that write it, and a finding says the report was left out.
- \`mfa-devices/USER.json\` (optional): one \`list-mfa-devices\` output per user. It settles the user's MFA over the
  report and gives the device kinds (virtual, hardware TOTP, FIDO, SMS). Its age is unknown too.
- \`account-aliases.json\` (optional): for the sign-in URL.
- \`cloudtrail-console-logins.json\` (optional): \`ConsoleLogin\` events from CloudTrail's event history, read only with
  \`--evidence-days N\` (N days back from the credential report's time). \`lookup-events\` reads one region: sign-ins are
  recorded in us-east-1 (root, and the global sign-in endpoint), in us-east-2, eu-north-1 or ap-southeast-2 (the
  global endpoint with an account alias cookie), or in the region of a Regional sign-in endpoint; export the others
  with \`--region REGION\` to \`cloudtrail-console-logins.REGION.json\`. Without the file, \`--evidence-days\` reports the
  evidence as unknown, never as "no sign-ins".
- \`virtual-mfa-devices-unassigned.json\` (optional): the virtual MFA devices assigned to no one, which abandoned
  enrollments leave. Without it, whether there are any is reported unknown.

The report was generated on ${REPORT_GENERATED.slice(0, 10)}, so every audit of the sample also shows the
"stale credential report" finding. AWS managed policies are abbreviated (the real ReadOnlyAccess lists hundreds of
actions). Regenerate the files after changing the guard: see the top of \`generate.ts\`.

## Groups

| group | policies | role in the sample |
|---|---|---|
| \`ForceMfaAccess\` | inline, the recommended guard (\`force-mfa template\`) | enforces MFA in the console and for access keys |
| \`ForceMfaAccessSeed\` | inline, the 2022 seed policy | enforces MFA too (BoolIfExists); path users cannot enroll under it |
| \`LegacyMfaGuard\` | inline, the seed with \`Bool\` instead of \`BoolIfExists\` | denies console sessions without MFA only: access keys bypass it |
| \`BillingTeam\` | inline home-made guard exempting S3 and \`iam:*\`, AWS Billing | a guard that lets too much through |
| \`Admins\` | AdministratorAccess | administrators |
| \`Developers\` | customer managed DeveloperAccess (default version v2 of 2) | |
| \`ReadOnly\` | ReadOnlyAccess | |

## Users

| user | path | groups (policies) | what it shows |
|---|---|---|---|
${rows.join('\n')}

Account findings: the root user has no MFA (critical); \`breakglass\` and \`peggy\` are administrators without MFA
(critical); \`judy\` is an administrator with a device on whom MFA is not enforced (high); users with only virtual
devices (info); \`olivia\`'s legacy SMS device (warning); \`dave\`'s seed guard lets \`iam:GetUser\` and
\`iam:ListMFADevices\` reach other users without MFA (info); \`quinn-phone\`, a virtual device left unassigned by an
abandoned enrollment (warning); the credential report's age (warning).

CloudTrail evidence (\`force-mfa audit --sample --evidence-days 30\`): \`peggy\` (twice, last on 2025-06-01) and
\`rupert\` (on 2025-05-30; his sign-in of 2025-04-18 is older than 30 days) signed in without MFA, and the finding names
them; \`alice\` signed in with MFA; \`trent\`'s failed sign-in is not counted.

## 日本語

架空の AWS アカウント (\`${ACCOUNT}\`) です。${USERS.length} 人の IAM ユーザーで \`force-mfa audit\` のすべての状態
(保護済み、登録待ち、登録済み・強制なし、未保護、未保護 (アクセスキー)、認証情報なし、適用除外、不明) と
アカウントの指摘事項を示します。AWS の認証情報なしで \`force-mfa audit --sample --lang ja\` を実行できます。
自分のアカウントをオフラインで監査するには、上の AWS CLI コマンドでファイルをフォルダーに書き出し、
\`force-mfa audit --from フォルダー --lang ja\` を実行してください。\`LegacyMfaGuard\` グループは条件が
\`BoolIfExists\` ではなく \`Bool\` のため、アクセスキーでのリクエストを拒否できない例です。
データの経過時間は認証情報レポートの \`GeneratedTime\` から求め、ファイルの更新日時は使いません (認可の詳細と
\`list-mfa-devices\` の出力には時刻がないため「不明」と表示します)。認証情報レポートのないフォルダーは終了コード 2 で
拒否します。意図的に省く場合は \`--no-credential-report\` を指定してください (そのレポートが必要なユーザーは不明になります)。
`;
}

/** ConsoleLogin events as `aws cloudtrail lookup-events` prints them, newest first: what `audit --evidence-days` reads. */
export const SIGN_INS: readonly { readonly user: string; readonly at: string; readonly mfa: 'Yes' | 'No'; readonly outcome: 'Success' | 'Failure'; readonly ip: string }[] = [
  { user: 'peggy', at: '2025-06-01T17:42:10Z', mfa: 'No', outcome: 'Success', ip: '203.0.113.24' },
  { user: 'rupert', at: '2025-05-30T08:12:45Z', mfa: 'No', outcome: 'Success', ip: '198.51.100.77' },
  { user: 'alice', at: '2025-05-29T07:55:01Z', mfa: 'Yes', outcome: 'Success', ip: '192.0.2.10' },
  { user: 'trent', at: '2025-05-28T22:03:19Z', mfa: 'No', outcome: 'Failure', ip: '203.0.113.200' },
  { user: 'peggy', at: '2025-05-20T09:30:00Z', mfa: 'No', outcome: 'Success', ip: '203.0.113.24' },
  { user: 'rupert', at: '2025-04-18T16:20:00Z', mfa: 'No', outcome: 'Success', ip: '198.51.100.77' },
];

function consoleLogins(): unknown {
  return {
    Events: SIGN_INS.map((signIn, index) => {
      const user = USERS.find((candidate) => candidate.name === signIn.user);
      if (user === undefined) throw new Error(`no sample user ${signIn.user}`);
      const eventId = `0b7c${String(index).padStart(4, '0')}-5e1a-4c2f-9d3b-${signIn.at.replace(/\D/g, '').slice(0, 12)}`;
      const event = {
        eventVersion: '1.09',
        userIdentity: {
          type: 'IAMUser',
          principalId: id('AIDA', user.name),
          arn: `arn:aws:iam::${ACCOUNT}:user${user.path ?? '/'}${user.name}`,
          accountId: ACCOUNT,
          userName: user.name,
        },
        eventTime: signIn.at,
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        awsRegion: 'us-east-1',
        sourceIPAddress: signIn.ip,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
        ...(signIn.outcome === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
        requestParameters: null,
        responseElements: { ConsoleLogin: signIn.outcome },
        additionalEventData: {
          LoginTo: 'https://console.aws.amazon.com/console/home',
          MobileVersion: 'No',
          MFAUsed: signIn.mfa,
          ...(signIn.mfa === 'Yes' ? { MfaType: 'Virtual MFA' } : {}),
        },
        eventID: eventId,
        readOnly: false,
        eventType: 'AwsConsoleSignIn',
        managementEvent: true,
        recipientAccountId: ACCOUNT,
        eventCategory: 'Management',
      };
      return {
        EventId: eventId,
        EventName: 'ConsoleLogin',
        ReadOnly: 'false',
        EventTime: signIn.at.replace('Z', '+00:00'),
        EventSource: 'signin.amazonaws.com',
        Username: user.name,
        Resources: [],
        CloudTrailEvent: JSON.stringify(event),
      };
    }),
  };
}

/** Every file of the sample, by path relative to its folder, as the generator writes it. */
export function sampleFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const json = (value: unknown): string => `${JSON.stringify(value, null, 4)}\n`;
  files.set('authorization-details.json', json(authorizationDetails()));
  files.set('credential-report.json', json(credentialReport()));
  for (const [user, devices] of mfaDeviceFiles()) files.set(`mfa-devices/${user}.json`, json(devices));
  files.set('account-aliases.json', json({ AccountAliases: ['example-corp'] }));
  files.set('cloudtrail-console-logins.json', json(consoleLogins()));
  files.set('virtual-mfa-devices-unassigned.json', json({ VirtualMFADevices: [{ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/quinn-phone` }] }));
  files.set('README.md', readme());
  return files;
}

function writeSample(folder: string): void {
  rmSync(join(folder, 'mfa-devices'), { recursive: true, force: true });
  for (const [path, content] of sampleFiles()) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  process.stdout.write(`wrote the sample account (${USERS.length} users) to ${folder}\n`);
}

// Runs only as a script, so tests can import sampleFiles() to check the committed sample is current.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) writeSample(FOLDER);
