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
  quote: (label) => `"${label}"`,
  quoteRichLabels: false,
};
