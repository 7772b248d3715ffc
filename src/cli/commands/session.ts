/** `force-mfa session`: an MFA session for the AWS CLI, SDKs and Terraform, from an IAM user's long-term keys. */
import { Option, type Command } from 'commander';
import { ForceMfaError, isForceMfaError } from '../../errors.js';
import { writeStderr, writeStdout } from '../output.js';
import { declareFlagRules, given, onlyWhen } from '../flag-rules.js';

type Format = 'profile' | 'env' | 'credential-process' | 'json';

export interface SessionFlags {
  profile?: string;
  targetProfile?: string;
  serial?: string;
  code?: string;
  codeCommand?: string;
  duration?: string;
  roleArn?: string;
  roleSessionName?: string;
  format: Format;
  force?: boolean;
}

export function registerSession(program: Command): void {
  const command = program.command('session');
  declareFlagRules(command, [onlyWhen('roleSessionName', given('roleArn'), 'it names the session of an assumed role; add --role-arn, or leave it out')]);
  command
    .description("get an MFA session from an IAM user's access keys, for the AWS CLI, SDKs and Terraform")
    .option('-p, --profile <name>', 'source profile holding the long-term access keys (default: AWS_PROFILE, else default)')
    .option('-t, --target-profile <name>', 'credentials-file profile to write the session to (default: SOURCE-mfa; SOURCE-ROLENAME-mfa with --role-arn)')
    .option('-s, --serial <arn>', "MFA device serial (default: the profile's mfa_serial, else your only TOTP device)")
    .option('-c, --code <digits>', 'the six-digit MFA code (asked on the terminal when omitted)')
    .option(
      '--code-command <command>',
      "a command that prints the MFA code, run without a shell, e.g. 'ykman oath accounts code --single NAME' (default: force_mfa_code_command of the profile in ~/.aws/config)",
    )
    .option('-d, --duration <time>', 'session length: 15m to 36h, e.g. 12h, 90m, 3600 (default: 12h; 1h with --role-arn)')
    .option('--role-arn <arn>', 'assume this role with MFA (or with a valid MFA session: role chaining, 1h at most)')
    .option('--role-session-name <name>', 'role session name (default: force-mfa-SOURCE)')
    .addOption(
      new Option('-f, --format <format>', 'profile: write the credentials file; env: export lines; credential-process: JSON for credential_process; json')
        .choices(['profile', 'env', 'credential-process', 'json'])
        .default('profile'),
    )
    .option('--force', 'ignore a stored session that is still valid and ask for a new code')
    .addHelpText(
      'after',
      `
A stored session is reused without a code while it has more than 5 minutes left. Processes asking at once for
the same session wait for the one that fetches it. The code command's words are split like a shell's (quotes and
backslashes), but no shell runs it: no variables, pipes or redirections.
See docs/session.md for the files written, the JSON shapes and credential_process without a terminal.

Examples:
  force-mfa session --profile work                       # writes profile work-mfa to ~/.aws/credentials
  aws --profile work-mfa s3 ls
  force-mfa session --profile work --code 123456 --serial arn:aws:iam::123456789012:mfa/alice
  eval "$(force-mfa session --profile work --format env)"
  force-mfa session --profile work --role-arn arn:aws:iam::123456789012:role/Admin
  force-mfa session --profile work --code-command 'ykman oath accounts code --single AWS:alice'

  # ~/.aws/config: let the CLI, SDKs and Terraform ask force-mfa by themselves, with codes from a YubiKey
  [profile work]
  force_mfa_code_command = ykman oath accounts code --single AWS:alice
  [profile work-auto]
  credential_process = force-mfa session --profile work --format credential-process`,
    )
    .action(async (flags: SessionFlags) => {
      await runSession(flags);
    });
}

/** The command's work, callable without commander (tests). */
export async function runSession(flags: SessionFlags): Promise<void> {
  const [{ homedir }, { obtainSession }, formats, { awsIssuer }, { isoSeconds }] = await Promise.all([
    import('node:os'),
    import('../../session/obtain.js'),
    import('../../session/formats.js'),
    import('../../session/sts.js'),
    import('../../session/credentials.js'),
  ]);
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const renewCommand = ['force-mfa session', flags.profile && `--profile ${flags.profile}`, flags.roleArn && `--role-arn ${flags.roleArn}`]
    .filter(Boolean)
    .join(' ');
  let outcome;
  try {
    outcome = await obtainSession(
      {
        format: flags.format,
        force: flags.force === true,
        ...pick(flags, ['profile', 'targetProfile', 'serial', 'code', 'codeCommand', 'duration', 'roleArn', 'roleSessionName']),
      },
      {
        env: process.env,
        homeDir: homedir(),
        now: () => new Date(),
        interactive,
        ask,
        notice: writeStderr,
        issuer: awsIssuer,
        renewCommand,
      },
    );
  } catch (error) {
    throw withFlagHint(error);
  }
  switch (flags.format) {
    case 'env':
      writeStdout(formats.envExports(outcome.session));
      break;
    case 'credential-process':
      writeStdout(formats.credentialProcessJson(outcome.session));
      break;
    case 'json':
      writeStdout(formats.sessionJson(outcome));
      break;
    default:
      writeStdout(
        `profile ${outcome.targetProfile ?? ''} holds an MFA session until ${isoSeconds(outcome.session.credentials.expiration)}: ` +
          `aws --profile ${outcome.targetProfile ?? ''} sts get-caller-identity`,
      );
  }
}

async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await reader.question(question);
  } finally {
    reader.close();
  }
}

/** The library speaks of values; here we name the flag that sets them. */
const FLAG_HINTS: Readonly<Record<string, string>> = {
  'session.device-ambiguous': '--serial ARN',
  'session.devices-unlisted': '--serial ARN',
  'session.no-device': '--serial ARN',
  'session.target-is-source': '--target-profile NAME',
  'session.target-has-keys': '--target-profile NAME',
  'session.duration-out-of-range': '--duration',
  'session.duration-rejected': '--duration',
  'session.profile-unknown': '--profile NAME',
  'session.source-temporary': '--profile NAME',
  'session.target-without-profile-format': '--format profile',
  'session.target-invalid': '--target-profile NAME',
  'session.code-and-command': '--code or --code-command',
};

function withFlagHint(error: unknown): unknown {
  if (!isForceMfaError(error)) return error;
  const hint = FLAG_HINTS[error.code];
  if (hint === undefined) return error;
  return new ForceMfaError(error.kind, error.code, `${error.message} (${hint})`, { cause: error });
}

function pick<K extends keyof SessionFlags>(flags: SessionFlags, keys: readonly K[]): Partial<Pick<SessionFlags, K>> {
  const picked: Partial<Pick<SessionFlags, K>> = {};
  for (const key of keys) if (flags[key] !== undefined) picked[key] = flags[key];
  return picked;
}
