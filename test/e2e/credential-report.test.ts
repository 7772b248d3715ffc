/**
 * The credential report of an AWS-compatible endpoint, parsed strictly: ordinary rows fit its header, and a user whose
 * path holds commas that imitate a row (commas are legal in IAM paths) lends no MFA device to the user it names,
 * whether the audit reads the endpoint or an export of it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenerateCredentialReportCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCredentialReport, type CredentialReport } from '../../src/account/credential-report.js';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli, scratchPath } from './support/cli.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

interface AuditJson {
  users: { userName: string; status: string; mfa: { enrolled: boolean | null } }[];
}

/** zed's path claims, in the report's own column order, that amy has a password and an MFA device. */
const FORGED_VALUES = '2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
const ZED_PATH = `/amy,${FORGED_VALUES},/`;

let report: CredentialReport;
let exportFolder: string;

beforeAll(async () => {
  const { iam } = awsClients();
  await seedGuardGroup(iam);
  await seedUser(iam, seedForStatus('pending-enrollment', 'amy'));
  await seedUser(iam, seedForStatus('protected', 'bea'));
  await seedUser(iam, seedForStatus('pending-enrollment', 'zed', ZED_PATH));
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await iam.send(new GenerateCredentialReportCommand({}))).State === 'COMPLETE') break;
  }
  const got = await iam.send(new GetCredentialReportCommand({}));
  const csv = Buffer.from(got.Content ?? new Uint8Array()).toString('utf8');
  report = parseCredentialReport(csv, got.GeneratedTime?.toISOString());

  // An export as `aws iam ... --output json` writes it, for `audit --from`.
  exportFolder = scratchPath('export');
  mkdirSync(exportFolder, { recursive: true });
  const details = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
  writeFileSync(join(exportFolder, 'authorization-details.json'), JSON.stringify(details));
  writeFileSync(
    join(exportFolder, 'credential-report.json'),
    JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: got.GeneratedTime?.toISOString() }),
  );
});

describe('the credential report of an AWS-compatible endpoint', () => {
  it('ordinary rows fit the header; zed\'s unquoted row (as moto writes it) is rejected, and no row gives amy a device', () => {
    expect(report.rows.map((row) => [row.user, row.mfaActive])).toEqual([
      ['amy', false],
      ['bea', true],
    ]);
    expect(report.rejected).toEqual([{ line: 4, reason: '43 values, the header has 22 columns', text: expect.stringMatching(/^zed,arn:aws:iam::\d{12}:user\/amy,/) as string }]);
  });

  it('audit live: amy is pending enrollment (no device), never protected', async () => {
    const result = await runCli(['audit', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const amy = jsonOf<AuditJson>(result).users.find((user) => user.userName === 'amy');
    expect(amy).toMatchObject({ status: 'pending-enrollment', mfa: { enrolled: false } });
  });

  it('audit --from an export: the rejected line names amy, so amy and zed are unknown, never enrolled', async () => {
    const result = await runCli(['audit', '--from', exportFolder, '--format', 'json']);
    expect(result.code).toBe(0);
    const users = jsonOf<AuditJson>(result).users;
    for (const name of ['amy', 'zed']) expect(users.find((user) => user.userName === name)).toMatchObject({ status: 'unknown', mfa: { enrolled: null } });
    expect(users.find((user) => user.userName === 'bea')?.status).toBe('protected');
  });
});
