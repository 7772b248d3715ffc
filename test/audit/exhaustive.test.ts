/** The whole-catalogue check: a guard whose deny exempts a real service is not enforcement for those it lets use it. */
import { describe, expect, it } from 'vitest';
import { auditAccount, type AuditOptions } from '../../src/audit/audit.js';
import { bootstrapAllowlist, type PolicyVerifier } from '../../src/audit/exhaustive.js';
import type { UserAudit } from '../../src/audit/types.js';
import type { ActionCatalogue } from '../../src/engine/catalogue.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { verifyPolicies } from '../../src/engine/verify.js';
import { isForceMfaError } from '../../src/errors.js';
import { SEED_POLICY } from '../../src/policy/seed.js';
import { ADMIN_ARN, CATALOGUE, aUser, anAccount, withStandardGroups, type AccountBuilder, type UserBuilder } from '../account/builders.js';

/** The seed guard with `dynamodb:*` added to the NotAction of its deny: every probe is still denied without MFA. */
const DYNAMODB_EXEMPT_GUARD: unknown = JSON.parse(JSON.stringify(SEED_POLICY).replace('"sts:GetSessionToken"', '"sts:GetSessionToken","dynamodb:*"'));
const S3_ONLY_BOUNDARY = 'arn:aws:iam::123456789012:policy/S3OnlyBoundary';

function account(): AccountBuilder {
  return withStandardGroups(anAccount())
    .withGroup('LeakyGuard', { inline: { ForceMfaAccess: DYNAMODB_EXEMPT_GUARD } })
    .withManagedPolicy(S3_ONLY_BOUNDARY, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' }] });
}

function audit(user: UserBuilder, options: Partial<AuditOptions> = {}): UserAudit {
  const audited = auditAccount(account().withUsers(user).build(), { catalogue: CATALOGUE, evaluate, ...options }).users[0];
  if (audited === undefined) throw new Error('no user');
  return audited;
}

describe('the whole-catalogue check', () => {
  it('a guard exempting dynamodb:* does not enforce MFA on an administrator: all of DynamoDB works without it', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('LeakyGuard', 'Admins'));
    expect(audited.status).toBe('enrolled-not-enforced');
    expect(audited.enforcement).toEqual({ 'console-no-mfa': 'not-denied', 'access-keys': 'not-denied' });
    const reasons = audited.reasons.filter((reason) => reason.code === 'allowed-without-mfa');
    expect(reasons.map((reason) => reason.params.context)).toEqual(['console-no-mfa', 'access-keys']);
    for (const reason of reasons) {
      expect(reason.params.actions).toHaveLength(5);
      expect(reason.params.actions.every((action) => action.startsWith('dynamodb:'))).toBe(true);
      expect(reason.params.count).toBe(CATALOGUE.actionsOfService('dynamodb').length);
    }
    expect(audited.nextStep.code).toBe('deny-or-accept-without-mfa');
    expect(audit(aUser().withPassword().inGroups('LeakyGuard', 'Admins')).status).toBe('unprotected');
    expect(audit(aUser().withAccessKeys().inGroups('LeakyGuard', 'Admins')).status).toBe('unprotected-programmatic');
  });

  it('the same guard enforces MFA on a user who may only read S3: nothing beyond MFA setup works without MFA', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('LeakyGuard', 'Readers'));
    expect(audited.status).toBe('protected');
    expect(audited.reasons.map((reason) => reason.code)).not.toContain('allowed-without-mfa');
  });

  it('a permissions boundary that does not allow DynamoDB closes the gap for an administrator', () => {
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('LeakyGuard', 'Admins').withBoundary(S3_ONLY_BOUNDARY)).status).toBe('protected');
  });

  it('actions accepted with allowWithoutMfa (wildcards) do not count against enforcement', () => {
    const user = (): UserBuilder => aUser().withPassword().withMfa('virtual').inGroups('LeakyGuard', 'Admins');
    expect(audit(user(), { allowWithoutMfa: ['dynamodb:*'] }).status).toBe('protected');
    // Accepting only part of the service leaves the rest open.
    const partial = audit(user(), { allowWithoutMfa: ['dynamodb:Describe*', 'dynamodb:List*'] });
    expect(partial.status).toBe('enrolled-not-enforced');
    const reason = partial.reasons.find((entry) => entry.code === 'allowed-without-mfa');
    expect(reason?.code === 'allowed-without-mfa' && reason.params.actions.some((action) => /^dynamodb:(Describe|List)/.test(action))).toBe(false);
    const report = auditAccount(account().build(), { catalogue: CATALOGUE, allowWithoutMfa: ['dynamodb:*', 'dynamodb:*'] });
    expect(report.options.allowWithoutMfa).toEqual(['dynamodb:*']);
  });

  it.each(['*', 'dynamodb', 'dynamodb:Nope*', 's?:GetObject'])('refuses the allowWithoutMfa pattern %s with an input error', (pattern) => {
    const error = (() => {
      try {
        auditAccount(account().build(), { catalogue: CATALOGUE, allowWithoutMfa: [pattern] });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
  });

  it('the recommended and seed guards with AdministratorAccess stay protected or pending', () => {
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess', 'Admins')).status).toBe('protected');
    expect(audit(aUser().withPassword().inGroups('ForceMfaAccess', 'Admins')).status).toBe('pending-enrollment');
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('SeedForceMfa', 'Admins')).status).toBe('protected');
    expect(audit(aUser().withPassword().inGroups('SeedForceMfa').withManagedPolicy(ADMIN_ARN)).status).toBe('pending-enrollment');
  });

  it('says when the seed guard lets bootstrap actions reach other users (an info finding)', () => {
    const report = auditAccount(
      account().withUsers(aUser('seeded').withPassword().withMfa('virtual').inGroups('SeedForceMfa', 'Admins'), aUser('recommended').withPassword().withMfa('virtual').inGroups('ForceMfaAccess', 'Admins')).build(),
      { catalogue: CATALOGUE, evaluate },
    );
    const seeded = report.users.find((user) => user.userName === 'seeded');
    const reaching = seeded?.reasons.find((reason) => reason.code === 'bootstrap-reaches-other-users');
    expect(reaching?.params).toEqual({ actions: expect.arrayContaining(['iam:ChangePassword', 'iam:EnableMFADevice', 'iam:GetUser']) });
    expect(report.users.find((user) => user.userName === 'recommended')?.reasons.map((reason) => reason.code)).not.toContain('bootstrap-reaches-other-users');
    expect(report.findings.find((finding) => finding.code === 'bootstrap-reaches-other-users')).toMatchObject({ severity: 'info', users: ['seeded'] });
  });

  it('missing data: a leaky guard is unknown, a tight guard still proves enforcement', () => {
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('LeakyGuard', 'Admins', 'Ghost')).status).toBe('unknown');
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess', 'Ghost')).status).toBe('protected');
  });

  it('without a catalogue (a JavaScript caller) no user is enforced: unknown, never a silent skip', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess', 'Admins'), { catalogue: undefined as unknown as ActionCatalogue });
    expect(audited.status).toBe('unknown');
    expect(audited.enforcement).toEqual({ 'console-no-mfa': 'unknown', 'access-keys': 'unknown' });
    expect(audited.reasons.map((reason) => reason.code)).toContain('exhaustive-check-unavailable');
    expect(audited.nextStep.code).toBe('provide-action-catalogue');
  });

  it('a verifier that fails makes the user unknown', () => {
    const failing: PolicyVerifier = () => {
      throw new Error('verifier broke');
    };
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess'), { verify: failing });
    expect(audited.status).toBe('unknown');
  });

  it('verifies once per guard, not once per user (users with their own allows share the deny-only check)', () => {
    let calls = 0;
    const counting: PolicyVerifier = (input, catalogue) => {
      calls++;
      return verifyPolicies(input, catalogue);
    };
    const users = Array.from({ length: 40 }, (_, index) =>
      aUser(`user${index}`).withPassword().withMfa('virtual').inGroups('ForceMfaAccess', index % 2 === 0 ? 'Admins' : 'Readers').withInlinePolicy('Own', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${index}/*` }],
      }),
    );
    const report = auditAccount(account().withUsers(...users).build(), { catalogue: CATALOGUE, evaluate, verify: counting });
    expect(report.summary.byStatus.protected).toBe(40);
    expect(calls).toBe(1);
  });

  it('the allowlist is the union of the seed and recommended guards’ bootstrap actions', () => {
    expect(bootstrapAllowlist()).toEqual(
      expect.arrayContaining([
        'iam:ChangePassword',
        'iam:GetAccountPasswordPolicy',
        'iam:GetUser',
        'iam:ListMFADevices',
        'iam:GetMFADevice',
        'iam:ListVirtualMFADevices',
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:ResyncMFADevice',
      ]),
    );
  });
});
