import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotFromDirectory } from '../../src/account/files/read-directory.js';
import { auditAccount } from '../../src/audit/audit.js';
import { USER_STATUSES, type UserStatus } from '../../src/audit/types.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { USERS, sampleFiles } from '../../examples/sample-account/generate.js';
import { CATALOGUE } from '../account/builders.js';

const SAMPLE = join(import.meta.dirname, '../../examples/sample-account');
const NOW = new Date('2025-06-02T12:00:00Z');

/** The status each sample user demonstrates is the first words of its `shows` text (its README line). */
function expectedStatus(shows: string): UserStatus {
  const words = shows.split(/[:;]/)[0]?.trim() ?? '';
  const byLabel: Record<string, UserStatus> = {
    protected: 'protected',
    'protected administrator': 'protected',
    'pending enrollment': 'pending-enrollment',
    'pending enrollment under the seed guard': 'pending-enrollment',
    'enrolled, not enforced': 'enrolled-not-enforced',
    unprotected: 'unprotected',
    'unprotected administrator': 'unprotected',
    'unprotected (access keys)': 'unprotected-programmatic',
    'exempt by tag': 'exempt',
    'exempt by tag (value True)': 'exempt',
    'no credentials': 'no-credentials',
    unknown: 'unknown',
  };
  const status = byLabel[words];
  if (status === undefined) throw new Error(`no status for "${words}"`);
  return status;
}

describe('the bundled sample account', async () => {
  const report = auditAccount(await readSnapshotFromDirectory(SAMPLE, { now: NOW }), { catalogue: CATALOGUE, evaluate });

  it('is what the generator writes (regenerate and commit when this fails)', () => {
    for (const [path, content] of sampleFiles()) expect(readFileSync(join(SAMPLE, path), 'utf8'), path).toBe(content);
  });

  it('has 20 to 50 users and every status at least once', () => {
    expect(report.users.length).toBeGreaterThanOrEqual(20);
    expect(report.users.length).toBeLessThanOrEqual(50);
    for (const status of USER_STATUSES) expect(report.summary.byStatus[status], status).toBeGreaterThan(0);
  });

  it.each(USERS.map((user) => [user.name, user.shows] as const))('%s: %s', (name, shows) => {
    const user = report.users.find((candidate) => candidate.userName === name);
    expect(user?.status).toBe(expectedStatus(shows));
  });

  it('shows the account findings its README promises', () => {
    const codes = report.findings.map((finding) => finding.code);
    expect(codes).toEqual(expect.arrayContaining(['root-without-mfa', 'admin-without-mfa', 'admin-not-enforced', 'virtual-mfa-only', 'sms-mfa']));
    expect(report.findings.find((finding) => finding.code === 'admin-without-mfa')?.users).toEqual(['breakglass', 'peggy']);
    expect(report.account).toMatchObject({ id: '111122223333', alias: 'example-corp' });
  });

  it('tells a Bool guard apart from BoolIfExists', () => {
    const mallory = report.users.find((user) => user.userName === 'mallory');
    expect(mallory?.enforcement).toEqual({ 'console-no-mfa': 'denied', 'access-keys': 'not-denied' });
    expect(mallory?.reasons.map((reason) => reason.code)).toContain('guard-console-only');
    const dave = report.users.find((user) => user.userName === 'dave');
    expect(dave?.reasons.find((reason) => reason.code === 'mfa-enforced')?.params).toEqual({ policies: ['group:ForceMfaAccessSeed/ForceMfaAccess'] });
  });
});
