/**
 * The auto-enroll Lambda as inlined into plain CloudFormation (Code.ZipFile, 4 KB at most): adds each new IAM user to
 * the guard group and, daily, every user the events missed. It cannot hold the policy engine, so instead of the CLI's
 * evaluated refusals it adds only users who hold no permissions of their own (no user policy, no other group): such
 * a user cannot be an administrator, so adding them never leaves the account without one. Others are refused, logged
 * and alarmed. The CDK construct deploys `auto-enroll.ts`, which shares the CLI's plan code and refusals.
 */
// First: it silences the AWS SDK's Node version warning before the SDK loads (see the module).
import '../../aws/node-version-warning.js';
import {
  AddUserToGroupCommand,
  GetGroupCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  type User,
} from '@aws-sdk/client-iam';
import { isExemptByTag, isUnderPath, splitNames, tagRecord } from '../exemption.js';

/** The part of an EventBridge event the handler reads: a CloudTrail CreateUser call, or the daily schedule. */
export interface AutoEnrollEvent {
  /** Set to true to run the sweep from a manual invocation. */
  readonly sweep?: boolean;
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: {
    readonly eventSource?: string;
    readonly eventName?: string;
    readonly errorCode?: string;
    readonly requestParameters?: { readonly userName?: string; readonly path?: string } | null;
    readonly responseElements?: { readonly user?: { readonly userName?: string; readonly path?: string } } | null;
  };
}

export interface AutoEnrollResult {
  readonly added: string[];
  readonly exempt: string[];
  readonly members: number;
  /** Users with permissions of their own: only `force-mfa enroll` can judge them. */
  readonly refused?: string[];
}

interface Settings {
  readonly groupName: string;
  readonly exemptUsers: readonly string[];
  readonly exemptPaths: readonly string[];
}

const iam = new IAMClient({ maxAttempts: 8, retryMode: 'adaptive' });

function settings(): Settings {
  const groupName = process.env['GROUP_NAME'];
  if (groupName === undefined || groupName === '') throw new Error('GROUP_NAME is not set');
  return {
    groupName,
    exemptUsers: splitNames(process.env['EXEMPT_USERS']),
    exemptPaths: splitNames(process.env['EXEMPT_PATH_PREFIXES']),
  };
}

async function isExempt(userName: string, path: string, config: Settings): Promise<boolean> {
  // IAM user names are unique without regard to case: BreakGlass exempts breakglass.
  if (config.exemptUsers.some((name) => name.toLowerCase() === userName.toLowerCase()) || isUnderPath(path, config.exemptPaths)) return true;
  const tags: { Key?: string; Value?: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListUserTagsCommand({ UserName: userName, Marker: marker }));
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return isExemptByTag(tagRecord(tags));
}

/** Any policy of the user's own or any group besides the guard: could be an administrator, needs the evaluator. */
async function holdsRights(userName: string, config: Settings): Promise<boolean> {
  const [attached, inline, groups] = await Promise.all([
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
    iam.send(new ListUserPoliciesCommand({ UserName: userName })),
    iam.send(new ListGroupsForUserCommand({ UserName: userName })),
  ]);
  return (
    (attached.AttachedPolicies ?? []).length > 0 ||
    (inline.PolicyNames ?? []).length > 0 ||
    (groups.Groups ?? []).some((group) => group.GroupName !== config.groupName) ||
    [attached, inline, groups].some((page) => page.IsTruncated === true)
  );
}

/** AddUserToGroup is idempotent in IAM; a user deleted meanwhile is skipped, not retried forever. */
async function add(userName: string, config: Settings): Promise<boolean> {
  try {
    await iam.send(new AddUserToGroupCommand({ GroupName: config.groupName, UserName: userName }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name !== 'NoSuchEntityException' || !(await groupExists(config))) throw error;
    return false;
  }
}

async function groupExists(config: Settings): Promise<boolean> {
  try {
    await iam.send(new GetGroupCommand({ GroupName: config.groupName, MaxItems: 1 }));
    return true;
  } catch {
    return false;
  }
}

async function enrollOne(userName: string, path: string, config: Settings): Promise<AutoEnrollResult> {
  let exempt: boolean;
  let rights = false;
  try {
    exempt = await isExempt(userName, path, config);
    rights = !exempt && (await holdsRights(userName, config));
  } catch (error) {
    // Deleted before the function ran: logged and skipped, not a failure that raises the alarm.
    if ((error as { name?: string }).name !== 'NoSuchEntityException') throw error;
    log('gone', userName);
    return { added: [], exempt: [], members: 0 };
  }
  if (exempt) {
    log('exempt', userName);
    return { added: [], exempt: [userName], members: 0 };
  }
  if (rights) {
    log('refused', userName);
    return { added: [], exempt: [], members: 0, refused: [userName] };
  }
  const added = await add(userName, config);
  log(added ? 'added' : 'gone', userName);
  return { added: added ? [userName] : [], exempt: [], members: 0 };
}

async function pages<T>(read: (marker: string | undefined) => Promise<{ items?: T[]; IsTruncated?: boolean; Marker?: string }>): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const page = await read(marker);
    items.push(...(page.items ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return items;
}

/** The daily sweep: every page of users and members; adds whoever is neither a member nor exempt. */
export async function sweep(config: Settings = settings()): Promise<AutoEnrollResult> {
  const list = (marker: string | undefined) =>
    iam.send(new ListUsersCommand({ Marker: marker })).then((page) => ({ ...page, items: page.Users }));
  const group = (marker: string | undefined) =>
    iam.send(new GetGroupCommand({ GroupName: config.groupName, Marker: marker })).then((page) => ({ ...page, items: page.Users }));
  const [users, members] = await Promise.all([pages<User>(list), pages<User>(group)]);
  const memberNames = new Set(members.map((member) => member.UserName));
  const result = { added: [] as string[], exempt: [] as string[], members: memberNames.size, refused: [] as string[] };
  for (const user of users) {
    const name = user.UserName ?? '';
    if (memberNames.has(name)) continue;
    const one = await enrollOne(name, user.Path ?? '/', config);
    result.added.push(...one.added);
    result.exempt.push(...one.exempt);
    result.refused.push(...(one.refused ?? []));
  }
  return raise(result);
}

/** A refused user fails the invocation, after the others were handled: the errors alarm fires. */
function raise(result: AutoEnrollResult): AutoEnrollResult {
  if ((result.refused ?? []).length > 0) throw new Error(`refused ${result.refused?.join(', ')}: they hold permissions; judge them with force-mfa enroll`);
  return result;
}

export async function handler(event: AutoEnrollEvent): Promise<AutoEnrollResult> {
  const config = settings();
  const detail = event.detail;
  // Other services (MemoryDB, Transfer Family, MQ...) record a CreateUser of their own: only IAM's counts.
  if (detail?.eventName === 'CreateUser' && detail.eventSource === 'iam.amazonaws.com') {
    const user = detail.responseElements?.user;
    const userName = user?.userName ?? detail.requestParameters?.userName;
    // CloudTrail records failed calls too: no user was created then.
    if (detail.errorCode !== undefined || userName === undefined) return { added: [], exempt: [], members: 0 };
    return raise(await enrollOne(userName, user?.path ?? detail.requestParameters?.path ?? '/', config));
  }
  if (event['detail-type'] === 'Scheduled Event' || event.sweep === true) return sweep(config);
  log('ignored', event['detail-type'] ?? 'unknown event');
  return { added: [], exempt: [], members: 0 };
}

function log(outcome: string, userName: string): void {
  console.log(JSON.stringify({ outcome, userName }));
}
