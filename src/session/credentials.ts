/** MFA session credentials, when a stored one may be reused, and how they are kept in the cache and the credentials file (pure). */

export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** What a stored session was made from, so that it is reused only for the same keys and role. */
export interface SessionOrigin {
  /** The access key id of the long-term keys the session came from (an identifier, not a secret). */
  readonly sourceAccessKeyId: string;
  readonly roleArn?: string;
}

export interface StoredSession extends SessionOrigin {
  readonly credentials: SessionCredentials;
}

/** A stored session is renewed this long before it expires. */
export const RENEWAL_MARGIN_SECONDS = 300;
/** When no new code can be had, a session this close to expiry is still handed out (with a warning). */
export const LAST_RESORT_SECONDS = 60;

export type Freshness = 'valid' | 'expiring' | 'expired';

/** `valid`: more than the margin left; `expiring`: still usable for a short while; `expired`. */
export function freshness(credentials: SessionCredentials, now: Date, marginSeconds = RENEWAL_MARGIN_SECONDS): Freshness {
  const left = (credentials.expiration.getTime() - now.getTime()) / 1000;
  if (left > marginSeconds) return 'valid';
  if (left > LAST_RESORT_SECONDS) return 'expiring';
  return 'expired';
}

export function sameOrigin(stored: SessionOrigin, wanted: SessionOrigin): boolean {
  return stored.sourceAccessKeyId === wanted.sourceAccessKeyId && (stored.roleArn ?? '') === (wanted.roleArn ?? '');
}

/** `2026-01-02T03:04:05Z`: ISO 8601 in UTC without milliseconds, as STS writes it. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- the cache file: the credential_process JSON plus what the session was made from ----

export interface CacheFile {
  readonly Version: 1;
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: string;
  readonly SourceAccessKeyId: string;
  readonly RoleArn?: string;
}

export function toCacheFile(session: StoredSession): CacheFile {
  return {
    Version: 1,
    AccessKeyId: session.credentials.accessKeyId,
    SecretAccessKey: session.credentials.secretAccessKey,
    SessionToken: session.credentials.sessionToken,
    Expiration: isoSeconds(session.credentials.expiration),
    SourceAccessKeyId: session.sourceAccessKeyId,
    ...(session.roleArn === undefined ? {} : { RoleArn: session.roleArn }),
  };
}

/** A cache file's content, or undefined when it is not one we wrote (a damaged cache is ignored, never trusted). */
export function fromCacheFile(text: string): StoredSession | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const value = parsed as Record<string, unknown>;
  const strings = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration', 'SourceAccessKeyId'] as const;
  if (value['Version'] !== 1 || strings.some((key) => typeof value[key] !== 'string' || value[key] === '')) return undefined;
  const expiration = new Date(value['Expiration'] as string);
  if (Number.isNaN(expiration.getTime())) return undefined;
  const roleArn = typeof value['RoleArn'] === 'string' ? value['RoleArn'] : undefined;
  return {
    credentials: {
      accessKeyId: value['AccessKeyId'] as string,
      secretAccessKey: value['SecretAccessKey'] as string,
      sessionToken: value['SessionToken'] as string,
      expiration,
    },
    sourceAccessKeyId: value['SourceAccessKeyId'] as string,
    ...(roleArn === undefined ? {} : { roleArn }),
  };
}

// ---- the target profile of the credentials file ----

/** Keys force-mfa writes into the target profile besides the three the SDKs read. */
export const EXPIRY_KEY = 'x_security_token_expires';
export const SOURCE_KEY_KEY = 'x_force_mfa_source_key_id';
export const ROLE_KEY = 'x_force_mfa_role_arn';

/** The entries of the target profile (`undefined` removes a key left from an earlier session). */
export function profileEntries(session: StoredSession): Record<string, string | undefined> {
  return {
    aws_access_key_id: session.credentials.accessKeyId,
    aws_secret_access_key: session.credentials.secretAccessKey,
    aws_session_token: session.credentials.sessionToken,
    // boto2's older name for the token: a stale one would be sent instead of ours by some tools.
    aws_security_token: undefined,
    [EXPIRY_KEY]: isoSeconds(session.credentials.expiration),
    [SOURCE_KEY_KEY]: session.sourceAccessKeyId,
    [ROLE_KEY]: session.roleArn,
  };
}

/** The session a target profile holds, when force-mfa wrote it; undefined otherwise. */
export function sessionFromProfile(entries: Readonly<Record<string, string>> | undefined): StoredSession | undefined {
  if (entries === undefined) return undefined;
  const accessKeyId = entries['aws_access_key_id'];
  const secretAccessKey = entries['aws_secret_access_key'];
  const sessionToken = entries['aws_session_token'];
  const expires = entries[EXPIRY_KEY];
  const sourceAccessKeyId = entries[SOURCE_KEY_KEY];
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expires || !sourceAccessKeyId) return undefined;
  const expiration = new Date(expires);
  if (Number.isNaN(expiration.getTime())) return undefined;
  const roleArn = entries[ROLE_KEY];
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken, expiration },
    sourceAccessKeyId,
    ...(roleArn ? { roleArn } : {}),
  };
}

/** True when a profile holds long-term keys (an access key without a session token): never overwrite it. */
export function holdsLongTermKeys(entries: Readonly<Record<string, string>> | undefined): boolean {
  if (entries === undefined) return false;
  return Boolean(entries['aws_access_key_id']) && !entries['aws_session_token'] && !entries['aws_security_token'];
}
