/** `force-mfa doctor`: what your current AWS credentials are, and what to do when the guard denies them. */
import type { Command } from 'commander';
import { writeStdout } from '../output.js';

export interface DoctorFlags {
  profile?: string;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('say in one sentence what your AWS credentials are behind the guard, and what to run when they lack MFA')
    .option('-p, --profile <name>', 'profile to check (default: as the AWS CLI and SDKs choose: AWS_PROFILE, environment keys, default)')
    .addHelpText(
      'after',
      `
Calls sts:GetCallerIdentity and one harmless read that the guard denies without MFA (iam:GetAccountSummary).
See docs/session.md.

Examples:
  force-mfa doctor --profile work
  AWS_PROFILE=work-mfa force-mfa doctor`,
    )
    .action(async (flags: DoctorFlags) => {
      await runDoctor(flags);
    });
}

export async function runDoctor(flags: DoctorFlags): Promise<void> {
  const [{ homedir }, { probeCaller }, { diagnose }] = await Promise.all([
    import('node:os'),
    import('../../session/probe.js'),
    import('../../session/doctor.js'),
  ]);
  const evidence = await probeCaller({ env: process.env, homeDir: homedir(), ...(flags.profile === undefined ? {} : { profile: flags.profile }) });
  const profile = flags.profile ?? process.env['AWS_PROFILE'];
  const sessionCommand = `force-mfa session${profile === undefined || profile === '' ? '' : ` --profile ${profile}`}`;
  const diagnosis = diagnose({ ...evidence, sessionCommand }, new Date());
  writeStdout(`${diagnosis.sentence}\n`);
  if (diagnosis.kind !== 'mfa-session' && diagnosis.kind !== 'role-session') process.exitCode = 1;
}
