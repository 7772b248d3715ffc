/** ForceMfaGroup: the guard as a CDK construct, an IAM group whose inline policy is exactly the rendered guard policy. */
import { Group, type CfnGroup, type IUser } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { buildGuard, type GuardDefinition } from '../policy/guard.js';
import type { GuardOptions } from '../policy/options.js';
import { ForceMfaAutoEnroll, type AutoEnrollProps } from './auto-enroll.js';

/** The guard's options (profile included); every one is optional and defaults as in `buildGuard`. */
export type ForceMfaGroupProps = Partial<GuardOptions> & {
  /** Add new IAM users to the group automatically (CloudTrail CreateUser rule + daily sweep): true, or its options. */
  readonly autoEnroll?: boolean | AutoEnrollProps;
};

export class ForceMfaGroup extends Construct {
  /** The guard this group carries: profile, names, policy document and resolved options. */
  readonly guard: GuardDefinition;
  /**
   * The IAM group (an `iam.Group`, so an `IGroup` too): add members with `group.addUser(user)` or
   * `user.addToGroup(group)`; typed as the class because `IGroup` has no `addUser`.
   */
  readonly group: Group;
  readonly groupName: string;
  readonly groupArn: string;
  /** The automatic enrollment, when the autoEnroll prop asked for it. */
  readonly autoEnroll: ForceMfaAutoEnroll | undefined;

  constructor(scope: Construct, id: string, props: ForceMfaGroupProps = {}) {
    super(scope, id);
    // autoEnroll is not a guard option: the seed profile would refuse it as one.
    const { autoEnroll, ...guardOptions } = props;
    this.guard = buildGuard(guardOptions);
    const group = new Group(this, 'Group', { groupName: this.guard.groupName });
    // Set on the L1 resource, not through iam.PolicyDocument: CDK's document model turns one-element lists into
    // strings (Resource: ['*'] becomes '*'), so the template would no longer be the seed's policy statement for
    // statement. A copy, so that an escape-hatch edit of the template cannot change the shared guard.
    (group.node.defaultChild as CfnGroup).policies = [
      { policyName: this.guard.policyName, policyDocument: structuredClone(this.guard.document) },
    ];
    this.group = group;
    this.groupName = group.groupName;
    this.groupArn = group.groupArn;
    this.autoEnroll =
      autoEnroll === undefined || autoEnroll === false
        ? undefined
        : new ForceMfaAutoEnroll(this, 'AutoEnroll', { ...(autoEnroll === true ? {} : autoEnroll), group });
  }

  /** Make a user a member of the guard group: until they sign in with MFA they can only set up MFA. */
  addUser(user: IUser): void {
    this.group.addUser(user);
  }
}
