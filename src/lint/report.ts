/** Lint results as text for people and as stable JSON for machines, and the exit decision of `--fail-on`. */
import type { LintResult } from './lint.js';
import { atLeast, type LintFinding, type Severity } from './types.js';

/** `never` reports without failing. */
export type FailOn = Severity | 'never';
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export function failsAt(result: LintResult, failOn: FailOn): boolean {
  return failOn !== 'never' && result.findings.some((finding) => atLeast(finding.severity, failOn));
}

/** `file:location Statement[i] (Sid)`: where a finding points. */
export function findingPlace(finding: LintFinding): string {
  const location = finding.location === undefined ? finding.file : `${finding.file}:${finding.location}`;
  if (finding.statementIndex === undefined) return location;
  const sid = finding.sid === undefined || finding.sid === '' ? '' : ` (${finding.sid})`;
  return `${location} Statement[${finding.statementIndex}]${sid}`;
}

const COLORS: Readonly<Record<Severity, string>> = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m' };

export function formatLintText(result: LintResult, options: { readonly color: boolean }): string {
  const paint = (severity: Severity): string => (options.color ? `${COLORS[severity]}${severity}\u001b[0m` : severity);
  const lines: string[] = [];
  for (const finding of result.findings) {
    lines.push(`${findingPlace(finding)}: ${finding.ruleId} ${paint(finding.severity)}: ${finding.message}`);
    lines.push(`    fix: ${finding.fix}`);
  }
  const policies = result.files.reduce((sum, file) => sum + file.policies, 0);
  const scope = `${plural(result.files.length, 'file')}, ${plural(policies, 'policy', 'policies')}`;
  const { error, warning, info } = result.counts;
  lines.push(
    result.findings.length === 0
      ? `${scope}: no findings`
      : `${scope}: ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info`,
  );
  return lines.join('\n');
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** The documented JSON shape (docs/rules.md, "JSON output"); `version` changes only when a field changes meaning. */
export interface LintJson {
  readonly version: 1;
  readonly failOn: FailOn;
  readonly failed: boolean;
  readonly summary: Readonly<Record<Severity, number>>;
  readonly files: LintResult['files'];
  readonly findings: readonly LintFinding[];
}

export function lintJson(result: LintResult, failOn: FailOn): LintJson {
  // sourcePath serves the SARIF locations; the documented JSON shape names places by `location` and `statementIndex`.
  const findings = result.findings.map(({ sourcePath: _sourcePath, ...finding }) => finding);
  return { version: 1, failOn, failed: failsAt(result, failOn), summary: result.counts, files: result.files, findings };
}
