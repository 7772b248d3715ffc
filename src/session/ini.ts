/** A lossless model of the AWS shared credentials and config files: parse, read, change one section, serialize. */

export type IniLineKind = 'section' | 'entry' | 'continuation' | 'comment' | 'blank' | 'other';

/** One physical line, kept with its exact text and line ending so that serialization gives back the same bytes. */
export interface IniLine {
  readonly raw: string;
  /** '\n', '\r\n', '\r' or '' (the last line of a file without a final newline). */
  readonly eol: string;
  readonly kind: IniLineKind;
  /** For `section`: the name inside the brackets exactly as the JavaScript SDK reads it (not trimmed inside). */
  readonly section?: string;
  /** For `entry`: the key and its value (trimmed, inline comment removed as the AWS SDKs do). */
  readonly key?: string;
  readonly value?: string;
}

export interface IniDocument {
  /** A UTF-8 byte order mark before the first line, kept as it was. */
  readonly bom: boolean;
  readonly lines: readonly IniLine[];
}

// As @smithy/shared-ini-file-loader reads a header: the line up to a comment marker at its start or after
// whitespace, trimmed, then everything between the first `[` and the last `]`.
const COMMENT_START = /(^|\s)[;#]/;
const ENTRY = /^([^\s=#;[][^=]*?)\s*=(.*)$/;

export function parseIni(text: string): IniDocument {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  const lines: IniLine[] = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let subsectionOpen = false;
  for (const match of body.matchAll(pattern)) {
    const raw = match[1] ?? '';
    const eol = match[2] ?? '';
    if (raw === '' && eol === '') break;
    const line = classify(raw, eol, subsectionOpen);
    lines.push(line);
    if (line.kind === 'entry') subsectionOpen = line.value === '';
    else if (line.kind !== 'continuation' && line.kind !== 'blank' && line.kind !== 'comment') subsectionOpen = false;
  }
  return { bom, lines };
}

function classify(raw: string, eol: string, subsectionOpen: boolean): IniLine {
  const trimmed = raw.trim();
  if (trimmed === '') return { raw, eol, kind: 'blank' };
  if (trimmed.startsWith('#') || trimmed.startsWith(';')) return { raw, eol, kind: 'comment' };
  const header = sdkHeader(raw);
  if (header !== undefined) return { raw, eol, kind: 'section', section: header };
  // As the JavaScript SDK reads it: an indented line after a key with an empty value is a sub-property
  // (`s3 =` followed by `  max_concurrent_requests = 10`); any other indented line is an ordinary entry.
  if (/^\s/.test(raw) && subsectionOpen) {
    return { raw, eol, kind: 'continuation' };
  }
  const entry = ENTRY.exec(raw.trimStart());
  if (entry) {
    const value = stripInlineComment(entry[2] ?? '').trim();
    return { raw, eol, kind: 'entry', key: (entry[1] ?? '').trim(), value };
  }
  return { raw, eol, kind: 'other' };
}

function sdkHeader(raw: string): string | undefined {
  const line = (raw.split(COMMENT_START)[0] ?? '').trim();
  return line.startsWith('[') && line.endsWith(']') && line.length >= 2 ? line.slice(1, -1) : undefined;
}

/**
 * As the AWS CLI (Python's configparser, then botocore) reads a header: the stripped line, a `[`, the longest run up
 * to a `]`, anything after it ignored; botocore then splits `profile NAME` on whitespace.
 */
function pythonHeader(raw: string): string | undefined {
  const line = raw.trim();
  if (line.startsWith('#') || line.startsWith(';')) return undefined;
  return /^\[(.+)\]/.exec(line)?.[1];
}

const loose = (name: string): string => name.trim().replace(/\s+/g, ' ');

/**
 * Header lines that the AWS CLI or an SDK may read as section `name` (or a name that differs from it only in
 * whitespace) but that are not exactly `[name]` for both: writing into or beside them would not do what was asked.
 */
export function ambiguousHeaders(document: IniDocument, name: string): IniLine[] {
  const found: IniLine[] = [];
  for (const line of document.lines) {
    if (line.kind === 'comment' || line.kind === 'blank') continue;
    const sdk = line.kind === 'section' ? line.section : undefined;
    const python = pythonHeader(line.raw);
    if (sdk === name && python === name) continue;
    if ((sdk !== undefined && loose(sdk) === loose(name)) || (python !== undefined && loose(python) === loose(name))) found.push(line);
  }
  return found;
}

/** The AWS SDKs end a value at ` #` or ` ;` (a comment marker after whitespace). */
function stripInlineComment(value: string): string {
  const match = /(^|\s)[#;]/.exec(value);
  return match ? value.slice(0, match.index) : value;
}

export function serializeIni(document: IniDocument): string {
  return (document.bom ? '\uFEFF' : '') + document.lines.map((line) => line.raw + line.eol).join('');
}

/** Section names in order of first appearance. */
export function sectionNames(document: IniDocument): string[] {
  const names = new Set<string>();
  for (const line of document.lines) {
    if (line.kind === 'section' && line.section !== undefined) names.add(line.section);
  }
  return [...names];
}

/** The entries of a section (all sections of that name merged, later keys win, as the SDKs read them). */
export function readSection(document: IniDocument, name: string): Readonly<Record<string, string>> | undefined {
  let found = false;
  let inside = false;
  const values: Record<string, string> = {};
  for (const line of document.lines) {
    if (line.kind === 'section') {
      inside = line.section === name;
      found ||= inside;
    } else if (inside && line.kind === 'entry' && line.key !== undefined) {
      values[line.key] = line.value ?? '';
    }
  }
  return found ? values : undefined;
}

/** The line ending a new line should use: CRLF when the file already uses it, LF otherwise. */
export function dominantEol(document: IniDocument): string {
  let crlf = 0;
  let lf = 0;
  for (const line of document.lines) {
    if (line.eol === '\r\n') crlf += 1;
    else if (line.eol === '\n') lf += 1;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Set, replace or remove entries of one section and return a new document. Every line outside that section is
 * kept as it was; inside it, lines of untouched keys, comments and blank lines stay too. An entry whose value is
 * `undefined` is removed (with its sub-property lines). Missing keys are added after the section's last entry.
 * A section that does not exist yet is appended at the end of the file, after a blank line.
 */
export function setSectionEntries(
  document: IniDocument,
  name: string,
  entries: Readonly<Record<string, string | undefined>>,
): IniDocument {
  const eol = dominantEol(document);
  const ranges = sectionRanges(document, name);
  const first = ranges[0];
  if (first === undefined) return appendSection(document, name, entries, eol);

  const lines: IniLine[] = [];
  let position = 0;
  // Loops, never `push(...lines)`: spreading a file of 100,000 lines as arguments overflows the call stack.
  ranges.forEach((range, rangeIndex) => {
    append(lines, document.lines, position, range.start);
    const body = withoutKeys(document.lines.slice(range.start + 1, range.end), entries, rangeIndex === 0);
    const header = document.lines[range.start] as IniLine;
    if (rangeIndex > 0) {
      // A later section of the same name would override what we write (the SDKs merge them): drop those keys there.
      lines.push(header);
      append(lines, body.lines);
    } else {
      const missing = Object.entries(entries).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && !body.written.has(entry[0]),
      );
      const insertAt = findLastIndex(body.lines, (line) => line.kind === 'entry' || line.kind === 'continuation') + 1;
      const before = [header];
      append(before, body.lines, 0, insertAt);
      // The line we insert after must end with a newline, or the new entry would join it.
      const anchored = before.map((line, index) =>
        index === before.length - 1 && missing.length > 0 && line.eol === '' ? { ...line, eol } : line,
      );
      append(lines, anchored);
      for (const [key, value] of missing) lines.push(entryLine(key, value, eol));
      append(lines, body.lines, insertAt);
    }
    position = range.end;
  });
  append(lines, document.lines, position);
  return { bom: document.bom, lines };
}

function append(into: IniLine[], from: readonly IniLine[], start = 0, end = from.length): void {
  for (let index = start; index < end; index += 1) into.push(from[index] as IniLine);
}

/**
 * The body of a section with the given keys replaced (when `replace`) or removed (always for `undefined` values,
 * and for every key when not `replace`), dropping the sub-property lines of the keys it touches.
 */
function withoutKeys(
  body: readonly IniLine[],
  entries: Readonly<Record<string, string | undefined>>,
  replace: boolean,
): { lines: IniLine[]; written: Set<string> } {
  const written = new Set<string>();
  const lines: IniLine[] = [];
  let dropContinuation = false;
  for (const line of body) {
    if (line.kind === 'continuation' && dropContinuation) continue;
    dropContinuation = false;
    if (line.kind === 'entry' && line.key !== undefined && Object.hasOwn(entries, line.key)) {
      dropContinuation = true;
      const value = entries[line.key];
      if (!replace || value === undefined || written.has(line.key)) continue;
      written.add(line.key);
      lines.push(entryLine(line.key, value, line.eol));
      continue;
    }
    lines.push(line);
  }
  return { lines, written };
}

function appendSection(
  document: IniDocument,
  name: string,
  entries: Readonly<Record<string, string | undefined>>,
  eol: string,
): IniDocument {
  const lines = document.lines.map((line, index, all) => (index === all.length - 1 && line.eol === '' ? { ...line, eol } : line));
  const last = lines[lines.length - 1];
  if (last !== undefined && last.kind !== 'blank') lines.push({ raw: '', eol, kind: 'blank' });
  lines.push({ raw: `[${name}]`, eol, kind: 'section', section: name });
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) lines.push(entryLine(key, value, eol));
  return { bom: document.bom, lines };
}

function entryLine(key: string, value: string, eol: string): IniLine {
  if (/[\r\n]/.test(key) || /[\r\n]/.test(value)) throw new Error(`an INI entry cannot hold a line break (${key})`);
  return { raw: `${key} = ${value}`, eol, kind: 'entry', key, value };
}

/** Every section of that name: its header index and the index where its body ends (the next header or EOF). */
function sectionRanges(document: IniDocument, name: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  document.lines.forEach((line, index) => {
    if (line.kind !== 'section') return;
    const open = ranges[ranges.length - 1];
    if (open !== undefined && open.end < 0) open.end = index;
    if (line.section === name) ranges.push({ start: index, end: -1 });
  });
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last.end < 0) last.end = document.lines.length;
  return ranges;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (predicate(items[index] as T)) return index;
  }
  return -1;
}
