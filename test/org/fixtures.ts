/** An organization for tests: accounts, Organizations/STS mocks with realistic pages, per-account audit reports. */
import { DescribeOrganizationCommand, ListAccountsCommand, type Account, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { auditAccount } from '../../src/audit/audit.js';
import type { AuditReport } from '../../src/audit/types.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Sleep } from '../../src/account/aws/retry.js';
import { CATALOGUE, aUser, anAccount, withStandardGroups } from '../account/builders.js';

export const ORG_ID = 'o-a1b2c3d4e5';
export const MANAGEMENT = '111111111111';
export const ORG_ARN = `arn:aws:organizations::${MANAGEMENT}:organization/${ORG_ID}`;

export function orgAccount(id: string, name: string, state: Account['State'] = 'ACTIVE'): Account {
  return {
    Id: id,
    Arn: `arn:aws:organizations::${MANAGEMENT}:account/${ORG_ID}/${id}`,
    Email: `${name}@example.com`,
    Name: name,
    State: state,
    Status: state === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
    JoinedMethod: 'CREATED',
    JoinedTimestamp: new Date('2023-01-01T00:00:00Z'),
  };
}

export function mockOrganization(organizations: AwsClientStub<OrganizationsClient>, pages: readonly Account[][]): void {
  organizations.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: ORG_ID, Arn: ORG_ARN, MasterAccountId: MANAGEMENT, MasterAccountArn: `arn:aws:organizations::${MANAGEMENT}:account/${ORG_ID}/${MANAGEMENT}`, FeatureSet: 'ALL' },
  });
  pages.forEach((page, index) => {
    const input = index === 0 ? { NextToken: undefined } : { NextToken: `page-${index}` };
    organizations.on(ListAccountsCommand, input).resolves({
      Accounts: page,
      ...(index + 1 < pages.length ? { NextToken: `page-${index + 1}` } : {}),
    });
  });
}

/** STS hands out keys named after the account, so the per-account audit can tell whose credentials it got. */
export function mockAssumeRole(sts: AwsClientStub<STSClient>, denied: ReadonlySet<string> = new Set()): void {
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const accountId = input.RoleArn.split(':')[4] ?? '';
    if (denied.has(accountId)) {
      return Promise.reject(
        Object.assign(new Error(`User: arn:aws:sts::${MANAGEMENT}:assumed-role/Audit/me is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`), {
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
        }),
      );
    }
    return {
      Credentials: {
        AccessKeyId: `ASIA${accountId}`,
        SecretAccessKey: `secret-${accountId}`,
        SessionToken: `token-${accountId}`,
        Expiration: new Date('2030-01-01T00:00:00Z'),
      },
      AssumedRoleUser: { AssumedRoleId: 'AROA:force-mfa-audit', Arn: `arn:aws:sts::${accountId}:assumed-role/OrganizationAccountAccessRole/force-mfa-audit` },
    };
  });
}

export function throttled(name = 'TooManyRequestsException'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** A small account: one protected user, one pending, one unprotected; `extra` more protected users. */
export function accountReport(extra = 0): AuditReport {
  const users = [
    aUser('alice').withPassword().withMfa('virtual').inGroups('ForceMfaAccess'),
    aUser('bob').withPassword().inGroups('ForceMfaAccess'),
    aUser('carol').withPassword().inGroups('Readers'),
    ...Array.from({ length: extra }, (_, index) => aUser(`user${index}`).withPassword().withMfa('fido').inGroups('ForceMfaAccess')),
  ];
  return auditAccount(withStandardGroups(anAccount()).withUsers(...users).build(), { catalogue: CATALOGUE, evaluate });
}

export const DEADLINE_MS = 60_000;

/** Back-offs end at once; the deadline of DEADLINE_MS lasts until the account is done (or forever). */
export function instantSleep(): Sleep {
  return (ms, signal) =>
    ms === DEADLINE_MS ? new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true })) : Promise.resolve();
}
