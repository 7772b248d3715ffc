/**
 * The auto-enroll Lambda (deployed by the CDK construct, bundled with esbuild): adds each new IAM user to the guard
 * group (CloudTrail CreateUser via EventBridge) and, on a daily schedule, every user the events missed. It plans with
 * the CLI's own code (`prepareEnrollment`), so it refuses what `force-mfa enroll --apply` refuses: a plan with any
 * refusal adds nobody, is logged, and fails the invocation, which raises the errors alarm.
 */
// First: it silences the AWS SDK's Node version warning before the SDK loads (see the module).
import '../../aws/node-version-warning.js';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { loadCatalogue } from '../../engine/catalogue.js';
import { sdkRolloutIam, sdkRolloutSts } from '../aws/iam.js';
import { applyEnrollment, prepareEnrollment } from '../enroll.js';
import type { EnrollLogLine } from '../enroll-log.js';
import { isUnderPath, splitNames } from '../exemption.js';
import type { RolloutIam, RolloutSts, UserSummary } from '../iam.js';
import type { UserSelection } from '../enroll-plan.js';

/** The part of an EventBridge event the handler reads: a CloudTrail CreateUser call, or the daily schedule. */
export interface AutoEnrollEvent {
  /** Set to true to run the sweep from a manual invocation. */
  readonly sweep?: boolean;
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: {
    readonly eventSource?: string;
    readonly eventName?: string;
    readonly errorCode?: string;
    readonly requestParameters?: { readonly userName?: string; readonly path?: string } | null;
    readonly responseElements?: { readonly user?: { readonly userName?: string; readonly path?: string } } | null;
  };
}

export interface AutoEnrollResult {
  readonly added: string[];
  /** Users left out: exempt by name, path or tag, or gone before the function ran. */
  readonly skipped: string[];
  readonly members: number;
}

interface Settings {
  readonly groupName: string;
  readonly exemptUsers: readonly string[];
  readonly exemptPaths: readonly string[];
}

function settings(): Settings {
  const groupName = process.env['GROUP_NAME'];
  if (groupName === undefined || groupName === '') throw new Error('GROUP_NAME is not set');
  return { groupName, exemptUsers: splitNames(process.env['EXEMPT_USERS']), exemptPaths: splitNames(process.env['EXEMPT_PATH_PREFIXES']) };
}

function log(outcome: string, detail: Record<string, unknown>): void {
  console.log(JSON.stringify({ outcome, ...detail }));
}

/** The users the settings exempt: names matched without regard to case (as IAM does), and path prefixes. */
export function exemptBySettings(users: readonly UserSummary[], config: Pick<Settings, 'exemptUsers' | 'exemptPaths'>): string[] {
  const names = new Set(config.exemptUsers.map((name) => name.toLowerCase()));
  return users.filter((user) => names.has(user.userName.toLowerCase()) || isUnderPath(user.path, config.exemptPaths)).map((user) => user.userName);
}

export interface AutoEnrollDependencies {
  readonly iam: RolloutIam;
  readonly sts: RolloutSts;
}

let clients: Promise<AutoEnrollDependencies> | undefined;
function defaultClients(): Promise<AutoEnrollDependencies> {
  clients ??= (async () => ({
    iam: await sdkRolloutIam(new IAMClient({ maxAttempts: 8, retryMode: 'adaptive' })),
    sts: await sdkRolloutSts(new STSClient({ maxAttempts: 8, retryMode: 'adaptive' })),
  }))();
  return clients;
}

/** Which users this event asks for: one new IAM user, every user (the sweep), or none. */
function selectionOf(event: AutoEnrollEvent): UserSelection | undefined {
  const detail = event.detail;
  // Other services (MemoryDB, Transfer Family, MQ...) record a CreateUser of their own: only IAM's counts.
  if (detail?.eventName === 'CreateUser' && detail.eventSource === 'iam.amazonaws.com') {
    const userName = detail.responseElements?.user?.userName ?? detail.requestParameters?.userName;
    // CloudTrail records failed calls too: no user was created then.
    if (detail.errorCode !== undefined || userName === undefined) return undefined;
    return { kind: 'users', userNames: [userName] };
  }
  if (event['detail-type'] === 'Scheduled Event' || event.sweep === true) return { kind: 'all' };
  return undefined;
}

export async function handler(event: AutoEnrollEvent, dependencies?: AutoEnrollDependencies): Promise<AutoEnrollResult> {
  const config = settings();
  const selection = selectionOf(event);
  if (selection === undefined) {
    log('ignored', { event: event['detail-type'] ?? 'unknown event' });
    return { added: [], skipped: [], members: 0 };
  }
  const { iam, sts } = dependencies ?? (await defaultClients());
  const users = await iam.listAllUsers();
  let effective = selection;
  if (selection.kind === 'users') {
    const present = selection.userNames.filter((name) => users.some((user) => user.userName === name));
    // Deleted before the function ran: logged and skipped, not a failure that raises the alarm.
    for (const name of selection.userNames.filter((candidate) => !present.includes(candidate))) log('gone', { userName: name });
    if (present.length === 0) return { added: [], skipped: [...selection.userNames], members: 0 };
    effective = { kind: 'users', userNames: present };
  }
  const excluded = exemptBySettings(users, config);
  const report = await prepareEnrollment({ groupName: config.groupName, selection: effective, excluded }, { iam, sts, catalogue: await loadCatalogue() });
  const [refusal] = report.refusals;
  if (refusal !== undefined) {
    for (const each of report.refusals) log('refused', { code: each.code, message: each.message });
    throw new Error(`force-mfa auto-enroll refused the plan (${refusal.code}): ${refusal.message}`);
  }
  // The function honours exemptions; it never writes them (tagging is the CLI's, on an operator's request).
  const lines: EnrollLogLine[] = [];
  const applied = await applyEnrollment(
    { ...report, toTag: [] },
    { iam, log: { append: (line) => void lines.push(line) }, onChange: (change) => log('added', { userName: change.userName }) },
    { overrides: new Set() },
  );
  const skipped = report.changes.filter((change) => change.action.startsWith('skip-')).map((change) => change.userName);
  for (const name of skipped) log('skipped', { userName: name });
  const confirmed = lines.filter((line) => line.phase === 'done' && 'confirmedBy' in line && line.confirmedBy !== undefined).length;
  if (confirmed > 0) log('confirmed', { count: confirmed });
  return { added: applied.map((change) => change.userName), skipped, members: report.membersBefore.length + applied.length };
}
