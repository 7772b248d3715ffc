import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { GuardOptions } from '../../src/policy/options.js';
import { buildGuard, type GuardDefinition } from '../../src/policy/guard.js';
import { GROUP_LOGICAL_ID } from '../../src/render/cloudformation.js';
import { renderGuard } from '../../src/render/guard.js';

// Each renderer's output parsed back the way its consumer reads it, compared with the guard it was rendered from.
const seedFile = JSON.parse(readFileSync(new URL('../fixtures/seed-policy.json', import.meta.url), 'utf8')) as {
  GroupName: string;
  PolicyName: string;
  PolicyDocument: unknown;
};

const OPTION_SETS: readonly { readonly name: string; readonly options: Partial<GuardOptions> }[] = [
  { name: 'seed', options: { profile: 'seed' } },
  { name: 'recommended', options: {} },
  {
    name: 'recommended, every option changed',
    options: {
      groupName: 'MfaRequired',
      policyName: 'RequireMfa',
      allowPasswordChangeWithoutMfa: false,
      selfService: ['access-keys', 'ssh-keys', 'git-credentials', 'signing-certificates'],
      extraExemptActions: ['iam:ListAccountAliases', 'sts:GetCallerIdentity'],
      accessKeyEnrollmentExemptUsers: ['ci-*', 'deploy?'],
    },
  },
  { name: 'aws-cn', options: { partition: 'aws-cn' } },
  { name: 'aws-us-gov without the access-key guarantee', options: { partition: 'aws-us-gov', denyAccessKeyEnrollment: false } },
];

interface CloudFormationGroup {
  Parameters: { GroupName: { Default: string } };
  Resources: Record<string, { Type: string; Properties: { GroupName: unknown; Policies: { PolicyName: string; PolicyDocument: unknown }[] } }>;
}

interface TerraformGuard {
  variable: { force_mfa_group_name: { default: string } };
  resource: {
    aws_iam_group: { force_mfa: { name: string } };
    aws_iam_group_policy: { force_mfa: { name: string; group: string; policy: string } };
  };
}

/** What Terraform's template engine makes of a string in which `$${` and `%%{` are the only `${` and `%{`. */
function terraformLiteral(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** Every `${` (or `%{`) preceded by its escape character: nothing left for Terraform to interpolate. */
function hasOnlyEscapedTemplates(text: string): boolean {
  return !/(^|[^$])\$\{/.test(text) && !/(^|[^%])%\{/.test(text) && !/\$\$\$\{|%%%\{/.test(text);
}

function cloudFormationGroup(template: CloudFormationGroup): CloudFormationGroup['Resources'][string] {
  const group = template.Resources[GROUP_LOGICAL_ID];
  expect(group?.Type).toBe('AWS::IAM::Group');
  return group as CloudFormationGroup['Resources'][string];
}

describe.each(OPTION_SETS)('renderers round-trip the $name guard', ({ options }) => {
  const guard: GuardDefinition = buildGuard(options);

  it.each([
    { format: 'cloudformation' as const, read: (text: string) => parse(text) as CloudFormationGroup },
    { format: 'cloudformation-json' as const, read: (text: string) => JSON.parse(text) as CloudFormationGroup },
  ])('$format: the group policy is the guard document, named as the guard', ({ format, read }) => {
    const template = read(renderGuard(guard, format));
    const group = cloudFormationGroup(template);
    expect(group.Properties.Policies).toHaveLength(1);
    expect(group.Properties.Policies[0]?.PolicyDocument).toStrictEqual(guard.document);
    expect(group.Properties.Policies[0]?.PolicyName).toBe(guard.policyName);
    expect(group.Properties.GroupName).toStrictEqual({ Ref: 'GroupName' });
    expect(template.Parameters.GroupName.Default).toBe(guard.groupName);
  });

  it('terraform: the policy string, as Terraform reads it, is the guard document', () => {
    const config = JSON.parse(renderGuard(guard, 'terraform')) as TerraformGuard;
    const policy = config.resource.aws_iam_group_policy.force_mfa;
    expect(hasOnlyEscapedTemplates(policy.policy)).toBe(true);
    expect(JSON.parse(terraformLiteral(policy.policy))).toStrictEqual(guard.document);
    expect(policy.name).toBe(guard.policyName);
    expect(policy.group).toBe('${aws_iam_group.force_mfa.name}');
    expect(config.resource.aws_iam_group.force_mfa.name).toBe('${var.force_mfa_group_name}');
    expect(config.variable.force_mfa_group_name.default).toBe(guard.groupName);
  });

  it('policy: the JSON is the guard document', () => {
    expect(JSON.parse(renderGuard(guard, 'policy'))).toStrictEqual(guard.document);
  });

  it('every format carries ${aws:username} as AWS will see it', () => {
    const literal = `arn:${guard.options.partition}:iam::*:user/\${aws:username}`;
    const asAwsSeesIt = {
      cloudformation: (text: string) => JSON.stringify((parse(text) as CloudFormationGroup).Resources),
      'cloudformation-json': (text: string) => JSON.stringify((JSON.parse(text) as CloudFormationGroup).Resources),
      terraform: (text: string) => terraformLiteral((JSON.parse(text) as TerraformGuard).resource.aws_iam_group_policy.force_mfa.policy),
      policy: (text: string) => text,
    };
    for (const [format, read] of Object.entries(asAwsSeesIt)) {
      expect(read(renderGuard(guard, format as keyof typeof asAwsSeesIt)), format).toContain(literal);
    }
  });
});

describe('template --guard seed', () => {
  const seed = buildGuard({ profile: 'seed' });

  it.each([
    { format: 'cloudformation' as const, read: (text: string) => parse(text) as CloudFormationGroup },
    { format: 'cloudformation-json' as const, read: (text: string) => JSON.parse(text) as CloudFormationGroup },
  ])('$format: group, policy name and policy are the seed file, the boolean false included', ({ format, read }) => {
    const template = read(renderGuard(seed, format));
    const group = cloudFormationGroup(template);
    expect(template.Parameters.GroupName.Default).toBe(seedFile.GroupName);
    expect(group.Properties.Policies).toStrictEqual([{ PolicyName: seedFile.PolicyName, PolicyDocument: seedFile.PolicyDocument }]);
  });

  it('terraform and policy: the seed document', () => {
    const terraform = JSON.parse(renderGuard(seed, 'terraform')) as TerraformGuard;
    expect(JSON.parse(terraformLiteral(terraform.resource.aws_iam_group_policy.force_mfa.policy))).toStrictEqual(seedFile.PolicyDocument);
    expect(terraform.resource.aws_iam_group_policy.force_mfa.name).toBe(seedFile.PolicyName);
    expect(terraform.variable.force_mfa_group_name.default).toBe(seedFile.GroupName);
    expect(JSON.parse(renderGuard(seed, 'policy'))).toStrictEqual(seedFile.PolicyDocument);
  });

  it('the seed YAML writes false as a boolean and ${aws:username} as plain text', () => {
    const yaml = renderGuard(seed, 'cloudformation');
    expect(yaml).toMatch(/aws:MultiFactorAuthPresent: false$/m);
    expect(yaml).toContain('arn:aws:iam::*:user/${aws:username}');
  });
});

describe('the Terraform escape check', () => {
  it.each([
    { text: '"arn:aws:iam::*:user/$${aws:username}"', ok: true },
    { text: '"arn:aws:iam::*:user/${aws:username}"', ok: false },
    { text: '${aws:username}', ok: false },
    { text: '"%%{if x}"', ok: true },
    { text: '"%{if x}"', ok: false },
    { text: '"$$${x}"', ok: false },
  ])('$text → only escaped: $ok', ({ text, ok }) => {
    expect(hasOnlyEscapedTemplates(text)).toBe(ok);
  });
});
