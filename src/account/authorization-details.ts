/** GetAccountAuthorizationDetails (SDK pages or the AWS CLI's merged JSON) turned into users, groups and policies. */
import { inputError } from '../errors.js';
import type { DataGap, IamGroup, InlinePolicy, ManagedPolicy, UserIdentity } from './model.js';

export type { UserIdentity } from './model.js';

/** The fields read from one page; the SDK response and the CLI output both fit (dates as Date or string). */
export interface AuthorizationDetailsPage {
  readonly UserDetailList?: readonly RawUserDetail[] | undefined;
  readonly GroupDetailList?: readonly RawGroupDetail[] | undefined;
  readonly Policies?: readonly RawManagedPolicy[] | undefined;
}

type RawDate = Date | string | undefined;

interface RawInlinePolicy {
  readonly PolicyName?: string | undefined;
  readonly PolicyDocument?: unknown;
}
interface RawAttachedPolicy {
  readonly PolicyName?: string | undefined;
  readonly PolicyArn?: string | undefined;
}
export interface RawUserDetail {
  readonly Path?: string | undefined;
  readonly UserName?: string | undefined;
  readonly UserId?: string | undefined;
  readonly Arn?: string | undefined;
  readonly CreateDate?: RawDate;
  readonly UserPolicyList?: readonly RawInlinePolicy[] | undefined;
  readonly GroupList?: readonly string[] | undefined;
  readonly AttachedManagedPolicies?: readonly RawAttachedPolicy[] | undefined;
  readonly PermissionsBoundary?: { readonly PermissionsBoundaryArn?: string | undefined } | undefined;
  readonly Tags?: readonly { readonly Key?: string | undefined; readonly Value?: string | undefined }[] | undefined;
}
export interface RawGroupDetail {
  readonly Path?: string | undefined;
  readonly GroupName?: string | undefined;
  readonly GroupId?: string | undefined;
  readonly Arn?: string | undefined;
  readonly CreateDate?: RawDate;
  readonly GroupPolicyList?: readonly RawInlinePolicy[] | undefined;
  readonly AttachedManagedPolicies?: readonly RawAttachedPolicy[] | undefined;
}
export interface RawManagedPolicy {
  readonly PolicyName?: string | undefined;
  readonly Arn?: string | undefined;
  readonly DefaultVersionId?: string | undefined;
  readonly PolicyVersionList?:
    | readonly { readonly Document?: unknown; readonly VersionId?: string | undefined; readonly IsDefaultVersion?: boolean | undefined }[]
    | undefined;
}

export interface AuthorizationDetails {
  readonly users: readonly UserIdentity[];
  readonly groups: readonly IamGroup[];
  readonly managedPolicies: readonly ManagedPolicy[];
  /** Documents that could not be decoded, by owner. */
  readonly gaps: readonly DataGap[];
}

export function readAuthorizationDetails(pages: readonly AuthorizationDetailsPage[]): AuthorizationDetails {
  const users: UserIdentity[] = [];
  const groups: IamGroup[] = [];
  const managedPolicies: ManagedPolicy[] = [];
  const gaps: DataGap[] = [];
  for (const page of pages) {
    for (const raw of records(page.UserDetailList, 'UserDetailList')) {
      const userName = raw.UserName ?? '';
      if (userName === '') continue;
      users.push({
        userName,
        arn: raw.Arn ?? '',
        path: raw.Path ?? '/',
        userId: raw.UserId ?? '',
        createdAt: isoDate(raw.CreateDate),
        tags: Object.fromEntries(records(raw.Tags, `user ${userName} Tags`).filter((tag) => tag.Key !== undefined).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
        groupNames: strings(raw.GroupList, `user ${userName} GroupList`),
        inlinePolicies: inlinePolicies(raw.UserPolicyList, `user ${userName}`, gaps),
        attachedPolicyArns: attachedArns(raw.AttachedManagedPolicies, `user ${userName}`),
        permissionsBoundaryArn: raw.PermissionsBoundary?.PermissionsBoundaryArn,
      });
    }
    for (const raw of records(page.GroupDetailList, 'GroupDetailList')) {
      const groupName = raw.GroupName ?? '';
      if (groupName === '') continue;
      groups.push({
        groupName,
        arn: raw.Arn ?? '',
        path: raw.Path ?? '/',
        groupId: raw.GroupId ?? '',
        createdAt: isoDate(raw.CreateDate),
        inlinePolicies: inlinePolicies(raw.GroupPolicyList, `group ${groupName}`, gaps),
        attachedPolicyArns: attachedArns(raw.AttachedManagedPolicies, `group ${groupName}`),
      });
    }
    for (const raw of records(page.Policies, 'Policies')) {
      const arn = raw.Arn ?? '';
      if (arn === '') continue;
      const versions = records(raw.PolicyVersionList, `policy ${arn} PolicyVersionList`);
      const version =
        versions.find((candidate) => candidate.IsDefaultVersion === true) ??
        versions.find((candidate) => candidate.VersionId !== undefined && candidate.VersionId === raw.DefaultVersionId);
      const document = version === undefined ? undefined : decodePolicyDocument(version.Document);
      if (document === undefined) gaps.push({ fact: 'policies', cause: version === undefined ? 'document-missing' : 'unreadable', detail: arn });
      managedPolicies.push({ arn, name: raw.PolicyName ?? arn.split('/').pop() ?? arn, defaultVersionId: raw.DefaultVersionId, document });
    }
  }
  return { users, groups, managedPolicies, gaps };
}

function inlinePolicies(list: readonly RawInlinePolicy[] | undefined, owner: string, gaps: DataGap[]): InlinePolicy[] {
  return records(list, `${owner} inline policies`).map((raw) => {
    const name = raw.PolicyName ?? '';
    const document = decodePolicyDocument(raw.PolicyDocument);
    if (document === undefined) gaps.push({ fact: 'policies', cause: 'unreadable', detail: `${owner} inline ${name}` });
    return { name, document };
  });
}

function attachedArns(list: readonly RawAttachedPolicy[] | undefined, owner: string): string[] {
  return records(list, `${owner} AttachedManagedPolicies`).map((policy) => policy.PolicyArn ?? '').filter((arn) => arn !== '');
}

/**
 * A list of objects from the export; absent is empty. Anything else means a hand-edited or truncated file: refuse it
 * in one line rather than guess (a guessed empty list would hide users or groups).
 */
function records<T extends object>(value: readonly T[] | undefined | null, what: string): readonly T[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((item: unknown) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    return value;
  }
  throw malformed(`${what} is not a list of objects`);
}

function strings(value: readonly string[] | undefined, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((item: unknown) => typeof item === 'string')) return [...value];
  throw malformed(`${what} is not a list of names`);
}

function malformed(problem: string): Error {
  return inputError('authorization-details-shape', `the authorization details are malformed (${problem}): export them again with \`aws iam get-account-authorization-details --output json\``);
}

/**
 * The API returns documents URL-encoded (RFC 3986); the AWS CLI decodes them into JSON objects. Accept both, and a
 * plain JSON string. Undefined when the document is absent or not JSON.
 */
export function decodePolicyDocument(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  try {
    return JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text));
  } catch {
    return undefined;
  }
}

export function isoDate(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
