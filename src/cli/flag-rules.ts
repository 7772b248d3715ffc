/**
 * No silent flags. Each command declares, in one table next to its options, the flags that act only in some
 * combination; a preAction hook refuses a flag the user typed where it would have no effect, or where it contradicts
 * another, with one line that names both flags and says what to do (exit 2).
 *
 * To declare a rule for a new flag, add ONE line to the command's table, for example in AUDIT_FLAG_RULES:
 *
 *     onlyWhen('securityHub', absent('sample'), 'Security Hub takes findings of a live account: leave out --sample'),
 *
 * - `onlyWhen(flag, condition, hint)`: `--flag` acts only when `condition` holds; given otherwise, it is refused.
 * - `contradicts(flag, condition, hint)`: the same, worded "--a contradicts --b" (the two ask for different things).
 * - conditions: `given('org')` (the user gave --org), `absent('from')` (the user did not give --from),
 *   `valueIn('format', ['json'])` (its value, given or default, is one of these), `anyOf(...)`, `never` (a shared
 *   option this command has no use for).
 * Flags are commander's attribute names (camelCase: `groupName` for --group-name). Only a flag typed on the command
 * line triggers a refusal: a default, or a value from the environment (AWS_PROFILE, ...), never does. The condition's
 * side counts any value the user set (command line or environment); `test/cli/flag-rules.test.ts` checks that every
 * table names options its command has.
 *
 * `refuseRepeatedFlags` refuses a single-valued option given twice with different values (`--format csv --format
 * json`); the same value twice is accepted. List options (commaList, repeatable) add up and are never refused.
 */
import type { Command, Option } from 'commander';
import { inputError } from '../errors.js';
import { commaList, repeatable } from './lists.js';

export type FlagCondition =
  | { readonly given: string }
  | { readonly absent: string }
  | { readonly option: string; readonly oneOf: readonly string[] }
  | { readonly anyOf: readonly FlagCondition[] }
  /** The flag has no effect on this command at all (it comes with a shared group of options). */
  | { readonly never: true };

export interface FlagRule {
  /** The flag the rule is about, as commander's attribute name (`groupName` for --group-name). */
  readonly flag: string;
  /** When the flag has an effect; a typed flag is refused when this does not hold. */
  readonly needs: FlagCondition;
  /** What to do, said after the colon of the refusal. */
  readonly hint: string;
  readonly wording: 'no-effect' | 'contradicts';
}

export const given = (option: string): FlagCondition => ({ given: option });
export const absent = (option: string): FlagCondition => ({ absent: option });
export const valueIn = (option: string, oneOf: readonly string[]): FlagCondition => ({ option, oneOf });
export const anyOf = (...conditions: FlagCondition[]): FlagCondition => ({ anyOf: conditions });
export const never: FlagCondition = { never: true };

export function onlyWhen(flag: string, needs: FlagCondition, hint: string): FlagRule {
  return { flag, needs, hint, wording: 'no-effect' };
}

export function contradicts(flag: string, needs: FlagCondition, hint: string): FlagRule {
  return { flag, needs, hint, wording: 'contradicts' };
}

/** The same rule for several flags, e.g. every option that acts only with --org. */
export function eachOnlyWhen(flags: readonly string[], needs: FlagCondition, hint: string): FlagRule[] {
  return flags.map((flag) => onlyWhen(flag, needs, hint));
}

const declared = new WeakMap<Command, FlagRule[]>();

/** Declares a command's rules; they are checked before its action, once every option (AWS ones too) exists. */
export function declareFlagRules(command: Command, rules: readonly FlagRule[]): Command {
  const first = !declared.has(command);
  declared.set(command, [...(declared.get(command) ?? []), ...rules]);
  if (first) command.hook('preAction', (_hooked, action) => assertFlagRules(action, declared.get(action) ?? []));
  return command;
}

/** The rules declared for a command (tests check that they name options the command has). */
export function flagRulesOf(command: Command): readonly FlagRule[] {
  return declared.get(command) ?? [];
}

/** Throws the refusal of the first rule a typed flag breaks. */
export function assertFlagRules(command: Command, rules: readonly FlagRule[]): void {
  for (const rule of rules) {
    if (command.getOptionValueSource(rule.flag) !== 'cli') continue;
    if ('never' in rule.needs) throw inputError('flag-no-effect', `${flagText(command, rule.flag)} has no effect on ${command.name()}: ${rule.hint}`);
    const failing = failingOption(command, rule.needs);
    if (failing === undefined) continue;
    const flag = flagText(command, rule.flag);
    const other = otherText(command, failing);
    const line = rule.wording === 'contradicts' ? `${flag} contradicts ${other.replace(/^with /, '')}` : `${flag} has no effect ${other}`;
    throw inputError('flag-no-effect', `${line}: ${rule.hint}`);
  }
}

/** The option whose value makes the condition false, or undefined when it holds. */
function failingOption(command: Command, condition: FlagCondition): string | undefined {
  if ('never' in condition) throw new Error('a never rule has no option to name');
  if ('anyOf' in condition) {
    const failures = condition.anyOf.map((alternative) => failingOption(command, alternative));
    return failures.includes(undefined) ? undefined : failures.at(-1);
  }
  if ('given' in condition) return isSet(command, optionOf(command, condition.given)) ? undefined : condition.given;
  if ('absent' in condition) return isSet(command, optionOf(command, condition.absent)) ? condition.absent : undefined;
  const value: unknown = command.getOptionValue(optionOf(command, condition.option).attributeName());
  return typeof value === 'string' && condition.oneOf.includes(value) ? undefined : condition.option;
}

/** Set by the user, on the command line or through an environment variable: not a default, not left out. */
function isSet(command: Command, option: Option): boolean {
  const source = command.getOptionValueSource(option.attributeName());
  return source !== undefined && source !== 'default' && command.getOptionValue(option.attributeName()) !== undefined;
}

function optionOf(command: Command, attribute: string): Option {
  const option = command.options.find((candidate) => candidate.attributeName() === attribute);
  // A rule naming an option the command lacks is a bug of the table, not the user's mistake.
  if (option === undefined) throw new Error(`flag rule of ${command.name()} names no option '${attribute}'`);
  return option;
}

/** `--json`, `--no-full-aws-access`, `--format csv`: the flag as the user wrote it. */
function flagText(command: Command, attribute: string): string {
  const option = optionOf(command, attribute);
  const name = option.long ?? option.flags;
  if (option.negate || option.isBoolean()) return name;
  const value: unknown = command.getOptionValue(attribute);
  const shown = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  return shown === '' ? name : `${name} ${shown}`;
}

/** "with --format scp", "with --format table (the default)", "without --auto-enroll". */
function otherText(command: Command, attribute: string): string {
  const option = optionOf(command, attribute);
  const source = command.getOptionValueSource(attribute);
  if (source === undefined || command.getOptionValue(attribute) === undefined) return `without ${option.long ?? option.flags}`;
  return `with ${flagText(command, attribute)}${source === 'default' ? ' (the default)' : ''}`;
}

/**
 * Commander keeps the last of `--format csv --format json` without a word: a single-valued option given twice with
 * different values is refused instead. Call once per command, after all its options are declared.
 */
export function refuseRepeatedFlags(command: Command): void {
  const seen = new Map<string, string[]>();
  for (const option of command.options) {
    if (option.isBoolean() || option.negate || option.parseArg === commaList || option.parseArg === repeatable) continue;
    command.on(`option:${option.name()}`, (value: unknown) => {
      seen.set(option.attributeName(), [...(seen.get(option.attributeName()) ?? []), String(value)]);
    });
  }
  command.hook('preAction', (hooked) => {
    for (const [attribute, values] of seen) {
      if (new Set(values).size <= 1) continue;
      const option = optionOf(hooked, attribute);
      throw inputError('flag-repeated', `${option.long ?? option.flags} is given twice (${values.join(', ')}): give it once`);
    }
  });
}
