/** Onboarding messages: for each user added to the guard group, the seed's steps in their language (pure). */
import { inputError } from '../errors.js';
import { en } from './messages/en.js';
import { ja } from './messages/ja.js';
import type { OnboardingContext, OnboardingLanguage, OnboardingMessageTable } from './messages/types.js';

export const MESSAGE_TABLES: Readonly<Record<OnboardingLanguage, OnboardingMessageTable>> = { en, ja };

export interface OnboardingRecipient {
  readonly userName: string;
  /** Whether the user has active access keys; undefined when not known (the CLI section is then conditional). */
  readonly hasAccessKeys: boolean | undefined;
  /**
   * Whether the user has a console password; undefined when not known. Without one the user cannot set up MFA alone
   * (the guard denies MFA device changes made with access keys only), so the message asks for the administrator's help.
   */
  readonly hasConsolePassword: boolean | undefined;
}

export interface AccountSignIn {
  /** The account's alias, else its id: how the message names the account. */
  readonly accountLabel: string;
  readonly signInUrl: string;
}

export interface OnboardingMessage {
  readonly userName: string;
  readonly language: OnboardingLanguage;
  readonly signInUrl: string;
  readonly subject: string;
  readonly greeting: string;
  readonly intro: string;
  readonly stepsHeading: string;
  /** The steps in order; `[[Label]]` marks a console label. */
  readonly steps: readonly string[];
  readonly cli?: {
    readonly heading: string;
    readonly beforeCommand: string;
    readonly command: string;
    readonly afterCommand: string;
    readonly fidoNote: string;
  };
  readonly closing: string;
}

const SIGN_IN_DOMAIN: Readonly<Record<string, string>> = {
  aws: 'signin.aws.amazon.com',
  'aws-cn': 'signin.amazonaws.cn',
  'aws-us-gov': 'signin.amazonaws-us-gov.com',
};

/** The account's console sign-in URL: with its alias when it has one, else with its id. */
export function signInUrlOf(account: { alias: string | undefined; accountId: string; partition: string }): AccountSignIn {
  const label = account.alias ?? account.accountId;
  const domain = SIGN_IN_DOMAIN[account.partition] ?? SIGN_IN_DOMAIN['aws'];
  return { accountLabel: label, signInUrl: `https://${label}.${domain}/console` };
}

/** A given sign-in URL; the account is named by the URL's first host label (the alias or id). */
export function accountSignInFromUrl(url: string): AccountSignIn {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:') throw new Error('not https');
    host = parsed.hostname;
  } catch {
    throw inputError('sign-in-url', `sign-in URL ${url} is not an https URL (for example https://example.signin.aws.amazon.com/console)`);
  }
  return { accountLabel: host.split('.')[0] ?? host, signInUrl: url };
}

export function onboardingMessage(
  recipient: OnboardingRecipient,
  account: AccountSignIn,
  language: OnboardingLanguage,
  cliProfile: string,
): OnboardingMessage {
  const table = MESSAGE_TABLES[language];
  const context: OnboardingContext = { userName: recipient.userName, accountLabel: account.accountLabel, signInUrl: account.signInUrl, cliProfile };
  const message: OnboardingMessage = {
    userName: recipient.userName,
    language,
    signInUrl: account.signInUrl,
    subject: table.subject(context),
    greeting: table.greeting(context),
    ...setupOf(table, context, recipient.hasConsolePassword),
    closing: table.closing,
  };
  if (recipient.hasAccessKeys === false) return message;
  return {
    ...message,
    cli: {
      heading: recipient.hasAccessKeys === true ? table.cli.heading.known : table.cli.heading.possible,
      beforeCommand: table.cli.beforeCommand,
      command: table.cli.command(context),
      afterCommand: table.cli.afterCommand(context),
      fidoNote: table.cli.fidoNote,
    },
  };
}

/** The intro and steps: the seed's console steps, or, without a console password, the administrator-assisted ones. */
function setupOf(
  table: OnboardingMessageTable,
  context: OnboardingContext,
  hasConsolePassword: boolean | undefined,
): Pick<OnboardingMessage, 'intro' | 'stepsHeading' | 'steps'> {
  if (hasConsolePassword === false) {
    const assisted = table.withoutConsolePassword;
    return {
      intro: assisted.intro(context),
      stepsHeading: assisted.stepsHeading,
      steps: [assisted.steps.askAdministrator, assisted.steps.virtualDeviceByAdministrator, assisted.steps.consoleWithNewPassword(context)],
    };
  }
  const signIn = table.steps.signIn(context);
  return {
    intro: table.intro(context),
    stepsHeading: table.stepsHeading,
    steps: [
      hasConsolePassword === undefined ? table.withNoPasswordHint(signIn) : signIn,
      table.steps.openSecurityCredentials,
      table.steps.assignMfaDevice,
      table.steps.signOutAndIn,
    ],
  };
}

/** Audit statuses of users who still have to set up MFA: the default pick from an audit file. */
export const STATUSES_NEEDING_ONBOARDING: readonly string[] = ['pending-enrollment', 'unprotected', 'unprotected-programmatic'];

/**
 * Recipients from the JSON of `force-mfa audit`: `users[].userName` with a `users[].status` in `statuses`, and
 * whether each has active access keys and a console password (unknown when the audit could not tell).
 */
export function recipientsFromAudit(audit: unknown, statuses: readonly string[], source: string): OnboardingRecipient[] {
  const users = (audit as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) throw inputError('audit-file', `${source} has no users list: give the JSON written by force-mfa audit`);
  return users
    .filter((user): user is Record<string, unknown> => typeof user === 'object' && user !== null && typeof (user as { userName?: unknown }).userName === 'string')
    .filter((user) => statuses.includes(String(user['status'])))
    .map((user) => ({
      userName: user['userName'] as string,
      hasAccessKeys: accessKeysOf(user),
      hasConsolePassword: consolePasswordOf(user),
    }));
}

/** The audit JSON's `accessKeys.active` (docs/audit-json.md): a count, or null when the audit could not read it. */
function accessKeysOf(user: Record<string, unknown>): boolean | undefined {
  if (user['status'] === 'unprotected-programmatic') return true;
  const active = (user['accessKeys'] as { active?: unknown } | null | undefined)?.active;
  return typeof active === 'number' ? active > 0 : undefined;
}

/** The audit JSON's `consolePassword.enabled` (docs/audit-json.md): null when the audit could not read it. */
function consolePasswordOf(user: Record<string, unknown>): boolean | undefined {
  if (user['status'] === 'unprotected-programmatic') return false;
  const enabled = (user['consolePassword'] as { enabled?: unknown } | null | undefined)?.enabled;
  return typeof enabled === 'boolean' ? enabled : undefined;
}

/** The account's sign-in URL as the audit recorded it (`account.signInUrl`), when it did. */
export function signInUrlFromAudit(audit: unknown): string | undefined {
  const url = (audit as { account?: { signInUrl?: unknown } } | null)?.account?.signInUrl;
  return typeof url === 'string' && url.length > 0 ? url : undefined;
}
