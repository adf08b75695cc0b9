// report.html in Debian's headless chromium (playwright-core, /usr/bin/chromium): devices and
// findings appear, sorting and filtering work, no network request is attempted, and a hostile
// hostname does not execute, with the page's CSP and, separately, without it (escaping alone).
// Set WARDLINE_SCREENSHOT=FILE to also save a full-page screenshot.
import { haveCorpus } from '../testutil/corpus.js';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { LAZY_DETAILS_ABOVE, PRERENDERED_DETAILS, renderHtml } from './html.js';
import { corpusReport, HOSTILE_HOSTNAME, HOSTILE_TITLE, largeReport } from './fixture.testutil.js';

const CHROMIUM = process.env.WARDLINE_CHROMIUM ?? '/usr/bin/chromium';

// The little of playwright-core's API used here (it is loaded at run time, see below).
interface Locator {
  count(): Promise<number>;
  allTextContents(): Promise<string[]>;
  first(): Locator;
  click(): Promise<void>;
  fill(v: string): Promise<void>;
  selectOption(v: string): Promise<unknown>;
  textContent(): Promise<string | null>;
  isVisible(): Promise<boolean>;
  getAttribute(n: string): Promise<string | null>;
  locator(s: string): Locator;
  all(): Promise<Locator[]>;
  waitFor(o?: { state?: 'attached' | 'visible'; timeout?: number }): Promise<void>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  on(ev: 'request', f: (r: { url(): string }) => void): void;
  on(ev: 'dialog', f: (d: { message(): string; dismiss(): Promise<void> }) => void): void;
  on(ev: 'console', f: (m: { text(): string }) => void): void;
  locator(s: string, o?: { hasText?: string }): Locator;
  evaluate<T>(f: () => T): Promise<T>;
  evaluate<T, A>(f: (a: A) => T, arg: A): Promise<T>;
  screenshot(o: { path: string; fullPage: boolean }): Promise<unknown>;
  close(): Promise<void>;
}
interface Browser {
  newPage(o?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(o: { executablePath: string; headless: boolean; timeout?: number; args?: string[] }): Promise<Browser> };
}

/** playwright-core, when installed (a devDependency; a plain require so tsc needs no types). */
function loadPlaywright(): Playwright | null {
  try {
    return createRequire(import.meta.url)('playwright-core') as Playwright;
  } catch {
    return null;
  }
}

const pw = loadPlaywright();

describe('report.html in headless chromium', { skip: pw ? (haveCorpus() ? false : 'shared corpus not present') : 'playwright-core is not installed' }, () => {
  let browser: Browser;
  let dir: string;
  let html: string;
  let big: string;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
    // Generous launch timeout and no /dev/shm reliance: CI runs this beside other test files on 2 cores.
    browser = await pw!.chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 120_000, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    dir = mkdtempSync(join(tmpdir(), 'wardline-html-'));
    const rep = await corpusReport();
    html = renderHtml(rep);
    big = renderHtml(largeReport(rep, LAZY_DETAILS_ABOVE + 220));
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `content` from disk, recording every request other than the page itself, and dialogs. */
  async function open(content: string, name: string) {
    const file = join(dir, name);
    writeFileSync(file, content);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const dialogs: string[] = [];
    const console: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => console.push(m.text()));
    await page.goto(url);
    return { page, requests, dialogs, console };
  }

  test('shows the devices and their findings with evidence, and requests nothing', async () => {
    const { page, requests, dialogs, console } = await open(html, 'report.html');
    const names = await page.locator('#inventory-table tbody tr td:first-child a').allTextContents();
    assert.equal(names.length, 6);
    assert.ok(names.includes(HOSTILE_HOSTNAME), 'the hostile hostname is shown as text');
    assert.ok(names.includes('CT-SCANNER-01'));
    const findingTitles = await page.locator('.finding h5').allTextContents();
    assert.ok(findingTitles.some((t) => t.includes('RDP remote code execution (BlueKeep)')));
    assert.ok(findingTitles.some((t) => t.includes('Patient data sent unencrypted (HL7)')));
    assert.ok(findingTitles.some((t) => t.includes(HOSTILE_TITLE)), 'hostile finding text shown verbatim');
    const evidence = await page.locator('table.evidence tbody td').allTextContents();
    assert.ok(evidence.includes('smb.native_os'));
    assert.ok(evidence.includes('hl7.phi_segments'));
    assert.ok(await page.locator('text=CVE-2019-0708').first().isVisible());
    assert.equal(await page.locator('#segments .tag.mixed').count(), 1);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(requests, []);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(console.filter((m) => /Content Security Policy|Refused/i.test(m)), [], 'the CSP blocked nothing: the page needs nothing');
    const low = page.locator('#inventory-table a', { hasText: '02:00:00:00:00:05' });
    const target = (await low.getAttribute('href'))!.slice(1);
    assert.equal(await page.locator(`details#${target}`).getAttribute('open'), null, 'low-risk device starts collapsed');
    await low.click();
    // hashchange is handled after the click returns (on a busy machine, noticeably after).
    await page.locator(`details#${target}[open]`).waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await page.locator(`details#${target}`).getAttribute('open'), '', 'following its link opens it');
    const shot = process.env.WARDLINE_SCREENSHOT;
    if (shot) await page.screenshot({ path: shot, fullPage: true });
    await page.close();
  });

  test('sorts the inventory when a column heading is clicked', async () => {
    const { page } = await open(html, 'sort.html');
    const scores = async () => (await page.locator('#inventory-table tbody tr td:nth-child(6)').allTextContents()).map((t) => Number(t.replace(/\D+/g, '')));
    assert.deepEqual(await scores(), [92, 81, 45, 30, 10, 0], 'riskiest first as rendered');
    await page.locator('#inventory-table thead th:nth-child(6) button').click();
    assert.deepEqual(await scores(), [0, 10, 30, 45, 81, 92], 'Risk toggles to ascending');
    assert.equal(await page.locator('#inventory-table thead th:nth-child(6)').getAttribute('aria-sort'), 'ascending');
    await page.locator('#inventory-table thead th:nth-child(1) button').click();
    const names = await page.locator('#inventory-table tbody tr td:first-child a').allTextContents();
    const expected = [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
    assert.deepEqual(names, expected, 'Device sorts by name ascending');
    assert.equal(await page.locator('#inventory-table thead th:nth-child(6)').getAttribute('aria-sort'), 'none');
    await page.locator('#inventory-table thead th:nth-child(1) button').click();
    assert.deepEqual(await page.locator('#inventory-table tbody tr td:first-child a').allTextContents(), [...expected].reverse());
    await page.close();
  });

  test('filters the inventory by typed text and by risk level', async () => {
    const { page } = await open(html, 'filter.html');
    const visible = async () => {
      const rows = page.locator('#inventory-table tbody tr:not([hidden]) td:first-child a');
      return rows.allTextContents();
    };
    await page.locator('#inventory-filter').fill('windows 7');
    assert.deepEqual(await visible(), ['CT-SCANNER-01']);
    assert.equal(await page.locator('#inventory-status').textContent(), '1 of 6 devices shown');
    await page.locator('#inventory-filter').fill('lab analyzer');
    assert.deepEqual(await visible(), ['lis.example.org']);
    await page.locator('#inventory-filter').fill('');
    await page.locator('#inventory-level').selectOption('critical');
    assert.deepEqual(await visible(), [HOSTILE_HOSTNAME]);
    await page.locator('#inventory-level').selectOption('medium');
    assert.deepEqual((await visible()).sort(), ['NURSE-WS-12', 'lis.example.org']);
    await page.locator('#inventory-filter').fill('nurse');
    assert.deepEqual(await visible(), ['NURSE-WS-12']);
    await page.close();
  });

  test('a hostile hostname does not execute even without the Content-Security-Policy', async () => {
    const noCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    assert.notEqual(noCsp, html);
    const { page, requests, dialogs } = await open(noCsp, 'nocsp.html');
    await page.locator('#inventory-filter').fill('img');
    assert.deepEqual(dialogs, [], 'no alert()');
    assert.deepEqual(requests, [], 'no request for the hostile img src');
    assert.equal(await page.locator('img, svg[onload]').count(), 0);
    assert.equal(await page.evaluate(() => document.scripts.length), 1);
    await page.close();
  });

  test('a large site: a device whose details are kept as data opens when its link is followed, hostile names inert', async () => {
    const { page, requests, dialogs, console } = await open(big, 'large.html');
    const n = LAZY_DETAILS_ABOVE + 220;
    assert.equal(await page.locator('#inventory-table tbody tr').count(), n);
    assert.equal(await page.locator('details.device').count(), PRERENDERED_DETAILS);
    const last = page.locator('#inventory-table tbody tr:last-child td:first-child a');
    const name = (await last.textContent())!;
    const target = (await last.getAttribute('href'))!.slice(1);
    assert.equal(await page.locator(`#${target}`).count(), 0, 'not laid out before it is asked for');
    await last.click();
    const opened = page.locator(`details#${target}`);
    // hashchange is handled after the click returns.
    await opened.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await opened.count(), 1);
    assert.equal(await opened.getAttribute('open'), '');
    assert.ok(await opened.isVisible());
    assert.equal(await opened.locator('summary h3').textContent(), name);
    // Every hostile copy is held as data or laid out; building them runs nothing.
    for (const row of await page.locator('#inventory-table tbody tr td:first-child a', { hasText: HOSTILE_HOSTNAME }).all()) {
      const href = (await row.getAttribute('href'))!;
      await page.evaluate((h) => {
        location.hash = h;
      }, href);
      await page.locator(`details${href}`).waitFor({ state: 'attached', timeout: 30_000 });
    }
    assert.ok((await page.locator('details.device').count()) > PRERENDERED_DETAILS + 1);
    await page.locator('#inventory-filter').fill(name);
    assert.ok((await page.locator('#inventory-table tbody tr:not([hidden])').count()) >= 1);
    assert.equal(await page.locator('img, svg[onload]').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(requests, []);
    assert.deepEqual(console.filter((m) => /Content Security Policy|Refused/i.test(m)), []);
    await page.close();
  });
});

