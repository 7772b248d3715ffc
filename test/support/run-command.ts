/** Runs force-mfa commands in-process through commander, as the CLI would, with their output captured. */
import { Command } from 'commander';
import { reportError } from '../../src/cli/run.js';
import { captureRun, type CapturedRun } from './capture-output.js';

/** A command module's `register<Name>(program)`. */
export type Register = (program: Command) => void;

/** The `force-mfa` program with the given commands, throwing instead of exiting (commander writes to the streams). */
export function buildProgram(registers: readonly Register[]): Command {
  const program = new Command('force-mfa').exitOverride();
  for (const register of registers) register(program);
  return program;
}

export interface RunOptions {
  /** Hand a thrown error to the CLI's top-level handler (message on stderr, exit code set) instead of rethrowing it. */
  readonly reportErrors?: boolean;
}

/** `force-mfa <args>` with only `registers` known. */
export async function runInProcess(registers: readonly Register[], args: readonly string[], options: RunOptions = {}): Promise<CapturedRun> {
  const program = buildProgram(registers);
  return captureRun(() => program.parseAsync(['node', 'force-mfa', ...args]), options.reportErrors === true ? reportError : undefined);
}
