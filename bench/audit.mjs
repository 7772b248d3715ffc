// Audit benchmark: an audit from files of a generated 10,000-user account (time, peak memory), and how many AWS calls
// a live audit of N users makes (pages, not one call per user, apart from the bounded live MFA check).
// Run after `npm run build`: node bench/audit.mjs [users]
// First: silences the AWS SDK's Node version warning before anything loads the SDK (src/aws/node-version-warning.ts).
import '../dist/aws/node-version-warning.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const ACCOUNT = '123456789012';
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** A deterministic account: most users in the guard group, the rest spread over admins, developers and readers. */
async function generateAccount(count) {
  const { buildGuard } = await load('policy/guard.js');
  const guard = buildGuard().document;
  const groups = {
    ForceMfaAccess: { GroupPolicyList: [{ PolicyName: 'ForceMfaAccess', PolicyDocument: guard }], AttachedManagedPolicies: [] },
    Admins: { GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
    Developers: { GroupPolicyList: [{ PolicyName: 'Dev', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'lambda:*', 'ec2:Describe*'], Resource: '*' }] } }], AttachedManagedPolicies: [] },
    ReadOnly: { GroupPolicyList: [{ PolicyName: 'Read', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'ec2:Describe*'], Resource: '*' }] } }], AttachedManagedPolicies: [] },
  };
  const memberships = [['ForceMfaAccess', 'Developers'], ['ForceMfaAccess', 'ReadOnly'], ['ForceMfaAccess'], ['Developers'], ['ReadOnly'], ['Admins'], ['ForceMfaAccess', 'Admins']];
  const users = [];
  const rows = [HEADER, `<root_account>,arn:aws:iam::${ACCOUNT}:root,2019-01-01T00:00:00+00:00,not_supported,2025-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`];
  for (let index = 0; index < count; index++) {
    const name = `user${String(index).padStart(5, '0')}`;
    const path = index % 10 === 0 ? '/team/' : '/';
    const arn = `arn:aws:iam::${ACCOUNT}:user${path}${name}`;
    // One user in twenty has an inline policy of their own: a distinct policy set to evaluate.
    const inline = index % 20 === 0 ? [{ PolicyName: 'Own', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${index}/*` }] } }] : [];
    users.push({ Path: path, UserName: name, UserId: `AIDA${String(index).padStart(17, '0')}`, Arn: arn, CreateDate: '2024-01-01T00:00:00+00:00', UserPolicyList: inline, GroupList: memberships[index % memberships.length], AttachedManagedPolicies: [], Tags: [] });
    const password = index % 4 !== 3;
    const keys = index % 3 === 0;
    rows.push(`${name},${arn},2024-01-01T00:00:00+00:00,${password},${password ? '2025-05-01T00:00:00+00:00' : 'N/A'},N/A,N/A,${index % 5 !== 0},${keys},${keys ? '2024-02-01T00:00:00+00:00,2025-05-01T00:00:00+00:00,us-east-1,s3' : 'N/A,N/A,N/A,N/A'},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`);
  }
  const details = {
    UserDetailList: users,
    GroupDetailList: Object.entries(groups).map(([GroupName, group]) => ({ Path: '/', GroupName, GroupId: `AGPA${GroupName}`, Arn: `arn:aws:iam::${ACCOUNT}:group/${GroupName}`, CreateDate: '2024-01-01T00:00:00+00:00', ...group })),
    RoleDetailList: [],
    Policies: [
      {
        PolicyName: 'AdministratorAccess',
        Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        DefaultVersionId: 'v1',
        PolicyVersionList: [{ Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, VersionId: 'v1', IsDefaultVersion: true }],
      },
    ],
  };
  const report = { Content: Buffer.from(`${rows.join('\n')}\n`).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: new Date().toISOString() };
  return { details, report, rows };
}

/** The child process: audit one folder and print its own figures (so generation does not count in the peak). */
async function auditChild(folder) {
  const [{ readSnapshotFromDirectory }, { auditAccount }, { evaluate }, { loadCatalogue }, { renderAuditJson }, { auditMessages }] = await Promise.all([
    load('account/files/read-directory.js'),
    load('audit/audit.js'),
    load('engine/evaluate.js'),
    load('engine/catalogue.js'),
    load('render/audit-json.js'),
    load('audit/messages/index.js'),
  ]);
  let heapPeak = process.memoryUsage().heapUsed;
  const sample = () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed));
  const start = performance.now();
  const snapshot = await readSnapshotFromDirectory(folder);
  sample();
  // The CLI loads the catalogue for the whole-catalogue check: it counts in the total.
  const catalogue = await loadCatalogue();
  sample();
  const read = performance.now();
  const report = auditAccount(snapshot, { evaluate, catalogue });
  sample();
  const audited = performance.now();
  const json = renderAuditJson(report, auditMessages('en'));
  sample();
  const end = performance.now();
  process.stdout.write(
    JSON.stringify({
      users: report.users.length,
      readMs: read - start,
      auditMs: audited - read,
      renderMs: end - audited,
      totalMs: end - start,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      heapPeakMb: heapPeak / 1048576,
      jsonMb: json.length / 1048576,
      byStatus: report.summary.byStatus,
    }),
  );
}

/** A fake IAM client that counts calls; pages of 100 items like IAM's default MaxItems. */
function countingClient(generated, reportAgeHours) {
  const calls = {};
  const users = generated.details.UserDetailList;
  const items = [...users.map((user) => ({ user })), ...generated.details.GroupDetailList.map((group) => ({ group }))];
  const generatedTime = new Date(Date.now() - reportAgeHours * 3_600_000);
  const enrolled = new Set(generated.rows.slice(2).filter((row) => row.split(',')[7] === 'true').map((row) => row.split(',')[0]));
  const holders = users.filter((user) => enrolled.has(user.UserName));
  const serialOf = (user) => `arn:aws:iam::${ACCOUNT}:mfa/${user.UserName}`;
  return {
    calls,
    async send(command) {
      const name = command.constructor.name.replace(/Command$/, '');
      calls[name] = (calls[name] ?? 0) + 1;
      const input = command.input ?? {};
      switch (name) {
        case 'GetAccountAuthorizationDetails': {
          const start = Number(input.Marker ?? 0);
          const page = items.slice(start, start + 100);
          const more = start + 100 < items.length;
          return {
            UserDetailList: page.filter((item) => item.user).map((item) => item.user),
            GroupDetailList: page.filter((item) => item.group).map((item) => item.group),
            Policies: start === 0 ? generated.details.Policies : [],
            IsTruncated: more,
            Marker: more ? String(start + 100) : undefined,
          };
        }
        case 'GenerateCredentialReport':
          return { State: 'COMPLETE' };
        case 'GetCredentialReport':
          return { Content: Buffer.from(generated.report.Content, 'base64'), GeneratedTime: generatedTime };
        case 'ListMFADevices': {
          // The same state as the report: users it marks with MFA hold one virtual device.
          const user = users.find((entry) => entry.UserName === input.UserName);
          return { MFADevices: user !== undefined && enrolled.has(user.UserName) ? [{ UserName: user.UserName, SerialNumber: serialOf(user), EnableDate: new Date('2024-02-01T00:00:00Z') }] : [], IsTruncated: false };
        }
        case 'ListVirtualMFADevices': {
          if (input.AssignmentStatus === 'Unassigned') return { VirtualMFADevices: [], IsTruncated: false };
          const start = Number(input.Marker ?? 0);
          const size = input.MaxItems ?? 100;
          const page = holders.slice(start, start + size);
          const more = start + size < holders.length;
          return {
            VirtualMFADevices: page.map((user) => ({ SerialNumber: serialOf(user), User: { UserName: user.UserName, UserId: user.UserId, Arn: user.Arn } })),
            IsTruncated: more,
            Marker: more ? String(start + size) : undefined,
          };
        }
        case 'ListAccountAliases':
          return { AccountAliases: [] };
        default:
          return {};
      }
    },
  };
}

async function main() {
  if (process.argv[2] === '--child') return auditChild(process.argv[3]);
  const count = Number(process.argv[2] ?? 10_000);
  const folder = mkdtempSync(join(tmpdir(), 'force-mfa-bench-'));
  try {
    const generated = await generateAccount(count);
    writeFileSync(join(folder, 'authorization-details.json'), JSON.stringify(generated.details, null, 4));
    writeFileSync(join(folder, 'credential-report.json'), JSON.stringify(generated.report, null, 4));
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', folder], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`audit child failed: ${child.stderr}`);
    const figures = JSON.parse(child.stdout);
    console.log(`audit from files: ${figures.users} users`);
    console.log(`  read files      ${figures.readMs.toFixed(0)} ms (with the action catalogue)`);
    console.log(`  classify        ${figures.auditMs.toFixed(0)} ms`);
    console.log(`  render JSON     ${figures.renderMs.toFixed(0)} ms (${figures.jsonMb.toFixed(1)} MB)`);
    console.log(`  total           ${figures.totalMs.toFixed(0)} ms (target < 3000 ms)`);
    console.log(`  peak RSS        ${figures.maxRssMb.toFixed(0)} MB (target < 300 MB)`);
    console.log(`  peak heap used  ${figures.heapPeakMb.toFixed(0)} MB`);
    console.log(`  statuses        ${Object.entries(figures.byStatus).map(([status, n]) => `${status} ${n}`).join(', ')}`);

    const [{ collectAccountSnapshot }, { auditAccount }, { evaluate }, { loadCatalogue }] = await Promise.all([
      load('account/aws/collect.js'),
      load('audit/audit.js'),
      load('engine/evaluate.js'),
      load('engine/catalogue.js'),
    ]);
    const catalogue = await loadCatalogue();
    const byStatus = (snapshot) => JSON.stringify(auditAccount(snapshot, { evaluate, catalogue }).summary.byStatus);
    console.log('AWS calls of a live audit (pages of 100; live MFA checks only where the report and the virtual devices cannot settle):');
    for (const users of [100, 1000, count]) {
      for (const age of [0.5, 3]) {
        const subset = await generateAccount(users);
        const line = async (settle) => {
          const client = countingClient(subset, age);
          const snapshot = await collectAccountSnapshot(client, { retry: { sleep: async () => {} }, settleWithVirtualDevices: settle });
          const total = Object.values(client.calls).reduce((sum, n) => sum + n, 0);
          const detail = Object.entries(client.calls).map(([name, n]) => `${name} ${n}`).join(', ');
          return { total, detail, statuses: byStatus(snapshot) };
        };
        const before = await line(false);
        const after = await line(true);
        console.log(`  ${String(users).padStart(6)} users, report ${age} h old: ${after.total} calls (${after.detail})`);
        console.log(`  ${' '.repeat(6)}        without ListVirtualMFADevices: ${before.total} calls (${before.detail})`);
        console.log(`  ${' '.repeat(6)}        same statuses both ways: ${after.statuses === before.statuses ? 'yes' : `NO: ${before.statuses} vs ${after.statuses}`}`);
        if (after.statuses !== before.statuses) process.exitCode = 1;
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
