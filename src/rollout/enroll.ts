/** Enroll: read the account into a plan with its refusals, then apply it change by change through the log. */
import { randomUUID } from 'node:crypto';
import { assessEnforcement, type EnforcementAssessment, type ExhaustiveCheck } from '../audit/enforcement.js';
import type { PolicyEvaluator } from '../audit/evaluator.js';
import { createExhaustiveChecker, type PolicyVerifier } from '../audit/exhaustive.js';
import type { ActionCatalogue } from '../engine/catalogue.js';
import { evaluateQuantified } from '../engine/quantify.js';
import { verifyPolicies } from '../engine/verify.js';
import { environmentError, inputError } from '../errors.js';
import { mapWithConcurrency } from './concurrency.js';
import { ENROLL_LOG_VERSION, type EnrollLogWriter } from './enroll-log.js';
import {
  membershipAction,
  planEnrollment,
  selectUsers,
  unknownUserNames,
  type EnforcementVerdicts,
  type EnrollChange,
  type UserSelection,
} from './enroll-plan.js';
import { EXEMPT_TAG_KEY, exemptTagValue } from './exemption.js';
import { readUserCredentials, userNameOfArn, type CallerIdentity, type RolloutIam, type RolloutSts, type UserCredentials, type UserSummary } from './iam.js';
import { groupsAfter, policiesWithGroups, policyReads, type PolicyReads } from './policy-reads.js';
import {
  administratorVerdict,
  callerMfaEvidence,
  callerRefusal,
  noAdministratorRefusal,
  overrideOf,
  unenforcingGroupRefusal,
  type Refusal,
  type RefusalOverride,
} from './safety.js';

/** Per-user calls in flight at once: IAM throttles around a few dozen requests a second per account. */
const CONCURRENCY = 8;

/** The tag beside the exemption tag that says who set it, when and why (IAM tag values allow no commas). */
export const EXEMPT_REASON_TAG_KEY = 'force-mfa:exempt-reason';

export interface EnrollRequest {
  readonly groupName: string;
  readonly selection: UserSelection;
  readonly excluded: readonly string[];
}

export interface EnrollReport {
  readonly groupName: string;
  /** The group's ARN as GetGroup returned it: the log binds the run to it. */
  readonly groupArn: string;
  readonly caller: CallerIdentity;
  readonly changes: readonly EnrollChange[];
  /** The group's members as read for the plan: logged before the first change, so unenroll never removes them. */
  readonly membersBefore: readonly string[];
  /** Excluded users not tagged exempt yet, with their current values of the exemption tags: apply tags them. */
  readonly toTag: readonly { readonly userName: string; readonly previous: Readonly<Record<string, string>> }[];
  /** Why applying would lock someone out or enforce nothing; applying requires the override of each. */
  readonly refusals: readonly Refusal[];
  /** An administrator who can still act after the change, when the plan adds anyone. */
  readonly actingAdministrator: string | undefined;
}

export interface EnrollDependencies {
  readonly iam: RolloutIam;
  readonly sts: RolloutSts;
  /** The action catalogue for the exhaustive enforcement check; without it no group is proven to enforce MFA. */
  readonly catalogue?: ActionCatalogue;
  /**
   * Defaults to the engine's `evaluateQuantified`, as the audit's: a group whose deny a caller-supplied key switches
   * off does not enforce MFA, and an administrator's Allow counts when some value of such a key opens it.
   */
  readonly evaluate?: PolicyEvaluator;
  readonly verify?: PolicyVerifier;
  readonly now?: () => Date;
}

/** Resolves names to the account's spelling: IAM user names are unique without regard to case. */
function byLowerName(users: readonly UserSummary[]): Map<string, UserSummary> {
  return new Map(users.map((user) => [user.userName.toLowerCase(), user]));
}

export async function prepareEnrollment(request: EnrollRequest, deps: EnrollDependencies): Promise<EnrollReport> {
  const { iam } = deps;
  const evaluate = deps.evaluate ?? evaluateQuantified;
  const now = (deps.now ?? (() => new Date()))();
  const [caller, allUsers, group] = await Promise.all([deps.sts.getCallerIdentity(), iam.listAllUsers(), iam.getGroup(request.groupName)]);
  const unknown = unknownUserNames(request.selection, allUsers);
  if (unknown.length > 0) {
    throw inputError('unknown-user', `no IAM user named ${unknown.join(', ')} in account ${caller.account}: check the names`);
  }
  // An exclusion that names nobody (a typo, or a name with a comma split in two) would silently enroll the user it
  // was meant to protect, often the break-glass administrator: refuse it like an unknown selected user.
  const known = byLowerName(allUsers);
  const unknownExcluded = request.excluded.filter((name) => !known.has(name.toLowerCase()));
  if (unknownExcluded.length > 0) {
    throw inputError(
      'unknown-excluded-user',
      `no IAM user named ${unknownExcluded.join(', ')} in account ${caller.account} to exclude: check the names of the users to keep out of the group`,
    );
  }
  const users = selectUsers(request.selection, allUsers);
  const members = new Set(group.members);
  const excluded = new Set(request.excluded.map((name) => known.get(name.toLowerCase())?.userName ?? name));

  const tagList = await mapWithConcurrency(users, CONCURRENCY, (user) => iam.listUserTags(user.userName));
  const tags = new Map(users.map((user, index) => [user.userName, tagList[index] ?? {}]));
  const excludedUsers = allUsers.filter((user) => excluded.has(user.userName));
  const excludedTags = await mapWithConcurrency(excludedUsers, CONCURRENCY, async (user) => tags.get(user.userName) ?? (await iam.listUserTags(user.userName)));
  const toTag = excludedUsers
    .map((user, index) => ({ user, current: excludedTags[index] ?? {} }))
    .filter(({ current }) => exemptTagValue(current) === undefined)
    .map(({ user, current }) => ({
      userName: user.userName,
      previous: Object.fromEntries(Object.entries(current).filter(([key]) => [EXEMPT_TAG_KEY, EXEMPT_REASON_TAG_KEY].includes(key.toLowerCase()))),
    }));

  const credentialCache = new Map<string, Promise<UserCredentials>>();
  const credentialsOf = (userName: string): Promise<UserCredentials> => {
    let cached = credentialCache.get(userName);
    if (cached === undefined) {
      cached = readUserCredentials(iam, userName);
      credentialCache.set(userName, cached);
    }
    return cached;
  };
  const reads = policyReads(iam);
  const exhaustive = createExhaustiveChecker({ catalogue: deps.catalogue, verify: deps.verify ?? verifyPolicies, allowWithoutMfa: [] });
  const assessments = new Map<string, EnforcementAssessment>();

  const candidates = users.filter((user) => membershipAction(user, { members, excluded, tags }) === 'add');
  const judged = await mapWithConcurrency(candidates, CONCURRENCY, async (user) => {
    const identity = await reads.identity(user);
    if (identity === undefined) return undefined;
    const [credentials, policies] = await Promise.all([
      credentialsOf(user.userName),
      policiesWithGroups(reads, identity, groupsAfter(identity, request.groupName, true)),
    ]);
    return { credentials, assessment: assessCached(assessments, policies, evaluate, exhaustive) };
  });
  const deleted = new Set(candidates.filter((_, index) => judged[index] === undefined).map((user) => user.userName));
  const credentials = new Map<string, UserCredentials>();
  const enforcement = new Map<string, EnforcementVerdicts>();
  const unenforced: { userName: string; assessment: EnforcementAssessment }[] = [];
  candidates.forEach((user, index) => {
    const entry = judged[index];
    if (entry === undefined) return;
    credentials.set(user.userName, entry.credentials);
    enforcement.set(user.userName, { 'console-no-mfa': entry.assessment.contexts['console-no-mfa'].verdict, 'access-keys': entry.assessment.contexts['access-keys'].verdict });
    if (entry.assessment.enforced !== true) unenforced.push({ userName: user.userName, assessment: entry.assessment });
  });
  const toAdd = candidates.filter((user) => !deleted.has(user.userName));

  const changes = planEnrollment({ groupName: request.groupName, users, members, excluded, tags, credentials, enforcement, deleted });
  const refusals: Refusal[] = [];
  const [firstUnenforced] = unenforced;
  if (firstUnenforced !== undefined) {
    refusals.push(unenforcingGroupRefusal(request.groupName, unenforced.map((entry) => entry.userName).sort(), firstUnenforced.assessment));
  }
  let actingAdministrator: string | undefined;
  if (toAdd.length > 0) {
    const callerProblem = callerRefusal(caller, changes, await callerEvidence(caller, allUsers, reads, assessments, evaluate, exhaustive));
    if (callerProblem !== undefined) refusals.push(callerProblem);
    const membersAfter = new Set([...members, ...toAdd.map((user) => user.userName)]);
    actingAdministrator = await findActingAdministrator(allUsers, membersAfter, request.groupName, {
      reads,
      credentialsOf,
      evaluate,
      now,
    });
    if (actingAdministrator === undefined) refusals.push(noAdministratorRefusal(request.groupName));
  }
  return {
    groupName: request.groupName,
    groupArn: group.arn,
    caller,
    changes,
    membersBefore: [...group.members],
    toTag,
    refusals,
    actingAdministrator,
  };
}

function assessCached(
  cache: Map<string, EnforcementAssessment>,
  policies: Awaited<ReturnType<typeof policiesWithGroups>>,
  evaluate: PolicyEvaluator,
  exhaustive: ExhaustiveCheck,
): EnforcementAssessment {
  let assessment = cache.get(policies.effective.cacheKey);
  if (assessment === undefined) {
    assessment = assessEnforcement(policies.user, policies.effective, evaluate, exhaustive);
    cache.set(policies.effective.cacheKey, assessment);
  }
  return assessment;
}

/** The caller's own user judged with today's groups: a proven guard plus the IAM reads that just worked show MFA. */
async function callerEvidence(
  caller: CallerIdentity,
  allUsers: readonly UserSummary[],
  reads: PolicyReads,
  cache: Map<string, EnforcementAssessment>,
  evaluate: PolicyEvaluator,
  exhaustive: ExhaustiveCheck,
): Promise<ReturnType<typeof callerMfaEvidence>> {
  const name = userNameOfArn(caller.arn);
  const summary = allUsers.find((user) => user.userName === name);
  if (summary === undefined || !caller.hasSessionToken) return 'unproven';
  const identity = await reads.identity(summary);
  if (identity === undefined) return 'unproven';
  return callerMfaEvidence(assessCached(cache, await policiesWithGroups(reads, identity, identity.groupNames), evaluate, exhaustive));
}

interface AdministratorSearch {
  readonly reads: PolicyReads;
  readonly credentialsOf: (userName: string) => Promise<UserCredentials>;
  readonly evaluate: PolicyEvaluator;
  readonly now: Date;
}

/**
 * The first user who, once the plan is applied, can sign in with MFA and administer IAM (see `administratorVerdict`),
 * or undefined. Users outside the group are tried first and the search stops at the first match.
 */
async function findActingAdministrator(
  users: readonly UserSummary[],
  membersAfter: ReadonlySet<string>,
  groupName: string,
  search: AdministratorSearch,
): Promise<string | undefined> {
  const outside = users.filter((user) => !membersAfter.has(user.userName));
  const inside = users.filter((user) => membersAfter.has(user.userName));
  for (const user of [...outside, ...inside]) {
    const identity = await search.reads.identity(user);
    if (identity === undefined) continue;
    const policies = await policiesWithGroups(search.reads, identity, groupsAfter(identity, groupName, membersAfter.has(user.userName)));
    const verdict = administratorVerdict(policies.user, policies.effective, await search.credentialsOf(user.userName), groupName, search.evaluate, search.now);
    if (verdict === 'can-act') return user.userName;
  }
  return undefined;
}

export interface ApplyDependencies {
  readonly iam: RolloutIam;
  readonly log: EnrollLogWriter;
  readonly now?: () => Date;
  readonly runId?: string;
  /** Told after each change, for progress output. */
  readonly onChange?: (change: EnrollChange, index: number, total: number) => void;
}

/** Throws the first refusal that is not overridden: a lockout is worse than a rollout that waits. */
export function assertNoRefusal(refusals: readonly Refusal[], overrides: ReadonlySet<RefusalOverride>, hint: (override: RefusalOverride) => string = () => ''): void {
  const standing = refusals.filter((refusal) => !overrides.has(overrideOf(refusal.code)));
  const [first] = standing;
  if (first === undefined) return;
  const more = standing.length > 1 ? ` (and ${standing.length - 1} more refusal)` : '';
  throw inputError(first.code, `refusing to apply: ${first.message}${hint(overrideOf(first.code))}${more}`);
}

/** The tag value AWS accepts (letters, digits, spaces and `_.:/=+-@`), at most 256 characters. */
function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
}

/**
 * Tags the excluded users exempt, then adds the planned users one by one, each between an intent and a done line of
 * the log. Before the first change the log gets the run's header: the account, the group's ARN, the caller and the
 * group's members as the plan read them, so that unenroll can tell them from users this run adds and refuse another
 * account's log. Stops at the first call that failed and that a read does not show applied (logged as failed):
 * running again resumes from the group's membership.
 */
export async function applyEnrollment(
  report: EnrollReport,
  deps: ApplyDependencies,
  options: { readonly overrides: ReadonlySet<RefusalOverride>; readonly hint?: (override: RefusalOverride) => string },
): Promise<EnrollChange[]> {
  assertNoRefusal(report.refusals, options.overrides, options.hint);
  const additions = report.changes.filter((change) => change.action === 'add');
  if (additions.length === 0 && report.toTag.length === 0) return [];
  const now = deps.now ?? (() => new Date());
  const runId = deps.runId ?? randomUUID();
  deps.log.append({
    version: ENROLL_LOG_VERSION,
    time: now().toISOString(),
    runId,
    groupName: report.groupName,
    by: report.caller.arn,
    phase: 'members-before',
    accountId: report.caller.account,
    groupArn: report.groupArn,
    members: [...report.membersBefore].sort(),
  });
  // Tags first: a sweep of the auto-enroll function that runs meanwhile must already see the exemption.
  const reason = tagValue(`excluded by force-mfa enroll on ${now().toISOString().slice(0, 10)} by ${report.caller.arn}`);
  for (const { userName, previous } of report.toTag) {
    await applyTag(report.groupName, userName, { [EXEMPT_TAG_KEY]: 'true', [EXEMPT_REASON_TAG_KEY]: reason }, previous, report.caller.arn, { ...deps, runId });
  }
  return applyMembershipChanges(report.groupName, additions, 'add', report.caller.arn, { ...deps, runId });
}

async function applyTag(
  groupName: string,
  userName: string,
  tags: Readonly<Record<string, string>>,
  previous: Readonly<Record<string, string>>,
  by: string,
  deps: ApplyDependencies,
): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const line = { version: ENROLL_LOG_VERSION, runId: deps.runId ?? randomUUID(), groupName, userName, action: 'tag' as const, by };
  deps.log.append({ time: now().toISOString(), ...line, phase: 'intent', tags, previousTags: previous });
  try {
    await deps.iam.tagUser(userName, tags);
  } catch (error) {
    // TagUser sets values, so a lost answer is checked by reading the tags back.
    const current = await deps.iam.listUserTags(userName).catch(() => undefined);
    if (current === undefined || Object.entries(tags).some(([key, value]) => current[key] !== value)) {
      deps.log.append({ time: now().toISOString(), ...line, phase: 'failed', error: describeError(error) });
      throw error;
    }
    deps.log.append({ time: now().toISOString(), ...line, phase: 'done', confirmedBy: 'ListUserTags' });
    return;
  }
  deps.log.append({ time: now().toISOString(), ...line, phase: 'done' });
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Whether a failed membership call has in fact taken effect: a lost answer followed by a retry gives NoSuchEntity on
 * a removal already made, or an error on an addition already made. Only a GetGroup that shows the change counts.
 */
async function appliedDespiteError(iam: RolloutIam, groupName: string, userName: string, action: 'add' | 'remove'): Promise<boolean> {
  try {
    const { members } = await iam.getGroup(groupName);
    return members.includes(userName) === (action === 'add');
  } catch {
    return false;
  }
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
    let confirmedBy: string | undefined;
    try {
      if (action === 'add') await deps.iam.addUserToGroup(groupName, change.userName);
      else await deps.iam.removeUserFromGroup(groupName, change.userName);
    } catch (error) {
      if (!(await appliedDespiteError(deps.iam, groupName, change.userName, action))) {
        deps.log.append({ time: now().toISOString(), ...line, phase: 'failed', error: describeError(error) });
        throw error;
      }
      confirmedBy = 'GetGroup';
    }
    deps.log.append({ time: now().toISOString(), ...line, phase: 'done', ...(confirmedBy === undefined ? {} : { confirmedBy }) });
    applied.push(change);
    deps.onChange?.(change, index, changes.length);
  }
  return applied;
}

/** Restores the exemption tags a log set: the previous values where there were any, else the keys are removed. */
export async function undoTags(
  groupName: string,
  undo: ReadonlyMap<string, { tags: Record<string, string>; previous: Record<string, string> }>,
  by: string,
  deps: ApplyDependencies,
): Promise<string[]> {
  const now = deps.now ?? (() => new Date());
  const runId = deps.runId ?? randomUUID();
  const done: string[] = [];
  for (const [userName, { tags, previous }] of undo) {
    const current = await deps.iam.listUserTags(userName).catch((error: unknown) => {
      throw environmentError('tags-unreadable', `cannot read the tags of ${userName} to undo the exemption the log set: ${describeError(error)}`, error);
    });
    // Only tags still as the run set them are taken back: someone may have changed them since.
    const ours = Object.keys(tags).filter((key) => current[key] === tags[key]);
    if (ours.length === 0) continue;
    const line = { version: ENROLL_LOG_VERSION, runId, groupName, userName, action: 'untag' as const, by };
    deps.log.append({ time: now().toISOString(), ...line, phase: 'intent', tags: Object.fromEntries(ours.map((key) => [key, current[key] ?? ''])) });
    try {
      const restore = Object.fromEntries(ours.filter((key) => previous[key] !== undefined).map((key) => [key, previous[key] as string]));
      const remove = ours.filter((key) => previous[key] === undefined);
      if (remove.length > 0) await deps.iam.untagUser(userName, remove);
      if (Object.keys(restore).length > 0) await deps.iam.tagUser(userName, restore);
    } catch (error) {
      deps.log.append({ time: now().toISOString(), ...line, phase: 'failed', error: describeError(error) });
      throw error;
    }
    deps.log.append({ time: now().toISOString(), ...line, phase: 'done' });
    done.push(userName);
  }
  return done;
}
