/** force-mfa as a library: build, render, evaluate and audit the ForceMfaAccess guard. */
export * from './errors.js';
export * from './policy/index.js';
export { renderGuard, GUARD_FORMATS, type GuardFormat } from './render/guard.js';
export { cloudFormationTemplate, renderCloudFormationJson, renderCloudFormationYaml } from './render/cloudformation.js';
export { terraformConfig, renderTerraform, escapeTerraformTemplate } from './render/terraform.js';
export { renderPolicyJson } from './render/policy-json.js';
export {
  readLintInput,
  groupPolicyInput,
  lintInputs,
  actionNames,
  RULES as LINT_RULE_METADATA,
  renderRulesDoc,
  formatLintText,
  lintJson,
  failsAt,
  type LintResult,
  type LintFinding,
  type LintJson,
  type FailOn,
  type RuleMetadata,
  type Severity as LintSeverity,
} from './lint/index.js';
export { obtainSession, type SessionRequest, type SessionHost } from './session/obtain.js';
export { awsIssuer, type MfaSessionIssuer, type IssuerFactory } from './session/sts.js';
export { parseIni, serializeIni, readSection, setSectionEntries, type IniDocument, type IniLine } from './session/ini.js';
export { credentialProcessJson, envExports, sessionJson, type SessionFormat, type SessionOutcome } from './session/formats.js';
