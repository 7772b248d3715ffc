/** Every command of force-mfa, in the order of the work: enforce, prove, audit, roll out, live with it. */
// Command modules stay light: heavy libraries are imported inside their actions.
import type { Command } from 'commander';
import { registerTemplate } from './template.js';
import { registerVerify } from './verify.js';
import { registerExplain } from './explain.js';
import { registerLint } from './lint.js';
import { registerAudit } from './audit.js';
import { registerEnroll } from './enroll.js';
import { registerUnenroll } from './unenroll.js';
import { registerOnboard } from './onboard.js';
import { registerDeploy } from './deploy.js';
import { registerDestroy } from './destroy.js';
import { registerSession } from './session.js';
import { registerDoctor } from './doctor.js';
import { registerDevices } from './devices.js';
import { addAwsOptions, addOfflineProfileRefusal } from '../aws-options.js';
import { refuseRepeatedFlags } from '../flag-rules.js';
import { checkActionFlags } from '../action-flags.js';
import { exitCodesHelp } from '../exit-codes.js';

/** Commands that call AWS take the AWS CLI's --profile and --region (session and doctor declare their own). */
const AWS_COMMANDS: readonly string[] = ['audit', 'enroll', 'unenroll', 'onboard', 'deploy', 'destroy'];
/** Offline commands refuse --profile with one line; the guard is chosen with --guard. */
const OFFLINE_COMMANDS: readonly string[] = ['template', 'verify', 'explain', 'lint'];

export function registerCommands(program: Command): void {
  registerTemplate(program);
  registerVerify(program);
  registerExplain(program);
  registerLint(program);
  registerAudit(program);
  registerEnroll(program);
  registerUnenroll(program);
  registerOnboard(program);
  registerDeploy(program);
  registerDestroy(program);
  registerSession(program);
  registerDoctor(program);
  // devices declares the AWS options on its subcommand.
  registerDevices(program);
  for (const command of program.commands) {
    if (AWS_COMMANDS.includes(command.name())) addAwsOptions(command);
    if (OFFLINE_COMMANDS.includes(command.name())) addOfflineProfileRefusal(command);
    // Last, once every option of the command exists (flag-rules.ts, action-flags.ts).
    refuseRepeatedFlags(command);
    checkActionFlags(command);
    if (command.commands.length === 0) {
      command.addHelpText('after', exitCodesHelp(command.name()));
      continue;
    }
    // A command of subcommands (devices cleanup): each subcommand has its own options and codes.
    for (const sub of command.commands) {
      refuseRepeatedFlags(sub);
      sub.addHelpText('after', exitCodesHelp(`${command.name()} ${sub.name()}`));
    }
  }
  refuseRepeatedFlags(program);
}
