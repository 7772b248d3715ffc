// The plain-CloudFormation auto-enroll option: the generated inline handler is current, fits, and is wired right.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderInlineModule, TARGET, ZIP_FILE_LIMIT } from '../../scripts/gen-inline-handler.mjs';
import { buildGuard } from '../../src/policy/guard.js';
import { cloudFormationTemplate } from '../../src/render/cloudformation.js';
import { withAutoEnroll } from '../../src/rollout/auto-enroll-template.js';
import { AUTO_ENROLL_INLINE_HANDLER } from '../../src/rollout/lambda/auto-enroll.inline.js';

describe('the inline handler', () => {
  it('is the current bundle of auto-enroll-inline.ts (run node scripts/gen-inline-handler.mjs when this fails)', async () => {
    expect(readFileSync(TARGET, 'utf8')).toBe(await renderInlineModule());
  });

  it("fits CloudFormation's ZipFile limit and leaves the AWS SDK to the runtime", () => {
    expect(AUTO_ENROLL_INLINE_HANDLER.length).toBeLessThanOrEqual(ZIP_FILE_LIMIT);
    expect(AUTO_ENROLL_INLINE_HANDLER).toContain('require("@aws-sdk/client-iam")');
    expect(AUTO_ENROLL_INLINE_HANDLER).not.toContain('@smithy');
  });

  it('runs as CommonJS index.js and exports handler', () => {
    const module = { exports: {} as Record<string, unknown> };
    const fakeRequire = (name: string) => {
      expect(name).toBe('@aws-sdk/client-iam');
      return { IAMClient: class {}, AddUserToGroupCommand: class {}, GetGroupCommand: class {}, ListUsersCommand: class {}, ListUserTagsCommand: class {}, ListAttachedUserPoliciesCommand: class {}, ListUserPoliciesCommand: class {}, ListGroupsForUserCommand: class {} };
    };
    new Function('module', 'exports', 'require', AUTO_ENROLL_INLINE_HANDLER)(module, module.exports, fakeRequire);
    expect(typeof module.exports['handler']).toBe('function');
  });
});

describe('withAutoEnroll', () => {
  const guard = cloudFormationTemplate(buildGuard());
  const template = withAutoEnroll(guard, { exemptUsers: ['breakglass'], exemptPathPrefixes: ['/service/'] });
  const resource = (id: string) => template.Resources[id] as { Type: string; Properties: Record<string, any> };

  it('keeps the guard as it was and does not change its input', () => {
    expect(template.Resources['ForceMfaAccess']).toEqual(guard.Resources['ForceMfaAccess']);
    expect(Object.keys(guard.Resources)).toEqual(['ForceMfaAccess']);
    expect(template.Parameters['GroupName']).toEqual(guard.Parameters['GroupName']);
  });

  it('inlines the handler and names the group by reference', () => {
    const fn = resource('AutoEnrollFunction');
    expect(fn.Properties['Code']).toEqual({ ZipFile: AUTO_ENROLL_INLINE_HANDLER });
    expect(fn.Properties['Handler']).toBe('index.handler');
    expect(fn.Properties['Runtime']).toMatch(/^nodejs2[02]\.x$/);
    expect(fn.Properties['Environment'].Variables.GROUP_NAME).toEqual({ Ref: 'ForceMfaAccess' });
    expect(template.Parameters['AutoEnrollExemptUsers']?.['Default']).toBe('breakglass');
    expect(template.Parameters['AutoEnrollExemptPathPrefixes']?.['Default']).toBe('/service/');
  });

  it('has the CreateUser rule, the daily sweep, their permissions, the dead-letter queue and both alarms', () => {
    expect(resource('AutoEnrollCreateUserRule').Properties['EventPattern']).toEqual({
      source: ['aws.iam'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['iam.amazonaws.com'], eventName: ['CreateUser'] },
    });
    expect(resource('AutoEnrollSweepRule').Properties['ScheduleExpression']).toBe('rate(1 day)');
    for (const rule of ['AutoEnrollCreateUserRule', 'AutoEnrollSweepRule']) {
      expect(resource(rule).Properties['Targets'][0].DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['AutoEnrollDeadLetterQueue', 'Arn'] } });
      expect(resource(`${rule}Permission`).Properties['SourceArn']).toEqual({ 'Fn::GetAtt': [rule, 'Arn'] });
    }
    expect(resource('AutoEnrollErrorsAlarm').Properties['MetricName']).toBe('Errors');
    expect(resource('AutoEnrollDeadLetterAlarm').Properties['MetricName']).toBe('ApproximateNumberOfMessagesVisible');
  });

  it('gives the function least privilege', () => {
    const statements = resource('AutoEnrollRole').Properties['Policies'][0].PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    expect(statements.map((statement) => statement.Action)).toEqual([
      ['iam:AddUserToGroup', 'iam:GetGroup'],
      ['iam:ListUserTags', 'iam:ListAttachedUserPolicies', 'iam:ListUserPolicies', 'iam:ListGroupsForUser'],
      'iam:ListUsers',
      'sqs:SendMessage',
    ]);
    expect(statements[0]?.Resource).toEqual({ 'Fn::GetAtt': ['ForceMfaAccess', 'Arn'] });
  });

  it('survives YAML rendering (as `template --format cloudformation` prints it) unchanged', async () => {
    const { parse, stringify } = await import('yaml');
    expect(parse(stringify(template, { lineWidth: 0, aliasDuplicateObjects: false }))).toEqual(JSON.parse(JSON.stringify(template)));
  });

  it('refers only to resources and parameters the template has', () => {
    const known = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters), 'AWS::Partition', 'AWS::AccountId', 'AWS::Region']);
    const text = JSON.stringify(template);
    for (const [, name] of text.matchAll(/"Ref":"([^"]+)"/g)) expect(known).toContain(name);
    for (const [, name] of text.matchAll(/"Fn::GetAtt":\["([^"]+)"/g)) expect(known).toContain(name);
    for (const [, sub] of text.matchAll(/"Fn::Sub":"([^"]+)"/g)) {
      for (const [, name] of (sub ?? '').matchAll(/\$\{([^}]+)\}/g)) expect(known).toContain(name);
    }
  });
});
