/** YAML tags for CloudFormation's short-form intrinsic functions (!Ref, !Sub, !GetAtt, ...), read as their long form. */
import type { CollectionTag, ScalarTag } from 'yaml';

const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not',
  'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Transform',
] as const;

function longName(shortName: string): string {
  return shortName === 'Ref' || shortName === 'Condition' ? shortName : `Fn::${shortName}`;
}

function tagsFor(shortName: string): (ScalarTag | CollectionTag)[] {
  const key = longName(shortName);
  // `!GetAtt Resource.Attribute` is the one short form whose scalar means a list.
  const scalar: ScalarTag = {
    tag: `!${shortName}`,
    resolve: (value) => ({ [key]: shortName === 'GetAtt' ? splitGetAtt(value) : value }),
  };
  const sequence: CollectionTag = { tag: `!${shortName}`, collection: 'seq', resolve: (node) => ({ [key]: node.toJSON() }) };
  const mapping: CollectionTag = { tag: `!${shortName}`, collection: 'map', resolve: (node) => ({ [key]: node.toJSON() }) };
  return [scalar, sequence, mapping];
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

export const CLOUDFORMATION_TAGS: readonly (ScalarTag | CollectionTag)[] = [
  ...tagsFor('Ref'),
  ...tagsFor('Condition'),
  ...FUNCTIONS.flatMap((name) => tagsFor(name)),
];
