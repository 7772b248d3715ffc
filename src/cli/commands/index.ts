/** Every command of force-mfa. Command modules stay light: heavy libraries are imported inside their actions. */
import type { Command } from 'commander';
import { registerTemplate } from './template.js';
import { registerEnroll } from './enroll.js';
import { registerUnenroll } from './unenroll.js';
import { registerOnboard } from './onboard.js';
import { registerSession } from './session.js';
import { registerLint } from './lint.js';

export function registerCommands(program: Command): void {
  registerTemplate(program);
  registerEnroll(program);
  registerUnenroll(program);
  registerOnboard(program);
  registerSession(program);
  registerLint(program);
}
