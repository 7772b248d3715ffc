/** cdk-nag is an optional peer: `force-mfa/cdk` loads and ForceMfaGroup works without it; ForceMfaChecks says it is missing. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './built-package.js';

/** A module resolve hook that makes cdk-nag unresolvable, as in a project that never installed it. */
const HIDE_CDK_NAG = `
export async function resolve(specifier, context, next) {
  if (specifier === 'cdk-nag' || specifier.startsWith('cdk-nag/')) {
    const error = new Error("Cannot find package 'cdk-nag' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;
/** cdk-nag 2 in place of 3: its NagPack is an Aspect (`visit`), with no `validateScope`. */
const CDK_NAG_2 = `export class NagPack { constructor(props) { this.props = props; } visit() {} }
export const NagMessageLevel = { WARN: 'Warning', ERROR: 'Error', INFO: 'Info' };
export const NagRuleCompliance = { NON_COMPLIANT: 'Non-Compliant' };`;
const SWAP_CDK_NAG_2 = `
export async function resolve(specifier, context, next) {
  if (specifier === 'cdk-nag') return { url: ${JSON.stringify(`data:text/javascript,${encodeURIComponent(CDK_NAG_2)}`)}, shortCircuit: true };
  return next(specifier, context);
}`;
const registering = (hooks: string): string => `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
const REGISTER = registering(HIDE_CDK_NAG);

/** Imports force-mfa/cdk as a user's app does (the package's exports map), builds a guard, then tries the pack. */
const APP = `
const cdk = await import('force-mfa/cdk');
const { App, Stack } = await import('aws-cdk-lib');
const hidden = await import('cdk-nag').then(() => false, () => true);
const app = new App();
const guard = new cdk.ForceMfaGroup(new Stack(app, 'S'), 'Guard');
let packError = null;
try { new cdk.ForceMfaChecks(); } catch (error) { packError = error.message; }
console.log(JSON.stringify({ hidden, groupName: guard.guard.groupName, packError }));
`;

function run(hooks: string | undefined): { hidden: boolean; groupName: string; packError: string | null } {
  const args = [...(hooks === undefined ? [] : ['--import', `data:text/javascript,${encodeURIComponent(hooks)}`]), '--input-type=module', '-e', APP];
  const child = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as { hidden: boolean; groupName: string; packError: string | null };
}

describe('force-mfa/cdk without cdk-nag', () => {
  beforeAll(() => {
    ensureBuilt();
    expect(existsSync(join(root, 'dist/cdk/index.js'))).toBe(true);
  });

  it('imports, and ForceMfaGroup works; constructing ForceMfaChecks says to install cdk-nag', () => {
    const result = run(REGISTER);
    expect(result.hidden).toBe(true);
    expect(result.groupName).toBe('ForceMfaAccess');
    expect(result.packError).toMatch(/^force-mfa: ForceMfaChecks needs cdk-nag 3 beside aws-cdk-lib; install it \(npm install --save-dev cdk-nag\)/);
  });

  it('with cdk-nag installed, the same program constructs the pack', () => {
    const result = run(undefined);
    expect(result.hidden).toBe(false);
    expect(result.packError).toBeNull();
  });

  it('with cdk-nag 2 installed instead, ForceMfaGroup works and the pack says it needs cdk-nag 3', () => {
    const result = run(registering(SWAP_CDK_NAG_2));
    expect(result.groupName).toBe('ForceMfaAccess');
    expect(result.packError).toMatch(/needs cdk-nag 3 .*the installed cdk-nag is not version 3/);
  });
});
