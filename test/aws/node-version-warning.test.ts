/**
 * The AWS SDK's NodeVersionSupportWarning never reaches the terminal from a force-mfa process: every process entry
 * point imports the quieting module first, and a live AWS command of the built CLI on this Node prints no SDK warning.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cdk/built-package.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const QUIET_MODULE = join(root, 'src/aws/node-version-warning.ts');
/** The SDK's releases after early January 2027 require Node 22; on older majors it warns unless silenced. */
const SDK_WARNS_HERE = Number(process.versions.node.split('.')[0]) < 22;

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

/**
 * Every process entry point, found rather than listed, so that a new one cannot be forgotten: the package's `bin`,
 * any source file with a shebang, any Lambda handler (a module exporting `handler`), and every bench script that loads
 * the compiled code.
 */
function entryPoints(): string[] {
  const bin = Object.values((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin);
  const fromBin = bin.map((path) => join(root, path.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')));
  const sources = filesUnder(join(root, 'src'), (path) => path.endsWith('.ts') && !path.endsWith('.d.ts')).filter((path) => {
    const text = readFileSync(path, 'utf8');
    return text.startsWith('#!') || /^export (async function|const|function) handler\b/m.test(text);
  });
  const bench = filesUnder(join(root, 'bench'), (path) => path.endsWith('.mjs')).filter((path) => /\.\.\/dist\/|'\.\.\/dist'/.test(readFileSync(path, 'utf8')));
  return [...new Set([...fromBin, ...sources, ...bench])].sort();
}

/** The specifier of the first import statement (static, side-effect or not) of a module's text. */
function firstImport(text: string): string | undefined {
  return /^\s*import\s+(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/m.exec(text)?.[1];
}

describe('every process entry point imports the quieting module first', () => {
  const entries = entryPoints();

  it('finds the entry points: the CLI, both Lambda handlers and the bench scripts that load dist/', () => {
    expect(entries.map((path) => relative(root, path))).toEqual(
      expect.arrayContaining([
        'src/cli/main.ts',
        'src/rollout/lambda/auto-enroll.ts',
        'src/rollout/lambda/auto-enroll-inline.ts',
        'bench/audit.mjs',
        'bench/engine.mjs',
        'bench/org.mjs',
      ]),
    );
  });

  it.each(entryPoints().map((path) => relative(root, path)))('%s', (entry) => {
    const path = join(root, entry);
    const specifier = firstImport(readFileSync(path, 'utf8'));
    expect(specifier, `${entry} must start with import of the quieting module`).toBeDefined();
    const target = resolve(dirname(path), specifier ?? '');
    const asSource = target.replace(`${join(root, 'dist')}/`, `${join(root, 'src')}/`).replace(/\.js$/, '.ts');
    expect(asSource).toBe(QUIET_MODULE);
  });

  it('the inlined CloudFormation handler sets the variable before it requires the SDK', () => {
    const module = readFileSync(join(root, 'src/rollout/lambda/auto-enroll.inline.ts'), 'utf8');
    const code = JSON.parse(/= (".*");/.exec(module)?.[1] ?? '""') as string;
    const set = code.indexOf(`process.env.${VARIABLE}??="true"`);
    expect(set).toBeGreaterThan(-1);
    expect(set).toBeLessThan(code.indexOf('require("@aws-sdk/'));
  });

  it('the CDK construct bundles the handler that is checked above', () => {
    expect(readFileSync(join(root, 'src/cdk/auto-enroll.ts'), 'utf8')).toContain('../rollout/lambda/auto-enroll${extension}');
  });
});

describe('the built CLI on this Node, for a live AWS command', () => {
  beforeAll(() => {
    ensureBuilt();
    expect(existsSync(join(root, 'dist/cli/main.js'))).toBe(true);
  });

  /** An environment without the variable (unless given), with test keys and an endpoint that refuses connections. */
  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && key !== 'NODE_OPTIONS'));
    return {
      ...base,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_CONFIG_FILE: '/nonexistent/force-mfa-test-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/force-mfa-test-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  function run(args: readonly string[], extra?: Record<string, string>): { status: number | null; stderr: string } {
    const child = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], { cwd: root, env: env(extra), encoding: 'utf8', timeout: 120_000 });
    return { status: child.status, stderr: child.stderr };
  }

  it(`control: an SDK client made without the variable ${SDK_WARNS_HERE ? 'warns' : 'does not warn'} on Node ${process.versions.node}`, () => {
    const script = "const { IAMClient } = await import('@aws-sdk/client-iam'); new IAMClient({});";
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: env(), encoding: 'utf8', timeout: 60_000 });
    expect(child.status).toBe(0);
    expect(child.stderr.includes('NodeVersionSupportWarning')).toBe(SDK_WARNS_HERE);
  });

  it.each([
    { name: 'audit', args: ['audit', '--format', 'json'] },
    { name: 'doctor', args: ['doctor'] },
  ])('$name reaches AWS (refused: exit 3, one line) and prints no SDK warning', ({ args }) => {
    const result = run(args);
    expect(result.status).toBe(3);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.stderr).not.toMatch(/\(node:\d+\)|Warning:/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it(`keeps a value the user set: with ${VARIABLE}=false the SDK's own warning ${SDK_WARNS_HERE ? 'is' : 'would be'} shown`, () => {
    const result = run(['audit', '--format', 'json'], { [VARIABLE]: 'false' });
    expect(result.status).toBe(3);
    expect(result.stderr.includes('NodeVersionSupportWarning')).toBe(SDK_WARNS_HERE);
  });
});

describe('the supported Node.js versions', () => {
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const lockEngines = (JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node: string } }> }).packages['']?.engines?.node;

  it('are 20 (from 20.19) and 22 (from 22.12) in package.json engines, and the lock file agrees', () => {
    expect(engines).toBe('^20.19.0 || ^22.12.0');
    expect(lockEngines).toBe(engines);
  });

  it('README.md and README.ja.md say the same, and why 22 matters for the SDK', () => {
    expect(read('README.md')).toContain('Supported Node.js versions: 20 (from 20.19) and 22 (from 22.12)');
    expect(read('README.md')).toContain('after the first week of January\n2027 require Node.js 22');
    expect(read('README.ja.md')).toContain('対応する Node.js のバージョンは 20（20.19 以上）と 22（22.12 以上）です');
    expect(read('README.ja.md')).toContain('2027 年 1 月第 1 週より後に公開される SDK は Node.js 22 以上が必要');
  });
});
