import { describe, expect, it } from 'vitest';
import { buildGuard } from '../../src/policy/guard.js';
import { renderScp, SCP_SIZE_LIMIT, scpFromGuard } from '../../src/policy/scp.js';
import { renderGuard } from '../../src/render/guard.js';

describe('service control policy', () => {
  const guard = buildGuard();
  const scp = scpFromGuard(guard);

  it('keeps only deny statements: an SCP limits, it never grants', () => {
    expect(scp.Statement.every((s) => s.Effect === 'Deny')).toBe(true);
    expect(scp.Statement).toHaveLength(guard.document.Statement.filter((s) => s.Effect === 'Deny').length);
  });

  it('applies every deny to IAM users only, keeping the guard conditions', () => {
    for (const statement of scp.Statement) {
      expect(statement.Condition?.['ArnLike']).toEqual({ 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' });
    }
    const main = scp.Statement.find((s) => s.Sid === 'DenyAllExceptMfaSetupWithoutMfaForIamUsers');
    expect(main?.Condition?.['BoolIfExists']).toEqual({ 'aws:MultiFactorAuthPresent': 'false' });
    expect(main?.NotAction).toEqual(guard.document.Statement[0]?.NotAction);
  });

  it('follows the partition', () => {
    const cn = scpFromGuard(buildGuard({ partition: 'aws-cn' }));
    expect(cn.Statement[0]?.Condition?.['ArnLike']).toEqual({ 'aws:PrincipalArn': 'arn:aws-cn:iam::*:user/*' });
  });

  it('renders minified within the SCP size limit, white space counted', () => {
    const text = renderGuard(guard, 'scp');
    expect(text.trimEnd()).toBe(JSON.stringify(scp));
    expect(text.trimEnd().length).toBeLessThanOrEqual(SCP_SIZE_LIMIT);
  });

  it('refuses an SCP over the limit with its size', () => {
    // A guard that fits IAM's group limit always yields a smaller SCP (its allows are dropped), so build one by hand.
    const big = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Deny' as const, Action: Array.from({ length: 400 }, (_, i) => `iam:Action${i}`), Resource: '*' }] };
    expect(() => renderScp(big)).toThrow(/^the SCP is \d+ characters, over the 5120-character limit/);
  });

  it('is not rendered from the seed profile', () => {
    expect(() => scpFromGuard(buildGuard({ profile: 'seed' }))).toThrow(/recommended profile only/);
  });
});
