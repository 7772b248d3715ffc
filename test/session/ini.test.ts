import { describe, expect, it } from 'vitest';
import { ambiguousHeaders, dominantEol, parseIni, readSection, sectionNames, serializeIni, setSectionEntries } from '../../src/session/ini.js';

const ODD = [
  '# credentials of the team',
  '[default]',
  'aws_access_key_id=AKIADEFAULT000000000',
  '  aws_secret_access_key =   secretdefault   ; inline comment',
  '',
  ';  semicolon comment',
  '[ work ]   # header comment',
  'aws_access_key_id = AKIAWORK0000000000000',
  'aws_secret_access_key = work/secret+with=chars',
  's3 =',
  '    max_concurrent_requests = 20',
  '',
  '',
  '[work-mfa]',
  'aws_access_key_id = ASIAOLD',
  '# a note the user keeps',
  'aws_session_token = oldtoken',
  'region = eu-west-1',
  '',
  '# about the next section',
  '[other]',
  'aws_access_key_id = AKIAOTHER',
].join('\n');

describe('parseIni / serializeIni', () => {
  const cases: [string, string][] = [
    ['odd spacing and comments, LF', `${ODD}\n`],
    ['no final newline', ODD],
    ['CRLF', `${ODD.replaceAll('\n', '\r\n')}\r\n`],
    ['mixed endings and a BOM', `\uFEFF[a]\r\nx = 1\n\n[b]\ry = 2`],
    ['empty', ''],
    ['only blank lines', '\n\n\n'],
  ];
  it.each(cases)('gives back the same bytes: %s', (_name, text) => {
    expect(serializeIni(parseIni(text))).toBe(text);
  });

  it('reads sections as the JavaScript SDK does: names not trimmed inside the brackets, inline comments removed, sub-properties skipped', () => {
    const document = parseIni(ODD.replace('[ work ]   # header comment', '[work]   # header comment'));
    expect(sectionNames(document)).toEqual(['default', 'work', 'work-mfa', 'other']);
    expect(sectionNames(parseIni(ODD))).toEqual(['default', ' work ', 'work-mfa', 'other']);
    expect(readSection(document, 'default')).toEqual({ aws_access_key_id: 'AKIADEFAULT000000000', aws_secret_access_key: 'secretdefault' });
    expect(readSection(document, 'work')).toEqual({
      aws_access_key_id: 'AKIAWORK0000000000000',
      aws_secret_access_key: 'work/secret+with=chars',
      s3: '',
    });
    expect(readSection(document, 'missing')).toBeUndefined();
  });

  it('merges repeated sections, later keys winning', () => {
    const document = parseIni('[a]\nx = 1\ny = 1\n[b]\n[a]\ny = 2\n');
    expect(readSection(document, 'a')).toEqual({ x: '1', y: '2' });
  });
});

describe('setSectionEntries', () => {
  const session = { aws_access_key_id: 'ASIANEW', aws_secret_access_key: 'newsecret', aws_session_token: 'newtoken', x_security_token_expires: '2030-01-01T00:00:00Z' };

  it('replaces a section in place and keeps every other line byte for byte', () => {
    const before = `${ODD}\n`;
    const after = serializeIni(setSectionEntries(parseIni(before), 'work-mfa', session));
    const [head, rest] = splitAt(before, '[work-mfa]\n');
    const tail = rest.slice(rest.indexOf('\n\n# about the next section'));
    expect(after.startsWith(head)).toBe(true);
    expect(after.endsWith(tail)).toBe(true);
    expect(after.slice(head.length, after.length - tail.length)).toBe(
      [
        '[work-mfa]',
        'aws_access_key_id = ASIANEW',
        '# a note the user keeps',
        'aws_session_token = newtoken',
        'region = eu-west-1',
        'aws_secret_access_key = newsecret',
        'x_security_token_expires = 2030-01-01T00:00:00Z',
      ].join('\n'),
    );
  });

  it('appends a missing section after a blank line, adding the final newline the file lacked', () => {
    const after = serializeIni(setSectionEntries(parseIni(ODD), 'new', { a: '1' }));
    expect(after).toBe(`${ODD}\n\n[new]\na = 1\n`);
  });

  it('appends to an empty document without a leading blank line', () => {
    expect(serializeIni(setSectionEntries(parseIni(''), 'new', { a: '1', b: undefined }))).toBe('[new]\na = 1\n');
  });

  it('writes CRLF into a CRLF file and keeps the other lines exact', () => {
    const before = `${ODD.replaceAll('\n', '\r\n')}\r\n`;
    const document = parseIni(before);
    expect(dominantEol(document)).toBe('\r\n');
    const after = serializeIni(setSectionEntries(document, 'fresh', { k: 'v' }));
    expect(after).toBe(`${before}\r\n[fresh]\r\nk = v\r\n`);
    const replaced = serializeIni(setSectionEntries(document, 'other', { aws_access_key_id: 'AKIANEW', extra: 'x' }));
    expect(replaced).toBe(before.replace('aws_access_key_id = AKIAOTHER\r\n', 'aws_access_key_id = AKIANEW\r\nextra = x\r\n'));
  });

  it('inserts after the last entry of a section that is the end of a file without final newline', () => {
    const after = serializeIni(setSectionEntries(parseIni('[a]\nx = 1\n[b]\ny = 2'), 'b', { z: '3' }));
    expect(after).toBe('[a]\nx = 1\n[b]\ny = 2\nz = 3\n');
  });

  it('fills a section that has only a header', () => {
    expect(serializeIni(setSectionEntries(parseIni('[b]'), 'b', { z: '3' }))).toBe('[b]\nz = 3\n');
  });

  it('removes keys set to undefined, with their sub-properties, and the same keys from later duplicates', () => {
    const before = '[t]\naws_security_token =\n  nested = 1\nkeep = yes\n[u]\nq = 1\n[t]\naws_session_token = later\nmore = 1\n';
    const after = serializeIni(setSectionEntries(parseIni(before), 't', { aws_security_token: undefined, aws_session_token: 'new' }));
    expect(after).toBe('[t]\nkeep = yes\naws_session_token = new\n[u]\nq = 1\n[t]\nmore = 1\n');
    expect(readSection(parseIni(after), 't')).toEqual({ keep: 'yes', aws_session_token: 'new', more: '1' });
  });

  it('does not change its input', () => {
    const document = parseIni(ODD);
    const copy = structuredClone(document);
    setSectionEntries(document, 'work', { aws_access_key_id: 'changed' });
    expect(document).toEqual(copy);
  });

  it('refuses a value with a line break (it would inject another key)', () => {
    expect(() => setSectionEntries(parseIni(''), 'x', { a: 'one\n[default]' })).toThrow(/line break/);
  });
});

describe('ambiguousHeaders: headers the AWS CLI and the SDK read differently', () => {
  // Each line is read as `p1` (or `p1` up to whitespace) by at least one of botocore/configparser and
  // @smithy/shared-ini-file-loader, and as something else or nothing by the other (checked with aws-cli 1.45).
  const cases: [string, string][] = [
    ['spaces inside the brackets', '[ p1 ]'],
    ['text after the bracket', '[p1] x'],
    ['a comment marker without whitespace', '[p1]#note'],
    ['doubled inner space', '[my  p1]'],
  ];
  it.each(cases)('%s', (_name, header) => {
    const target = header === '[my  p1]' ? 'my p1' : 'p1';
    expect(ambiguousHeaders(parseIni(`[a]\nk = v\n${header}\nk = v\n`), target).map((line) => line.raw)).toEqual([header]);
  });

  it('an exact header, with a comment after whitespace, is not ambiguous', () => {
    expect(ambiguousHeaders(parseIni('[p1]   ; mine\nk = v\n  [p1]\n# [ p1 ]\n'), 'p1')).toEqual([]);
  });
});

describe('large files', () => {
  it('changes one section of a 160,000-line file without recursion, keeping the rest', () => {
    const sections = Array.from({ length: 40_000 }, (_, index) => `[p${index}]\naws_access_key_id = AKIA${index}\nx = 1\n`).join('\n');
    const text = `${sections}`;
    expect(text.split('\n').length).toBeGreaterThanOrEqual(160_000);
    const after = serializeIni(setSectionEntries(parseIni(text), 'p39999', { x: '2' }));
    expect(after).toBe(text.replace('[p39999]\naws_access_key_id = AKIA39999\nx = 1\n', '[p39999]\naws_access_key_id = AKIA39999\nx = 2\n'));
    const appended = serializeIni(setSectionEntries(parseIni(text), 'new', { x: '1' }));
    expect(appended).toBe(`${text}\n[new]\nx = 1\n`);
    expect(sectionNames(parseIni(text))).toHaveLength(40_000);
  });
});

function splitAt(text: string, marker: string): [string, string] {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`marker not found: ${marker}`);
  return [text.slice(0, index), text.slice(index + marker.length)];
}
