/** Unenroll: undo what the enrollment log says enroll added, and nothing else. */
import { inputError } from '../errors.js';
import { groupsInLog, usersAddedByLog, type EnrollLogLine } from './enroll-log.js';
import { applyMembershipChanges, type ApplyDependencies } from './enroll.js';
import type { EnrollChange } from './enroll-plan.js';
import type { RolloutIam } from './iam.js';

export interface UnenrollReport {
  readonly groupName: string;
  /**
   * `remove` for users the log shows an add intent for (whatever its outcome) who are still in the group and were not
   * members before the log's first run; `not-member` for those already gone.
   */
  readonly changes: readonly EnrollChange[];
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
): Promise<UnenrollReport> {
  const members = new Set(await iam.getGroupMembers(groupName));
  return { groupName, changes: planUnenrollment(entries, groupName, members) };
}

export async function applyUnenrollment(report: UnenrollReport, by: string, deps: ApplyDependencies): Promise<EnrollChange[]> {
  const removals = report.changes.filter((change) => change.action === 'remove');
  return applyMembershipChanges(report.groupName, removals, 'remove', by, deps);
}
