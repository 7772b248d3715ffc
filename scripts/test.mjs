// `npm test`: the unit tests, then the end-to-end tests when moto_server is on PATH (with CI=true it must be).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const ci = process.env.CI === 'true';
const hasMoto = onPath('moto_server');
if (!hasMoto && ci) {
  console.error('npm test: moto_server is not on PATH, and CI=true requires the end-to-end tests (put moto 5.2.1\'s moto_server on PATH)');
  process.exit(1);
}
const args = [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...(hasMoto ? [] : ['--project', 'unit']), ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (!hasMoto) console.error('npm test: end-to-end tests skipped: moto_server is not on PATH (CI=true makes this an error)');
process.exitCode = run.status ?? 1;
