/** `lint --format sarif`: valid SARIF 2.1.0 (the OASIS schema), one result per finding, regions that point at the statement. */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { lintInputs } from '../../src/lint/lint.js';
import { readLintInput } from '../../src/lint/inputs.js';
import { RULES } from '../../src/lint/registry.js';
import { fileUri, lintSarif } from '../../src/render/lint-sarif.js';
import { registerLint } from '../../src/cli/commands/lint.js';
import { runInProcess } from '../support/run-command.js';
import { FIXTURES, knownActions } from './helpers.js';
import type { Log, Region } from 'sarif';

const SCHEMA = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function sarifValidator(): (value: unknown) => string[] {
  // The published schema is draft-04: ajv reads it with its draft-04 markers ($schema, id) left out; formats unchecked.
  const { $schema: _draft, id: _id, ...schema } = SCHEMA;
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`));
}

const validate = sarifValidator();

/** The text a region covers (lines and columns 1-based, the end exclusive). */
function regionText(text: string, region: Region): string {
  const lines = text.split('\n');
  const startLine = region.startLine ?? 1;
  const endLine = region.endLine ?? startLine;
  const picked = lines.slice(startLine - 1, endLine);
  picked[picked.length - 1] = (picked[picked.length - 1] ?? '').slice(0, (region.endColumn ?? Infinity) - 1);
  picked[0] = (picked[0] ?? '').slice((region.startColumn ?? 1) - 1);
  return picked.join('\n');
}

async function sarifOf(file: string, text: string): Promise<{ log: Log; findings: ReturnType<typeof lintInputs>['findings'] }> {
  const result = lintInputs([readLintInput(file, text)], await knownActions());
  return { log: lintSarif(result, { texts: new Map([[file, text]]), toolVersion: '0.0.0-test' }), findings: result.findings };
}

const RULE_FIXTURES = readdirSync(`${FIXTURES}rules`).filter((name) => name.includes('.fail'));

describe('lint SARIF output', () => {
  it.each(RULE_FIXTURES)('%s: validates against SARIF 2.1.0, one result per finding, each statement region holds that statement', async (name) => {
    const file = `rules/${name}`;
    const text = readFileSync(`${FIXTURES}${file}`, 'utf8');
    const { log, findings } = await sarifOf(file, text);
    expect(validate(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(findings.length);
    expect(findings.length).toBeGreaterThan(0);
    const sids = [...text.matchAll(/"?Sid"?\s*:\s*"?(\w+)/g)].map((match) => match[1]);
    results.forEach((result, index) => {
      const finding = findings[index]!;
      expect(result.ruleId).toBe(finding.ruleId);
      expect(log.runs[0]?.tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(finding.ruleId);
      expect(result.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[finding.severity]);
      const physical = result.locations?.[0]?.physicalLocation;
      expect(physical?.artifactLocation?.uri).toBe(file);
      const region = physical?.region;
      expect(region?.startLine).toBeGreaterThan(0);
      if (finding.sid === undefined || region === undefined) return;
      const covered = regionText(text, region);
      // A policy written as a JSON string (Terraform's policy argument) is located at that string, statements inside it.
      const embedded = covered.trimStart().startsWith('"{');
      expect(covered).toContain(finding.sid);
      if (!embedded) expect(sids.filter((sid) => sid !== finding.sid && covered.includes(`${sid}`))).toEqual([]);
    });
  });

  it('points at the exact line and column of the statement in JSON and in CloudFormation YAML', async () => {
    const json = await sarifOf('FMFA001.fail.json', readFileSync(`${FIXTURES}rules/FMFA001.fail.json`, 'utf8'));
    const bool = json.log.runs[0]?.results?.find((result) => result.ruleId === 'FMFA001');
    // Statement[0] opens with `{` on line 4, column 5, and closes with `}` on line 24.
    expect(bool?.locations?.[0]?.physicalLocation?.region).toMatchObject({ startLine: 4, startColumn: 5, endLine: 24, endColumn: 6 });
    const yamlText = readFileSync(`${FIXTURES}rules/FMFA004.fail.yaml`, 'utf8');
    const yaml = await sarifOf('FMFA004.fail.yaml', yamlText);
    const region = yaml.log.runs[0]?.results?.find((result) => result.ruleId === 'FMFA004')?.locations?.[0]?.physicalLocation?.region;
    expect(region).toBeDefined();
    const line = yamlText.split('\n')[(region?.startLine ?? 0) - 1];
    // A YAML statement begins at its first key, after the list's dash.
    expect(line?.slice((region?.startColumn ?? 0) - 1)).toMatch(/^Sid: DenyAllWithoutMfaExceptSetup|^\w+:/);
  });

  it('locates statements of a Terraform aws_iam_policy_document written as lists of blocks', async () => {
    const configuration = {
      data: [
        {
          aws_iam_policy_document: [
            {
              guard: [
                {
                  statement: [
                    { sid: 'Open', effect: 'Allow', actions: ['iam:ChangePassword'], resources: ['*'] },
                    {
                      sid: 'DenyWithoutMfa',
                      effect: 'Deny',
                      not_actions: ['iam:ChangePassword'],
                      resources: ['*'],
                      condition: [{ test: 'Bool', variable: 'aws:MultiFactorAuthPresent', values: ['false'] }],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const text = JSON.stringify(configuration, null, 2);
    const { log, findings } = await sarifOf('guard.tf.json', text);
    expect(validate(log)).toEqual([]);
    const index = findings.findIndex((finding) => finding.ruleId === 'FMFA001');
    expect(index).toBeGreaterThanOrEqual(0);
    const region = log.runs[0]?.results?.[index]?.locations?.[0]?.physicalLocation?.region;
    const covered = regionText(text, region ?? {});
    expect(covered).toContain('"DenyWithoutMfa"');
    expect(covered).not.toContain('"Open"');
  });

  it('carries every registry rule with its help, and the guard given as data without a physical location', async () => {
    const result = lintInputs([], await knownActions());
    const log = lintSarif(result, { texts: new Map(), toolVersion: '1.2.3' });
    expect(validate(log)).toEqual([]);
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const [index, rule] of RULES.entries()) {
      expect(rules[index]?.help?.text).toContain(rule.fix);
      expect(rules[index]?.shortDescription?.text).toBe(rule.title);
    }
    const cli = await runInProcess([registerLint], ['lint', '--guard', 'seed', '--format', 'sarif'], { reportErrors: true });
    const fromGuard = JSON.parse(cli.stdout) as Log;
    expect(validate(fromGuard)).toEqual([]);
    const locations = fromGuard.runs[0]?.results?.map((item) => item.locations?.[0]) ?? [];
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) {
      expect(location?.physicalLocation).toBeUndefined();
      expect(location?.logicalLocations?.[0]?.fullyQualifiedName).toContain('(guard seed)');
    }
    process.exitCode = undefined;
  });

  it.each([
    ['policies/guard.json', 'policies/guard.json'],
    ['./a b/guard.json', 'a%20b/guard.json'],
    ['/abs/guard.json', 'file:///abs/guard.json'],
    ['C:\\repo\\guard.json', 'file:///C:/repo/guard.json'],
  ])('file %s becomes the artifact URI %s', (file, uri) => {
    expect(fileUri(file)).toBe(uri);
  });
});
