/** RolloutIam and RolloutSts over the AWS SDK v3: every page read, "no such entity" turned into answers or errors. */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { environmentError } from '../../errors.js';
import { tagRecord } from '../exemption.js';
import type { GroupReader } from '../deploy/read-back.js';
import type { RolloutIam, RolloutSts, UserSummary } from '../iam.js';
import { pageTokenGuard } from '../../aws/pagination.js';

/** IAM returns policy documents URL-encoded. */
function decodePolicy(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(decodeURIComponent(text));
}

function isNoSuchEntity(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'NoSuchEntityException';
}

/** Reads every page of a Marker/IsTruncated listing. */
async function allPages<P extends { IsTruncated?: boolean | undefined; Marker?: string | undefined }, T>(
  fetchPage: (marker: string | undefined) => Promise<P>,
  itemsOf: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const items: T[] = [];
  const next = pageTokenGuard('an IAM listing');
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker);
    items.push(...(itemsOf(page) ?? []));
    marker = page.IsTruncated === true ? next(page.Marker) : undefined;
  } while (marker !== undefined);
  return items;
}

export async function sdkRolloutIam(client: IAMClient): Promise<RolloutIam> {
  const sdk = await import('@aws-sdk/client-iam');
  const iam: RolloutIam = {
    async listAllUsers(pathPrefix) {
      const users = await allPages(
        (Marker) => client.send(new sdk.ListUsersCommand({ Marker, PathPrefix: pathPrefix })),
        (page) => page.Users,
      );
      return users.map((user): UserSummary => ({ userName: user.UserName ?? '', arn: user.Arn ?? '', path: user.Path ?? '/' }));
    },
    async getGroupMembers(groupName) {
      return [...(await iam.getGroup(groupName)).members];
    },
    async getGroup(groupName) {
      try {
        let arn = '';
        const users = await allPages(
          async (Marker) => {
            const page = await client.send(new sdk.GetGroupCommand({ GroupName: groupName, Marker }));
            arn ||= page.Group?.Arn ?? '';
            return page;
          },
          (page) => page.Users,
        );
        return { arn, members: users.map((user) => user.UserName ?? '') };
      } catch (error) {
        if (isNoSuchEntity(error)) {
          throw environmentError('group-not-found', `IAM group ${groupName} does not exist in this account: deploy the guard first or name the right group`, error);
        }
        throw error;
      }
    },
    async getUserDetails(userName) {
      try {
        const { User: user } = await client.send(new sdk.GetUserCommand({ UserName: userName }));
        return { userId: user?.UserId ?? '', permissionsBoundaryArn: user?.PermissionsBoundary?.PermissionsBoundaryArn };
      } catch (error) {
        if (isNoSuchEntity(error)) return undefined;
        throw error;
      }
    },
    async tagUser(userName, tags) {
      await client.send(new sdk.TagUserCommand({ UserName: userName, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
    },
    async untagUser(userName, keys) {
      await client.send(new sdk.UntagUserCommand({ UserName: userName, TagKeys: [...keys] }));
    },
    async listMfaDevices(userName) {
      const devices = await allPages(
        (Marker) => client.send(new sdk.ListMFADevicesCommand({ UserName: userName, Marker })),
        (page) => page.MFADevices,
      );
      return devices.map((device) => device.SerialNumber ?? '');
    },
    async listUserTags(userName) {
      const tags = await allPages(
        (Marker) => client.send(new sdk.ListUserTagsCommand({ UserName: userName, Marker })),
        (page) => page.Tags,
      );
      return tagRecord(tags);
    },
    async hasConsolePassword(userName) {
      try {
        await client.send(new sdk.GetLoginProfileCommand({ UserName: userName }));
        return true;
      } catch (error) {
        if (isNoSuchEntity(error)) return false;
        throw error;
      }
    },
    async countActiveAccessKeys(userName) {
      const keys = await allPages(
        (Marker) => client.send(new sdk.ListAccessKeysCommand({ UserName: userName, Marker })),
        (page) => page.AccessKeyMetadata,
      );
      return keys.filter((key) => key.Status === 'Active').length;
    },
    async listAttachedUserPolicyArns(userName) {
      const policies = await allPages(
        (Marker) => client.send(new sdk.ListAttachedUserPoliciesCommand({ UserName: userName, Marker })),
        (page) => page.AttachedPolicies,
      );
      return policies.map((policy) => policy.PolicyArn ?? '');
    },
    async listGroupsForUser(userName) {
      const groups = await allPages(
        (Marker) => client.send(new sdk.ListGroupsForUserCommand({ UserName: userName, Marker })),
        (page) => page.Groups,
      );
      return groups.map((group) => group.GroupName ?? '');
    },
    async listAttachedGroupPolicyArns(groupName) {
      const policies = await allPages(
        (Marker) => client.send(new sdk.ListAttachedGroupPoliciesCommand({ GroupName: groupName, Marker })),
        (page) => page.AttachedPolicies,
      );
      return policies.map((policy) => policy.PolicyArn ?? '');
    },
    async listUserInlinePolicies(userName) {
      const names = await allPages(
        (Marker) => client.send(new sdk.ListUserPoliciesCommand({ UserName: userName, Marker })),
        (page) => page.PolicyNames,
      );
      return Promise.all(
        names.map(async (name) => {
          const policy = await client.send(new sdk.GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
          return { name: `user ${userName} inline ${name}`, document: decodePolicy(policy.PolicyDocument) };
        }),
      );
    },
    async listGroupInlinePolicies(groupName) {
      const names = await allPages(
        (Marker) => client.send(new sdk.ListGroupPoliciesCommand({ GroupName: groupName, Marker })),
        (page) => page.PolicyNames,
      );
      return Promise.all(
        names.map(async (name) => {
          const policy = await client.send(new sdk.GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name }));
          return { name: `group ${groupName} inline ${name}`, document: decodePolicy(policy.PolicyDocument) };
        }),
      );
    },
    async managedPolicyDocument(policyArn) {
      const policy = await client.send(new sdk.GetPolicyCommand({ PolicyArn: policyArn }));
      const version = await client.send(
        new sdk.GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.Policy?.DefaultVersionId }),
      );
      return decodePolicy(version.PolicyVersion?.Document);
    },
    async addUserToGroup(groupName, userName) {
      await client.send(new sdk.AddUserToGroupCommand({ GroupName: groupName, UserName: userName }));
    },
    async removeUserFromGroup(groupName, userName) {
      await client.send(new sdk.RemoveUserFromGroupCommand({ GroupName: groupName, UserName: userName }));
    },
  };
  return iam;
}

export async function sdkRolloutSts(client: STSClient): Promise<RolloutSts> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  return {
    async getCallerIdentity() {
      const identity = await client.send(new GetCallerIdentityCommand({}));
      // The credentials that signed the call: a session token means temporary credentials.
      const credentials = await client.config.credentials();
      return {
        account: identity.Account ?? '',
        arn: identity.Arn ?? '',
        hasSessionToken: typeof credentials.sessionToken === 'string' && credentials.sessionToken.length > 0,
      };
    },
  };
}

/** The account's first alias (an account has at most one), or undefined. */
export async function accountAlias(client: IAMClient): Promise<string | undefined> {
  const { ListAccountAliasesCommand } = await import('@aws-sdk/client-iam');
  const page = await client.send(new ListAccountAliasesCommand({}));
  return page.AccountAliases?.[0];
}

function isAccessDenied(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'AccessDenied' || name === 'AccessDeniedException';
}

/**
 * Whether the user has a console password (GetLoginProfile: NoSuchEntity means none), or undefined when the caller
 * may not read it (AccessDenied), for messages that can say "if you have no password".
 */
export async function consolePasswordIfReadable(client: IAMClient, userName: string): Promise<boolean | undefined> {
  const { GetLoginProfileCommand } = await import('@aws-sdk/client-iam');
  try {
    await client.send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (error) {
    if (isNoSuchEntity(error)) return false;
    if (isAccessDenied(error)) return undefined;
    throw error;
  }
}

/**
 * Reads a group back as IAM holds it: GetGroup, every inline policy (GetGroupPolicy) and every attached policy's
 * default version. A group that is missing, or vanishes while it is read, is undefined; an undecodable document is an
 * AWS failure, never a policy.
 */
export async function sdkGroupReader(client: IAMClient): Promise<GroupReader> {
  const sdk = await import('@aws-sdk/client-iam');
  const iam = await sdkRolloutIam(client);
  const decoded = (text: string | undefined, what: string): unknown => {
    if (text === undefined) throw environmentError('policy-undecodable', `IAM returned ${what} without a document`);
    try {
      return decodePolicy(text);
    } catch (error) {
      throw environmentError('policy-undecodable', `IAM returned ${what} in a form that is not a URL-encoded JSON document`, error);
    }
  };
  return {
    async readGroup(groupName) {
      let arn: string;
      let inlinePolicies: { policyName: string; document: unknown }[];
      let arns: string[];
      try {
        const group = await client.send(new sdk.GetGroupCommand({ GroupName: groupName, MaxItems: 1 }));
        arn = group.Group?.Arn ?? '';
        const names = await allPages(
          (Marker) => client.send(new sdk.ListGroupPoliciesCommand({ GroupName: groupName, Marker })),
          (page) => page.PolicyNames,
        );
        inlinePolicies = await Promise.all(
          names.map(async (policyName) => {
            const policy = await client.send(new sdk.GetGroupPolicyCommand({ GroupName: groupName, PolicyName: policyName }));
            return { policyName, document: decoded(policy.PolicyDocument, `inline policy ${policyName} of group ${groupName}`) };
          }),
        );
        arns = await iam.listAttachedGroupPolicyArns(groupName);
      } catch (error) {
        if (isNoSuchEntity(error)) return undefined;
        throw error;
      }
      // A managed policy cannot be deleted while attached: NoSuchEntity here is an AWS failure, not a missing group.
      const attachedPolicies = await Promise.all(
        arns.map(async (policyArn) => {
          const policy = await client.send(new sdk.GetPolicyCommand({ PolicyArn: policyArn }));
          const version = await client.send(new sdk.GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.Policy?.DefaultVersionId }));
          return { arn: policyArn, document: decoded(version.PolicyVersion?.Document, `the default version of ${policyArn}`) };
        }),
      );
      return { groupName, arn, inlinePolicies, attachedPolicies };
    },
  };
}
