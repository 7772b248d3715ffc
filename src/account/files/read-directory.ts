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
  /**
   * The caller knows the folder has no credential report: read without it, and every fact only the report gives
   * (console passwords, access keys, MFA without a device file, the root user) is a gap with cause `omitted`.
   * Without it, a folder with no report is refused: a report left out by mistake must not pass as a clean audit.
   */
  readonly omitCredentialReport?: boolean;
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
  // get-account-authorization-details records no time: its age is unknown, and said so, never the file's mtime.
  const sources: DataSource[] = [
    { kind: 'authorization-details', origin: 'file', capturedAt: undefined, capturedAtUnknown: 'not-recorded', location: detailsPath },
  ];

  const report = await readCredentialReport(directory, options.omitCredentialReport === true, now);
  if (report.source !== undefined) sources.push(report.source);
  const mfa = await readMfaDeviceFiles(join(directory, MFA_DEVICES_FOLDER));
  if (mfa.source !== undefined) sources.push(mfa.source);
  const aliasPath = join(directory, ACCOUNT_ALIASES_FILE);
  const aliasText = await readOptional(aliasPath);
  const aliases = aliasText === undefined ? undefined : (parseJsonFile(aliasPath, aliasText) as { AccountAliases?: unknown }).AccountAliases;
  const alias = Array.isArray(aliases) && typeof aliases[0] === 'string' ? aliases[0] : undefined;
  const unassigned = await readUnassignedDevices(join(directory, UNASSIGNED_VIRTUAL_DEVICES_FILE));
  if ('value' in unassigned) {
    sources.push({ kind: 'virtual-mfa-devices', origin: 'file', capturedAt: undefined, capturedAtUnknown: 'not-recorded', location: join(directory, UNASSIGNED_VIRTUAL_DEVICES_FILE), count: unassigned.value.length });
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
    capturedAt: undefined,
  };
}

interface ReportRead {
  readonly report: CredentialReport | undefined;
  readonly gap: DataGap | undefined;
  readonly source: DataSource | undefined;
}

/** A GeneratedTime this far past the audit's clock is not taken as a fresh report (clocks drift by seconds, not this). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

async function readCredentialReport(directory: string, omit: boolean, now: Date): Promise<ReportRead> {
  const jsonPath = join(directory, CREDENTIAL_REPORT_FILE);
  const csvPath = join(directory, CREDENTIAL_REPORT_CSV_FILE);
  const jsonText = await readOptional(jsonPath);
  const csvText = jsonText === undefined ? await readOptional(csvPath) : undefined;
  if (omit) {
    if (jsonText !== undefined || csvText !== undefined) {
      const present = jsonText !== undefined ? jsonPath : csvPath;
      throw inputError('credential-report-not-omitted', `${present} exists although the credential report was to be left out: read it, or move the file out of the folder`);
    }
    return { report: undefined, gap: { fact: 'password', cause: 'omitted', detail: jsonPath }, source: undefined };
  }
  if (jsonText !== undefined) {
    const parsed = parseJsonFile(jsonPath, jsonText) as { Content?: unknown; GeneratedTime?: unknown; ReportFormat?: unknown };
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.Content !== 'string') {
      throw inputError('credential-report-shape', `${jsonPath} is not the output of \`aws iam get-credential-report\` (no base64 Content)`);
    }
    const csv = Buffer.from(parsed.Content, 'base64').toString('utf8');
    const generatedAt = reportTime(jsonPath, parsed.GeneratedTime, now);
    return {
      report: withFileContext(jsonPath, () => parseCredentialReport(csv, generatedAt)),
      gap: undefined,
      source: {
        kind: 'credential-report',
        origin: 'file',
        capturedAt: generatedAt,
        ...(generatedAt === undefined ? { capturedAtUnknown: 'not-recorded' as const } : {}),
        location: jsonPath,
      },
    };
  }
  if (csvText !== undefined) {
    return {
      report: withFileContext(csvPath, () => parseCredentialReport(csvText, undefined)),
      gap: undefined,
      // The console's CSV download has no generation time.
      source: { kind: 'credential-report', origin: 'file', capturedAt: undefined, capturedAtUnknown: 'not-recorded', location: csvPath },
    };
  }
  throw inputError('credential-report-missing', `${jsonPath} does not exist: ${credentialReportCommands(jsonPath)}`);
}

/**
 * The report's age is the one time an export records, and it decides whether the report counts as stale: a time that
 * is no time, or one in the future, would make an old report pass as fresh, so it is refused, not taken or dropped.
 */
function reportTime(path: string, value: unknown, now: Date): string | undefined {
  if (value === undefined || value === null) return undefined;
  const time = typeof value === 'string' ? isoDate(value) : undefined;
  if (time === undefined) {
    throw inputError('credential-report-time', `${path}: GeneratedTime ${JSON.stringify(value).slice(0, 60)} is not a time: export the report again with \`aws iam get-credential-report --output json\``);
  }
  if (Date.parse(time) > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw inputError(
      'credential-report-time',
      `${path}: GeneratedTime ${time} is later than the audit's clock (${now.toISOString()}): export the report again, or set the clock right`,
    );
  }
  return time;
}

/** The exact AWS CLI commands that write the credential report the files source reads. */
export function credentialReportCommands(path: string): string {
  return `write it with \`aws iam generate-credential-report\` (repeat until "State": "COMPLETE"), then \`aws iam get-credential-report --output json > ${path}\``;
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
  }
  if (names.length === 0) return { devices, source: undefined };
  // list-mfa-devices records when each device was enabled, not when it was listed: the listing's age is unknown.
  return {
    devices,
    source: { kind: 'mfa-devices', origin: 'file', capturedAt: undefined, capturedAtUnknown: 'not-recorded', location: folder, count: names.length },
  };
}

/** Exports are larger than policies (10,000 users), but bounded too: a wrong file is refused before it is read. */
async function readOptional(path: string): Promise<string | undefined> {
  return readOptionalInputText(path, EXPORT_FILE_BOUND);
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
