/**
 * `audit --from DIR --security-hub` against moto: an export is dated by the time it was taken, so importing an old
 * export after a newer live audit neither overwrites nor resolves the newer findings; an export that records no time
 * is refused. --region and --profile choose the hub (they are not flags without effect there).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenerateCredentialReportCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { TEST_CREDENTIALS, TEST_REGION, runCli, scratchPath } from './support/cli.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

const OLD = '2025-01-01T00:00:00.000Z';

async function hubFindings(): Promise<AwsSecurityFinding[]> {
  const hub = new SecurityHubClient({ endpoint: inject('e2eEndpoint'), region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 2 });
  const page = await hub.send(new GetFindingsCommand({ MaxResults: 100 }));
  return page.Findings ?? [];
}
const userFinding = (findings: AwsSecurityFinding[], name: string) =>
  findings.find((finding) => finding.GeneratorId === 'force-mfa/user-mfa' && finding.ProductFields?.['force-mfa/UserName'] === name);

/** Writes the account as it is now into a folder, its credential report stamped `generatedTime` (or no time). */
async function exportAccount(name: string, generatedTime: string | undefined): Promise<string> {
  const { iam } = awsClients();
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await iam.send(new GenerateCredentialReportCommand({}))).State === 'COMPLETE') break;
  }
  const report = await iam.send(new GetCredentialReportCommand({}));
  const folder = scratchPath(name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'authorization-details.json'), JSON.stringify(await iam.send(new GetAccountAuthorizationDetailsCommand({}))));
  const content = Buffer.from(report.Content ?? new Uint8Array()).toString('base64');
  writeFileSync(join(folder, 'credential-report.json'), JSON.stringify({ Content: content, ReportFormat: 'text/csv', ...(generatedTime === undefined ? {} : { GeneratedTime: generatedTime }) }));
  return folder;
}

describe('audit --from --security-hub against moto', () => {
  let oldExport: string;
  let undated: string;

  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, seedForStatus('protected', 'alice-protected'));
    // Taken before dave existed, and dated so by its credential report.
    oldExport = await exportAccount('old-export', OLD);
    undated = await exportAccount('undated-export', undefined);
    await seedUser(iam, seedForStatus('unprotected', 'dave-unprotected'));
    const hub = new SecurityHubClient({ endpoint: inject('e2eEndpoint'), region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 2 });
    await hub.send(new EnableSecurityHubCommand({}));
  });

  it('an old export imported after a newer live audit leaves the newer findings as they are', async () => {
    const live = await runCli(['audit', '--security-hub']);
    expect(live.code, live.stderr).toBe(0);
    const before = userFinding(await hubFindings(), 'dave-unprotected');
    expect(before?.RecordState).toBe('ACTIVE');

    const imported = await runCli(['audit', '--from', oldExport, '--security-hub', '--region', TEST_REGION]);
    expect(imported.stderr).not.toMatch(/has no effect/);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/0 resolved, \d+ left as a newer audit wrote them/);
    const after = userFinding(await hubFindings(), 'dave-unprotected');
    expect(after?.RecordState).toBe('ACTIVE');
    expect(after?.Workflow?.Status).toBe('NEW');
    expect(after?.UpdatedAt).toBe(before?.UpdatedAt);
  });

  it('refuses an export that records no time, with one line and exit 2, and writes nothing', async () => {
    const before = await hubFindings();
    const result = await runCli(['audit', '--from', undated, '--security-hub', '--region', TEST_REGION]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^force-mfa: the export records no time it was taken/)]);
    expect(await hubFindings()).toEqual(before);
  });
});
