// `npm run bench`: runs every benchmark script in this folder, one after the other, and prints their figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const helpers = new Set(['run.mjs', 'load-hooks.mjs', 'record-loads.mjs']);
const scripts = readdirSync(dir).filter((name) => name.endsWith('.mjs') && !helpers.has(name)).sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n== ${script}`);
  const result = spawnSync(process.execPath, ['--expose-gc', `${dir}/${script}`], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
