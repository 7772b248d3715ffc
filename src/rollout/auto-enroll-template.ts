/** Automatic enrollment as plain CloudFormation: the same resources as ForceMfaAutoEnroll, handler inline (pure). */
import { GROUP_LOGICAL_ID, type CloudFormationTemplate } from '../render/cloudformation.js';
import { AUTO_ENROLL_INLINE_HANDLER } from './lambda/auto-enroll.inline.js';

/** Regions where EventBridge receives IAM's CloudTrail events, per partition (IAM is a global service). */
export const IAM_EVENT_REGIONS: readonly string[] = ['us-east-1', 'cn-north-1', 'us-gov-west-1'];

export interface AutoEnrollTemplateOptions {
  /** Defaults of the template's exemption parameters. */
  readonly exemptUsers?: readonly string[];
  readonly exemptPathPrefixes?: readonly string[];
}

type Resource = { Type: string; Properties: Record<string, unknown> };

const PARTITION = { Ref: 'AWS::Partition' };
const ACCOUNT = { Ref: 'AWS::AccountId' };
const FUNCTION = 'AutoEnrollFunction';
const QUEUE = 'AutoEnrollDeadLetterQueue';
const RULES = ['AutoEnrollCreateUserRule', 'AutoEnrollSweepRule'] as const;

const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

function target(): Record<string, unknown> {
  return {
    Id: 'AutoEnroll',
    Arn: arnOf(FUNCTION),
    DeadLetterConfig: { Arn: arnOf(QUEUE) },
    RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
  };
}

function alarm(description: string, metric: Record<string, unknown>): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      ...metric,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    },
  };
}

function autoEnrollResources(): Record<string, Resource> {
  return {
    [QUEUE]: {
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
    },
    AutoEnrollDeadLetterQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: QUEUE }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RuleTargetsDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: arnOf(QUEUE),
              Condition: { ArnEquals: { 'aws:SourceArn': RULES.map(arnOf) } },
            },
            {
              Sid: 'TlsOnly',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Resource: arnOf(QUEUE),
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    AutoEnrollRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
        Policies: [
          {
            PolicyName: 'AutoEnroll',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['iam:AddUserToGroup', 'iam:GetGroup'], Resource: arnOf(GROUP_LOGICAL_ID) },
                {
                  Effect: 'Allow',
                  // Tags for exemptions; the user's own policies and groups, since only users without them are added.
                  Action: ['iam:ListUserTags', 'iam:ListAttachedUserPolicies', 'iam:ListUserPolicies', 'iam:ListGroupsForUser'],
                  Resource: { 'Fn::Join': ['', ['arn:', PARTITION, ':iam::', ACCOUNT, ':user/*']] },
                },
                { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
                { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(QUEUE) },
              ],
            },
          },
        ],
      },
    },
    [FUNCTION]: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Description: 'force-mfa: adds new IAM users to the guard group unless exempt',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Code: { ZipFile: AUTO_ENROLL_INLINE_HANDLER },
        Role: arnOf('AutoEnrollRole'),
        Timeout: 300,
        MemorySize: 256,
        DeadLetterConfig: { TargetArn: arnOf(QUEUE) },
        Environment: {
          Variables: {
            GROUP_NAME: { Ref: GROUP_LOGICAL_ID },
            EXEMPT_USERS: { Ref: 'AutoEnrollExemptUsers' },
            EXEMPT_PATH_PREFIXES: { Ref: 'AutoEnrollExemptPathPrefixes' },
          },
        },
      },
    },
    AutoEnrollLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: { 'Fn::Sub': `/aws/lambda/\${${FUNCTION}}` }, RetentionInDays: 365 },
    },
    AutoEnrollInvokeConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: FUNCTION }, Qualifier: '$LATEST', MaximumRetryAttempts: 2 },
    },
    AutoEnrollCreateUserRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: 'force-mfa: a new IAM user (CloudTrail CreateUser) joins the guard group',
        EventPattern: {
          source: ['aws.iam'],
          'detail-type': ['AWS API Call via CloudTrail'],
          detail: { eventSource: ['iam.amazonaws.com'], eventName: ['CreateUser'] },
        },
        State: 'ENABLED',
        Targets: [target()],
      },
    },
    AutoEnrollSweepRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: 'force-mfa: daily sweep for IAM users the CreateUser events missed',
        ScheduleExpression: 'rate(1 day)',
        State: 'ENABLED',
        Targets: [target()],
      },
    },
    ...Object.fromEntries(
      RULES.map((rule) => [
        `${rule}Permission`,
        {
          Type: 'AWS::Lambda::Permission',
          Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: FUNCTION }, Principal: 'events.amazonaws.com', SourceArn: arnOf(rule) },
        },
      ]),
    ),
    AutoEnrollErrorsAlarm: alarm('force-mfa auto-enroll failed: a new IAM user may not be in the guard group (see the function logs)', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: FUNCTION } }],
      Statistic: 'Sum',
    }),
    AutoEnrollDeadLetterAlarm: alarm('force-mfa auto-enroll gave up on events: they wait in the dead-letter queue', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [QUEUE, 'QueueName'] } }],
      Statistic: 'Maximum',
    }),
  };
}

/**
 * The guard template with automatic enrollment added. IAM's CreateUser events reach EventBridge only in us-east-1
 * (aws partition): deployed in another region, only the daily sweep enrolls new users.
 */
export function withAutoEnroll(template: CloudFormationTemplate, options: AutoEnrollTemplateOptions = {}): CloudFormationTemplate {
  return {
    ...template,
    Description: `${template.Description} New IAM users join the group automatically (deploy in us-east-1 for the CreateUser events).`,
    Metadata: {
      ...template.Metadata,
      'force-mfa:auto-enroll': {
        note: 'IAM CreateUser events reach EventBridge only in us-east-1 (and need a CloudTrail trail); in any other region only the daily sweep enrolls new users.',
      },
    },
    Parameters: {
      ...template.Parameters,
      AutoEnrollExemptUsers: {
        Type: 'String',
        Default: (options.exemptUsers ?? []).join(','),
        Description: 'IAM users never added to the group automatically (comma-separated).',
      },
      AutoEnrollExemptPathPrefixes: {
        Type: 'String',
        Default: (options.exemptPathPrefixes ?? []).join(','),
        Description: 'Users under these IAM paths are never added automatically (comma-separated, e.g. /service/).',
      },
    },
    Resources: { ...template.Resources, ...autoEnrollResources() },
    Outputs: {
      ...template.Outputs,
      AutoEnrollFunction: { Description: 'The auto-enroll Lambda function.', Value: { Ref: FUNCTION } },
      AutoEnrollDeadLetterQueue: { Description: 'Events the function could not handle.', Value: { Ref: QUEUE } },
    },
  };
}
