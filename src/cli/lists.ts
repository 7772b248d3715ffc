/** The one parser of list-valued options: `--users a,b --users c` gives [a, b, c] (commander's option argParser). */
import { InvalidArgumentError } from 'commander';

/**
 * Adds the comma-separated items of one occurrence of an option to those of earlier occurrences; blanks dropped.
 * A value with no item at all (`--exclude ''`, `--users ,`) is a usage error: read as "nobody", it would silently
 * enroll the break-glass user it was meant to keep out.
 */
export function commaList(value: string, previous: readonly string[] = []): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('the list is empty: give at least one comma-separated item, or leave the option out');
  return [...previous, ...items];
}

/** A repeatable option whose value is taken whole (a file name or KEY=VALUE may hold a comma). */
export function repeatable(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
