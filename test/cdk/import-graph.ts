/** A small static import-graph walker over src/ for the tests that keep heavy packages out of the CLI's start-up. */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/**
 * Specifiers of the static imports and re-exports that load at run time. `import type` / `export type` are erased;
 * `import { type A }` is kept (verbatimModuleSyntax leaves `import {} from`), so it counts. `await import()` does not.
 */
export function staticRuntimeSpecifiers(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s+([\w\s{},*$]*?)\s*from\s*['"]([^'"]+)['"]/gm)) {
    if (!/^type\s/.test(match[1] as string)) specifiers.push(match[2] as string);
  }
  for (const match of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) specifiers.push(match[1] as string);
  return specifiers;
}

export interface ImportGraph {
  /** Absolute paths of the .ts files reached. */
  readonly files: Set<string>;
  /** Package specifiers reached, each with the first file (relative to `root`) that imports it. */
  readonly packages: Map<string, string>;
}

/** The files and packages reachable from `entry` through static runtime imports, following relative imports. */
export function staticImportGraph(entry: string, root: string): ImportGraph {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of staticRuntimeSpecifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
        if (target.endsWith('.ts')) pending.push(target);
      } else if (!packages.has(specifier)) {
        packages.set(specifier, relative(root, file));
      }
    }
  }
  return { files, packages };
}
