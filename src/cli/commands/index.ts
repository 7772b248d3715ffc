/** Every command of force-mfa. Command modules stay light: heavy libraries are imported inside their actions. */
import type { Command } from 'commander';
import { registerTemplate } from './template.js';

export function registerCommands(program: Command): void {
  registerTemplate(program);
}
