/** `audit --evidence-days`: the options, their checks, and reading the CloudTrail evidence live or from the export. */
import type { Command } from 'commander';
import type { ConsoleLoginEvidence } from '../account/console-logins.js';
import { DEFAULT_EVIDENCE_MAX_EVENTS, DEFAULT_EVIDENCE_REGIONS, MAX_EVIDENCE_DAYS } from '../account/console-logins.js';
import { CLOUDTRAIL_CONSOLE_LOGINS_FILE } from '../account/files/layout.js';
import type { AccountSnapshot } from '../account/model.js';
import { inputError } from '../errors.js';
import { commaList } from './lists.js';

export interface EvidenceFlags {
  evidenceDays?: string;
  evidenceMaxEvents?: string;
  evidenceRegions?: string[];
}

export interface EvidenceSettings {
  readonly days: number;
  readonly maxEvents: number;
  /** Listed with --evidence-regions; undefined: the default regions. */
  readonly regions: readonly string[] | undefined;
}

export function addEvidenceOptions(command: Command): Command {
  return command
    .option('--evidence-days <days>', `read CloudTrail's ConsoleLogin events of the last DAYS days (1..${MAX_EVIDENCE_DAYS}) and report sign-ins without MFA`)
    .option('--evidence-max-events <n>', `with --evidence-days, live: read at most N events, newest first (default ${DEFAULT_EVIDENCE_MAX_EVENTS})`)
    .option(
      '--evidence-regions <regions>',
      `with --evidence-days, live: the regions to read (comma-separated; default ${DEFAULT_EVIDENCE_REGIONS.join(', ')} and the configured region)`,
      commaList,
    );
}

export const EVIDENCE_HELP = `CloudTrail evidence (--evidence-days N): the ConsoleLogin events of the last N days (CloudTrail's event history
keeps 90); per user the successful console sign-ins without MFA (additionalEventData.MFAUsed = No), how many, and
the last one's time and source IP. A finding names those users, and none of them is reported protected. Failed
sign-ins are not counted. Events are matched to users by principal id (else ARN): a deleted user's sign-ins are
not given to a new user of the same name. Live it needs cloudtrail:LookupEvents and reads
${DEFAULT_EVIDENCE_REGIONS.join(', ')} and the configured region (where root and IAM user sign-ins are
recorded; a Regional sign-in endpoint records in its own region: list it with --evidence-regions), at most 2 calls
a second. Offline it reads DIR/${CLOUDTRAIL_CONSOLE_LOGINS_FILE} (and DIR/cloudtrail-console-logins.REGION.json),
counting N days back from the credential report's time. Denied, failed, missing or undecodable data makes the
evidence unknown, never "no sign-ins"; without --evidence-days no CloudTrail call is made and the report says the
evidence was not read.`;

/** The evidence settings, or undefined without --evidence-days; a bad or orphaned value is an input error. */
export function parseEvidenceFlags(flags: EvidenceFlags, context: { offline: boolean; org: boolean }): EvidenceSettings | undefined {
  if (flags.evidenceDays === undefined) {
    const orphan = flags.evidenceMaxEvents !== undefined ? '--evidence-max-events' : flags.evidenceRegions !== undefined ? '--evidence-regions' : undefined;
    if (orphan !== undefined) throw inputError('audit-evidence-orphan', `${orphan} needs --evidence-days N: add it, or drop ${orphan}`);
    return undefined;
  }
  if (context.org) throw inputError('audit-evidence-org', '--evidence-days is not supported with --org: audit each account with --evidence-days instead');
  const days = integer(flags.evidenceDays, '--evidence-days', 1, MAX_EVIDENCE_DAYS, `CloudTrail's event history keeps ${MAX_EVIDENCE_DAYS} days`);
  if (context.offline && flags.evidenceMaxEvents !== undefined) {
    throw inputError('audit-evidence-offline', '--evidence-max-events bounds live reads only: with --from or --sample the file is read whole; drop it');
  }
  if (context.offline && flags.evidenceRegions !== undefined) {
    throw inputError('audit-evidence-offline', `--evidence-regions applies to live reads only: with --from, export each region to cloudtrail-console-logins.REGION.json; drop it`);
  }
  const maxEvents = flags.evidenceMaxEvents === undefined ? DEFAULT_EVIDENCE_MAX_EVENTS : integer(flags.evidenceMaxEvents, '--evidence-max-events', 1, 10_000_000, 'a bound on the events read');
  let regions: string[] | undefined;
  if (flags.evidenceRegions !== undefined) {
    regions = [...new Set(flags.evidenceRegions)];
    const wrong = regions.filter((region) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region));
    if (regions.length === 0 || wrong.length > 0) {
      throw inputError('audit-evidence-regions', `--evidence-regions: ${wrong.length > 0 ? `'${wrong.join("', '")}' is not a region name` : 'no region given'}; give e.g. us-east-1,eu-west-1`);
    }
  }
  return { days, maxEvents, regions };
}

function integer(text: string, flag: string, min: number, max: number, why: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw inputError('audit-number', `${flag} must be a whole number from ${min} to ${max} (${why}), not '${text}'`);
  }
  return value;
}

/** Reads and decodes the evidence: from the export folder, or live from CloudTrail with progress on a terminal. */
export async function loadConsoleLoginEvidence(
  settings: EvidenceSettings,
  source: { readonly folder: string } | { readonly live: true },
  snapshot: AccountSnapshot,
  now: Date,
  onProgress?: (progress: { region: string; events: number }) => void,
): Promise<ConsoleLoginEvidence> {
  const { consoleLoginEvidence } = await import('../account/console-logins.js');
  if ('folder' in source) {
    const { readConsoleLoginsFromDirectory } = await import('../account/files/cloudtrail-file.js');
    const report = snapshot.sources.find((entry) => entry.kind === 'credential-report' && entry.origin === 'file');
    const read = await readConsoleLoginsFromDirectory(source.folder, { days: settings.days, now, exportedAt: report?.capturedAt });
    return consoleLoginEvidence({ ...read, accountId: snapshot.accountId });
  }
  const { createCloudTrailClient, readConsoleLoginsFromCloudTrail } = await import('../account/aws/cloudtrail-reads.js');
  const regions = settings.regions ?? (await defaultRegions(snapshot.partition, createCloudTrailClient));
  const read = await readConsoleLoginsFromCloudTrail({
    days: settings.days,
    maxEvents: settings.maxEvents,
    regions,
    now,
    clientFor: (region) => createCloudTrailClient(region),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  return consoleLoginEvidence({ ...read, accountId: snapshot.accountId });
}

/** The regions where IAM user and root sign-ins are recorded, plus the configured one; outside `aws`, the configured one. */
async function defaultRegions(partition: string, createClient: (region?: string) => { config: { region: () => Promise<string> } }): Promise<string[]> {
  let configured: string | undefined;
  try {
    configured = await createClient().config.region();
  } catch {
    configured = undefined;
  }
  const base = partition === 'aws' ? DEFAULT_EVIDENCE_REGIONS : [];
  const regions = [...new Set([...base, ...(configured === undefined || configured === '' ? [] : [configured])])];
  if (regions.length === 0) {
    throw inputError('audit-evidence-regions', `no region to read CloudTrail from in partition ${partition}: give --evidence-regions`);
  }
  return regions;
}
