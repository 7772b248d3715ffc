/** Enroll: read the account into a plan with its refusals, then apply it change by change through the log. */
import { randomUUID } from 'node:crypto';
import { inputError } from '../errors.js';
import { mapWithConcurrency } from './concurrency.js';
import { ENROLL_LOG_VERSION, type EnrollLogWriter } from './enroll-log.js';
import {
  membershipAction,
  planEnrollment,
  selectUsers,
  unknownUserNames,
  type EnrollChange,
  type UserSelection,
} from './enroll-plan.js';
import { readUserCredentials, userNameOfArn, type CallerIdentity, type RolloutIam, type RolloutSts, type UserCredentials } from './iam.js';
import { evaluate } from '../engine/evaluate.js';
import {
  callerRefusal,
  evaluatedAdministratorCheck,
  findActingAdministrator,
  noAdministratorRefusal,
  type AdministratorCheck,
  type Refusal,
} from './safety.js';

/** Per-user calls in flight at once: IAM throttles around a few dozen requests a second per account. */
const CONCURRENCY = 8;

export interface EnrollRequest {
  readonly groupName: string;
  readonly selection: UserSelection;
  readonly excluded: readonly string[];
}

export interface EnrollReport {
  readonly groupName: string;
  readonly caller: CallerIdentity;
  readonly changes: readonly EnrollChange[];
  /** The group's members as read for the plan: logged before the first change, so unenroll never removes them. */
  readonly membersBefore: readonly string[];
  /** Why applying would lock someone out; applying requires `force` while any is present. */
  readonly refusals: readonly Refusal[];
  /** An administrator who can still act after the change, when the plan adds anyone. */
  readonly actingAdministrator: string | undefined;
}

export interface EnrollDependencies {
  readonly iam: RolloutIam;
  readonly sts: RolloutSts;
  /** Defaults to evaluating each candidate's identity policies with the engine. */
  readonly isAdministrator?: AdministratorCheck;
}

export async function prepareEnrollment(request: EnrollRequest, deps: EnrollDependencies): Promise<EnrollReport> {
  const { iam } = deps;
  const [caller, allUsers, memberList] = await Promise.all([
    deps.sts.getCallerIdentity(),
    iam.listAllUsers(),
    iam.getGroupMembers(request.groupName),
  ]);
  const unknown = unknownUserNames(request.selection, allUsers);
  if (unknown.length > 0) {
    throw inputError('unknown-user', `no IAM user named ${unknown.join(', ')} in account ${caller.account}: check the names`);
  }
  // An exclusion that names nobody (a typo, or a name with a comma split in two) would silently enroll the user it
  // was meant to protect, often the break-glass administrator: refuse it like an unknown selected user.
  const known = new Set(allUsers.map((user) => user.userName));
  const unknownExcluded = request.excluded.filter((name) => !known.has(name));
  if (unknownExcluded.length > 0) {
    throw inputError(
      'unknown-excluded-user',
      `no IAM user named ${unknownExcluded.join(', ')} in account ${caller.account} to exclude: check the names of the users to keep out of the group`,
    );
  }
  const users = selectUsers(request.selection, allUsers);
  const members = new Set(memberList);
  const excluded = new Set(request.excluded);

  const tagged = users.filter((user) => !excluded.has(user.userName));
  const tagList = await mapWithConcurrency(tagged, CONCURRENCY, (user) => iam.listUserTags(user.userName));
  const tags = new Map(tagged.map((user, index) => [user.userName, tagList[index] ?? {}]));

  const credentialCache = new Map<string, Promise<UserCredentials>>();
  const credentialsOf = (userName: string): Promise<UserCredentials> => {
    let cached = credentialCache.get(userName);
    if (cached === undefined) {
      cached = readUserCredentials(iam, userName);
      credentialCache.set(userName, cached);
    }
    return cached;
  };
  const toAdd = users.filter((user) => membershipAction(user, { members, excluded, tags }) === 'add');
  const credentialList = await mapWithConcurrency(toAdd, CONCURRENCY, (user) => credentialsOf(user.userName));
  const credentials = new Map(toAdd.map((user, index) => [user.userName, credentialList[index] as UserCredentials]));

  const changes = planEnrollment({ groupName: request.groupName, users, members, excluded, tags, credentials });
  const refusals: Refusal[] = [];
  let actingAdministrator: string | undefined;
  if (toAdd.length > 0) {
    const callerName = userNameOfArn(caller.arn);
    const callerDevices = callerName === undefined ? undefined : credentials.get(callerName)?.mfaDevices;
    const callerProblem = callerRefusal(caller, changes, callerDevices);
    if (callerProblem !== undefined) refusals.push(callerProblem);
    const membersAfter = new Set([...members, ...toAdd.map((user) => user.userName)]);
    actingAdministrator = await findActingAdministrator(
      { users: allUsers, membersAfter },
      deps.isAdministrator ?? evaluatedAdministratorCheck(iam, request.groupName, evaluate),
      credentialsOf,
    );
    if (actingAdministrator === undefined) refusals.push(noAdministratorRefusal(request.groupName));
  }
  return { groupName: request.groupName, caller, changes, membersBefore: memberList, refusals, actingAdministrator };
}

export interface ApplyDependencies {
  readonly iam: RolloutIam;
  readonly log: EnrollLogWriter;
  readonly now?: () => Date;
  readonly runId?: string;
  /** Told after each change, for progress output. */
  readonly onChange?: (change: EnrollChange, index: number, total: number) => void;
}

/** Throws the first refusal unless forced: a lockout is worse than a rollout that waits. */
export function assertNoRefusal(refusals: readonly Refusal[], force: boolean): void {
  const [first] = refusals;
  if (first === undefined || force) return;
  const more = refusals.length > 1 ? ` (and ${refusals.length - 1} more refusal)` : '';
  throw inputError(first.code, `refusing to apply: ${first.message}${more}`);
}

/**
 * Adds the planned users one by one, each between an intent and a done line of the log, and returns the changes
 * applied. Before the first change the log gets the group's members as the plan read them, so that unenroll can
 * tell them from users this run adds. Stops at the first failed call (logged as failed): running again resumes from
 * the group's membership.
 */
export async function applyEnrollment(
  report: EnrollReport,
  deps: ApplyDependencies,
  options: { readonly force: boolean },
): Promise<EnrollChange[]> {
  assertNoRefusal(report.refusals, options.force);
  const additions = report.changes.filter((change) => change.action === 'add');
  if (additions.length === 0) return [];
  const runId = deps.runId ?? randomUUID();
  deps.log.append({
    version: ENROLL_LOG_VERSION,
    time: (deps.now ?? (() => new Date()))().toISOString(),
    runId,
    groupName: report.groupName,
    by: report.caller.arn,
    phase: 'members-before',
    members: [...report.membersBefore].sort(),
  });
  return applyMembershipChanges(report.groupName, additions, 'add', report.caller.arn, { ...deps, runId });
}

export async function applyMembershipChanges(
  groupName: string,
  changes: readonly EnrollChange[],
  action: 'add' | 'remove',
  by: string,
  deps: ApplyDependencies,
): Promise<EnrollChange[]> {
  const now = deps.now ?? (() => new Date());
  const runId = deps.runId ?? randomUUID();
  const applied: EnrollChange[] = [];
  // The plan adds only non-members and removes only members; the intent says so, for unenroll's sake.
  const memberBefore = action === 'remove';
  for (const [index, change] of changes.entries()) {
    const line = { version: ENROLL_LOG_VERSION, runId, groupName, userName: change.userName, action, by };
    deps.log.append({ time: now().toISOString(), ...line, phase: 'intent', memberBefore });
    try {
      if (action === 'add') await deps.iam.addUserToGroup(groupName, change.userName);
      else await deps.iam.removeUserFromGroup(groupName, change.userName);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      deps.log.append({ time: now().toISOString(), ...line, phase: 'failed', error: reason });
      throw error;
    }
    deps.log.append({ time: now().toISOString(), ...line, phase: 'done' });
    applied.push(change);
    deps.onChange?.(change, index, changes.length);
  }
  return applied;
}
