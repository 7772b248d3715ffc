// The exit-code table is written once (src/cli/exit-codes.ts); the document and every command's --help come from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES_BY_COMMAND, renderExitCodesMarkdown } from '../../src/cli/exit-codes.js';
import { runCli } from './run-cli.js';

const DOC = readFileSync(new URL('../../docs/exit-codes.md', import.meta.url), 'utf8');
const COMMANDS = ['template', 'verify', 'explain', 'lint', 'audit', 'enroll', 'unenroll', 'onboard', 'deploy', 'destroy', 'session', 'doctor', 'devices cleanup'];

describe('the exit-code table', () => {
  it('docs/exit-codes.md holds the generated table exactly', () => {
    const generated = /<!-- generated from [^\n]*-->\n([\s\S]*?)\n<!-- end of generated part -->/.exec(DOC)?.[1];
    expect(generated).toBe(renderExitCodesMarkdown());
  });

  it('names every command, each with 2 and 3', () => {
    expect(Object.keys(EXIT_CODES_BY_COMMAND).sort()).toEqual([...COMMANDS].sort());
    for (const codes of Object.values(EXIT_CODES_BY_COMMAND)) expect(Object.keys(codes)).toEqual(expect.arrayContaining(['0', '2', '3']));
  });

  it('is linked from both READMEs and the root --help', () => {
    for (const readme of ['README.md', 'README.ja.md']) expect(readFileSync(new URL(`../../${readme}`, import.meta.url), 'utf8')).toContain('(docs/exit-codes.md)');
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('docs/exit-codes.md');
  });

  it.each(COMMANDS)('%s --help lists its own codes', (command) => {
    const help = runCli([...command.split(' '), '--help']);
    expect(help.status).toBe(0);
    const section = help.stdout.slice(help.stdout.indexOf('Exit codes (docs/exit-codes.md):'));
    for (const [code, when] of Object.entries(EXIT_CODES_BY_COMMAND[command] ?? {})) expect(section).toContain(`  ${code}  ${when}`);
  });
});
