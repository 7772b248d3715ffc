/** FMFA002: CreateVirtualMFADevice allowed only on mfa/${aws:username} breaks devices that users name themselves. */
import { checkableStatements, coversAction } from '../guard-shape.js';
import type { PolicyRule, RuleHit } from '../rule.js';

export const deviceNameScoped: PolicyRule = {
  id: 'FMFA002',
  scope: 'policy',
  check(policy) {
    const hits: RuleHit[] = [];
    for (const statement of checkableStatements(policy)) {
      if (statement.effect !== 'Allow' || !coversAction(statement, 'iam:CreateVirtualMFADevice')) continue;
      const deviceResources = statement.resources.filter((resource) => resource.includes(':mfa/'));
      const scoped = deviceResources.filter((resource) => /:mfa\/.*\$\{aws:username\}/i.test(resource));
      if (scoped.length === 0 || scoped.length !== deviceResources.length || statement.resources.includes('*')) continue;
      hits.push({
        statementIndex: statement.index,
        message: `allows iam:CreateVirtualMFADevice only on ${scoped.join(', ')}: a device named anything else than the user name cannot be created`,
      });
    }
    return hits;
  },
};
