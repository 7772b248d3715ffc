/** Lint results as SARIF 2.1.0, the format GitHub code scanning reads: one result per finding, rules from the registry. */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { LintResult } from '../lint/lint.js';
import { findingPlace } from '../lint/report.js';
import { RULES } from '../lint/registry.js';
import { regionFinder, type RegionFinder } from '../lint/positions.js';
import type { LintFinding, Severity } from '../lint/types.js';

const LEVEL: Readonly<Record<Severity, Result.level>> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifSources {
  /** The text of every linted file, by the name the findings carry; a file not here gets no line and column. */
  readonly texts: ReadonlyMap<string, string>;
  readonly toolVersion: string;
}

export function lintSarif(result: LintResult, sources: SarifSources): Log {
  const finders = new Map<string, RegionFinder>();
  const finderOf = (file: string): RegionFinder | undefined => {
    const text = sources.texts.get(file);
    if (text === undefined) return undefined;
    let finder = finders.get(file);
    if (finder === undefined) {
      finder = regionFinder(text);
      finders.set(file, finder);
    }
    return finder;
  };
  const ruleIndex = new Map<string, number>(RULES.map((rule, index) => [rule.id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'force-mfa', version: sources.toolVersion, rules: RULES.map(ruleDescriptor) } },
        results: result.findings.map((finding) => sarifResult(finding, ruleIndex.get(finding.ruleId), finderOf(finding.file))),
      },
    ],
  };
}

function ruleDescriptor(rule: (typeof RULES)[number]): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: { text: `${rule.why}\n\nHow to fix: ${rule.fix}`, markdown: `${rule.why}\n\n**How to fix:** ${rule.fix}` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
}

function sarifResult(finding: LintFinding, ruleIndex: number | undefined, finder: RegionFinder | undefined): Result {
  const region = finder === undefined || finding.sourcePath === undefined ? undefined : finder(finding.sourcePath);
  const logical = { fullyQualifiedName: findingPlace(finding), kind: finding.statementIndex === undefined ? 'object' : 'member' };
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[finding.severity],
    message: { text: `${finding.message} (${findingPlace(finding)})` },
    locations: [
      {
        // A policy given as data (the guard of --guard) has no file: only its logical place.
        ...(finder === undefined ? {} : { physicalLocation: { artifactLocation: { uri: fileUri(finding.file) }, ...(region === undefined ? {} : { region }) } }),
        logicalLocations: [logical],
      },
    ],
  };
}

/** A relative path stays relative (GitHub resolves it against the repository); an absolute one becomes a file URI. */
export function fileUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${encoded.replace(/^([A-Za-z])%3A/, '$1:')}`;
  if (slashed.startsWith('/')) return `file://${encoded}`;
  return encoded.replace(/^\.\//, '');
}
