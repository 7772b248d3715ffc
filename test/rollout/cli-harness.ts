/** Runs rollout commands in-process as the CLI would, capturing stdout, stderr and the exit code. */
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerEnroll } from '../../src/cli/commands/enroll.js';
import { registerOnboard } from '../../src/cli/commands/onboard.js';
import { registerUnenroll } from '../../src/cli/commands/unenroll.js';
import { reportError } from '../../src/cli/run.js';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export type Register = (program: Command) => void;

export const ROLLOUT_COMMANDS: readonly Register[] = [registerEnroll, registerUnenroll, registerOnboard];

export async function runCommand(args: readonly string[], registers: readonly Register[] = ROLLOUT_COMMANDS): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command('force-mfa').exitOverride().configureOutput({
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
  });
  for (const register of registers) register(program);
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'force-mfa', ...args]);
  } catch (error) {
    reportError(error);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}

/** Points the SDK's default chain at a fake endpoint with dummy long-term keys; returns a function that restores. */
export function useFakeAwsEnvironment(endpoint: string, extra: Record<string, string> = {}): () => void {
  const keys = [
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
    'AWS_PROFILE',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_EC2_METADATA_DISABLED',
    ...Object.keys(extra),
  ];
  const saved = new Map(keys.map((key) => [key, process.env[key]]));
  for (const key of keys) delete process.env[key];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests-only',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/force-mfa-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/force-mfa-test-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
