/** SDK v3 clients for rollout, created once each with the default credential chain, region and adaptive retries. */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { environmentError } from '../../errors.js';
import { HTTP_TIMEOUTS } from '../../aws/http.js';

/** Throttled IAM calls back off and retry; adaptive mode also slows the client down when IAM says so. */
const RETRY = { maxAttempts: 8, retryMode: 'adaptive' } as const;


/**
 * IAM and STS are global: when no region is configured anywhere, us-east-1 (the aws partition's home of IAM) is
 * used rather than failing. The SDK's own chain (environment, profile) decides whenever it can.
 */
async function configuredRegion(): Promise<string | undefined> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  const probe = new STSClient({});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

/** `singleAttempt`: the caller retries itself (and must see a lost answer rather than have the SDK send it again). */
export async function createIamClient(options: { readonly singleAttempt?: boolean } = {}): Promise<IAMClient> {
  const { IAMClient } = await import('@aws-sdk/client-iam');
  const retry = options.singleAttempt === true ? { maxAttempts: 1 } : RETRY;
  return new IAMClient({ ...retry, ...HTTP_TIMEOUTS, region: (await configuredRegion()) ?? 'us-east-1' });
}

export async function createStsClient(): Promise<STSClient> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  return new STSClient({ ...RETRY, ...HTTP_TIMEOUTS, region: (await configuredRegion()) ?? 'us-east-1' });
}

/** CloudFormation is regional: the stack goes where the region says, so a missing region is an error. */
export async function createCloudFormationClient(): Promise<CloudFormationClient> {
  const region = await configuredRegion();
  if (region === undefined) {
    throw environmentError('no-region', 'no AWS region is configured: set AWS_REGION or a region in the AWS profile');
  }
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  return new CloudFormationClient({ ...RETRY, ...HTTP_TIMEOUTS, region });
}
