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
}
