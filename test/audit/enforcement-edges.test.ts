/** Enforcement edge cases an IAM administrator meets: where the guard lives, what it covers, what cannot be read. */
import { describe, expect, it } from 'vitest';
import { auditAccount } from '../../src/audit/audit.js';
import { OTHER_SERVICES_PROBE } from '../../src/audit/enforcement.js';
import type { UserAudit } from '../../src/audit/types.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { ADMIN_ARN, CATALOGUE, RECOMMENDED_DOCUMENT, aUser, anAccount, withStandardGroups, type AccountBuilder, type UserBuilder } from '../account/builders.js';

const MFA_FALSE = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } };
/** Denies five named services without MFA, and nothing else: every other service stays open. */
const SERVICE_LIST_GUARD = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenySomeServicesWithoutMfa', Effect: 'Deny', Action: ['s3:*', 'ec2:*', 'lambda:*', 'iam:*', 'sts:*'], Resource: '*', Condition: MFA_FALSE }],
};
const GUARD_DENIES = (RECOMMENDED_DOCUMENT as { Statement: { Effect: string }[] }).Statement.filter((statement) => statement.Effect === 'Deny');
const BOUNDARY_WITH_GUARD = 'arn:aws:iam::123456789012:policy/BoundaryWithGuard';
const GUARD_MANAGED = 'arn:aws:iam::123456789012:policy/ForceMfaManaged';
const GONE_BOUNDARY = 'arn:aws:iam::123456789012:policy/GoneBoundary';
/** A deny with an operator nobody knows: the evaluator refuses it (fail closed), it is never skipped. */
const UNEVALUABLE = { Version: '2012-10-17', Statement: [{ Sid: 'Odd', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NoSuchOperator: { 'aws:x': 'y' } } }] };

function account(): AccountBuilder {
  return withStandardGroups(anAccount())
    .withGroup('SomeServices', { inline: { DenySomeServices: SERVICE_LIST_GUARD } })
    .withGroup('Odd', { inline: { Odd: UNEVALUABLE } })
    .withGroup('Unparsed', { inline: { Unparsed: undefined } })
    .withManagedPolicy(BOUNDARY_WITH_GUARD, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, ...GUARD_DENIES] })
    .withManagedPolicy(GUARD_MANAGED, RECOMMENDED_DOCUMENT);
}

function audit(user: UserBuilder): UserAudit {
  const audited = auditAccount(account().withUsers(user).build(), { catalogue: CATALOGUE, evaluate }).users[0];
  if (audited === undefined) throw new Error('no user');
  return audited;
}

describe('enforcement edge cases', () => {
  it('a guard that names some services is not enforcement: the other services stay open without MFA', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('SomeServices'));
    expect(audited.status).toBe('enrolled-not-enforced');
    expect(audited.enforcement).toEqual({ 'console-no-mfa': 'not-denied', 'access-keys': 'not-denied' });
    expect(audited.reasons).toContainEqual({ code: 'not-enforced', params: { context: 'access-keys', actions: [OTHER_SERVICES_PROBE.action] } });
    expect(audit(aUser().withPassword().inGroups('SomeServices')).status).toBe('unprotected');
  });

  it('a member of a guard group and of an admin group is protected: no allow lifts the guard deny', () => {
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('Admins', 'ForceMfaAccess')).status).toBe('protected');
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess').withManagedPolicy(ADMIN_ARN)).status).toBe('protected');
  });

  it('a guard in the permissions boundary enforces MFA like one in a group', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('Admins').withBoundary(BOUNDARY_WITH_GUARD));
    expect(audited.status).toBe('protected');
    expect(audited.reasons).toContainEqual({ code: 'mfa-enforced', params: { policies: ['boundary/BoundaryWithGuard'] } });
    expect(audit(aUser().withPassword().inGroups('Admins').withBoundary(BOUNDARY_WITH_GUARD)).status).toBe('pending-enrollment');
  });

  it('a boundary whose document is missing leaves "not enforced" unknown (it might deny), never a guess', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('Admins').withBoundary(GONE_BOUNDARY));
    expect(audited.status).toBe('unknown');
    // A guard proven by readable policies holds whatever the boundary says.
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess').withBoundary(GONE_BOUNDARY)).status).toBe('protected');
  });

  it('a guard attached to the user as a managed policy counts', () => {
    const audited = audit(aUser().withPassword().withMfa('fido').withManagedPolicy(GUARD_MANAGED));
    expect(audited.status).toBe('protected');
    expect(audited.reasons).toContainEqual({ code: 'mfa-enforced', params: { policies: ['user:alice/ForceMfaManaged'] } });
  });

  it('a Bool guard (console only) is not enforcement, whatever group name it has', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('BoolGuard'));
    expect(audited.status).toBe('enrolled-not-enforced');
    expect(audited.enforcement['access-keys']).toBe('not-denied');
  });

  it('a policy the evaluator refuses makes the user unknown unless the readable policies prove the guard', () => {
    const alone = audit(aUser().withPassword().withMfa('virtual').inGroups('Odd', 'Admins'));
    expect(alone.status).toBe('unknown');
    expect(alone.reasons.map((reason) => reason.code)).toContain('policy-unevaluable');
    expect(alone.nextStep).toEqual({ code: 'fix-policy-document', params: { policy: 'group:Odd/Odd' } });
    expect(audit(aUser().withPassword().withMfa('virtual').inGroups('Odd', 'ForceMfaAccess')).status).toBe('protected');
  });

  it('a policy document that could not be decoded makes the user unknown, and says which', () => {
    const audited = audit(aUser().withPassword().withMfa('virtual').inGroups('Unparsed'));
    expect(audited.status).toBe('unknown');
    expect(audited.enforcement).toEqual({ 'console-no-mfa': 'unknown', 'access-keys': 'unknown' });
  });

  it('users with paths are judged on their own ARN (seed guard scoped to user/${aws:username})', () => {
    const audited = audit(aUser('deep').withPath('/a/b/').withPassword().withMfa('virtual').inGroups('SeedForceMfa'));
    expect(audited.status).toBe('protected');
    expect(audited.arn).toBe('arn:aws:iam::123456789012:user/a/b/deep');
  });
});
