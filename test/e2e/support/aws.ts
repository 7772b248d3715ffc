/** SDK clients for seeding and reading back the e2e endpoint, with the test keys (or an assumed role's). */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { inject } from 'vitest';
import { TEST_CREDENTIALS, TEST_REGION } from './cli.js';

export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsClients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly organizations: OrganizationsClient;
  readonly cloudformation: CloudFormationClient;
  readonly credentials: TestCredentials;
}

/** Clients of the run's moto (or `endpoint`), as the test keys' account unless `credentials` say otherwise. */
export function awsClients(options: { endpoint?: string; credentials?: TestCredentials } = {}): AwsClients {
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const config = { endpoint: options.endpoint ?? inject('e2eEndpoint'), region: TEST_REGION, credentials, maxAttempts: 2 };
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    organizations: new OrganizationsClient(config),
    cloudformation: new CloudFormationClient(config),
    credentials,
  };
}

/** Clients acting in another account through a role there (moto: OrganizationAccountAccessRole of a member account). */
export async function clientsInAccount(accountId: string, roleName = 'OrganizationAccountAccessRole'): Promise<AwsClients> {
  const answer = await awsClients().sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'force-mfa-e2e' }),
  );
  const issued = answer.Credentials;
  if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined || issued.SessionToken === undefined) {
    throw new Error(`AssumeRole into ${accountId} answered without credentials`);
  }
  return awsClients({ credentials: { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken } });
}
