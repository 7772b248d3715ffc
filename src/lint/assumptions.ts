/** The account the linter pictures when it resolves templates and evaluates policies offline. */

/** Stands for AWS::AccountId in templates and is the account of the probe principals. */
export const LINT_ACCOUNT_ID = '123456789012';
/** Stands for AWS::Partition; the probes use the same partition, so partition-generic ARNs match them. */
export const LINT_PARTITION = 'aws';
export const LINT_REGION = 'us-east-1';
