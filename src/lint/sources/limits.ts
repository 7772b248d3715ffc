/** IAM's size limits per kind of policy (characters, white space not counted). */

export const POLICY_SIZE_LIMITS = {
  group: { limit: 5120, kind: "a group's inline policies" },
  user: { limit: 2048, kind: "a user's inline policies" },
  role: { limit: 10240, kind: "a role's inline policies" },
  managed: { limit: 6144, kind: 'a managed policy' },
} as const;

export type PolicyHolder = keyof typeof POLICY_SIZE_LIMITS;

/** The strictest limit among the holders an inline policy is attached to. */
export function strictestLimit(holders: readonly PolicyHolder[]): (typeof POLICY_SIZE_LIMITS)[PolicyHolder] | undefined {
  const limits = holders.map((holder) => POLICY_SIZE_LIMITS[holder]);
  return limits.sort((a, b) => a.limit - b.limit)[0];
}
