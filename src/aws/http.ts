/** Network limits every AWS SDK client of force-mfa uses: the SDK sets none, so a silent endpoint would hang a command. */
export const HTTP_TIMEOUTS = { requestHandler: { connectionTimeout: 10_000, socketTimeout: 30_000 } } as const;
