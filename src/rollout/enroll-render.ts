/** Enroll and unenroll reports as a text table and as stable JSON (pure). */
import type { AccessKeyImpact, EnrollAction, EnrollChange, NextSignIn } from './enroll-plan.js';
import type { Refusal } from './safety.js';

const ACTION_LABEL: Readonly<Record<EnrollAction, string>> = {
  add: 'add',
  'already-member': 'already a member',
  'skip-excluded': 'skip (excluded)',
  'skip-exempt': 'skip (tag force-mfa:exempt)',
  'skip-deleted': 'skip (user deleted meanwhile)',
  remove: 'remove',
  'not-member': 'not a member any more',
};

const NEXT_SIGN_IN_LABEL: Readonly<Record<NextSignIn, string>> = {
  nothing: 'nothing changes (has MFA)',
  'mfa-setup': 'can only set up MFA, then sign in again',
  'no-console': 'no console password',
  'not-enforced': 'MFA NOT enforced: console works without MFA',
};

const ACCESS_KEY_LABEL: Readonly<Record<AccessKeyImpact, string>> = {
  unaffected: '-',
  'needs-mfa-session': 'calls denied until they use an MFA session',
  'needs-mfa-device': 'calls denied; needs an MFA device that gives codes first',
  'not-enforced': 'MFA NOT enforced: calls work without MFA',
};

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function countActions(changes: readonly EnrollChange[]): Partial<Record<EnrollAction, number>> {
  const counts: Partial<Record<EnrollAction, number>> = {};
  for (const change of changes) counts[change.action] = (counts[change.action] ?? 0) + 1;
  return counts;
}

export function renderChangeTable(changes: readonly EnrollChange[]): string {
  if (changes.length === 0) return '(no users)';
  const rows = changes.map((change) => [
    change.userName,
    ACTION_LABEL[change.action],
    change.nextSignIn === undefined ? '' : NEXT_SIGN_IN_LABEL[change.nextSignIn],
    change.accessKeys === undefined ? '' : ACCESS_KEY_LABEL[change.accessKeys],
  ]);
  // Unenroll and no-op plans have no sign-in impact to show: leave those columns out.
  const hasImpact = changes.some((change) => change.nextSignIn !== undefined);
  const header = ['USER', 'ACTION', 'NEXT CONSOLE SIGN-IN', 'ACCESS KEYS'];
  return hasImpact ? formatTable(header, rows) : formatTable(header.slice(0, 2), rows.map((row) => row.slice(0, 2)));
}

export function renderSummary(groupName: string, changes: readonly EnrollChange[]): string {
  const counts = countActions(changes);
  const parts = (Object.keys(ACTION_LABEL) as EnrollAction[])
    .filter((action) => (counts[action] ?? 0) > 0)
    .map((action) => `${counts[action]} ${ACTION_LABEL[action]}`);
  return `Group ${groupName}: ${changes.length} user(s) selected${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

export function renderRefusals(refusals: readonly Refusal[]): string {
  return refusals.map((refusal) => `  - ${refusal.message}`).join('\n');
}

export interface EnrollJson {
  readonly groupName: string;
  readonly mode: 'plan' | 'applied';
  readonly caller?: string;
  readonly logFile: string;
  readonly changes: readonly EnrollChange[];
  readonly refusals: readonly Refusal[];
  readonly actingAdministrator?: string;
}

/** Changes keep their plan order; in applied mode, `add`/`remove` lines are the ones applied by this run. */
export function enrollJson(input: EnrollJson): string {
  return `${JSON.stringify(input, null, 2)}\n`;
}
