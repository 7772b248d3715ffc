/** Shared set-up of the lint tests: the catalogue loaded once, files read from the fixtures folder. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalogue } from '../../src/engine/catalogue.js';
import { actionNames, type ActionNames } from '../../src/lint/actions.js';
import { readLintInput } from '../../src/lint/inputs.js';
import { lintInputs, type LintResult } from '../../src/lint/lint.js';
import type { InputFile } from '../../src/lint/types.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

let names: Promise<ActionNames> | undefined;

export function knownActions(): Promise<ActionNames> {
  names ??= loadCatalogue().then((catalogue) => actionNames(catalogue.actions.map((action) => action.name)));
  return names;
}

export function fixtureInput(relativePath: string): InputFile {
  return readLintInput(relativePath, readFileSync(`${FIXTURES}${relativePath}`, 'utf8'));
}

export async function lintFixture(relativePath: string): Promise<LintResult> {
  return lintInputs([fixtureInput(relativePath)], { actions: await knownActions() });
}

export async function lintText(file: string, text: string): Promise<LintResult> {
  return lintInputs([readLintInput(file, text)], { actions: await knownActions() });
}

export function ruleIds(result: LintResult): string[] {
  return [...new Set(result.findings.map((finding) => finding.ruleId))].sort();
}
