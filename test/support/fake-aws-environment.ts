/** Points the SDK's default chain at a fake endpoint with dummy long-term keys, away from any real profile. */

/** Sets the environment; returns a function that restores the previous one. `extra` adds or overrides variables. */
export function useFakeAwsEnvironment(endpoint: string, extra: Record<string, string> = {}): () => void {
  const keys = [
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
    'AWS_PROFILE',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_EC2_METADATA_DISABLED',
    ...Object.keys(extra),
  ];
  const saved = new Map(keys.map((key) => [key, process.env[key]]));
  for (const key of keys) delete process.env[key];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests-only',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/force-mfa-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/force-mfa-test-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
