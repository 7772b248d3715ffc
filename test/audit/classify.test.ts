import { describe, expect, it } from 'vitest';
import { auditAccount } from '../../src/audit/audit.js';
import type { UserStatus } from '../../src/audit/types.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { CATALOGUE, aUser, anAccount, withStandardGroups, type UserBuilder } from '../account/builders.js';

function statusOf(user: UserBuilder, exemptUsers: string[] = []) {
  const snapshot = withStandardGroups(anAccount()).withUsers(user).build();
  const report = auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, exemptUsers });
  const audited = report.users[0];
  if (audited === undefined) throw new Error('no user in report');
  return audited;
}

const cases: { name: string; user: () => UserBuilder; status: UserStatus; exempt?: string[] }[] = [
  { name: 'recommended guard + virtual device', user: () => aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess'), status: 'protected' },
  { name: 'seed guard + FIDO key', user: () => aUser().withPassword().withMfa('fido').inGroups('SeedForceMfa'), status: 'protected' },
  { name: 'guard and admin, hardware', user: () => aUser().withPassword().withMfa('hardware').inGroups('ForceMfaAccess', 'Admins'), status: 'protected' },
  { name: 'guard, no device yet', user: () => aUser().withPassword().inGroups('ForceMfaAccess'), status: 'pending-enrollment' },
  { name: 'guard, keys only, no device', user: () => aUser().withAccessKeys().inGroups('ForceMfaAccess'), status: 'pending-enrollment' },
  { name: 'device but no guard', user: () => aUser().withPassword().withMfa('virtual').inGroups('Admins'), status: 'enrolled-not-enforced' },
  { name: 'device, Bool guard', user: () => aUser().withPassword().withMfa('virtual').inGroups('BoolGuard'), status: 'enrolled-not-enforced' },
  { name: 'password, no device, no guard', user: () => aUser().withPassword().inGroups('Readers'), status: 'unprotected' },
  { name: 'password, no device, Bool guard', user: () => aUser().withPassword().inGroups('BoolGuard'), status: 'unprotected' },
  { name: 'keys only, no guard', user: () => aUser().withAccessKeys(2), status: 'unprotected-programmatic' },
  { name: 'nothing at all', user: () => aUser(), status: 'no-credentials' },
  { name: 'inactive keys only', user: () => aUser().withAccessKeys(1, { active: false }).inGroups('Admins'), status: 'no-credentials' },
  { name: 'exempt by list', user: () => aUser('breakglass').withPassword(), status: 'exempt', exempt: ['breakglass'] },
  { name: 'exempt by tag True', user: () => aUser().withPassword().withTag('force-mfa:exempt', 'True'), status: 'exempt' },
  { name: 'exempt by tag key in other letters (IAM tag keys ignore case)', user: () => aUser().withPassword().withTag('Force-MFA:Exempt', 'true'), status: 'exempt' },
  { name: 'tag other than true is not an exemption', user: () => aUser().withPassword().withTag('force-mfa:exempt', 'yes'), status: 'unprotected' },
  { name: 'password unknown', user: () => aUser().withUnknown('password').withMfa('virtual').inGroups('ForceMfaAccess'), status: 'unknown' },
  { name: 'mfa unknown under guard', user: () => aUser().withPassword().withUnknown('mfa').inGroups('ForceMfaAccess'), status: 'unknown' },
  { name: 'keys unknown, no password', user: () => aUser().withUnknown('access-keys').withMfa('virtual').inGroups('ForceMfaAccess'), status: 'unknown' },
  { name: 'keys active, password unknown, no guard', user: () => aUser().withUnknown('password').withAccessKeys(), status: 'unknown' },
  { name: 'group missing from data', user: () => aUser().withPassword().withMfa('virtual').inGroups('Ghost'), status: 'unknown' },
  { name: 'group missing, but another guard proves enforcement', user: () => aUser().withPassword().withMfa('virtual').inGroups('Ghost', 'ForceMfaAccess'), status: 'protected' },
  { name: 'managed policy missing', user: () => aUser().withPassword().withMfa('virtual').withManagedPolicy('arn:aws:iam::123456789012:policy/Gone'), status: 'unknown' },
  { name: 'user path with recommended guard', user: () => aUser().withPath('/dev/').withPassword().withMfa('virtual').inGroups('ForceMfaAccess'), status: 'protected' },
];

describe('classification', () => {
  it.each(cases)('$name → $status', ({ user, status, exempt }) => {
    expect(statusOf(user(), exempt).status).toBe(status);
  });

  it('says why a Bool guard leaves access keys open', () => {
    const audited = statusOf(aUser().withPassword().withMfa('virtual').inGroups('BoolGuard'));
    expect(audited.enforcement).toEqual({ 'console-no-mfa': 'denied', 'access-keys': 'not-denied' });
    expect(audited.reasons.map((reason) => reason.code)).toContain('guard-console-only');
    expect(audited.nextStep.code).toBe('fix-guard-condition');
  });

  it('names the policy that enforces MFA', () => {
    const audited = statusOf(aUser().withPassword().withMfa('virtual').inGroups('ForceMfaAccess', 'Admins'));
    expect(audited.reasons).toContainEqual({ code: 'mfa-enforced', params: { policies: ['group:ForceMfaAccess/ForceMfaAccess'] } });
    expect(audited.administrator).toBe(true);
  });

  it('explains unknown with the missing fact', () => {
    const audited = statusOf(aUser().withPassword().withUnknown('mfa', 'access-denied', 'iam:ListMFADevices').inGroups('ForceMfaAccess'));
    expect(audited.reasons[0]).toEqual({ code: 'fact-unknown', params: { fact: 'mfa', cause: 'access-denied', detail: 'iam:ListMFADevices' } });
    expect(audited.nextStep).toEqual({ code: 'collect-missing-data', params: { facts: ['mfa'] } });
  });
});
