/** How an MFA session is handed to the user: shell exports, credential_process JSON, force-mfa JSON (pure). */
import { isoSeconds, type StoredSession } from './credentials.js';

export type SessionFormat = 'profile' | 'env' | 'credential-process' | 'json';
export const SESSION_FORMATS: readonly SessionFormat[] = ['profile', 'env', 'credential-process', 'json'];

/** The JSON the AWS `credential_process` setting reads (Version 1), nothing more. */
export function credentialProcessJson(session: StoredSession): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: session.credentials.accessKeyId,
    SecretAccessKey: session.credentials.secretAccessKey,
    SessionToken: session.credentials.sessionToken,
    Expiration: isoSeconds(session.credentials.expiration),
  });
}

/** POSIX shell lines for `eval "$(force-mfa session --format env)"`. */
export function envExports(session: StoredSession): string {
  const lines: [string, string][] = [
    ['AWS_ACCESS_KEY_ID', session.credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', session.credentials.secretAccessKey],
    ['AWS_SESSION_TOKEN', session.credentials.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', isoSeconds(session.credentials.expiration)],
  ];
  return lines.map(([name, value]) => `export ${name}=${shellQuote(value)}`).join('\n') + '\n';
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9+/=._:-]*$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** What happened, besides the credentials: shown by the `json` format. */
export interface SessionOutcome {
  readonly session: StoredSession;
  readonly sourceProfile: string;
  /** The profile of the credentials file that was written or checked (the `profile` format only). */
  readonly targetProfile?: string;
  /** `reused`: no STS call was made; `issued`: a new session; `chained`: a role assumed with an MFA session. */
  readonly how: 'reused' | 'issued' | 'chained';
  readonly mfaSerial?: string;
}

/** The documented `json` format (see docs/session.md): stable keys, ISO 8601 expiry. */
export function sessionJson(outcome: SessionOutcome): string {
  const { session } = outcome;
  return `${JSON.stringify(
    {
      version: 1,
      sourceProfile: outcome.sourceProfile,
      targetProfile: outcome.targetProfile ?? null,
      roleArn: session.roleArn ?? null,
      mfaSerial: outcome.mfaSerial ?? null,
      how: outcome.how,
      accessKeyId: session.credentials.accessKeyId,
      secretAccessKey: session.credentials.secretAccessKey,
      sessionToken: session.credentials.sessionToken,
      expiration: isoSeconds(session.credentials.expiration),
    },
    null,
    2,
  )}\n`;
}
