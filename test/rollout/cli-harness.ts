/** Runs rollout commands in-process as the CLI would, capturing stdout, stderr and the exit code. */
import { registerEnroll } from '../../src/cli/commands/enroll.js';
import { registerOnboard } from '../../src/cli/commands/onboard.js';
import { registerUnenroll } from '../../src/cli/commands/unenroll.js';
import { runInProcess, type Register } from '../support/run-command.js';

export { useFakeAwsEnvironment } from '../support/fake-aws-environment.js';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export const ROLLOUT_COMMANDS: readonly Register[] = [registerEnroll, registerUnenroll, registerOnboard];

export async function runCommand(args: readonly string[], registers: readonly Register[] = ROLLOUT_COMMANDS): Promise<CommandResult> {
  const { stdout, stderr, exitCode } = await runInProcess(registers, args, { reportErrors: true });
  return { stdout, stderr, exitCode: exitCode ?? 0 };
}
