/** Unenroll: undo what the enrollment log says enroll did, in the account and group it did it to, and nothing else. */
import { inputError } from '../errors.js';
import { bindingsOfLog, groupsInLog, tagsSetByLog, usersAddedByLog, type EnrollLogLine } from './enroll-log.js';
import { applyMembershipChanges, undoTags, type ApplyDependencies } from './enroll.js';
import type { EnrollChange } from './enroll-plan.js';
import type { CallerIdentity, RolloutIam } from './iam.js';

export interface UnenrollReport {
  readonly groupName: string;
  /**
   * `remove` for users the log shows an add intent for (whatever its outcome) who are still in the group and were not
   * members before the log first tried to add them; `not-member` for those already gone.
   */
  readonly changes: readonly EnrollChange[];
  /** Exemption tags the log's runs set on excluded users, to take back. */
  readonly tags: ReadonlyMap<string, { tags: Record<string, string>; previous: Record<string, string> }>;
}

/** The one group the log is about, or the requested one; a log of several groups needs the group named. */
export function groupOfLog(entries: readonly EnrollLogLine[], requested: string | undefined, source: string): string {
  const groups = groupsInLog(entries);
  if (requested !== undefined) {
    if (!groups.includes(requested)) throw inputError('group-not-in-log', `${source} has no changes to group ${requested}`);
    return requested;
  }
  if (groups.length === 0) throw inputError('empty-enroll-log', `${source} records no changes: there is nothing to undo`);
  if (groups.length > 1) {
    throw inputError('several-groups-in-log', `${source} records changes to several groups (${groups.join(', ')}): name one`);
  }
  return groups[0] as string;
}

/**
 * Refuses to undo a log in another account or on another group than the one it recorded: the same group name in a
 * second account holds other people, and removing them would switch their MFA enforcement off. A log whose runs name
 * no account at all cannot be bound, and is refused too.
 */
export function assertLogBinding(entries: readonly EnrollLogLine[], groupName: string, caller: CallerIdentity, groupArn: string, source: string): void {
  const { accounts, groupArns } = bindingsOfLog(entries, groupName);
  if (accounts.length === 0) {
    throw inputError('enroll-log-unbound', `${source} does not record the account its changes were made in, so it cannot be undone safely: undo by hand`);
  }
  if (accounts.length > 1) {
    throw inputError('enroll-log-accounts', `${source} records changes in several accounts (${accounts.join(', ')}): it cannot be undone safely; undo by hand`);
  }
  const [recorded] = accounts;
  if (recorded !== caller.account) {
    throw inputError('enroll-log-account', `${source} records changes in account ${recorded}, but the credentials are for account ${caller.account}: use credentials of account ${recorded}, or the log of account ${caller.account}`);
  }
  const other = groupArns.find((arn) => arn !== groupArn);
  if (other !== undefined) {
    throw inputError('enroll-log-group', `${source} records changes to group ${other}, but ${groupName} is now ${groupArn}: the log is not about this group`);
  }
}

export function planUnenrollment(
  entries: readonly EnrollLogLine[],
  groupName: string,
  members: ReadonlySet<string>,
): EnrollChange[] {
  return usersAddedByLog(entries, groupName).map((userName) => ({
    userName,
    action: members.has(userName) ? 'remove' : 'not-member',
  }));
}

export async function prepareUnenrollment(
  entries: readonly EnrollLogLine[],
  groupName: string,
  iam: RolloutIam,
  caller: CallerIdentity,
  source: string,
): Promise<UnenrollReport> {
  const group = await iam.getGroup(groupName);
  assertLogBinding(entries, groupName, caller, group.arn, source);
  return { groupName, changes: planUnenrollment(entries, groupName, new Set(group.members)), tags: tagsSetByLog(entries, groupName) };
}

/** Removes the users, then takes back the exemption tags; returns the removals applied and the users untagged. */
export async function applyUnenrollment(report: UnenrollReport, by: string, deps: ApplyDependencies): Promise<{ removed: EnrollChange[]; untagged: string[] }> {
  const removals = report.changes.filter((change) => change.action === 'remove');
  const removed = await applyMembershipChanges(report.groupName, removals, 'remove', by, deps);
  const untagged = await undoTags(report.groupName, report.tags, by, deps);
  return { removed, untagged };
}
