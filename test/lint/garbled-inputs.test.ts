// Lint input that is valid to an editor but awkward to a parser: a BOM, alias bombs, absurd nesting.
import { describe, expect, it } from 'vitest';
import { readLintInput } from '../../src/lint/inputs.js';
import { failure } from '../support/failure.js';

const policy = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } };

describe('readLintInput', () => {
  it('reads JSON saved with a byte order mark', () => {
    const input = readLintInput('bom.json', `\uFEFF${JSON.stringify(policy)}`);
    expect(input.policies.map((extracted) => extracted.document)).toEqual([policy]);
  });

  it('refuses YAML whose aliases expand without bound as bad input', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let level = 1; level < 12; level++) text += `a${level}: &a${level} [${Array.from({ length: 9 }, () => `*a${level - 1}`).join(', ')}]\n`;
    text += 'Statement: *a11\n';
    expect(failure(() => readLintInput('bomb.yaml', text))).toMatchObject({ kind: 'input', message: expect.stringMatching(/^bomb\.yaml is not usable YAML/) });
  });

  it('refuses absurd nesting as bad input instead of overflowing the stack', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:x":${deep}}}}]}`;
    expect(failure(() => readLintInput('deep.json', text))).toMatchObject({ kind: 'input', message: expect.stringMatching(/^deep\.json nests arrays or objects more than 64 levels/) });
  });
});
