/** A change set as the operator reads it: what is added, changed, replaced or removed (pure). */
import { formatTable } from '../enroll-render.js';
import type { ChangeSetDescription, ResourceChange } from './stack-api.js';

export interface ChangeSetView {
  /** CloudFormation found nothing to change: a friendly no-op, not a failure. */
  readonly empty: boolean;
  readonly changes: readonly ResourceChange[];
  /** Some change replaces a resource (a new physical resource, the old one deleted). */
  readonly replaces: boolean;
}

/** CloudFormation's ways of saying a change set has nothing in it. */
const NO_CHANGES = [/didn't contain changes/i, /No updates are to be performed/i, /does not contain changes/i];

export function isNoChangesReason(reason: string | undefined): boolean {
  return reason !== undefined && NO_CHANGES.some((pattern) => pattern.test(reason));
}

export const CHANGE_SET_SETTLED = ['CREATE_COMPLETE', 'FAILED', 'DELETE_COMPLETE', 'DELETE_FAILED'];

export function changeSetView(description: ChangeSetDescription): ChangeSetView {
  const empty = description.changes.length === 0 && (description.status !== 'FAILED' || isNoChangesReason(description.statusReason));
  return {
    empty,
    changes: description.changes,
    replaces: description.changes.some((change) => change.replacement === 'True' || change.replacement === 'Conditional'),
  };
}

const ACTION_WORD: Readonly<Record<string, string>> = { Add: '+ add', Modify: '~ modify', Remove: '- remove', Import: '> import', Dynamic: '? dynamic' };

export function renderChangeSet(view: ChangeSetView): string {
  if (view.empty) return 'No changes.';
  const table = formatTable(
    ['ACTION', 'LOGICAL ID', 'TYPE', 'REPLACEMENT', 'PROPERTIES'],
    view.changes.map((change) => [
      ACTION_WORD[change.action] ?? change.action,
      change.logicalId,
      change.resourceType,
      change.action === 'Modify' ? (change.replacement === 'True' ? 'yes' : change.replacement === 'Conditional' ? 'maybe' : 'no') : '',
      change.properties.join(', '),
    ]),
  );
  return view.replaces ? `${table}\n\nWarning: resources marked for replacement are deleted and created again.` : table;
}
