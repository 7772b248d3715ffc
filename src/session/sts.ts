/** The few AWS calls an MFA session needs, behind a narrow interface; the SDK is loaded only when a call is made. */
import { HTTP_TIMEOUTS } from '../aws/http.js';
import { environmentError, inputError, isForceMfaError } from '../errors.js';
import type { SessionCredentials } from './credentials.js';

export interface AwsKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface IssuerContext {
  readonly region: string;
  /** The profile whose `endpoint_url` / `services` settings apply (the SDK reads them); absent for environment keys. */
  readonly profile?: string;
}

export interface SessionTokenRequest {
  readonly serialNumber: string;
  readonly tokenCode: string;
  readonly durationSeconds: number;
}

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** Both present for a role assumed with the MFA code; both absent for a role chained from an MFA session. */
  readonly serialNumber?: string;
  readonly tokenCode?: string;
}

export interface MfaSessionIssuer {
  getSessionToken(request: SessionTokenRequest): Promise<SessionCredentials>;
  assumeRole(request: AssumeRoleRequest): Promise<SessionCredentials>;
  /** Serial numbers of the caller's own MFA devices, every page read. */
  listMfaDeviceSerials(): Promise<readonly string[]>;
}

export type IssuerFactory = (keys: AwsKeys, context: IssuerContext) => MfaSessionIssuer;

/**
 * The real issuer: SDK v3 clients with the given keys and region. The endpoint is left to the SDK, which honours
 * AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL and the profile's endpoint_url.
 */
/**
 * The IAM user name behind the keys (sts:GetCallerIdentity is never denied), so that ListMFADevices names the user:
 * AWS infers it when omitted, but AWS-compatible endpoints may not. Undefined when it cannot be told.
 */
async function callerUserName(config: { region: string; credentials: AwsKeys }): Promise<string | undefined> {
  try {
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const arn = (await new STSClient(config).send(new GetCallerIdentityCommand({})))?.Arn;
    return userNameOfArn(arn);
  } catch {
    return undefined;
  }
}

/** `arn:aws:iam::123456789012:user/path/alice` → `alice`; anything but an IAM user → undefined. */
export function userNameOfArn(arn: string | undefined): string | undefined {
  const match = /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn ?? '');
  return match?.[1];
}

/** The SDK client configuration of every session call. */
export function sessionClientConfig(keys: AwsKeys, context: IssuerContext) {
  return {
    region: context.region,
    credentials: { ...keys },
    maxAttempts: 3,
    // Without these the SDK waits forever on an endpoint that accepts a connection and never answers.
    ...HTTP_TIMEOUTS,
    ...(context.profile === undefined ? {} : { profile: context.profile }),
  };
}

export const awsIssuer: IssuerFactory = (keys, context) => {
  const config = sessionClientConfig(keys, context);
  return {
    async getSessionToken(request) {
      const { STSClient, GetSessionTokenCommand } = await import('@aws-sdk/client-sts');
      try {
        const response = await new STSClient(config).send(
          new GetSessionTokenCommand({
            SerialNumber: request.serialNumber,
            TokenCode: request.tokenCode,
            DurationSeconds: request.durationSeconds,
          }),
        );
        return credentialsOf(response.Credentials, 'GetSessionToken');
      } catch (error) {
        throw stsError(error, 'GetSessionToken', keys, request.serialNumber);
      }
    },
    async assumeRole(request) {
      const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
      try {
        const response = await new STSClient(config).send(
          new AssumeRoleCommand({
            RoleArn: request.roleArn,
            RoleSessionName: request.roleSessionName,
            DurationSeconds: request.durationSeconds,
            ...(request.serialNumber === undefined ? {} : { SerialNumber: request.serialNumber, TokenCode: request.tokenCode }),
          }),
        );
        return credentialsOf(response.Credentials, 'AssumeRole');
      } catch (error) {
        throw stsError(error, 'AssumeRole', keys, request.serialNumber, request.roleArn);
      }
    },
    async listMfaDeviceSerials() {
      const { IAMClient, ListMFADevicesCommand } = await import('@aws-sdk/client-iam');
      const client = new IAMClient(config);
      const userName = await callerUserName(config);
      const serials: string[] = [];
      let marker: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListMFADevicesCommand({ ...(userName === undefined ? {} : { UserName: userName }), ...(marker === undefined ? {} : { Marker: marker }) }),
          );
          for (const device of page.MFADevices ?? []) if (device.SerialNumber) serials.push(device.SerialNumber);
          marker = page.IsTruncated === true ? page.Marker : undefined;
        } while (marker !== undefined);
      } catch (error) {
        const { name, message } = describe(error);
        if (/AccessDenied|NotAuthorized/i.test(name)) {
          throw inputError(
            'session.devices-unlisted',
            `no MFA device is configured and listing your devices was denied (${name}): set mfa_serial in the profile of the config file or give the device's serial`,
            error,
          );
        }
        throw awsFailure(error, 'ListMFADevices');
      }
      return serials;
    },
  };
};

function credentialsOf(
  credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
  operation: string,
): SessionCredentials {
  const expiration = credentials?.Expiration;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !(expiration instanceof Date)) {
    throw environmentError('session.sts-incomplete', `${operation} answered without complete credentials; try again or check the STS endpoint`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration,
  };
}

function describe(error: unknown): { name: string; message: string; fromAws: boolean } {
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; $metadata?: unknown; Code?: unknown };
  const name = typeof candidate.Code === 'string' ? candidate.Code : typeof candidate.name === 'string' ? candidate.name : 'Error';
  const message = (typeof candidate.message === 'string' ? candidate.message : String(error)).replace(/\s+/g, ' ').trim();
  return { name, message, fromAws: candidate.$metadata !== undefined };
}

/** One actionable line for what STS says about a session request. */
export function stsError(error: unknown, operation: string, keys: AwsKeys, serial?: string, roleArn?: string): Error {
  if (isForceMfaError(error)) return error;
  const { name, message } = describe(error);
  if (/MultiFactorAuthentication/i.test(message)) {
    return inputError(
      'session.code-rejected',
      `AWS rejected the MFA code${serial === undefined ? '' : ` for device ${serial}`}: it is wrong, already used or expired, ` +
        'or the device is not assigned to this user; wait for the next code and try again',
      error,
    );
  }
  if (/session credentials/i.test(message)) {
    return inputError(
      'session.source-temporary',
      'the source credentials are temporary (a session): GetSessionToken needs the long-term access keys of an IAM user',
      error,
    );
  }
  if (name === 'InvalidClientTokenId') {
    return environmentError(
      'session.keys-unknown',
      `AWS does not know access key ${keys.accessKeyId} (InvalidClientTokenId): it was deleted or belongs to another partition; use current access keys`,
      error,
    );
  }
  if (name === 'SignatureDoesNotMatch') {
    return environmentError(
      'session.secret-wrong',
      `the secret access key does not match access key ${keys.accessKeyId} (SignatureDoesNotMatch): correct aws_secret_access_key`,
      error,
    );
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return environmentError('session.base-expired', `${operation} was refused because the MFA session used for it expired; start a new session`, error);
  }
  if (operation === 'AssumeRole' && /DurationSeconds|MaxSessionDuration/i.test(message)) {
    return inputError('session.duration-rejected', `AWS refused the session duration for ${roleArn ?? 'the role'}: ${message}; ask for a shorter session`, error);
  }
  if (operation === 'AssumeRole' && /AccessDenied/i.test(name)) {
    return environmentError(
      'session.assume-denied',
      `not allowed to assume ${roleArn ?? 'the role'} (${name}): ${message} — check the role's trust policy and your permission sts:AssumeRole`,
      error,
    );
  }
  return awsFailure(error, operation);
}

/** Socket errors reach us with `$metadata` too: they still mean AWS was not reached. */
const NETWORK_ERROR_CODES: readonly string[] = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];

function awsFailure(error: unknown, operation: string): Error {
  const { name, message, fromAws } = describe(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (!fromAws || name === 'TimeoutError' || (typeof code === 'string' && NETWORK_ERROR_CODES.includes(code))) {
    return environmentError('session.unreachable', `${operation} could not reach AWS: ${message} (check the network, AWS_ENDPOINT_URL and the region)`, error);
  }
  return environmentError('session.aws-failed', `${operation} failed (${name}): ${message}`, error);
}
