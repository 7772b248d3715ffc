/** FMFA003: removing an MFA device (deactivating it, deleting a virtual one) must need MFA. */
import { mainMfaDeny } from '../guard-shape.js';
import { CONTEXT_LABEL, NO_MFA_CONTEXTS, type NoMfaContext, type ProbeArns } from '../probes.js';
import type { EvaluationRule, RuleHit } from '../rule.js';

const TARGETS: readonly { action: string; own: keyof ProbeArns; other: keyof ProbeArns; noun: string }[] = [
  { action: 'iam:DeactivateMFADevice', own: 'caller', other: 'otherUser', noun: 'MFA device' },
  { action: 'iam:DeleteVirtualMFADevice', own: 'callerDevice', other: 'otherDevice', noun: 'virtual MFA device' },
];

export const mfaRemovalWithoutMfa: EvaluationRule = {
  id: 'FMFA003',
  scope: 'evaluation',
  check(probe, policy) {
    const deny = mainMfaDeny(policy);
    const hits: RuleHit[] = [];
    for (const target of TARGETS) {
      const byItself: string[] = [];
      const notDenied: string[] = [];
      const contexts = new Set<NoMfaContext>();
      for (const context of NO_MFA_CONTEXTS) {
        for (const [whose, resource] of [[`the caller's own ${target.noun}`, probe.arns[target.own]], [`another user's ${target.noun}`, probe.arns[target.other]]] as const) {
          const request = { action: target.action, resource, context };
          if (probe.alone(request) === 'Allowed') byItself.push(whose);
          else if (probe.besideAllowEverything(request) === 'Allowed') notDenied.push(whose);
          else continue;
          contexts.add(context);
        }
      }
      if (contexts.size === 0) continue;
      const parts = [
        unique(byItself).length > 0 ? `allowed by this policy on ${unique(byItself).join(' and ')}` : undefined,
        unique(notDenied).length > 0 ? `not denied on ${unique(notDenied).join(' and ')} (allowed as soon as another policy allows it, e.g. AdministratorAccess)` : undefined,
      ].filter((part) => part !== undefined);
      hits.push({
        ...(deny === undefined ? {} : { statementIndex: deny.index }),
        message: `without MFA (${[...contexts].map((context) => CONTEXT_LABEL[context]).join(', ')}) ${target.action} is ${parts.join('; ')}`,
      });
    }
    return hits;
  },
};

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
