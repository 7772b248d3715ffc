/** The shape of one language's onboarding texts. `[[Label]]` marks a console label, rendered per format. */

export type OnboardingLanguage = 'en' | 'ja';
export const ONBOARDING_LANGUAGES: readonly OnboardingLanguage[] = ['en', 'ja'];

/** The reasons of `SkipReason` in ../onboard.ts, repeated here so that the tables need not import the logic. */
export type SkipReasonKey = 'excluded' | 'exempt' | 'has-mfa' | 'status-not-picked' | 'no-console-password' | 'not-enforced';

export interface OnboardingContext {
  readonly userName: string;
  /** The account's alias, else its id. */
  readonly accountLabel: string;
  readonly signInUrl: string;
  /** AWS CLI profile holding the user's access keys, for the `force-mfa session` example. */
  readonly cliProfile: string;
}

export interface OnboardingMessageTable {
  /** The title of the HTML page that holds the messages of several users. */
  readonly documentTitle: string;
  readonly subject: (context: OnboardingContext) => string;
  readonly greeting: (context: OnboardingContext) => string;
  readonly intro: (context: OnboardingContext) => string;
  readonly stepsHeading: string;
  /** The seed's steps, in its order. */
  readonly steps: {
    readonly signIn: (context: OnboardingContext) => string;
    readonly openSecurityCredentials: string;
    readonly assignMfaDevice: string;
    readonly signOutAndIn: string;
  };
  /** The sign-in step with one sentence for users without a password: used when it is not known whether they have one. */
  readonly withNoPasswordHint: (signInStep: string) => string;
  /**
   * For a user without a console password: the guard denies MFA device changes made with access keys alone, so they
   * cannot set up MFA by themselves. They ask the administrator for a virtual MFA device or for a password.
   */
  readonly withoutConsolePassword: {
    readonly intro: (context: OnboardingContext) => string;
    readonly stepsHeading: string;
    readonly steps: {
      readonly askAdministrator: string;
      readonly virtualDeviceByAdministrator: string;
      readonly consoleWithNewPassword: (context: OnboardingContext) => string;
    };
  };
  readonly cli: {
    /** Heading when the user is known to have access keys, and when it is not known. */
    readonly heading: { readonly known: string; readonly possible: string };
    readonly beforeCommand: string;
    readonly command: (context: OnboardingContext) => string;
    readonly afterCommand: (context: OnboardingContext) => string;
    readonly fidoNote: string;
  };
  readonly closing: string;
  /**
   * For a user MFA is not enforced on yet: from `date` it will be. Never "now required": today nothing is denied,
   * so the texts that say what is denied speak of that day.
   */
  readonly notice: {
    readonly subject: (context: OnboardingContext, date: string) => string;
    readonly intro: (context: OnboardingContext, date: string) => string;
    /** The last step: sign in again with the device, to check it works. */
    readonly signOutAndIn: string;
    readonly withoutConsolePasswordIntro: (context: OnboardingContext, date: string) => string;
    readonly cliBeforeCommand: (date: string) => string;
  };
  /** Why a user of the audit gets no message, one line each for the operator (stderr, or `skipped` in JSON). */
  readonly skipped: {
    readonly heading: (count: number) => string;
    readonly reasons: Readonly<Record<SkipReasonKey, (status: string) => string>>;
  };
  /** Quotes around a console label in plain text. */
  readonly quote: (label: string) => string;
  /**
   * Quote labels in Markdown and HTML too (inside the quotes, the label is bold). Japanese needs it: CommonMark does
   * not close `**label**` directly followed by a kana after punctuation, and 「」 is how Japanese marks a label.
   */
  readonly quoteRichLabels: boolean;
}
