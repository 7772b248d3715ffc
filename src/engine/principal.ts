/** The calling principal (an IAM user, or a role's session) and the request keys AWS derives from it. */
import { createHash } from 'node:crypto';
import { inputError } from '../errors.js';

export interface Principal {
  readonly arn: string;
  readonly partition: string;
  readonly account: string;
  readonly kind: 'user' | 'role';
  /** The user or role name, without its path. */
  readonly name: string;
  /** `/` or `/dev/` as IAM writes paths. */
  readonly path: string;
}

const USER_OR_ROLE = /^arn:([a-z-]+):iam::(\d{12}):(user|role)\/(?:(.+)\/)?([^/]+)$/;
const ASSUMED_ROLE = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;

/** Accepts an IAM user ARN (with or without a path), an IAM role ARN or an STS assumed-role session ARN. */
export function parsePrincipal(arn: string): Principal {
  const direct = USER_OR_ROLE.exec(arn);
  if (direct !== null) {
    const [, partition, account, kind, path, name] = direct as unknown as [string, string, string, 'user' | 'role', string | undefined, string];
    return { arn, partition, account, kind, name, path: path === undefined ? '/' : `/${path}/` };
  }
  const session = ASSUMED_ROLE.exec(arn);
  if (session !== null) {
    const [, partition, account, role] = session as unknown as [string, string, string, string];
    return { arn: `arn:${partition}:iam::${account}:role/${role}`, partition, account, kind: 'role', name: role, path: '/' };
  }
  throw inputError(
    'principal-arn',
    `principal "${arn}" is not an IAM user or role ARN such as arn:aws:iam::111122223333:user/alice`,
  );
}

/** A stable stand-in for the unique ID when none is given (AIDA... for users, AROA... for roles). */
export function placeholderUserId(principal: Principal): string {
  const digest = createHash('sha256').update(principal.arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = '';
  for (let index = 0; index < 17; index += 1) id += alphabet[(digest[index] ?? 0) % 32];
  return principal.kind === 'user' ? `AIDA${id}` : `AROA${id}:force-mfa-session`;
}

/**
 * The request keys AWS sets from the principal: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
 * aws:userid, aws:username (users only) and aws:PrincipalTag/<key>. Keys are lower-cased (case-insensitive).
 */
export function principalKeys(
  principal: Principal,
  tags: Readonly<Record<string, string>> = {},
  userId?: string,
): Map<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>();
  keys.set('aws:principalarn', [principal.arn]);
  keys.set('aws:principalaccount', [principal.account]);
  keys.set('aws:principaltype', [principal.kind === 'user' ? 'User' : 'AssumedRole']);
  keys.set('aws:userid', [userId ?? placeholderUserId(principal)]);
  if (principal.kind === 'user') keys.set('aws:username', [principal.name]);
  for (const [tag, value] of Object.entries(tags)) keys.set(`aws:principaltag/${tag.toLowerCase()}`, [value]);
  return keys;
}
