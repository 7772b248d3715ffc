/** The audit as CSV (RFC 4180): one row per user, codes and texts, safe to open in a spreadsheet. */
import type { AuditMessages } from '../audit/messages/index.js';
import type { AuditReport } from '../audit/types.js';
import { userRow } from './audit-view.js';

export const AUDIT_CSV_COLUMNS = [
  'user_name',
  'path',
  'arn',
  'status',
  'status_label',
  'enforced_console_without_mfa',
  'enforced_access_keys',
  'mfa_enrolled',
  'mfa_kinds',
  'console_password',
  'access_keys_active',
  'administrator',
  'exempt',
  'groups',
  'reason_codes',
  'reasons',
  'next_step_code',
  'next_step',
  'signins_without_mfa',
  'last_signin_without_mfa_at',
  'last_signin_without_mfa_ip',
] as const;

export function renderAuditCsv(report: AuditReport, messages: AuditMessages): string {
  const rows: string[][] = [[...AUDIT_CSV_COLUMNS]];
  for (const user of report.users) {
    const view = userRow(user, messages);
    rows.push([
      user.userName,
      user.path,
      user.arn,
      user.status,
      view.statusLabel,
      user.enforcement['console-no-mfa'],
      user.enforcement['access-keys'],
      flag(user.mfa.enrolled),
      user.mfa.kinds?.join(' ') ?? '',
      flag(user.consolePassword.enabled),
      user.accessKeys.active === null ? '' : String(user.accessKeys.active),
      flag(user.administrator),
      flag(user.exempt),
      user.groups.join(' '),
      user.reasons.map((reason) => reason.code).join(' '),
      view.reasons.join(' '),
      user.nextStep.code,
      view.nextStep,
      // Empty when not read or unknown: never 0 without a complete read.
      user.signInsWithoutMfa?.count === null || user.signInsWithoutMfa === undefined ? '' : String(user.signInsWithoutMfa.count),
      user.signInsWithoutMfa?.lastAt ?? '',
      user.signInsWithoutMfa?.lastSourceIp ?? '',
    ]);
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Unknown is an empty cell, never "false". */
function flag(value: boolean | null): string {
  return value === null ? '' : value ? 'true' : 'false';
}

/**
 * Quote when needed (comma, quote, line break), double inner quotes. A cell a spreadsheet would run as a formula
 * (starting with = + - @ or a control character) gets a leading apostrophe: user names are untrusted input.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
