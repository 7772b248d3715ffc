// Runs every evaluator case of test/engine/cases/*.json: { name, request, policies, scps?, expected }.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, isPolicyEvaluationError, type EvaluationRequest, type NamedPolicy, type ScpLayers } from '../../src/engine/evaluate.js';
import { evaluateQuantified } from '../../src/engine/quantify.js';
import { isForceMfaError } from '../../src/errors.js';

interface EvaluatorCase {
  readonly name: string;
  readonly request: Omit<EvaluationRequest, 'principalArn'> & { readonly principalArn?: string };
  readonly policies: readonly NamedPolicy[];
  readonly scps?: ScpLayers;
  readonly expected: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | { readonly error: string; readonly code: string };
  /** Quantified over the keys the request does not fix (src/engine/quantify.ts); `expected` is the keys-absent answer. */
  readonly quantified?: {
    readonly allowedForSome: boolean;
    readonly deniedForEvery: boolean;
    readonly allowedForEvery: boolean;
    readonly freeKeys?: readonly string[];
    readonly exact?: boolean;
  };
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
      if (entry.quantified !== undefined) checkQuantified(request, entry, options);
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

function checkQuantified(request: EvaluationRequest, entry: EvaluatorCase, options: { scps?: ScpLayers }): void {
  const expected = entry.quantified as NonNullable<EvaluatorCase['quantified']>;
  const result = evaluateQuantified(request, entry.policies, options);
  expect({ some: result.allowedForSome, denied: result.deniedForEvery, every: result.allowedForEvery }).toEqual({
    some: expected.allowedForSome,
    denied: expected.deniedForEvery,
    every: expected.allowedForEvery,
  });
  if (expected.freeKeys !== undefined) expect(result.freeKeys).toEqual(expected.freeKeys);
  if (expected.exact !== undefined) expect(result.exact).toBe(expected.exact);
  // The values that open the request must open it in a concrete evaluation too.
  if (result.opening !== undefined) {
    const context: Record<string, string | readonly string[]> = { ...request.context };
    for (const { key, values } of result.opening) if (values !== undefined) context[key] = values;
    expect(evaluate({ ...request, context }, entry.policies, options).decision).toBe('Allowed');
  }
  if (result.allowedForSome && !result.allowedForEvery && result.exact) expect(result.opening).toBeDefined();
}

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
