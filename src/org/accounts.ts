/** The organization's accounts: every page of Organizations read, OUs walked recursively, only ACTIVE accounts kept. */
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { environmentError, inputError } from '../errors.js';
import { partitionOf, validateSelection, type AccountSelection } from './selection.js';
import { withRetries, type RetryOptions } from '../account/aws/retry.js';
import { pageTokenGuard } from '../aws/pagination.js';

export interface Organization {
  readonly id: string;
  readonly arn: string;
  /** The ARN partition (aws, aws-cn, aws-us-gov) every member account shares. */
  readonly partition: string;
  readonly managementAccountId: string;
}

export interface OrgAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string | undefined;
  readonly arn: string;
  /** Service control policies never apply to the management account: the guard is its only MFA enforcement. */
  readonly management: boolean;
}

/** An account of the organization left out of the audit, and why. */
export interface SkippedAccount {
  readonly id: string;
  readonly name: string;
  /** The account's state, e.g. SUSPENDED or PENDING_CLOSURE. */
  readonly state: string;
}

export interface OrganizationListing {
  readonly organization: Organization;
  /** ACTIVE accounts only, in the order Organizations lists them. */
  readonly accounts: readonly OrgAccount[];
  readonly skipped: readonly SkippedAccount[];
}

export async function describeOrganization(client: OrganizationsClient, retry: RetryOptions = {}): Promise<Organization> {
  const output = await withRetries(() => client.send(new DescribeOrganizationCommand({})), retry).catch((error: unknown) => {
    throw organizationsError('DescribeOrganization', error);
  });
  const organization = output.Organization;
  if (organization?.Id === undefined || organization.MasterAccountId === undefined) {
    throw environmentError('org-describe-empty', 'Organizations returned no organization: is this account part of an AWS Organization?');
  }
  const arn = organization.Arn ?? '';
  return { id: organization.Id, arn, partition: partitionOf(arn), managementAccountId: organization.MasterAccountId };
}

/** The selected ACTIVE accounts; an account id asked for that the organization (or the OUs) lacks is an input error. */
export async function listOrganizationAccounts(
  client: OrganizationsClient,
  selection: AccountSelection = {},
  retry: RetryOptions = {},
): Promise<OrganizationListing> {
  validateSelection(selection);
  const organization = await describeOrganization(client, retry);
  const listed =
    selection.organizationalUnitIds !== undefined && selection.organizationalUnitIds.length > 0
      ? await listUnderParents(client, selection.organizationalUnitIds, retry)
      : await listAll(client, retry);

  const wanted = selection.accountIds !== undefined && selection.accountIds.length > 0 ? new Set(selection.accountIds) : undefined;
  const seen = new Set<string>();
  const accounts: OrgAccount[] = [];
  const skipped: SkippedAccount[] = [];
  for (const account of listed) {
    const id = account.Id;
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    if (wanted !== undefined && !wanted.has(id)) continue;
    const state = accountState(account);
    if (state !== 'ACTIVE') {
      skipped.push({ id, name: account.Name ?? '', state });
      continue;
    }
    accounts.push({
      id,
      name: account.Name ?? '',
      email: account.Email,
      arn: account.Arn ?? '',
      management: id === organization.managementAccountId,
    });
  }
  const absent = [...(wanted ?? [])].filter((id) => !seen.has(id));
  if (absent.length > 0) {
    const scope = selection.organizationalUnitIds?.length ? `the organizational units ${selection.organizationalUnitIds.join(', ')}` : `organization ${organization.id}`;
    throw inputError('org-account-absent', `account(s) ${absent.join(', ')} are not in ${scope}`);
  }
  return { organization, accounts, skipped };
}

/** `State` replaces the deprecated `Status`; an account that reports neither is not known to be ACTIVE. */
function accountState(account: Account): string {
  return account.State ?? account.Status ?? 'UNKNOWN';
}

async function listAll(client: OrganizationsClient, retry: RetryOptions): Promise<Account[]> {
  return drain('ListAccounts', retry, async (token) => {
    const page = await client.send(new ListAccountsCommand({ NextToken: token }));
    return { items: page.Accounts ?? [], nextToken: page.NextToken };
  });
}

/** Depth first, every page of accounts and of child OUs; a parent reached twice is read once. */
async function listUnderParents(client: OrganizationsClient, parentIds: readonly string[], retry: RetryOptions): Promise<Account[]> {
  const accounts: Account[] = [];
  const visited = new Set<string>();
  const pending = [...parentIds].reverse();
  while (pending.length > 0) {
    const parentId = pending.pop() as string;
    if (visited.has(parentId)) continue;
    visited.add(parentId);
    const direct = await drain(`ListAccountsForParent ${parentId}`, retry, async (token) => {
      const page = await client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token }));
      return { items: page.Accounts ?? [], nextToken: page.NextToken };
    });
    accounts.push(...direct);
    const children = await drain(`ListOrganizationalUnitsForParent ${parentId}`, retry, async (token) => {
      const page = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token }));
      return { items: (page.OrganizationalUnits ?? []).flatMap((unit) => (unit.Id === undefined ? [] : [unit.Id])), nextToken: page.NextToken };
    });
    pending.push(...[...children].reverse());
  }
  return accounts;
}

/** Every page of a NextToken-paginated call, each page retried on throttling. */
async function drain<T>(
  operation: string,
  retry: RetryOptions,
  fetchPage: (token: string | undefined) => Promise<{ items: readonly T[]; nextToken: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  const next = pageTokenGuard(operation);
  let token: string | undefined;
  do {
    const current = token;
    const page = await withRetries(() => fetchPage(current), retry).catch((error: unknown) => {
      throw organizationsError(operation, error);
    });
    items.push(...page.items);
    token = next(page.nextToken);
  } while (token !== undefined);
  return items;
}

function organizationsError(operation: string, error: unknown): Error {
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AWSOrganizationsNotInUseException') {
    return environmentError('org-not-in-use', `${operation}: this account is not in an AWS Organization (${message})`, error);
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return environmentError(
      'org-access-denied',
      `${operation} was denied (${message}): run from the management account or a delegated administrator with organizations:List* and organizations:DescribeOrganization`,
      error,
    );
  }
  if (name === 'ParentNotFoundException' || name === 'ChildNotFoundException') {
    return inputError('org-parent-not-found', `${operation}: no such organizational unit or root (${message})`, error);
  }
  if (error instanceof Error && error.name === 'ForceMfaError') return error;
  return environmentError('org-call-failed', `${operation} failed (${typeof name === 'string' ? name : 'error'}): ${message}`, error);
}

export { partitionOf, validateSelection, type AccountSelection } from './selection.js';
