/** ForceMfaChecks against apps synthesized in-process: what weakens the guard fails, with the rule id; the rest does not. */
import { Aspects, App, CfnParameter, CfnResource, Lazy, NestedStack, Stack, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { CfnGroup, CfnUser, ManagedPolicy, Policy, PolicyStatement, Role, ServicePrincipal, User } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { NagPack } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ForceMfaChecks, ForceMfaGroup, type ForceMfaGroupProps } from '../../src/cdk/index.js';

/** The guard's main deny (the recommended profile renders it first). */
const MAIN_DENY = 'Policies.0.PolicyDocument.Statement.0';

interface Scenario {
  readonly app: App;
  readonly stack: Stack;
  readonly guard: ForceMfaGroup;
}

/** A guard with one member, a Lambda-style role with a least-privilege policy, and a managed policy: all clean. */
function cleanApp(props: ForceMfaGroupProps = {}): Scenario {
  const app = new App();
  const stack = new Stack(app, 'Guarded');
  const guard = new ForceMfaGroup(stack, 'ForceMfa', props);
  guard.addUser(new User(stack, 'Alice', { userName: 'alice' }));
  const queue = new Queue(stack, 'Jobs');
  const role = new Role(stack, 'Worker', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  queue.grantConsumeMessages(role);
  new ManagedPolicy(stack, 'ReadReports', { statements: [new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] })] });
  return { app, stack, guard };
}

function guardGroup(scenario: Scenario): CfnGroup {
  return scenario.guard.group.node.defaultChild as CfnGroup;
}

function check(scenario: Scenario): PolicyValidationPluginReport {
  return new ForceMfaChecks().validateScope(scenario.app);
}

/** rule name → construct paths → severity, for exact comparisons. */
function violationsOf(report: PolicyValidationPluginReport): { rule: string; path: string | undefined; severity: string | undefined }[] {
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({ rule: violation.ruleName, path: resource.constructPath, severity: violation.severity })),
  );
}

describe('ForceMfaChecks', () => {
  it('is a cdk-nag NagPack with force-mfa rule ids', () => {
    const pack = new ForceMfaChecks();
    expect(pack).toBeInstanceOf(NagPack);
    expect(pack.name).toBe('ForceMfa');
    expect(pack.ruleIds).toContain('ForceMfa-FMFA001');
    expect(pack.ruleIds).toContain('ForceMfa-FMFA017');
  });

  it('passes an app with the guard, a member, a role and a managed policy: no violation at all', () => {
    const report = check(cleanApp());
    expect(report.violations).toStrictEqual([]);
    expect(report.success).toBe(true);
  });

  it('checks the seed profile too (its known warnings are reported, and do not fail)', () => {
    const report = check(cleanApp({ profile: 'seed' }));
    expect(report.success).toBe(true);
    expect(report.violations.every((violation) => violation.severity === 'warning')).toBe(true);
    expect(violationsOf(report).every((entry) => entry.path === 'Guarded/ForceMfa/Group/Resource')).toBe(true);
  });

  const WEAKENINGS: readonly {
    name: string;
    props?: ForceMfaGroupProps;
    weaken?: (scenario: Scenario) => void;
    rule: string;
    path: string;
    says: string;
  }[] = [
    {
      name: 'the MFA deny switched to Bool (long-term keys pass)',
      weaken: (s) => guardGroup(s).addPropertyOverride(`${MAIN_DENY}.Condition`, { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }),
      rule: 'ForceMfa-FMFA001',
      path: 'Guarded/ForceMfa/Group/Resource',
      says: 'Bool',
    },
    {
      name: 'IAM exempted from the deny (members can leave the group without MFA)',
      weaken: (s) => guardGroup(s).addPropertyOverride(`${MAIN_DENY}.NotAction`, ['iam:*']),
      rule: 'ForceMfa-FMFA017',
      path: 'Guarded/ForceMfa/Group/Resource',
      says: 'iam',
    },
    {
      name: 'iam:RemoveUserFromGroup exempt (a member leaves the guard without MFA)',
      props: { extraExemptActions: ['iam:RemoveUserFromGroup'] },
      rule: 'ForceMfa-FMFA017',
      path: 'Guarded/ForceMfa/Group/Resource',
      says: 'iam:RemoveUserFromGroup',
    },
    {
      name: 'iam:DeactivateMFADevice exempted from the deny',
      weaken: (s) => guardGroup(s).addPropertyOverride(`${MAIN_DENY}.NotAction`, ['iam:DeactivateMFADevice', 'iam:ChangePassword']),
      rule: 'ForceMfa-FMFA003',
      path: 'Guarded/ForceMfa/Group/Resource',
      says: 'iam:DeactivateMFADevice',
    },
    {
      name: "the guard's policy replaced by an Allow",
      weaken: (s) =>
        guardGroup(s).addPropertyOverride('Policies', [
          { PolicyName: 'ForceMfaAccess', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] } },
        ]),
      rule: 'ForceMfa-FMFA008',
      path: 'Guarded/ForceMfa/Group/Resource',
      says: 'denies requests made without MFA',
    },
    {
      name: "the guard's policies deleted",
      weaken: (s) => guardGroup(s).addPropertyDeletionOverride('Policies'),
      rule: 'ForceMfa-FMFA008',
      path: 'Guarded/ForceMfa/Group/Resource',
      says: 'no inline policy',
    },
    {
      name: 'a hand-written guard in a user inline policy with Bool',
      weaken: (s) => {
        const bob = new User(s.stack, 'Bob', { userName: 'bob' });
        (bob.node.defaultChild as CfnUser).policies = [
          {
            policyName: 'RequireMfa',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', NotAction: ['iam:ChangePassword'], Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }],
            },
          },
        ];
      },
      rule: 'ForceMfa-FMFA001',
      path: 'Guarded/Bob/Resource',
      says: 'Bool',
    },
    {
      name: 'a misspelled action in a policy attached to the guard group',
      weaken: (s) => s.guard.group.addToPolicy(new PolicyStatement({ actions: ['s3:GetObjekt'], resources: ['*'] })),
      rule: 'ForceMfa-FMFA006',
      path: 'Guarded/ForceMfa/Group/DefaultPolicy/Resource',
      says: 's3:GetObjekt',
    },
  ];

  it.each(WEAKENINGS)('fails on $name, with $rule on the resource', ({ props, weaken, rule, path, says }) => {
    const scenario = cleanApp(props);
    weaken?.(scenario);
    const report = check(scenario);
    expect(report.success).toBe(false);
    const hits = report.violations.filter((violation) => violation.ruleName === rule);
    expect(hits.map((violation) => violation.violatingResources.map((resource) => resource.constructPath)).flat()).toContain(path);
    expect(hits.map((violation) => violation.severity)).toContain('error');
    expect(hits.map((violation) => violation.description).join('\n')).toContain(says);
    expect(hits.every((violation) => typeof violation.fix === 'string' && violation.fix.length > 0)).toBe(true);
  });

  it('does not ask an ordinary role or user for an MFA deny (FMFA008 is about the guard only)', () => {
    const scenario = cleanApp();
    new User(scenario.stack, 'Carol', { userName: 'carol' }).attachInlinePolicy(
      new Policy(scenario.stack, 'CarolReads', { statements: [new PolicyStatement({ actions: ['s3:ListBucket'], resources: ['*'] })] }),
    );
    expect(check(scenario).violations).toStrictEqual([]);
  });

  it('reports a value it cannot resolve (FMFA014) instead of passing it, as a warning that does not fail', () => {
    const scenario = cleanApp();
    const action = new CfnParameter(scenario.stack, 'ActionToGrant', { type: 'String' });
    new ManagedPolicy(scenario.stack, 'FromParameter', {
      statements: [new PolicyStatement({ actions: [action.valueAsString], resources: ['*'] })],
    });
    const report = check(scenario);
    expect(violationsOf(report)).toStrictEqual([{ rule: 'ForceMfa-FMFA014', path: 'Guarded/FromParameter/Resource', severity: 'warning' }]);
    expect(report.violations[0]?.description).toContain('could not be checked');
    expect(report.success).toBe(true);
  });

  it('checks the resources of a nested stack', () => {
    const scenario = cleanApp();
    const nested = new NestedStack(scenario.stack, 'Inner');
    new ManagedPolicy(nested, 'Typo', { statements: [new PolicyStatement({ actions: ['iam:GetUsr'], resources: ['*'] })] });
    expect(violationsOf(check(scenario))).toStrictEqual([{ rule: 'ForceMfa-FMFA006', path: 'Guarded/Inner/Typo/Resource', severity: 'error' }]);
  });

  it('reports a resource the CDK cannot render as an FMFA014 error, not as clean', () => {
    const scenario = cleanApp();
    new CfnResource(scenario.stack, 'Broken', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {},
        Policies: Lazy.any({
          produce: () => {
            throw new Error('cannot produce the policies');
          },
        }),
      },
    });
    const report = check(scenario);
    expect(violationsOf(report)).toStrictEqual([{ rule: 'ForceMfa-FMFA014', path: 'Guarded/Broken', severity: 'error' }]);
    expect(report.violations[0]?.description).toContain('cannot produce the policies');
    expect(report.success).toBe(false);
  });

  it('keeps each resource its own severity when one rule hits two resources', () => {
    const app = new App();
    const few = new ForceMfaGroup(new Stack(app, 'Few'), 'ForceMfa', { extraExemptActions: ['s3:ListAllMyBuckets'] });
    const wide = new ForceMfaGroup(new Stack(app, 'Wide'), 'ForceMfa');
    (wide.group.node.defaultChild as CfnGroup).addPropertyOverride(`${MAIN_DENY}.NotAction`, ['ec2:*', 'iam:ChangePassword']);
    const report = new ForceMfaChecks().validateScope(app);
    expect(violationsOf(report).filter((entry) => entry.rule === 'ForceMfa-FMFA017')).toStrictEqual([
      { rule: 'ForceMfa-FMFA017', path: `${few.node.path}/Group/Resource`, severity: 'warning' },
      { rule: 'ForceMfa-FMFA017', path: `${wide.node.path}/Group/Resource`, severity: 'error' },
    ]);
    expect(report.success).toBe(false);
  });

  it('honours an acknowledgement of the rule on the resource (Validations.acknowledge)', () => {
    const scenario = cleanApp();
    guardGroup(scenario).addPropertyOverride(`${MAIN_DENY}.Condition`, { Bool: { 'aws:MultiFactorAuthPresent': 'false' } });
    Validations.of(scenario.guard).acknowledge({ id: 'ForceMfa-FMFA001', reason: 'test: the acknowledgement path' });
    expect(check(scenario).violations.map((violation) => violation.ruleName)).not.toContain('ForceMfa-FMFA001');
  });

  it('honours the acknowledgement id the CDK report offers (ForceMfa::ForceMfa-FMFA001) too', () => {
    const scenario = cleanApp();
    guardGroup(scenario).addPropertyOverride(`${MAIN_DENY}.Condition`, { Bool: { 'aws:MultiFactorAuthPresent': 'false' } });
    const rules = (): string[] => check(scenario).violations.map((violation) => violation.ruleName);
    expect(rules()).toContain('ForceMfa-FMFA001');
    Validations.of(guardGroup(scenario)).acknowledge({ id: 'ForceMfa::ForceMfa-FMFA001', reason: 'test: the id the CDK prints' });
    expect(rules()).not.toContain('ForceMfa-FMFA001');
    // Only what was acknowledged: the rules this weakening also trips still report.
    expect(rules().length).toBeGreaterThan(0);
  });

  it('fails app.synth() when registered with Validations.of(app).addPlugins, naming the rule id', () => {
    const scenario = cleanApp();
    guardGroup(scenario).addPropertyOverride(`${MAIN_DENY}.Condition`, { Bool: { 'aws:MultiFactorAuthPresent': 'false' } });
    Validations.of(scenario.app).addPlugins(new ForceMfaChecks(scenario.app));
    expect(() => scenario.app.synth()).toThrow(/ForceMfa-FMFA001/);
  });

  it("fails app.synth() when added the cdk-nag 2 way, Aspects.of(app).add(new ForceMfaChecks())", () => {
    const scenario = cleanApp();
    guardGroup(scenario).addPropertyOverride(`${MAIN_DENY}.Condition`, { Bool: { 'aws:MultiFactorAuthPresent': 'false' } });
    Aspects.of(scenario.app).add(new ForceMfaChecks());
    expect(() => scenario.app.synth()).toThrow(/ForceMfa-FMFA001/);
  });

  it('lets app.synth() of the clean app through', () => {
    const scenario = cleanApp();
    Validations.of(scenario.app).addPlugins(new ForceMfaChecks(scenario.app));
    expect(() => scenario.app.synth()).not.toThrow();
  });
});
