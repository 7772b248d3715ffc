/** The one parser of list-valued options: `--users a,b --users c` gives [a, b, c] (commander's option argParser). */

/** Adds the comma-separated items of one occurrence of an option to those of earlier occurrences; blanks dropped. */
export function commaList(value: string, previous: readonly string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ];
}

/** A repeatable option whose value is taken whole (a file name or KEY=VALUE may hold a comma). */
export function repeatable(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
