// Organization audit: 100 accounts of 100 users each from simulated sources (each account's IAM read takes 20 ms),
// through the real path: every ListAccounts page, AssumeRole per account, the real audit, the aggregation.
// Prints the time at concurrency 1 and at the default, to show how it scales.
// First: silences the AWS SDK's Node version warning before anything loads the SDK (src/aws/node-version-warning.ts).
import '../dist/aws/node-version-warning.js';
import { setTimeout as delay } from 'node:timers/promises';
import { auditAccount } from '../dist/audit/audit.js';
import { evaluate } from '../dist/engine/evaluate.js';
import { loadCatalogue } from '../dist/engine/catalogue.js';
import { auditOrganization, DEFAULT_ORG_CONCURRENCY } from '../dist/org/audit-org.js';
import { buildGuard } from '../dist/policy/guard.js';

const ACCOUNTS = 100;
const USERS = 100;
const FETCH_MS = 20;
const MANAGEMENT = '100000000000';
const GUARD = buildGuard().document;
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const COLLECTED_AT = new Date().toISOString();

const accountIds = Array.from({ length: ACCOUNTS }, (_, index) => String(100000000000 + index));

/** A member account's snapshot: a mix of protected, pending, unprotected, programmatic and admin users. */
function snapshot(accountId) {
  const arn = (kind, name) => `arn:aws:iam::${accountId}:${kind}/${name}`;
  const group = (name, inline, managed = []) => ({
    groupName: name, arn: arn('group', name), path: '/', groupId: `AGPA${name.toUpperCase()}`, createdAt: undefined,
    inlinePolicies: inline === undefined ? [] : [{ name, document: inline }], attachedPolicyArns: managed,
  });
  const users = Array.from({ length: USERS }, (_, index) => {
    const kind = index % 5;
    const userName = `user-${index}`;
    return {
      userName, arn: arn('user', userName), path: '/', userId: `AIDA${accountId}${index}`, createdAt: undefined, tags: {},
      groupNames: kind === 4 ? ['Admins'] : kind === 3 ? [] : ['ForceMfaAccess', ...(index % 7 === 0 ? ['Admins'] : [])],
      inlinePolicies: [], attachedPolicyArns: [], permissionsBoundaryArn: undefined,
      consolePassword: { enabled: kind !== 3, lastUsedAt: undefined, source: 'credential-report' },
      mfa: { enrolled: kind === 0 || kind === 4, devices: undefined, source: 'credential-report' },
      accessKeys: { keys: kind === 3 ? [{ idSuffix: undefined, active: true, lastUsedAt: undefined, lastRotatedAt: undefined }] : [], source: 'credential-report' },
      gaps: [],
    };
  });
  return {
    accountId, alias: `account-${accountId}`, partition: 'aws', collectedAt: COLLECTED_AT,
    sources: [{ kind: 'authorization-details', origin: 'memory', capturedAt: COLLECTED_AT }, { kind: 'credential-report', origin: 'memory', capturedAt: COLLECTED_AT }],
    users,
    groups: [group('ForceMfaAccess', GUARD), group('Admins', undefined, ['arn:aws:iam::aws:policy/AdministratorAccess'])],
    managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess', defaultVersionId: 'v1', document: ADMIN }],
    root: { arn: `arn:aws:iam::${accountId}:root`, mfaActive: true, accessKeysActive: false, passwordLastUsedAt: undefined },
    gaps: [],
  };
}

/** Organizations and STS as the SDK clients answer them (the commands are told apart by name), 20 accounts a page. */
const organizations = {
  async send(command) {
    const name = command.constructor.name;
    if (name === 'DescribeOrganizationCommand') {
      return { Organization: { Id: 'o-bench00001', Arn: `arn:aws:organizations::${MANAGEMENT}:organization/o-bench00001`, MasterAccountId: MANAGEMENT } };
    }
    if (name === 'ListAccountsCommand') {
      const start = Number(command.input.NextToken ?? 0);
      const page = accountIds.slice(start, start + 20).map((id) => ({ Id: id, Name: `account-${id}`, State: 'ACTIVE', Arn: '' }));
      return { Accounts: page, ...(start + 20 < accountIds.length ? { NextToken: String(start + 20) } : {}) };
    }
    throw new Error(`unexpected ${name}`);
  },
};
const sts = {
  async send(command) {
    const accountId = command.input.RoleArn.split(':')[4];
    return { Credentials: { AccessKeyId: `ASIA${accountId}`, SecretAccessKey: 'bench', SessionToken: 'bench' } };
  },
};

const catalogue = await loadCatalogue();
const snapshots = new Map(accountIds.map((id) => [id, snapshot(id)]));

async function run(concurrency) {
  const started = performance.now();
  const report = await auditOrganization(
    {
      organizations,
      sts,
      callerAccountId: MANAGEMENT,
      auditAccount: async (target) => {
        await delay(FETCH_MS);
        return auditAccount(snapshots.get(target.account.id), { evaluate, catalogue });
      },
    },
    { concurrency, auditOptions: { guardGroupName: 'ForceMfaAccess', exemptUsers: [], requireHardware: false } },
  );
  const elapsed = performance.now() - started;
  if (report.users.length !== ACCOUNTS * USERS || report.organization.accountsFailed !== 0) {
    throw new Error(`expected ${ACCOUNTS * USERS} users in ${ACCOUNTS} accounts, got ${report.users.length} (${report.organization.accountsFailed} failed)`);
  }
  return { elapsed, report };
}

await run(DEFAULT_ORG_CONCURRENCY); // warm-up: module compilation and the evaluator's caches
const serial = await run(1);
const parallel = await run(DEFAULT_ORG_CONCURRENCY);
console.log(`org audit ${ACCOUNTS}x${USERS} concurrency 1: ${Math.round(serial.elapsed)} ms`);
console.log(`org audit ${ACCOUNTS}x${USERS} concurrency ${DEFAULT_ORG_CONCURRENCY}: ${Math.round(parallel.elapsed)} ms`);
console.log(`speed-up: ${(serial.elapsed / parallel.elapsed).toFixed(1)}x (each account's read simulated at ${FETCH_MS} ms)`);
const byStatus = Object.entries(parallel.report.summary.byStatus).filter(([, count]) => count > 0).map(([status, count]) => `${status} ${count}`);
console.log(`users: ${parallel.report.summary.users} (${byStatus.join(', ')})`);
