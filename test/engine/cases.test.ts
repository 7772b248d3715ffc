// Runs every evaluator case of test/engine/cases/*.json: { name, request, policies, scps?, expected }.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, isPolicyEvaluationError, type EvaluationRequest, type NamedPolicy, type ScpLayers } from '../../src/engine/evaluate.js';
import { isForceMfaError } from '../../src/errors.js';

interface EvaluatorCase {
  readonly name: string;
  readonly request: Omit<EvaluationRequest, 'principalArn'> & { readonly principalArn?: string };
  readonly policies: readonly NamedPolicy[];
  readonly scps?: ScpLayers;
  readonly expected: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | { readonly error: string; readonly code: string };
}

const folder = new URL('./cases/', import.meta.url);
const files = readdirSync(folder).filter((file) => file.endsWith('.json')).sort();

describe.each(files)('%s', (file) => {
  const cases = JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as EvaluatorCase[];
  it.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_, entry) => {
    const request: EvaluationRequest = { principalArn: 'arn:aws:iam::111122223333:user/alice', ...entry.request };
    const options = entry.scps === undefined ? {} : { scps: entry.scps };
    if (typeof entry.expected === 'string') {
      expect(evaluate(request, entry.policies, options).decision).toBe(entry.expected);
      // The traced evaluation must reach the same decision as the fast path.
      expect(evaluate(request, entry.policies, { ...options, trace: true }).decision).toBe(entry.expected);
      return;
    }
    const expected = entry.expected;
    let thrown: unknown;
    try {
      evaluate(request, entry.policies, options);
    } catch (error) {
      thrown = error;
    }
    expect(isForceMfaError(thrown), `expected an error containing: ${expected.error}`).toBe(true);
    const error = thrown as Error & { code: string; exitCode: number };
    expect(error.message).toContain(expected.error);
    expect(error.code).toBe(expected.code);
    expect(error.exitCode).toBe(2);
    if (!['request-action', 'principal-arn', 'request-resource'].includes(expected.code)) {
      expect(isPolicyEvaluationError(thrown)).toBe(true);
    }
  });
});

describe('the case files', () => {
  it('cover every documented condition operator', () => {
    const text = files.map((file) => readFileSync(new URL(file, folder), 'utf8')).join('\n');
    const operators = [
      'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
      'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
      'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
      'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
      'BoolIfExists', 'ForAnyValue:', 'ForAllValues:',
    ];
    for (const operator of operators) expect(text, operator).toContain(`"${operator}`);
  });
});
