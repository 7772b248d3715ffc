// The pure API other commands call: which denies a free key switches off, and the candidate values of a key.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/engine/compile.js';
import { candidateValues, conditionalDenies, evaluateQuantified } from '../../src/engine/quantify.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const request = { principalArn: ALICE, action: 'iam:CreateAccessKey', resource: ALICE };
const policy = (...Statement: unknown[]) => ({ name: 'guard', document: { Version: '2012-10-17', Statement } });
const mfaDeny = (extra: Record<string, unknown>, Sid = 'DenyWithoutMfa') => ({
  Sid,
  Effect: 'Deny',
  NotAction: 'iam:GetUser',
  Resource: '*',
  Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, ...extra },
});

describe('conditionalDenies', () => {
  it('names the statement and the keys that switch an MFA deny off', () => {
    const found = conditionalDenies(request, [policy(mfaDeny({ StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' }, NotIpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }))]);
    expect(found).toEqual([{ policy: 'guard', statement: 'DenyWithoutMfa', keys: ['aws:SourceIp', 'aws:UserAgent'], mfaGuard: true }]);
  });

  it('leaves out a deny that holds for every value, and one the request does not reach', () => {
    expect(conditionalDenies(request, [policy(mfaDeny({ StringLikeIfExists: { 'aws:UserAgent': '*' } }))])).toEqual([]);
    const other = { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } };
    expect(conditionalDenies(request, [policy(other)])).toEqual([]);
  });

  it('marks a deny that tests no MFA key as not a guard', () => {
    const region = { Sid: 'Regions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } } };
    expect(conditionalDenies(request, [policy(region)])).toEqual([{ policy: 'guard', statement: 'Regions', keys: ['aws:RequestedRegion'], mfaGuard: false }]);
  });

  it('a key the request fixes is no longer free', () => {
    const guard = policy(mfaDeny({ StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } }));
    expect(conditionalDenies({ ...request, context: { 'aws:UserAgent': 'aws-cli/2' } }, [guard])).toEqual([]);
    expect(evaluateQuantified({ ...request, context: { 'aws:UserAgent': 'aws-cli/2' } }, [guard]).deniedForEvery).toBe(true);
  });
});

describe('candidateValues', () => {
  const conditionsOf = (condition: Record<string, unknown>) =>
    compilePolicy(policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: condition })).statements[0]?.conditions ?? [];

  it('single-valued: absent, the policy value and an instance of its wildcards, and a value matching none', () => {
    const values = candidateValues('aws:useragent', conditionsOf({ StringNotLike: { 'aws:UserAgent': '*Terraform*' } }), () => undefined);
    expect(values[0]).toBeUndefined();
    expect(values).toContainEqual(['Terraform']);
    expect(values).toContainEqual(['*Terraform*']);
    expect(values.some((value) => value !== undefined && value.length === 1 && !value[0]?.includes('Terraform'))).toBe(true);
  });

  it('numeric bounds: each bound, a point between, one beyond each end', () => {
    const values = candidateValues('s3:max-keys', conditionsOf({ NumericLessThan: { 's3:max-keys': '4' }, NumericGreaterThan: { 's3:max-keys': '6' } }), () => undefined);
    for (const number of ['3', '4', '5', '6', '7']) expect(values).toContainEqual([number]);
  });

  it('IP ranges: the first address, the one before and the one after the range', () => {
    const values = candidateValues('aws:sourceip', conditionsOf({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), () => undefined);
    for (const address of ['10.0.0.0', '9.255.255.255', '11.0.0.0']) expect(values).toContainEqual([address]);
  });

  it('multivalued: also the empty set and all values together', () => {
    const values = candidateValues('aws:tagkeys', conditionsOf({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }), () => undefined);
    expect(values).toContainEqual([]);
    expect(values.some((value) => value !== undefined && value.includes('a') && value.includes('b'))).toBe(true);
  });
});
