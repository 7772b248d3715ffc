/** Which long-term keys, MFA device and region a source profile of the shared AWS files stands for (pure). */
import { environmentError, inputError } from '../errors.js';
import { readSection, sectionNames, type IniDocument } from './ini.js';

/** The two shared files, as read: a document is absent when its file does not exist. */
export interface AwsFileSet {
  readonly credentialsPath: string;
  readonly configPath: string;
  readonly credentials?: IniDocument;
  readonly config?: IniDocument;
}

export type SourceOrigin = 'credentials-file' | 'config-file' | 'environment';

/** The long-term access keys of an IAM user, and the settings of the profile they came from. */
export interface SourceProfile {
  readonly name: string;
  readonly origin: SourceOrigin;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly mfaSerial?: string;
  readonly region?: string;
  /** `force_mfa_code_command` of the profile in the config file: the command that prints the MFA code. */
  readonly codeCommand?: string;
}

/** The config-file key that names a command printing the MFA code (see docs/session.md). */
export const CODE_COMMAND_KEY = 'force_mfa_code_command';

// The characters a profile name may hold so that the AWS CLI (configparser, botocore) and the JavaScript SDK
// (@smithy/shared-ini-file-loader, whose `[profile NAME]` pattern is exactly this set) read `[NAME]` and
// `[profile NAME]` as the same profile: no whitespace, brackets, quotes or comment markers.
const PROFILE_NAME = /^[\w@+.%:/-]+$/;

/** A name to write as a section, or an error: anything the AWS CLI and SDKs would read differently is refused. */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name) || name === '__proto__' || name.length > 128) {
    throw inputError(
      'session.target-invalid',
      `${JSON.stringify(name)} cannot be a profile name that the AWS CLI and the SDKs read alike: use letters, digits and - _ . @ + % : / only, without spaces`,
    );
  }
  return name;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The paths the AWS SDKs and CLI use: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, `~/` expanded. */
export function sharedFilePaths(env: Environment, homeDir: string): { credentialsPath: string; configPath: string } {
  const expand = (path: string): string => (path.startsWith('~/') ? `${homeDir}/${path.slice(2)}` : path);
  return {
    credentialsPath: expand(nonEmpty(env['AWS_SHARED_CREDENTIALS_FILE']) ?? `${homeDir}/.aws/credentials`),
    configPath: expand(nonEmpty(env['AWS_CONFIG_FILE']) ?? `${homeDir}/.aws/config`),
  };
}

/** The section that holds a profile in the config file: `[default]` or `[profile NAME]`. */
export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

export function configProfile(files: AwsFileSet, profile: string): Readonly<Record<string, string>> | undefined {
  if (files.config === undefined) return undefined;
  const primary = readSection(files.config, configSectionName(profile));
  // The SDKs also accept `[profile default]` for the default profile.
  return primary ?? (profile === 'default' ? readSection(files.config, 'profile default') : undefined);
}

export function credentialsProfile(files: AwsFileSet, profile: string): Readonly<Record<string, string>> | undefined {
  return files.credentials === undefined ? undefined : readSection(files.credentials, profile);
}

/** Every profile named in either file, sorted. */
export function listProfiles(files: AwsFileSet): string[] {
  const names = new Set<string>();
  if (files.credentials !== undefined) for (const name of sectionNames(files.credentials)) names.add(name);
  if (files.config !== undefined) {
    for (const name of sectionNames(files.config)) {
      if (name === 'default') names.add(name);
      else if (name.startsWith('profile ')) names.add(name.slice('profile '.length));
    }
  }
  return [...names].sort();
}

export interface SourceRequest {
  /** The profile name: given by the user, from AWS_PROFILE, or `default`. */
  readonly name: string;
  /** False when nobody named a profile: then AWS_ACCESS_KEY_ID may stand in for a missing `default`. */
  readonly chosen: boolean;
}

/** The source profile's long-term keys; an error that says what to do when there are none or they are temporary. */
export function resolveSourceProfile(files: AwsFileSet, request: SourceRequest, env: Environment): SourceProfile {
  const fromConfig = configProfile(files, request.name);
  const fromCredentials = credentialsProfile(files, request.name);
  const merged = { ...(fromConfig ?? {}), ...(fromCredentials ?? {}) };
  const settings = {
    mfaSerial: nonEmpty(fromConfig?.['mfa_serial']) ?? nonEmpty(fromCredentials?.['mfa_serial']),
    region: nonEmpty(fromConfig?.['region']) ?? nonEmpty(fromCredentials?.['region']),
    codeCommand: nonEmpty(fromConfig?.[CODE_COMMAND_KEY]),
  };
  const where = `${files.credentialsPath} or ${files.configPath}`;

  if (nonEmpty(merged['aws_access_key_id']) === undefined && !request.chosen && request.name === 'default') {
    const fromEnvironment = environmentKeys(env);
    if (fromEnvironment !== undefined) return { name: 'default', origin: 'environment', ...fromEnvironment, ...settings };
  }
  if (fromConfig === undefined && fromCredentials === undefined) {
    const found = listProfiles(files);
    const list = found.length > 0 ? `profiles found: ${found.join(', ')}` : 'no profiles found';
    if (!request.chosen) {
      throw environmentError(
        'session.no-credentials',
        `no AWS credentials: no profile 'default' in ${where} and AWS_ACCESS_KEY_ID is not set; ${list}`,
      );
    }
    throw inputError('session.profile-unknown', `profile '${request.name}' is not in ${where}; ${list}`);
  }

  const accessKeyId = nonEmpty(merged['aws_access_key_id']);
  const secretAccessKey = nonEmpty(merged['aws_secret_access_key']);
  if (nonEmpty(merged['aws_session_token']) !== undefined || nonEmpty(merged['aws_security_token']) !== undefined || accessKeyId?.startsWith('ASIA')) {
    throw inputError(
      'session.source-temporary',
      `profile '${request.name}' holds temporary credentials (a session token): GetSessionToken cannot be called with ` +
        'session credentials; use a profile with the long-term access keys of an IAM user (AKIA...)',
    );
  }
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const role = nonEmpty(merged['role_arn']);
    const via = nonEmpty(merged['source_profile']);
    if (role !== undefined && via !== undefined) {
      throw inputError(
        'session.source-is-role',
        `profile '${request.name}' assumes role ${role} through profile '${via}': use '${via}' as the source profile and ${role} as the role`,
      );
    }
    throw inputError(
      'session.source-no-keys',
      `profile '${request.name}' has no long-term access keys (aws_access_key_id and aws_secret_access_key) in ${where}: ` +
        'an MFA session starts from the access keys of an IAM user',
    );
  }
  const origin: SourceOrigin = nonEmpty(fromCredentials?.['aws_access_key_id']) !== undefined ? 'credentials-file' : 'config-file';
  return { name: request.name, origin, accessKeyId, secretAccessKey, ...settings };
}

function environmentKeys(env: Environment): { accessKeyId: string; secretAccessKey: string } | undefined {
  const accessKeyId = nonEmpty(env['AWS_ACCESS_KEY_ID']);
  const secretAccessKey = nonEmpty(env['AWS_SECRET_ACCESS_KEY']);
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  if (nonEmpty(env['AWS_SESSION_TOKEN']) !== undefined || accessKeyId.startsWith('ASIA')) {
    throw inputError(
      'session.source-temporary',
      'AWS_ACCESS_KEY_ID and AWS_SESSION_TOKEN hold temporary credentials: GetSessionToken cannot be called with session ' +
        'credentials; unset them or name a profile with the long-term access keys of an IAM user',
    );
  }
  return { accessKeyId, secretAccessKey };
}

/** The region for STS: AWS_REGION, else the profile's region, else AWS_DEFAULT_REGION, else us-east-1. */
export function stsRegion(source: SourceProfile, env: Environment): string {
  return nonEmpty(env['AWS_REGION']) ?? source.region ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
