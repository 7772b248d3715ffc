/** The three ways an IAM user's request reaches AWS, as the MFA condition keys show them. */

export type ContextName = 'console-no-mfa' | 'access-keys' | 'mfa';

export const CONTEXT_NAMES: readonly ContextName[] = ['console-no-mfa', 'access-keys', 'mfa'];

export const CONTEXT_DESCRIPTIONS: Readonly<Record<ContextName, string>> = {
  'console-no-mfa': 'console session signed in without MFA (aws:MultiFactorAuthPresent = "false")',
  'access-keys': 'long-term access keys (aws:MultiFactorAuthPresent absent)',
  mfa: 'session signed in with MFA (aws:MultiFactorAuthPresent = "true")',
};

/** Age in seconds of the MFA sign-in used for the `mfa` context: a fresh sign-in. */
export const MFA_AGE_SECONDS = '300';

/**
 * The MFA keys of each context. aws:MultiFactorAuthAge is present only when MFA was used (AWS: "if MFA was not
 * used, this key is not present"), so it appears in the `mfa` context only.
 */
export function mfaContextKeys(name: ContextName): Record<string, string> {
  switch (name) {
    case 'console-no-mfa':
      return { 'aws:MultiFactorAuthPresent': 'false' };
    case 'access-keys':
      return {};
    case 'mfa':
      return { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': MFA_AGE_SECONDS };
  }
}

export function isContextName(value: string): value is ContextName {
  return (CONTEXT_NAMES as readonly string[]).includes(value);
}
