/**
 * FMFA017: what the guard leaves usable without MFA beyond MFA setup, counted over the whole action catalogue by the
 * exhaustive verify, beside a policy that allows everything (a NotAction entry, an exempt action, an Allow that the
 * deny does not cover all show there).
 */
import { verifyPolicies } from '../../engine/verify.js';
import { mfaSetupActions } from '../../policy/guard.js';
import { mainMfaDeny } from '../guard-shape.js';
import { ALLOW_EVERYTHING, CONTEXT_LABEL, NO_MFA_CONTEXTS } from '../probes.js';
import type { EvaluationRule } from '../rule.js';

/** More opened actions than this, or a whole service, is an error; a few named ones are a warning. */
export const FEW_ACTIONS = 10;
/**
 * Actions with which a member leaves the guard or takes it apart: out of the group, the group's policies deleted,
 * replaced or detached, a managed guard rewritten. One of them usable without MFA is an error however few are open.
 */
export const ESCAPE_ACTIONS: readonly string[] = [
  'iam:RemoveUserFromGroup',
  'iam:DeleteGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:DetachGroupPolicy',
  'iam:DeleteGroup',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
];
const ESCAPES = new Set(ESCAPE_ACTIONS.map((action) => action.toLowerCase()));
/** Services named in the message, most opened first. */
const SERVICES_SHOWN = 8;

export const openWithoutMfa: EvaluationRule = {
  id: 'FMFA017',
  scope: 'evaluation',
  check(probe, policy, environment) {
    const { catalogue } = environment;
    const report = verifyPolicies(
      { policies: [{ name: policy.policy.policyName ?? policy.policy.location, document: policy.policy.document }, ALLOW_EVERYTHING], principalArn: probe.arns.caller },
      catalogue,
    );
    const setup = new Set(mfaSetupActions().map((action) => action.toLowerCase()));
    const opened = new Set<string>();
    const perContext: string[] = [];
    for (const context of NO_MFA_CONTEXTS) {
      const beyond = report.contexts[context].allowed.filter((allowed) => !setup.has(allowed.action.toLowerCase()));
      for (const allowed of beyond) opened.add(allowed.action);
      perContext.push(`${CONTEXT_LABEL[context]} ${beyond.length}`);
    }
    if (opened.size === 0) return [];

    const ungated = new Set(report.ungated);
    const byService = new Map<string, number>();
    for (const action of opened) {
      const service = action.slice(0, action.indexOf(':'));
      byService.set(service, (byService.get(service) ?? 0) + 1);
    }
    const services = [...byService]
      .map(([service, count]) => {
        const gated = catalogue.actionsOfService(service).filter((action) => !ungated.has(action.name)).length;
        return { service, count, gated, whole: count === gated };
      })
      .sort((a, b) => b.count - a.count || a.service.localeCompare(b.service));
    const escapes = [...opened].filter((action) => ESCAPES.has(action.toLowerCase())).sort();
    const wide = opened.size > FEW_ACTIONS || services.some((service) => service.whole) || escapes.length > 0;
    const named =
      opened.size <= FEW_ACTIONS
        ? [...opened].sort().join(', ')
        : services
            .slice(0, SERVICES_SHOWN)
            .map((service) => `${service.service} ${service.count} of ${service.gated}${service.whole ? ' (the whole service)' : ''}`)
            .join(', ') + (services.length > SERVICES_SHOWN ? `, and ${services.length - SERVICES_SHOWN} more services` : '');
    const deny = mainMfaDeny(policy);
    return [
      {
        ...(deny === undefined ? {} : { statementIndex: deny.index }),
        severity: wide ? 'error' : 'warning',
        message:
          `without MFA, ${opened.size} ${opened.size === 1 ? 'action' : 'actions'} beyond MFA setup ${opened.size === 1 ? 'is' : 'are'} usable ` +
          `beside a policy that allows everything (${perContext.join(', ')}): ${named}` +
          (escapes.length === 0 ? '' : `; with ${escapes.join(', ')} a member without MFA leaves the guard or takes it apart`),
      },
    ];
  },
};
