import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './run-cli.js';

const seed = JSON.parse(readFileSync(new URL('../fixtures/seed-policy.json', import.meta.url), 'utf8')) as {
  GroupName: string;
  PolicyName: string;
  PolicyDocument: unknown;
};

interface GroupTemplate {
  Parameters: { GroupName: { Default: string } };
  Resources: { ForceMfaAccess: { Type: string; Properties: { Policies: { PolicyName: string; PolicyDocument: unknown }[] } } };
}

describe('force-mfa template', () => {
  it('prints, for the seed profile, a CloudFormation group whose policy equals the seed policy', () => {
    const result = runCli(['template', '--guard', 'seed']);
    expect(result.status).toBe(0);
    const template = parse(result.stdout) as GroupTemplate;
    const group = template.Resources.ForceMfaAccess;
    expect(group.Type).toBe('AWS::IAM::Group');
    expect(template.Parameters.GroupName.Default).toBe(seed.GroupName);
    expect(group.Properties.Policies).toEqual([{ PolicyName: seed.PolicyName, PolicyDocument: seed.PolicyDocument }]);
  });

  it.each([['seed'], ['recommended']])('refuses the old --profile %s with exit 2 and one line naming --guard', (guard) => {
    const result = runCli(['template', '--profile', guard]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(`force-mfa: --profile names an AWS named profile now; choose the guard with --guard ${guard}`);
  });

  it('refuses --profile NAME: template calls no AWS, so the flag would have no effect', () => {
    const result = runCli(['template', '--profile', 'work']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/template calls no AWS, so --profile has no effect/);
  });

  it('prints the recommended policy as valid JSON by default profile', () => {
    const result = runCli(['template', '--format', 'policy']);
    expect(result.status).toBe(0);
    const document = JSON.parse(result.stdout) as { Statement: { Sid: string }[] };
    expect(document.Statement.map((s) => s.Sid)).toEqual(
      expect.arrayContaining(['DenyAllExceptMfaSetupWithoutMfa', 'DenyMfaSetupOnOtherUsersWithoutMfa', 'DenyMfaDeviceChangesWithAccessKeysOnly']),
    );
  });

  it('says plainly, beside an SCP, that SCPs never apply to the management account', () => {
    const result = runCli(['template', '--format', 'scp']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('Statement');
    expect(result.stderr).toMatch(/never apply to the management account/);
  });

  it.each([
    [['template', '--format', 'xml'], /argument 'xml' is invalid/],
    [['template', '--bogus'], /unknown option '--bogus'/],
    [['template', '--guard', 'seed', '--group-name', 'Other'], /seed profile .* takes no options/],
    [['template', '--self-service', 'passwords'], /unknown self-service credential 'passwords'/],
    [['template', '--exempt-action', 'ListUsers'], /--exempt-action 'ListUsers' is not an action: write service:Action/],
  ])('rejects bad input %j with one line and exit code 2', (args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^force-mfa: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows a stack trace only with --debug', () => {
    const result = runCli(['template', '--guard', 'seed', '--group-name', 'Other', '--debug']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('prints the version and help with examples', () => {
    const version = runCli(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(['template', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
  });
});
