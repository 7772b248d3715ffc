/**
 * The audit as AWS Security Finding Format (ASFF 2018-10-08) findings for AWS Security Hub: one per user who is not
 * protected, exempt or without credentials (unknown users included: unknown is never compliant), one per account
 * finding. Ids are stable (account, user id, rule), so importing a later audit updates a finding instead of adding one.
 */
import { createHash } from 'node:crypto';
import { findingText, nextStepText, reasonText, type AuditMessages } from '../audit/messages/index.js';
import type { AccountFinding, AuditReport, Severity, UserAudit, UserStatus } from '../audit/types.js';
import { inputError } from '../errors.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** Every GeneratorId force-mfa writes starts with this: the import reads back and resolves only its own findings. */
export const ASFF_GENERATOR_PREFIX = 'force-mfa/';
export const ASFF_USER_GENERATOR = 'force-mfa/user-mfa';
/** Statuses that need no finding; a user in any other status gets one. */
export const ASFF_COMPLIANT_STATUSES: readonly UserStatus[] = ['protected', 'exempt', 'no-credentials'];

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type AsffComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';
export type AsffWorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
export type AsffRecordState = 'ACTIVE' | 'ARCHIVED';

export interface AsffResource {
  Type: string;
  Id: string;
  Partition: string;
  Region?: string;
  Details?: { AwsIamUser: { UserName: string; UserId?: string; Path: string; CreateDate?: string } };
}

/** One ASFF finding, plain JSON in the shape BatchImportFindings takes. */
export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  ProductName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  FirstObservedAt: string;
  LastObservedAt: string;
  Severity: { Label: AsffSeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation?: { Recommendation: { Text: string } };
  ProductFields: Record<string, string>;
  Resources: AsffResource[];
  Compliance: { Status: AsffComplianceStatus };
  RecordState: AsffRecordState;
  Workflow?: { Status: AsffWorkflowStatus };
}

/** Where the findings go: the hub's region, and the account the caller is in (when known). */
export interface AsffTarget {
  readonly region: string;
  /** The account the findings are for; must equal the audited account when the report names one. */
  readonly accountId?: string;
}

/** The product ARN of a custom integration: the account's own "default" product in the hub's region. */
export function asffProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/**
 * The stable Id of a user's finding: the user id survives renames, and a user deleted and re-created is a new
 * principal. A user id not of IAM's form (a forged or damaged export) is replaced by a digest of the ARN, so the Id
 * stays short and its characters plain.
 */
export function asffUserFindingId(accountId: string, user: Pick<UserAudit, 'userId' | 'arn'>): string {
  const key = /^[A-Z0-9]{16,128}$/.test(user.userId) ? user.userId : `arn-${createHash('sha256').update(user.arn).digest('hex').slice(0, 32)}`;
  return `force-mfa/${accountId}/user/${key}/mfa`;
}

export function asffAccountFindingId(accountId: string, finding: AccountFinding): string {
  return `force-mfa/${accountId}/account/${findingKey(finding)}`;
}

const TYPES = ['Software and Configuration Checks/AWS Security Best Practices'];
// Limits of the AwsSecurityFinding API reference.
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;
const RECOMMENDATION_MAX = 512;
const RESOURCES_MAX = 32;

const ACCOUNT_SEVERITY: Readonly<Record<Severity, AsffSeverityLabel>> = { critical: 'CRITICAL', high: 'HIGH', warning: 'MEDIUM', info: 'INFORMATIONAL' };

export function auditAsff(report: AuditReport, messages: AuditMessages, target: AsffTarget): AsffFinding[] {
  const accountId = boundAccount(report, target);
  const partition = report.account.partition;
  // Key order as the ASFF documentation lists them: identity first, then content.
  const head = (id: string, generatorId: string) => ({
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: id,
    ProductArn: asffProductArn(partition, target.region, accountId),
    ProductName: 'force-mfa',
    GeneratorId: generatorId,
    AwsAccountId: accountId,
    Types: [...TYPES],
    CreatedAt: report.generatedAt,
    UpdatedAt: report.generatedAt,
    FirstObservedAt: report.generatedAt,
    LastObservedAt: report.generatedAt,
  });
  const state = { RecordState: 'ACTIVE' as const, Workflow: { Status: 'NEW' as const } };
  const userResource = (user: UserAudit): AsffResource => ({
    Type: 'AwsIamUser',
    Id: user.arn,
    Partition: partition,
    Region: target.region,
    Details: {
      AwsIamUser: {
        UserName: user.userName,
        ...(user.userId === '' ? {} : { UserId: user.userId }),
        Path: user.path,
        ...(user.createdAt === null ? {} : { CreateDate: user.createdAt }),
      },
    },
  });
  const needing = report.users.filter((user) => !ASFF_COMPLIANT_STATUSES.includes(user.status));
  // A user of another account in the data (a mixed or forged export) would be filed under the wrong account.
  const stranger = report.users.find((user) => user.arn.split(':')[4] !== accountId);
  if (stranger !== undefined) {
    throw inputError('asff-mixed-accounts', `user ${stranger.userName} has the ARN ${stranger.arn}, not one of account ${accountId}: the data mixes accounts; audit each account from its own data`);
  }
  const userFindings = needing.map((user): AsffFinding => {
    const reasons = user.reasons.map((reason) => reasonText(messages, reason));
    return {
      ...head(asffUserFindingId(accountId, user), ASFF_USER_GENERATOR),
      Severity: { Label: userSeverity(user), Original: user.status },
      Title: clip(messages.asff.userTitle(user.userName, messages.status[user.status]), TITLE_MAX),
      Description: clip([messages.statusMeaning[user.status], ...reasons].join(' '), DESCRIPTION_MAX),
      Remediation: { Recommendation: { Text: clip(nextStepText(messages, user.nextStep), RECOMMENDATION_MAX) } },
      ProductFields: {
        'force-mfa/Rule': 'user-mfa',
        'force-mfa/Status': user.status,
        'force-mfa/UserName': user.userName,
        'force-mfa/NextStep': user.nextStep.code,
        'force-mfa/Administrator': user.administrator === null ? 'unknown' : String(user.administrator),
      },
      Resources: [userResource(user)],
      Compliance: { Status: 'FAILED' },
      ...state,
    };
  });
  const byName = new Map(report.users.map((user) => [user.userName, user]));
  const accountFindings = report.findings.map((finding): AsffFinding => {
    const text = findingText(messages, finding);
    const named = finding.users.flatMap((name) => {
      const user = byName.get(name);
      return user === undefined ? [] : [userResource(user)];
    });
    return {
      ...head(asffAccountFindingId(accountId, finding), `force-mfa/account/${finding.code}`),
      Severity: { Label: ACCOUNT_SEVERITY[finding.severity], Original: finding.severity },
      Title: clip(text, TITLE_MAX),
      Description: clip(text, DESCRIPTION_MAX),
      ProductFields: { 'force-mfa/Rule': finding.code, 'force-mfa/Severity': finding.severity },
      Resources: [
        { Type: 'AwsAccount', Id: `AWS::::Account:${accountId}`, Partition: partition, Region: target.region },
        ...named.slice(0, RESOURCES_MAX - 1),
      ],
      // An informational finding is advice, not a failed check; everything else fails (missing data included).
      Compliance: { Status: finding.severity === 'info' ? 'WARNING' : 'FAILED' },
      ...state,
    };
  });
  // Two identical data gaps would give one Id twice in a batch: keep the first.
  const byId = new Map<string, AsffFinding>();
  for (const finding of [...userFindings, ...accountFindings]) if (!byId.has(finding.Id)) byId.set(finding.Id, finding);
  return [...byId.values()];
}

/**
 * When the findings were observed: the audit's time for data read live; for an export, the earliest capture time its
 * data records (an export is never dated later than it was taken, so an old one cannot overwrite or resolve what a
 * newer audit wrote to the hub). Undefined when an export records no time at all.
 */
export function asffObservedAt(report: Pick<AuditReport, 'generatedAt' | 'sources'>): string | undefined {
  if (report.sources.every((source) => source.origin === 'aws')) return report.generatedAt;
  const times = report.sources.flatMap((source) => (source.capturedAt === undefined || !Number.isFinite(Date.parse(source.capturedAt)) ? [] : [Date.parse(source.capturedAt)]));
  return times.length === 0 ? undefined : new Date(Math.min(...times, Date.parse(report.generatedAt))).toISOString();
}

/** The findings as the BatchImportFindings request body (`aws securityhub batch-import-findings --cli-input-json`). */
export function renderAuditAsff(report: AuditReport, messages: AuditMessages, target: AsffTarget): string {
  return `${JSON.stringify({ Findings: auditAsff(report, messages, target) }, null, 2)}\n`;
}

/** The account the findings describe: the audited one; a caller in another account is refused, never relabelled. */
function boundAccount(report: AuditReport, target: AsffTarget): string {
  const audited = report.account.id;
  if (audited !== null && target.accountId !== undefined && audited !== target.accountId) {
    throw inputError(
      'asff-account-mismatch',
      `the audit describes account ${audited}, but the findings were to go to account ${target.accountId}: use credentials of account ${audited}`,
    );
  }
  const accountId = audited ?? target.accountId;
  if (accountId === undefined || !/^\d{12}$/.test(accountId)) {
    throw inputError('asff-no-account', 'the audit names no AWS account id (no user ARN in the data): ASFF findings need the account they describe');
  }
  return accountId;
}

function userSeverity(user: UserAudit): AsffSeverityLabel {
  const admin = user.administrator === true;
  switch (user.status) {
    case 'unprotected':
    case 'unprotected-programmatic':
      return admin ? 'CRITICAL' : 'HIGH';
    case 'enrolled-not-enforced':
    case 'unknown':
      return admin ? 'HIGH' : 'MEDIUM';
    default:
      // pending-enrollment: a password without a device lets whoever holds it enroll their own device.
      return 'MEDIUM';
  }
}

/** What tells two findings of the same code apart: a data gap's fact, cause and (hashed) detail. */
function findingKey(finding: AccountFinding): string {
  if (finding.code !== 'data-missing') return finding.code;
  const { fact, cause, detail } = finding.params;
  const digest = createHash('sha256').update(detail ?? '').digest('hex').slice(0, 12);
  return `data-missing/${fact}/${cause}/${digest}`;
}

/** At most `max` UTF-16 units (the API's measure), cut between characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const character of text) {
    if (kept.length + character.length > max - 1) break;
    kept += character;
  }
  return `${kept}…`;
}
