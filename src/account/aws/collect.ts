/** The AWS source: an account snapshot from live IAM data, with every page read and partial denials made explicit. */
import { IAMClient } from '@aws-sdk/client-iam';
import { environmentError } from '../../errors.js';
import { assembleSnapshot, type PerUserFact } from '../assemble.js';
import { readAuthorizationDetails } from '../authorization-details.js';
import { credentialReportRows, type CredentialReport } from '../credential-report.js';
import {
  virtualDeviceName,
  type AccessKey,
  type AccountSnapshot,
  type DataGap,
  type DataSource,
  type FactName,
  type FactSource,
  type MfaDevice,
  type PerAccountFact,
  type RootAccountSummary,
  type UnassignedVirtualDevice,
} from '../model.js';
import {
  DEFAULT_REPORT_POLLING,
  accountAlias,
  fetchCredentialReport,
  hasLoginProfile,
  listAccessKeys,
  listAuthorizationDetails,
  listAssignedVirtualMfaDevices,
  listMfaDevices,
  listVirtualMfaDevices,
  readRootSummary,
  type IamReader,
  type IamSender,
  type ReportPolling,
} from './iam-reads.js';
import { CallPacer, DEFAULT_RETRY, errorName, isAccessDenied, mapWithConcurrency, type RetryPolicy } from './retry.js';
import { HTTP_TIMEOUTS } from '../../aws/http.js';

export type CollectProgress =
  | { readonly phase: 'authorization-details'; readonly pages: number }
  | { readonly phase: 'credential-report'; readonly state: string }
  | { readonly phase: 'live-checks'; readonly done: number; readonly total: number };

export interface AwsSourceOptions {
  /** Per-user live calls in flight at once. */
  readonly concurrency?: number;
  /** A report older than this makes the MFA of every user a live check (someone may have removed a device). */
  readonly reportMaxAgeHours?: number;
  /**
   * Settle users that hold an assigned virtual device from ListVirtualMFADevices (1,000 a page) instead of one
   * ListMFADevices each. Default true; false audits as before (the equivalence test and the bench compare both).
   */
  readonly settleWithVirtualDevices?: boolean;
  /** Read device kinds of every enrolled user (one ListMFADevices each), e.g. when hardware keys are required. */
  readonly needMfaKinds?: boolean;
  readonly onProgress?: (progress: CollectProgress) => void;
  readonly retry?: Partial<RetryPolicy>;
  readonly reportPolling?: ReportPolling;
  readonly now?: () => Date;
}

/**
 * One client for the whole audit: the default credential chain and region, AWS_ENDPOINT_URL(_IAM) honoured by the SDK.
 * One attempt per send: the reads retry themselves (DEFAULT_RETRY) behind one shared pacer, and a second layer in
 * the SDK would multiply the attempts (and its adaptive mode, under steady throttling, starved the audit).
 */
export function createIamClient(maxAttempts = 1): IAMClient {
  return new IAMClient({ maxAttempts, ...HTTP_TIMEOUTS });
}

export async function collectAccountSnapshot(client: IamSender, options: AwsSourceOptions = {}): Promise<AccountSnapshot> {
  const now = options.now ?? (() => new Date());
  const reader: IamReader = { client, retry: { ...DEFAULT_RETRY, pacer: new CallPacer(options.concurrency ?? 8), ...options.retry } };
  const startedAt = now().toISOString();
  const accountGaps: DataGap[] = [];
  const sources: DataSource[] = [];

  let pages;
  try {
    pages = await listAuthorizationDetails(reader, (count) => options.onProgress?.({ phase: 'authorization-details', pages: count }));
  } catch (error) {
    if (error instanceof Error && /Region is missing/i.test(error.message)) {
      throw environmentError('aws-region-missing', 'no AWS region is configured: set AWS_REGION (IAM is global, any region works, e.g. us-east-1) or a region in your profile', error);
    }
    if (isAccessDenied(error)) {
      throw environmentError(
        'authorization-details-denied',
        'AWS denied iam:GetAccountAuthorizationDetails, which the audit needs to list users and policies: use credentials that allow it (for example the SecurityAudit policy)',
        error,
      );
    }
    throw error;
  }
  const details = readAuthorizationDetails(pages);
  sources.push({ kind: 'authorization-details', origin: 'aws', capturedAt: startedAt, location: 'iam:GetAccountAuthorizationDetails', count: pages.length });

  let report: CredentialReport | undefined;
  let reportGap: DataGap | undefined;
  try {
    report = await fetchCredentialReport(reader, options.reportPolling ?? DEFAULT_REPORT_POLLING, (state) =>
      options.onProgress?.({ phase: 'credential-report', state }),
    );
    sources.push({ kind: 'credential-report', origin: 'aws', capturedAt: report.generatedAt, location: 'iam:GetCredentialReport' });
  } catch (error) {
    reportGap = { fact: 'password', cause: isAccessDenied(error) ? 'access-denied' : 'call-failed', detail: `iam:GetCredentialReport (${errorName(error) || 'error'})` };
    accountGaps.push({ ...reportGap, fact: 'root' });
  }

  // An assigned virtual device proves its user enrolled now, whatever the report's age: read them all in a few pages.
  // If AWS refuses or fails, nothing is settled this way and every user is checked as before.
  const virtualHolders = new Set<string>();
  // Whether the root user holds a virtual device: known only once the whole Assigned listing was read.
  let rootVirtual: boolean | undefined;
  if (options.settleWithVirtualDevices ?? true) {
    try {
      const assigned = await listAssignedVirtualMfaDevices(reader);
      rootVirtual = assigned.some((device) => device.userArn !== undefined && /^arn:[\w-]+:iam::\d{12}:root$/.test(device.userArn));
      const byId = new Set(assigned.flatMap((device) => (device.userId === undefined ? [] : [device.userId])));
      const byArn = new Set(assigned.flatMap((device) => (device.userId === undefined && device.userArn !== undefined ? [device.userArn] : [])));
      for (const user of details.users) {
        if (byId.has(user.userId) || byArn.has(user.arn)) virtualHolders.add(user.userName);
      }
      sources.push({ kind: 'virtual-mfa-devices', origin: 'aws', capturedAt: now().toISOString(), location: 'iam:ListVirtualMFADevices', count: assigned.length });
    } catch {
      // Settled per user below instead: slower, never less exact.
    }
  }

  const plan = planLiveChecks(details.users.map((user) => ({ userName: user.userName, arn: user.arn, createdAt: user.createdAt, hasAssignedVirtualDevice: virtualHolders.has(user.userName) })), report, {
    reportAgeHours: report?.generatedAt === undefined ? Infinity : (now().getTime() - Date.parse(report.generatedAt)) / 3_600_000,
    reportMaxAgeHours: options.reportMaxAgeHours ?? 1,
    needMfaKinds: options.needMfaKinds ?? false,
  });
  const mfaDevices = new Map<string, PerUserFact<readonly MfaDevice[] | true>>();
  // Every holder not checked live is settled by the device, also where the report (older) says no MFA.
  const checkedLive = new Set(plan.filter((check) => check.mfa).map((check) => check.userName));
  for (const userName of virtualHolders) {
    if (!checkedLive.has(userName)) mfaDevices.set(userName, { value: true, source: 'list-virtual-mfa-devices' });
  }
  const consolePasswords = new Map<string, PerUserFact<boolean>>();
  const accessKeys = new Map<string, PerUserFact<readonly AccessKey[]>>();
  // Once AWS denies an operation it denies it for every user: stop asking and record the gap.
  const denied = new Map<string, DataGap>();
  const liveCall = async <T>(operation: string, fact: FactName, userName: string, read: () => Promise<T>): Promise<PerUserFact<T>> => {
    const known = denied.get(operation);
    if (known !== undefined) return { gap: known };
    try {
      return { value: await read(), source: SOURCE_OF[operation] ?? 'list-mfa-devices' };
    } catch (error) {
      if (isAccessDenied(error)) {
        const gap: DataGap = { fact, cause: 'access-denied', detail: operation };
        denied.set(operation, gap);
        return { gap };
      }
      return { gap: { fact, cause: 'call-failed', detail: `${operation} (${errorName(error) || 'error'})` } };
    }
  };
  let done = 0;
  const checkedAt = now().toISOString();
  await mapWithConcurrency(plan, options.concurrency ?? 8, async (check) => {
    if (check.mfa) mfaDevices.set(check.userName, await liveCall('iam:ListMFADevices', 'mfa', check.userName, () => listMfaDevices(reader, check.userName)));
    if (check.password) {
      consolePasswords.set(check.userName, await liveCall('iam:GetLoginProfile', 'password', check.userName, () => hasLoginProfile(reader, check.userName)));
    }
    if (check.accessKeys) {
      accessKeys.set(check.userName, await liveCall('iam:ListAccessKeys', 'access-keys', check.userName, () => listAccessKeys(reader, check.userName)));
    }
    options.onProgress?.({ phase: 'live-checks', done: ++done, total: plan.length });
  });
  if (plan.some((check) => check.mfa)) {
    sources.push({ kind: 'mfa-devices', origin: 'aws', capturedAt: checkedAt, location: 'iam:ListMFADevices', count: plan.filter((check) => check.mfa).length });
  }
  if (plan.some((check) => check.password)) {
    sources.push({ kind: 'login-profiles', origin: 'aws', capturedAt: checkedAt, location: 'iam:GetLoginProfile', count: plan.filter((check) => check.password).length });
  }
  if (plan.some((check) => check.accessKeys)) {
    sources.push({ kind: 'access-keys', origin: 'aws', capturedAt: checkedAt, location: 'iam:ListAccessKeys', count: plan.filter((check) => check.accessKeys).length });
  }

  const rootSummary = await readAccountFact<RootAccountSummary>('root', 'iam:GetAccountSummary', now, async () => ({
    ...(await readRootSummary(reader)),
    virtualDevice: rootVirtual,
  }));
  if ('value' in rootSummary) sources.push({ kind: 'account-summary', origin: 'aws', capturedAt: rootSummary.capturedAt, location: 'iam:GetAccountSummary' });
  const unassigned = await readAccountFact<readonly UnassignedVirtualDevice[]>('virtual-devices', 'iam:ListVirtualMFADevices', now, async () =>
    // A device listed with a user is assigned, whatever the listing was asked for: never reported as abandoned.
    (await listVirtualMfaDevices(reader, 'Unassigned'))
      .filter((device) => device.userArn === undefined && device.userId === undefined)
      .map((device) => ({ serialNumber: device.serialNumber, name: virtualDeviceName(device.serialNumber), enabledAt: device.enabledAt })),
  );
  if ('value' in unassigned) {
    sources.push({ kind: 'virtual-mfa-devices', origin: 'aws', capturedAt: unassigned.capturedAt, location: 'iam:ListVirtualMFADevices (Unassigned)', count: unassigned.value.length });
  }

  let alias: string | undefined;
  try {
    alias = await accountAlias(reader);
  } catch {
    // The alias only makes the sign-in URL nicer; the account id serves without it.
  }
  return assembleSnapshot({
    authorizationDetails: details,
    credentialReport: report,
    credentialReportGap: reportGap,
    mfaDevices,
    consolePasswords,
    accessKeys,
    alias,
    sources,
    gaps: accountGaps,
    collectedAt: now().toISOString(),
    rootSummary,
    unassignedVirtualDevices: unassigned,
  });
}

/** One account-wide read: its value and time, or the gap (denied or failed) that leaves the fact unknown. */
async function readAccountFact<T>(fact: FactName, operation: string, now: () => Date, read: () => Promise<T>): Promise<PerAccountFact<T>> {
  try {
    const value = await read();
    return { value, capturedAt: now().toISOString() };
  } catch (error) {
    if (isAccessDenied(error)) return { gap: { fact, cause: 'access-denied', detail: operation } };
    return { gap: { fact, cause: 'call-failed', detail: `${operation} (${errorName(error) || 'error'})` } };
  }
}

const SOURCE_OF: Readonly<Record<string, FactSource>> = {
  'iam:ListMFADevices': 'list-mfa-devices',
  'iam:GetLoginProfile': 'get-login-profile',
  'iam:ListAccessKeys': 'list-access-keys',
};

export interface LiveCheck {
  readonly userName: string;
  readonly mfa: boolean;
  readonly password: boolean;
  readonly accessKeys: boolean;
}

/**
 * Which users need per-user calls: those the report has no row for (created since, or no report) need all three;
 * those it marks without MFA get a live ListMFADevices (they may have enrolled since); with an old report, or when
 * device kinds are wanted, enrolled users are checked too (they may have removed their device). A user holding an
 * assigned virtual device is enrolled now: no ListMFADevices for them unless device kinds are wanted.
 */
export function planLiveChecks(
  users: readonly { userName: string; arn: string; createdAt?: string | undefined; hasAssignedVirtualDevice?: boolean }[],
  report: CredentialReport | undefined,
  settings: { reportAgeHours: number; reportMaxAgeHours: number; needMfaKinds: boolean },
): LiveCheck[] {
  const rowFor = report === undefined ? undefined : credentialReportRows(report);
  const stale = settings.reportAgeHours > settings.reportMaxAgeHours;
  const checks: LiveCheck[] = [];
  for (const user of users) {
    const match = rowFor?.({ arn: user.arn, createdAt: user.createdAt });
    const virtual = user.hasAssignedVirtualDevice === true;
    if (match?.kind !== 'row') {
      checks.push({ userName: user.userName, mfa: !virtual || settings.needMfaKinds, password: true, accessKeys: true });
      continue;
    }
    const row = match.row;
    const mfa = settings.needMfaKinds || (!virtual && (row.mfaActive !== true || stale));
    const password = row.passwordEnabled === undefined;
    const accessKeys = row.accessKeys.some((key) => key.active === undefined);
    if (mfa || password || accessKeys) checks.push({ userName: user.userName, mfa, password, accessKeys });
  }
  return checks;
}
