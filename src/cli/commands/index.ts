/** Every command of force-mfa. Command modules stay light: heavy libraries are imported inside their actions. */
import type { Command } from 'commander';
import { registerTemplate } from './template.js';
import { registerEnroll } from './enroll.js';
import { registerUnenroll } from './unenroll.js';
import { registerOnboard } from './onboard.js';
import { registerDeploy } from './deploy.js';
import { registerDestroy } from './destroy.js';
import { registerSession } from './session.js';
import { registerLint } from './lint.js';
import { registerAudit } from './audit.js';
import { registerVerify } from './verify.js';
import { registerExplain } from './explain.js';

export function registerCommands(program: Command): void {
  registerTemplate(program);
  registerEnroll(program);
  registerUnenroll(program);
  registerOnboard(program);
  registerDeploy(program);
  registerDestroy(program);
  registerSession(program);
  registerLint(program);
  registerAudit(program);
  registerVerify(program);
  registerExplain(program);
}
