/**
 * The IAM credential report: its CSV parsed strictly into typed rows, with "no data" kept apart from "false", and
 * every row that does not fit the header kept as rejected, so that whoever it might describe stays unknown.
 */
import { parse } from 'csv-parse/sync';
import { inputError } from '../errors.js';

export const ROOT_ROW_USER = '<root_account>';

export interface CredentialReportKey {
  readonly active: boolean | undefined;
  readonly lastRotatedAt: string | undefined;
  readonly lastUsedAt: string | undefined;
}

export interface CredentialReportRow {
  /** The row's line in the report (the header is line 1). */
  readonly line: number;
  readonly user: string;
  readonly arn: string;
  /** Always a time: a row whose creation time is not one is rejected. */
  readonly createdAt: string;
  /** `not_supported` (the root row) and unreadable values become undefined. */
  readonly passwordEnabled: boolean | undefined;
  readonly passwordLastUsedAt: string | undefined;
  readonly mfaActive: boolean | undefined;
  readonly accessKeys: readonly [CredentialReportKey, CredentialReportKey];
}

/** A line of the report that does not fit its header, or one of two rows for one ARN: it settles nothing. */
export interface RejectedReportRow {
  readonly line: number;
  readonly reason: string;
  /** The line as written, to find which users it may describe. */
  readonly text: string;
}

export interface CredentialReport {
  /** The report's GeneratedTime (ISO 8601) when the source gives it. */
  readonly generatedAt: string | undefined;
  readonly rows: readonly CredentialReportRow[];
  readonly rejected: readonly RejectedReportRow[];
}

const REQUIRED_COLUMNS = ['user', 'arn', 'user_creation_time', 'password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_2_active'];

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported']);
const BOOLEAN_COLUMNS = new Set(['password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_2_active', 'cert_1_active', 'cert_2_active']);
const TIME_COLUMNS = new Set([
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'cert_1_last_rotated',
  'cert_2_last_rotated',
]);
/** Regions and service names: plain tokens (`us-east-1`, `s3`) or N/A. */
const TOKEN_COLUMNS = new Set(['access_key_1_last_used_region', 'access_key_1_last_used_service', 'access_key_2_last_used_region', 'access_key_2_last_used_service']);
/** IAM user names (1-64 of `\w+=,.@-`) and the ARN that must end in that name (paths hold `!` to `~`). */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const USER_ARN = /^arn:aws[\w-]*:iam::\d{12}:user(\/[\x21-\x7e]*)?\/([\w+=,.@-]{1,64})$/;
const ROOT_ARN = /^arn:aws[\w-]*:iam::\d{12}:root$/;

export function parseCredentialReport(csv: string, generatedAt: string | undefined): CredentialReport {
  const { records, lineOf } = parseRecords(csv.replace(/^\uFEFF/, ''));
  const header = records[0]?.cells;
  if (header === undefined) throw inputError('credential-report-empty', 'the credential report is empty');
  const names = header.map((name) => name.trim());
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw inputError('credential-report-columns', `the credential report lacks the column(s) ${missing.join(', ')}: is it an IAM credential report?`);
  }
  if (new Set(names).size !== names.length) {
    throw inputError('credential-report-columns', 'the credential report names a column twice: is it an IAM credential report?');
  }
  const column = new Map(names.map((name, index) => [name, index]));
  const rows: CredentialReportRow[] = [];
  const rejected: RejectedReportRow[] = [];
  for (const record of records.slice(1)) {
    const problem = record.problem ?? rowProblem(record.cells, names);
    if (problem !== undefined) {
      rejected.push({ line: record.line, reason: problem, text: lineOf(record.line) });
      continue;
    }
    const cell = (name: string): string | undefined => {
      const index = column.get(name);
      return index === undefined ? undefined : record.cells[index];
    };
    const key = (slot: 1 | 2): CredentialReportKey => ({
      active: reportBoolean(cell(`access_key_${slot}_active`)),
      lastRotatedAt: reportDate(cell(`access_key_${slot}_last_rotated`)),
      lastUsedAt: reportDate(cell(`access_key_${slot}_last_used_date`)),
    });
    rows.push({
      line: record.line,
      user: cell('user') ?? '',
      arn: cell('arn') ?? '',
      createdAt: reportDate(cell('user_creation_time')) ?? '',
      passwordEnabled: reportBoolean(cell('password_enabled')),
      passwordLastUsedAt: reportDate(cell('password_last_used')),
      mfaActive: reportBoolean(cell('mfa_active')),
      accessKeys: [key(1), key(2)],
    });
  }
  // Two rows for one ARN: neither can be trusted to be the user's (one may be forged through a path with commas).
  const count = new Map<string, number>();
  for (const row of rows) count.set(row.arn, (count.get(row.arn) ?? 0) + 1);
  const single = rows.filter((row) => count.get(row.arn) === 1);
  for (const row of rows) {
    if (count.get(row.arn) !== 1) rejected.push({ line: row.line, reason: `two or more rows for ${row.arn}`, text: lineOf(row.line) });
  }
  return { generatedAt, rows: single, rejected: rejected.sort((a, b) => a.line - b.line) };
}

interface ParsedRecord {
  readonly line: number;
  readonly cells: readonly string[];
  /** Set when the line is not CSV by itself (a quote not closed on its line, a stray quote). */
  readonly problem?: string;
}

/**
 * RFC 4180 records, one per line: no value of the report (names, paths, times, tokens) holds a line break, so a
 * quote that runs past its line is an error of that line, never a field that swallows the rows after it. The whole
 * text is parsed at once; only when that fails or a record spans lines is each line parsed alone.
 */
function parseRecords(text: string): { records: ParsedRecord[]; lineOf: (line: number) => string } {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  const lineOf = (line: number): string => lines[line - 1] ?? '';
  try {
    const parsed = parse(text, { relax_column_count: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    if (parsed.length === lines.length && parsed.every((entry, index) => entry.info.lines === index + 1)) {
      return { records: parsed.map((entry, index) => ({ line: index + 1, cells: entry.record })), lineOf };
    }
  } catch {
    // Some line is not CSV by itself: find which, line by line.
  }
  const records = lines.map((line, index): ParsedRecord => {
    try {
      const [cells, extra] = parse(line, { relax_column_count: true }) as string[][];
      return extra === undefined ? { line: index + 1, cells: cells ?? [''] } : { line: index + 1, cells: [], problem: 'a quoted value spans lines' };
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
      return { line: index + 1, cells: [], problem: `not CSV (${reason})` };
    }
  });
  return { records, lineOf };
}

/** Why a row does not fit the report's header, if it does not: every value is checked against its column. */
function rowProblem(cells: readonly string[], names: readonly string[]): string | undefined {
  if (cells.length !== names.length) return `${cells.length} values, the header has ${names.length} columns`;
  const value = (name: string): string => cells[names.indexOf(name)] ?? '';
  const user = value('user');
  const arn = value('arn');
  if (user === ROOT_ROW_USER) {
    if (!ROOT_ARN.test(arn)) return `the root row's arn ${JSON.stringify(arn)} is not an account root ARN`;
  } else {
    if (!USER_NAME.test(user)) return `the user ${JSON.stringify(user)} is not an IAM user name`;
    // The ARN ends in the user's name: a row forged inside another user's path names that user, not the victim.
    if (USER_ARN.exec(arn)?.[2] !== user) return `the arn ${JSON.stringify(arn)} is not the ARN of a user named ${JSON.stringify(user)}`;
  }
  if (reportDate(value('user_creation_time')) === undefined) return `the user_creation_time ${JSON.stringify(value('user_creation_time'))} is not a time`;
  for (const [index, name] of names.entries()) {
    const cell = cells[index] ?? '';
    if (BOOLEAN_COLUMNS.has(name) && cell !== 'true' && cell !== 'false' && !NO_VALUE.has(cell)) return `${name} ${JSON.stringify(cell)} is not true or false`;
    if (TIME_COLUMNS.has(name) && !NO_VALUE.has(cell) && reportDate(cell) === undefined) return `${name} ${JSON.stringify(cell)} is not a time`;
    if (TOKEN_COLUMNS.has(name) && !/^[\w./-]+$/.test(cell)) return `${name} ${JSON.stringify(cell)} is not a region or service name`;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f"]/.test(cell) && name !== 'arn') return `${name} holds a control character or a quote`;
  }
  return undefined;
}

/** How the report speaks of one user of the account: its row, or why there is none it can be trusted for. */
export type ReportRowMatch =
  | { readonly kind: 'row'; readonly row: CredentialReportRow }
  /** No row names the user's ARN (created after the report). */
  | { readonly kind: 'absent' }
  /** The ARN's row is of an earlier user of the same name (deleted and created again): other creation time. */
  | { readonly kind: 'earlier-user' }
  /** The user's creation time is unknown, so no row can be shown to be this user's. */
  | { readonly kind: 'creation-unknown' }
  /** A rejected line names the user's ARN: what the report says of the user cannot be trusted. */
  | { readonly kind: 'rejected'; readonly rejected: RejectedReportRow };

/**
 * Matches rows to users by ARN and creation time (to the second, the report's precision). A rejected line that
 * holds the user's ARN wins over any row: it may be the user's real row, the row found by ARN then a forged one.
 */
export function credentialReportRows(report: CredentialReport): (user: { readonly arn: string; readonly createdAt: string | undefined }) => ReportRowMatch {
  const byArn = new Map(report.rows.filter((row) => row.user !== ROOT_ROW_USER).map((row) => [row.arn, row]));
  const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
  return (user) => {
    const rejected = report.rejected.find((line) => mentionsArn(line.text, user.arn));
    if (rejected !== undefined) return { kind: 'rejected', rejected };
    const row = byArn.get(user.arn);
    if (row === undefined) return { kind: 'absent' };
    if (user.createdAt === undefined || Number.isNaN(Date.parse(user.createdAt))) return { kind: 'creation-unknown' };
    return seconds(row.createdAt) === seconds(user.createdAt) ? { kind: 'row', row } : { kind: 'earlier-user' };
  };
}

/** The ARN stands in the text as a whole value (not as the start of a longer user's ARN). */
function mentionsArn(text: string, arn: string): boolean {
  if (arn === '') return false;
  for (let at = text.indexOf(arn); at >= 0; at = text.indexOf(arn, at + 1)) {
    const next = text[at + arn.length];
    if (next === undefined || next === ',' || next === '"') return true;
  }
  return false;
}

/** The root row, when the report has exactly one that fits. */
export function rootRow(report: CredentialReport): CredentialReportRow | undefined {
  return report.rows.find((row) => row.user === ROOT_ROW_USER);
}

function reportBoolean(value: string | undefined): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Times are ISO 8601 with a zone; `N/A`, `no_information` and `not_supported` mean there is none to give. */
function reportDate(value: string | undefined): string | undefined {
  if (value === undefined || !ISO_TIME.test(value)) return undefined;
  // The report's own form (UTC, whole seconds): rewritten without a Date per cell, which 10,000 users notice.
  if (value.endsWith('+00:00') && value.length === 25) return `${value.slice(0, 19)}.000Z`;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** RFC 4180 records (commas, double quotes, quotes doubled inside, CRLF or LF rows), for CSV this project writes. */
export function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true }) as string[][];
}
