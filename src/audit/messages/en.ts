/** English texts of the audit. */
import type { AuditMessages } from './types.js';

const list = (items: readonly string[], limit = 8): string =>
  items.length <= limit ? items.join(', ') : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
const when = (iso: string | null): string => (iso === null ? 'never' : iso.slice(0, 10));

const KIND = {
  virtual: 'virtual',
  hardware: 'hardware TOTP',
  fido: 'FIDO security key or passkey',
  sms: 'SMS (legacy)',
  unknown: 'unknown kind',
} as const;
const FACT = {
  password: 'Console password',
  mfa: 'MFA',
  'mfa-kinds': 'MFA device kinds',
  'access-keys': 'Access keys',
  policies: 'Policies',
  users: 'Users',
  root: 'Root user',
  'virtual-devices': 'Unassigned virtual MFA devices',
  'account-alias': 'Account alias',
} as const;
const CAUSE = {
  'access-denied': 'access denied',
  'call-failed': 'the AWS call kept failing',
  'not-in-credential-report': 'not in the credential report (created after it)',
  'no-credential-report': 'no credential report',
  'file-missing': 'file missing',
  omitted: 'no credential report was given (left out on purpose)',
  unreadable: 'unreadable',
  'document-missing': 'policy document missing',
  'group-missing': 'group missing from the data',
} as const;
const SOURCE = {
  'credential-report': 'credential report',
  'list-mfa-devices': 'checked live',
  'list-virtual-mfa-devices': 'an assigned virtual device (ListVirtualMFADevices)',
  'get-login-profile': 'checked live',
  'list-access-keys': 'checked live',
  'mfa-devices-file': 'list-mfa-devices file',
  builder: 'test data',
} as const;
const stamp = (iso: string): string => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
const EVIDENCE_CAUSE = {
  'access-denied': 'access denied',
  'call-failed': 'the AWS call kept failing',
  'file-missing': 'file missing',
  unreadable: 'unreadable',
  'malformed-events': 'undecodable events',
  'max-events': 'event bound reached',
  'other-account': "another account's events",
  'export-time-unknown': 'export time unknown',
} as const;
const sourceText = (source: keyof typeof SOURCE): string => SOURCE[source];
/** A fact inside a sentence: "console password", but "MFA". */
const factInText = (fact: keyof typeof FACT): string => (fact.startsWith('mfa') ? FACT[fact] : FACT[fact].toLowerCase());

const age = (seconds: number): string =>
    seconds < 120 ? `${Math.round(seconds)} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : seconds < 172_800 ? `${Math.round(seconds / 3600)} h` : `${Math.round(seconds / 86_400)} d`;

export const en: AuditMessages = {
  language: 'en',
  status: {
    protected: 'protected',
    'pending-enrollment': 'pending enrollment',
    'enrolled-not-enforced': 'enrolled, not enforced',
    unprotected: 'unprotected',
    'unprotected-programmatic': 'unprotected (access keys)',
    'no-credentials': 'no credentials',
    exempt: 'exempt',
    unknown: 'unknown',
  },
  statusMeaning: {
    protected: 'MFA is enforced and the user has a device.',
    'pending-enrollment': 'MFA is enforced but no device yet: on the next sign-in the user can only set up MFA.',
    'enrolled-not-enforced': 'The user has a device, but requests without MFA still work.',
    unprotected: 'Console password, no MFA, not enforced: the highest risk.',
    'unprotected-programmatic': 'Access keys only, no MFA, not enforced.',
    'no-credentials': 'No console password and no active access key: the user cannot sign in.',
    exempt: 'Exempt by decision (listed, or tagged force-mfa:exempt = true).',
    unknown: 'Data is missing or unreadable: never counted as compliant.',
  },
  reasons: {
    'exempt-listed': () => 'Listed as exempt for this audit.',
    'exempt-tagged': ({ value }) => `Tagged force-mfa:exempt = ${value}.`,
    'mfa-enforced': ({ policies }) =>
      policies.length > 0
        ? `Requests without MFA are denied, in the console and with access keys (by ${list(policies)}).`
        : 'Requests without MFA are denied, in the console and with access keys (by the policies together).',
    'guard-console-only': ({ policies }) =>
      `${list(policies)} denies console sessions without MFA, but not requests signed with access keys: its condition is probably Bool instead of BoolIfExists.`,
    'not-enforced': ({ context, actions }) =>
      `${context === 'console-no-mfa' ? 'A console session without MFA' : 'Access keys without MFA'} can still call ${list(actions, 4)}.`,
    'allowed-without-mfa': ({ context, actions, count }) =>
      `${context === 'console-no-mfa' ? 'A console session without MFA' : 'Access keys without MFA'} can still call ${plural(count, 'action', 'actions')} beyond the MFA setup ones: ${list(actions, 5)}${count > actions.length ? ` and ${count - actions.length} more` : ''}.`,
    'exhaustive-check-unavailable': () => 'Not every AWS action was checked (no action catalogue was given): enforcement is not proven.',
    'bootstrap-reaches-other-users': ({ actions }) => `Without MFA, ${list(actions, 4)} also work on other users, not only on the user's own (seed guard scope).`,
    'no-guard': () => 'No policy of this user denies requests made without MFA.',
    'guard-switchable': ({ policy, statement, keys }) =>
      `The MFA deny in ${policy} (statement ${statement}) also tests ${list(keys)}, which the caller or the request supplies: a request with the right value escapes it, so MFA is not enforced.`,
    'policy-unevaluable': ({ policy, message }) => `The policy ${policy} could not be evaluated exactly: ${message}`,
    'mfa-enrolled': ({ kinds, source }) =>
      kinds === null ? `Has an MFA device (${sourceText(source)}).` : `Has MFA: ${list(kinds.map((kind) => KIND[kind]))}.`,
    'mfa-not-enrolled': ({ source }) => `Has no MFA device (${sourceText(source)}).`,
    'password-enabled': ({ lastUsedAt }) => `Console password enabled (last used: ${when(lastUsedAt)}).`,
    'no-password': () => 'No console password.',
    'access-keys-active': ({ count, lastUsedAt }) => `${plural(count, 'active access key', 'active access keys')} (last used: ${when(lastUsedAt)}).`,
    'no-access-keys': () => 'No active access key.',
    'signed-in-without-mfa': ({ count, lastAt, lastSourceIp, days }) =>
      `Signed in to the console without MFA ${plural(count, 'time', 'times')} in the last ${days} days (CloudTrail), last on ${stamp(lastAt)}${lastSourceIp === null ? '' : ` from ${lastSourceIp}`}.`,
    'fact-unknown': ({ fact, cause, detail }) => `${FACT[fact]} unknown: ${CAUSE[cause]}${detail === null ? '' : ` (${detail})`}.`,
  },
  nextSteps: {
    none: () => 'Nothing to do.',
    'enroll-mfa': ({ user }) => `Ask ${user} to sign in and set up an MFA device; until then they can do nothing else.`,
    'enroll-mfa-for-key-user': ({ user }) =>
      `${user} has access keys but no console password: give them a temporary password to enroll a device, or enroll one for them; their tools then need MFA sessions (force-mfa session).`,
    'add-to-guard-group': ({ user, group }) => `Add ${user} to the group ${group}.`,
    'add-to-guard-group-before-credentials': ({ user, group }) => `Add ${user} to the group ${group} before giving them credentials.`,
    'fix-guard-condition': ({ policies }) =>
      `Fix ${list(policies)}: use BoolIfExists on aws:MultiFactorAuthPresent so access keys are covered (force-mfa template renders the fixed guard).`,
    'fix-guard-exemptions': ({ actions }) => `The guard lets ${list(actions, 4)} through without MFA: remove those exemptions.`,
    'remove-switchable-condition': ({ policy, statement, keys }) =>
      `Remove the condition on ${list(keys)} from statement ${statement} of ${policy}: a deny of requests without MFA must depend on the MFA keys only (force-mfa template renders such a guard).`,
    'deny-or-accept-without-mfa': ({ actions, count }) =>
      `Deny ${count > actions.length ? `${list(actions, 5)} and ${count - actions.length} more` : list(actions, 5)} without MFA (remove them from the guard's exemptions), or, if that is intended, accept them with audit --allow-without-mfa.`,
    'provide-action-catalogue': () => 'Audit again with the action catalogue (force-mfa audit loads it; library callers pass options.catalogue).',
    'secure-programmatic-user': ({ user, group }) =>
      `If ${user} is a person, add them to ${group} (their tools then need MFA sessions); if it is a machine, replace its keys with a role or exempt it explicitly.`,
    'review-exemption': ({ user }) => `Review the exemption of ${user} regularly.`,
    'collect-missing-data': ({ facts }) => `Make ${list(facts.map((fact) => FACT[fact]))} readable (permissions, files) and audit again.`,
    'write-credential-report': ({ user, path, facts }) =>
      `Write the credential report, which settles ${user}'s ${list(facts.map(factInText))}: aws iam generate-credential-report, then aws iam get-credential-report --output json > ${path}, and audit again.`,
    'review-sign-ins-without-mfa': ({ user }) =>
      `${user} has an MFA device now but signed in without MFA lately: check whether the device was added since or removed and re-added, and who signed in (the time and source IP are in the reasons).`,
    'fix-policy-document': ({ policy }) => `Check the policy ${policy}: the evaluator could not read it exactly.`,
  },
  findings: {
    'root-without-mfa': () => 'The root user has no MFA device.',
    'root-mfa-unknown': () => 'Whether the root user has MFA is unknown (neither GetAccountSummary nor the credential report\'s root row could be read).',
    'root-access-keys': () => 'The root user has access keys: delete them.',
    'org-root-without-mfa': ({ accounts, recoverable, centralizedRootCredentials }) =>
      [
        accounts.length > 0 ? `Member accounts whose root user has a password or access keys and no MFA: ${list(accounts)}.` : '',
        recoverable.length > 0
          ? `Member accounts whose root user has no credentials and no MFA, but whose root password can be recovered by email (centralized root credentials management is ${centralizedRootCredentials === false ? 'not enabled' : 'not known to be enabled'}): ${list(recoverable)}.`
          : '',
      ]
        .filter((text) => text !== '')
        .join(' '),
    'org-root-unknown': ({ accounts }) => `Member accounts whose root user's MFA is unknown: ${list(accounts.map((account) => `${account.id} (${account.reason})`), 5)}.`,
    'unassigned-virtual-devices': ({ devices }) =>
      `${plural(devices.length, 'virtual MFA device is', 'virtual MFA devices are')} assigned to no one (abandoned enrollments; AWS gives no creation date): ${list(devices.map((device) => (device.enabledAt === null ? device.name : `${device.name} (enabled ${when(device.enabledAt)})`)))}. Delete them with force-mfa devices cleanup.`,
    'unassigned-virtual-devices-unknown': ({ cause, detail, file }) =>
      file !== null
        ? `Whether virtual MFA devices are left unassigned is unknown: ${file} is ${cause === 'file-missing' ? 'missing' : 'unreadable'}; write it with \`aws iam list-virtual-mfa-devices --assignment-status Unassigned --output json > ${file}\`.`
        : `Whether virtual MFA devices are left unassigned is unknown: ${CAUSE[cause]}${detail === null ? '' : ` (${detail})`}.`,
    'admin-without-mfa': (_params, users) => `Administrators without MFA: ${list(users)}.`,
    'admin-not-enforced': (_params, users) => `Administrators with a device on whom MFA is not enforced: ${list(users)}.`,
    'admin-mfa-unknown': (_params, users) => `Administrators whose MFA is unknown: ${list(users)}.`,
    'virtual-mfa-only': ({ hardwareRequired }, users) =>
      `${hardwareRequired ? 'Hardware or FIDO keys are required; only' : 'Only'} virtual MFA devices: ${list(users)}.`,
    'mfa-kinds-unknown': (_params, users) => `Device kinds unknown (credential report only): ${list(users)}.`,
    'sms-mfa': (_params, users) => `Legacy SMS MFA, no longer supported by AWS: ${list(users)}.`,
    'credential-report-stale': ({ ageHours, settledLive }) =>
      `The credential report is ${age(ageHours * 3600)} old${settledLive ? '; MFA was checked live for the users who needed it' : ': recent enrollments and removals may be missing'}.`,
    'credential-report-age-unknown': () => 'The credential report has no generation time: its facts may be old.',
    'bootstrap-reaches-other-users': ({ actions }, users) =>
      `Without MFA, ${list(actions, 4)} work on other users too, not only on the caller's own user (the seed guard allows them on any user): ${list(users)}.`,
    'credential-report-omitted': ({ path }, users) =>
      `No credential report was read (left out on purpose): console passwords and access keys, and MFA where no mfa-devices file settles it, are unknown for ${users.length === 0 ? 'every user' : list(users)}, and so is the root user's MFA. Write it with aws iam generate-credential-report, then aws iam get-credential-report --output json${path === null ? '' : ` > ${path}`}.`,
    'console-sign-in-without-mfa': ({ days }, users) => `Console sign-ins without MFA in the last ${days} days (CloudTrail): ${list(users)}.`,
    'root-console-sign-in-without-mfa': ({ count, lastAt, lastSourceIp, days }) =>
      `The root user signed in to the console without MFA ${plural(count, 'time', 'times')} in the last ${days} days, last on ${stamp(lastAt)}${lastSourceIp === null ? '' : ` from ${lastSourceIp}`}.`,
    'sign-in-evidence-unknown': ({ days, gaps }) =>
      `The CloudTrail evidence of the last ${days} days is incomplete (${gaps.map((gap) => `${EVIDENCE_CAUSE[gap.cause]}: ${gap.detail}`).join('; ')}): users not named may still have signed in without MFA.`,
    'sign-in-evidence-partial': ({ days, maxEvents, oldestReadAt }) =>
      `Only the newest ${maxEvents.toLocaleString('en-US')} sign-in events were read${oldestReadAt === null ? '' : ` (back to ${stamp(oldestReadAt)})`}, not all of the last ${days} days: users not named may still have signed in without MFA earlier; raise the event bound to read the whole window.`,
    'data-missing': ({ fact, cause, detail }) => `${FACT[fact]} unavailable: ${CAUSE[cause]}${detail === null ? '' : ` (${detail})`}.`,
  },
  severity: { critical: 'critical', high: 'high', warning: 'warning', info: 'info' },
  context: { 'console-no-mfa': 'console without MFA', 'access-keys': 'access keys' },
  verdict: { denied: 'denied', 'not-denied': 'not denied', unknown: 'unknown' },
  fact: FACT,
  cause: CAUSE,
  mfaKind: KIND,
  factSource: SOURCE,
  sourceKind: {
    'authorization-details': 'authorization details',
    'credential-report': 'credential report',
    'mfa-devices': 'MFA devices',
    'virtual-mfa-devices': 'virtual MFA devices',
    'account-summary': 'account summary',
    'login-profiles': 'login profiles',
    'access-keys': 'access keys',
    'account-aliases': 'account alias',
  },
  captureUnknown: { 'not-recorded': 'the export records no time' },
  labels: {
    title: 'force-mfa audit',
    account: 'Account',
    signInUrl: 'Sign-in URL',
    generatedAt: 'Generated',
    summary: 'Summary',
    users: 'Users',
    user: 'User',
    path: 'Path',
    status: 'Status',
    reasons: 'Reasons',
    nextStep: 'Next step',
    groups: 'Groups',
    mfa: 'MFA',
    consolePassword: 'Console password',
    accessKeys: 'Access keys',
    enforced: 'Enforced',
    consoleOnly: 'console only',
    administrator: 'Administrator',
    findings: 'Findings',
    severity: 'Severity',
    sources: 'Data sources',
    source: 'Source',
    capturedAt: 'Captured',
    age: 'Age',
    inScope: 'Users MFA applies to',
    enrolledShare: 'Enrolled',
    protectedShare: 'Protected',
    count: 'Count',
    filterPlaceholder: 'Filter by user, group or reason',
    allStatuses: 'All statuses',
    allAccounts: 'All accounts',
    noFindings: 'No findings.',
    noUsers: 'The account has no IAM users.',
    yes: 'yes',
    no: 'no',
    unknown: 'unknown',
    none: 'none',
    chartTitle: 'Users by status',
    showing: (shown, total) => `Showing ${shown} of ${total} users`,
    sortHint: 'Click a column header to sort.',
    missingData: 'Missing data',
  },
  signIns: {
    column: 'Without MFA (CloudTrail)',
    title: 'Sign-ins without MFA (CloudTrail)',
    notUsed: 'not used at a recent sign-in',
    cell: (evidence) =>
      evidence.state === 'found'
        ? `${evidence.count ?? 0}, last ${stamp(evidence.lastAt ?? '')}${evidence.lastSourceIp === null ? '' : ` from ${evidence.lastSourceIp}`}`
        : evidence.state === 'none'
          ? 'none'
          : evidence.state === 'unknown'
            ? 'unknown'
            : 'not read',
    summary: (evidence) =>
      evidence.state === 'not-read'
        ? 'not read (force-mfa audit --evidence-days N reads the ConsoleLogin events of the last N days)'
        : `${evidence.state === 'complete' ? 'complete' : evidence.state === 'partial' ? 'partial' : 'incomplete'}: ${evidence.events.toLocaleString('en-US')} ConsoleLogin events from ${stamp(evidence.from)} to ${stamp(evidence.to)} (${evidence.days} days ${evidence.windowEnd === 'export' ? "back from the export's time, the credential report's" : evidence.windowEnd === 'now' ? "back from now: the export's time is unknown" : 'back from now'}), ${evidence.regions === null ? evidence.location : `regions ${evidence.regions.join(', ')} (sign-ins through other regional endpoints are not read)`}; ${plural(evidence.usersWithoutMfa, 'user', 'users')} signed in without MFA; ${plural(evidence.failures, 'failed sign-in', 'failed sign-ins')} not counted${evidence.formerUsers.length === 0 ? '' : `; ${plural(evidence.formerUsers.length, 'former user', 'former users')} (no longer in the account: ${list(evidence.formerUsers.map((user) => user.userName ?? user.arn))})`}.`,
    cause: EVIDENCE_CAUSE,
  },
  age,
  date: (iso) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
  asff: {
    userTitle: (userName, status) => `IAM user ${userName}: ${status}`,
    resolvedNote: (auditedAt) => `force-mfa: no longer found by the audit of ${auditedAt} (the user is protected, exempt, without credentials, or deleted)`,
  },
  rootState: (root) => {
    const fact = (value: boolean | null, name: string): string => `${name}: ${value === null ? 'unknown' : value ? 'yes' : 'no'}`;
    const device = root.mfaDevice === 'virtual' ? ' (virtual)' : root.mfaDevice === 'hardware-or-fido' ? ' (hardware TOTP or FIDO key)' : '';
    const mfa = root.mfaEnabled === null ? 'MFA: unknown' : root.mfaEnabled ? `MFA: yes${device}` : 'MFA: no';
    return `Root user: ${mfa}; ${fact(root.passwordPresent, 'password')}; ${fact(root.accessKeysPresent, 'access keys')}`;
  },
};
