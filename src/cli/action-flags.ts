/**
 * Flags that name IAM actions are checked against the action catalogue before the command runs: an unknown action,
 * or a pattern that matches none, is refused with one line and the nearest catalogue spelling. A new flag that takes
 * actions joins by adding its attribute name to ACTION_FLAGS.
 */
import type { Command } from 'commander';
import { inputError } from '../errors.js';

/** Commander attribute names of the flags whose values are IAM actions or action patterns. */
export const ACTION_FLAGS: readonly string[] = ['exemptAction', 'allowWithoutMfa', 'action'];
/** Of those, the flags that name the one action of a request: no wildcards. */
const SINGLE_ACTION_FLAGS: readonly string[] = ['action'];

/** Adds the check to a command that has one of ACTION_FLAGS; the catalogue is loaded only when one is given. */
export function checkActionFlags(command: Command): void {
  const flags = command.options.map((option) => option.attributeName()).filter((name) => ACTION_FLAGS.includes(name));
  if (flags.length === 0) return;
  command.hook('preAction', async (hooked) => {
    const given = flags
      .map((flag) => ({ flag, value: hooked.getOptionValue(flag) as unknown }))
      .filter(({ flag, value }) => hooked.getOptionValueSource(flag) !== 'default' && value !== undefined);
    if (given.length === 0) return;
    const [{ loadCatalogue }, { actionNames, actionProblem }] = await Promise.all([import('../engine/catalogue.js'), import('../lint/actions.js')]);
    const catalogue = await loadCatalogue();
    const names = actionNames(catalogue.actions.map((action) => action.name));
    for (const { flag, value } of given) {
      const option = hooked.options.find((candidate) => candidate.attributeName() === flag);
      for (const action of Array.isArray(value) ? (value as string[]) : [String(value)]) {
        const problem =
          SINGLE_ACTION_FLAGS.includes(flag) && /[*?]/.test(action)
            ? `'${action}' is a pattern, but a request names one action: give one, e.g. ${names.canonical('iam:EnableMFADevice') ?? 'iam:EnableMFADevice'}`
            : actionProblem(action, names);
        if (problem !== undefined) throw inputError('unknown-action', `${option?.long ?? flag} ${problem} (${catalogue.source})`);
      }
    }
  });
}
