/** The IAM credential report: its CSV parsed into typed rows, with "no data" kept apart from "false". */
import { inputError } from '../errors.js';

export const ROOT_ROW_USER = '<root_account>';

export interface CredentialReportKey {
  readonly active: boolean | undefined;
  readonly lastRotatedAt: string | undefined;
  readonly lastUsedAt: string | undefined;
}

export interface CredentialReportRow {
  readonly user: string;
  readonly arn: string;
  readonly createdAt: string | undefined;
  /** `not_supported` (the root row) and unreadable values become undefined. */
  readonly passwordEnabled: boolean | undefined;
  readonly passwordLastUsedAt: string | undefined;
  readonly mfaActive: boolean | undefined;
  readonly accessKeys: readonly [CredentialReportKey, CredentialReportKey];
}

export interface CredentialReport {
  /** The report's GeneratedTime (ISO 8601) when the source gives it. */
  readonly generatedAt: string | undefined;
  readonly rows: readonly CredentialReportRow[];
}

const REQUIRED_COLUMNS = ['user', 'arn', 'password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_2_active'];

export function parseCredentialReport(csv: string, generatedAt: string | undefined): CredentialReport {
  const records = parseCsv(csv.replace(/^\uFEFF/, ''));
  const header = records[0];
  if (header === undefined) throw inputError('credential-report-empty', 'the credential report is empty');
  const column = new Map(header.map((name, index) => [name.trim(), index]));
  const missing = REQUIRED_COLUMNS.filter((name) => !column.has(name));
  if (missing.length > 0) {
    throw inputError('credential-report-columns', `the credential report lacks the column(s) ${missing.join(', ')}: is it an IAM credential report?`);
  }
  const cell = (record: readonly string[], name: string): string | undefined => {
    const index = column.get(name);
    return index === undefined ? undefined : record[index];
  };
  const rows: CredentialReportRow[] = [];
  for (const record of records.slice(1)) {
    if (record.length === 1 && record[0] === '') continue;
    const key = (slot: 1 | 2): CredentialReportKey => ({
      active: reportBoolean(cell(record, `access_key_${slot}_active`)),
      lastRotatedAt: reportDate(cell(record, `access_key_${slot}_last_rotated`)),
      lastUsedAt: reportDate(cell(record, `access_key_${slot}_last_used_date`)),
    });
    rows.push({
      user: cell(record, 'user') ?? '',
      arn: cell(record, 'arn') ?? '',
      createdAt: reportDate(cell(record, 'user_creation_time')),
      passwordEnabled: reportBoolean(cell(record, 'password_enabled')),
      passwordLastUsedAt: reportDate(cell(record, 'password_last_used')),
      mfaActive: reportBoolean(cell(record, 'mfa_active')),
      accessKeys: [key(1), key(2)],
    });
  }
  return { generatedAt, rows };
}

/**
 * Whether a report row describes this user and not an earlier user of the same name (and so the same ARN) that was
 * deleted and created again after the report: their creation times then differ. Unknown times do not disqualify.
 */
export function rowDescribesUser(row: CredentialReportRow, userCreatedAt: string | undefined): boolean {
  if (row.createdAt === undefined || userCreatedAt === undefined) return true;
  const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
  return seconds(row.createdAt) === seconds(userCreatedAt);
}

function reportBoolean(value: string | undefined): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Dates are ISO 8601; `N/A`, `no_information` and `not_supported` mean there is none to give. */
function reportDate(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  // The report's own form (UTC, whole seconds): rewritten without a Date per cell, which 10,000 users notice.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/.test(value)) return `${value.slice(0, 19)}.000Z`;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** RFC 4180: fields separated by commas, quoted with double quotes, quotes doubled inside; CRLF or LF rows. */
export function parseCsv(text: string): string[][] {
  // Without any quote there is nothing to unquote: split lines and commas (the usual credential report).
  if (!text.includes('"')) {
    const lines = text.split(/\r?\n|\r/);
    if (lines.at(-1) === '') lines.pop();
    return lines.map((line) => line.split(','));
  }
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else {
          quoted = false;
        }
      } else {
        field += char;
      }
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
