/**
 * The one table of exit codes: what each code means, and when each command gives it. Each command's --help and
 * docs/exit-codes.md are made from it (test/cli/exit-codes.test.ts keeps the document equal to renderExitCodesMarkdown).
 */
import { ExitCode } from '../errors.js';

export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  [ExitCode.Ok]: 'done',
  [ExitCode.Findings]: 'findings, or a --fail-on / --expect hit',
  [ExitCode.Usage]: 'anything you gave that is wrong or does not exist: a flag, a value, a file, a name in the account',
  [ExitCode.Environment]: 'AWS or the environment failed: credentials, network, permissions, throttling, time budget',
};

type CommandCodes = Readonly<Partial<Record<ExitCode, string>>>;

/** Every command has 2 (bad flags) and 3 (the environment, even offline: a missing catalogue, a full disk). */
export const EXIT_CODES_BY_COMMAND: Readonly<Record<string, CommandCodes>> = {
  template: {
    0: 'the guard was written',
    2: 'an invalid or contradictory option (e.g. --format scp --group-name), an unknown --exempt-action',
    3: 'the output could not be written (disk full, read-only)',
  },
  verify: {
    0: 'the report was written (and it meets --expect; with --group, the group is the rendered guard)',
    1: 'a difference from --expect, or with --group a group that is not the rendered guard',
    2: 'an invalid option or policy file, an unknown --exempt-action, a --group that does not exist',
    3: 'with --group: AWS failed',
  },
  explain: {
    0: 'the decision was written (whatever it is)',
    2: 'an invalid option or policy file, an --action not in the catalogue',
    3: 'the environment failed',
  },
  lint: {
    0: 'no finding at or above --fail-on',
    1: 'a finding at or above --fail-on',
    2: 'no input, an unreadable or invalid file',
    3: 'the environment failed',
  },
  audit: {
    0: 'the report was written and no user has a --fail-on status',
    1: 'a user has a --fail-on status (with --org and --fail-on unknown: an account could not be audited)',
    2: 'an invalid or contradictory option (e.g. --json --format csv, --profile with --sample), an unreadable --from folder or one without a credential report (unless --no-credential-report), an unknown --allow-without-mfa action, a --profile that does not exist, --security-hub with an export of another account or one that records no time, --format asff without a region',
    3: 'AWS failed (with --org: no account could be audited), or a Security Hub import left findings refused (with --org: or an account was not imported)',
  },
  enroll: {
    0: 'the plan was written, or the users were added',
    1: 'the plan shows that --apply would refuse (lockout of the caller or of every administrator)',
    2: 'an invalid selection, a user or --group that does not exist, a group that does not enforce MFA, --apply refused, a --profile that does not exist',
    3: 'AWS failed',
  },
  unenroll: {
    0: 'the plan was written, or the users were removed',
    2: 'a missing or corrupt --log, credentials of another account than the log, a --group the log or the account lacks, a --profile that does not exist',
    3: 'AWS failed (also when the log\'s own group has vanished)',
  },
  onboard: {
    0: 'the messages were written',
    2: 'no user to write to, a --users name the account or the audit lacks, an unreadable --from-audit file, a --profile that does not exist',
    3: 'AWS failed',
  },
  deploy: {
    0: 'the stack is up to date and its group verified, or you cancelled',
    2: 'an invalid or contradictory option, no terminal to confirm on without --yes, a --profile that does not exist',
    3: 'the stack failed (with --org: in any account, even within the failure tolerance), or the group read back is missing or differs from the rendered guard',
  },
  destroy: {
    0: 'the stack was deleted (or there was none to delete, as with aws cloudformation delete-stack), or you cancelled',
    2: 'the group still has members (without --remove-members), no terminal to confirm on without --yes, a --profile that does not exist',
    3: 'the deletion failed, or the group remains',
  },
  session: {
    0: 'the session was written',
    2: 'an invalid option, a --profile that does not exist, a wrong MFA code or device',
    3: 'AWS or the credentials file failed',
  },
  'devices cleanup': {
    0: 'the plan was written, or the devices were deleted, or there was nothing to delete',
    2: 'an invalid option (e.g. --older-than that is not a number of days), a log of another account, a --profile that does not exist',
    3: 'AWS failed, or a deletion whose answer was lost is not confirmed (run it again)',
  },
  doctor: {
    0: 'an MFA session or a role session',
    1: 'keys without MFA, credentials the guard does not cover, or not known',
    2: 'an invalid option',
    3: 'no credentials, or AWS unreachable',
  },
};

function codesOf(command: string): [ExitCode, string][] {
  const codes = EXIT_CODES_BY_COMMAND[command];
  if (codes === undefined) throw new Error(`no exit codes declared for command ${command}`);
  return (Object.entries(codes) as [string, string][]).map(([code, when]) => [Number(code) as ExitCode, when]);
}

/** The lines a command's --help ends with. */
export function exitCodesHelp(command: string): string {
  return `\nExit codes (docs/exit-codes.md):\n${codesOf(command)
    .map(([code, when]) => `  ${code}  ${when}`)
    .join('\n')}`;
}

/** The body of docs/exit-codes.md between its generated markers. */
export function renderExitCodesMarkdown(): string {
  const meanings = (Object.entries(EXIT_CODE_MEANINGS) as [string, string][]).map(([code, meaning]) => `| ${code} | ${meaning} |`);
  const commands = Object.keys(EXIT_CODES_BY_COMMAND).flatMap((command) => [
    '',
    `### ${command}`,
    '',
    '| Code | When |',
    '| --- | --- |',
    ...codesOf(command).map(([code, when]) => `| ${code} | ${when} |`),
  ]);
  return ['| Code | Meaning |', '| --- | --- |', ...meanings, '', '## Per command', ...commands].join('\n');
}
