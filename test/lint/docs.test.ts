/** docs/rules.md is generated from the registry and must match it; the registry itself is well-formed. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRulesDoc } from '../../src/lint/docs.js';
import { RULES } from '../../src/lint/registry.js';
import { LINT_RULES } from '../../src/lint/rules/index.js';

const DOC = new URL('../../docs/rules.md', import.meta.url);

describe('lint rule registry and docs/rules.md', () => {
  it('docs/rules.md is up to date (regenerate with `npm run docs:rules`)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderRulesDoc());
  });

  it('every rule has a unique id, a unique name and every text', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    expect(new Set(RULES.map((rule) => rule.name)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^FMFA\d{3}$/);
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const text of [rule.title, rule.why, rule.fix]) expect(text.length).toBeGreaterThan(10);
    }
  });

  it('every registry entry has exactly one implementation, and every implementation an entry', () => {
    expect(LINT_RULES.map((rule) => rule.id).sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });

  it('documents every rule with its severity and fix', () => {
    const doc = renderRulesDoc();
    for (const rule of RULES) {
      expect(doc).toContain(`### ${rule.id}`);
      expect(doc).toContain(`| [${rule.id}](#${rule.id.toLowerCase()}) | \`${rule.name}\` | ${rule.severity} |`);
      expect(doc).toContain(`How to fix: ${rule.fix}`);
    }
  });
});
