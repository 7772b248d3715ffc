#!/usr/bin/env node
// @ts-check
/** Example CDK app: the force-mfa guard group with default (recommended) options and one member, checked by cdk-nag. */
import { App, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { User } from 'aws-cdk-lib/aws-iam';
// Resolved through the package's own `exports` map (this folder has no package.json of its own), so the import reads
// exactly as in your project after `npm install force-mfa aws-cdk-lib constructs`. Run `npm run build` first.
import { ForceMfaChecks, ForceMfaGroup } from 'force-mfa/cdk';

const app = new App();
// force-mfa's lint rules as a cdk-nag (v3) pack: every IAM policy of the app is checked at synth, and an error (an
// app that weakens the guard or lets a member leave it without MFA) fails `cdk synth` with the rule id.
Validations.of(app).addPlugins(new ForceMfaChecks(app));
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

// `npx cdk synth -c weaken=true` shows the pack at work: the guard exempts iam:RemoveUserFromGroup from its MFA deny,
// so a member with a stolen password could leave the group and, from then on, use the account without MFA. The
// synthesis fails with ForceMfa-FMFA017.
const weaken = app.node.tryGetContext('weaken') === 'true' || app.node.tryGetContext('weaken') === true;
if (weaken) {
  new ForceMfaGroup(stack, 'WeakenedGuard', { groupName: 'WeakenedForceMfaAccess', extraExemptActions: ['iam:RemoveUserFromGroup'] });
}

new CfnOutput(stack, 'GuardGroupName', { value: guard.groupName });
new CfnOutput(stack, 'GuardGroupArn', { value: guard.groupArn });

app.synth();
