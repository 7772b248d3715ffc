// Start-up benchmark: median wall time of `force-mfa --version` and `force-mfa template`, and proof that neither
// loads aws-cdk-lib or the AWS SDK.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const runs = Number(process.env.BENCH_RUNS ?? 15);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function timeCommand(args) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`force-mfa ${args.join(' ')} failed: ${result.stderr}`);
  }
  return median(times);
}

function loadedPackages(args) {
  const dir = mkdtempSync(join(tmpdir(), 'force-mfa-bench-'));
  const log = join(dir, 'loads.txt');
  try {
    spawnSync(process.execPath, ['--import', join(root, 'bench/record-loads.mjs'), cli, ...args], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_MFA_LOAD_LOG: log },
    });
    const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    return { count: new Set(urls).size, heavy: urls.filter((url) => /aws-cdk-lib|@aws-sdk|@smithy|iam-data/.test(url)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const baseline = median(Array.from({ length: runs }, () => {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', ''], { encoding: 'utf8' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}));
console.log(`startup: node -e '' (baseline)            median ${baseline.toFixed(1)} ms over ${runs} runs`);
for (const args of [['--version'], ['template'], ['template', '--format', 'terraform']]) {
  const ms = timeCommand(args);
  const loads = loadedPackages(args);
  console.log(
    `startup: force-mfa ${args.join(' ').padEnd(28)} median ${ms.toFixed(1)} ms over ${runs} runs; ` +
      `${loads.count} modules resolved; aws-cdk-lib/AWS SDK/iam-data loaded: ${loads.heavy.length === 0 ? 'none' : loads.heavy.length}`,
  );
}
