/** English onboarding texts: what a user added to the guard group must do at their next sign-in. */
import type { OnboardingMessageTable } from './types.js';

export const en: OnboardingMessageTable = {
  documentTitle: 'MFA setup instructions',
  subject: ({ accountLabel }) => `Action needed: set up MFA for your AWS sign-in (${accountLabel})`,
  greeting: ({ userName }) => `Hello ${userName},`,
  intro: ({ userName, accountLabel }) =>
    `Your IAM user ${userName} in the AWS account ${accountLabel} now requires multi-factor authentication (MFA). ` +
    'Until you have set up an MFA device and signed in with it, the console lets you do nothing but set up MFA and ' +
    'change your password: most pages show "access denied" errors. Setting it up takes about five minutes.',
  stepsHeading: 'How to set up MFA',
  steps: {
    signIn: ({ userName, signInUrl }) =>
      `Sign in to the AWS Management Console at ${signInUrl} as ${userName} with your password. If you are asked to ` +
      'choose a new password, do so.',
    openSecurityCredentials:
      'Open the account menu at the top right of the console (the menu that shows your user name) and choose ' +
      '[[Security credentials]].',
    assignMfaDevice:
      'In the [[Multi-factor authentication (MFA)]] section, choose [[Assign MFA device]]. Enter a device name, ' +
      'choose the type of device (an authenticator app on your phone, a passkey or a security key) and follow the ' +
      'instructions on the screen. For an authenticator app, scan the QR code and enter two codes in a row.',
    signOutAndIn:
      'Sign out (account menu, [[Sign out]]) and sign in again with your password and your MFA device. Do not skip ' +
      'this step: the change is not seen until you sign in again, and until then you still cannot do anything.',
  },
  withNoPasswordHint: (signInStep) =>
    `${signInStep} If you have no console password, ask your administrator to set up an MFA device for you or to give ` +
    'you a password.',
  withoutConsolePassword: {
    intro: ({ userName, accountLabel }) =>
      `Your IAM user ${userName} in the AWS account ${accountLabel} now requires multi-factor authentication (MFA). ` +
      'Your user has no console password, and access keys alone can no longer set up an MFA device, so you cannot ' +
      'set up MFA by yourself: your AWS administrator has to help you once.',
    stepsHeading: 'How to set up MFA with your administrator',
    steps: {
      askAdministrator:
        'Ask your AWS administrator for one of these: to set up a virtual MFA device for you (enough if you only use ' +
        'access keys), or a console password (if you also want to use the console).',
      virtualDeviceByAdministrator:
        'For a virtual MFA device: your administrator creates it and shows you its QR code. Scan the QR code with an ' +
        'authenticator app on your phone and tell your administrator two codes in a row (the current one and the ' +
        'next); your administrator enables the device with them. Keep no copy or screenshot of the QR code: anyone ' +
        'who has it can make your codes.',
      consoleWithNewPassword: ({ userName, signInUrl }) =>
        `For a console password: sign in at ${signInUrl} as ${userName} with the password your administrator gives ` +
        'you. Open the account menu at the top right, choose [[Security credentials]], then [[Assign MFA device]], and ' +
        'follow the instructions on the screen. Then sign out and sign in again: the change is not seen until you do.',
    },
  },
  cli: {
    heading: {
      known: 'You also use access keys (AWS CLI, SDKs, Terraform)',
      possible: 'If you use access keys (AWS CLI, SDKs, Terraform)',
    },
    beforeCommand:
      'Calls signed with your access keys alone are now denied. Before you work, get a temporary MFA session with:',
    command: ({ cliProfile }) => `force-mfa session --profile ${cliProfile}`,
    afterCommand: ({ cliProfile }) =>
      `It asks for a code from your authenticator app and saves the session as the profile ${cliProfile}-mfa. Use ` +
      `that profile (for example AWS_PROFILE=${cliProfile}-mfa); when the session expires, run the command again.`,
    fidoNote:
      'Passkeys and security keys do not work for the CLI: there, AWS accepts only codes from an authenticator app ' +
      'or a hardware token. Set up one of those too if you use access keys.',
  },
  closing: 'If anything does not work, reply to this message or contact your AWS administrator.',
  notice: {
    subject: ({ accountLabel }, date) => `From ${date}: MFA will be required for your AWS sign-in (${accountLabel}); set it up now`,
    intro: ({ userName, accountLabel }, date) =>
      `From ${date}, your IAM user ${userName} in the AWS account ${accountLabel} will require multi-factor ` +
      'authentication (MFA). Please set it up now: from that day, until you have set up an MFA device and signed in ' +
      'with it, the console will let you do nothing but set up MFA and change your password. Setting it up takes about ' +
      'five minutes, and nothing changes for you before that day.',
    signOutAndIn:
      'Sign out (account menu, [[Sign out]]) and sign in again with your password and your MFA device, to check that ' +
      'it works.',
    withoutConsolePasswordIntro: ({ userName, accountLabel }, date) =>
      `From ${date}, your IAM user ${userName} in the AWS account ${accountLabel} will require multi-factor ` +
      'authentication (MFA). Your user has no console password, and from that day access keys alone will no longer be ' +
      'able to set up an MFA device: please ask your AWS administrator now to help you set it up once.',
    cliBeforeCommand: (date) =>
      `From ${date}, calls signed with your access keys alone will be denied. From then on, before you work, get a ` +
      'temporary MFA session with:',
  },
  skipped: {
    heading: (count) => `No message for ${count} user(s):`,
    reasons: {
      excluded: () => 'excluded (--exclude)',
      exempt: () => 'exempt from enforcement (tag force-mfa:exempt); name the user to write anyway',
      'has-mfa': (status) => `already has an MFA device (${status})`,
      'status-not-picked': (status) => `status ${status} is not among the statuses picked (--status)`,
      'no-console-password': (status) =>
        `MFA is not enforced (${status}) and the user has no console password (a machine user?); name the user to write anyway`,
      'not-enforced': (status) =>
        `MFA is not enforced on this user yet (${status}): give --notice-before DATE to write a notice, or enroll the user first`,
    },
  },
  quote: (label) => `"${label}"`,
  quoteRichLabels: false,
};
