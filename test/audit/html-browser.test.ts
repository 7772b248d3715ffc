import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFromDirectory } from '../../src/account/files/read-directory.js';
import { auditAccount } from '../../src/audit/audit.js';
import { auditMessages } from '../../src/audit/messages/index.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { renderOrgAccountsHtml } from '../../src/org/render/org-html.js';
import { aggregateOrgReport } from '../../src/org/report.js';
import { parseEvidenceFlags, loadConsoleLoginEvidence } from '../../src/cli/evidence-options.js';
import { renderAuditHtml, tableFrom } from '../../src/render/audit-html.js';
import { CATALOGUE, aUser, anAccount } from '../account/builders.js';
import { accountReport, MANAGEMENT, ORG_ID } from '../org/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of the sample audit land here (gitignored) for people to look at; the assertions below judge the layout. */
const ARTIFACTS = join(import.meta.dirname, '../artifacts/html');
type Language = 'en' | 'ja';
/** The sample as `audit --sample`, and as `audit --sample --evidence-days 30` (one more column, CloudTrail's). */
type Variant = 'plain' | 'evidence';
/** A laptop, a tablet and a phone, plus both sides of the variant's table breakpoint. */
const widthsOf = (language: Language, variant: Variant): number[] => {
  const from = tableFrom(language, variant === 'evidence', false);
  return [...new Set([1280, from, from - 1, 768, 390])].sort((a, b) => b - a);
};
const hasChromium = existsSync(CHROMIUM);
// In CI (.ci/run installs Debian's chromium) a missing browser is a failure, never a silent skip.
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
if (!hasChromium && !inCi) {
  // Visible in the test output on a developer machine: install Debian's chromium to run this file.
  console.warn(`html-browser.test.ts not run: ${CHROMIUM} is missing (apt-get install -y chromium); under CI it fails`);
}

/**
 * In the page: the words of labels (status, yes/no, headers, figures, card labels) that are laid out over more than
 * one line. A word is a run between spaces and Japanese list punctuation; いいえ split as い / いえ is one. In a
 * device list (which may break between phrases, as パスキーまたは / セキュリティキー) a word is a katakana run.
 */
const BROKEN_LABEL_WORDS = `(() => {
  const found = [];
  const check = (element, words) => {
    if (element.getClientRects().length === 0) return; // not displayed (the table head on a phone)
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      for (const word of (node.textContent ?? '').matchAll(words)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
        if (tops.size > 1) found.push(word[0]);
      }
    }
  };
  for (const label of document.querySelectorAll('.label, th')) check(label, /[^\\s・、,()（）]+/g);
  for (const phrase of document.querySelectorAll('.phrase')) check(phrase, /[ァ-ヺー]{2,}/g);
  // A card's column name is drawn by ::before, out of reach of ranges: it fits its column when its widest word does.
  for (const cell of document.querySelectorAll('#users td')) {
    const before = getComputedStyle(cell, '::before');
    if (before.content === 'none' || before.content === 'normal' || cell.getClientRects().length === 0) continue;
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:' + before.font;
    document.body.appendChild(probe);
    for (const word of cell.dataset.label.matchAll(/[^\\s・、,()（）]+/g)) {
      probe.textContent = word[0];
      const room = parseFloat(before.width);
      if (probe.getBoundingClientRect().width > room + 0.5) found.push(cell.dataset.label + ': ' + word[0]);
    }
    probe.remove();
  }
  return found;
})()`;

describe.runIf(hasChromium || inCi)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let folder: string;
  const pages = new Map<string, string>();
  const errors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium)`);
    folder = mkdtempSync(join(tmpdir(), 'force-mfa-html-'));
    const sample = join(import.meta.dirname, '../../examples/sample-account');
    const now = new Date('2025-06-02T12:00:00Z');
    const snapshot = await readSnapshotFromDirectory(sample, { now });
    // As `audit --sample --evidence-days 30` reads the sample's cloudtrail-console-logins.json.
    const settings = parseEvidenceFlags({ evidenceDays: '30' }, { offline: true, org: false });
    const consoleLogins = await loadConsoleLoginEvidence(settings!, { folder: sample }, snapshot, now);
    const reports = {
      plain: auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now }),
      evidence: auditAccount(snapshot, { catalogue: CATALOGUE, evaluate, now, consoleLogins }),
    };
    expect(reports.evidence.evidence?.state).toBe('complete');
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const language of ['en', 'ja'] as const) {
      for (const variant of ['plain', 'evidence'] as const) {
        const name = `audit-${language}${variant === 'plain' ? '' : '-evidence'}`;
        const html = renderAuditHtml(reports[variant], auditMessages(language));
        writeFileSync(join(folder, `${name}.html`), html);
        writeFileSync(join(ARTIFACTS, `${name}.html`), html);
        pages.set(`${language}/${variant}`, pathToFileURL(join(folder, `${name}.html`)).href);
      }
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  async function open(language: Language, variant: Variant = 'plain'): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) errors.push(`external request: ${request.url()}`);
    });
    await page.goto(pages.get(`${language}/${variant}`)!);
    return page;
  }

  const visibleNames = (page: Page): Promise<string[]> =>
    page.$$eval('#users tbody tr:not([hidden]) td:first-child strong', (cells) => cells.map((cell) => cell.textContent ?? ''));

  it('shows the summary chart and the user table', async () => {
    const page = await open('en');
    expect(await page.isVisible('#chart')).toBe(true);
    expect(await page.locator('#chart .bar').count()).toBe(8);
    // The longest bar is the most common status (protected, 10 users); an empty status has no bar at all.
    const barWidth = (status: string) => page.locator(`#chart .bar[data-status="${status}"] .fill`).evaluate((fill) => fill.getBoundingClientRect().width);
    expect(await barWidth('protected')).toBeGreaterThan(100);
    expect(await barWidth('protected')).toBeGreaterThan(await barWidth('unknown'));
    expect(await page.isVisible('#users')).toBe(true);
    expect(await page.locator('#users tbody tr').count()).toBe(30);
    expect(await page.textContent('#findings')).toContain('The root user has no MFA device.');
    const peggy = page.locator('#users tbody tr', { hasText: 'peggy' });
    expect(await peggy.textContent()).toContain('Add peggy to the group ForceMfaAccess.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts by a column header, both ways', async () => {
    const page = await open('en');
    const before = await visibleNames(page);
    expect(before[0]).toBe('peggy'); // most urgent first
    await page.click('#users th:nth-child(1)');
    const ascending = await visibleNames(page);
    expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));
    expect(await page.getAttribute('#users th:nth-child(1)', 'aria-sort')).toBe('ascending');
    await page.click('#users th:nth-child(1)');
    expect(await visibleNames(page)).toEqual([...ascending].reverse());
    await page.close();
  });

  it('filters by text, by status, and from the chart', async () => {
    const page = await open('en');
    await page.fill('#filter', 'svc-');
    expect(await visibleNames(page)).toEqual(['/service/svc-backup', '/service/svc-ci-deploy', '/service/svc-legacy-erp']);
    expect(await page.textContent('#shown')).toBe('Showing 3 of 30 users');
    await page.fill('#filter', '');
    await page.selectOption('#status-filter', 'unknown');
    expect(await visibleNames(page)).toEqual(['xavier', 'yara']);
    await page.selectOption('#status-filter', '');
    await page.click('#chart .bar[data-status="exempt"]');
    expect(await visibleNames(page)).toEqual(['breakglass', '/service/svc-legacy-erp']);
    await page.close();
  });

  it('shows the root user next to the summary', async () => {
    for (const [language, text] of [['en', 'Root user: MFA: no;'], ['ja', 'ルートユーザー: MFA: なし、']] as const) {
      const page = await open(language);
      expect(await page.isVisible('#summary #root-user')).toBe(true);
      expect(await page.textContent('#root-user')).toContain(text);
      await page.close();
    }
  });

  it('reads in Japanese with --lang ja', async () => {
    const page = await open('ja');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('h1')).toBe('force-mfa 監査レポート');
    expect(await page.textContent('#users thead')).toContain('次の対応');
    expect(await page.textContent('#chart')).toContain('保護済み');
    await page.selectOption('#status-filter', 'unprotected');
    expect(await page.textContent('#shown')).toBe('30 人中 4 人を表示');
    await page.close();
  });

  for (const [language, variant] of [['en', 'plain'], ['ja', 'plain'], ['en', 'evidence'], ['ja', 'evidence']] as const) {
    for (const width of widthsOf(language, variant)) {
      it(`fits ${width} px in ${language}${variant === 'evidence' ? ' with CloudTrail evidence' : ''}: no horizontal scrolling, every next step in view, no label broken inside a word`, async () => {
        const page = await open(language, variant);
        await page.setViewportSize({ width, height: 900 });
        if (width === 1280 || width === 390) {
          // Viewport-sized pictures, readable one by one: the top of the page, the first users, users further down.
          const top = (await page.evaluate("document.querySelector('#users').getBoundingClientRect().top + window.scrollY")) as number;
          const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
          for (const [part, y] of [['top', 0], ['users', top - 10], ['more', top + 1800]] as const) {
            const clip = { x: 0, y: Math.max(0, Math.min(y, height - 900)), width, height: 900 };
            await page.screenshot({ path: join(ARTIFACTS, `audit-${language}${variant === 'plain' ? '' : '-evidence'}-${width}-${part}.png`), clip, fullPage: true });
          }
        }
        // A table from the breakpoint up, one card per user below it.
        expect(await page.isVisible('#users thead')).toBe(width >= tableFrom(language, variant === 'evidence', false));
        const peggy = page.locator('#users tbody tr', { hasText: 'peggy' });
        if (variant === 'evidence') {
          const evidence = peggy.locator(`td[data-label="${auditMessages(language).signIns.column}"]`);
          expect(await evidence.isVisible()).toBe(true);
          expect(await evidence.innerText()).toContain('203.0.113.24');
        }
        const layout = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as {
          scrollWidth: number;
          innerWidth: number;
        };
        expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
        const rows = page.locator('#users tbody tr');
        expect(await rows.count()).toBe(30);
        for (const cell of await page.locator('#users tbody tr td.next-step').all()) {
          expect(await cell.isVisible()).toBe(true);
          const box = await cell.boundingBox();
          expect(box).not.toBeNull();
          expect(box!.x).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width).toBeLessThanOrEqual(layout.innerWidth);
          expect((await cell.innerText()).trim().length).toBeGreaterThan(5);
        }
        // A word of a label (status, yes/no, headers, figures) is laid out on one line: いいえ is never い / いえ.
        const broken = (await page.evaluate(BROKEN_LABEL_WORDS)) as string[];
        expect(broken).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  it('shows the Japanese yes/no and next-step labels whole on a phone', async () => {
    const page = await open('ja');
    await page.setViewportSize({ width: 390, height: 900 });
    const peggy = page.locator('#users tbody tr', { hasText: 'peggy' });
    // On a phone each cell carries its column name; the label of the next step sits on one line above its text.
    const label = (await page.evaluate(`(() => {
      const cell = Array.from(document.querySelectorAll('#users tbody tr')).find((row) => row.textContent.includes('peggy')).querySelector('td.next-step');
      const before = getComputedStyle(cell, '::before');
      return { content: before.content, height: parseFloat(before.height), lineHeight: parseFloat(getComputedStyle(cell).lineHeight) };
    })()`)) as { content: string; height: number; lineHeight: number };
    expect(label.content).toBe('"次の対応"');
    expect(label.height).toBeLessThan(label.lineHeight * 1.5);
    const no = peggy.locator('td.value .label', { hasText: /^いいえ$/ }).first();
    const noBox = await no.boundingBox();
    expect(noBox!.height).toBeLessThan(label.lineHeight * 1.5);
    await page.close();
  });

  it('lists the findings most severe first', async () => {
    const page = await open('en');
    const order = await page.$$eval('#findings li', (items) => items.map((item) => item.className.replace('sev-', '')));
    const rank = ['critical', 'high', 'warning', 'info'];
    expect(order.length).toBeGreaterThan(3);
    expect(order.map((severity) => rank.indexOf(severity))).toEqual(order.map((severity) => rank.indexOf(severity)).sort((a, b) => a - b));
    expect(order[0]).toBe('critical');
    await page.close();
  });

  it('prints every row, without the filters, with links spelled out', async () => {
    const page = await open('en');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.fill('#filter', 'svc-');
    expect(await page.locator('#users tbody tr:visible').count()).toBe(3);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#users tbody tr:visible').count()).toBe(30);
    expect(await page.isVisible('.controls')).toBe(false);
    expect(await page.isVisible('#users thead')).toBe(true);
    const breakInside = await page.evaluate("getComputedStyle(document.querySelector('#users tbody tr')).breakInside");
    expect(breakInside).toBe('avoid');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'audit-en-print.png'), fullPage: true });
    await page.close();
  });

  it('keeps markup in untrusted names inert', async () => {
    const hostile = '<img src=x onerror="window.pwned=1">';
    const quoted = `a"'><script>window.pwned=2</script>`;
    const report = auditAccount(
      anAccount()
        .withUsers(aUser(hostile).withPassword(), aUser(quoted).withPath(`/"><script>window.pwned=3</script>/`).withPassword())
        .build(),
      { catalogue: CATALOGUE, evaluate },
    );
    const file = join(folder, 'hostile.html');
    writeFileSync(file, renderAuditHtml(report, auditMessages('en')));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1); // the page's own
    expect((await visibleNames(page)).sort()).toEqual([`/"><script>window.pwned=3</script>/${quoted}`, hostile].sort());
    expect(await page.locator('#users tbody tr').first().locator('td.next-step').textContent()).toContain('<');
    await page.close();
  });

  it('an organization report tells accounts apart and filters the user table per account', async () => {
    const ok = (id: string, name: string, extra: number) => ({
      account: { id, name, email: undefined, arn: '', management: id === MANAGEMENT },
      status: 'ok' as const,
      value: accountReport(extra),
      attempts: 1,
      durationMs: 1,
    });
    const report = aggregateOrgReport({
      organization: { id: ORG_ID, arn: '', partition: 'aws', managementAccountId: MANAGEMENT },
      outcomes: [ok(MANAGEMENT, 'main', 0), ok('333333333333', 'dev', 1)],
      generatedAt: '2025-03-01T12:00:00.000Z',
      options: { guardGroupName: 'ForceMfaAccess', exemptUsers: [], requireHardware: false, allowWithoutMfa: [] },
    });
    const messages = auditMessages('en');
    const file = join(folder, 'org.html');
    writeFileSync(file, renderAuditHtml(report, messages, { accountView: renderOrgAccountsHtml(report, messages) }));
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    const visible = (): Promise<string[]> =>
      page.$$eval('#users tbody tr:not([hidden])', (rows) => rows.map((row) => `${row.cells[0]?.textContent ?? ''}/${row.cells[1]?.querySelector('strong')?.textContent ?? ''}`));
    expect((await visible()).filter((entry) => entry.endsWith('/carol'))).toEqual([`${MANAGEMENT}/carol`, '333333333333/carol']);
    await page.selectOption('#account-filter', '333333333333');
    expect(await visible()).toEqual(['333333333333/carol', '333333333333/bob', '333333333333/alice', '333333333333/user0']);
    await page.selectOption('#account-filter', '');
    await page.click(`#accounts a[data-filter-account="${MANAGEMENT}"]`);
    expect((await visible()).every((entry) => entry.startsWith(`${MANAGEMENT}/`))).toBe(true);
    expect(await page.textContent('#shown')).toBe('Showing 3 of 7 users');
    // On a phone the account tables scroll inside their section; the page itself never does.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
