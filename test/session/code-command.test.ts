import { describe, expect, it } from 'vitest';
import { codeFromOutput, runCodeCommand, splitCommandLine } from '../../src/session/code-command.js';

describe('splitCommandLine: words as a POSIX shell splits them, without running a shell', () => {
  const cases: [string, string[]][] = [
    ['ykman oath accounts code --single AWS:alice', ['ykman', 'oath', 'accounts', 'code', '--single', 'AWS:alice']],
    ['  printf   123456  ', ['printf', '123456']],
    [`ykman oath accounts code --single 'Amazon Web Services:alice@work'`, ['ykman', 'oath', 'accounts', 'code', '--single', 'Amazon Web Services:alice@work']],
    ['op item get "AWS \\"prod\\"" --otp', ['op', 'item', 'get', 'AWS "prod"', '--otp']],
    ['a\\ b c', ['a b', 'c']],
    [`echo '' x`, ['echo', '', 'x']],
    // Shell syntax is plain text: nothing is expanded, piped or redirected.
    ['echo $HOME | tee > out *', ['echo', '$HOME', '|', 'tee', '>', 'out', '*']],
    [`say 'it''s'`, ['say', 'its']],
  ];
  it.each(cases)('%s', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    [`ykman 'unclosed`, /unclosed ' quote/],
    ['ykman "unclosed', /unclosed " quote/],
    ['ykman \\', /lone backslash/],
  ];
  it.each(bad)('refuses %j', (line, message) => {
    expect(() => splitCommandLine(line)).toThrow(message);
  });
});

describe('codeFromOutput', () => {
  const cases: [string, string | undefined][] = [
    ['123456', '123456'],
    ['123456\n', '123456'],
    ['  042917\r\n', '042917'],
    ['AWS:alice  654321\n', '654321'],
    ['Touch your YubiKey...\n111222\n\n', '111222'],
    ['', undefined],
    ['\n\n', undefined],
    ['12345', undefined],
    ['1234567', undefined],
    ['123456 is your code', undefined],
    ['12a456', undefined],
    ['١٢٣٤٥٦', undefined], // Arabic-Indic digits are not what STS takes
  ];
  it.each(cases)('%j → %s', (output, code) => {
    expect(codeFromOutput(output)).toBe(code);
  });
});

describe('runCodeCommand', () => {
  it('returns the code the command prints', async () => {
    expect(await runCodeCommand(['printf', '123456'], 10_000)).toBe('123456');
  });

  it('runs no shell: shell syntax reaches the program as arguments', async () => {
    expect(await runCodeCommand(['printf', '%s\\n', 'x;', '$(id)', '123456'], 10_000)).toBe('123456');
  });

  it('is not held up by a background process that keeps its stdout open', async () => {
    expect(await runCodeCommand(['sh', '-c', 'sleep 3 & printf 123456'], 20_000)).toBe('123456');
  });

  const failures: [string, string[], number, string, RegExp][] = [
    ['prints nothing', ['true'], 10_000, 'session.code-command-no-code', /^the MFA code command 'true' printed no six-digit code \(its output was empty\)/],
    ['prints something else, never echoed', ['printf', 'secret-ish 12345'], 10_000, 'session.code-command-no-code', /printed no six-digit code:/],
    ['fails', ['sh', '-c', 'printf 123456; exit 4'], 10_000, 'session.code-command-failed', /failed with exit status 4/],
    ['does not exist', ['/nonexistent/ykman'], 10_000, 'session.code-command-failed', /could not be started: not found/],
    ['takes too long', ['sleep', '5'], 200, 'session.code-command-timeout', /gave no code within 0.2s and was stopped/],
    ['takes too long while a background process holds stdout', ['sh', '-c', 'sleep 3 & sleep 3'], 200, 'session.code-command-timeout', /within 0.2s/],
  ];
  it.each(failures)('one line, exit 3, when the command %s', async (_name, argv, timeout, code, message) => {
    const error = await runCodeCommand(argv, timeout).then(
      () => undefined,
      (caught: unknown) => caught as { code: string; kind: string; message: string },
    );
    expect(error).toMatchObject({ code, kind: 'environment' });
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
    expect(error?.message).not.toContain('secret-ish');
  });
});
