/** `force-mfa onboard`: a message per user telling them how to set up MFA, in Japanese or English. */
import { Option, type Command } from 'commander';
import { inputError } from '../../errors.js';
import { emit, writeStderr } from '../output.js';
import { commaList } from '../lists.js';
import { withGivenName } from '../given-names.js';
import { absent, declareFlagRules, eachOnlyWhen, given, onlyWhen, type FlagRule } from '../flag-rules.js';

const ONBOARD_FLAG_RULES: readonly FlagRule[] = [
  onlyWhen('status', given('fromAudit'), 'it picks users of an audit; give --from-audit FILE, or leave out --status'),
  onlyWhen('status', absent('users'), 'the users named with --users are written to whatever their status; leave out --status, or --users'),
  ...eachOnlyWhen(['profile', 'region'], absent('signInUrl'), 'with --sign-in-url no AWS call is made; leave it out'),
];

interface OnboardFlags {
  users?: string[];
  fromAudit?: string;
  status?: string[];
  exclude?: string[];
  noticeBefore?: string;
  lang?: 'en' | 'ja';
  format: 'text' | 'markdown' | 'html' | 'json';
  signInUrl?: string;
  cliProfile: string;
  output?: string;
}

function defaultLanguage(): 'en' | 'ja' {
  const locale = process.env['LC_ALL'] ?? process.env['LC_MESSAGES'] ?? process.env['LANG'] ?? '';
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function registerOnboard(program: Command): void {
  const command = program.command('onboard');
  declareFlagRules(command, ONBOARD_FLAG_RULES);
  command
    .description('write a message per user on how to set up MFA at their next sign-in (Japanese or English)')
    .option('--from-audit <file>', 'pick the users from a `force-mfa audit --format json` file, by what the audit evaluated')
    .option('--users <names>', 'these users (comma-separated); with --from-audit, these users of the audit', commaList)
    .option('--status <statuses>', 'with --from-audit: the statuses to pick (default: pending-enrollment)', commaList)
    .option('--exclude <names>', 'never write to these users (comma-separated)', commaList)
    .option('--notice-before <date>', 'users MFA is not enforced on yet get a notice: from DATE (YYYY-MM-DD) MFA will be required')
    .addOption(new Option('--lang <lang>', 'language of the messages (default: ja when LANG is Japanese, else en)').choices(['ja', 'en']))
    .addOption(
      new Option('--format <format>', 'text, markdown, html (one self-contained page) or json ({ messages, skipped })').choices(['text', 'markdown', 'html', 'json']).default('text'),
    )
    .option('--sign-in-url <url>', 'the console sign-in URL to give (then no AWS call is made)')
    .option('--cli-profile <name>', 'AWS CLI profile name used in the `force-mfa session` example', 'default')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
With --from-audit, what each user is told follows from the audit's evaluation of their policies: "MFA is now
required" only to users the guard is enforced on (requests without MFA denied in the console and with access keys).
By default only those without an MFA device are picked (status pending-enrollment). Users with a device, exempt
users, users in --exclude and users MFA is not enforced on who have no console password are never picked unless
named with --users (--exclude always wins). Users MFA is not enforced on yet (unprotected, ...) get a notice "from
DATE MFA will be required; set it up now" with --notice-before DATE, and no message without it. Every user not
written to is listed with the reason (on stderr, or in "skipped" with --format json).
With --users alone no audit says what is enforced: the messages say "MFA is now required" (or give the notice with
--notice-before), as you vouch for it.

Without --sign-in-url, the URL is the audit's (with --from-audit), or https://ALIAS.signin.aws.amazon.com/console with
the account's alias (iam:ListAccountAliases), else its id (sts:GetCallerIdentity); with --users alone, iam:ListAccessKeys decides whether the
CLI section is included. When that is unknown, the CLI section is written as "if you use access keys".
Users without a console password (iam:GetLoginProfile, or the audit's consolePassword) cannot set up MFA alone: their
message asks the administrator for a virtual MFA device or a password. When unknown, the console steps say so in one line.

Examples:
  force-mfa onboard --from-audit audit.json --format html --output onboarding.html
  force-mfa onboard --from-audit audit.json --status pending-enrollment,unprotected --notice-before 2026-07-01 --exclude breakglass
  force-mfa onboard --from-audit audit.json --format json > onboarding.json   # { "messages": [...], "skipped": [...] }
  force-mfa onboard --users alice,bob --lang ja
  force-mfa onboard --users alice --sign-in-url https://example.signin.aws.amazon.com/console --format markdown`,
    )
    .action(async (flags: OnboardFlags) => {
      await runOnboard(flags);
    });
}

interface Recipient {
  readonly userName: string;
  readonly hasAccessKeys: boolean | undefined;
  readonly hasConsolePassword: boolean | undefined;
  readonly kind: 'required' | 'notice';
}

async function runOnboard(flags: OnboardFlags): Promise<void> {
  if (flags.users === undefined && flags.fromAudit === undefined) {
    throw inputError('recipients', 'choose the users with --from-audit FILE (and optionally --users A,B of it), or --users A,B');
  }
  const onboard = await import('../../rollout/onboard.js');
  const { renderOnboarding } = await import('../../rollout/onboard-render.js');
  const noticeBefore = flags.noticeBefore === undefined ? undefined : onboard.noticeDate(flags.noticeBefore, new Date());
  const language = flags.lang ?? defaultLanguage();
  const exclude = flags.exclude ?? [];
  let recipients: Recipient[];
  let skipped: { userName: string; status: string; reason: import('../../rollout/onboard.js').SkipReason }[] = [];
  let signInUrl = flags.signInUrl;
  if (flags.fromAudit !== undefined) {
    const { EXPORT_FILE_BOUND, readInputText } = await import('../../input-file.js');
    const auditText = readInputText(flags.fromAudit, EXPORT_FILE_BOUND);
    let audit: unknown;
    try {
      // The audit's JSON is one object: anything else is refused before a large text is parsed.
      if (!/^\s*\{/.test(auditText) || !auditText.includes('"users"')) throw new SyntaxError('it is not a JSON object with a users list');
      audit = JSON.parse(auditText);
    } catch (error) {
      throw inputError('audit-file', `cannot read ${flags.fromAudit} as JSON: ${(error as Error).message}`, error);
    }
    const pick = onboard.pickFromAudit(
      audit,
      {
        statuses: flags.status ?? onboard.DEFAULT_ONBOARDING_STATUSES,
        exclude,
        ...(flags.users === undefined ? {} : { named: flags.users }),
        ...(noticeBefore === undefined ? {} : { noticeBefore }),
      },
      flags.fromAudit,
    );
    recipients = [...pick.recipients];
    skipped = [...pick.skipped];
    signInUrl ??= onboard.signInUrlFromAudit(audit);
  } else {
    const users = flags.users ?? [];
    skipped = users.filter((userName) => exclude.includes(userName)).map((userName) => ({ userName, status: 'unknown', reason: 'excluded' as const }));
    recipients = users
      .filter((userName) => !exclude.includes(userName))
      .map((userName) => ({ userName, hasAccessKeys: undefined, hasConsolePassword: undefined, kind: noticeBefore === undefined ? ('required' as const) : ('notice' as const) }));
  }
  const table = onboard.MESSAGE_TABLES[language];
  const skippedLines = skipped.map((user) => ({ ...user, explanation: table.skipped.reasons[user.reason](user.status) }));
  if (recipients.length === 0) {
    reportSkipped(table.skipped.heading(skippedLines.length), skippedLines);
    throw inputError('no-recipients', 'no user to write to: every user was skipped (see the reasons above)');
  }

  let account;
  if (signInUrl !== undefined) {
    account = onboard.accountSignInFromUrl(signInUrl);
  } else {
    const [{ createIamClient, createStsClient }, { sdkRolloutIam, sdkRolloutSts, accountAlias, consolePasswordIfReadable }] = await Promise.all([
      import('../../rollout/aws/clients.js'),
      import('../../rollout/aws/iam.js'),
    ]);
    const iamClient = await createIamClient();
    const caller = await (await sdkRolloutSts(await createStsClient())).getCallerIdentity();
    const alias = await accountAlias(iamClient);
    account = onboard.signInUrlOf({ alias, accountId: caller.account, partition: caller.arn.split(':')[1] ?? 'aws' });
    if (flags.fromAudit === undefined) {
      const iam = await sdkRolloutIam(iamClient);
      const { mapWithConcurrency } = await import('../../rollout/concurrency.js');
      recipients = await mapWithConcurrency(recipients, 8, async (recipient) => ({
        ...recipient,
        // ListAccessKeys first: its NoSuchEntity means the named user is missing (GetLoginProfile's means no password).
        hasAccessKeys:
          (await withGivenName(() => iam.countActiveAccessKeys(recipient.userName), {
            noSuchEntity: true,
            message: `IAM user ${recipient.userName} does not exist in this account: check --users and the account (--profile)`,
          })) > 0,
        hasConsolePassword: await consolePasswordIfReadable(iamClient, recipient.userName),
      }));
    }
  }
  const messages = recipients.map((recipient) =>
    onboard.onboardingMessage(recipient, account, language, flags.cliProfile, recipient.kind === 'notice' ? noticeBefore : undefined),
  );
  if (flags.format === 'json') {
    emit(JSON.stringify({ messages, skipped: skippedLines }, null, 2), flags.output);
    return;
  }
  emit(renderOnboarding(messages, flags.format), flags.output);
  if (skippedLines.length > 0) reportSkipped(table.skipped.heading(skippedLines.length), skippedLines);
}

/** The users not written to, with why: on stderr, so that stdout (or --output) holds the messages only. */
function reportSkipped(heading: string, skipped: readonly { userName: string; explanation: string }[]): void {
  if (skipped.length === 0) return;
  writeStderr([heading, ...skipped.map((user) => `  ${user.userName}: ${user.explanation}`)].join('\n'));
}
