/** `audit --format asff` and `audit --security-hub`: the region, the account binding, the import and its report lines. */
import type { AuditMessages } from '../../audit/messages/index.js';
import type { AuditReport } from '../../audit/types.js';
import type { SyncResult } from '../../rollout/security-hub-sync.js';
import type { AwsCredentials } from '../../org/assume-role.js';
import { environmentError, inputError } from '../../errors.js';
import { writeStderr } from '../output.js';

/** The region the SDK's chain settles on (--region, AWS_REGION, the profile); undefined when none is configured. */
export async function configuredRegion(): Promise<string | undefined> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  const probe = new STSClient({});
  try {
    const region = await probe.config.region();
    return region === '' ? undefined : region;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

/** The region findings go to: configured explicitly, or refused (exit 2), never a default one. */
export async function hubRegion(): Promise<string> {
  const region = await configuredRegion();
  if (region === undefined) {
    throw inputError('asff-region', 'ASFF findings name the Security Hub region they go to: give --region (or set AWS_REGION, or a region in the profile)');
  }
  return region;
}

/** `--format asff`: the findings as a BatchImportFindings body, for the audited account in the configured region. */
export async function renderAsffOutput(reports: readonly AuditReport[], messages: AuditMessages): Promise<string> {
  const [{ auditAsff, asffObservedAt }, region] = await Promise.all([import('../../render/audit-asff.js'), hubRegion()]);
  // An export's findings are dated by its data, as the import dates them (an undated one by the audit's time).
  const dated = (report: AuditReport): AuditReport => ({ ...report, generatedAt: asffObservedAt(report) ?? report.generatedAt });
  return `${JSON.stringify({ Findings: reports.flatMap((report) => auditAsff(dated(report), messages, { region })) }, null, 2)}\n`;
}

/** The account the credentials belong to (sts:GetCallerIdentity): findings go only into the account they describe. */
export async function callerAccount(credentials?: AwsCredentials, region?: string, signal?: AbortSignal): Promise<string> {
  const [{ STSClient, GetCallerIdentityCommand }, { HTTP_TIMEOUTS }] = await Promise.all([import('@aws-sdk/client-sts'), import('../../aws/http.js')]);
  const sts = new STSClient({ maxAttempts: 3, ...HTTP_TIMEOUTS, ...(region === undefined ? {} : { region }), ...(credentials === undefined ? {} : { credentials }) });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}), signal === undefined ? {} : { abortSignal: signal });
    if (identity.Account === undefined) throw new Error('no account in the answer');
    return identity.Account;
  } catch (error) {
    throw environmentError('security-hub-caller', `cannot tell which account the credentials are in (sts:GetCallerIdentity): ${error instanceof Error ? error.message : String(error)}`, error);
  } finally {
    sts.destroy();
  }
}

export interface ImportSettings {
  readonly credentials?: AwsCredentials;
  readonly region?: string;
  readonly signal?: AbortSignal;
  /** Progress lines on a terminal. */
  readonly onProgress?: (text: string) => void;
}

/**
 * Prepares the import of one account's audit into that account's hub: the findings are labelled with the audited
 * account and refused (exit 2) when the credentials are of another one, so an export never lands in an account it
 * does not describe. Nothing is written before `run`.
 */
export async function prepareSecurityHubImport(
  report: AuditReport,
  messages: AuditMessages,
  settings: ImportSettings = {},
): Promise<{ readonly run: () => Promise<SyncResult> }> {
  const [{ auditAsff, asffObservedAt, asffProductArn }, { createSecurityHubClient }, { syncSecurityHub }] = await Promise.all([
    import('../../render/audit-asff.js'),
    import('../../account/aws/security-hub.js'),
    import('../../rollout/security-hub-sync.js'),
  ]);
  // Read live, the data is the caller's account by construction; an export must name the account it describes.
  if (report.account.id === null && report.sources.some((source) => source.origin !== 'aws')) {
    throw inputError('security-hub-export-account', 'the exported data names no AWS account id (no user, group or root ARN): it cannot be bound to an account, so nothing is imported');
  }
  const region = settings.region ?? (await hubRegion());
  const accountId = await callerAccount(settings.credentials, region, settings.signal);
  auditAsff(report, messages, { region, accountId });
  // Dated by the data, not by this run: an old export must not overwrite or resolve what a newer audit wrote.
  const observedAt = asffObservedAt(report);
  if (observedAt === undefined) {
    throw inputError(
      'security-hub-export-time',
      'the export records no time it was taken (no credential report GeneratedTime): the hub cannot tell it from newer findings, so nothing is imported; export the credential report with it',
    );
  }
  const dated: AuditReport = { ...report, generatedAt: observedAt };
  const findings = auditAsff(dated, messages, { region, accountId });
  return {
    run: async () => {
      const client = createSecurityHubClient({ region, ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }) });
      try {
        return await syncSecurityHub(client, findings, {
          productArn: asffProductArn(report.account.partition, region, accountId),
          accountId,
          region,
          auditedAt: dated.generatedAt,
          resolvedNote: messages.asff.resolvedNote(dated.generatedAt),
          ...(settings.signal === undefined ? {} : { signal: settings.signal }),
          ...(settings.onProgress === undefined ? {} : { onProgress: settings.onProgress }),
        });
      } finally {
        client.destroy();
      }
    },
  };
}

/** Prepares and runs the import at once (the organization audit, account by account). */
export async function importAuditToSecurityHub(report: AuditReport, messages: AuditMessages, settings: ImportSettings = {}): Promise<SyncResult> {
  return (await prepareSecurityHubImport(report, messages, settings)).run();
}

/** The result line of an import, and one line per refused finding (at most 20, then a count). */
export function syncLines(result: SyncResult): string[] {
  const where = `Security Hub ${result.accountId} ${result.region}`;
  const parts = [
    `${result.imported} finding(s) imported (${result.created} new)`,
    `${result.resolved} resolved`,
    ...(result.reopened > 0 ? [`${result.reopened} active again`] : []),
    ...(result.newerInHub > 0 ? [`${result.newerInHub} left as a newer audit wrote them`] : []),
    ...(result.failed.length > 0 ? [`${result.failed.length} failed`] : []),
  ];
  const lines = [`force-mfa: ${where}: ${parts.join(', ')}`];
  for (const item of result.failed.slice(0, 20)) lines.push(`force-mfa: ${where}: not accepted: ${item.id} (${item.code}) ${item.message}`.trimEnd());
  if (result.failed.length > 20) lines.push(`force-mfa: ${where}: ${result.failed.length - 20} more not accepted`);
  return lines;
}

/** Prints the lines; any refused finding makes the command exit 3 (an AWS failure), whatever the audit found. */
export function reportSync(result: SyncResult): void {
  for (const line of syncLines(result)) writeStderr(line);
  if (result.failed.length > 0) process.exitCode = 3;
}

/** A rewritten progress line on a terminal, nothing elsewhere. */
export function terminalProgress(): { show: (text: string) => void; clear: () => void } | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  let shown = false;
  return {
    show: (text) => {
      process.stderr.write(`\r\u001b[2K${text}`);
      shown = true;
    },
    clear: () => {
      if (shown) process.stderr.write('\r\u001b[2K');
    },
  };
}
