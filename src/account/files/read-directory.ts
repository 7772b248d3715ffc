/** The files source: an account snapshot from what the AWS CLI writes, for audits without AWS access. */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { inputError } from '../../errors.js';
import { EXPORT_FILE_BOUND, readOptionalInputText } from '../../input-file.js';
import { assembleSnapshot, type PerUserFact } from '../assemble.js';
import { isoDate, readAuthorizationDetails, type AuthorizationDetailsPage } from '../authorization-details.js';
import { parseCredentialReport, type CredentialReport } from '../credential-report.js';
import { mfaDeviceKind } from '../mfa-kind.js';
import { virtualDeviceName, type AccountSnapshot, type DataGap, type DataSource, type MfaDevice, type PerAccountFact, type UnassignedVirtualDevice } from '../model.js';
import {
  ACCOUNT_ALIASES_FILE,
  AUTHORIZATION_DETAILS_FILE,
  CREDENTIAL_REPORT_CSV_FILE,
  CREDENTIAL_REPORT_FILE,
  MFA_DEVICES_FOLDER,
  UNASSIGNED_VIRTUAL_DEVICES_FILE,
} from './layout.js';

export interface DirectorySourceOptions {
  /** The audit's clock; defaults to now. */
  readonly now?: Date;
}

export async function readSnapshotFromDirectory(directory: string, options: DirectorySourceOptions = {}): Promise<AccountSnapshot> {
  const now = options.now ?? new Date();
  const folder = await stat(directory).catch(() => undefined);
  if (folder !== undefined && !folder.isDirectory()) {
    throw inputError('export-not-a-folder', `${directory} is a file, not the folder of exported files (authorization-details.json, credential-report.json)`);
  }
  const detailsPath = join(directory, AUTHORIZATION_DETAILS_FILE);
  const detailsText = await readOptional(detailsPath);
  if (detailsText === undefined) {
    throw inputError(
      'authorization-details-missing',
      `${detailsPath} does not exist: write it with \`aws iam get-account-authorization-details --output json > ${detailsPath}\``,
    );
  }
  const notDetails = () => inputError('authorization-details-shape', `${detailsPath} is not the output of get-account-authorization-details (no UserDetailList)`);
  // A large file without the keys is refused before it is parsed.
  if (!detailsText.includes('"UserDetailList"') && !detailsText.includes('"GroupDetailList"')) throw notDetails();
  const page = parseJsonFile(detailsPath, detailsText) as AuthorizationDetailsPage & { IsTruncated?: unknown; NextToken?: unknown };
  if (typeof page !== 'object' || page === null || !('UserDetailList' in page || 'GroupDetailList' in page)) throw notDetails();
  if (page.IsTruncated === true || page.NextToken !== undefined) {
    throw inputError(
      'authorization-details-truncated',
      `${detailsPath} holds only part of the account (it has a NextToken): export it again without --max-items or --no-paginate`,
    );
  }
  const sources: DataSource[] = [
    { kind: 'authorization-details', origin: 'file', capturedAt: await modifiedAt(detailsPath), location: detailsPath },
  ];

  const report = await readCredentialReport(directory);
  if (report.source !== undefined) sources.push(report.source);
  const mfa = await readMfaDeviceFiles(join(directory, MFA_DEVICES_FOLDER));
  if (mfa.source !== undefined) sources.push(mfa.source);
  const aliasPath = join(directory, ACCOUNT_ALIASES_FILE);
  const aliasText = await readOptional(aliasPath);
  const aliases = aliasText === undefined ? undefined : (parseJsonFile(aliasPath, aliasText) as { AccountAliases?: unknown }).AccountAliases;
  const alias = Array.isArray(aliases) && typeof aliases[0] === 'string' ? aliases[0] : undefined;
  const unassigned = await readUnassignedDevices(join(directory, UNASSIGNED_VIRTUAL_DEVICES_FILE));
  if ('value' in unassigned) {
    sources.push({ kind: 'virtual-mfa-devices', origin: 'file', capturedAt: unassigned.capturedAt, location: join(directory, UNASSIGNED_VIRTUAL_DEVICES_FILE), count: unassigned.value.length });
  }

  return assembleSnapshot({
    authorizationDetails: readAuthorizationDetails([page]),
    credentialReport: report.report,
    credentialReportGap: report.gap,
    mfaDevices: mfa.devices,
    alias,
    sources,
    collectedAt: now.toISOString(),
    unassignedVirtualDevices: unassigned,
  });
}

/**
 * The output of `aws iam list-virtual-mfa-devices --assignment-status Unassigned`. Absent, the devices are unknown
 * (never "none"); a device with a user, or a cut listing, means the file is not that export and is refused.
 */
async function readUnassignedDevices(path: string): Promise<PerAccountFact<readonly UnassignedVirtualDevice[]>> {
  const text = await readOptional(path);
  if (text === undefined) return { gap: { fact: 'virtual-devices', cause: 'file-missing', detail: path } };
  const parsed = parseJsonFile(path, text) as { VirtualMFADevices?: unknown; IsTruncated?: unknown; Marker?: unknown; NextToken?: unknown };
  const entries: unknown = typeof parsed === 'object' && parsed !== null ? parsed.VirtualMFADevices : undefined;
  if (!Array.isArray(entries) || !entries.every((device: unknown) => typeof device === 'object' && device !== null && typeof (device as { SerialNumber?: unknown }).SerialNumber === 'string')) {
    throw inputError('virtual-devices-shape', `${path} is not the output of \`aws iam list-virtual-mfa-devices\` (no VirtualMFADevices list of devices with a SerialNumber)`);
  }
  if (parsed.IsTruncated === true || parsed.Marker !== undefined || parsed.NextToken !== undefined) {
    throw inputError('virtual-devices-truncated', `${path} holds only part of the devices (it has a NextToken): export it again without --max-items or --no-paginate`);
  }
  const devices = entries as { SerialNumber: string; User?: unknown; EnableDate?: unknown }[];
  if (devices.some((device) => device.User !== undefined)) {
    throw inputError(
      'virtual-devices-not-unassigned',
      `${path} lists devices assigned to users: export it again with \`aws iam list-virtual-mfa-devices --assignment-status Unassigned --output json\``,
    );
  }
  return {
    value: devices.map((device) => ({
      serialNumber: device.SerialNumber,
      name: virtualDeviceName(device.SerialNumber),
      enabledAt: typeof device.EnableDate === 'string' ? isoDate(device.EnableDate) : undefined,
    })),
    capturedAt: await modifiedAt(path),
  };
}

interface ReportRead {
  readonly report: CredentialReport | undefined;
  readonly gap: DataGap | undefined;
  readonly source: DataSource | undefined;
}

async function readCredentialReport(directory: string): Promise<ReportRead> {
  const jsonPath = join(directory, CREDENTIAL_REPORT_FILE);
  const jsonText = await readOptional(jsonPath);
  if (jsonText !== undefined) {
    const parsed = parseJsonFile(jsonPath, jsonText) as { Content?: unknown; GeneratedTime?: unknown; ReportFormat?: unknown };
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.Content !== 'string') {
      throw inputError('credential-report-shape', `${jsonPath} is not the output of \`aws iam get-credential-report\` (no base64 Content)`);
    }
    const csv = Buffer.from(parsed.Content, 'base64').toString('utf8');
    const generatedAt = typeof parsed.GeneratedTime === 'string' ? isoDate(parsed.GeneratedTime) : undefined;
    return {
      report: withFileContext(jsonPath, () => parseCredentialReport(csv, generatedAt)),
      gap: undefined,
      source: { kind: 'credential-report', origin: 'file', capturedAt: generatedAt, location: jsonPath },
    };
  }
  const csvPath = join(directory, CREDENTIAL_REPORT_CSV_FILE);
  const csvText = await readOptional(csvPath);
  if (csvText !== undefined) {
    return {
      report: withFileContext(csvPath, () => parseCredentialReport(csvText, undefined)),
      gap: undefined,
      source: { kind: 'credential-report', origin: 'file', capturedAt: undefined, location: csvPath },
    };
  }
  return { report: undefined, gap: { fact: 'password', cause: 'file-missing', detail: jsonPath }, source: undefined };
}

interface MfaRead {
  readonly devices: ReadonlyMap<string, PerUserFact<readonly MfaDevice[]>>;
  readonly source: DataSource | undefined;
}

/** `mfa-devices/USER.json`, each the output of `aws iam list-mfa-devices --user-name USER`. */
async function readMfaDeviceFiles(folder: string): Promise<MfaRead> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return { devices: new Map(), source: undefined };
  }
  const devices = new Map<string, PerUserFact<readonly MfaDevice[]>>();
  let oldest: string | undefined;
  for (const name of names) {
    const path = join(folder, name);
    const parsed = parseJsonFile(path, (await readOptional(path)) ?? '') as { MFADevices?: unknown };
    const entries: unknown = typeof parsed === 'object' && parsed !== null ? parsed.MFADevices : undefined;
    if (!Array.isArray(entries) || !entries.every((device: unknown) => typeof device === 'object' && device !== null)) {
      throw inputError('mfa-devices-shape', `${path} is not the output of \`aws iam list-mfa-devices\` (no MFADevices list of devices)`);
    }
    const list = parsed.MFADevices as { UserName?: unknown; SerialNumber?: unknown; EnableDate?: unknown }[];
    const userName = typeof list[0]?.UserName === 'string' ? list[0].UserName : basename(name, '.json');
    devices.set(userName, {
      value: list.map((device) => {
        const serialNumber = typeof device.SerialNumber === 'string' ? device.SerialNumber : '';
        return {
          serialNumber,
          kind: mfaDeviceKind(serialNumber),
          enabledAt: typeof device.EnableDate === 'string' ? isoDate(device.EnableDate) : undefined,
        };
      }),
      source: 'mfa-devices-file',
    });
    const captured = await modifiedAt(path);
    if (captured !== undefined && (oldest === undefined || captured < oldest)) oldest = captured;
  }
  if (names.length === 0) return { devices, source: undefined };
  return { devices, source: { kind: 'mfa-devices', origin: 'file', capturedAt: oldest, location: folder, count: names.length } };
}

/** Exports are larger than policies (10,000 users), but bounded too: a wrong file is refused before it is read. */
async function readOptional(path: string): Promise<string | undefined> {
  return readOptionalInputText(path, EXPORT_FILE_BOUND);
}

async function modifiedAt(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).mtime.toISOString();
  } catch {
    return undefined;
  }
}

function parseJsonFile(path: string, text: string): unknown {
  // Every export is one JSON object: anything else is refused before a large text is parsed.
  if (!/^\s*\{/.test(text)) throw inputError('file-not-json', `${path} is not a JSON object: export it again with --output json`);
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the start of the text, line breaks included: keep the error on one line.
    const reason = (error as Error).message.replace(/\s+/g, ' ').trim();
    throw inputError('file-not-json', `${path} is not valid JSON (${reason}): export it again with --output json`, error);
  }
}

function withFileContext<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Error && 'code' in error) {
      throw inputError('credential-report-unreadable', `${path}: ${error.message}`, error);
    }
    throw error;
  }
}
