/** The human summary of a verify report (and of expectation differences): short where the lists are long. */
import { CONTEXT_NAMES, type ContextName } from '../engine/contexts.js';
import type { ExpectationDifference } from '../engine/expect.js';
import type { FreeKeyValue } from '../engine/quantify.js';
import type { AllowedAction, VerifyReport } from '../engine/verify.js';

const TITLES: Readonly<Record<ContextName, string>> = {
  'console-no-mfa': 'Console session without MFA (aws:MultiFactorAuthPresent = "false")',
  'access-keys': 'Long-term access keys alone (aws:MultiFactorAuthPresent absent)',
  mfa: 'Session with MFA (aws:MultiFactorAuthPresent = "true")',
};

/** Lists longer than this are summarised; the JSON report always has everything. */
const LIST_LIMIT = 40;

function mark(entry: AllowedAction): string {
  if (entry.accountLevel) return 'account level (no resource)';
  return entry.ownResourcesOnly ? "own resources only" : "also other users' resources";
}

/** `aws:UserAgent = "Terraform"`, `aws:Referer absent`, `aws:TagKeys = ["a", "b"]`. */
export function formatKeyValues(values: readonly FreeKeyValue[]): string {
  return values
    .map(({ key, values: given }) =>
      given === undefined ? `${key} absent` : given.length === 1 ? `${key} = ${JSON.stringify(given[0])}` : `${key} = [${given.map((value) => JSON.stringify(value)).join(', ')}]`,
    )
    .join(', ');
}

function opening(entry: AllowedAction): string {
  if (entry.dependsOn === undefined) return '';
  return entry.openedBy === undefined
    ? `; only for some values of ${entry.dependsOn.join(', ')}`
    : `; only with ${formatKeyValues(entry.openedBy)}`;
}

function listLines(entries: readonly AllowedAction[], indent: string): string[] {
  const width = Math.max(...entries.map((entry) => entry.action.length));
  return entries.map((entry) => `${indent}${entry.action.padEnd(width)}  ${mark(entry)}${opening(entry)}`);
}

/** Summarised contexts still say which actions need key values, grouped by the values that open them. */
function openingLines(allowed: readonly AllowedAction[]): string[] {
  const groups = new Map<string, string[]>();
  for (const entry of allowed) {
    const text = opening(entry);
    if (text === '') continue;
    groups.set(text, [...(groups.get(text) ?? []), entry.action]);
  }
  if (groups.size === 0) return [];
  const count = [...groups.values()].reduce((sum, names) => sum + names.length, 0);
  const lines = [`  ${count} of them only for some values of condition keys the caller or the request supplies:`];
  for (const [text, names] of groups) {
    const shown = names.slice(0, 8).join(', ');
    lines.push(`    ${text.slice(2)}: ${names.length} action(s): ${shown}${names.length > 8 ? ', ... (see the JSON report)' : ''}`);
  }
  return lines;
}

function truncated(names: readonly string[], indent: string): string[] {
  const shown = names.slice(0, LIST_LIMIT).map((name) => `${indent}${name}`);
  return names.length > LIST_LIMIT ? [...shown, `${indent}... and ${names.length - LIST_LIMIT} more (see the JSON report)`] : shown;
}

function perService(entries: readonly AllowedAction[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const service = entry.action.slice(0, entry.action.indexOf(':'));
    counts.set(service, (counts.get(service) ?? 0) + 1);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = top.slice(0, 12).map(([service, count]) => `${service} ${count}`);
  return `${shown.join(', ')}${top.length > 12 ? `, and ${top.length - 12} more services` : ''}`;
}

function contextLines(report: VerifyReport, name: ContextName, gatedNames: readonly string[] | undefined): string[] {
  const context = report.contexts[name];
  const { allowed, counts } = context;
  const header = `${TITLES[name]}:`;
  if (allowed.length === 0) return [header, '  nothing is allowed'];
  if (allowed.length <= LIST_LIMIT) {
    return [header, `  ${allowed.length} action(s) allowed:`, ...listLines(allowed, '    ')];
  }
  const lines = [header];
  const ownOnly = allowed.filter((entry) => entry.ownResourcesOnly);
  if (allowed.length > counts.gatedActions / 2) {
    const notAllowed = counts.gatedActions - allowed.length;
    lines.push(
      notAllowed === 0
        ? `  all ${counts.gatedActions} gated actions are allowed`
        : `  all ${counts.gatedActions} gated actions except ${notAllowed} are allowed`,
    );
    if (notAllowed > 0 && gatedNames !== undefined) {
      const granted = new Set(allowed.map((entry) => entry.action));
      lines.push('  not allowed:', ...truncated(gatedNames.filter((action) => !granted.has(action)), '    '));
    }
  } else {
    lines.push(`  ${allowed.length} actions allowed: ${perService(allowed)}`);
  }
  lines.push(`  ${ownOnly.length} of them on the caller's own resources only${ownOnly.length > 0 ? ':' : ''}`);
  if (ownOnly.length > 0) lines.push(...listLines(ownOnly.slice(0, LIST_LIMIT), '    '));
  if (ownOnly.length > LIST_LIMIT) lines.push(`    ... and ${ownOnly.length - LIST_LIMIT} more (see the JSON report)`);
  lines.push(`  ${counts.accountLevel} of them are account level (take no resource)`);
  lines.push(...openingLines(allowed));
  return lines;
}

/**
 * `gatedNames` (the catalogue's gated actions, sorted) lets the summary name what is NOT allowed when nearly
 * everything is.
 */
export function formatVerifyReport(report: VerifyReport, gatedNames?: readonly string[]): string {
  const lines = [
    `Principal: ${report.principalArn}`,
    `Catalogue: ${report.catalogue.source}, ${report.catalogue.actions} actions`,
    '',
  ];
  for (const name of CONTEXT_NAMES) lines.push(...contextLines(report, name, gatedNames), '');
  lines.push(`Never gated by IAM policies (always possible, listed apart): ${report.ungated.join(', ') || 'none'}`);
  if (report.freeConditionKeys.length > 0) {
    lines.push(
      `Note: no context fixes ${report.freeConditionKeys.join(', ')}: the caller or the request may give any value or none, so every value was tried (an Allow counts if some value opens it, a Deny only if it holds for every value).`,
    );
  }
  for (const reading of report.readings) {
    lines.push(`Note: policy "${reading.policy}", statement "${reading.statement}": ${reading.note}.`);
  }
  if (!report.exact) {
    lines.push('Note: some answers are bounds, not exact (see docs/guarantees.md): they may report an action allowed that AWS would deny, never the reverse.');
  }
  return lines.join('\n');
}

export function formatDifferences(differences: readonly ExpectationDifference[], source: string): string {
  if (differences.length === 0) return `Expectation ${source}: met.`;
  return [`Expectation ${source}: ${differences.length} difference(s):`, ...differences.map((difference) => `  ${difference.message}`)].join('\n');
}
