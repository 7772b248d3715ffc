/** `audit --org`: the options the audit command gains for an AWS Organization, and the action it runs with them. */
import { Option, type Command } from 'commander';
import type { AuditMessages } from '../../audit/messages/index.js';
import type { AccountAuditor, AccountAuditTarget } from '../../org/audit-org.js';
import type { AuditReport } from '../../audit/types.js';
import type { OrgAuditReport } from '../../org/report.js';
import { environmentError, inputError } from '../../errors.js';
import { commaList } from '../lists.js';
import { emit, useColor, writeStderr } from '../output.js';

export type OrgAuditFormat = 'table' | 'json' | 'csv' | 'markdown' | 'html' | 'asff';

/** The audit command's flags that matter to an organization audit. */
export interface OrgAuditFlags {
  org?: boolean;
  roleName?: string;
  externalId?: string;
  accounts?: string[];
  ou?: string[];
  accountTimeout?: string;
  /** With --org: accounts audited at once. */
  concurrency?: string;
  format?: OrgAuditFormat;
  json?: boolean;
  output?: string;
  failOn?: string;
  exempt?: string[];
  allowWithoutMfa?: string[];
  lang?: 'en' | 'ja';
  requireHardware?: boolean;
  guardGroup?: string;
  reportMaxAge?: string;
  /** Import each account's findings into that account's Security Hub. */
  securityHub?: boolean;
}

/** Per-user IAM calls in flight inside one account while several accounts run at once. */
export const PER_ACCOUNT_USER_CONCURRENCY = 4;

/** Adds --org and its options to the audit command (call it in the command's option chain). */
export function addOrgAuditOptions(command: Command): Command {
  return command
    .addOption(new Option('--org', 'audit every ACTIVE account of the AWS Organization (run from the management account or a delegated administrator)').conflicts(['from', 'sample']))
    .option('--role-name <name>', 'with --org: the role to assume in each member account', 'OrganizationAccountAccessRole')
    .option('--external-id <id>', 'with --org: the external id the role requires')
    .option('--accounts <ids>', 'with --org: only these account ids (comma-separated)', commaList)
    .option('--ou <ids>', 'with --org: only the accounts of these OUs (ou-…, or a root r-…) and of the OUs below them (comma-separated)', commaList)
    .option('--account-timeout <seconds>', 'with --org: the time limit of one account; it is then reported as failed', '300')
    .addHelpText(
      'after',
      `
Organization (--org): lists the organization's ACTIVE accounts, assumes --role-name in each (none in the caller's
own account), audits --concurrency accounts at once (default 8 with --org), retries throttled accounts, and keeps
going when one fails: that account is reported with the reason and its users are unknown. The caller needs
organizations:ListAccounts, organizations:DescribeOrganization (and ListAccountsForParent,
ListOrganizationalUnitsForParent with --ou), iam:ListOrganizationsFeatures (centralized root access; denied, it is
reported unknown) and sts:AssumeRole on the role; the role needs the audit's IAM reads, GetAccountSummary among
them (each member account's root user: MFA, password, access keys, or unknown with the reason).
JSON gains accounts[] and users[].accountId; HTML gains an account view. Service control policies never apply to
the management account: its users depend on the guard group alone.

  force-mfa audit --org --format html --output org-audit.html
  force-mfa audit --org --ou ou-ab12-34cd56ef --role-name ForceMfaAudit --external-id "$EXT_ID" --json
  force-mfa audit --org --accounts 111111111111,222222222222 --fail-on unprotected,unknown
  force-mfa audit --org --security-hub --region eu-west-1   # each account's findings into its own Security Hub`,
    );
}

function positiveInteger(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw inputError('org-number', `${flag} must be a whole number of at least 1, not '${text}'`);
  return value;
}

/** Called with each account's report, with the credentials it was audited with (Security Hub import, ASFF output). */
export type AfterAccountAudit = (target: AccountAuditTarget, report: AuditReport, signal: AbortSignal) => Promise<void>;

/** Runs the organization audit with the default credential chain; progress per account on a terminal. */
export async function runOrgAudit(flags: OrgAuditFlags, afterAccountAudit?: AfterAccountAudit): Promise<OrgAuditReport> {
  const concurrency = positiveInteger(flags.concurrency, 8, '--concurrency');
  const timeoutSeconds = positiveInteger(flags.accountTimeout, 300, '--account-timeout');
  const reportMaxAgeHours = flags.reportMaxAge === undefined ? 1 : Number(flags.reportMaxAge);
  if (!Number.isFinite(reportMaxAgeHours) || reportMaxAgeHours <= 0) {
    throw inputError('org-number', `--report-max-age must be a positive number, not '${String(flags.reportMaxAge)}'`);
  }
  const [{ OrganizationsClient }, { STSClient, GetCallerIdentityCommand }, { IAMClient }, { collectAccountSnapshot }, { auditAccount }, { auditOrganization }, { progressLine }, { loadCatalogue }, { validateAllowWithoutMfa }, { HTTP_TIMEOUTS }] =
    await Promise.all([
      import('@aws-sdk/client-organizations'),
      import('@aws-sdk/client-sts'),
      import('@aws-sdk/client-iam'),
      import('../../account/aws/collect.js'),
      import('../../audit/audit.js'),
      import('../../org/audit-org.js'),
      import('../../org/report.js'),
      import('../../engine/catalogue.js'),
      import('../../audit/exhaustive.js'),
      import('../../aws/http.js'),
    ]);
  // One catalogue and one allowlist for every account: checked once, before any account is audited.
  const catalogue = await loadCatalogue();
  const allowWithoutMfa = validateAllowWithoutMfa(flags.allowWithoutMfa ?? [], catalogue);
  const region = await configuredRegion();
  // The listing retries each Organizations call itself (withRetries) and the runner retries each account: the SDK
  // adds none to the first and few to the second, so that attempts do not multiply.
  const sts = new STSClient({ maxAttempts: 3, retryMode: 'adaptive', ...HTTP_TIMEOUTS, region });
  const organizations = new OrganizationsClient({ maxAttempts: 1, ...HTTP_TIMEOUTS, region });
  const exemptUsers = flags.exempt ?? [];
  const guardGroupName = flags.guardGroup ?? 'ForceMfaAccess';
  const requireHardware = flags.requireHardware === true;
  try {
    const caller = await sts.send(new GetCallerIdentityCommand({})).catch((error: unknown) => {
      throw environmentError('org-caller', `cannot tell who is calling (sts:GetCallerIdentity): ${error instanceof Error ? error.message : String(error)}`, error);
    });
    const auditor: AccountAuditor = async (target, signal) => {
      // One attempt per send: collectAccountSnapshot retries its reads behind its own pacer.
      const iam = new IAMClient({ maxAttempts: 1, ...HTTP_TIMEOUTS, region, ...(target.credentials === undefined ? {} : { credentials: target.credentials }) });
      try {
        const abortable = { send: ((command: never) => iam.send(command, { abortSignal: signal })) as unknown as typeof iam.send };
        const snapshot = await collectAccountSnapshot(abortable, {
          concurrency: PER_ACCOUNT_USER_CONCURRENCY,
          reportMaxAgeHours,
          needMfaKinds: requireHardware,
        });
        const report = auditAccount(snapshot, { catalogue, allowWithoutMfa, exemptUsers, guardGroupName, requireHardware, reportMaxAgeHours, now: new Date() });
        await afterAccountAudit?.(target, report, signal);
        return report;
      } finally {
        iam.destroy();
      }
    };
    const tty = process.stderr.isTTY === true;
    return await auditOrganization(
      {
        organizations,
        sts,
        callerAccountId: caller.Account,
        auditAccount: auditor,
        centralizedRootAccess: async () => {
          const { readCentralizedRootAccess } = await import('../../org/root-access.js');
          const iam = new IAMClient({ maxAttempts: 3, ...HTTP_TIMEOUTS, region });
          try {
            return await readCentralizedRootAccess(iam);
          } finally {
            iam.destroy();
          }
        },
      },
      {
        ...(flags.accounts === undefined ? {} : { accountIds: flags.accounts }),
        ...(flags.ou === undefined ? {} : { organizationalUnitIds: flags.ou }),
        ...(flags.roleName === undefined ? {} : { roleName: flags.roleName }),
        externalId: flags.externalId,
        concurrency,
        timeoutSeconds,
        auditOptions: { guardGroupName, exemptUsers: [...new Set(exemptUsers)].sort(), requireHardware, allowWithoutMfa },
        ...(tty
          ? {
              onListed: (accounts) => writeStderr(`auditing ${accounts.length} account(s), ${Math.min(concurrency, accounts.length)} at a time`),
              onProgress: (outcome, done, total) => writeStderr(progressLine(outcome, done, total)),
            }
          : {}),
      },
    );
  } finally {
    sts.destroy();
    organizations.destroy();
  }
}

/** Every audit format for an organization: JSON and HTML gain the accounts, CSV an account column. */
export async function renderOrgAudit(report: OrgAuditReport, format: Exclude<OrgAuditFormat, 'asff'>, options: { messages: AuditMessages; color?: boolean }): Promise<string> {
  const { renderAudit } = await import('../../render/audit-format.js');
  if (format === 'json') {
    const { renderOrgAuditJson } = await import('../../org/render/org-json.js');
    return renderOrgAuditJson(report, options.messages);
  }
  if (format === 'html') {
    const [{ renderOrgAccountsHtml }, { renderAuditHtml }] = await Promise.all([
      import('../../org/render/org-html.js'),
      import('../../render/audit-html.js'),
    ]);
    return renderAuditHtml(report, options.messages, { accountView: renderOrgAccountsHtml(report, options.messages) });
  }
  if (format === 'csv') {
    const { renderOrgAuditCsv } = await import('../../org/render/org-csv.js');
    return renderOrgAuditCsv(report, options.messages);
  }
  const { orgRootLines } = await import('../../org/render/org-root.js');
  const [title, ...roots] = orgRootLines(report, options.messages.language);
  const rootSection = format === 'markdown' ? `\n## ${title ?? ''}\n\n${roots.map((line) => `- ${line.replace(/[\\`*_[\]<>|]/g, '\\$&')}`).join('\n')}\n` : `\n${title ?? ''}\n${roots.map((line) => `  ${line}`).join('\n')}\n`;
  return `${renderAudit(report, format, options).trimEnd()}\n${rootSection}`;
}

/** The whole `audit --org` action: run, render, emit, and set the exit code (see the help text). */
export async function orgAuditAction(flags: OrgAuditFlags, failOn: readonly string[]): Promise<OrgAuditReport> {
  const { auditMessages } = await import('../../audit/messages/index.js');
  const messages = auditMessages(flags.lang ?? 'en');
  const format = flags.json === true ? 'json' : (flags.format ?? 'table');
  const hub = flags.securityHub === true || format === 'asff' ? await import('./audit-security-hub.js') : undefined;
  // Checked before any account is audited: findings name the hub's region, never a default one.
  const region = hub === undefined ? undefined : await hub.hubRegion();
  const reports = new Map<string, AuditReport>();
  const imports = new Map<string, { ok: true; result: import('../../rollout/security-hub-sync.js').SyncResult } | { ok: false; reason: string }>();
  const after: AfterAccountAudit | undefined =
    hub === undefined
      ? undefined
      : async (target, report, signal) => {
          reports.set(target.account.id, report);
          if (flags.securityHub !== true) return;
          try {
            const result = await hub.importAuditToSecurityHub(report, messages, {
              region: region as string,
              signal,
              ...(target.credentials === undefined ? {} : { credentials: target.credentials }),
            });
            imports.set(target.account.id, { ok: true, result });
          } catch (error) {
            // One account's hub failing never stops the others; it is reported below.
            const { failureReason } = await import('../../org/runner.js');
            imports.set(target.account.id, { ok: false, reason: failureReason(error) });
          }
        };
  const report = await runOrgAudit(flags, after);
  if (format === 'asff') {
    const audited = report.accounts.flatMap((account) => {
      const one = account.status === 'ok' ? reports.get(account.id) : undefined;
      return one === undefined ? [] : [one];
    });
    emit(await (hub as typeof import('./audit-security-hub.js')).renderAsffOutput(audited, messages), flags.output);
  } else {
    emit(await renderOrgAudit(report, format, { messages, color: flags.output === undefined && useColor() }), flags.output);
  }
  let importFailed = false;
  if (flags.securityHub === true) {
    for (const account of report.accounts) {
      if (account.status !== 'ok') {
        // Its hub keeps what an earlier run wrote: never a silent skip of an account the import was asked for.
        writeStderr(`force-mfa: Security Hub ${account.id}: not imported: the account could not be audited (${account.reason ?? 'unknown reason'})`);
        importFailed = true;
        continue;
      }
      const outcome = imports.get(account.id);
      if (outcome === undefined || !outcome.ok) {
        writeStderr(`force-mfa: Security Hub ${account.id}: not imported: ${outcome === undefined ? 'the account\'s audit did not finish' : outcome.reason}`);
        importFailed = true;
        continue;
      }
      for (const line of (hub as typeof import('./audit-security-hub.js')).syncLines(outcome.result)) writeStderr(line);
      if (outcome.result.failed.length > 0) importFailed = true;
    }
  }
  const org = report.organization;
  if (org.accountsFailed > 0) {
    const failed = report.accounts.filter((account) => account.status === 'failed');
    writeStderr(`force-mfa: ${failed.length} of ${org.accounts} account(s) not audited, their users are unknown: ${failed.map((account) => account.id).join(', ')}`);
  }
  if ((org.accounts > 0 && org.accountsOk === 0) || importFailed) {
    process.exitCode = 3;
    return report;
  }
  const failing = failOn.filter((status) => report.summary.byStatus[status as keyof typeof report.summary.byStatus] > 0);
  if (failing.length > 0 || (failOn.includes('unknown') && org.accountsFailed > 0)) {
    const counts = failing.map((status) => `${report.summary.byStatus[status as keyof typeof report.summary.byStatus]} ${status}`);
    if (failOn.includes('unknown') && org.accountsFailed > 0) counts.push(`${org.accountsFailed} account(s) with unknown users`);
    writeStderr(`force-mfa: ${counts.join(', ')} (--fail-on ${failOn.join(',')})`);
    process.exitCode = 1;
  }
  return report;
}

/** IAM, STS and Organizations are global; without any configured region, us-east-1 (the aws partition's home). */
async function configuredRegion(): Promise<string> {
  const { configuredRegion: settled } = await import('./audit-security-hub.js');
  return (await settled()) ?? 'us-east-1';
}
