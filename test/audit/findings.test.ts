import { describe, expect, it } from 'vitest';
import { auditAccount } from '../../src/audit/audit.js';
import type { PolicyEvaluator } from '../../src/audit/evaluator.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { ADMIN_ARN, CATALOGUE, ADMINISTRATOR_ACCESS, aUser, anAccount, withStandardGroups, type AccountBuilder } from '../account/builders.js';

const codes = (account: AccountBuilder, options: { requireHardware?: boolean; now?: Date } = {}) =>
  auditAccount(account.build(), { catalogue: CATALOGUE, evaluate, ...options }).findings.map((finding) => `${finding.severity}:${finding.code}:${finding.users.join(',')}`);

describe('account findings', () => {
  it('root without MFA, root keys, root unknown', () => {
    expect(codes(anAccount().withRoot({ mfaActive: false, accessKeysActive: true }))).toEqual(['critical:root-without-mfa:', 'high:root-access-keys:']);
    expect(codes(anAccount().withRoot(undefined))).toEqual(['warning:root-mfa-unknown:']);
    expect(codes(anAccount())).toEqual([]);
  });

  describe('the root user', () => {
    const rootOf = (account: AccountBuilder) => auditAccount(account.build(), { catalogue: CATALOGUE, evaluate }).root;
    const summary = { mfaEnabled: true, accessKeysPresent: false, passwordPresent: true, virtualDevice: false };

    it.each([
      ['the report alone (offline)', anAccount().withRoot({ mfaActive: true }), { mfaEnabled: true, mfaDevice: null, passwordPresent: null, accessKeysPresent: false, sources: ['credential-report'] }],
      ['a virtual root device', anAccount().withRootSummary({ ...summary, virtualDevice: true }), { mfaEnabled: true, mfaDevice: 'virtual', passwordPresent: true, sources: ['account-summary', 'credential-report', 'virtual-mfa-devices'] }],
      ['no virtual root device', anAccount().withRootSummary(summary), { mfaEnabled: true, mfaDevice: 'hardware-or-fido' }],
      ['the summary over a stale report', anAccount().withRoot({ mfaActive: true }).withRootSummary({ ...summary, mfaEnabled: false }), { mfaEnabled: false, mfaDevice: null }],
      ['keys in either source', anAccount().withRoot({ accessKeysActive: false }).withRootSummary({ ...summary, accessKeysPresent: true }), { accessKeysPresent: true }],
      ['the device listing unread', anAccount().withRootSummary({ ...summary, virtualDevice: undefined }), { mfaDevice: null }],
    ])('reads %s', (_name, account, expected) => {
      expect(rootOf(account)).toMatchObject(expected);
    });

    it('is unknown, with the reasons, when neither the summary nor the report could be read', () => {
      const denied = { gap: { fact: 'root' as const, cause: 'access-denied' as const, detail: 'iam:GetAccountSummary' } };
      const root = rootOf(anAccount().withRoot(undefined).withRootSummary(denied));
      expect(root).toMatchObject({ mfaEnabled: null, mfaDevice: null, passwordPresent: null, accessKeysPresent: null, sources: [] });
      expect(root?.missing).toContainEqual(denied.gap);
      expect(codes(anAccount().withRoot(undefined).withRootSummary(denied))).toEqual(['warning:root-mfa-unknown:']);
    });
  });

  describe('unassigned virtual devices', () => {
    const serial = (name: string) => `arn:aws:iam::123456789012:mfa/${name}`;
    it('are a finding with their names and the date AWS gives, if any', () => {
      const report = auditAccount(
        anAccount()
          .withUnassignedDevices([
            { serialNumber: serial('zed-phone'), name: 'zed-phone', enabledAt: undefined },
            { serialNumber: serial('amy'), name: 'amy', enabledAt: '2025-01-02T00:00:00.000Z' },
          ])
          .build(),
        { catalogue: CATALOGUE, evaluate },
      );
      expect(report.findings).toEqual([
        {
          code: 'unassigned-virtual-devices',
          severity: 'warning',
          params: {
            devices: [
              { serialNumber: serial('amy'), name: 'amy', enabledAt: '2025-01-02T00:00:00.000Z' },
              { serialNumber: serial('zed-phone'), name: 'zed-phone', enabledAt: null },
            ],
          },
          users: [],
        },
      ]);
    });

    it.each([
      ['denied', { gap: { fact: 'virtual-devices' as const, cause: 'access-denied' as const, detail: 'iam:ListVirtualMFADevices' } }, { cause: 'access-denied', detail: 'iam:ListVirtualMFADevices', file: null }],
      ['never read', undefined, { cause: 'file-missing', detail: null, file: null }],
    ])('are unknown when %s, never "none"', (_name, devices, params) => {
      const report = auditAccount(anAccount().withUnassignedDevices(devices).build(), { catalogue: CATALOGUE, evaluate });
      expect(report.findings).toEqual([{ code: 'unassigned-virtual-devices-unknown', severity: 'warning', params, users: [] }]);
    });
  });

  it('administrators without MFA, however the rights are attached', () => {
    const account = withStandardGroups(anAccount()).withUsers(
      aUser('via-group').withPassword().inGroups('Admins'),
      aUser('via-user').withPassword().withManagedPolicy(ADMIN_ARN),
      aUser('via-inline').withAccessKeys().withInlinePolicy('all', ADMINISTRATOR_ACCESS),
      aUser('escalates').withPassword().withInlinePolicy('self', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: 'arn:aws:iam::*:user/${aws:username}' }] }),
      aUser('reader').withPassword().inGroups('Readers'),
      aUser('enrolled-admin').withPassword().withMfa('fido').inGroups('Admins'),
      aUser('guarded-admin').withPassword().withMfa('fido').inGroups('Admins', 'ForceMfaAccess'),
    );
    expect(codes(account)).toEqual([
      'critical:admin-without-mfa:escalates,via-group,via-inline,via-user',
      'high:admin-not-enforced:enrolled-admin',
    ]);
  });

  it('a permissions boundary that does not allow admin actions makes the user no administrator', () => {
    const boundary = 'arn:aws:iam::123456789012:policy/S3Only';
    const account = withStandardGroups(anAccount())
      .withManagedPolicy(boundary, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] })
      .withUsers(aUser('bounded').withPassword().inGroups('Admins').withBoundary(boundary));
    expect(auditAccount(account.build(), { catalogue: CATALOGUE, evaluate }).users[0]?.administrator).toBe(false);
  });

  it('virtual-only devices are info, or a warning when hardware is required; SMS is a warning', () => {
    const account = withStandardGroups(anAccount()).withUsers(
      aUser('v').withPassword().withMfa('virtual').inGroups('ForceMfaAccess'),
      aUser('vf').withPassword().withMfa('virtual', 'fido').inGroups('ForceMfaAccess'),
      aUser('s').withPassword().withMfa('sms').inGroups('ForceMfaAccess'),
      aUser('r').withPassword().withReportedMfa(true).inGroups('ForceMfaAccess'),
    );
    expect(codes(account)).toEqual(['info:virtual-mfa-only:v', 'warning:sms-mfa:s']);
    expect(codes(account, { requireHardware: true })).toEqual(['warning:virtual-mfa-only:v', 'warning:mfa-kinds-unknown:r', 'warning:sms-mfa:s']);
  });

  it('a stale credential report, with its age', () => {
    const report = auditAccount(anAccount().withReportGeneratedAt('2025-03-01T06:30:00.000Z').build(), { catalogue: CATALOGUE, evaluate });
    expect(report.findings).toEqual([{ code: 'credential-report-stale', severity: 'warning', params: { ageHours: 5.5, settledLive: false }, users: [] }]);
    expect(report.sources[1]?.ageSeconds).toBe(5.5 * 3600);
  });
});

describe('enforcement, soundly', () => {
  it('a deny that also hits MFA sessions (region lock) is not MFA enforcement', () => {
    const regionLock = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }],
    };
    const audited = auditAccount(
      withStandardGroups(anAccount()).withUsers(aUser().withPassword().withMfa('virtual').inGroups('Admins').withInlinePolicy('region', regionLock)).build(),
      { catalogue: CATALOGUE, evaluate },
    ).users[0];
    expect(audited?.status).toBe('enrolled-not-enforced');
  });

  it('a policy the evaluator refuses: enforcement proven by the rest stands, otherwise unknown', () => {
    const unreadable = { Version: '2020-01-01', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const account = withStandardGroups(anAccount()).withUsers(
      aUser('guarded').withPassword().withMfa('virtual').inGroups('ForceMfaAccess').withInlinePolicy('odd', unreadable),
      aUser('unguarded').withPassword().withMfa('virtual').withInlinePolicy('odd', unreadable),
    );
    const [guarded, unguarded] = auditAccount(account.build(), { catalogue: CATALOGUE, evaluate }).users;
    expect(guarded?.status).toBe('protected');
    expect(guarded?.reasons.map((reason) => reason.code)).toContain('policy-unevaluable');
    expect(unguarded?.status).toBe('unknown');
    expect(unguarded?.nextStep).toEqual({ code: 'fix-policy-document', params: { policy: 'user:unguarded/odd' } });
  });

  it('an evaluator that throws on everything never yields protected', () => {
    const broken: PolicyEvaluator = () => {
      throw new Error('boom');
    };
    const report = auditAccount(withStandardGroups(anAccount()).withUsers(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess')).build(), { catalogue: CATALOGUE, evaluate: broken });
    expect(report.users[0]?.status).toBe('unknown');
  });

  it('evaluates each distinct policy set once, however many users share it', () => {
    let calls = 0;
    const counting: PolicyEvaluator = (request, policies) => {
      calls++;
      return evaluate(request, policies);
    };
    const users = Array.from({ length: 300 }, (_, index) => aUser(`user${index}`).withPassword().withMfa('virtual').inGroups(index % 2 === 0 ? 'ForceMfaAccess' : 'Readers'));
    const report = auditAccount(withStandardGroups(anAccount()).withUsers(...users).build(), { catalogue: CATALOGUE, evaluate: counting });
    expect(report.summary.byStatus).toMatchObject({ protected: 150, 'enrolled-not-enforced': 150 });
    const perSet = calls / 2;
    expect(perSet).toBeLessThan(120);
  });

  it('policies naming a user are evaluated per user', () => {
    const onlyBob = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', NotAction: 'iam:ChangePassword', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, StringEquals: { 'aws:username': 'bob' } } }],
    };
    const account = anAccount()
      .withGroup('Team', { inline: { Guard: onlyBob } })
      .withUsers(aUser('alice').withPassword().withMfa('virtual').inGroups('Team'), aUser('bob').withPassword().withMfa('virtual').inGroups('Team'));
    const statuses = auditAccount(account.build(), { catalogue: CATALOGUE, evaluate }).users.map((user) => `${user.userName}:${user.status}`);
    expect(statuses).toEqual(['alice:enrolled-not-enforced', 'bob:protected']);
  });
});
