/** The enrollment plan: for each selected user, what happens to their membership and what they meet next (pure). */
import type { ContextVerdict, NoMfaContext } from '../audit/types.js';
import { isExemptByTag } from './exemption.js';
import type { UserCredentials, UserSummary } from './iam.js';

export type UserSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'users'; readonly userNames: readonly string[] }
  | { readonly kind: 'path'; readonly pathPrefix: string };

export type EnrollAction =
  /** Will be (or was) added to the group. */
  | 'add'
  /** Already a member: nothing to do. */
  | 'already-member'
  /** In the exclusion list given by the caller. */
  | 'skip-excluded'
  /** Tagged `force-mfa:exempt` = `true`. */
  | 'skip-exempt'
  /** Listed, but deleted before the plan could read them: nothing to do. */
  | 'skip-deleted'
  /** Unenroll: will be (or was) removed because the log says enroll added them. */
  | 'remove'
  /** Unenroll: the log says enroll added them, but they are no longer members: nothing to do. */
  | 'not-member';

/**
 * What a user added to the group meets at their next console sign-in:
 * `nothing` (they have MFA), `mfa-setup` (console password without MFA: they can
 * only set up MFA and change their password), `no-console` (no console password: only their access keys matter),
 * `not-enforced` (the evaluator does not show console sessions without MFA denied once they are in the group).
 */
export type NextSignIn = 'nothing' | 'mfa-setup' | 'no-console' | 'not-enforced';

/**
 * What happens to calls signed with their long-term access keys: `unaffected` (no active keys),
 * `needs-mfa-session` (denied until they use an MFA session: `force-mfa session`), `needs-mfa-device` (keys but no MFA
 * device that gives codes yet, none at all or only passkeys/security keys: no MFA session possible until a virtual or
 * hardware TOTP device is assigned, by the console or by an administrator).
 */
export type AccessKeyImpact = 'unaffected' | 'needs-mfa-session' | 'needs-mfa-device' | 'not-enforced';

/** Per context, whether requests without MFA are denied once the user is in the group (the audit's verdicts). */
export type EnforcementVerdicts = Readonly<Record<NoMfaContext, ContextVerdict>>;

export interface EnrollChange {
  readonly userName: string;
  readonly action: EnrollAction;
  /** Only for users who end up in the group (add, already-member) and whose credentials were read. */
  readonly nextSignIn?: NextSignIn;
  readonly accessKeys?: AccessKeyImpact;
  /** For users the plan adds: whether requests without MFA would be denied once they are in the group, per context. */
  readonly deniedWithoutMfa?: EnforcementVerdicts;
}

export interface EnrollFacts {
  readonly groupName: string;
  /** The selected users, in the order they are reported. */
  readonly users: readonly UserSummary[];
  readonly members: ReadonlySet<string>;
  readonly excluded: ReadonlySet<string>;
  /** Tags of every selected user that is not excluded. */
  readonly tags: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Credentials of every user the plan adds. */
  readonly credentials: ReadonlyMap<string, UserCredentials>;
  /** The evaluated enforcement of every user the plan adds, with the group's policies and their own. */
  readonly enforcement: ReadonlyMap<string, EnforcementVerdicts>;
  /** Users listed but deleted before the plan read them. */
  readonly deleted?: ReadonlySet<string>;
}

/** The membership decision alone, before credentials are read (so they are read only for users to add). */
export function membershipAction(
  user: UserSummary,
  facts: Pick<EnrollFacts, 'members' | 'excluded' | 'tags' | 'deleted'>,
): EnrollAction {
  if (facts.excluded.has(user.userName)) return 'skip-excluded';
  if (facts.deleted?.has(user.userName) === true) return 'skip-deleted';
  if (isExemptByTag(facts.tags.get(user.userName) ?? {})) return 'skip-exempt';
  if (facts.members.has(user.userName)) return 'already-member';
  return 'add';
}

export function planEnrollment(facts: EnrollFacts): EnrollChange[] {
  return [...facts.users]
    .sort((a, b) => a.userName.localeCompare(b.userName))
    .map((user) => {
      const action = membershipAction(user, facts);
      const credentials = facts.credentials.get(user.userName);
      const enforcement = facts.enforcement.get(user.userName);
      if (action !== 'add' || credentials === undefined || enforcement === undefined) return { userName: user.userName, action };
      return { userName: user.userName, action, ...impactOf(credentials, enforcement), deniedWithoutMfa: enforcement };
    });
}

/**
 * What the user meets, from the evaluated enforcement (never from the group's name): a context whose requests
 * without MFA are not proven denied is `not-enforced`, whatever the user holds.
 */
export function impactOf(credentials: UserCredentials, enforcement: EnforcementVerdicts): { nextSignIn: NextSignIn; accessKeys: AccessKeyImpact } {
  const hasMfa = credentials.mfaDevices > 0;
  const nextSignIn: NextSignIn = !credentials.consolePassword
    ? 'no-console'
    : enforcement['console-no-mfa'] !== 'denied'
      ? 'not-enforced'
      : hasMfa
        ? 'nothing'
        : 'mfa-setup';
  // A passkey or security key signs in to the console but cannot give STS a code: keys need a TOTP device.
  const accessKeys: AccessKeyImpact =
    credentials.activeAccessKeys === 0
      ? 'unaffected'
      : enforcement['access-keys'] !== 'denied'
        ? 'not-enforced'
        : credentials.codeMfaDevices > 0
          ? 'needs-mfa-session'
          : 'needs-mfa-device';
  return { nextSignIn, accessKeys };
}

/** Users named in a selection that the account does not have (a typo must not pass silently). */
export function unknownUserNames(selection: UserSelection, users: readonly UserSummary[]): string[] {
  if (selection.kind !== 'users') return [];
  const known = new Set(users.map((user) => user.userName));
  return selection.userNames.filter((name) => !known.has(name));
}

export function selectUsers(selection: UserSelection, users: readonly UserSummary[]): UserSummary[] {
  switch (selection.kind) {
    case 'all':
      return [...users];
    case 'path':
      return users.filter((user) => user.path.startsWith(selection.pathPrefix));
    case 'users': {
      const wanted = new Set(selection.userNames);
      return users.filter((user) => wanted.has(user.userName));
    }
  }
}
