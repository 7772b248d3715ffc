/** Runs the built CLI (dist/cli/main.js) as a child process against the e2e endpoint, in an isolated home. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const CLI_PATH = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** moto's default account answers to any keys; these say plainly that they are not real. */
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;
export const TEST_REGION = 'us-east-1';
/** The account moto puts the test credentials in. */
export const TEST_ACCOUNT = '123456789012';

export interface CliResult {
  /** Exit code; null when the process was killed (see `timedOut` and `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** The run passed `timeoutMs` and was killed. */
  readonly timedOut: boolean;
}

/** A home of its own for one or more runs: nothing of the machine's ~/.aws is read or written. */
export interface E2eHome {
  readonly dir: string;
  readonly credentialsFile: string;
  readonly configFile: string;
}

/** A fresh home under the run's scratch folder, with empty (or the given) ~/.aws/credentials and ~/.aws/config. */
export function makeHome(files: { credentials?: string; config?: string } = {}): E2eHome {
  const dir = mkdtempSync(join(inject('e2eScratch'), 'home-'));
  mkdirSync(join(dir, '.aws'), { recursive: true });
  const home = { dir, credentialsFile: join(dir, '.aws', 'credentials'), configFile: join(dir, '.aws', 'config') };
  writeFileSync(home.credentialsFile, files.credentials ?? '', { mode: 0o600 });
  writeFileSync(home.configFile, files.config ?? '', { mode: 0o600 });
  return home;
}

/** A path for a run's output file (a report, an enroll log) in the run's scratch folder. */
export function scratchPath(name: string): string {
  return join(mkdtempSync(join(inject('e2eScratch'), 'out-')), name);
}

export interface CliOptions {
  /** Defaults to the moto of the run; a fault proxy's address goes here. */
  readonly endpoint?: string;
  /** Defaults to a fresh empty home. */
  readonly home?: E2eHome;
  /**
   * Variables on top of the defaults; `undefined` removes one. The defaults: the home's HOME, AWS_CONFIG_FILE and
   * AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL, AWS_REGION, the test keys, NO_COLOR, TZ=UTC and the parent's PATH.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Written to stdin, which is then closed (stdin is always closed: a prompt never waits). */
  readonly input?: string;
  /** Killed after this long (default 120 s); the result then says `timedOut`. */
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/** The variables a run gets: nothing from the parent's environment but PATH. */
export function cliEnvironment(options: Pick<CliOptions, 'endpoint' | 'home' | 'env'> & { home: E2eHome }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: options.home.dir,
    AWS_CONFIG_FILE: options.home.configFile,
    AWS_SHARED_CREDENTIALS_FILE: options.home.credentialsFile,
    AWS_ENDPOINT_URL: options.endpoint ?? inject('e2eEndpoint'),
    AWS_REGION: TEST_REGION,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    TZ: 'UTC',
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Spawns `command args` with a kill timer; collects output. Used for the CLI and for other consumers (`aws`). */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, options: Pick<CliOptions, 'input' | 'timeoutMs' | 'cwd'> = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
        timedOut,
      });
    });
    child.stdin.on('error', () => undefined); // a CLI that exits before reading its stdin
    child.stdin.end(options.input ?? '');
  });
}

/** `force-mfa <args>` from dist/, against the e2e endpoint (or `options.endpoint`). */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const home = options.home ?? makeHome();
  return runProcess(process.execPath, [CLI_PATH, ...args], cliEnvironment({ ...options, home }), options);
}

/** Parses stdout as JSON, failing with the run's stderr in the message when it is not. */
export function jsonOf<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${String(result.code)}); stderr: ${result.stderr.slice(0, 600)}; stdout: ${result.stdout.slice(0, 300)}`);
  }
}
