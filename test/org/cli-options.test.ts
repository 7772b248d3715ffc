import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addOrgAuditOptions } from '../../src/cli/commands/org-audit.js';
import { addOrgStackSetOptions } from '../../src/cli/commands/org-deploy.js';

function parse(add: (command: Command) => Command, args: string[]): Record<string, unknown> {
  const program = new Command('force-mfa').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  let seen: Record<string, unknown> = {};
  const command = program.command('x').option('--from <dir>').option('--sample');
  add(command).action((flags: Record<string, unknown>) => {
    seen = flags;
  });
  program.parse(['node', 'force-mfa', 'x', ...args]);
  return seen;
}

describe('audit --org options', () => {
  it('reads lists and keeps the defaults', () => {
    expect(parse(addOrgAuditOptions, ['--org', '--accounts', '111111111111, 222222222222', '--ou', 'ou-ab12-34cd56ef'])).toEqual({
      org: true,
      accounts: ['111111111111', '222222222222'],
      ou: ['ou-ab12-34cd56ef'],
      roleName: 'OrganizationAccountAccessRole',
      accountTimeout: '300',
    });
  });

  it('refuses --org with offline sources', () => {
    expect(() => parse(addOrgAuditOptions, ['--org', '--sample'])).toThrow(/cannot be used with/);
  });
});

describe('deploy/destroy --org options', () => {
  it('reads the target and the operation preferences', () => {
    expect(parse(addOrgStackSetOptions, ['--org', '--regions', 'us-east-1', '--call-as', 'DELEGATED_ADMIN', '--max-concurrent', '5'])).toEqual({
      org: true,
      regions: ['us-east-1'],
      stackSetName: 'force-mfa',
      callAs: 'DELEGATED_ADMIN',
      maxConcurrent: '5',
    });
  });

  it('refuses a count and a percentage of the same preference', () => {
    expect(() => parse(addOrgStackSetOptions, ['--org', '--failure-tolerance', '1', '--failure-tolerance-percent', '5'])).toThrow(/cannot be used with/);
    expect(() => parse(addOrgStackSetOptions, ['--call-as', 'ME'])).toThrow(/Allowed choices are SELF, DELEGATED_ADMIN/);
  });
});
