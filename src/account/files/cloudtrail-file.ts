/** The files source of CloudTrail evidence: `cloudtrail-console-logins[.REGION].json`, as `aws cloudtrail lookup-events` writes it. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../errors.js';
import { EXPORT_FILE_BOUND, readOptionalInputText } from '../../input-file.js';
import type { ConsoleLoginRead, EvidenceGap } from '../console-logins.js';
import { CLOUDTRAIL_CONSOLE_LOGINS_FILE } from './layout.js';

export interface ConsoleLoginFileOptions {
  readonly days: number;
  /** The audit's clock: the window's end when the export's time is unknown. */
  readonly now: Date;
  /** When the export was made (the credential report's GeneratedTime); the window counts back from it. */
  readonly exportedAt: string | undefined;
}

const REGIONAL = /^cloudtrail-console-logins\.([a-z0-9-]+)\.json$/;

/**
 * The ConsoleLogin records of the folder's export files. No file is a gap (the evidence is unknown, never "no
 * sign-ins"); a file that is not lookup-events output, or holds only its first pages (a NextToken), is refused.
 * The window starts `days` before the export's time when it is known, else before now, and the evidence is then
 * unknown (a gap); events after its end are kept (they are evidence too).
 */
export async function readConsoleLoginsFromDirectory(directory: string, options: ConsoleLoginFileOptions): Promise<ConsoleLoginRead> {
  const names = await exportFiles(directory);
  const end = options.exportedAt === undefined ? undefined : Date.parse(options.exportedAt);
  const known = end !== undefined && !Number.isNaN(end);
  const from = new Date((known ? end : options.now.getTime()) - options.days * 86_400_000);
  const to = new Date(Math.max(options.now.getTime(), known ? end : 0));
  const records: unknown[] = [];
  const gaps: EvidenceGap[] = [];
  const primary = join(directory, CLOUDTRAIL_CONSOLE_LOGINS_FILE);
  if (names.length === 0) gaps.push({ cause: 'file-missing', detail: primary });
  // The file can hold no event after it was written: from an export of unknown time, silence up to now proves nothing.
  if (!known) gaps.push({ cause: 'export-time-unknown', detail: "no credential report GeneratedTime: the window counts back from now, and the export's events may end before it" });
  for (const name of names) {
    const path = join(directory, name);
    const text = readOptionalInputText(path, EXPORT_FILE_BOUND);
    if (text === undefined) {
      gaps.push({ cause: 'file-missing', detail: path });
      continue;
    }
    records.push(...lookupEvents(path, text));
  }
  return {
    origin: 'file',
    location: names.length <= 1 ? primary : names.map((name) => join(directory, name)).join(', '),
    days: options.days,
    window: { from, to },
    windowEnd: known ? 'export' : 'now',
    regions: null,
    maxEvents: null,
    records,
    gaps,
  };
}

async function exportFiles(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  return names.filter((name) => name === CLOUDTRAIL_CONSOLE_LOGINS_FILE || REGIONAL.test(name)).sort();
}

/** The `Events` of one lookup-events output; anything else is refused with what to do. */
function lookupEvents(path: string, text: string): unknown[] {
  const wrong = (why: string) =>
    inputError(
      'cloudtrail-export-shape',
      `${path} is not the output of \`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin --output json\` (${why}): export it again`,
    );
  if (!/^\s*\{/.test(text)) throw wrong('not a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw inputError('file-not-json', `${path} is not valid JSON (${(error as Error).message.replace(/\s+/g, ' ').trim()}): export it again with --output json`, error);
  }
  const page = parsed as { Events?: unknown; NextToken?: unknown };
  if (!Array.isArray(page.Events)) throw wrong('no Events list');
  if (page.NextToken !== undefined && page.NextToken !== null) {
    throw inputError('cloudtrail-export-truncated', `${path} holds only the first events (it has a NextToken): export it again without --max-items or --no-paginate`);
  }
  return page.Events;
}
