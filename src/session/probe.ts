/** The AWS side of `doctor`: the caller's credentials as the SDK finds them, who AWS says they are, one guarded call. */
import { HTTP_TIMEOUTS } from '../aws/http.js';
import { errorName, isAccessDenied } from '../account/aws/retry.js';
import { environmentError } from '../errors.js';
import { PROBE_ACTION, type DoctorEvidence, type ProbeAnswer } from './doctor.js';
import { EXPIRY_KEY } from './credentials.js';
import { configProfile, credentialsProfile, sharedFilePaths, type AwsFileSet, type Environment } from './profiles.js';
import { readSharedFiles as sharedFiles } from './store.js';

export interface ProbeRequest {
  /** The profile to check; else the SDK's own choice (AWS_PROFILE, environment keys, default). */
  readonly profile?: string;
  readonly env: Environment;
  readonly homeDir: string;
}

/** Resolve the credentials with the SDK's standard chain, then GetCallerIdentity and the probe, with those credentials. */
export async function probeCaller(request: ProbeRequest): Promise<Omit<DoctorEvidence, 'sessionCommand'>> {
  const [{ STSClient, GetCallerIdentityCommand }, { IAMClient, GetAccountSummaryCommand }] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-iam'),
  ]);
  const files = sharedFiles(request.env, request.homeDir);
  const profileName = request.profile ?? nonEmpty(request.env['AWS_PROFILE']) ?? 'default';
  const region =
    nonEmpty(request.env['AWS_REGION']) ?? nonEmpty(configProfile(files, profileName)?.['region']) ?? nonEmpty(request.env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
  const common = { region, maxAttempts: 3, ...HTTP_TIMEOUTS, ...(request.profile === undefined ? {} : { profile: request.profile }) };
  const sts = new STSClient(common);
  let identity;
  try {
    identity = await sts.config.credentials();
  } catch (error) {
    throw environmentError('doctor.no-credentials', `no AWS credentials found${request.profile === undefined ? '' : ` for profile '${request.profile}'`}: ${oneLine(error)}`, error);
  }
  // The same credentials for every call: a credential_process runs once, and all calls judge the same keys.
  const credentials = { ...identity };
  let callerArn: string | undefined;
  try {
    callerArn = (await new STSClient({ ...common, credentials }).send(new GetCallerIdentityCommand({}))).Arn;
  } catch (error) {
    throw environmentError('doctor.identity-failed', `sts:GetCallerIdentity failed (${errorName(error) || 'error'}): ${oneLine(error)}`, error);
  }
  if (callerArn === undefined) throw environmentError('doctor.identity-failed', 'sts:GetCallerIdentity answered without an ARN');

  let probe: ProbeAnswer;
  try {
    await new IAMClient({ ...common, credentials }).send(new GetAccountSummaryCommand({}));
    probe = { outcome: 'allowed' };
  } catch (error) {
    if (isAccessDenied(error)) probe = { outcome: 'denied', message: oneLine(error) };
    else if (errorName(error) === 'InvalidClientTokenId') probe = { outcome: 'token-refused', message: oneLine(error) };
    else throw environmentError('doctor.probe-failed', `${PROBE_ACTION} failed (${errorName(error) || 'error'}): ${oneLine(error)}`, error);
  }
  const expiration = identity.expiration ?? expiryWrittenByForceMfa(files, profileName, identity.accessKeyId);
  return { callerArn, accessKeyId: identity.accessKeyId, probe, ...(expiration === undefined ? {} : { expiration }) };
}


/** The SDKs do not read the expiry of static session keys; force-mfa writes it beside them. */
function expiryWrittenByForceMfa(files: AwsFileSet, profile: string, accessKeyId: string): Date | undefined {
  const entries = credentialsProfile(files, profile);
  if (entries?.['aws_access_key_id'] !== accessKeyId || entries[EXPIRY_KEY] === undefined) return undefined;
  const date = new Date(entries[EXPIRY_KEY]);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
