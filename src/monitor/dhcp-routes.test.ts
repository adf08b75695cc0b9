// DHCP route injection (l2.ts) and option 121 parsing on a generated capture of real
// implementations (test/fixtures/generated/dhcp-routes/generate.sh: dnsmasq serving ISC dhclient
// an ordinary route to the imaging network, then a rogue dnsmasq serving 0.0.0.0/1 and
// 128.0.0.0/1 via itself: TunnelVision). The routes expected are tshark's reading; the clients'
// routing tables (routes-*.txt) show they took them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';
import { fuzzParser } from '../testutil/fuzz.js';
import { pcapFrames } from '../testutil/pcapwriter.js';
import { parseDhcp } from '../analyzers/dhcp/parse.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dhcp-routes.pcap');
/** tshark's option 121 routes: frame, "subnet/width-router" list. */
const routes = readTsharkFields(join(GEN, 'dhcp-routes', 'routes.tsv'));

test("dhcp.message events carry option 121's routes as tshark reads them", async () => {
  const run = await runCaptures([PCAP]);
  try {
    const got = run.result.events.map((e) => e.ev).filter((e) => e.type === 'dhcp.message' && e.classless_routes !== undefined).map((e) => [e.packet, e.classless_routes]);
    assert.deepEqual(got, routes.map((r) => [Number(r[0]), r[1].split(',').map((x) => x.replace('-', ' via '))]));
  } finally {
    run.cleanup();
  }
});

test('dhcp-route-injection: the rogue server\'s 0.0.0.0/1 and 128.0.0.0/1; the route to the imaging network 10.200.0.0/16 silent', async () => {
  const alerts = (await monitorCaptures([PCAP])).filter((a) => a.rule === 'dhcp-route-injection');
  const wide = routes.filter((r) => r[1].startsWith('0.0.0.0/1')).map((r) => Number(r[0]));
  assert.deepEqual(alerts.map((a) => [a.device, a.peer, a.severity, a.evidence.map((e) => e.packet)]), [['mac:02:97:14:00:00:66', '10.97.20.121', 'high', wide]]);
  assert.match(alerts[0].why, /^DHCP server 10\.97\.20\.66 \(02:97:14:00:00:66\) gave 10\.97\.20\.121 classless static routes \(option 121\) 0\.0\.0\.0\/1 via 10\.97\.20\.66, 128\.0\.0\.0\/1 via 10\.97\.20\.66: routes that wide outrank the default route.*TunnelVision, CVE-2024-3661/);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1557.003']);
});

test('dhcp-route-injection: a route to addresses outside the site\'s networks, with the site\'s networks given', async () => {
  // The same ordinary lease, judged with a site whose networks leave 10.200.0.0/16 out.
  const alerts = (await monitorCaptures([PCAP], { internalNets: ['10.97.0.0/16'] })).filter((a) => a.rule === 'dhcp-route-injection');
  assert.deepEqual(alerts.map((a) => a.device).sort(), ['mac:02:97:14:00:00:01', 'mac:02:97:14:00:00:66']);
  assert.match(alerts.find((a) => a.device === 'mac:02:97:14:00:00:01')!.why, /10\.200\.0\.0\/16 via 10\.97\.20\.254: routes to addresses outside the site's networks/);
});

test('parseDhcp() survives truncation and mutation of messages with option 121', () => {
  // Each frame after Ethernet (14), IPv4 (20) and UDP (8).
  const seeds = pcapFrames(PCAP, 14 + 20 + 8);
  assert.ok(seeds.every((x) => typeof parseDhcp(x, 0, x.length) === 'object'));
  fuzzParser(seeds, (b) => {
    parseDhcp(b, 0, b.length);
  });
});
