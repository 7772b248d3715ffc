// What `verify` must show on the real catalogue, the SCP layering, and the partitioned result against one-by-one.
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalogue, loadCatalogue, type ActionCatalogue } from '../../src/engine/catalogue.js';
import type { NamedPolicy } from '../../src/engine/compile.js';
import { builtinPolicy } from '../../src/engine/builtin-policies.js';
import { verifyPolicies, type AllowedAction, type VerifyReport } from '../../src/engine/verify.js';
import { buildGuard } from '../../src/policy/guard.js';
import { seededRandom } from '../support/seeded-random.js';

let catalogue: ActionCatalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});

const admin = builtinPolicy('AdministratorAccess') as NamedPolicy;
const guard = (profile: 'seed' | 'recommended'): NamedPolicy => ({ name: 'ForceMfaAccess', document: buildGuard({ profile }).document });
const byAction = (entries: readonly AllowedAction[]): Record<string, AllowedAction> =>
  Object.fromEntries(entries.map((entry) => [entry.action, entry]));
const names = (entries: readonly AllowedAction[]): string[] => entries.map((entry) => entry.action);

describe('verify --guard seed', () => {
  it('allows exactly the eight bootstrap actions in a console session without MFA, own-only where scoped', () => {
    const report = verifyPolicies({ policies: [guard('seed')] }, catalogue);
    const allowed = report.contexts['console-no-mfa'].allowed;
    expect(names(allowed)).toEqual([
      'iam:ChangePassword',
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:GetAccountPasswordPolicy',
      'iam:GetUser',
      'iam:ListMFADevices',
      'iam:ListVirtualMFADevices',
      'iam:ResyncMFADevice',
    ]);
    const entries = byAction(allowed);
    for (const action of ['iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ResyncMFADevice']) {
      expect(entries[action], action).toEqual({ action, ownResourcesOnly: true, accountLevel: false });
    }
    for (const action of ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices']) {
      expect(entries[action], action).toEqual({ action, ownResourcesOnly: false, accountLevel: true });
    }
    expect(report.ungated).toEqual(['sts:GetCallerIdentity', 'sts:GetSessionToken']);
    expect(names(allowed)).not.toContain('sts:GetSessionToken');
  });

  it('lets a user with a path do nothing on its own user: user/${aws:username} does not match it', () => {
    const report = verifyPolicies({ policies: [guard('seed')], principalArn: 'arn:aws:iam::111122223333:user/dev/alice' }, catalogue);
    expect(names(report.contexts['console-no-mfa'].allowed)).toEqual([
      'iam:CreateVirtualMFADevice',
      'iam:GetAccountPasswordPolicy',
      'iam:ListVirtualMFADevices',
    ]);
  });

  it('with AdministratorAccess, lets a caller without MFA act on other users\' MFA devices', () => {
    const report = verifyPolicies({ policies: [guard('seed'), admin] }, catalogue);
    for (const context of ['console-no-mfa', 'access-keys'] as const) {
      const entries = byAction(report.contexts[context].allowed);
      for (const action of ['iam:EnableMFADevice', 'iam:ResyncMFADevice', 'iam:CreateVirtualMFADevice', 'iam:ChangePassword']) {
        expect(entries[action]?.ownResourcesOnly, `${context} ${action}`).toBe(false);
      }
    }
    expect(report.contexts.mfa.counts.allowed).toBe(report.contexts.mfa.counts.gatedActions);
  });
});

describe('verify --guard recommended', () => {
  it('allows the bootstrap actions without MFA, user-scoped ones on the own user only', () => {
    const report = verifyPolicies({ policies: [guard('recommended')] }, catalogue);
    const entries = byAction(report.contexts['console-no-mfa'].allowed);
    expect(Object.keys(entries)).toEqual([
      'iam:ChangePassword',
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:GetAccountPasswordPolicy',
      'iam:GetMFADevice',
      'iam:GetUser',
      'iam:ListMFADevices',
      'iam:ListVirtualMFADevices',
      'iam:ResyncMFADevice',
    ]);
    expect(entries['iam:DeactivateMFADevice']).toBeUndefined();
    expect(byAction(report.contexts.mfa.allowed)['iam:DeactivateMFADevice']?.ownResourcesOnly).toBe(true);
  });

  it('with AdministratorAccess, keeps MFA device actions without MFA on the own user only', () => {
    const report = verifyPolicies({ policies: [guard('recommended'), admin] }, catalogue);
    const entries = byAction(report.contexts['console-no-mfa'].allowed);
    for (const action of ['iam:EnableMFADevice', 'iam:ResyncMFADevice', 'iam:GetMFADevice', 'iam:ListMFADevices', 'iam:GetUser', 'iam:ChangePassword']) {
      expect(entries[action]?.ownResourcesOnly, action).toBe(true);
    }
    expect(entries['iam:DeactivateMFADevice']).toBeUndefined();
    expect(entries['iam:DeleteVirtualMFADevice']).toBeUndefined();
    expect(report.contexts['console-no-mfa'].counts.allowed).toBe(9);
  });

  it('with AdministratorAccess, leaves access keys alone only reads of the own user', () => {
    const report = verifyPolicies({ policies: [guard('recommended'), admin] }, catalogue);
    const allowed = report.contexts['access-keys'].allowed;
    expect(allowed).toEqual([
      { action: 'iam:GetMFADevice', ownResourcesOnly: true, accountLevel: false },
      { action: 'iam:GetUser', ownResourcesOnly: true, accountLevel: false },
      { action: 'iam:ListMFADevices', ownResourcesOnly: true, accountLevel: false },
    ]);
    for (const entry of allowed) expect(['Read', 'List']).toContain(catalogue.get(entry.action)?.accessLevel);
  });

  it('keeps the own-user guarantee for a user with a path', () => {
    const report = verifyPolicies(
      { policies: [guard('recommended'), admin], principalArn: 'arn:aws:iam::111122223333:user/dev/alice' },
      catalogue,
    );
    const entries = byAction(report.contexts['console-no-mfa'].allowed);
    expect(entries['iam:EnableMFADevice']?.ownResourcesOnly).toBe(true);
    expect(entries['iam:ChangePassword']?.ownResourcesOnly).toBe(true);
  });
});

describe('service control policies', () => {
  const forceMfaScp: NamedPolicy = {
    name: 'force-mfa-scp',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          NotAction: ['iam:GetUser', 'iam:ListMFADevices', 'iam:EnableMFADevice', 'iam:CreateVirtualMFADevice', 'iam:ListVirtualMFADevices'],
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, StringEquals: { 'aws:PrincipalType': 'User' } },
        },
      ],
    },
  };

  it('must allow and must not deny: a user with AdministratorAccess keeps only the SCP exemptions without MFA', () => {
    const report = verifyPolicies({ policies: [admin], scps: [forceMfaScp] }, catalogue);
    expect(names(report.contexts['console-no-mfa'].allowed)).toEqual([
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:GetUser',
      'iam:ListMFADevices',
      'iam:ListVirtualMFADevices',
    ]);
    expect(report.contexts.mfa.counts.allowed).toBe(report.contexts.mfa.counts.gatedActions);
  });

  it('apply to roles too, and a condition on the principal type leaves roles alone', () => {
    const role = 'arn:aws:iam::111122223333:role/admin';
    const unaffected = verifyPolicies({ policies: [admin], scps: [forceMfaScp], principalArn: role }, catalogue);
    expect(unaffected.contexts['console-no-mfa'].counts.allowed).toBe(unaffected.contexts['console-no-mfa'].counts.gatedActions);
    const s3Only: NamedPolicy = { name: 's3-only', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } };
    const limited = verifyPolicies({ policies: [admin], scps: [forceMfaScp, s3Only], principalArn: role }, catalogue);
    const allowed = names(limited.contexts.mfa.allowed);
    expect(allowed.length).toBe(catalogue.actionsOfService('s3').length);
    expect(allowed.every((action) => action.startsWith('s3:'))).toBe(true);
  });
});

describe('partitioned verify equals evaluating every action one by one', () => {
  function subsetCatalogue(services: readonly string[]): ActionCatalogue {
    return createCatalogue({
      source: 'subset',
      services: services.map((prefix) => {
        const actions = catalogue.actionsOfService(prefix);
        const types = catalogue.resourceTypes.filter((type) => type.service === prefix);
        return {
          prefix,
          actions: actions.map((action) => ({
            name: action.name.slice(prefix.length + 1),
            accessLevel: action.accessLevel,
            resourceTypes: action.resourceTypes.map((entry) => ({ name: entry.type.name, required: entry.required })),
          })),
          resourceTypes: types.map((type) => ({ name: type.name, arn: type.arnTemplate })),
        };
      }),
    });
  }

  const ACTIONS = [
    '*', 'iam:*', 'iam:Get*', 'iam:List*', 'iam:*MFA*', 'iam:?etUser', 'IAM:enablemfadevice', 'iam:CreateVirtualMFADevice',
    'iam:DeleteVirtualMFADevice', 'iam:ChangePassword', 'sts:*', 'sts:GetSessionToken', 's3:*', 's3:Get*', 's3:Put?bject',
    'kms:Decrypt', '*:Get*', 'kms:*Key*',
  ];
  const RESOURCES = [
    '*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}', 'arn:aws:iam::*:user/*',
    'arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::*:mfa/*', 'arn:aws:iam::*:mfa/${aws:username}', 'arn:aws:s3:::bucket/*',
    'arn:aws:s3:::*', 'arn:aws:*:*:*:*', 'arn:aws:iam::*', 'arn:aws:kms:*:111122223333:key/*',
    "arn:aws:s3:::${aws:PrincipalTag/team, 'shared'}/*", 'arn:aws:iam::*:user/${aws:PrincipalTag/missing}', 'arn:aws:iam::*:*',
    // A segment-ending * that runs past colons (the account left out), and one inside a segment that does not.
    'arn:aws:kms:*:key/*', 'arn:aws:kms:us-*-1:key/*',
  ];
  const CONDITIONS: Record<string, Record<string, unknown>>[] = [
    { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    { Bool: { 'aws:MultiFactorAuthPresent': false } },
    { Null: { 'aws:MultiFactorAuthPresent': 'true' } },
    { Null: { 'aws:MultiFactorAuthPresent': 'false' } },
    { StringEquals: { 'aws:username': 'alice' } },
    { StringNotEquals: { 'aws:username': '${aws:username}' } },
    { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
    { StringLike: { 'aws:PrincipalArn': '*/dev/*' } },
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'x' } },
  ];

  function randomPolicies(next: () => number, count: number, prefix: string): NamedPolicy[] {
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const some = <T,>(items: readonly T[], max: number): T[] => Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(items));
    return Array.from({ length: count }, (_, index) => {
      const statements = Array.from({ length: 1 + Math.floor(next() * 4) }, () => {
        const statement: Record<string, unknown> = { Effect: next() < 0.6 ? 'Allow' : 'Deny' };
        statement[next() < 0.2 ? 'NotAction' : 'Action'] = some(ACTIONS, 3);
        statement[next() < 0.15 ? 'NotResource' : 'Resource'] = some(RESOURCES, 2);
        const conditions = next() < 0.5 ? [] : some(CONDITIONS, 2);
        if (conditions.length > 0) statement['Condition'] = Object.assign({}, ...conditions);
        return statement;
      });
      return { name: `${prefix}${index}`, document: { Version: next() < 0.9 ? '2012-10-17' : '2008-10-17', Statement: statements } };
    });
  }

  const contextsOf = (report: VerifyReport) =>
    Object.fromEntries(Object.entries(report.contexts).map(([name, context]) => [name, context.allowed]));

  it('for 60 random policy sets (seeded) on iam, sts, s3 and kms', () => {
    const subset = subsetCatalogue(['iam', 'sts', 's3', 'kms']);
    const next = seededRandom(20240601);
    let nonTrivial = 0;
    for (let trial = 0; trial < 60; trial += 1) {
      const policies = randomPolicies(next, 1 + Math.floor(next() * 2), 'p');
      const scps = next() < 0.25 ? randomPolicies(next, 1, 'scp') : [];
      const principalArn = next() < 0.5 ? 'arn:aws:iam::111122223333:user/alice' : 'arn:aws:iam::111122223333:user/dev/alice';
      const input = { policies, scps, principalArn, principalTags: (next() < 0.5 ? { team: 'blue' } : {}) as Record<string, string> };
      const partitioned = verifyPolicies(input, subset);
      const oneByOne = verifyPolicies(input, subset, { strategy: 'one-by-one' });
      expect(contextsOf(partitioned), `trial ${trial}: ${JSON.stringify(input)}`).toEqual(contextsOf(oneByOne));
      if (Object.values(partitioned.contexts).some((context) => context.allowed.length > 0)) nonTrivial += 1;
    }
    // The generator must produce policies that allow something, or the comparison proves little.
    expect(nonTrivial).toBeGreaterThan(20);
  });

  it('for a resource pattern whose segment-ending * runs past the colons (account left out)', () => {
    const subset = subsetCatalogue(['kms']);
    const policy: NamedPolicy = {
      name: 'keys',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:*:key/*' }] },
    };
    const partitioned = verifyPolicies({ policies: [policy] }, subset);
    expect(names(partitioned.contexts.mfa.allowed)).toEqual(['kms:Decrypt']);
    expect(contextsOf(partitioned)).toEqual(contextsOf(verifyPolicies({ policies: [policy] }, subset, { strategy: 'one-by-one' })));
  });

  it('for the recommended guard with AdministratorAccess on the whole catalogue', () => {
    const input = { policies: [guard('recommended'), admin] };
    expect(contextsOf(verifyPolicies(input, catalogue))).toEqual(contextsOf(verifyPolicies(input, catalogue, { strategy: 'one-by-one' })));
  });
});
