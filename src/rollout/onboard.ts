/** Onboarding messages: for each user added to the guard group, the seed's steps in their language (pure). */
import { USER_STATUSES } from '../audit/types.js';
import { inputError } from '../errors.js';
import { en } from './messages/en.js';
import { ja } from './messages/ja.js';
import type { OnboardingContext, OnboardingLanguage, OnboardingMessageTable, SkipReasonKey } from './messages/types.js';

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
  /** `required` (enforced now) or `notice` (enforced from `noticeBefore`). */
  readonly kind: OnboardingKind;
  readonly noticeBefore?: string;
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

/**
 * The message for one user. With `noticeBefore` (a day), it is a notice for a user MFA is not enforced on yet: from
 * that day MFA will be required; without, MFA is required now, which the caller must have established.
 */
export function onboardingMessage(
  recipient: OnboardingRecipient,
  account: AccountSignIn,
  language: OnboardingLanguage,
  cliProfile: string,
  noticeBefore?: string,
): OnboardingMessage {
  const table = MESSAGE_TABLES[language];
  const context: OnboardingContext = { userName: recipient.userName, accountLabel: account.accountLabel, signInUrl: account.signInUrl, cliProfile };
  const setup = setupOf(table, context, recipient.hasConsolePassword);
  const message: OnboardingMessage =
    noticeBefore === undefined
      ? { userName: recipient.userName, language, kind: 'required', signInUrl: account.signInUrl, subject: table.subject(context), greeting: table.greeting(context), ...setup, closing: table.closing }
      : {
          userName: recipient.userName,
          language,
          kind: 'notice',
          noticeBefore,
          signInUrl: account.signInUrl,
          subject: table.notice.subject(context, noticeBefore),
          greeting: table.greeting(context),
          ...noticeSetup(table, context, setup, recipient.hasConsolePassword, noticeBefore),
          closing: table.closing,
        };
  if (recipient.hasAccessKeys === false) return message;
  return {
    ...message,
    cli: {
      heading: recipient.hasAccessKeys === true ? table.cli.heading.known : table.cli.heading.possible,
      beforeCommand: noticeBefore === undefined ? table.cli.beforeCommand : table.notice.cliBeforeCommand(noticeBefore),
      command: table.cli.command(context),
      afterCommand: table.cli.afterCommand(context),
      fidoNote: table.cli.fidoNote,
    },
  };
}

/** The notice's intro and steps: the same steps, told as something to do before the day, checked by signing in again. */
function noticeSetup(
  table: OnboardingMessageTable,
  context: OnboardingContext,
  setup: Pick<OnboardingMessage, 'intro' | 'stepsHeading' | 'steps'>,
  hasConsolePassword: boolean | undefined,
  date: string,
): Pick<OnboardingMessage, 'intro' | 'stepsHeading' | 'steps'> {
  if (hasConsolePassword === false) return { ...setup, intro: table.notice.withoutConsolePasswordIntro(context, date) };
  return { ...setup, intro: table.notice.intro(context, date), steps: [...setup.steps.slice(0, -1), table.notice.signOutAndIn] };
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

/**
 * The default pick from an audit file: users the guard is enforced on (the audit's evaluation says requests without
 * MFA are denied) who have no MFA device yet. Only they can truthfully be told "MFA is now required".
 */
export const DEFAULT_ONBOARDING_STATUSES: readonly string[] = ['pending-enrollment'];

/** `required`: MFA is enforced on the user now. `notice`: it will be from a date; set it up before. */
export type OnboardingKind = 'required' | 'notice';

/** Why a user of the audit gets no message (each has a line in the messages tables). */
export type SkipReason = SkipReasonKey;

export interface AuditRecipient extends OnboardingRecipient {
  readonly status: string;
  readonly kind: OnboardingKind;
}

export interface SkippedUser {
  readonly userName: string;
  readonly status: string;
  readonly reason: SkipReason;
}

export interface AuditSelection {
  /** The statuses to pick when no user is named. */
  readonly statuses: readonly string[];
  /** Users asked for by name: only they are considered, and the password and exemption rules give way to the name. */
  readonly named?: readonly string[];
  readonly exclude?: readonly string[];
  /** With a date, users the guard is not enforced on yet may get a notice ("from DATE MFA will be required"). */
  readonly noticeBefore?: string;
}

export interface AuditPick {
  readonly recipients: readonly AuditRecipient[];
  readonly skipped: readonly SkippedUser[];
}

/**
 * Whether the audit found MFA enforced on the user: requests without MFA denied in the console and with access keys
 * alone. Anything else the audit wrote (not denied, unknown, a value this version does not know) is not enforced.
 */
function isEnforced(user: Record<string, unknown>): boolean {
  const enforcement = user['enforcement'] as Record<string, unknown> | null | undefined;
  return enforcement?.['console-no-mfa'] === 'denied' && enforcement['access-keys'] === 'denied';
}

const HAS_MFA = ['protected', 'enrolled-not-enforced'];

/**
 * Who gets which message from the JSON of `force-mfa audit`, and why each other user gets none. What a message says
 * follows from the audit's enforcement evaluation, never from the status name or the group: "MFA is now required"
 * only where requests without MFA are denied, a dated notice (when a date is given) where they are not yet.
 */
export function pickFromAudit(audit: unknown, selection: AuditSelection, source: string): AuditPick {
  const users = (audit as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) throw inputError('audit-file', `${source} has no users list: give the JSON written by force-mfa audit`);
  const records = users.filter(
    (user): user is Record<string, unknown> => typeof user === 'object' && user !== null && typeof (user as { userName?: unknown }).userName === 'string',
  );
  const exclude = new Set(selection.exclude ?? []);
  const named = selection.named === undefined ? undefined : new Set(selection.named);
  for (const status of selection.statuses) {
    if (!(USER_STATUSES as readonly string[]).includes(status)) throw inputError('usage', `status ${status} is not an audit status: use ${USER_STATUSES.join(', ')}`);
  }
  // A misspelt exclusion would leave the user it meant to protect among the recipients.
  for (const name of exclude) {
    if (!records.some((user) => user['userName'] === name)) throw inputError('audit-user-missing', `${name} (to exclude) is not in ${source}: check the name`);
  }
  for (const name of named ?? []) {
    if (exclude.has(name)) throw inputError('usage', `${name} is both asked for and excluded: leave it out of one of the two lists`);
    if (!records.some((user) => user['userName'] === name)) throw inputError('audit-user-missing', `${name} is not in ${source}: check the name, or audit again`);
  }
  const recipients: AuditRecipient[] = [];
  const skipped: SkippedUser[] = [];
  for (const user of records) {
    const userName = user['userName'] as string;
    const status = String(user['status']);
    const byName = named?.has(userName) === true;
    if (named !== undefined && !byName) continue;
    const skip = (reason: SkipReason) => skipped.push({ userName, status, reason });
    if (exclude.has(userName)) {
      skip('excluded');
      continue;
    }
    if (HAS_MFA.includes(status)) {
      skip('has-mfa');
      continue;
    }
    if (user['exempt'] === true && !byName) {
      skip('exempt');
      continue;
    }
    if (!byName && !selection.statuses.includes(status)) {
      skip('status-not-picked');
      continue;
    }
    const recipient = { userName, status, hasAccessKeys: accessKeysOf(user), hasConsolePassword: consolePasswordOf(user) };
    if (isEnforced(user)) {
      recipients.push({ ...recipient, kind: 'required' });
      continue;
    }
    // Not enforced: a user without a console password is most often a machine; only a name makes it a person to write to.
    if (recipient.hasConsolePassword !== true && !byName) {
      skip('no-console-password');
      continue;
    }
    if (selection.noticeBefore === undefined) {
      skip('not-enforced');
      continue;
    }
    recipients.push({ ...recipient, kind: 'notice' });
  }
  return { recipients, skipped };
}

/** `YYYY-MM-DD`, a real calendar day not before `today` (UTC): the day from which MFA will be required. */
export function noticeDate(text: string, today: Date): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = match === null ? undefined : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (day === undefined || day.toISOString().slice(0, 10) !== text) {
    throw inputError('notice-date', `notice date ${text} is not a day as YYYY-MM-DD (for example 2026-07-01)`);
  }
  if (text < today.toISOString().slice(0, 10)) {
    throw inputError('notice-date', `notice date ${text} is in the past: give the day from which MFA will be required`);
  }
  return text;
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
