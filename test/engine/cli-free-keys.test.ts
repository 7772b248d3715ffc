// verify and explain through commander on a guard a caller can switch off, and on a variable before the fifth colon.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerExplain } from '../../src/cli/commands/explain.js';
import { registerVerify } from '../../src/cli/commands/verify.js';
import { runInProcess } from '../support/run-command.js';
import { switchableGuard } from '../support/switchable-guard.js';

async function run(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  return runInProcess([registerVerify, registerExplain], args);
}

afterEach(() => {
  process.exitCode = undefined;
});

const folder = mkdtempSync(join(tmpdir(), 'force-mfa-free-keys-'));
function file(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const guardFile = () => file('guard-ua.json', switchableGuard({ StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } }).document);

describe('a guard whose MFA deny also tests aws:UserAgent', () => {
  it('verify --json lists iam:CreateAccessKey as allowed with access keys alone, opened by a user agent', async () => {
    const { stdout } = await run('verify', '--policy', guardFile(), '--with-policy', 'AdministratorAccess', '--json');
    const report = JSON.parse(stdout) as {
      contexts: Record<string, { allowed: { action: string; openedBy?: { key: string; values?: string[] }[] }[] }>;
      freeConditionKeys: string[];
    };
    const entry = report.contexts['access-keys']?.allowed.find((allowed) => allowed.action === 'iam:CreateAccessKey');
    expect(entry?.openedBy?.[0]?.key).toBe('aws:UserAgent');
    expect(entry?.openedBy?.[0]?.values?.[0]).toMatch(/Terraform/);
    expect(report.freeConditionKeys).toEqual(['aws:UserAgent']);
  });

  it('verify text says which key values open the actions', async () => {
    const { stdout } = await run('verify', '--policy', guardFile(), '--with-policy', 'AdministratorAccess');
    expect(stdout).toMatch(/Long-term access keys alone[^]*only with aws:UserAgent = "Terraform": \d+ action\(s\)/);
    expect(stdout).toContain('Note: no context fixes aws:UserAgent');
  });

  it('explain without the key decides the request as given and notes that the deny depends on a caller-supplied key', async () => {
    const args = ['explain', '--policy', guardFile(), '--with-policy', 'AdministratorAccess', '--context', 'access-keys', '--action', 'iam:CreateAccessKey', '--resource', ALICE];
    const { stdout } = await run(...args);
    expect(stdout).toContain('Decision: DENIED (explicitly, by a Deny statement)');
    expect(stdout).toContain('Note: the deny depends on aws:UserAgent, which this request does not fix');
    const concrete = await run(...args, '--context-key', 'aws:UserAgent=Terraform/1.9');
    expect(concrete.stdout).toContain('Decision: ALLOWED');
    expect(concrete.stdout).not.toContain('the deny depends on');
  });
});

describe('a variable before the fifth colon', () => {
  it('explain: Allow * plus Deny * on arn:aws:iam::${aws:PrincipalAccount}:user/* allows iam:GetUser on the own user, naming the literal variable', async () => {
    const policy = file('literal.json', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Sid: 'DenyUsers', Effect: 'Deny', Action: '*', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:user/*' },
      ],
    });
    const { stdout } = await run('explain', '--policy', policy, '--action', 'iam:GetUser', '--resource', ALICE);
    expect(stdout).toContain('Decision: ALLOWED');
    expect(stdout).toContain('${aws:PrincipalAccount} before the fifth colon is literal text');
    expect(stdout).toContain('Note: policy "literal.json", statement "DenyUsers": ${aws:PrincipalAccount} stands before the fifth colon');
  });
});
