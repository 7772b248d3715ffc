/** Shared set-up of the lint tests: the catalogue loaded once, files read from the fixtures folder. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalogue } from '../../src/engine/catalogue.js';
import { readLintInput } from '../../src/lint/inputs.js';
import { lintEnvironment, lintInputs, type LintResult } from '../../src/lint/lint.js';
import type { LintEnvironment } from '../../src/lint/rule.js';
import type { InputFile } from '../../src/lint/types.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

let environment: Promise<LintEnvironment> | undefined;

/** The catalogue as the rules see it, loaded once. */
export function knownActions(): Promise<LintEnvironment> {
  environment ??= loadCatalogue().then(lintEnvironment);
  return environment;
}

export function fixtureInput(relativePath: string): InputFile {
  return readLintInput(relativePath, readFileSync(`${FIXTURES}${relativePath}`, 'utf8'));
}

export async function lintFixture(relativePath: string): Promise<LintResult> {
  return lintInputs([fixtureInput(relativePath)], await knownActions());
}

export async function lintText(file: string, text: string): Promise<LintResult> {
  return lintInputs([readLintInput(file, text)], await knownActions());
}

export function ruleIds(result: LintResult): string[] {
  return [...new Set(result.findings.map((finding) => finding.ruleId))].sort();
}
