/** vitest global setup of the e2e project: one moto_server for the whole run, a scratch folder, a built CLI. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startMoto } from './moto.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The moto_server endpoint, `http://127.0.0.1:<port>`. */
    e2eEndpoint: string;
    /** A scratch folder of this run (homes, logs, reports), removed at teardown. */
    e2eScratch: string;
  }
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

/** The tests run dist/cli/main.js: a missing or older build would test other code than the sources. */
function assertBuilt(): void {
  const cli = join(root, 'dist', 'cli', 'main.js');
  let built: number;
  try {
    built = statSync(cli).mtimeMs;
  } catch {
    throw new Error('dist/cli/main.js is missing: run `npm run build` before the end-to-end tests');
  }
  if (newestMtime(join(root, 'src')) > built) throw new Error('dist/ is older than src/: run `npm run build` before the end-to-end tests');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertBuilt();
  const scratch = mkdtempSync(join(tmpdir(), 'force-mfa-e2e-'));
  const moto = await startMoto({ logFile: join(scratch, 'moto.log') });
  project.provide('e2eEndpoint', moto.endpoint);
  project.provide('e2eScratch', scratch);
  return async () => {
    await moto.stop();
    if (process.env['KEEP_E2E_SCRATCH'] === '1') console.log(`e2e scratch kept: ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  };
}
