/** The one registry of lint rule metadata; docs/rules.md and every report text come from here. */
import { ESCAPE_ACTIONS, FEW_ACTIONS } from './rules/open-without-mfa.js';
import type { RuleMetadata } from './types.js';

export const RULES = [
  {
    id: 'FMFA001',
    name: 'mfa-deny-without-ifexists',
    severity: 'error',
    title: 'The MFA deny uses Bool instead of BoolIfExists',
    why:
      'Requests signed with long-term access keys carry no aws:MultiFactorAuthPresent key at all. A condition without ' +
      '`IfExists` never matches a missing key, so a Deny on `Bool: {"aws:MultiFactorAuthPresent": "false"}` does not ' +
      'apply to them: anyone holding a user\'s access keys bypasses the MFA requirement.',
    fix: 'Use `"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}` in the Deny statement.',
  },
  {
    id: 'FMFA002',
    name: 'device-name-scoped-to-user-name',
    severity: 'warning',
    title: 'Virtual MFA device creation is limited to mfa/${aws:username}',
    why:
      'Since November 2022 users name their virtual MFA devices in the console and may keep up to eight devices. ' +
      'CreateVirtualMFADevice on `mfa/${aws:username}` fails for every other name, so enrollment breaks for users ' +
      'who pick their own device name or add a second device.',
    fix: 'Allow `iam:CreateVirtualMFADevice` on `arn:aws:iam::*:mfa/*` (the device is bound to the user by EnableMFADevice on the own user).',
  },
  {
    id: 'FMFA003',
    name: 'mfa-removal-without-mfa',
    severity: 'error',
    title: 'DeleteVirtualMFADevice or DeactivateMFADevice is reachable without MFA',
    why:
      'Whoever signs in without MFA (for example with a stolen password) could remove the second factor of the ' +
      'account\'s users, including their own, or delete other users\' unassigned devices. The policy is evaluated ' +
      'for a console session without MFA and for long-term access keys, alone and beside a policy that allows ' +
      'everything (such as AdministratorAccess): if the action is allowed, the guard does not stop it.',
    fix:
      'Do not exempt `iam:DeactivateMFADevice` or `iam:DeleteVirtualMFADevice` from the MFA deny; allow ' +
      'DeactivateMFADevice on the own user only with `"Bool": {"aws:MultiFactorAuthPresent": "true"}`, and leave ' +
      'the deletion of unassigned devices to administrators.',
  },
  {
    id: 'FMFA004',
    name: 'bootstrap-not-own-user',
    severity: 'warning',
    title: 'Bootstrap actions are not limited to the caller\'s own user',
    why:
      'The MFA deny exempts its bootstrap actions (EnableMFADevice, ResyncMFADevice, GetUser, ...) on every resource. ' +
      'When another policy attached to the user allows more (for example AdministratorAccess), a member without MFA ' +
      'can act on OTHER users\' MFA devices. Checked by evaluating the policy beside a policy that allows everything, ' +
      'for a console session without MFA and for long-term access keys, on another user\'s ARN.',
    fix:
      'Add a Deny statement with the user-scoped bootstrap actions as `Action`, the own user as `NotResource` ' +
      '(`arn:aws:iam::*:user/${aws:username}` and `arn:aws:iam::*:user/*/${aws:username}`) and ' +
      '`"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}` (the recommended profile does).',
  },
  {
    id: 'FMFA005',
    name: 'enrollment-with-access-keys',
    severity: 'warning',
    title: 'An MFA device can be enrolled with long-term access keys alone',
    why:
      'After AWS-2023-001 a user who already has MFA must use it to add a device, but a user with access keys and no ' +
      'device yet can still enroll one with the keys alone: a leaked key lets an attacker enroll their own device ' +
      'and then pass every MFA check. Checked by evaluating iam:CreateVirtualMFADevice and iam:EnableMFADevice ' +
      'without the aws:MultiFactorAuthPresent key, beside a policy that allows everything.',
    fix:
      'Add a Deny statement for `iam:CreateVirtualMFADevice`, `iam:EnableMFADevice` (and the other device changes) ' +
      'with `"Null": {"aws:MultiFactorAuthPresent": "true"}`; console enrollment keeps working. Programmatic-only ' +
      'users then enroll from the console or through an administrator.',
  },
  {
    id: 'FMFA006',
    name: 'unknown-action',
    severity: 'error',
    title: 'Unknown or misspelled action',
    why:
      'IAM accepts actions that do not exist and silently ignores them. A misspelled action in the deny\'s NotAction ' +
      'locks users out of a step of enrollment; in an Allow it grants nothing.',
    fix: 'Use the action name from the AWS Service Authorization Reference (the message suggests the closest known name).',
  },
  {
    id: 'FMFA007',
    name: 'wildcard-matches-nothing',
    severity: 'warning',
    title: 'Action pattern matches no known action',
    why: 'A pattern with `*` or `?` that matches no action of the catalogue has no effect, which is rarely what was meant.',
    fix: 'Correct the pattern (service prefix and action name) or remove it.',
  },
  {
    id: 'FMFA008',
    name: 'no-mfa-deny',
    severity: 'error',
    title: 'No statement denies requests made without MFA',
    why:
      'Forcing MFA needs a Deny statement conditioned on aws:MultiFactorAuthPresent. Allow statements alone never ' +
      'force MFA, in a policy file, a template or a Terraform configuration alike. The rule looks at the whole file: ' +
      'the deny may sit in any policy of it.',
    fix:
      'Add the guard\'s deny: `"Effect": "Deny"`, `NotAction` the bootstrap actions, `"Resource": "*"`, ' +
      '`"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}` (or render it with `force-mfa template`).',
  },
  {
    id: 'FMFA009',
    name: 'variables-without-version',
    severity: 'error',
    title: 'Policy variables under a Version other than 2012-10-17',
    why:
      'IAM substitutes policy variables such as ${aws:username} only in documents with `"Version": "2012-10-17"`. ' +
      'With `2008-10-17` or no Version they are literal text: the own-user resources match no user, and the ' +
      'guard\'s allows or denies silently miss.',
    fix: 'Set `"Version": "2012-10-17"` at the top of the policy document.',
  },
  {
    id: 'FMFA010',
    name: 'change-password-not-exempt',
    severity: 'warning',
    title: 'iam:ChangePassword is denied without MFA (first sign-in deadlock)',
    why:
      'A new user whose password must be reset at first sign-in has no MFA yet. When the deny covers ' +
      'iam:ChangePassword the user can neither change the password nor reach the MFA setup. Exempting it lets a ' +
      'holder of the password change it without MFA: a trade-off, reported as a warning.',
    fix:
      'Exempt `iam:ChangePassword` (and `iam:GetAccountPasswordPolicy`) from the deny and allow it on the own user, ' +
      'or make sure new users never need a password reset at first sign-in.',
  },
  {
    id: 'FMFA011',
    name: 'uncontrollable-action',
    severity: 'info',
    title: 'Action that IAM policies cannot control',
    why:
      'AWS does not authorize sts:GetSessionToken or sts:GetCallerIdentity with IAM policies: listing them in ' +
      'Action or NotAction has no effect, and suggests a protection or an exemption that does not exist.',
    fix: 'Remove the action from the statement; callers can always use it.',
  },
  {
    id: 'FMFA012',
    name: 'policy-too-large',
    severity: 'error',
    title: 'Policy over IAM\'s size limit',
    why:
      'IAM rejects policies over its size limit (white space not counted): 5,120 characters for a group\'s inline ' +
      'policies, 2,048 for a user\'s, 10,240 for a role\'s (all inline policies of one group, user or role count ' +
      'together), 6,144 for a managed policy. A bare policy file is checked against the group limit, where the guard ' +
      'lives. The deployment would fail.',
    fix: 'Shorten the policy: merge statements, drop actions that are not needed, or split it over managed policies.',
  },
  {
    id: 'FMFA013',
    name: 'malformed-policy',
    severity: 'error',
    title: 'Malformed policy document or statement',
    why:
      'A document or statement that does not have the shape IAM expects is rejected at deployment, or cannot be ' +
      'evaluated exactly; the linter reports it instead of skipping it.',
    fix: 'Correct the element named in the message (Effect, Action/NotAction, Resource/NotResource, Condition, Version).',
  },
  {
    id: 'FMFA014',
    name: 'unresolved-value',
    severity: 'warning',
    severityNote:
      'error in the CDK pack (ForceMfaChecks) when the CDK cannot render an IAM resource at all: nothing of it was read.',
    title: 'Statement could not be checked',
    why:
      'The statement (or the whole document) is built from values the linter cannot resolve offline: CloudFormation ' +
      'intrinsic functions such as Fn::GetAtt, Fn::If or a Ref to a resource or a parameter without default, or a ' +
      'Terraform interpolation. Its rules were not checked, and the checks that evaluate the whole policy were ' +
      'skipped: unknown is never reported as clean.',
    fix: 'Lint the rendered policy (for example the output of `force-mfa template --format policy` or a synthesized template), or give parameters defaults.',
  },
  {
    id: 'FMFA015',
    name: 'switchable-mfa-deny',
    severity: 'error',
    severityNote:
      'error when the key is one the caller or the network supplies (aws:UserAgent, aws:Referer, aws:RequestTag/*, ' +
      'aws:TagKeys, aws:SourceIp, aws:SourceVpc, aws:SourceVpce, aws:CalledVia, aws:ViaAWSService, ' +
      'aws:RequestedRegion, aws:SecureTransport, aws:CurrentTime, aws:EpochTime, aws:SourceArn, ...); warning for ' +
      'any other key (aws:PrincipalOrgID, aws:PrincipalTag/*, aws:ResourceTag/*, service keys); not raised for the ' +
      'principal\'s own identity (aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType), ' +
      'which names exempt principals and cannot be switched per request (verify fixes those keys too).',
    title: 'The MFA deny is conditioned on a key beyond the MFA keys',
    why:
      'A statement\'s conditions are ANDed: a Deny on `"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}` ' +
      'plus, say, `"StringNotLikeIfExists": {"aws:UserAgent": "*Terraform*"}` denies only requests whose user agent ' +
      'does not mention Terraform. The caller chooses its user agent, so anyone with a password or access keys and ' +
      'no MFA escapes the deny. verify and audit try every value of such keys (docs/guarantees.md) and report the ' +
      'guard as not enforcing MFA.',
    fix:
      'Condition the MFA deny on the MFA keys only; put other restrictions (network, region, tags) in a Deny ' +
      'statement of their own, or exempt users by leaving them out of the guard group.',
  },
  {
    id: 'FMFA016',
    name: 'no-policy-found',
    severity: 'error',
    title: 'No IAM policy in the file',
    why:
      'A file that holds no IAM policy document (a CloudFormation template without IAM groups, users, roles or ' +
      'policies, a Terraform configuration without policy resources) forces nothing. A gate that reported "no ' +
      'findings" on it would pass a deployment without any guard.',
    fix: 'Lint the file that holds the guard (for example the output of `force-mfa template`), or add the guard group to it.',
  },
  {
    id: 'FMFA017',
    name: 'open-without-mfa',
    severity: 'error',
    severityNote: `warning when the guard opens at most ${FEW_ACTIONS} actions, no whole service and none of the actions that leave or dismantle the guard; error when it opens every action of a service that IAM policies control, more than ${FEW_ACTIONS} actions, or any of ${ESCAPE_ACTIONS.join(', ')} (a member without MFA leaves the group or removes its policy).`,
    title: 'Actions beyond MFA setup are usable without MFA',
    why:
      'The guard is verified over the whole action catalogue, beside a policy that allows everything (standing for ' +
      'AdministratorAccess), for a console session without MFA and for long-term access keys. Every action it lets ' +
      'through beyond MFA setup (the bootstrap actions of force-mfa\'s profiles) is usable with a stolen password ' +
      'or a leaked access key alone: a NotAction entry of the deny, an exempt action (`--exempt-action`) or an Allow ' +
      'that the deny does not cover opens it. The finding counts the actions and names their services.',
    fix:
      'Remove the entry from the deny\'s NotAction (or drop `--exempt-action`), or exempt only the named actions that ' +
      'must work before MFA; `force-mfa verify --policy FILE --with-policy AdministratorAccess` lists every one.',
  },
] as const satisfies readonly RuleMetadata[];

export type RuleId = (typeof RULES)[number]['id'];

const BY_ID: ReadonlyMap<string, RuleMetadata> = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleMetadata(id: RuleId): RuleMetadata {
  const rule = BY_ID.get(id);
  if (rule === undefined) throw new Error(`lint rule ${id} is not in the registry`);
  return rule;
}
