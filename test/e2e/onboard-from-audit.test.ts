// onboard --from-audit on an audit of an AWS-compatible endpoint: who is told what follows from the audit's evaluation.
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli, scratchPath } from './support/cli.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

interface OnboardJson {
  messages: { userName: string; kind: string; subject: string; intro: string }[];
  skipped: { userName: string; status: string; reason: string }[];
}

const auditFile = scratchPath('audit.json');

describe('onboard --from-audit', () => {
  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, seedForStatus('pending-enrollment', 'bob-pending'));
    await seedUser(iam, seedForStatus('protected', 'alice-protected'));
    await seedUser(iam, seedForStatus('unprotected', 'dave-unprotected'));
    await seedUser(iam, seedForStatus('unprotected-programmatic', 'erin-keys-only'));
    await seedUser(iam, seedForStatus('exempt', 'grace-exempt'));
    const audit = await runCli(['audit', '--format', 'json']);
    expect(audit.code, audit.stderr).toBe(0);
    writeFileSync(auditFile, audit.stdout);
  });

  it('writes "MFA is now required" only to the enforced user without a device, and says why for the others', async () => {
    const result = await runCli(['onboard', '--from-audit', auditFile, '--format', 'json', '--lang', 'en']);
    expect(result.code, result.stderr).toBe(0);
    const written = jsonOf<OnboardJson>(result);
    expect(written.messages.map((message) => `${message.userName}:${message.kind}`)).toEqual(['bob-pending:required']);
    expect(written.messages[0]?.intro).toContain('now requires multi-factor authentication');
    expect(Object.fromEntries(written.skipped.map((user) => [user.userName, user.reason]))).toEqual({
      'alice-protected': 'has-mfa',
      'dave-unprotected': 'status-not-picked',
      'erin-keys-only': 'status-not-picked',
      'grace-exempt': 'exempt',
    });
  });

  it('gives the unenforced console user a dated notice, never to the machine user or the exempt one', async () => {
    const result = await runCli([
      'onboard', '--from-audit', auditFile, '--format', 'json', '--lang', 'en',
      '--status', 'pending-enrollment,unprotected,unprotected-programmatic,exempt', '--notice-before', '2099-07-01',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const written = jsonOf<OnboardJson>(result);
    expect(written.messages.map((message) => `${message.userName}:${message.kind}`)).toEqual(['bob-pending:required', 'dave-unprotected:notice']);
    expect(written.messages[1]?.subject).toContain('From 2099-07-01: MFA will be required');
    expect(written.messages[1]?.intro).not.toContain('now requires');
    expect(written.skipped).toContainEqual(expect.objectContaining({ userName: 'erin-keys-only', reason: 'no-console-password' }));
    expect(written.skipped).toContainEqual(expect.objectContaining({ userName: 'grace-exempt', reason: 'exempt' }));
  });
});
