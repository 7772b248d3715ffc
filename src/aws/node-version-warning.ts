/**
 * Silences the AWS SDK's NodeVersionSupportWarning for this process: imported FIRST by every process entry point (the
 * CLI, the Lambda handlers, the bench scripts), so the variable is set before any SDK module loads or any client is
 * made. The SDK (`emitWarningIfUnsupportedVersion` in @aws-sdk/core) reads it when the first client is constructed and
 * otherwise prints seven lines on Node.js 20; force-mfa supports Node 20 and pins its SDK releases (README, engines).
 * A value the user set, "false" included, is kept.
 */
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export {};
