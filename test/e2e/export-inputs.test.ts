/**
 * `audit --from` on an export of an AWS-compatible endpoint, as the built CLI reads it: the age of each input comes
 * from the data, and a folder without a credential report is refused unless --no-credential-report says so.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenerateCredentialReportCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli, scratchPath } from './support/cli.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

interface AuditJson {
  sources: { kind: string; capturedAt: string | null; ageSeconds: number | null; capturedAtUnknown: string | null }[];
  findings: { code: string; users: string[] }[];
  users: { userName: string; status: string; nextStep: { code: string; message: string } }[];
}

let withReport: string;
let withoutReport: string;
let generatedAt: string;

beforeAll(async () => {
  const { iam } = awsClients();
  await seedGuardGroup(iam);
  await seedUser(iam, seedForStatus('protected', 'bea'));
  await seedUser(iam, seedForStatus('unprotected', 'rob'));
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await iam.send(new GenerateCredentialReportCommand({}))).State === 'COMPLETE') break;
  }
  const report = await iam.send(new GetCredentialReportCommand({}));
  generatedAt = report.GeneratedTime?.toISOString() ?? '';
  const details = JSON.stringify(await iam.send(new GetAccountAuthorizationDetailsCommand({})));
  withReport = scratchPath('with-report');
  withoutReport = scratchPath('without-report');
  for (const folder of [withReport, withoutReport]) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'authorization-details.json'), details);
    // A modification time far from any real one: it must show up nowhere.
    utimesSync(join(folder, 'authorization-details.json'), new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
  }
  writeFileSync(
    join(withReport, 'credential-report.json'),
    JSON.stringify({ Content: Buffer.from(report.Content ?? new Uint8Array()).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: generatedAt }),
  );
});

describe('audit --from an export', () => {
  it('takes the report age from GeneratedTime and gives the authorization details no invented age', async () => {
    const result = await runCli(['audit', '--from', withReport, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sources = jsonOf<AuditJson>(result).sources;
    expect(sources.find((source) => source.kind === 'credential-report')).toMatchObject({ capturedAt: generatedAt, capturedAtUnknown: null });
    expect(sources.find((source) => source.kind === 'authorization-details')).toMatchObject({ capturedAt: null, ageSeconds: null, capturedAtUnknown: 'not-recorded' });
    expect(result.stdout).not.toContain('2001-02-03');
  });

  it('without a credential report: exit 2, one line with the commands that write it, no stack', async () => {
    const result = await runCli(['audit', '--from', withoutReport]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `force-mfa: ${join(withoutReport, 'credential-report.json')} does not exist: write it with \`aws iam generate-credential-report\` (repeat until "State": "COMPLETE"), then \`aws iam get-credential-report --output json > ${join(withoutReport, 'credential-report.json')}\`; or, if it is left out on purpose, add --no-credential-report`,
    ]);
  });

  it('with --no-credential-report: the users are unknown with the command, and a finding says the report was left out', async () => {
    const result = await runCli(['audit', '--from', withoutReport, '--no-credential-report', '--format', 'json', '--fail-on', 'unknown']);
    expect(result.code).toBe(1);
    const report = jsonOf<AuditJson>(result);
    for (const name of ['bea', 'rob']) {
      expect(report.users.find((user) => user.userName === name)).toMatchObject({ status: 'unknown', nextStep: { code: 'write-credential-report' } });
    }
    expect(report.findings.find((finding) => finding.code === 'credential-report-omitted')?.users).toEqual(['bea', 'rob']);
    expect(report.sources.map((source) => source.kind)).not.toContain('credential-report');
  });
});
