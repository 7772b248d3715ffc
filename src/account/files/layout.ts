/** The folder layout the files source reads, and the AWS CLI commands that write it (kept dependency-free for help texts). */

export const AUTHORIZATION_DETAILS_FILE = 'authorization-details.json';
export const CREDENTIAL_REPORT_FILE = 'credential-report.json';
/** The console's "Download credential report" CSV, accepted when the JSON is absent (its age is then unknown). */
export const CREDENTIAL_REPORT_CSV_FILE = 'credential-report.csv';
export const MFA_DEVICES_FOLDER = 'mfa-devices';
export const ACCOUNT_ALIASES_FILE = 'account-aliases.json';
/** ConsoleLogin events as `aws cloudtrail lookup-events` writes them; read only for `audit --evidence-days`. */
export const CLOUDTRAIL_CONSOLE_LOGINS_FILE = 'cloudtrail-console-logins.json';
/** Only an export of the unassigned devices: an export of every device would not say which are assigned now. */
export const UNASSIGNED_VIRTUAL_DEVICES_FILE = 'virtual-mfa-devices-unassigned.json';

/** The commands whose output this source reads; shown in help texts and the sample's README. */
export const EXPORT_COMMANDS = [
  `aws iam get-account-authorization-details --output json > DIR/${AUTHORIZATION_DETAILS_FILE}`,
  'aws iam generate-credential-report   # repeat until "State": "COMPLETE"',
  `aws iam get-credential-report --output json > DIR/${CREDENTIAL_REPORT_FILE}`,
  `aws iam list-mfa-devices --user-name USER --output json > DIR/${MFA_DEVICES_FOLDER}/USER.json   # optional, per user`,
  `aws iam list-account-aliases --output json > DIR/${ACCOUNT_ALIASES_FILE}   # optional`,
  `aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin --output json > DIR/${CLOUDTRAIL_CONSOLE_LOGINS_FILE}   # optional, for --evidence-days; other regions: cloudtrail-console-logins.REGION.json`,
  `aws iam list-virtual-mfa-devices --assignment-status Unassigned --output json > DIR/${UNASSIGNED_VIRTUAL_DEVICES_FILE}   # optional: abandoned devices`,
] as const;
