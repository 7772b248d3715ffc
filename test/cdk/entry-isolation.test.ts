import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { staticImportGraph, staticRuntimeSpecifiers } from './import-graph.js';

// The force-mfa command must start fast and run without the CDK: aws-cdk-lib stays behind the `force-mfa/cdk` entry
// point, and the AWS SDK and the action catalogue are loaded with `await import(...)` inside the commands that use them.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');
const CDK = /^(aws-cdk-lib|constructs)(\/|$)/;
const HEAVY = /^(aws-cdk-lib|constructs|@aws-sdk\/|@cloud-copilot\/iam-data)(\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file names, static or dynamic, runtime or type-only. */
function anySpecifiers(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

describe('the CLI never loads aws-cdk-lib', () => {
  it('no module outside src/cdk imports aws-cdk-lib or constructs, statically or dynamically', () => {
    const offenders = sourceFiles(src)
      .filter((file) => !relative(src, file).startsWith(`cdk/`))
      .flatMap((file) => anySpecifiers(readFileSync(file, 'utf8')).filter((s) => CDK.test(s)).map((s) => `${relative(root, file)}: ${s}`));
    expect(offenders).toStrictEqual([]);
  });

  it("src/cli/main.ts's static import graph reaches neither aws-cdk-lib nor the AWS SDK nor the action catalogue", () => {
    const graph = staticImportGraph(join(src, 'cli/main.ts'), root);
    // The walker really follows the graph: the command registry and commander are in it.
    expect(graph.files).toContain(join(src, 'cli/commands/index.ts'));
    expect(graph.files).toContain(join(src, 'cli/commands/template.ts'));
    expect(graph.packages.has('commander')).toBe(true);
    const heavy = [...graph.packages].filter(([name]) => HEAVY.test(name)).map(([name, file]) => `${file}: ${name}`);
    expect(heavy).toStrictEqual([]);
  });

  it('the walker sees aws-cdk-lib from the force-mfa/cdk entry point', () => {
    const graph = staticImportGraph(join(src, 'cdk/index.ts'), root);
    expect([...graph.packages.keys()].filter((name) => CDK.test(name))).toEqual(expect.arrayContaining(['aws-cdk-lib/aws-iam', 'constructs']));
  });

  it.each([
    { text: "import { a, type B } from './x.js';", expected: ['./x.js'] },
    { text: "import type { B } from './x.js';", expected: [] },
    { text: "export type { B } from './x.js';", expected: [] },
    { text: "export * from './x.js';", expected: ['./x.js'] },
    { text: "import {\n  a,\n  b,\n} from 'aws-cdk-lib';", expected: ['aws-cdk-lib'] },
    { text: "import 'side-effect';", expected: ['side-effect'] },
    { text: "const { IAMClient } = await import('@aws-sdk/client-iam');", expected: [] },
    { text: "export const x = 1;\nconst y = 'text from \\'nowhere\\'';", expected: [] },
  ])('finds the static runtime imports of: $text', ({ text, expected }) => {
    expect(staticRuntimeSpecifiers(text)).toStrictEqual(expected);
  });
});
