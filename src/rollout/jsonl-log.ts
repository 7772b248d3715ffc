/**
 * The JSONL logs of applied changes (enroll, devices cleanup): one JSON object per line, appended and synced, never
 * rewritten. Reading tolerates exactly what a crash while writing leaves: a cut last line, or a cut line followed by
 * one the writer marked `afterCutLine` (pure).
 */
import { inputError } from '../errors.js';

export interface ParsedJsonlLog<T> {
  readonly entries: T[];
  /** Lines skipped because a crash cut them short, one sentence each. */
  readonly warnings: string[];
}

/**
 * Parses the log text; `accept` checks one parsed line (and throws an input error naming it when it is not a line of
 * this log). Any other unreadable line is an input error naming the line: acting on a log we misread could undo or
 * repeat the wrong change.
 */
export function readJsonlLog<T extends { readonly afterCutLine?: true }>(
  text: string,
  source: string,
  accept: (parsed: unknown, lineNumber: number) => T,
  unreadableCode: string,
): ParsedJsonlLog<T> {
  const entries: T[] = [];
  const warnings: string[] = [];
  /** Line numbers of unreadable lines not yet explained by a cut. */
  let pending: number[] = [];
  const cutShort = (numbers: readonly number[]): void => {
    for (const number of numbers) warnings.push(`${source} line ${number} was cut short (a run stopped while writing it) and is skipped`);
  };
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      pending = [...pending, index + 1];
      return;
    }
    const entry = accept(parsed, index + 1);
    const [firstPending] = pending;
    if (firstPending !== undefined) {
      if (entry.afterCutLine !== true) throw inputError(unreadableCode, `${source} line ${firstPending} is not JSON: fix or remove that line`);
      cutShort(pending);
      pending = [];
    }
    entries.push(entry);
  });
  const [firstPending] = pending;
  if (firstPending !== undefined) {
    if (text.endsWith('\n')) throw inputError(unreadableCode, `${source} line ${firstPending} is not JSON: fix or remove that line`);
    cutShort(pending);
  }
  return { entries, warnings };
}
