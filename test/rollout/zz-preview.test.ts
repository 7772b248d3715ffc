import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect, it } from 'vitest';
import { ForceMfaGroup } from '../../src/cdk/zz-preview-group.js';
it('preview', () => {
  const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1', account: '111122223333' } });
  new ForceMfaGroup(stack, 'Guard', { profile: 'seed', autoEnroll: { exemptUsers: ['breakglass'] } });
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::Lambda::Function', 1);
  t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { GROUP_NAME: { Ref: Object.keys(t.findResources('AWS::IAM::Group'))[0] } } } });
  const stack2 = new Stack(new App(), 'S2');
  new ForceMfaGroup(stack2, 'Guard', { autoEnroll: true });
  expect(Object.keys(Template.fromStack(stack2).findResources('AWS::Events::Rule'))).toHaveLength(2);
});
