import { describe, expect, it } from 'vitest';
import { dominantEol, parseIni, readSection, sectionNames, serializeIni, setSectionEntries } from '../../src/session/ini.js';

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

  it('reads sections as the SDKs do: trimmed names, inline comments removed, sub-properties skipped', () => {
    const document = parseIni(ODD);
    expect(sectionNames(document)).toEqual(['default', 'work', 'work-mfa', 'other']);
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

function splitAt(text: string, marker: string): [string, string] {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`marker not found: ${marker}`);
  return [text.slice(0, index), text.slice(index + marker.length)];
}
