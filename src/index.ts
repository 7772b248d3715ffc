/** force-mfa as a library: build, render, evaluate and audit the ForceMfaAccess guard. */
export * from './errors.js';

// Enforce: the guard model and its renderings.
export * from './policy/index.js';
export { renderGuard, GUARD_FORMATS, type GuardFormat } from './render/guard.js';
export { cloudFormationTemplate, renderCloudFormationJson, renderCloudFormationYaml } from './render/cloudformation.js';
export { terraformConfig, renderTerraform, escapeTerraformTemplate } from './render/terraform.js';
export { renderPolicyJson } from './render/policy-json.js';

// Prove: lint, the evaluator, exhaustive verify.
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

export { evaluate, requestContext, PolicyEvaluationError, isPolicyEvaluationError, type Decision, type Evaluation, type EvaluationOptions, type EvaluationRequest, type NamedPolicy, type ScpLayers, type StatementTrace, type ConditionTrace } from './engine/evaluate.js';
export { CONTEXT_NAMES, CONTEXT_DESCRIPTIONS, mfaContextKeys, isContextName, type ContextName } from './engine/contexts.js';
export { loadCatalogue, createCatalogue, type ActionCatalogue, type CatalogueAction, type CatalogueData, type ResourceType } from './engine/catalogue.js';
export { verifyPolicies, DEFAULT_PRINCIPAL_ARN, UNGATED_ACTIONS, type VerifyInput, type VerifyReport, type ContextReport, type AllowedAction } from './engine/verify.js';
export { evaluateQuantified, conditionalDenies, candidateValues, isFreeKey, MAX_ASSIGNMENTS, type QuantifiedEvaluation, type FreeKeyValue, type ConditionalDeny, type QuantifyOptions } from './engine/quantify.js';
export type { PolicyReading } from './engine/compile.js';
export { findPolicyProblems, validatePolicy, type PolicyProblem, type ValidatedPolicy } from './engine/validate.js';
export { compareWithExpectation, readExpectation, type Expectation, type ExpectationDifference } from './engine/expect.js';
export { parsePolicyText } from './engine/policy-input.js';
export { builtinPolicy, BUILTIN_POLICY_NAMES } from './engine/builtin-policies.js';

// Live with it: MFA sessions for the CLI.
export { obtainSession, type SessionRequest, type SessionHost } from './session/obtain.js';
export { awsIssuer, type MfaSessionIssuer, type IssuerFactory } from './session/sts.js';
export { parseIni, serializeIni, readSection, setSectionEntries, type IniDocument, type IniLine } from './session/ini.js';
export { credentialProcessJson, envExports, sessionJson, type SessionFormat, type SessionOutcome } from './session/formats.js';

// Roll out: enroll, onboard, deploy.
export { prepareEnrollment, applyEnrollment, applyMembershipChanges, assertNoRefusal, type EnrollRequest, type EnrollReport, type EnrollDependencies, type ApplyDependencies } from './rollout/enroll.js';
export { planEnrollment, impactOf, selectUsers, type UserSelection, type EnrollAction, type EnrollChange, type NextSignIn, type AccessKeyImpact } from './rollout/enroll-plan.js';
export { prepareUnenrollment, applyUnenrollment, planUnenrollment, groupOfLog, assertLogBinding, type UnenrollReport } from './rollout/unenroll.js';
export { parseEnrollLog, readEnrollLog, usersAddedByLog, tagsSetByLog, bindingsOfLog, defaultLogFileName, ENROLL_LOG_VERSION, type EnrollLogEntry, type EnrollLogLine, type MembersBeforeEntry, type ParsedEnrollLog, type EnrollLogWriter } from './rollout/enroll-log.js';
export { callerRefusal, administratorVerdict, sessionKindOf, type Refusal, type AdministratorVerdict, type SessionKind } from './rollout/safety.js';
export { EXEMPT_TAG_KEY, isExemptByTag } from './rollout/exemption.js';
export type { RolloutIam, RolloutSts, UserSummary, UserCredentials, CallerIdentity } from './rollout/iam.js';
export { onboardingMessage, signInUrlOf, pickFromAudit, type AuditPick, type OnboardingMessage, type OnboardingRecipient } from './rollout/onboard.js';
export { renderOnboarding, ONBOARDING_FORMATS, type OnboardingFormat } from './rollout/onboard-render.js';
export type { OnboardingLanguage } from './rollout/messages/types.js';
export { withAutoEnroll, type AutoEnrollTemplateOptions } from './rollout/auto-enroll-template.js';
export { prepareDeployment, executeDeployment, discardDeployment, destroyStack, type PreparedDeployment, type StackOutcome } from './rollout/deploy/deploy.js';
export type { StackApi } from './rollout/deploy/stack-api.js';

// Scale out: Organizations and StackSets.
export { runPerAccount, failureReason, type AccountOutcome, type AccountSuccess, type AccountFailure, type AccountTask, type PerAccountOptions } from './org/runner.js';
export { withRetries, isTransientAwsError, backoffMs, defaultSleep, type RetryOptions, type Sleep as RetrySleep } from './account/aws/retry.js';
export { validateSelection, partitionOf, type AccountSelection } from './org/selection.js';
export { aggregateOrgReport, progressLine, type OrgAuditReport, type OrgAccountEntry, type OrgUserAudit, type OrgFinding, type OrgReportInput } from './org/report.js';
export { orgAuditJson, renderOrgAuditJson } from './org/render/org-json.js';
export { renderOrgAccountsHtml, accountAnchor } from './org/render/org-html.js';
export { renderOrgAuditCsv } from './org/render/org-csv.js';
export { planStackSetDeploy, planStackSetDestroy, operationPreferences, regionWarnings, stackSetIdentity, DEFAULT_STACK_SET_NAME, DEFAULT_STACK_SET_REGIONS, type StackSetDeployPlan, type StackSetDestroyPlan, type StackSetTarget, type CallAs } from './org/stackset-plan.js';
export { renderDeployResult, renderDestroyResult } from './org/stackset-render.js';
export type { AccountAuditor, AccountAuditTarget, OrgAuditOptions, OrgAuditDependencies } from './org/audit-org.js';
export type { Organization, OrgAccount, OrganizationListing, SkippedAccount } from './org/accounts.js';
export type { StackSetDeployResult, StackSetDestroyResult, InstanceResult, OperationOutcome } from './org/stackset.js';

// Audit: the account snapshot, its sources, classification and reports.
export type { AccountSnapshot, IamUser, IamGroup, ManagedPolicy, InlinePolicy, MfaDevice, MfaDeviceKind, MfaState, ConsolePassword, AccessKey, AccessKeyState, RootUser, DataGap, DataSource, FactName, FactSource, GapCause, SourceKind } from './account/model.js';
export { mfaDeviceKind } from './account/mfa-kind.js';
export { parseCredentialReport, type CredentialReport, type CredentialReportRow } from './account/credential-report.js';
export { readAuthorizationDetails, decodePolicyDocument, type AuthorizationDetails, type AuthorizationDetailsPage } from './account/authorization-details.js';
export { assembleSnapshot, type SnapshotParts, type PerUserFact } from './account/assemble.js';
export { readSnapshotFromDirectory, type DirectorySourceOptions } from './account/files/read-directory.js';
export { EXPORT_COMMANDS } from './account/files/layout.js';
export { collectAccountSnapshot, createIamClient, planLiveChecks, type AwsSourceOptions, type CollectProgress, type LiveCheck } from './account/aws/collect.js';
export { auditAccount, summarize, DEFAULT_GUARD_GROUP, DEFAULT_REPORT_MAX_AGE_HOURS, type AuditOptions } from './audit/audit.js';
export { ENFORCEMENT_PROBES, ADMIN_SAMPLE_PROBES, ADMIN_ESCALATION_PROBES, PROBE_CONTEXT_KEYS, type EnforcementAssessment } from './audit/enforcement.js';
export type { PolicyEvaluator } from './audit/evaluator.js';
export { bootstrapAllowlist, validateAllowWithoutMfa, type PolicyVerifier } from './audit/exhaustive.js';
export { USER_STATUSES, STATUS_URGENCY, NO_MFA_CONTEXTS, SEVERITIES as AUDIT_SEVERITIES, type UserStatus, type UserAudit, type AuditReport, type AuditSummary, type AccountFinding, type Reason, type NextStep, type NoMfaContext, type SourceWithAge } from './audit/types.js';
export { auditMessages, reasonText, nextStepText, findingText, LANGUAGES as AUDIT_LANGUAGES, type AuditMessages, type Language as AuditLanguage } from './audit/messages/index.js';
export { renderAudit, AUDIT_FORMATS, type AuditFormat } from './render/audit-format.js';
export { auditJson, renderAuditJson } from './render/audit-json.js';
export { auditAsff, renderAuditAsff, asffProductArn, asffUserFindingId, asffAccountFindingId, ASFF_SCHEMA_VERSION, ASFF_COMPLIANT_STATUSES, type AsffFinding, type AsffResource, type AsffTarget } from './render/audit-asff.js';
export { planSecurityHubSync, isOwnFinding, type HubFinding, type SyncPlan, type SyncScope } from './render/asff-sync.js';
export { renderAuditCsv, AUDIT_CSV_COLUMNS } from './render/audit-csv.js';
export { renderAuditMarkdown } from './render/audit-markdown.js';
export { renderAuditHtml, type AuditHtmlOptions } from './render/audit-html.js';
export { renderAuditTable } from './render/audit-table.js';

// The root user and abandoned virtual MFA devices.
export type { RootAccountSummary, UnassignedVirtualDevice, PerAccountFact } from './account/model.js';
export type { RootAudit, RootFactSource } from './audit/types.js';
export { rootAudit } from './audit/root.js';
export { accountRoot, rootsWithoutMfa, type OrgAccountRoot, type OrgRootVerdict, type CentralizedRootAccess } from './org/root.js';
export { planCleanup, applyCleanup, DEFAULT_OLDER_THAN_DAYS, type CleanupPlan, type DeviceIam, type DeletionResult, type ListedDevice } from './rollout/devices-cleanup.js';
