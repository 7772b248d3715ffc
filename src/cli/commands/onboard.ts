/** `force-mfa onboard`: a message per user telling them how to set up MFA, in Japanese or English. */
import { Option, type Command } from 'commander';
import { inputError } from '../../errors.js';
import { emit } from '../output.js';
import { commaList } from '../lists.js';

interface OnboardFlags {
  users?: string[];
  fromAudit?: string;
  status?: string[];
  lang?: 'en' | 'ja';
  format: 'text' | 'markdown' | 'html';
  signInUrl?: string;
  cliProfile: string;
  output?: string;
}

function defaultLanguage(): 'en' | 'ja' {
  const locale = process.env['LC_ALL'] ?? process.env['LC_MESSAGES'] ?? process.env['LANG'] ?? '';
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function registerOnboard(program: Command): void {
  program
    .command('onboard')
    .description('write a message per user on how to set up MFA at their next sign-in (Japanese or English)')
    .option('--users <names>', 'these users (comma-separated)', commaList)
    .option('--from-audit <file>', 'the users of a `force-mfa audit --format json` file who still have to set up MFA')
    .option('--status <statuses>', 'with --from-audit: the statuses to pick (default: pending-enrollment,unprotected,unprotected-programmatic)', commaList)
    .addOption(new Option('--lang <lang>', 'language of the messages (default: ja when LANG is Japanese, else en)').choices(['ja', 'en']))
    .addOption(new Option('--format <format>', 'text, markdown or html (one self-contained page)').choices(['text', 'markdown', 'html']).default('text'))
    .option('--sign-in-url <url>', 'the console sign-in URL to give (then no AWS call is made)')
    .option('--cli-profile <name>', 'AWS CLI profile name used in the `force-mfa session` example', 'default')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
Without --sign-in-url, the URL is the audit's (with --from-audit), or https://ALIAS.signin.aws.amazon.com/console with
the account's alias (iam:ListAccountAliases), else its id (sts:GetCallerIdentity); with --users, iam:ListAccessKeys decides whether the
CLI section is included. When that is unknown, the CLI section is written as "if you use access keys".
Users without a console password (iam:GetLoginProfile, or the audit's consolePassword) cannot set up MFA alone: their
message asks the administrator for a virtual MFA device or a password. When unknown, the console steps say so in one line.

Examples:
  force-mfa onboard --users alice,bob --lang ja
  force-mfa onboard --from-audit audit.json --format html --output onboarding.html
  force-mfa onboard --users alice --sign-in-url https://example.signin.aws.amazon.com/console --format markdown`,
    )
    .action(async (flags: OnboardFlags) => {
      if ((flags.users === undefined) === (flags.fromAudit === undefined)) {
        throw inputError('recipients', 'choose the users with exactly one of --users A,B or --from-audit FILE');
      }
      const onboard = await import('../../rollout/onboard.js');
      const { renderOnboarding } = await import('../../rollout/onboard-render.js');
      let recipients: { userName: string; hasAccessKeys: boolean | undefined; hasConsolePassword: boolean | undefined }[];
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
        recipients = onboard.recipientsFromAudit(audit, flags.status ?? onboard.STATUSES_NEEDING_ONBOARDING, flags.fromAudit);
        signInUrl ??= onboard.signInUrlFromAudit(audit);
      } else {
        recipients = (flags.users ?? []).map((userName) => ({ userName, hasAccessKeys: undefined, hasConsolePassword: undefined }));
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
        if (flags.users !== undefined) {
          const iam = await sdkRolloutIam(iamClient);
          const { mapWithConcurrency } = await import('../../rollout/concurrency.js');
          recipients = await mapWithConcurrency(recipients, 8, async (recipient) => ({
            ...recipient,
            hasAccessKeys: (await iam.countActiveAccessKeys(recipient.userName)) > 0,
            hasConsolePassword: await consolePasswordIfReadable(iamClient, recipient.userName),
          }));
        }
      }
      if (recipients.length === 0) throw inputError('no-recipients', 'no user to write to: the audit file has no user with those statuses');
      const language = flags.lang ?? defaultLanguage();
      const messages = recipients.map((recipient) => onboard.onboardingMessage(recipient, account, language, flags.cliProfile));
      emit(renderOnboarding(messages, flags.format), flags.output);
    });
}
