/** Get an MFA session for a source profile: reuse a stored one while it is valid, else ask STS, then store it. */
import { inputError, isForceMfaError } from '../errors.js';
import {
  CHAINED_ROLE_MAX_SECONDS,
  DEFAULT_ROLE_SECONDS,
  DEFAULT_SESSION_TOKEN_SECONDS,
  ROLE_RANGE,
  SESSION_TOKEN_RANGE,
  checkDuration,
  formatSeconds,
  parseDuration,
} from './duration.js';
import {
  freshness,
  holdsLongTermKeys,
  isoSeconds,
  profileEntries,
  sameOrigin,
  sessionFromProfile,
  type SessionOrigin,
  type StoredSession,
} from './credentials.js';
import { checkTokenCode, checkUsableSerial, pickListedDevice } from './device.js';
import type { SessionFormat, SessionOutcome } from './formats.js';
import { readSection, setSectionEntries, serializeIni } from './ini.js';
import {
  configProfile,
  configSectionName,
  credentialsProfile,
  resolveSourceProfile,
  sharedFilePaths,
  stsRegion,
  type AwsFileSet,
  type Environment,
  type SourceProfile,
} from './profiles.js';
import {
  cacheDirectory,
  cacheFilePath,
  currentMode,
  parsedFile,
  readCachedSession,
  readTextFile,
  replaceFileAtomic,
  writeCachedSession,
  type LoadedFile,
} from './store.js';
import type { IssuerFactory, MfaSessionIssuer } from './sts.js';

export interface SessionRequest {
  /** The source profile; else AWS_PROFILE, else `default`. */
  readonly profile?: string;
  /** The profile of the credentials file to write (format `profile`); default `SOURCE-mfa`. */
  readonly targetProfile?: string;
  readonly serial?: string;
  readonly code?: string;
  /** As written: `12h`, `90m`, `3600`. */
  readonly duration?: string;
  readonly roleArn?: string;
  readonly roleSessionName?: string;
  readonly format: SessionFormat;
  /** Ignore every stored session and ask for a new code. */
  readonly force: boolean;
}

/** What the session logic needs from the outside world, so tests can stand in for the terminal, clock and AWS. */
export interface SessionHost {
  readonly env: Environment;
  readonly homeDir: string;
  now(): Date;
  /** True when a person can answer questions (stdin and stderr are terminals). */
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
  /** One line of progress or warning for a person (stderr). */
  notice(line: string): void;
  readonly issuer: IssuerFactory;
  /** The command that renews the session in a terminal, quoted in the error when no code can be asked for. */
  readonly renewCommand: string;
}

interface Plan {
  readonly code?: string;
  readonly serial?: string;
  readonly roleArn?: string;
  readonly roleSessionName?: string;
  readonly durationSeconds: number;
}

export async function obtainSession(request: SessionRequest, host: SessionHost): Promise<SessionOutcome> {
  const plan = validate(request);
  const paths = sharedFilePaths(host.env, host.homeDir);
  const credentialsFile = readTextFile(paths.credentialsPath);
  const configFile = readTextFile(paths.configPath);
  const files: AwsFileSet = { ...paths, credentials: parsedFile(credentialsFile), config: parsedFile(configFile) };
  const profileFromEnv = nonEmpty(host.env['AWS_PROFILE']);
  const source = resolveSourceProfile(
    files,
    { name: request.profile ?? profileFromEnv ?? 'default', chosen: request.profile !== undefined || profileFromEnv !== undefined },
    host.env,
  );
  const roleSessionName = plan.roleArn === undefined ? undefined : checkSessionName(plan.roleSessionName ?? defaultSessionName(source.name));
  const target = request.format === 'profile' ? checkTarget(request.targetProfile ?? defaultTarget(source.name, plan.roleArn), source, files) : undefined;

  const origin: SessionOrigin = { sourceAccessKeyId: source.accessKeyId, ...(plan.roleArn === undefined ? {} : { roleArn: plan.roleArn }) };
  const directory = cacheDirectory(host.env, host.homeDir);
  const cachePath = cacheFilePath(directory, source.name, plan.roleArn);
  const stored = latest(
    [readCachedSession(cachePath), target === undefined ? undefined : sessionFromProfile(credentialsProfile(files, target))].filter(
      (session): session is StoredSession => session !== undefined && sameOrigin(session, origin),
    ),
  );
  const now = host.now();
  const base = { sourceProfile: source.name, ...(target === undefined ? {} : { targetProfile: target }) };
  const deliver = (session: StoredSession, how: SessionOutcome['how'], mfaSerial?: string): SessionOutcome => {
    if (how !== 'reused') writeCachedSession(cachePath, session);
    if (target !== undefined) writeTargetProfile(session, target, source, credentialsFile, configFile, files, host);
    return { ...base, session, how, ...(mfaSerial === undefined ? {} : { mfaSerial }) };
  };

  if (!request.force && stored !== undefined && freshness(stored.credentials, now) === 'valid') {
    host.notice(`reusing the MFA session of profile '${source.name}': valid until ${isoSeconds(stored.credentials.expiration)} (${left(stored, now)} left)`);
    return deliver(stored, 'reused');
  }

  if (plan.roleArn !== undefined && roleSessionName !== undefined && !request.force) {
    const chained = await chainFromBaseSession(plan, roleSessionName, source, directory, host);
    if (chained !== undefined) return deliver({ ...origin, credentials: chained }, 'chained');
  }

  if (plan.code === undefined && !host.interactive) {
    if (!request.force && stored !== undefined && freshness(stored.credentials, now) === 'expiring') {
      host.notice(
        `warning: the MFA session of profile '${source.name}' expires at ${isoSeconds(stored.credentials.expiration)}; run \`${host.renewCommand} --force\` in a terminal to renew it`,
      );
      return deliver(stored, 'reused');
    }
    throw inputError(
      'session.code-required',
      `the MFA session of profile '${source.name}' ${stored === undefined ? 'does not exist yet' : 'has expired'} and there is no terminal to ask for an MFA code: run \`${host.renewCommand}\` in a terminal`,
    );
  }

  let issuer: MfaSessionIssuer | undefined;
  const issuerOfSource = (): MfaSessionIssuer => {
    issuer ??= host.issuer({ accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey }, issuerContext(source, host.env));
    return issuer;
  };
  const serial = await resolveDevice(plan.serial, source, issuerOfSource, host);
  const code = plan.code ?? (await askForCode(serial, host));
  const credentials =
    plan.roleArn !== undefined && roleSessionName !== undefined
      ? await issuerOfSource().assumeRole({ roleArn: plan.roleArn, roleSessionName, durationSeconds: plan.durationSeconds, serialNumber: serial, tokenCode: code })
      : await issuerOfSource().getSessionToken({ serialNumber: serial, tokenCode: code, durationSeconds: plan.durationSeconds });
  return deliver({ ...origin, credentials }, 'issued', serial);
}

/** A person who mistypes the code is asked again (three tries), rather than made to start over. */
async function askForCode(serial: string, host: SessionHost, tries = 3): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return checkTokenCode(await host.ask(`MFA code for ${serial}: `));
    } catch (error) {
      if (attempt >= tries || !isForceMfaError(error)) throw error;
      host.notice(`${error.message}; try again`);
    }
  }
}

/** Everything that can be checked without files or AWS, checked first. */
function validate(request: SessionRequest): Plan {
  const code = request.code === undefined ? undefined : checkTokenCode(request.code);
  const serial = request.serial === undefined ? undefined : checkUsableSerial(request.serial.trim());
  const roleArn = request.roleArn === undefined ? undefined : checkRoleArn(request.roleArn.trim());
  if (request.roleSessionName !== undefined) checkSessionName(request.roleSessionName);
  if (request.targetProfile !== undefined && request.format !== 'profile') {
    throw inputError('session.target-without-profile-format', `a target profile is written only in the 'profile' format, not '${request.format}'`);
  }
  const range = roleArn === undefined ? SESSION_TOKEN_RANGE : ROLE_RANGE;
  const durationSeconds =
    request.duration === undefined
      ? roleArn === undefined
        ? DEFAULT_SESSION_TOKEN_SECONDS
        : DEFAULT_ROLE_SECONDS
      : checkDuration(parseDuration(request.duration), range, request.duration);
  return {
    durationSeconds,
    ...(code === undefined ? {} : { code }),
    ...(serial === undefined ? {} : { serial }),
    ...(roleArn === undefined ? {} : { roleArn }),
    ...(request.roleSessionName === undefined ? {} : { roleSessionName: request.roleSessionName }),
  };
}

/** A role assumed with a still-valid MFA session of the same source: no code needed, but at most one hour. */
async function chainFromBaseSession(
  plan: Plan,
  roleSessionName: string,
  source: SourceProfile,
  directory: string,
  host: SessionHost,
): Promise<StoredSession['credentials'] | undefined> {
  const baseSession = readCachedSession(cacheFilePath(directory, source.name));
  if (baseSession === undefined || !sameOrigin(baseSession, { sourceAccessKeyId: source.accessKeyId })) return undefined;
  if (freshness(baseSession.credentials, host.now()) !== 'valid' || plan.roleArn === undefined) return undefined;
  const seconds = Math.min(plan.durationSeconds, CHAINED_ROLE_MAX_SECONDS);
  if (plan.durationSeconds > CHAINED_ROLE_MAX_SECONDS) {
    host.notice(
      `a role assumed with an MFA session (role chaining) lasts at most 1h: asking for 1h instead of ${formatSeconds(plan.durationSeconds)}`,
    );
  }
  host.notice(`assuming ${plan.roleArn} with the MFA session of profile '${source.name}'`);
  const { accessKeyId, secretAccessKey, sessionToken } = baseSession.credentials;
  const issuer = host.issuer({ accessKeyId, secretAccessKey, sessionToken }, issuerContext(source, host.env));
  return issuer.assumeRole({ roleArn: plan.roleArn, roleSessionName, durationSeconds: seconds });
}

async function resolveDevice(
  given: string | undefined,
  source: SourceProfile,
  issuerOfSource: () => MfaSessionIssuer,
  host: SessionHost,
): Promise<string> {
  if (given !== undefined) {
    if (source.mfaSerial !== undefined && source.mfaSerial !== given) {
      host.notice(`using the given MFA device ${given} instead of mfa_serial ${source.mfaSerial} of profile '${source.name}'`);
    }
    return given;
  }
  if (source.mfaSerial !== undefined) return checkUsableSerial(source.mfaSerial);
  const pick = pickListedDevice(await issuerOfSource().listMfaDeviceSerials(), `the IAM user of access key ${source.accessKeyId}`);
  if (pick.kind === 'one') {
    host.notice(`using MFA device ${pick.serial} (set mfa_serial in the profile of the config file to skip this lookup)`);
    return pick.serial;
  }
  if (!host.interactive) {
    throw inputError(
      'session.device-ambiguous',
      `several MFA devices give codes (${pick.serials.join(', ')}): choose one serial, or set mfa_serial in the profile of the config file`,
    );
  }
  host.notice('Several MFA devices give codes:');
  pick.serials.forEach((serial, index) => host.notice(`  ${index + 1}) ${serial}`));
  const answer = (await host.ask(`Which device (1-${pick.serials.length})? `)).trim();
  const chosen = /^\d+$/.test(answer) ? pick.serials[Number(answer) - 1] : undefined;
  if (chosen === undefined) throw inputError('session.device-choice-invalid', `'${answer}' is not one of the numbers 1 to ${pick.serials.length}`);
  return chosen;
}

/** Write the session into the target profile, and copy the source's region into the config file for a new profile. */
function writeTargetProfile(
  session: StoredSession,
  target: string,
  source: SourceProfile,
  credentialsFile: LoadedFile,
  configFile: LoadedFile,
  files: AwsFileSet,
  host: SessionHost,
): void {
  const entries = profileEntries(session);
  const current = credentialsProfile(files, target);
  const unchanged = current !== undefined && Object.entries(entries).every(([key, value]) => current[key] === value);
  if (!unchanged) {
    const document = setSectionEntries(files.credentials ?? { bom: false, lines: [] }, target, entries);
    replaceFileAtomic(files.credentialsPath, serializeIni(document), 0o600, credentialsFile);
    host.notice(`wrote profile '${target}' to ${files.credentialsPath} (expires ${isoSeconds(session.credentials.expiration)})`);
    if (configProfile(files, target)?.['credential_process'] !== undefined) {
      // The credentials file wins over credential_process: after expiry the tools would use stale keys, not the process.
      host.notice(
        `warning: profile '${target}' also has credential_process in ${files.configPath}; the keys just written take precedence over it until removed: write the session to another profile`,
      );
    }
  }
  const section = configSectionName(target);
  if (source.region !== undefined && (files.config === undefined || readSection(files.config, section) === undefined)) {
    const document = setSectionEntries(files.config ?? { bom: false, lines: [] }, section, { region: source.region });
    replaceFileAtomic(files.configPath, serializeIni(document), currentMode(files.configPath, 0o600), configFile);
    host.notice(`added [${section}] with region ${source.region} to ${files.configPath}`);
  }
}

function checkTarget(target: string, source: SourceProfile, files: AwsFileSet): string {
  const name = target.trim();
  if (name === '' || /[[\]\r\n#;]/.test(name) || name !== target) {
    throw inputError('session.target-invalid', `'${target}' cannot be a profile name: use letters, digits and - _ . only`);
  }
  if (name === source.name) {
    throw inputError('session.target-is-source', `the target profile '${name}' is the source profile: the session must go to another profile, such as '${name}-mfa'`);
  }
  if (holdsLongTermKeys(credentialsProfile(files, name))) {
    throw inputError(
      'session.target-has-keys',
      `profile '${name}' in ${files.credentialsPath} holds long-term access keys, which a session would overwrite: choose another target profile`,
    );
  }
  return name;
}

export function defaultTarget(sourceProfile: string, roleArn: string | undefined): string {
  return roleArn === undefined ? `${sourceProfile}-mfa` : `${sourceProfile}-${roleName(roleArn)}-mfa`;
}

function roleName(roleArn: string): string {
  return roleArn.split('/').pop() ?? 'role';
}

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

function checkRoleArn(roleArn: string): string {
  if (!ROLE_ARN.test(roleArn)) {
    throw inputError('session.role-arn-invalid', `'${roleArn}' is not a role ARN: write it as arn:aws:iam::123456789012:role/NAME`);
  }
  return roleArn;
}

function checkSessionName(name: string): string {
  if (!/^[\w+=,.@-]{2,64}$/.test(name)) {
    throw inputError('session.role-session-name-invalid', `role session name '${name}' must be 2 to 64 characters of letters, digits and + = , . @ _ -`);
  }
  return name;
}

function defaultSessionName(sourceProfile: string): string {
  return `force-mfa-${sourceProfile}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

function issuerContext(source: SourceProfile, env: Environment): { region: string; profile?: string } {
  return { region: stsRegion(source, env), ...(source.origin === 'environment' ? {} : { profile: source.name }) };
}

function latest(sessions: readonly StoredSession[]): StoredSession | undefined {
  return [...sessions].sort((a, b) => b.credentials.expiration.getTime() - a.credentials.expiration.getTime())[0];
}

function left(session: StoredSession, now: Date): string {
  return formatSeconds(Math.max(0, Math.floor((session.credentials.expiration.getTime() - now.getTime()) / 60_000) * 60));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
