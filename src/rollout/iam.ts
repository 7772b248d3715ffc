/** The narrow view of IAM and STS that rollout needs; adapters over the SDK live in ./aws, fakes in the tests. */
import { deviceKind } from '../session/device.js';

export interface UserSummary {
  readonly userName: string;
  readonly arn: string;
  /** IAM path, `/` when the user has none. */
  readonly path: string;
}

/** What a user holds: decides what they meet at their next sign-in once in the guard group. */
export interface UserCredentials {
  /** Number of MFA devices assigned to the user (ListMFADevices). */
  readonly mfaDevices: number;
  /**
   * Of those, the devices that give six-digit codes (virtual or hardware TOTP): the only ones STS accepts, so the
   * only ones that let access keys get an MFA session. FIDO security keys and passkeys work in the console only.
   */
  readonly codeMfaDevices: number;
  /** The user has a console password (a login profile). */
  readonly consolePassword: boolean;
  /** Number of active access keys. */
  readonly activeAccessKeys: number;
}

/** A named policy document, decoded from IAM's URL encoding to parsed JSON. */
export interface PolicyDocumentOf {
  readonly name: string;
  readonly document: unknown;
}

export interface RolloutIam {
  /** Every user of the account (every page), optionally under a path prefix. */
  listAllUsers(pathPrefix?: string): Promise<UserSummary[]>;
  /** User names of the group's members (every page). Throws a ForceMfaError when the group does not exist. */
  getGroupMembers(groupName: string): Promise<string[]>;
  /** The group's ARN and members (every page). Throws a ForceMfaError when the group does not exist. */
  getGroup(groupName: string): Promise<GroupState>;
  /** GetUser: the user's id and permissions boundary; undefined when the user does not exist (any more). */
  getUserDetails(userName: string): Promise<UserDetails | undefined>;
  /** TagUser: adds or overwrites these tags. */
  tagUser(userName: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** UntagUser: removes the tags with these keys. */
  untagUser(userName: string, keys: readonly string[]): Promise<void>;
  /** Serial numbers of the user's MFA devices. */
  listMfaDevices(userName: string): Promise<string[]>;
  listUserTags(userName: string): Promise<Record<string, string>>;
  hasConsolePassword(userName: string): Promise<boolean>;
  countActiveAccessKeys(userName: string): Promise<number>;
  /** ARNs of the managed policies attached directly to the user. */
  listAttachedUserPolicyArns(userName: string): Promise<string[]>;
  /** Names of the groups the user belongs to. */
  listGroupsForUser(userName: string): Promise<string[]>;
  listAttachedGroupPolicyArns(groupName: string): Promise<string[]>;
  /** The user's inline policies, documents decoded (every page). */
  listUserInlinePolicies(userName: string): Promise<PolicyDocumentOf[]>;
  listGroupInlinePolicies(groupName: string): Promise<PolicyDocumentOf[]>;
  /** The default version's decoded document of a managed policy. */
  managedPolicyDocument(policyArn: string): Promise<unknown>;
  addUserToGroup(groupName: string, userName: string): Promise<void>;
  removeUserFromGroup(groupName: string, userName: string): Promise<void>;
}

export interface GroupState {
  readonly arn: string;
  readonly members: readonly string[];
}

export interface UserDetails {
  readonly userId: string;
  /** The ARN of the managed policy set as the user's permissions boundary, when there is one. */
  readonly permissionsBoundaryArn: string | undefined;
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  /**
   * The credentials carry a session token. Without one they are long-term access keys, whose requests never carry
   * `aws:MultiFactorAuthPresent`: a guard member signing with them is denied everything.
   */
  readonly hasSessionToken: boolean;
}

export interface RolloutSts {
  getCallerIdentity(): Promise<CallerIdentity>;
}

/** The IAM user name of an identity ARN, or undefined for roles, federated users and the root user. */
export function userNameOfArn(arn: string): string | undefined {
  const match = /^arn:[\w-]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1];
}

export async function readUserCredentials(iam: RolloutIam, userName: string): Promise<UserCredentials> {
  const [devices, consolePassword, activeAccessKeys] = await Promise.all([
    iam.listMfaDevices(userName),
    iam.hasConsolePassword(userName),
    iam.countActiveAccessKeys(userName),
  ]);
  const codeMfaDevices = devices.filter((serial) => ['virtual', 'hardware'].includes(deviceKind(serial))).length;
  return { mfaDevices: devices.length, codeMfaDevices, consolePassword, activeAccessKeys };
}
