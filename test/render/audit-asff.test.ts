/** `audit --format asff`: ASFF findings that validate, one per user who needs one (unknown included), with stable ids. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readSnapshotFromDirectory } from '../../src/account/files/read-directory.js';
import { auditAccount } from '../../src/audit/audit.js';
import { en } from '../../src/audit/messages/en.js';
import { ja } from '../../src/audit/messages/ja.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { isForceMfaError } from '../../src/errors.js';
import { ASFF_COMPLIANT_STATUSES, asffObservedAt, asffProductArn, auditAsff, renderAuditAsff, type AsffFinding } from '../../src/render/audit-asff.js';
import { ACCOUNT_ID, CATALOGUE, aUser, anAccount, withStandardGroups } from '../account/builders.js';

const SCHEMA = JSON.parse(readFileSync(new URL('../fixtures/asff/asff-finding.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const compiled = new Ajv({ strict: false, allErrors: true }).compile(SCHEMA);
function schemaErrors(finding: unknown): string[] {
  return compiled(finding) ? [] : (compiled.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

const SAMPLE = join(import.meta.dirname, '../../examples/sample-account');
const LONG = 'x'.repeat(64);

function accountAt(now: string) {
  return auditAccount(
    withStandardGroups(anAccount())
      .withUsers(
        aUser('alice').withPassword().withMfa('virtual').inGroups('ForceMfaAccess'),
        aUser('bob').withPassword(),
        aUser('carol').withAccessKeys(),
        aUser('dave').withPassword().inGroups('ForceMfaAccess'),
        aUser('erin').withPassword().withMfa('virtual').inGroups('Admins'),
        aUser('ghost').withUnknown('mfa').withPassword().inGroups('ForceMfaAccess'),
        aUser('idle'),
        aUser('tagged').withPassword().withTag('force-mfa:exempt', 'true'),
        aUser(LONG).withPassword().withAccessKeys(2).inGroups('Admins', 'Readers', 'SeedForceMfa'),
      )
      .withAccountGap({ fact: 'root', cause: 'access-denied', detail: 'iam:GetCredentialReport' })
      .build(),
    { catalogue: CATALOGUE, evaluate, now: new Date(now) },
  );
}

const report = accountAt('2025-03-01T12:00:00.000Z');
const findings = auditAsff(report, en, { region: 'eu-west-1' });

describe('ASFF findings', () => {
  it('gives one finding per user not protected, exempt or without credentials: unknown users get one', () => {
    const userFindings = findings.filter((finding) => finding.GeneratorId === 'force-mfa/user-mfa');
    const expected = report.users.filter((user) => !ASFF_COMPLIANT_STATUSES.includes(user.status));
    expect(userFindings.map((finding) => finding.ProductFields['force-mfa/UserName'])).toEqual(expected.map((user) => user.userName));
    const statuses = Object.fromEntries(report.users.map((user) => [user.userName, user.status]));
    expect(statuses).toMatchObject({ alice: 'protected', idle: 'no-credentials', tagged: 'exempt', ghost: 'unknown', bob: 'unprotected' });
    const named = new Set(userFindings.map((finding) => finding.ProductFields['force-mfa/UserName']));
    expect(named.has('ghost')).toBe(true);
    for (const name of ['alice', 'idle', 'tagged']) expect(named.has(name), name).toBe(false);
    for (const finding of userFindings) {
      expect(finding.Resources[0]).toMatchObject({ Type: 'AwsIamUser', Partition: 'aws', Region: 'eu-west-1' });
      expect(finding.Compliance.Status).toBe('FAILED');
    }
    expect(userFindings.find((finding) => finding.ProductFields['force-mfa/UserName'] === 'ghost')?.Severity).toEqual({ Label: 'MEDIUM', Original: 'unknown' });
    expect(userFindings.find((finding) => finding.ProductFields['force-mfa/UserName'] === 'bob')?.Severity.Label).toBe('HIGH');
  });

  it('adds the account findings the audit computed, for the account resource', () => {
    const accountFindings = findings.filter((finding) => finding.GeneratorId.startsWith('force-mfa/account/'));
    expect(accountFindings.map((finding) => finding.ProductFields['force-mfa/Rule'])).toEqual(report.findings.map((finding) => finding.code));
    expect(accountFindings.length).toBeGreaterThan(0);
    for (const finding of accountFindings) expect(finding.Resources[0]).toEqual({ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT_ID}`, Partition: 'aws', Region: 'eu-west-1' });
  });

  it('binds every finding to the audited account and the hub region (custom integration product ARN)', () => {
    for (const finding of findings) {
      expect(finding.AwsAccountId).toBe(ACCOUNT_ID);
      expect(finding.ProductArn).toBe(`arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`);
      expect(finding.SchemaVersion).toBe('2018-10-08');
      expect(finding.RecordState).toBe('ACTIVE');
    }
    expect(asffProductArn('aws-cn', 'cn-north-1', '111122223333')).toBe('arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default');
  });

  it('keeps ids stable across runs and unique within one', () => {
    const later = auditAsff(accountAt('2025-03-01T12:30:00.000Z'), en, { region: 'eu-west-1' });
    expect(later.map((finding) => finding.Id)).toEqual(findings.map((finding) => finding.Id));
    expect(later[0]?.UpdatedAt).not.toBe(findings[0]?.UpdatedAt);
    expect(new Set(findings.map((finding) => finding.Id)).size).toBe(findings.length);
    const bob = report.users.find((user) => user.userName === 'bob');
    expect(findings.map((finding) => finding.Id)).toContain(`force-mfa/${ACCOUNT_ID}/user/${bob?.userId}/mfa`);
    // The language changes the texts, never the ids.
    expect(auditAsff(report, ja, { region: 'eu-west-1' }).map((finding) => finding.Id)).toEqual(findings.map((finding) => finding.Id));
  });

  it('validates against the schema written from the documented required attributes, in both languages', () => {
    const japanese = auditAsff(report, ja, { region: 'eu-west-1' });
    for (const finding of [...findings, ...japanese]) expect(schemaErrors(finding), finding.Id).toEqual([]);
    expect(japanese.find((finding) => finding.GeneratorId === 'force-mfa/user-mfa')?.Title).toMatch(/^IAM ユーザー /);
  });

  it('validates for the bundled sample account, whose every status and finding kind appears', async () => {
    const sample = auditAccount(await readSnapshotFromDirectory(SAMPLE, { now: new Date('2025-06-02T12:00:00Z') }), { catalogue: CATALOGUE, evaluate });
    const document = JSON.parse(renderAuditAsff(sample, en, { region: 'us-east-1' })) as { Findings: AsffFinding[] };
    expect(document.Findings.length).toBe(sample.users.filter((user) => !ASFF_COMPLIANT_STATUSES.includes(user.status)).length + sample.findings.length);
    for (const finding of document.Findings) expect(schemaErrors(finding), finding.Id).toEqual([]);
  });

  it('has a schema that rejects what Security Hub rejects', () => {
    const good = findings[0] as AsffFinding;
    const { Title: _title, ...untitled } = good;
    expect(schemaErrors(untitled)).not.toEqual([]);
    expect(schemaErrors({ ...good, Description: 'd'.repeat(1025) })).not.toEqual([]);
    expect(schemaErrors({ ...good, Severity: { Label: 'SEVERE' } })).not.toEqual([]);
    expect(schemaErrors({ ...good, AwsAccountId: '12345' })).not.toEqual([]);
    expect(schemaErrors({ ...good, Resources: [] })).not.toEqual([]);
    expect(schemaErrors({ ...good, CreatedAt: 'yesterday' })).not.toEqual([]);
  });

  it('refuses to label an account\'s findings with another account, and an audit without an account id', () => {
    const refused = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(isForceMfaError(error) && error.exitCode).toBe(2);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(() => auditAsff(report, en, { region: 'us-east-1', accountId: '999999999999' }))).toMatch(/describes account 123456789012/);
    const anonymous = { ...report, account: { ...report.account, id: null } };
    expect(refused(() => auditAsff(anonymous, en, { region: 'us-east-1' }))).toMatch(/no AWS account id/);
    const empty = { ...anonymous, users: [] };
    expect(auditAsff(empty, en, { region: 'us-east-1', accountId: '210987654321' })[0]?.AwsAccountId).toBe('210987654321');
    // A forged export mixing accounts: its users would be filed under the first user's account.
    const mixed = { ...report, users: report.users.map((user, index) => (index === 1 ? { ...user, arn: user.arn.replace(ACCOUNT_ID, '999999999999') } : user)) };
    expect(refused(() => auditAsff(mixed, en, { region: 'us-east-1' }))).toMatch(/not one of account 123456789012: the data mixes accounts/);
  });

  it('keeps ids short and plain for a user id not of IAM\'s form', () => {
    const forged = { ...report, users: report.users.map((user) => ({ ...user, userId: `${'../'.repeat(300)}x` })) };
    const ids = auditAsff(forged, en, { region: 'us-east-1' }).map((finding) => finding.Id);
    for (const id of ids) expect(id).toMatch(/^force-mfa\/123456789012\/(user\/arn-[0-9a-f]{32}\/mfa|account\/[\w/-]+)$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('asffObservedAt: when the findings were observed', () => {
  it('is the audit time for live data', () => {
    expect(asffObservedAt(report)).toBe(report.generatedAt);
  });

  it('is the time an export was taken, not the time it is audited: an old export cannot pass for a newer audit', async () => {
    const sample = auditAccount(await readSnapshotFromDirectory(SAMPLE, { now: new Date('2026-01-01T00:00:00Z') }), { catalogue: CATALOGUE, evaluate, now: new Date('2026-01-01T00:00:00Z') });
    expect(sample.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    // The sample's credential report says GeneratedTime 2025-06-02T09:00:00+00:00.
    expect(asffObservedAt(sample)).toBe('2025-06-02T09:00:00.000Z');
  });

  it('is unknown for an export that records no time', () => {
    const sources = [{ kind: 'authorization-details' as const, origin: 'file' as const, capturedAt: undefined, ageSeconds: null }];
    expect(asffObservedAt({ generatedAt: report.generatedAt, sources })).toBeUndefined();
  });
});
