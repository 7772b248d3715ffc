#!/usr/bin/env node
// @ts-check
/** Example CDK app: the force-mfa guard group with default (recommended) options and one member. */
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { User } from 'aws-cdk-lib/aws-iam';
// Resolved through the package's own `exports` map (this folder has no package.json of its own), so the import reads
// exactly as in your project after `npm install force-mfa aws-cdk-lib constructs`. Run `npm run build` first.
import { ForceMfaGroup } from 'force-mfa/cdk';

const app = new App();
// No `env`: the stack is environment-agnostic, so `cdk synth` needs no AWS account, credentials or network.
const stack = new Stack(app, 'ForceMfaExample', {
  description: 'force-mfa example: the ForceMfaAccess group and one member who must enroll MFA',
});

// `npx cdk synth -c autoEnroll=true` adds automatic enrollment of new IAM users: an EventBridge rule on CloudTrail's
// CreateUser, a daily sweep, a Lambda function bundled with esbuild at synth (no Docker), a dead-letter queue and an
// alarm. Deploy that stack in us-east-1, where IAM's events arrive.
const autoEnroll = app.node.tryGetContext('autoEnroll') === 'true' || app.node.tryGetContext('autoEnroll') === true;
const guard = new ForceMfaGroup(stack, 'ForceMfa', autoEnroll ? { autoEnroll: { exemptUsers: ['breakglass'] } } : {});

// A new member: until they sign in with MFA they can only change their password and set up an MFA device.
const alice = new User(stack, 'Alice', { userName: 'alice' });
guard.addUser(alice);

new CfnOutput(stack, 'GuardGroupName', { value: guard.groupName });
new CfnOutput(stack, 'GuardGroupArn', { value: guard.groupArn });

app.synth();
