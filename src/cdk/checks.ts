/**
 * ForceMfaChecks: a cdk-nag NagPack that applies force-mfa's lint rules to every IAM policy of a CDK app, so that an
 * app which weakens the MFA guard fails `cdk synth` with the rule's id (ForceMfa-FMFA0xx).
 */
import { CfnElement, Stack, Validations, type CfnResource, type IAspect, type IPolicyValidationContext, type PolicyValidationPluginReport, type PolicyViolation } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { loadCatalogueSync } from '../engine/catalogue.js';
import { ForceMfaError } from '../errors.js';
import { lintEnvironment } from '../lint/lint.js';
import { ruleMetadata, RULES, type RuleId } from '../lint/registry.js';
import { findingPlace } from '../lint/report.js';
import type { LintEnvironment } from '../lint/rule.js';
import { SEVERITIES, type LintFinding, type Severity } from '../lint/types.js';
import { ForceMfaGroup } from './force-mfa-group.js';
import { POLICY_RESOURCE_TYPES, resourceFindings, stackPolicies, type StackPolicies } from './nag-findings.js';

/** The prefix of the rule ids, as cdk-nag writes them: `ForceMfa-FMFA001`. */
export const FORCE_MFA_PACK_NAME = 'ForceMfa';

/** The options of cdk-nag's NagPack that apply here. */
export interface ForceMfaChecksProps {
  /** Add each rule's explanation and fix to its violation's description (cdk-nag's `verbose`). Default: false. */
  readonly verbose?: boolean;
  /** Write acknowledged rules into the resources' CloudFormation Metadata (cdk-nag's option). Default: false. */
  readonly writeSuppressionsToCloudFormation?: boolean;
}

/*
 * cdk-nag is an optional peer dependency, like aws-cdk-lib: `force-mfa/cdk` loads without it (ForceMfaGroup does not
 * need it), and only constructing ForceMfaChecks says it is missing. The types below are the part of cdk-nag's API
 * this module uses, written out so that force-mfa's declaration files do not name cdk-nag either.
 */
interface NagApplyRule {
  readonly ruleSuffixOverride?: string;
  readonly info: string;
  readonly explanation: string;
  readonly level: string;
  readonly node: CfnResource;
  rule(node: CfnResource): string | string[];
}

interface NagPackInstance {
  readonly name: string;
  packName: string;
  validate(context: IPolicyValidationContext): PolicyValidationPluginReport;
  validateScope(scope: IConstruct): PolicyValidationPluginReport;
  applyRule(params: NagApplyRule): void;
}

type NagPackConstructor = abstract new (scope?: IConstruct, props?: ForceMfaChecksProps) => NagPackInstance;

interface CdkNagModule {
  readonly NagPack: NagPackConstructor;
  readonly NagMessageLevel: { readonly ERROR: string; readonly WARN: string; readonly INFO: string };
  readonly NagRuleCompliance: { readonly NON_COMPLIANT: string };
}

const cdkNag = await import('cdk-nag').then(
  (loaded) => ({ loaded: ((loaded as { default?: unknown }).default ?? loaded) as unknown as CdkNagModule }),
  (error: unknown) => ({ error }),
);

function cdkNagMissing(error: unknown): Error {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new Error(`force-mfa: ForceMfaChecks needs cdk-nag 3 beside aws-cdk-lib; install it (npm install --save-dev cdk-nag) (${reason})`, {
    cause: error,
  });
}

/** Stands in for cdk-nag's NagPack when cdk-nag cannot be loaded: constructing the pack then says so. */
function missingNagPack(error: unknown): NagPackConstructor {
  abstract class CdkNagMissing {
    constructor() {
      throw cdkNagMissing(error);
    }
  }
  return CdkNagMissing as unknown as NagPackConstructor;
}

/** cdk-nag 2's NagPack is an Aspect without `validateScope`: a CDK validation plugin cannot be built on it. */
function isCdkNag3(module: CdkNagModule): boolean {
  return typeof module.NagPack === 'function' && typeof (module.NagPack.prototype as Partial<NagPackInstance>).validateScope === 'function';
}

const NagPackBase: NagPackConstructor =
  'error' in cdkNag
    ? missingNagPack(cdkNag.error)
    : isCdkNag3(cdkNag.loaded)
      ? cdkNag.loaded.NagPack
      : missingNagPack(new Error('the installed cdk-nag is not version 3 (its NagPack is not a validation plugin)'));

/** What one resource's findings of one rule become in the report. */
interface ResourceViolation {
  readonly ruleName: string;
  readonly severity: Severity;
  readonly description: string;
  readonly fix: string;
  readonly constructPath: string;
  readonly node: CfnResource;
  readonly logicalId: string;
  readonly locations: string[];
}

/**
 * The NagPack. Register it as cdk-nag 3 registers packs: `Validations.of(app).addPlugins(new ForceMfaChecks(app))`;
 * cdk-nag 2's `Aspects.of(app).add(new ForceMfaChecks())` works too (see `visit`).
 * Each IAM group, user, role and policy is read as CloudFormation synthesizes it (escape-hatch overrides included,
 * tokens resolved with `Stack.resolve`) and linted as `force-mfa lint` lints a template. Errors fail the synthesis;
 * warnings and info are reported without failing it.
 */
export class ForceMfaChecks extends NagPackBase implements IAspect {
  override readonly name = FORCE_MFA_PACK_NAME;
  readonly ruleIds: string[] = RULES.map((rule) => `${FORCE_MFA_PACK_NAME}-${rule.id}`);
  private readonly verboseDescriptions: boolean;
  private environment: LintEnvironment | undefined;
  private readonly stacks = new Map<Stack, RenderedStack>();
  private readonly found = new Map<string, ResourceViolation>();
  private registeredByAspect = false;

  constructor(scope?: IConstruct, props: ForceMfaChecksProps = {}) {
    super(scope, props);
    this.packName = FORCE_MFA_PACK_NAME;
    this.verboseDescriptions = props.verbose ?? false;
  }

  /**
   * Added as an Aspect (cdk-nag 2's way, `Aspects.of(app).add(pack)`), the pack registers itself as the validation
   * plugin of the enclosing App or Stage on its first visit, which comes before the CDK validates: the same checks run.
   * Registered so on a stack, it still checks the whole App or Stage, as every validation plugin does.
   */
  visit(node: IConstruct): void {
    if (this.registeredByAspect) return;
    this.registeredByAspect = true;
    Validations.of(node).addPlugins(this);
  }

  /**
   * cdk-nag groups a rule's violations under the description and severity of the first resource, and fails on any
   * violation. Here every resource keeps its own findings and severity (a rule may report an error on one resource
   * and a warning on another), and only errors fail: a warning must not hide behind an error's group, nor the other way.
   */
  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.stacks.clear();
    this.found.clear();
    try {
      const report = super.validateScope(scope);
      const violations: PolicyViolation[] = [];
      for (const violation of report.violations) {
        for (const resource of violation.violatingResources) {
          const mine = this.found.get(violationKey(violation.ruleName, resource.constructPath ?? ''));
          if (mine === undefined) {
            violations.push({ ...violation, violatingResources: [resource] });
            continue;
          }
          // The CDK's report offers `ForceMfa::ForceMfa-FMFA0xx` to acknowledge with; cdk-nag reads only the bare id.
          if (acknowledged(mine.node, `${FORCE_MFA_PACK_NAME}::${mine.ruleName}`)) continue;
          violations.push({
            ruleName: mine.ruleName,
            description: mine.description,
            fix: mine.fix,
            severity: mine.severity === 'error' ? 'error' : 'warning',
            violatingResources: [{ constructPath: mine.constructPath, resourceLogicalId: mine.logicalId, locations: mine.locations }],
          });
        }
      }
      const failed = violations.some((violation) => violation.severity === 'error');
      return { ...report, success: !failed, violations };
    } finally {
      this.stacks.clear();
      this.found.clear();
    }
  }

  protected checkResource(node: CfnResource): void {
    if (!POLICY_RESOURCE_TYPES.has(node.cfnResourceType)) return;
    const stack = Stack.of(node);
    const logicalId = String(stack.resolve(node.logicalId));
    const rendered = this.renderedStack(stack);
    const failure = rendered.failures.get(node);
    const findings =
      failure === undefined
        ? resourceFindings(rendered.policies, logicalId, isGuardGroup(node), this.lintEnvironment())
        : [unreadable(stack, logicalId, failure)];
    const byRule = new Map<string, LintFinding[]>();
    for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
    for (const [ruleId, ruleFindings] of byRule) this.report(node, logicalId, ruleId as RuleId, ruleFindings);
  }

  private report(node: CfnResource, logicalId: string, ruleId: RuleId, findings: readonly LintFinding[]): void {
    const rule = ruleMetadata(ruleId);
    const severity = SEVERITIES.find((level) => findings.some((finding) => finding.severity === level)) ?? 'info';
    const info = findings.map((finding) => `${findingPlace(finding)}: ${finding.message}`).join(' | ');
    const explanation = `${rule.title}. ${rule.why}`;
    const ruleName = `${FORCE_MFA_PACK_NAME}-${ruleId}`;
    this.found.set(violationKey(ruleName, node.node.path), {
      ruleName,
      severity,
      // The rule id leads, as in cdk-nag's own messages: the CDK's report names the plugin, not the rule, on that line.
      description: `${ruleName}: ${this.verboseDescriptions ? `${info}. ${explanation}` : info}`,
      fix: rule.fix,
      constructPath: node.node.path,
      node,
      logicalId,
      locations: [...new Set(findings.map(locationOf))],
    });
    const { NagMessageLevel, NagRuleCompliance } = (cdkNag as { loaded: CdkNagModule }).loaded;
    this.applyRule({
      ruleSuffixOverride: ruleId,
      info,
      explanation,
      level: severity === 'error' ? NagMessageLevel.ERROR : severity === 'warning' ? NagMessageLevel.WARN : NagMessageLevel.INFO,
      node,
      rule: () => NagRuleCompliance.NON_COMPLIANT,
    });
  }

  private renderedStack(stack: Stack): RenderedStack {
    let rendered = this.stacks.get(stack);
    if (rendered === undefined) {
      rendered = renderStack(stack);
      this.stacks.set(stack, rendered);
    }
    return rendered;
  }

  private lintEnvironment(): LintEnvironment {
    this.environment ??= lintEnvironment(loadCatalogueSync());
    return this.environment;
  }
}

/** A resource that cannot be rendered is unknown, never compliant: an error of FMFA014. */
function unreadable(stack: Stack, logicalId: string, reason: string): LintFinding {
  const rule = ruleMetadata('FMFA014');
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    severity: 'error',
    file: stack.templateFile,
    location: `Resources.${logicalId}`,
    message: `the resource could not be rendered to check its policies: ${reason}`,
    fix: rule.fix,
  };
}

/** Whether `id` is acknowledged (Validations.acknowledge) on the resource or a scope above it. */
function acknowledged(node: CfnResource, id: string): boolean {
  return node.node.scopes.some((scope) =>
    scope.node.metadata.some(
      (entry) =>
        entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY &&
        entry.data !== null &&
        typeof entry.data === 'object' &&
        Object.keys(entry.data as Record<string, unknown>).some((key) => key.replace(/^annotation::/i, '') === id),
    ),
  );
}

function violationKey(ruleName: string, constructPath: string): string {
  return `${ruleName}\u0000${constructPath}`;
}

/** The place inside the resource, as the CDK's report shows it: `Properties/Policies/0/PolicyDocument/Statement/2`. */
function locationOf(finding: LintFinding): string {
  const path = finding.sourcePath ?? [];
  return path.length > 2 ? path.slice(2).join('/') : 'Properties';
}

/** The group a ForceMfaGroup made: known from the construct tree, not from its name. */
function isGuardGroup(node: CfnResource): boolean {
  return node.node.scopes.some((scope) => scope instanceof ForceMfaGroup && scope.group.node.defaultChild === node);
}

/** A stack's template as far as it renders, and the elements that did not render, with why. */
interface RenderedStack {
  readonly policies: StackPolicies;
  readonly failures: ReadonlyMap<CfnElement, string>;
}

/**
 * The stack's template as the CDK synthesizes it, element by element (`_toCloudFormation`, resolved by the stack):
 * raw overrides and escape hatches included, which the L1 properties alone would miss. Parameters and the other
 * resources are there too, so that a `Ref` to a parameter with a default resolves as in `force-mfa lint`. An element
 * that does not render is left out and remembered: it is reported on itself, and does not stop the others' checks.
 */
function renderStack(stack: Stack): RenderedStack {
  const template: Record<string, Record<string, unknown>> = {};
  const failures = new Map<CfnElement, string>();
  for (const element of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(element) || element.stack !== stack) continue;
    let fragment: Record<string, unknown> | undefined;
    try {
      fragment = stack.resolve(element._toCloudFormation()) as Record<string, unknown> | undefined;
    } catch (error) {
      if (isEnvironmentFailure(error)) throw error;
      failures.set(element, error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
      continue;
    }
    for (const [section, entries] of Object.entries(fragment ?? {})) {
      if (entries !== null && typeof entries === 'object') template[section] = { ...template[section], ...(entries as Record<string, unknown>) };
    }
  }
  return { policies: stackPolicies(stack.templateFile, template), failures };
}

/** The catalogue missing or unreadable is the installation's problem, not the resource's: it stops the check. */
function isEnvironmentFailure(error: unknown): boolean {
  return error instanceof ForceMfaError && error.kind === 'environment';
}
