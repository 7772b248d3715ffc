/** The options a guard is built from, their defaults and their validation. */
import { inputError } from '../errors.js';

export type GuardProfileName = 'seed' | 'recommended';
export const GUARD_PROFILES: readonly GuardProfileName[] = ['seed', 'recommended'];

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';
export const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** Credentials a member may manage on their own user once signed in with MFA. */
export type SelfServiceCredential = 'access-keys' | 'ssh-keys' | 'git-credentials' | 'signing-certificates';
export const SELF_SERVICE_CREDENTIALS: readonly SelfServiceCredential[] = [
  'access-keys',
  'ssh-keys',
  'git-credentials',
  'signing-certificates',
];

export interface GuardOptions {
  /** `seed`: the 2022 blog post's policy, unchanged. `recommended`: today's policy with the known holes closed. */
  readonly profile: GuardProfileName;
  /** Name of the IAM group that carries the guard. */
  readonly groupName: string;
  /** Name of the group's inline policy. */
  readonly policyName: string;
  /** ARN partition of the account: aws, aws-cn (China) or aws-us-gov (GovCloud). */
  readonly partition: Partition;
  /**
   * Let a member change their own password before enrolling MFA. On by default: a user created with
   * "must reset password at next sign-in" is otherwise stuck at the first sign-in (AWS rejects exempting it later).
   * The trade-off: whoever holds the password alone can change it, which they could also use to sign in anyway.
   */
  readonly allowPasswordChangeWithoutMfa: boolean;
  /** Credentials a member may manage on their own user once signed in with MFA (none by default: the guard only denies). */
  readonly selfService: readonly SelfServiceCredential[];
  /** More actions to leave usable without MFA (e.g. `iam:ListAccountAliases`), on top of the MFA setup actions. */
  readonly extraExemptActions: readonly string[];
  /**
   * Deny enrolling, resyncing or removing an MFA device, and changing the password, with long-term access keys alone
   * (no MFA key in the request). A leaked access key of a user who has not enrolled yet can then not be used to enroll
   * an attacker's device. Console enrollment keeps working. Programmatic-only users (no console password) cannot
   * enroll themselves while this is on: an administrator signed in with MFA enrolls a device for them, or they are
   * listed in `accessKeyEnrollmentExemptUsers`.
   */
  readonly denyAccessKeyEnrollment: boolean;
  /** IAM user names (wildcards `*` `?` allowed) who may still enroll with access keys alone. */
  readonly accessKeyEnrollmentExemptUsers: readonly string[];
}

export const DEFAULT_GUARD_OPTIONS: GuardOptions = {
  profile: 'recommended',
  groupName: 'ForceMfaAccess',
  policyName: 'ForceMfaAccess',
  partition: 'aws',
  allowPasswordChangeWithoutMfa: true,
  selfService: [],
  extraExemptActions: [],
  denyAccessKeyEnrollment: true,
  accessKeyEnrollmentExemptUsers: [],
};

const IAM_NAME = /^[\w+=,.@-]{1,128}$/;
const USER_NAME_PATTERN = /^[\w+=,.@*?-]{1,64}$/;
const ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/i;

/** Fill defaults and reject anything IAM would reject, with one line that says what to change. */
export function resolveGuardOptions(partial: Partial<GuardOptions> = {}): GuardOptions {
  const options: GuardOptions = { ...DEFAULT_GUARD_OPTIONS, ...withoutUndefined(partial) };
  if (!GUARD_PROFILES.includes(options.profile)) {
    throw inputError('bad-profile', `unknown profile '${String(options.profile)}': use one of ${GUARD_PROFILES.join(', ')}`);
  }
  if (!PARTITIONS.includes(options.partition)) {
    throw inputError('bad-partition', `unknown partition '${String(options.partition)}': use one of ${PARTITIONS.join(', ')}`);
  }
  for (const [what, name] of [
    ['group name', options.groupName],
    ['policy name', options.policyName],
  ] as const) {
    if (!IAM_NAME.test(name)) {
      throw inputError('bad-name', `${what} '${name}' is not a valid IAM name: use 1 to 128 letters, digits or + = , . @ _ -`);
    }
  }
  for (const credential of options.selfService) {
    if (!SELF_SERVICE_CREDENTIALS.includes(credential)) {
      throw inputError(
        'bad-self-service',
        `unknown self-service credential '${String(credential)}': use any of ${SELF_SERVICE_CREDENTIALS.join(', ')}`,
      );
    }
  }
  for (const action of options.extraExemptActions) {
    if (!ACTION_PATTERN.test(action)) {
      throw inputError('bad-action', `'${action}' is not an action name: write it as service:Action, e.g. iam:ListAccountAliases`);
    }
  }
  for (const user of options.accessKeyEnrollmentExemptUsers) {
    if (!USER_NAME_PATTERN.test(user)) {
      throw inputError('bad-user-name', `'${user}' is not an IAM user name (wildcards * and ? are allowed)`);
    }
  }
  if (options.profile === 'seed') assertSeedUnchanged(partial);
  return options;
}

/** The seed profile is the regression anchor: options that would change its policy are refused, not ignored. */
function assertSeedUnchanged(partial: Partial<GuardOptions>): void {
  const changed = (Object.keys(withoutUndefined(partial)) as (keyof GuardOptions)[]).filter(
    (key) => key !== 'profile' && JSON.stringify(partial[key]) !== JSON.stringify(DEFAULT_GUARD_OPTIONS[key]),
  );
  if (changed.length > 0) {
    throw inputError(
      'seed-is-fixed',
      `the seed profile is the 2022 policy exactly and takes no options (got ${changed.join(', ')}): use the recommended profile to change them`,
    );
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
