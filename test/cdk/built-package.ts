/** The CDK tests run the built package (dist/), as a user's app would load it: compile it when a source is newer. */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staticImportGraph } from './import-graph.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY_POINTS = ['src/cdk/index.ts', 'src/cli/main.ts'];

/** dist/ is older than a source file the entry points load (or missing). */
function distIsStale(): boolean {
  return ENTRY_POINTS.some((entry) =>
    [...staticImportGraph(join(root, entry), root).files].some((file) => {
      const built = join(root, 'dist', relative(join(root, 'src'), file)).replace(/\.ts$/, '.js');
      return !existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs;
    }),
  );
}

/** Compile dist/ if it is stale; the caller then checks that the files it needs exist. */
export function ensureBuilt(): void {
  if (!distIsStale()) return;
  // tsc emits even when another module has a type error; what matters here is that dist/ is current.
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  } catch {
    // Reported by the caller if the files it needs are still missing.
  }
}
