#!/usr/bin/env node
/** The force-mfa command: declares every command and hands errors to one handler. */
// First: it silences the AWS SDK's Node version warning before anything can load the SDK.
import '../aws/node-version-warning.js';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './run.js';
import { ExitCode, inputError } from '../errors.js';
import { writeStderr } from './output.js';
import { registerCommands } from './commands/index.js';

function packageVersion(): string {
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('force-mfa')
    .description(
      'Make MFA mandatory for AWS IAM users: render the ForceMfaAccess guard, prove what it allows, ' +
        'audit who is protected, roll it out, and get MFA sessions for the CLI.',
    )
    .version(packageVersion(), '-v, --version', 'print the version and exit')
    .option('--debug', 'show stack traces and AWS request details on errors')
    .option('--time-budget <seconds>', 'stop a command that has not finished after this long: one line, exit 3', '900')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeErr: (text) => writeStderr(text.trimEnd()),
      outputError: (text, write) => write(`force-mfa: ${text.replace(/^error: /, '').trimEnd()} (see --help)`),
    })
    .exitOverride()
    .hook('preAction', (root) => startTimeBudget(root.opts<{ timeBudget: string }>().timeBudget));
  registerCommands(program);
  program.addHelpText(
    'after',
    '\nStart here:\n  force-mfa audit --sample           audit the bundled sample account (no AWS access needed)\n' +
      '  force-mfa template                 print the recommended guard as CloudFormation\n' +
      '  force-mfa verify                   prove what a member can do without MFA, over every AWS action\n' +
      '  force-mfa <command> --help         options and examples of one command\n\n' +
      'Exit codes: 0 done, 1 findings or a --fail-on/--expect hit, 2 anything you gave that is wrong or does not exist,\n' +
      '  3 AWS or environment failure. Per command: docs/exit-codes.md, or force-mfa <command> --help.',
  );
  return program;
}

/**
 * A whole command has a time budget: retries back off and AWS may throttle for long, but a command never runs on
 * unbounded. On expiry: one line, exit 3. Writes are safe to cut here (enroll logs its intent before each change,
 * the credentials file is replaced whole), and the line says to run the command again.
 */
function startTimeBudget(text: string): void {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw inputError('time-budget', `--time-budget must be a positive number of seconds, not '${text}'`);
  setTimeout(() => {
    writeStderr(`force-mfa: the command did not finish within its time budget of ${seconds} s (--time-budget): AWS may be throttling or slow; run it again, or allow more time`);
    process.exit(ExitCode.Environment);
  }, seconds * 1000).unref();
}

export async function main(argv: readonly string[]): Promise<void> {
  // A closed pipe (`force-mfa template | head`) is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    reportError(error);
  }
}

await main(process.argv);
