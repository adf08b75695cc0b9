// renderHtml() on a report over real corpus inputs with synthetic devices/findings (see
// fixture.testutil.ts): determinism, escaping of hostile names, self-containment. The browser
// behaviour (sorting, filtering, no network, no script execution) is in html.browser.test.ts.
import { haveCorpus } from '../testutil/corpus.js';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { esc, HELD_SEPARATOR, holdMarkup, LAZY_DETAILS_ABOVE, PRERENDERED_DETAILS, renderHtml } from './html.js';
import { REPORT_CSS, REPORT_JS } from './html-assets.js';
import { corpusReport, HOSTILE_HOSTNAME, HOSTILE_TITLE, HOSTILE_VENDOR, largeReport } from './fixture.testutil.js';
import type { ReportView } from './view.js';

describe('renderHtml()', { skip: !haveCorpus() && 'shared corpus not present' }, () => {
  let rep: ReportView;
  let html: string;
  before(async () => {
    rep = await corpusReport();
    html = renderHtml(rep);
  });

  test('renders the same bytes twice, and regardless of the order of the input lists', () => {
    assert.equal(renderHtml(rep), html);
    const shuffled: ReportView = {
      ...rep,
      devices: [...rep.devices].reverse(),
      findings: [...rep.findings].reverse(),
      segments: [...rep.segments].reverse(),
      weirds: Object.fromEntries(Object.entries(rep.weirds).reverse()),
    };
    assert.equal(renderHtml(shuffled), html);
  });

  test('escapes hostile hostnames, vendors and finding text', () => {
    assert.ok(!html.includes('<img'), 'no img element');
    assert.ok(!html.includes('<script>alert'), 'no injected script');
    assert.ok(!html.includes('<svg onload'), 'no injected svg');
    assert.ok(html.includes(esc(HOSTILE_HOSTNAME)));
    assert.ok(html.includes(esc(HOSTILE_VENDOR)));
    assert.ok(html.includes(esc(HOSTILE_TITLE)));
    // Only the page's own script element exists.
    assert.equal(html.split('<script').length - 1, 1);
  });

  test('esc() neutralises markup characters and control characters', () => {
    assert.equal(esc('<a href="x" onclick=\'y\'>&</a>'), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(esc('a\u0000b\u001bc\u009bd'), 'a\ufffdb\ufffdc\ufffdd');
    assert.equal(esc(null), '');
  });

  test('is self-contained: no external URL, and the policy allows exactly its own style and script', () => {
    const urls = html.match(/\b(?:src|href|action|xlink:href)\s*=\s*"([^"]*)"/g) ?? [];
    for (const u of urls) assert.match(u, /="#[A-Za-z0-9-]+"$/, `only in-page links: ${u}`);
    assert.ok(!/@import|url\(/.test(html), 'no CSS fetches');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    const hash = (s: string) => createHash('sha256').update(s).digest('base64');
    assert.ok(csp.includes(`'sha256-${hash(REPORT_JS)}'`));
    assert.ok(csp.includes(`'sha256-${hash(REPORT_CSS)}'`));
    assert.ok(html.includes(`<script>${REPORT_JS}</script>`));
    assert.ok(html.includes(`<style>${REPORT_CSS}</style>`));
  });

  test('shows the report card, inputs from the real analysis and their weirds', () => {
    assert.ok(html.includes('Devices on an end-of-life OS'));
    assert.ok(html.includes('16.7%'));
    for (const i of rep.inputs) assert.ok(html.includes(esc(i.path)), i.path);
    assert.ok(Object.keys(rep.weirds).length > 0, 'arp-leak.pcap yields weirds');
    for (const w of Object.keys(rep.weirds)) assert.ok(html.includes(`<td>${esc(w)}</td>`), w);
  });

  test('lists what to fix first by severity, known exploitation and CVSS', () => {
    const fix = /<ol class="fix">(.*?)<\/ol>/s.exec(html)?.[1] ?? '';
    const titles = [...fix.matchAll(/<strong>([^<]*)<\/strong> on/g)].map((m) => m[1]);
    assert.equal(titles[0], 'RDP remote code execution (BlueKeep)', 'critical + KEV first');
    assert.equal(titles[1], 'Vendor default password accepted', 'then the other critical');
    assert.ok(!titles.includes('Port scan of 40 hosts') || titles.indexOf('Port scan of 40 hosts') === titles.length - 1, 'low last');
  });

  test('lists a fix several devices need once, linking each device', () => {
    const f = rep.findings.find((x) => x.title === 'RDP remote code execution (BlueKeep)')!;
    const other = rep.devices.find((d) => d.id !== f.device)!;
    const h = renderHtml({ ...rep, findings: [...rep.findings, { ...f, id: `${f.id}-2`, device: other.id }] });
    const fix = /<ol class="fix">(.*?)<\/ol>/s.exec(h)?.[1] ?? '';
    const items = [...fix.matchAll(/<li>(.*?)<\/li>/gs)].map((m) => m[1]).filter((t) => t.includes('BlueKeep'));
    assert.equal(items.length, 1);
    assert.match(items[0], /on 2 devices: <a /);
    assert.equal((items[0].match(/<a href="#dev-/g) ?? []).length, 2);
  });

  test('renders an empty report', () => {
    const empty: ReportView = { ...rep, devices: [], findings: [], segments: [], metrics: {}, weirds: {}, inputs: [] };
    const h = renderHtml(empty);
    assert.ok(h.includes('No findings.'));
    assert.ok(h.includes('n/a'));
    assert.ok(h.endsWith('</html>\n'));
  });

  test('a large site: every device in the inventory, the riskiest laid out, the others kept as inert data', () => {
    const n = LAZY_DETAILS_ABOVE + 220;
    const big = largeReport(rep, n);
    const page = renderHtml(big);
    assert.equal(renderHtml(big), page, 'deterministic');
    assert.equal(renderHtml(largeReport(rep, LAZY_DETAILS_ABOVE)).includes('id="device-details"'), false, 'at the threshold everything is laid out');
    assert.equal((page.match(/<tr data-level=/g) ?? []).length, n, 'the inventory lists every device');
    const laidOut = page.slice(0, page.indexOf('<script type="text/x-wardline-devices"')).match(/<details class="device" id="dev-\d+"/g) ?? [];
    assert.equal(laidOut.length, PRERENDERED_DETAILS);
    const block = /<script type="text\/x-wardline-devices" id="device-details" data-first="(\d+)">([^]*?)<\/script>/.exec(page);
    assert.ok(block !== null);
    assert.equal(Number(block[1]), PRERENDERED_DETAILS + 1);
    // Nothing in the data can end the element or open a comment; the rest of the page has the one script.
    assert.equal(/<\/|<!/.test(block[2]), false);
    assert.equal(page.split('<script').length - 1, 2);
    // What the page's script does with an entry: split, then undo holdMarkup.
    const held = block[2].split(HELD_SEPARATOR).map((h) => h.replace(/<\\([/!])/g, '<$1'));
    assert.equal(held.length, n - PRERENDERED_DETAILS);
    held.forEach((h, i) => assert.ok(h.startsWith(`<details class="device" id="dev-${PRERENDERED_DETAILS + 1 + i}"`) && h.endsWith('</details>'), `entry ${i}`));
    // The data is the markup a small report would have had: escaped the same way.
    const all = held.join('');
    assert.ok(all.includes(esc(HOSTILE_HOSTNAME)) && !all.includes('<img'));
    assert.equal(all.includes('\f'), false);
    assert.equal(holdMarkup('<a></a><!-- -->'), '<a><\\/a><\\!-- -->');
  });

  test('knowledge-base evidence (packet 0, time 0) shows no packet and no 1970 date', () => {
    const kb = { fact: 'cpe-match', value: 'cpe:2.3:o:microsoft:windows_7', source: 'knowledge', file: 'nvd/CVE-2019-0708.json', packet: 0, ts: 0 };
    const withKb: ReportView = { ...rep, findings: rep.findings.map((f, i) => (i === 0 ? { ...f, evidence: [kb, ...f.evidence] } : f)) };
    const page = renderHtml(withKb);
    assert.ok(page.includes('<td>nvd/CVE-2019-0708.json</td><td class="num"></td><td></td></tr>'));
    assert.equal(page.includes('1970-01-01'), false);
  });
});

