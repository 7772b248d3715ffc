// A guard whose MFA deny a caller can switch off is not enforcement: audit --from says so and names the key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerAudit } from '../../src/cli/commands/audit.js';
import { buildGuard } from '../../src/policy/guard.js';
import { captureStreams } from '../support/capture-output.js';
import { writeGuardExport } from '../support/guard-export.js';
import { buildProgram } from '../support/run-command.js';
import { SWITCHABLE_CONDITIONS, switchableGuard } from '../support/switchable-guard.js';

let stdout: string[] = [];
const folder = mkdtempSync(join(tmpdir(), 'force-mfa-switchable-'));
let count = 0;

beforeEach(() => {
  ({ stdout } = captureStreams());
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface AuditedUser {
  userName: string;
  status: string;
  reasons: { code: string; params: Record<string, unknown> }[];
  nextStep: { code: string; params: Record<string, unknown> };
}

async function audit(guard: unknown, ...args: string[]): Promise<{ user: AuditedUser; text: string }> {
  count += 1;
  const dir = join(folder, `export-${count}`);
  writeGuardExport(dir, guard);
  await buildProgram([registerAudit]).parseAsync(['node', 'force-mfa', 'audit', '--from', dir, ...args]);
  const text = stdout.join('');
  const json = args.includes('--json') ? (JSON.parse(text) as { users: AuditedUser[] }) : undefined;
  return { user: json?.users.find((user) => user.userName === 'admin') as AuditedUser, text };
}

const FAIL_ON = 'unprotected,enrolled-not-enforced,pending-enrollment';

describe('audit --from with the guard of template --format policy', () => {
  it('as rendered: the administrator without MFA is pending enrollment (the guard is enforced)', async () => {
    const { user } = await audit(buildGuard({ profile: 'recommended' }).document, '--json');
    expect(user.status).toBe('pending-enrollment');
  });

  it('plus StringNotLikeIfExists aws:UserAgent *Terraform* on its MFA deny: not protected, the reason names aws:UserAgent, exit 1', async () => {
    const guard = switchableGuard({ StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } }).document;
    const { user } = await audit(guard, '--json', '--fail-on', FAIL_ON);
    expect(user.status).toBe('unprotected');
    expect(process.exitCode).toBe(1);
    const reason = user.reasons.find((entry) => entry.code === 'guard-switchable');
    expect(reason?.params).toEqual({ policy: 'group:ForceMfaAccess/ForceMfaAccess', statement: 'DenyAllExceptMfaSetupWithoutMfa', keys: ['aws:UserAgent'] });
    expect(user.reasons.map((entry) => entry.code)).not.toContain('no-guard');
    expect(user.nextStep.code).toBe('remove-switchable-condition');
  });

  it('says so in English and in Japanese: the reason and the next step name the key', async () => {
    const guard = switchableGuard({ StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } }).document;
    const message = (user: AuditedUser) => (user.reasons.find((entry) => entry.code === 'guard-switchable') as unknown as { message: string }).message;
    const english = await audit(guard, '--json');
    expect(message(english.user)).toContain('also tests aws:UserAgent');
    stdout.length = 0;
    const japanese = await audit(guard, '--json', '--lang', 'ja');
    expect(message(japanese.user)).toContain('aws:UserAgent も条件にしています');
    stdout.length = 0;
    expect((await audit(guard)).text).toContain('Remove the condition on aws:UserAgent from statement DenyAllExceptMfaSetupWithoutMfa');
    stdout.length = 0;
    expect((await audit(guard, '--lang', 'ja')).text).toContain('aws:UserAgent の条件を削除してください');
  });
});

describe('every switchable condition (test/fixtures/switchable-mfa-deny-conditions.json) on the MFA deny', () => {
  it.each(SWITCHABLE_CONDITIONS.map((variant) => [variant.name, variant] as const))('%s: the administrator is not protected', async (_, variant) => {
    const { user } = await audit(switchableGuard(variant.condition).document, '--json', '--fail-on', FAIL_ON);
    expect(user.status).not.toBe('protected');
    expect(user.status).not.toBe('pending-enrollment');
    expect(process.exitCode).toBe(1);
  });
});
