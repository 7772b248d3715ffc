/** Reading lint inputs: policy files, CloudFormation (short-form tags, intrinsics) and Terraform JSON (escapes). */
import { describe, expect, it } from 'vitest';
import { isForceMfaError } from '../../src/errors.js';
import { readLintInput } from '../../src/lint/inputs.js';
import { fixtureInput, lintText, ruleIds } from './helpers.js';

function only<T>(list: readonly T[]): T {
  expect(list).toHaveLength(1);
  return list[0] as T;
}

function statements(document: unknown): Record<string, unknown>[] {
  return (document as { Statement: Record<string, unknown>[] }).Statement;
}

describe('CloudFormation YAML with short-form functions', () => {
  it('resolves !Ref, !Sub (with ${!x} escapes and parameter defaults) and !Join', () => {
    const input = fixtureInput('rules/FMFA004.pass.yaml');
    expect(input.format).toBe('cloudformation');
    const policy = only(input.policies);
    expect(policy).toMatchObject({
      location: 'Resources.ForceMfaGroup.Policies[0]',
      policyName: 'ForceMfaAccessPolicy',
      attachedTo: 'group ForceMfaAccess',
      sizeLimit: { limit: 5120 },
      unresolved: [],
    });
    expect(statements(policy.document)[1]?.['NotResource']).toEqual([
      'arn:aws:iam::123456789012:user/${aws:username}',
      'arn:aws:iam::123456789012:user/*/${aws:username}',
    ]);
    // YAML booleans reach the evaluator as CloudFormation passes them on.
    expect(statements(policy.document)[0]?.['Condition']).toEqual({ BoolIfExists: { 'aws:MultiFactorAuthPresent': false } });
  });

  it('resolves Fn::Sub variable maps, Fn::Select, Fn::Split and Fn::FindInMap; AWS::NoValue removes an item', () => {
    const template = `
Mappings:
  Devices: { Names: { Pattern: 'mfa/*' } }
Resources:
  Guard:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: iam:CreateVirtualMFADevice
            Resource:
              - !Sub ['arn:\${P}:iam::*:\${D}', { P: !Ref AWS::Partition, D: !FindInMap [Devices, Names, Pattern] }]
              - !Select [1, !Split [',', 'a,arn:aws:iam::*:mfa/team-*']]
              - !Ref AWS::NoValue
`;
    const policy = only(readLintInput('guard.yaml', template).policies);
    expect(policy.sizeLimit).toEqual({ limit: 6144, kind: 'a managed policy' });
    expect(policy.unresolved).toEqual([]);
    expect(statements(policy.document)[0]?.['Resource']).toEqual(['arn:aws:iam::*:mfa/*', 'arn:aws:iam::*:mfa/team-*']);
  });

  it('resolves !GetAtt X.Arn of a resource of the template from its type and name; other attributes stay unresolved', () => {
    const template = `
Resources:
  Guard:
    Type: AWS::IAM::Group
    Properties: { GroupName: !Sub '\${AWS::StackName}-guard', Path: /team/ }
  Queue:
    Type: AWS::SQS::Queue
  Loop:
    Type: AWS::IAM::Role
    Properties: { RoleName: !GetAtt Loop.Arn }
  Worker:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: Work
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - { Effect: Allow, Action: iam:AddUserToGroup, Resource: !GetAtt Guard.Arn }
              - { Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt [Queue, Arn] }
              - { Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Queue.QueueUrl }
              - { Effect: Allow, Action: iam:GetRole, Resource: !GetAtt Loop.Arn }
              - { Effect: Allow, Action: iam:GetRole, Resource: !GetAtt Elsewhere.Arn }
`;
    const policy = only(readLintInput('worker.yaml', template).policies);
    const resources = statements(policy.document).map((statement) => statement['Resource']);
    expect(resources.slice(0, 2)).toEqual(['arn:aws:iam::123456789012:group/team/stack-guard', 'arn:aws:sqs:us-east-1:123456789012:stack-Queue-GENERATED']);
    expect(policy.unresolved.map((entry) => entry.path)).toEqual([
      ['Statement', 2, 'Resource'],
      ['Statement', 3, 'Resource'],
      ['Statement', 4, 'Resource'],
    ]);
  });

  it('reports a statement built with !If or !GetAtt as unchecked, naming the statement', async () => {
    const result = await lintText('if.yaml', `
Resources:
  Group:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: ForceMfa
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: DenyWithoutMfa
                Effect: Deny
                NotAction: iam:ChangePassword
                Resource: '*'
                Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }
              - !If [IsProd, { Effect: Allow, Action: 'iam:GetUser', Resource: '*' }, !Ref AWS::NoValue]
`);
    const finding = only(result.findings);
    expect(finding).toMatchObject({ ruleId: 'FMFA014', severity: 'warning', location: 'Resources.Group.Policies[0]', statementIndex: 1 });
    expect(finding.message).toContain('Fn::If cannot be resolved offline');
  });

  it('reports a policy entry or a whole Policies list built with !If as unchecked', async () => {
    const entry = await lintText('entry.yaml', `
Resources:
  Group:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - !If [IsProd, { PolicyName: ForceMfa, PolicyDocument: { Statement: [] } }, !Ref AWS::NoValue]
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies: !If [IsProd, [], []]
`);
    expect(entry.findings.map((finding) => [finding.ruleId, finding.location, finding.statementIndex])).toEqual([
      ['FMFA014', 'Resources.Group.Policies[0]', undefined],
      ['FMFA014', 'Resources.Role.Policies', undefined],
    ]);
  });

  it('reports a whole document given by a parameter without default as unchecked', async () => {
    const result = await lintText('param.yaml', `
Parameters: { Doc: { Type: String } }
Resources:
  P:
    Type: AWS::IAM::GroupPolicy
    Properties: { GroupName: ForceMfaAccess, PolicyName: ForceMfaAccess, PolicyDocument: !Ref Doc }
`);
    expect(result.findings.map((finding) => [finding.ruleId, finding.location, finding.message])).toEqual([
      ['FMFA014', 'Resources.P.PolicyDocument', 'the policy document could not be checked: Ref Doc names a resource or a parameter without default'],
    ]);
  });
});

describe('CloudFormation JSON', () => {
  const template = JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Attached: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'ReadOwnUser',
          Users: ['alice'],
          Groups: [{ Ref: 'Group' }],
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:user/${!aws:username}' } }] },
        },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { Policies: [{ PolicyName: 'AsText', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}' }] },
      },
      Bucket: { Type: 'AWS::S3::Bucket' },
    },
  });

  it('finds inline, attached and text documents with the right size limit', () => {
    const input = readLintInput('stack.template.json', template);
    expect(input.policies.map((policy) => [policy.location, policy.policyName, policy.attachedTo, policy.sizeLimit?.limit])).toEqual([
      ['Resources.Attached.PolicyDocument', 'ReadOwnUser', 'group (unresolved), user alice', 2048],
      ['Resources.Role.Policies[0]', 'AsText', 'role Role', 10240],
    ]);
    expect(statements(input.policies[0]?.document)[0]?.['Resource']).toBe('arn:aws:iam::*:user/${aws:username}');
    expect(statements(input.policies[1]?.document)[0]?.['Action']).toBe('s3:ListAllMyBuckets');
  });
});

describe('size limits', () => {
  it('counts the inline policies of one holder together (FMFA012)', async () => {
    const statement = (index: number) => ({ Sid: `ReadTeam${index}`, Effect: 'Allow', Action: 'iam:GetUser', Resource: Array.from({ length: 40 }, (_, n) => `arn:aws:iam::123456789012:user/team/member-${index}-${n}`) });
    const policy = (index: number) => ({ PolicyName: `Part${index}`, PolicyDocument: { Version: '2012-10-17', Statement: [statement(index)] } });
    const template = { Resources: { Group: { Type: 'AWS::IAM::Group', Properties: { GroupName: 'Team', Policies: [policy(1), policy(2), policy(3)] } } } };
    const result = await lintText('team.json', JSON.stringify(template));
    const sizes = result.findings.filter((finding) => finding.ruleId === 'FMFA012');
    expect(sizes).toHaveLength(1);
    expect(sizes[0]?.location).toBe('Resources.Group.Policies[0]');
    expect(sizes[0]?.message).toMatch(/^the 3 inline policies of group Team \(Resources\.Group\.Policies\[0\], .*\) are \d+ characters together, over IAM's limit of 5120/);
  });
});

describe('Terraform JSON', () => {
  it('unescapes $${ in a policy given as a JSON string, and reads the holder and the limit', () => {
    const policy = only(fixtureInput('rules/FMFA002.fail.tf.json').policies);
    expect(policy).toMatchObject({ location: 'aws_iam_group_policy.force_mfa.policy', policyName: 'ForceMfaAccess', sizeLimit: { limit: 5120 }, unresolved: [] });
    // The group is a reference: the holder's name is unknown, so it is not invented.
    expect(policy.attachedTo).toBeUndefined();
    expect(JSON.stringify(policy.document)).toContain('mfa/${aws:username}');
    expect(JSON.stringify(policy.document)).not.toContain('$${');
  });

  it('translates an aws_iam_policy_document data source (&{...}, conditions) referenced by the policy', () => {
    const policy = only(fixtureInput('rules/FMFA002.pass.tf.json').policies);
    expect(policy.location).toBe('aws_iam_group_policy.force_mfa.policy');
    const [deny] = statements(policy.document);
    expect(deny).toMatchObject({ Sid: 'DenyAllWithoutMfaExceptSetup', Effect: 'Deny', Resource: ['*'], Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } } });
    expect(statements(policy.document)[1]?.['NotResource']).toEqual(['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}']);
  });

  it('reports a policy built by a Terraform expression as unchecked, and lints an unreferenced data source on its own', async () => {
    const configuration = {
      resource: { aws_iam_user_policy: { ci: { name: 'ci', user: 'ci-bot', policy: '${jsonencode({Version = "2012-10-17"})}' } } },
      data: { aws_iam_policy_document: { spare: [{ version: '2008-10-17', statement: [{ actions: ['iam:GetUser'], resources: ['arn:aws:iam::*:user/$${aws:username}'] }] }] } },
    };
    const result = await lintText('main.tf.json', JSON.stringify(configuration));
    expect(result.findings.map((finding) => [finding.ruleId, finding.location])).toEqual([
      ['FMFA014', 'aws_iam_user_policy.ci.policy'],
      ['FMFA009', 'data.aws_iam_policy_document.spare'],
      // No FMFA008: the unchecked policy might hold the MFA deny, and FMFA014 already says it is unknown.
    ]);
  });

  it('reports a policy string that is not JSON as malformed', async () => {
    const result = await lintText('bad.tf.json', JSON.stringify({ resource: { aws_iam_policy: { p: { policy: '{"Version": ' } } } }));
    expect(ruleIds(result)).toContain('FMFA013');
    expect(result.findings.find((finding) => finding.ruleId === 'FMFA013')?.message).toMatch(/^the policy is not valid JSON/);
  });
});

describe('policy files', () => {
  const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] };

  it.each([
    ['a bare JSON document', 'p.json', JSON.stringify(document), 'policy', undefined],
    ['a bare YAML document', 'p.yaml', "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: iam:GetUser\n    Resource: '*'\n", 'policy', undefined],
    ['aws iam get-group-policy output', 'g.json', JSON.stringify({ GroupName: 'Devs', PolicyName: 'P', PolicyDocument: document }), 'PolicyDocument', 'group Devs'],
    ['a URL-encoded document', 'u.json', JSON.stringify({ UserName: 'bob', PolicyName: 'P', PolicyDocument: encodeURIComponent(JSON.stringify(document)) }), 'PolicyDocument', 'user bob'],
    ['aws iam get-policy-version output', 'v.json', JSON.stringify({ PolicyVersion: { Document: document, VersionId: 'v1' } }), 'PolicyVersion.Document', undefined],
  ])('reads %s', (_name, file, text, location, attachedTo) => {
    const policy = only(readLintInput(file, text).policies);
    expect(policy.location).toBe(location);
    expect(policy.attachedTo).toBe(attachedTo);
    expect(policy.document).toEqual(document);
  });

  it.each([
    ['invalid JSON', 'x.json', '{', /x\.json is not valid JSON/],
    ['invalid YAML', 'x.yaml', 'a: [', /x\.yaml is not valid YAML/],
    ['an unrelated document', 'x.yaml', 'name: something\n', /x\.yaml is neither an IAM policy document, a CloudFormation template nor a Terraform JSON configuration/],
  ])('rejects %s with an input error (exit code 2)', (_name, file, text, message) => {
    let caught: unknown;
    try {
      readLintInput(file, text);
    } catch (error) {
      caught = error;
    }
    expect(isForceMfaError(caught) && caught.exitCode).toBe(2);
    expect((caught as Error).message).toMatch(message);
  });
});

describe('IAM size limits per kind of policy (FMFA012), white space not counted', () => {
  /** A policy of exactly `size` characters without white space: one Allow whose Sid pads it. */
  function policyOfSize(size: number): Record<string, unknown> {
    const shell = { Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] };
    const padding = size - JSON.stringify(shell).length;
    return { ...shell, Statement: [{ ...shell.Statement[0], Sid: 'S'.repeat(padding) }] };
  }
  const template = (type: string, holder: Record<string, string>, size: number) =>
    JSON.stringify({ Resources: { P: { Type: type, Properties: { ...holder, PolicyName: 'P', PolicyDocument: policyOfSize(size) } } } }, null, 2);

  it.each([
    ['AWS::IAM::UserPolicy', { UserName: 'alice' }, 2048, "a user's inline policies"],
    ['AWS::IAM::GroupPolicy', { GroupName: 'G' }, 5120, "a group's inline policies"],
    ['AWS::IAM::RolePolicy', { RoleName: 'R' }, 10240, "a role's inline policies"],
    ['AWS::IAM::ManagedPolicy', {}, 6144, 'a managed policy'],
  ])('%s: %i characters pass, one more is an error', async (type, holder, limit, kind) => {
    const sizes = async (size: number) =>
      (await lintText('sized.template.json', template(type, holder, size))).findings.filter((finding) => finding.ruleId === 'FMFA012').map((finding) => [finding.severity, finding.message]);
    expect(await sizes(limit)).toEqual([]);
    expect(await sizes(limit + 1)).toEqual([['error', `the policy is ${limit + 1} characters (white space not counted), over IAM's limit of ${limit} for ${kind}`]]);
  });
});
