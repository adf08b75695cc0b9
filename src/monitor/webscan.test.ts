// Web scanning: Nikto's request in nDPI's capture (test/fixtures/ndpi), and synthetic HTTP
// transactions for forced browsing under a browser's user agent, which no capture here holds
// (the generated scanners of monitor.test.ts all name themselves).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Monitor } from './monitor.js';
import { WebScanDetector, scannerTool } from './webscan.js';
import { detectorContext } from './detector.testutil.js';
import { testConn } from '../testutil/conn.js';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { PacketMeta } from '../decode/packet.js';

test("scanners' user agents are named; browsers' and libraries' are not", () => {
  assert.equal(scannerTool('Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)'), 'Nikto');
  assert.equal(scannerTool('Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)'), 'Nmap NSE');
  assert.equal(scannerTool('sqlmap/1.7.2#stable (https://sqlmap.org)'), 'sqlmap');
  assert.equal(scannerTool('Fuzz Faster U Fool v1.1.0'), 'ffuf');
  assert.equal(scannerTool('Mozilla/4.0 (Hydra)'), 'THC Hydra');
  for (const ua of ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'python-requests/2.31.0', 'curl/7.88.1', 'Go-http-client/1.1']) assert.equal(scannerTool(ua), null, ua);
});

test("Nikto's one request in nDPI's capture is a web scan by its user agent", async () => {
  const mon = new Monitor({});
  const path = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-nikto-request.pcap');
  const run = await runCaptures([path], undefined, { onEvent: mon.onEvent, onConn: mon.onConn });
  const [h] = run.log('http');
  assert.match(String(h.user_agent), /Nikto\/2\.1\.6/);
  const a = mon.finish().filter((x) => x.rule === 'scan');
  assert.equal(a.length, 1);
  assert.equal(a[0].device, `ip:${String(h['id.orig_h'])}`);
  assert.equal(a[0].peer, h['id.resp_h']);
  assert.match(a[0].why, /ran the web scanner Nikto against .* \(its user agent says so\): 1 HTTP request$/);
  assert.equal(a[0].evidence[0].source, 'http.user_agent');
  run.cleanup();
});

function transaction(d: WebScanDetector, uri: string, status: number, ts: number, packet: number): void {
  const c = testConn(6, 51000, 80);
  c.store.addr.set([0, 0, 0xffff, 0x0a000005, 0, 0, 0xffff, 0x0a000009], 0);
  const m = new PacketMeta();
  m.ts = ts;
  m.packetNo = packet;
  const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
  d.onEvent({ type: 'http.transaction', tsSec: ts, tsNsec: 0, packet, trans_depth: 1, method: 'GET', uri, user_agent: ua, status_code: status, request_body_len: 0, response_body_len: 0, password_sent: false }, c, m);
}

test('forced browsing under a browser user agent: 50 different missing paths, not 50 misses of one', () => {
  const { ctx, alerts } = detectorContext();
  const d = new WebScanDetector(ctx);
  // A page whose one missing image is asked for again and again, and a dozen ordinary pages.
  for (let i = 0; i < 80; i++) transaction(d, '/img/missing.png', 404, i, i + 1);
  for (let i = 0; i < 12; i++) transaction(d, `/page${i}.html`, 200, 100 + i, 100 + i);
  assert.equal(alerts.length, 0);
  for (let i = 0; i < 60; i++) transaction(d, `/admin${i}/`, 404, 120 + i, 200 + i);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].why, /^10\.0\.0\.5 asked 10\.0\.0\.9:80 for more than 50 paths it does not have \(HTTP 404: forced browsing; threshold 50 in 300 s\): 152 HTTP requests$/);
  assert.deepEqual(alerts[0].evidence.map((e) => e.fact), ['not-found', 'not-found', 'not-found']);
  // Beyond the interval the pair starts afresh; the pairs held are bounded and expire.
  d.expire(10_000);
  assert.equal(d.size(), 0);
});
