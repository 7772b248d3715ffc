/** Who is never put in the guard group: the exemption tag and path rules, shared by enroll and the auto-enroll Lambda. */

/** A user tagged `force-mfa:exempt` = `true` is left out of the group; key and value in any letter case. */
export const EXEMPT_TAG_KEY = 'force-mfa:exempt';

/**
 * IAM treats the tag keys of a user without regard to case (`Force-MFA:Exempt` is the same key, kept as typed), so a
 * key in other letters must exempt too: enrolling a user an administrator meant to exempt could lock them out.
 */
export function isExemptByTag(tags: Readonly<Record<string, string>>): boolean {
  return exemptTagValue(tags) !== undefined;
}

/** The exemption tag's value as typed, when a key in any case says `true`; undefined otherwise. */
export function exemptTagValue(tags: Readonly<Record<string, string>>): string | undefined {
  return Object.entries(tags).find(([key, value]) => key.toLowerCase() === EXEMPT_TAG_KEY && value.trim().toLowerCase() === 'true')?.[1];
}

/** Tags as IAM returns them (`[{ Key, Value }]`) to a record. */
export function tagRecord(tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

/** `/service/` matches users whose path starts with it; prefixes without a trailing slash still mean a folder. */
export function isUnderPath(userPath: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => {
    const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
    return userPath.startsWith(folder);
  });
}

/** A comma-separated list (environment variables, flags) to its non-empty trimmed items. */
export function splitNames(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
