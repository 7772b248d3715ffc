/** `force-mfa audit`: for every IAM user, is MFA enforced and enrolled, why, and what to do next. */
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { EXPORT_COMMANDS } from '../../account/files/layout.js';
import { USER_STATUSES as STATUSES, type UserStatus as Status } from '../../audit/types.js';
import { inputError, isForceMfaError } from '../../errors.js';
import { addEvidenceOptions, EVIDENCE_HELP, loadConsoleLoginEvidence, parseEvidenceFlags, type EvidenceFlags } from '../evidence-options.js';
import { commaList } from '../lists.js';
import { emit, useColor, writeStderr } from '../output.js';
import { addOrgAuditOptions, type OrgAuditFlags } from './org-audit.js';
import { declareFlagRules } from '../flag-rules.js';
import { AUDIT_FLAG_RULES } from './audit-flags.js';

const FORMATS = ['table', 'json', 'csv', 'markdown', 'html', 'asff'] as const;

interface AuditFlags extends OrgAuditFlags, EvidenceFlags {
  from?: string;
  sample?: boolean;
  format: (typeof FORMATS)[number];
  json?: boolean;
  output?: string;
  failOn?: string;
  exempt: string[];
  allowWithoutMfa: string[];
  lang: 'en' | 'ja';
  requireHardware?: boolean;
  guardGroup: string;
  concurrency: string;
  reportMaxAge: string;
  /** false with --no-credential-report. */
  credentialReport: boolean;
  securityHub?: boolean;
}

/** The bundled sample, next to dist/ in the package and next to src/ in the repository. */
export function sampleAccountPath(): string {
  return fileURLToPath(new URL('../../../examples/sample-account/', import.meta.url));
}

export function registerAudit(program: Command): void {
  const command = program
    .command('audit')
    .description('say for every IAM user whether MFA is enforced and enrolled, why, and what to do next')
    .addOption(new Option('--from <dir>', 'audit offline from files exported with the AWS CLI (see below)').conflicts('sample'))
    .addOption(new Option('--sample', 'audit the bundled sample account (no AWS access needed)').conflicts('from'))
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('--fail-on <statuses>', `exit with code 1 when a user has one of these statuses (comma-separated: ${STATUSES.join(', ')})`)
    .option('--exempt <users>', 'treat these users as exempt (comma-separated; repeatable)', commaList, [])
    .option(
      '--allow-without-mfa <actions>',
      'actions you accept without MFA besides MFA setup (comma-separated, wildcards in the action: dynamodb:Describe*; repeatable)',
      commaList,
      [],
    )
    .addOption(new Option('--lang <lang>', 'language of the report').choices(['en', 'ja']).default('en'))
    .option('--require-hardware', 'hardware or FIDO keys are wanted: virtual-only users become a warning (device kinds read live)')
    .option('--guard-group <name>', 'the guard group the next steps name', 'ForceMfaAccess')
    .option('--concurrency <n>', 'AWS calls in flight at once: per-user checks in a live audit; accounts at once with --org', '8')
    .option('--report-max-age <hours>', 'a credential report older than this is stale; live audits then check MFA per user', '1')
    .option('--no-credential-report', 'with --from: the folder has no credential report, on purpose (passwords, access keys and MFA are then unknown)')
    .addOption(
      new Option('--security-hub', "import the findings into AWS Security Hub of the audited account (the caller's), in the region of --region; see docs/security-hub.md").conflicts('sample'),
    );
  declareFlagRules(command, AUDIT_FLAG_RULES);
  addOrgAuditOptions(addEvidenceOptions(command))
    .addHelpText(
      'after',
      `
Data: live from AWS by default (the standard credential chain; AWS_PROFILE, AWS_REGION and AWS_ENDPOINT_URL are
honoured). Needs iam:GetAccountAuthorizationDetails, iam:GenerateCredentialReport, iam:GetCredentialReport,
iam:ListMFADevices, iam:ListVirtualMFADevices, iam:GetAccountSummary, iam:GetLoginProfile, iam:ListAccessKeys,
iam:ListAccountAliases (e.g. the SecurityAudit policy). Denied reads are reported unknown, never as compliant.
The report includes the root user's MFA (GetAccountSummary, the report's root row) and the virtual MFA devices
assigned to no one (abandoned enrollments; delete them with force-mfa devices cleanup).

Offline (--from DIR), export with the AWS CLI:
${EXPORT_COMMANDS.map((command) => `  ${command}`).join('\n')}
A folder without credential-report.json (or the console's credential-report.csv) is refused (exit 2) unless
--no-credential-report says it is left out on purpose; users whose state needs it are then unknown. The age of each
input is taken from the data (the report's GeneratedTime), never from file times: the authorization details and
list-mfa-devices outputs record no time, so their age is shown as unknown.

Statuses: protected, pending-enrollment (enforced, not enrolled), enrolled-not-enforced, unprotected (password, no
MFA, not enforced), unprotected-programmatic (access keys only), no-credentials, exempt (--exempt or the tag
force-mfa:exempt = true), unknown (data missing: never counted as compliant). JSON shape: docs/audit-json.md.

Enforced means: requests without MFA are explicitly denied (lifted with MFA) and, over every AWS action, nothing
works without MFA but MFA setup (password change, device enrollment) and the actions of --allow-without-mfa.
A deny counts only if it holds for every value of the keys a caller or request supplies (aws:UserAgent, aws:SourceIp,
tags, ...): see docs/guarantees.md.

${EVIDENCE_HELP}

AWS Security Hub: --format asff writes ASFF findings (one per user not protected, exempt or without credentials,
plus the account findings; stable ids); --security-hub imports them into the hub of the audited account in the
region of --region (batches of 100), resolves the ones no longer produced and reports refused ones (exit 3). An
export of another account is refused. Needs securityhub:GetFindings, BatchImportFindings, BatchUpdateFindings and
sts:GetCallerIdentity. See docs/security-hub.md.

Examples:
  force-mfa audit --sample
  force-mfa audit --sample --format html --lang ja --output audit.html
  force-mfa audit --from ./export --format csv --output users.csv
  force-mfa audit --fail-on unprotected,unprotected-programmatic,unknown     # a CI gate
  force-mfa audit --allow-without-mfa 'sts:GetCallerIdentity,dynamodb:Describe*'
  force-mfa audit --evidence-days 30                  # plus CloudTrail: console sign-ins without MFA
  force-mfa audit --sample --evidence-days 30         # the sample's cloudtrail-console-logins.json
  force-mfa audit --security-hub --region eu-west-1                        # import into AWS Security Hub
  AWS_ENDPOINT_URL=http://localhost:4566 force-mfa audit --json`,
    )
    .action(async (flags: AuditFlags) => {
      const failOn = parseStatuses(flags.failOn);
      if (!flags.credentialReport && flags.from === undefined) {
        throw inputError('audit-no-credential-report', '--no-credential-report applies to --from only: a live audit and --sample read the credential report themselves');
      }
      const evidenceSettings = parseEvidenceFlags(flags, { offline: flags.from !== undefined || flags.sample === true, org: flags.org === true });
      if (flags.org === true) {
        const { orgAuditAction } = await import('./org-audit.js');
        await orgAuditAction(flags, failOn);
        return;
      }
      const format = flags.json === true ? 'json' : flags.format;
      const concurrency = positiveNumber(flags.concurrency, '--concurrency');
      const reportMaxAgeHours = positiveNumber(flags.reportMaxAge, '--report-max-age');
      const now = new Date();
      const snapshot = await loadSnapshot(flags, { now, concurrency, reportMaxAgeHours });
      const consoleLogins = evidenceSettings === undefined ? undefined : await loadEvidence(flags, evidenceSettings, snapshot, now);

      const [{ auditAccount }, { loadCatalogue }, { auditMessages }, { renderAudit }] = await Promise.all([
        import('../../audit/audit.js'),
        import('../../engine/catalogue.js'),
        import('../../audit/messages/index.js'),
        import('../../render/audit-format.js'),
      ]);
      // The audit's own evaluator quantifies over the keys a request does not fix (docs/guarantees.md).
      const report = auditAccount(snapshot, {
        catalogue: await loadCatalogue(),
        allowWithoutMfa: flags.allowWithoutMfa,
        exemptUsers: flags.exempt,
        guardGroupName: flags.guardGroup,
        requireHardware: flags.requireHardware === true,
        reportMaxAgeHours,
        now,
        ...(consoleLogins === undefined ? {} : { consoleLogins }),
      });
      const messages = auditMessages(flags.lang);
      // Bound to the caller's account before anything is written: a mismatch is refused with one line.
      const hub = flags.securityHub === true ? await import('./audit-security-hub.js') : undefined;
      const progress = hub?.terminalProgress();
      const importing = await hub?.prepareSecurityHubImport(report, messages, progress === undefined ? {} : { onProgress: progress.show });
      if (format === 'asff') {
        const { renderAsffOutput } = await import('./audit-security-hub.js');
        emit(await renderAsffOutput([report], messages), flags.output);
      } else {
        emit(renderAudit(report, format, { messages, color: flags.output === undefined && useColor() }), flags.output);
      }
      if (hub !== undefined && importing !== undefined) {
        try {
          hub.reportSync(await importing.run());
        } finally {
          progress?.clear();
        }
      }

      const failing = report.users.filter((user) => failOn.includes(user.status));
      if (failing.length > 0) {
        const counts = failOn.filter((status) => report.summary.byStatus[status] > 0).map((status) => `${report.summary.byStatus[status]} ${status}`);
        writeStderr(`force-mfa: ${counts.join(', ')} (--fail-on ${failOn.join(',')})`);
        // A failed Security Hub import (3) outranks the findings (1).
        if (process.exitCode !== 3) process.exitCode = 1;
      }
    });
}

async function loadSnapshot(flags: AuditFlags, settings: { now: Date; concurrency: number; reportMaxAgeHours: number }) {
  if (flags.sample === true || flags.from !== undefined) {
    const { readSnapshotFromDirectory } = await import('../../account/files/read-directory.js');
    const directory = flags.sample === true ? sampleAccountPath() : (flags.from as string);
    try {
      return await readSnapshotFromDirectory(directory, { now: settings.now, omitCredentialReport: !flags.credentialReport });
    } catch (error) {
      // The library speaks of the report; the command adds the flag that says it is left out on purpose.
      if (isForceMfaError(error) && error.code === 'credential-report-missing') {
        throw inputError(error.code, `${error.message}; or, if it is left out on purpose, add --no-credential-report`, error);
      }
      if (isForceMfaError(error) && error.code === 'credential-report-not-omitted') {
        throw inputError(error.code, `--no-credential-report: ${error.message}`, error);
      }
      throw error;
    }
  }
  const { collectAccountSnapshot, createIamClient } = await import('../../account/aws/collect.js');
  const progress = process.stderr.isTTY === true ? new ProgressLine() : undefined;
  try {
    return await collectAccountSnapshot(createIamClient(), {
      concurrency: settings.concurrency,
      reportMaxAgeHours: settings.reportMaxAgeHours,
      needMfaKinds: flags.requireHardware === true,
      now: () => new Date(),
      ...(progress === undefined ? {} : { onProgress: (event) => progress.show(event) }),
    });
  } finally {
    progress?.clear();
  }
}

async function loadEvidence(flags: AuditFlags, settings: NonNullable<ReturnType<typeof parseEvidenceFlags>>, snapshot: Parameters<typeof loadConsoleLoginEvidence>[2], now: Date) {
  if (flags.sample === true || flags.from !== undefined) {
    return loadConsoleLoginEvidence(settings, { folder: flags.sample === true ? sampleAccountPath() : (flags.from as string) }, snapshot, now);
  }
  const progress = process.stderr.isTTY === true ? new ProgressLine() : undefined;
  try {
    return await loadConsoleLoginEvidence(settings, { live: true }, snapshot, now, progress === undefined ? undefined : (event) => progress.show({ phase: 'cloudtrail', ...event }));
  } finally {
    progress?.clear();
  }
}

/** One rewritten line on stderr while collecting; only on a terminal. */
class ProgressLine {
  private shown = false;
  show(event: { phase: string; pages?: number; state?: string; done?: number; total?: number; region?: string; events?: number }): void {
    const text =
      event.phase === 'cloudtrail'
        ? `reading CloudTrail sign-ins… ${event.region ?? ''}: ${event.events ?? 0} events`
        : event.phase === 'authorization-details'
        ? `reading users, groups and policies… page ${event.pages ?? 0}`
        : event.phase === 'credential-report'
          ? `credential report: ${(event.state ?? '').toLowerCase()}…`
          : `checking users live… ${event.done ?? 0}/${event.total ?? 0}`;
    process.stderr.write(`\r\u001b[2K${text}`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) process.stderr.write('\r\u001b[2K');
  }
}

function parseStatuses(text: string | undefined): Status[] {
  if (text === undefined) return [];
  const statuses = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  const wrong = statuses.filter((status) => !(STATUSES as readonly string[]).includes(status));
  if (wrong.length > 0) {
    throw inputError('audit-fail-on', `--fail-on: unknown status ${wrong.map((status) => `'${status}'`).join(', ')}; use ${STATUSES.join(', ')}`);
  }
  return statuses as Status[];
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw inputError('audit-number', `${flag} must be a positive number, not '${text}'`);
  return value;
}
