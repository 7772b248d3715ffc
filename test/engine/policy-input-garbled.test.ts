// Garbled policy files are input errors (exit 2) with one short line, never internal errors.
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/engine/policy-input.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { failure } from '../support/failure.js';

describe('parsePolicyText on garbled files', () => {
  it.each([
    ['a stray percent sign', '{"PolicyName":"x","PolicyDocument":"%ZZ"}'],
    ['a broken escape after an encoded brace', '{"PolicyDocument":"%7B%ZZ"}'],
    ['an encoded PolicyVersion document', '{"PolicyVersion":{"Document":"%E0%A4%A"}}'],
  ])('refuses %s in a URL-encoded document as bad input', (_label, text) => {
    expect(failure(() => parsePolicyText(text, 'p.json'))).toMatchObject({ kind: 'input', message: expect.stringMatching(/p\.json: the policy document string is not JSON/) });
  });

  it('refuses nesting deeper than any policy instead of overflowing the stack later', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:x":${deep}}}}]}`;
    expect(failure(() => parsePolicyText(text, 'deep.json'))).toEqual({
      kind: 'input',
      message: 'deep.json nests arrays or objects more than 64 levels deep: no policy does; correct the file',
    });
  });

  it('keeps a message about a huge bad value on one short line', () => {
    const value = `[[${Array.from({ length: 500 }, () => '"abcdef"').join(',')}]]`;
    const [policy] = parsePolicyText(
      `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:x":${value}}}}]}`,
      'wide.json',
    );
    const { message } = failure(() => compilePolicy(policy!));
    expect(message).toContain('...');
    expect(message.length).toBeLessThan(200);
  });
});
