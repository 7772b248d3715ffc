/** Starts and stops one `moto_server` on a free loopback port, and resets its state: the e2e tests' AWS endpoint. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: give it to clients as their endpoint (AWS_ENDPOINT_URL). */
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const START_LIMIT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** A port nobody listens on right now (the kernel picks it; a rare race with another process is retried by the caller). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** One start attempt: spawn, then poll until it answers, it exits, or the limit passes. */
async function startOnce(logFile: string | undefined): Promise<MotoServer | string> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // AWS managed policies (AdministratorAccess, IAMFullAccess…) exist in moto only with this setting.
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
    log?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnError = new Promise<string>((resolve) => child.once('error', (error) => resolve(error.message)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited(child);
      clearTimeout(timer);
    }
    log?.end();
  };
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(resolve, 100, undefined))]);
    if (failed !== undefined) return `moto_server could not be started: ${failed}`;
    if (child.exitCode !== null || child.signalCode !== null) return `moto_server exited at start: ${output.trim().split('\n').slice(-3).join(' | ')}`;
    if (await answers(endpoint)) return { endpoint, pid: child.pid ?? -1, stop };
  }
  await stop();
  return `moto_server did not answer at ${endpoint} within ${START_LIMIT_MS / 1000} s`;
}

/** Starts moto_server; throws one line when it cannot (not on PATH, port taken three times, no answer). */
export async function startMoto(options: { logFile?: string } = {}): Promise<MotoServer> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const result = await startOnce(options.logFile);
    if (typeof result !== 'string') return result;
    last = result;
    if (result.includes('ENOENT')) throw new Error('moto_server is not on PATH: the end-to-end tests need it (moto 5.2.1)');
  }
  throw new Error(last);
}

/** Forgets every user, group, organization and stack: each test file starts from an empty account. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`moto reset at ${endpoint} answered HTTP ${response.status}`);
}
