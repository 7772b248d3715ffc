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
  RENEWAL_MARGIN_SECONDS,
  freshness,
  holdsLongTermKeys,
  isoSeconds,
  profileEntries,
  sameOrigin,
  sessionFromProfile,
  type SessionOrigin,
  type StoredSession,
} from './credentials.js';
import { runCodeCommand, splitCommandLine } from './code-command.js';
import { checkTokenCode, checkUsableSerial, pickListedDevice } from './device.js';
import type { SessionFormat, SessionOutcome } from './formats.js';
import { ambiguousHeaders, readSection, setSectionEntries, serializeIni, type IniDocument } from './ini.js';
import { withLock } from './lock.js';
import {
  CODE_COMMAND_KEY,
  checkProfileName,
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
  checkWritable,
  checkedCacheDirectory,
  currentMode,
  parsedFile,
  readCachedSession,
  readTextFile,
  updateFileLocked,
  writeCachedSession,
} from './store.js';
import type { IssuerFactory, MfaSessionIssuer } from './sts.js';

export interface SessionRequest {
  /** The source profile; else AWS_PROFILE, else `default`. */
  readonly profile?: string;
  /** The profile of the credentials file to write (format `profile`); default `SOURCE-mfa`. */
  readonly targetProfile?: string;
  readonly serial?: string;
  readonly code?: string;
  /** A command line that prints the code (split without a shell; see `splitCommandLine`). */
  readonly codeCommand?: string;
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
  /** How long to wait for another process getting the same session (default 2 minutes). */
  readonly lockTimeoutMs?: number;
  /** How long a code command may run (default 60 seconds: time to touch a YubiKey). */
  readonly codeCommandTimeoutMs?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 120_000;
export const DEFAULT_CODE_COMMAND_TIMEOUT_MS = 60_000;
/** With a code command, a stored session is renewed this long before it expires. */
export const CODE_COMMAND_RENEWAL_MARGIN_SECONDS = 900;

interface Plan {
  readonly code?: string;
  readonly codeCommand?: readonly string[];
  readonly serial?: string;
  readonly roleArn?: string;
  readonly roleSessionName?: string;
  readonly durationSeconds: number;
}

export async function obtainSession(request: SessionRequest, host: SessionHost): Promise<SessionOutcome> {
  const plan = validate(request);
  const paths = sharedFilePaths(host.env, host.homeDir);
  const readFiles = (): AwsFileSet => ({
    ...paths,
    credentials: parsedFile(readTextFile(paths.credentialsPath)),
    config: parsedFile(readTextFile(paths.configPath)),
  });
  const files = readFiles();
  const profileFromEnv = nonEmpty(host.env['AWS_PROFILE']);
  const source = resolveSourceProfile(
    files,
    { name: request.profile ?? profileFromEnv ?? 'default', chosen: request.profile !== undefined || profileFromEnv !== undefined },
    host.env,
  );
  const roleSessionName = plan.roleArn === undefined ? undefined : checkSessionName(plan.roleSessionName ?? defaultSessionName(source.name));
  const target = request.format === 'profile' ? checkTarget(request.targetProfile ?? defaultTarget(source.name, plan.roleArn), source, files) : undefined;
  // Refused before any code is asked for: the session could not be written anyway.
  if (target !== undefined) checkWritable(files.credentialsPath);
  const codeCommand = plan.code === undefined ? (plan.codeCommand ?? configuredCodeCommand(source, files)) : undefined;

  const origin: SessionOrigin = { sourceAccessKeyId: source.accessKeyId, ...(plan.roleArn === undefined ? {} : { roleArn: plan.roleArn }) };
  const directory = checkedCacheDirectory(cacheDirectory(host.env, host.homeDir));
  const cachePath = cacheFilePath(directory, source.name, plan.roleArn);
  const storedIn = (current: AwsFileSet): StoredSession | undefined =>
    latest(
      [readCachedSession(cachePath), target === undefined ? undefined : sessionFromProfile(credentialsProfile(current, target))].filter(
        (session): session is StoredSession => session !== undefined && sameOrigin(session, origin),
      ),
    );
  const base = { sourceProfile: source.name, ...(target === undefined ? {} : { targetProfile: target }) };
  const deliver = async (session: StoredSession, how: SessionOutcome['how'], mfaSerial?: string): Promise<SessionOutcome> => {
    if (how !== 'reused') writeCachedSession(cachePath, session);
    if (target !== undefined) await writeTargetProfile(session, target, source, paths, host);
    return { ...base, session, how, ...(mfaSerial === undefined ? {} : { mfaSerial }) };
  };
  const reuse = (stored: StoredSession): Promise<SessionOutcome> => {
    host.notice(`reusing the MFA session of profile '${source.name}': valid until ${isoSeconds(stored.credentials.expiration)} (${left(stored, host.now())} left)`);
    return deliver(stored, 'reused');
  };

  // A code command costs nobody anything: renew well before the AWS CLI (botocore) starts refreshing, 15 minutes
  // ahead of expiry, so that it never gets back a session it considers about to expire.
  const margin = codeCommand === undefined ? RENEWAL_MARGIN_SECONDS : CODE_COMMAND_RENEWAL_MARGIN_SECONDS;
  const before = storedIn(files);
  if (!request.force && before !== undefined && freshness(before.credentials, host.now(), margin) === 'valid') return reuse(before);

  // One process at a time renews a session: the others wait here, then find the session it stored.
  const lock = { timeoutMs: host.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, purpose: `the MFA session of profile '${source.name}'` };
  return withLock(`${cachePath}.lock`, lock, async () => {
    const stored = storedIn(readFiles());
    const now = host.now();
    if (!request.force && stored !== undefined && freshness(stored.credentials, now, margin) === 'valid') return reuse(stored);

    if (plan.roleArn !== undefined && roleSessionName !== undefined && !request.force) {
      const chained = await chainFromBaseSession(plan, roleSessionName, source, directory, host);
      if (chained !== undefined) return deliver({ ...origin, credentials: chained }, 'chained');
    }

    if (plan.code === undefined && codeCommand === undefined && !host.interactive) {
      if (!request.force && stored !== undefined && freshness(stored.credentials, now) === 'expiring') {
        host.notice(
          `warning: the MFA session of profile '${source.name}' expires at ${isoSeconds(stored.credentials.expiration)}; run \`${host.renewCommand} --force\` in a terminal to renew it`,
        );
        return deliver(stored, 'reused');
      }
      throw inputError(
        'session.code-required',
        `the MFA session of profile '${source.name}' ${stored === undefined ? 'does not exist yet' : 'has expired'} and there is no terminal to ask for an MFA code: run \`${host.renewCommand}\` in a terminal, or set ${CODE_COMMAND_KEY} in the profile of the config file`,
      );
    }

    let issuer: MfaSessionIssuer | undefined;
    const issuerOfSource = (): MfaSessionIssuer => {
      issuer ??= host.issuer({ accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey }, issuerContext(source, host.env));
      return issuer;
    };
    const serial = await resolveDevice(plan.serial, source, issuerOfSource, host);
    // The code is fetched last, right before it is used: a TOTP code lives only 30 seconds.
    const code =
      plan.code ??
      (codeCommand !== undefined
        ? await codeFromCommand(codeCommand, host)
        : await askForCode(serial, host));
    const credentials =
      plan.roleArn !== undefined && roleSessionName !== undefined
        ? await issuerOfSource().assumeRole({ roleArn: plan.roleArn, roleSessionName, durationSeconds: plan.durationSeconds, serialNumber: serial, tokenCode: code })
        : await issuerOfSource().getSessionToken({ serialNumber: serial, tokenCode: code, durationSeconds: plan.durationSeconds });
    return deliver({ ...origin, credentials }, 'issued', serial);
  });
}

/** The source profile's `force_mfa_code_command`, split; an error naming the file when it cannot be split. */
function configuredCodeCommand(source: SourceProfile, files: AwsFileSet): readonly string[] | undefined {
  if (source.codeCommand === undefined) return undefined;
  try {
    return splitCommandLine(source.codeCommand);
  } catch (error) {
    throw inputError(
      'session.code-command-invalid',
      `${CODE_COMMAND_KEY} of profile '${source.name}' in ${files.configPath}: ${isForceMfaError(error) ? error.message : String(error)}`,
      error,
    );
  }
}

// No notice of its own: a failure must stay one line, and the command's stderr (`Touch your YubiKey...`) is shown.
async function codeFromCommand(argv: readonly string[], host: SessionHost): Promise<string> {
  return runCodeCommand(argv, host.codeCommandTimeoutMs ?? DEFAULT_CODE_COMMAND_TIMEOUT_MS);
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
  if (code !== undefined && request.codeCommand !== undefined) {
    throw inputError('session.code-and-command', 'give either an MFA code or a command that prints it, not both');
  }
  const codeCommand = request.codeCommand === undefined ? undefined : splitCommandLine(request.codeCommand);
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
    ...(codeCommand === undefined ? {} : { codeCommand }),
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

/**
 * Write the session into the target profile, and copy the source's region into the config file for a new profile.
 * Each file is changed under its lock from what it holds at that moment, so parallel runs never drop each other's
 * profiles; the checks made before asking for a code are made again on that content.
 */
async function writeTargetProfile(
  session: StoredSession,
  target: string,
  source: SourceProfile,
  paths: { credentialsPath: string; configPath: string },
  host: SessionHost,
): Promise<void> {
  const entries = profileEntries(session);
  const wrote = await updateFileLocked(paths.credentialsPath, 0o600, (current) => {
    const document = parsedFile(current) ?? EMPTY;
    checkTargetSection(document, target, paths.credentialsPath);
    const existing = readSection(document, target);
    if (holdsLongTermKeys(existing)) throw longTermKeysError(target, paths.credentialsPath);
    if (existing !== undefined && Object.entries(entries).every(([key, value]) => existing[key] === value)) return undefined;
    return serializeIni(setSectionEntries(document, target, entries));
  });
  const config = parsedFile(readTextFile(paths.configPath));
  if (wrote) {
    host.notice(`wrote profile '${target}' to ${paths.credentialsPath} (expires ${isoSeconds(session.credentials.expiration)})`);
    if (config !== undefined && configProfile({ ...paths, config }, target)?.['credential_process'] !== undefined) {
      // The credentials file wins over credential_process: after expiry the tools would use stale keys, not the process.
      host.notice(
        `warning: profile '${target}' also has credential_process in ${paths.configPath}; the keys just written take precedence over it until removed: write the session to another profile`,
      );
    }
  }
  const section = configSectionName(target);
  if (source.region === undefined || (config !== undefined && readSection(config, section) !== undefined)) return;
  const region = source.region;
  const added = await updateFileLocked(paths.configPath, currentMode(paths.configPath, 0o600), (current) => {
    const document = parsedFile(current) ?? EMPTY;
    if (readSection(document, section) !== undefined) return undefined;
    checkTargetSection(document, section, paths.configPath);
    return serializeIni(setSectionEntries(document, section, { region }));
  });
  if (added) host.notice(`added [${section}] with region ${region} to ${paths.configPath}`);
}

const EMPTY: IniDocument = { bom: false, lines: [] };

/** A header the AWS CLI and the SDKs read differently from `[name]` would make a write go astray: refused. */
function checkTargetSection(document: IniDocument, name: string, path: string): void {
  const [odd] = ambiguousHeaders(document, name);
  if (odd !== undefined) {
    throw inputError(
      'session.target-ambiguous',
      `${path} has the header ${JSON.stringify(odd.raw.trim())}, which the AWS CLI and the SDKs read differently from [${name}]: write it as [${name}] or remove it, then run again`,
    );
  }
}

function longTermKeysError(target: string, path: string): Error {
  return inputError(
    'session.target-has-keys',
    `profile '${target}' in ${path} holds long-term access keys, which a session would overwrite: choose another target profile`,
  );
}

function checkTarget(target: string, source: SourceProfile, files: AwsFileSet): string {
  const name = checkProfileName(target);
  if (name === source.name) {
    throw inputError('session.target-is-source', `the target profile '${name}' is the source profile: the session must go to another profile, such as '${name}-mfa'`);
  }
  if (files.credentials !== undefined) checkTargetSection(files.credentials, name, files.credentialsPath);
  if (files.config !== undefined) checkTargetSection(files.config, configSectionName(name), files.configPath);
  if (holdsLongTermKeys(credentialsProfile(files, name))) throw longTermKeysError(name, files.credentialsPath);
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
