/** Which accounts of an organization to act on, checked before any call: account ids, OU and root ids. */
import { inputError } from '../errors.js';

export interface AccountSelection {
  /** Only these accounts (12-digit ids); all when absent. */
  readonly accountIds?: readonly string[];
  /** Only the accounts of these OUs (ou-… or a root r-…) and of every OU below them. */
  readonly organizationalUnitIds?: readonly string[];
}

const ACCOUNT_ID = /^\d{12}$/;
const PARENT_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

export function validateSelection(selection: AccountSelection): void {
  for (const id of selection.accountIds ?? []) {
    if (!ACCOUNT_ID.test(id)) throw inputError('org-account-id', `'${id}' is not an AWS account id (12 digits)`);
  }
  for (const id of selection.organizationalUnitIds ?? []) {
    if (!PARENT_ID.test(id)) {
      throw inputError('org-ou-id', `'${id}' is not an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)`);
    }
  }
}

/** The partition of an ARN (arn:PARTITION:…). */
export function partitionOf(arn: string): string {
  const partition = arn.split(':')[1];
  return partition !== undefined && partition !== '' ? partition : 'aws';
}

