// H.323 in the inventory and the assessment: nDPI's captures (test/fixtures/ndpi/ndpi-h323.pcap; what
// tshark decodes of them is src/analyzers/h323/h323.test.ts's), and a gateway's registration as the
// analyzer reports it (synthetic: no public capture has one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../testutil/corpus.js';
import { testConn } from '../testutil/conn.js';
import { PacketMeta } from '../decode/packet.js';
import { assessCaptures } from '../assess/testutil.js';
import { Inventory } from './inventory.js';
import { deviceWithIp, runInventory, testKb } from './testutil.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-h323.pcap');

test('the Tandberg codec is a Tandberg H.323 endpoint, the gatekeepers servers, Callgen323 its caller’s product; H.323 without H.235 is a clear-text finding', async () => {
  // The RAS session's addresses (17.2.0.0/16) are public: listed as the inventory's external hosts.
  const { devices } = await runInventory([PCAP], { external: true });
  const has = (ip: string, fact: string, value: string): boolean => deviceWithIp(devices, ip)!.evidence.some((e) => e.fact === fact && e.value === value);
  const tandberg = deviceWithIp(devices, '10.47.208.204')!;
  assert.deepEqual([tandberg.category, tandberg.vendor], ['phone', 'Tandberg']);
  assert.ok(has('10.47.208.204', 'role', 'h323-endpoint'));
  assert.ok(has('10.47.208.204', 'vendor_id', '130/1/256'));
  assert.ok(has('10.47.208.204', 'firmware', '257'));
  // "20203@am.sol" is no host name: a device name.
  assert.ok(has('10.47.208.204', 'device_name', '20203@am.sol'));
  assert.ok(!tandberg.hostnames.includes('20203@am.sol'));
  for (const [ip, name] of [
    ['10.47.208.50', 'am-vcs-0'],
    ['17.2.0.161', 'OpenH323 Gatekeeper on mfottekin'],
  ]) {
    assert.ok(has(ip, 'role', 'h323-gatekeeper'), ip);
    assert.ok(has(ip, 'device_name', name), ip);
    assert.equal(deviceWithIp(devices, ip)!.category, 'server', ip);
  }
  assert.ok(has('10.1.3.143', 'product', 'Callgen323 pogacsam'));
  assert.ok(has('10.1.3.143', 'software', 'Callgen323 pogacsam 0.9alpha4'));
  assert.ok(has('10.1.3.143', 'manufacturer', 'Equivalence (OpenH323)'));
  // The callee of that call, and the endpoint whose GRQ and RRQ carry only t35 codes no table names.
  assert.ok(has('10.1.6.18', 'product', '310i'));
  assert.ok(has('17.2.0.124', 'vendor_id', '174/1/61'));
  assert.ok(!deviceWithIp(devices, '17.2.0.124')!.evidence.some((e) => e.fact === 'manufacturer'));
  // Digits and display names never reach the inventory.
  for (const d of devices) for (const s of ['5295672', '9246526', 'M.JEMEC', '"2098"']) assert.ok(!JSON.stringify(d).includes(s), s);

  const a = await assessCaptures([PCAP]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol' && f.title.includes('H.323'));
    // The two gatekeepers' RAS and the three answering endpoints' call signalling.
    assert.deepEqual(clear.map((f) => f.device).sort(), ['ip:10.1.6.18', 'ip:10.47.208.50', 'ip:17.2.0.122', 'ip:17.2.0.161', 'ip:192.168.0.1']);
    assert.deepEqual([...new Set(clear.map((f) => f.title))].sort(), ['Clear-text H.323 (H.225.0) served on port 1719', 'Clear-text H.323 (H.225.0) served on port 1720']);
    assert.ok(clear[0].remediation.startsWith('Turn on H.235 security'));
  } finally {
    a.run.cleanup();
  }
});

test('a registering gateway is network equipment with its maker from the t35 codes and its H.323-ID as host name; an unanswered RRQ names no gatekeeper', () => {
  const inv = new Inventory();
  const ev = {
    type: 'h323.ras',
    tsSec: 1700000000,
    tsNsec: 0,
    packet: 3,
    is_orig: true,
    request: 'RRQ',
    reply: 'RCF',
    seq: 7,
    endpoint_is_orig: true,
    t35: '181/0/18',
    manufacturer: 'Cisco',
    product_id: 'Cisco IOS',
    terminal_type: ['gateway'],
    h323_ids: ['ward3-gw'],
    gatekeeper_id: 'GK-1',
    h235: false,
  };
  inv.observeEvent(ev, testConn(17, 1719, 1719), new PacketMeta(), 'synthetic.pcap');
  const devices = inv.build(testKb());
  const gw = deviceWithIp(devices, '10.0.0.1')!;
  assert.deepEqual([gw.category, gw.vendor, gw.model], ['network', 'Cisco', 'IOS']);
  assert.ok(gw.hostnames.includes('ward3-gw'));
  const gk = deviceWithIp(devices, '10.0.0.2')!;
  assert.ok(gk.evidence.some((e) => e.fact === 'role' && e.value === 'h323-gatekeeper'));
  // An unanswered RRQ names no gatekeeper.
  const quiet = new Inventory();
  quiet.observeEvent({ ...ev, reply: undefined }, testConn(17, 1719, 1719), new PacketMeta(), 'synthetic.pcap');
  assert.ok(!deviceWithIp(quiet.build(testKb()), '10.0.0.2')?.evidence.some((e) => e.value === 'h323-gatekeeper'));
});
