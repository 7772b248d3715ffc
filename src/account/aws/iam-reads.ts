/** Narrow IAM reads that hide pagination and polling: the rest of the code never sees a Marker. */
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { environmentError } from '../../errors.js';
import { isoDate, type AuthorizationDetailsPage } from '../authorization-details.js';
import { parseCredentialReport, type CredentialReport } from '../credential-report.js';
import { mfaDeviceKind } from '../mfa-kind.js';
import type { AccessKey, MfaDevice } from '../model.js';
import { errorName, withRetry, type RetryPolicy } from './retry.js';
import { pageTokenGuard } from '../../aws/pagination.js';

/** Only `send` is used, so a counting fake or aws-sdk-client-mock fits. */
export type IamSender = Pick<IAMClient, 'send'>;

export interface IamReader {
  readonly client: IamSender;
  readonly retry: RetryPolicy;
}

const call = <T>(reader: IamReader, send: () => Promise<T>): Promise<T> => withRetry(send, reader.retry);

/** Every page of GetAccountAuthorizationDetails for users, groups and managed policies (pages may be short). */
export async function listAuthorizationDetails(reader: IamReader, onPage?: (pages: number) => void): Promise<AuthorizationDetailsPage[]> {
  const pages: AuthorizationDetailsPage[] = [];
  const next = pageTokenGuard('iam:GetAccountAuthorizationDetails');
  let marker: string | undefined;
  do {
    const page = await call(reader, () =>
      reader.client.send(
        new GetAccountAuthorizationDetailsCommand({
          Filter: ['User', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'],
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      ),
    );
    pages.push(page);
    onPage?.(pages.length);
    marker = page.IsTruncated === true ? next(page.Marker) : undefined;
    if (page.IsTruncated === true && marker === undefined) {
      throw environmentError('aws-pagination', 'GetAccountAuthorizationDetails said more pages follow but gave no Marker');
    }
  } while (marker !== undefined);
  return pages;
}

export interface ReportPolling {
  /** Waits between polls, in milliseconds; the last is repeated until `timeoutMs` has passed. */
  readonly delaysMs: readonly number[];
  readonly timeoutMs: number;
}
export const DEFAULT_REPORT_POLLING: ReportPolling = { delaysMs: [1000, 2000, 4000, 8000], timeoutMs: 180_000 };

const NOT_READY = new Set(['ReportInProgress', 'CredentialReportNotReadyException']);
const EXPIRED_OR_ABSENT = new Set(['ReportExpired', 'CredentialReportExpiredException', 'ReportNotPresent', 'CredentialReportNotPresentException']);

/**
 * Generate the credential report (AWS reuses one up to 4 hours old), poll with backoff while it is STARTED or
 * INPROGRESS, then get it. An expired or absent report is generated again once.
 */
export async function fetchCredentialReport(
  reader: IamReader,
  polling: ReportPolling,
  onState?: (state: string) => void,
): Promise<CredentialReport> {
  let waited = 0;
  let regenerated = false;
  for (let poll = 0; ; poll++) {
    const generated = await call(reader, () => reader.client.send(new GenerateCredentialReportCommand({})));
    const state = generated.State ?? 'COMPLETE';
    onState?.(state);
    if (state === 'COMPLETE') {
      try {
        const report = await call(reader, () => reader.client.send(new GetCredentialReportCommand({})));
        const content = report.Content;
        const csv = content === undefined ? '' : typeof content === 'string' ? Buffer.from(content, 'base64').toString('utf8') : Buffer.from(content).toString('utf8');
        return parseCredentialReport(csv, isoDate(report.GeneratedTime));
      } catch (error) {
        const name = errorName(error);
        if (EXPIRED_OR_ABSENT.has(name) && !regenerated) {
          regenerated = true;
          continue;
        }
        if (!NOT_READY.has(name)) throw error;
      }
    }
    const delay = polling.delaysMs[Math.min(poll, polling.delaysMs.length - 1)] ?? 1000;
    if (waited + delay > polling.timeoutMs) {
      throw environmentError('credential-report-timeout', `the credential report was not ready after ${Math.round(waited / 1000)} s`);
    }
    await reader.retry.sleep(delay);
    waited += delay;
  }
}

export async function listMfaDevices(reader: IamReader, userName: string): Promise<MfaDevice[]> {
  const devices: MfaDevice[] = [];
  const next = pageTokenGuard('iam:ListMFADevices');
  let marker: string | undefined;
  do {
    const page = await call(reader, () =>
      reader.client.send(new ListMFADevicesCommand({ UserName: userName, ...(marker === undefined ? {} : { Marker: marker }) })),
    );
    for (const device of page.MFADevices ?? []) {
      const serialNumber = device.SerialNumber ?? '';
      devices.push({ serialNumber, kind: mfaDeviceKind(serialNumber), enabledAt: isoDate(device.EnableDate) });
    }
    marker = page.IsTruncated === true ? next(page.Marker) : undefined;
  } while (marker !== undefined);
  return devices;
}

/** A virtual device as ListVirtualMFADevices names it: its user when assigned, its EnableDate when AWS gives one. */
export interface ListedVirtualDevice {
  readonly serialNumber: string;
  readonly userId: string | undefined;
  readonly userArn: string | undefined;
  readonly enabledAt: string | undefined;
}
/** An assigned virtual device: enough to know its user is enrolled. */
export type AssignedVirtualDevice = ListedVirtualDevice;

export type VirtualDeviceAssignment = 'Assigned' | 'Unassigned' | 'Any';

/** Every virtual device of one assignment status, up to 1,000 a page: one page settles a thousand enrolled users. */
export async function listVirtualMfaDevices(reader: IamReader, assignment: VirtualDeviceAssignment): Promise<ListedVirtualDevice[]> {
  const devices: ListedVirtualDevice[] = [];
  const next = pageTokenGuard('iam:ListVirtualMFADevices');
  let marker: string | undefined;
  do {
    const page = await call(reader, () =>
      reader.client.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: assignment, MaxItems: 1000, ...(marker === undefined ? {} : { Marker: marker }) })),
    );
    if (!Array.isArray(page?.VirtualMFADevices)) {
      throw environmentError('aws-response-shape', 'ListVirtualMFADevices answered without a VirtualMFADevices list');
    }
    for (const device of page.VirtualMFADevices) {
      devices.push({ serialNumber: device.SerialNumber ?? '', userId: device.User?.UserId, userArn: device.User?.Arn, enabledAt: isoDate(device.EnableDate) });
    }
    marker = page.IsTruncated === true ? next(page.Marker) : undefined;
    if (page.IsTruncated === true && marker === undefined) {
      throw environmentError('aws-pagination', 'ListVirtualMFADevices said more pages follow but gave no Marker');
    }
  } while (marker !== undefined);
  return devices;
}

/** Every virtual device assigned to a user (or to the root user, whose ARN ends in `:root`). */
export function listAssignedVirtualMfaDevices(reader: IamReader): Promise<AssignedVirtualDevice[]> {
  return listVirtualMfaDevices(reader, 'Assigned');
}

/** GetAccountSummary's root keys: 1 is true, 0 false, a missing key undefined (AccountPasswordPresent is recent). */
export async function readRootSummary(reader: IamReader): Promise<{ mfaEnabled: boolean | undefined; accessKeysPresent: boolean | undefined; passwordPresent: boolean | undefined }> {
  const answer = await call(reader, () => reader.client.send(new GetAccountSummaryCommand({})));
  const map: Record<string, number | undefined> = answer?.SummaryMap ?? {};
  const flag = (key: string): boolean | undefined => (map[key] === 1 ? true : map[key] === 0 ? false : undefined);
  return { mfaEnabled: flag('AccountMFAEnabled'), accessKeysPresent: flag('AccountAccessKeysPresent'), passwordPresent: flag('AccountPasswordPresent') };
}

/** Whether the user has a console password: NoSuchEntity means none. */
export async function hasLoginProfile(reader: IamReader, userName: string): Promise<boolean> {
  try {
    await call(reader, () => reader.client.send(new GetLoginProfileCommand({ UserName: userName })));
    return true;
  } catch (error) {
    if (/^NoSuchEntity/.test(errorName(error))) return false;
    throw error;
  }
}

/** The user's access keys; only the last four characters of each id are kept. */
export async function listAccessKeys(reader: IamReader, userName: string): Promise<AccessKey[]> {
  const keys: AccessKey[] = [];
  const next = pageTokenGuard('iam:ListAccessKeys');
  let marker: string | undefined;
  do {
    const page = await call(reader, () =>
      reader.client.send(new ListAccessKeysCommand({ UserName: userName, ...(marker === undefined ? {} : { Marker: marker }) })),
    );
    for (const key of page.AccessKeyMetadata ?? []) {
      keys.push({
        idSuffix: key.AccessKeyId === undefined ? undefined : key.AccessKeyId.slice(-4),
        active: key.Status === 'Active',
        lastUsedAt: undefined,
        lastRotatedAt: isoDate(key.CreateDate),
      });
    }
    marker = page.IsTruncated === true ? next(page.Marker) : undefined;
  } while (marker !== undefined);
  return keys;
}

export async function accountAlias(reader: IamReader): Promise<string | undefined> {
  const page = await call(reader, () => reader.client.send(new ListAccountAliasesCommand({})));
  return page.AccountAliases?.[0];
}
