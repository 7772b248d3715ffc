import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'fixtures' ? [] : filesUnder(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

describe('repository gates', () => {
  it('commits no focused, skipped or todo tests', () => {
    const offenders = filesUnder(join(root, 'test'), '.ts').filter((file) =>
      /\b(it|test|describe)\.(only|skip|todo)\(|\b(fit|fdescribe|xit|xdescribe)\(/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the core free of console output, file access and AWS calls', () => {
    const core = ['policy', 'engine', 'audit', 'render', 'lint'].flatMap((area) => {
      try {
        return filesUnder(join(root, 'src', area), '.ts');
      } catch {
        return [];
      }
    });
    // The action catalogue is data shipped in a package: reading it is the one file access the engine makes.
    const offenders = core
      .filter((file) => !file.endsWith(join('engine', 'catalogue.ts')))
      .filter((file) => /\bconsole\.(log|error|warn|info|debug)\(|process\.(stdout|stderr)|from 'node:fs'|@aws-sdk\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
