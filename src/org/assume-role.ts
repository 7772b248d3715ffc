/** Credentials for a member account: the role assumed through STS, or the caller's own for the caller's account. */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { environmentError, inputError } from '../errors.js';
import type { OrgAccount } from './accounts.js';

export const DEFAULT_MEMBER_ROLE = 'OrganizationAccountAccessRole';
export const AUDIT_SESSION_NAME = 'force-mfa-audit';

/** The shape the SDK v3 clients take as `credentials`. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface RoleAssumption {
  /** A role name, optionally with its path (`audit/ForceMfaAudit`). */
  readonly roleName: string;
  readonly externalId?: string | undefined;
  readonly sessionName?: string;
  readonly partition: string;
}

const ROLE_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export function validateRoleName(roleName: string): void {
  if (!ROLE_NAME.test(roleName)) throw inputError('org-role-name', `'${roleName}' is not an IAM role name (letters, digits and +=,.@_-, optionally after a path)`);
}

export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName.replace(/^\/+/, '')}`;
}

/**
 * Temporary credentials of the role in `account`. Every failure names the role and the account: a denied
 * AssumeRole usually means the role is missing, its trust policy does not trust the caller, or the external id differs.
 */
export async function assumeMemberRole(
  sts: STSClient,
  account: Pick<OrgAccount, 'id'>,
  assumption: RoleAssumption,
  signal?: AbortSignal,
): Promise<AwsCredentials> {
  const roleArn = memberRoleArn(assumption.partition, account.id, assumption.roleName);
  try {
    const output = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: assumption.sessionName ?? AUDIT_SESSION_NAME,
        ...(assumption.externalId !== undefined ? { ExternalId: assumption.externalId } : {}),
      }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    const credentials = output.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw environmentError('org-assume-role-empty', `cannot assume role ${roleArn} in account ${account.id}: STS returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken !== undefined ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration !== undefined ? { expiration: credentials.Expiration } : {}),
    };
  } catch (error) {
    if (error instanceof Error && error.name === 'ForceMfaError') throw error;
    const name = (error as { name?: unknown } | null)?.name;
    const message = error instanceof Error ? error.message : String(error);
    const prefix = `cannot assume role ${roleArn} in account ${account.id}`;
    // Throttling keeps its name as the cause so the runner tries again.
    const hint =
      name === 'AccessDenied' || name === 'AccessDeniedException'
        ? ' (does the role exist, and does its trust policy allow the caller' + (assumption.externalId !== undefined ? ' with this external id' : '') + '?)'
        : '';
    throw environmentError('org-assume-role', `${prefix}: ${typeof name === 'string' && name !== 'Error' ? `${name}: ` : ''}${message}${hint}`, error);
  }
}
