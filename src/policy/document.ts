/** The IAM policy document model shared by the guard builder, the evaluator, the linter and the renderers. */

export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';

/** One or several strings, as IAM accepts them. */
export type StringOrList = string | readonly string[];

/** Condition values as they appear in JSON: strings, booleans and numbers, alone or in lists. */
export type ConditionValue = string | boolean | number;
/** `{ operator: { key: value | value[] } }` */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, ConditionValue | readonly ConditionValue[]>>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Action?: StringOrList;
  readonly NotAction?: StringOrList;
  readonly Resource?: StringOrList;
  readonly NotResource?: StringOrList;
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version?: PolicyVersion;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

export function asList<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}
