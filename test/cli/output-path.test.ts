// --output to a path that cannot be a file: one line, exit 2, and no temporary file left behind.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'force-mfa-output-'));
  folders.push(folder);
  return folder;
}

describe('--output to an unusable path', () => {
  it('names a folder: exit 2, one line, nothing left in the folder', () => {
    const folder = scratch();
    const result = runCli(['template', '--output', folder]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`force-mfa: cannot write ${folder} (it is a folder): give a writable file path\n`);
    expect(readdirSync(join(folder, '..')).filter((name) => name.startsWith(`${folder.split('/').pop()}.`))).toEqual([]);
  });

  it('goes through a file as if it were a folder: exit 2, one line', () => {
    const folder = scratch();
    writeFileSync(join(folder, 'plain'), 'x');
    const result = runCli(['audit', '--sample', '--json', '--output', join(folder, 'plain', 'audit.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^force-mfa: cannot write .*plain\/audit\.json \(a folder on its path is a file\): give a writable file path\n$/);
    expect(result.stdout).toBe('');
  });
});
