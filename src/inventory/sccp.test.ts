// SCCP in the inventory and the assessment: nDPI's captures (test/fixtures/ndpi/ndpi-sccp.pcap: a
// conference bridge registering with its call manager, two phones mid-call with Unified CM; see
// src/analyzers/sccp/sccp.test.ts for what tshark decodes of them), and a phone's registration as
// the analyzer reports it (synthetic: no public capture has one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../testutil/corpus.js';
import { testConn } from '../testutil/conn.js';
import { PacketMeta } from '../decode/packet.js';
import { assessCaptures } from '../assess/testutil.js';
import { Inventory } from './inventory.js';
import { deviceWithIp, runInventory, testKb } from './testutil.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-sccp.pcap');
/** The parties of the captured call (CallInfoV2): never in any output. */
const PARTIES = ['RIX Meeting Room', 'Ervins', 'Gailiss'];

test('the bridge is a Cisco IOS conference bridge named by its device name, the phones Cisco phones, the other sides call managers; SCCP is a clear-text finding', async () => {
  const { devices } = await runInventory([PCAP]);
  const role = (ip: string, r: string): boolean => deviceWithIp(devices, ip)!.evidence.some((e) => e.fact === 'role' && e.value === r);
  const bridge = deviceWithIp(devices, '10.180.110.58')!;
  assert.deepEqual([bridge.category, bridge.vendor, bridge.model], ['network', 'Cisco', 'IOS Conference Bridge (HDV2)']);
  assert.ok(role('10.180.110.58', 'conference-bridge'));
  assert.ok(bridge.hostnames.includes('NONSECURE_CONF'));
  for (const ip of ['192.168.195.58', '192.168.195.50']) {
    const phone = deviceWithIp(devices, ip)!;
    assert.deepEqual([phone.category, phone.vendor], ['phone', 'Cisco'], ip);
    assert.ok(role(ip, 'ip-phone'), ip);
  }
  for (const ip of ['10.180.110.48', '192.168.193.12']) {
    assert.ok(role(ip, 'call-manager'), ip);
    assert.equal(deviceWithIp(devices, ip)!.category, 'server', ip);
  }
  for (const d of devices) for (const p of PARTIES) assert.ok(!JSON.stringify(d).includes(p));
  const a = await assessCaptures([PCAP]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol');
    assert.deepEqual(clear.map((f) => f.title).sort(), ['Clear-text Cisco SCCP (Skinny) served on port 2000', 'Clear-text Cisco SCCP (Skinny) served on port 2000']);
    // The call managers serve it (the assessment's own devices, named by address).
    assert.deepEqual(clear.map((f) => f.device).sort(), ['ip:10.180.110.48', 'ip:192.168.193.12']);
    assert.ok(clear[0].remediation.startsWith('Give the phones, gateways and media resources encrypted device security profiles'));
    for (const p of PARTIES) assert.ok(!JSON.stringify(a.result).includes(p));
  } finally {
    a.run.cleanup();
  }
});

test('a SEP-named phone is a Cisco 7941 on the MAC its name gives, with no host name from it; its peer the call manager', () => {
  const inv = new Inventory();
  // 10.0.0.1:51000 (the phone) to 10.0.0.2:2000: a registration as the analyzer reports it.
  const ev = {
    type: 'sccp.session',
    tsSec: 1700000000,
    tsNsec: 0,
    packet: 4,
    station_is_orig: true,
    device_name: 'SEP001122334455',
    mac: '00:11:22:33:44:55',
    device_type: 115,
    model: 'Cisco 7941',
    station_kind: 'phone',
    firmware: 'SCCP41.9-4-2SR3-1S',
    registered: true,
    messages: 2,
    calls: 0,
    media: 0,
    media_peers: [],
    message_names: ['RegisterReq', 'RegisterAck'],
  };
  inv.observeEvent(ev, testConn(6, 51000, 2000), new PacketMeta(), 'synthetic.pcap');
  const devices = inv.build(testKb());
  const phone = deviceWithIp(devices, '10.0.0.1')!;
  assert.deepEqual([phone.mac, phone.category, phone.vendor, phone.model, phone.hostnames], ['00:11:22:33:44:55', 'phone', 'Cisco', '7941', []]);
  assert.ok(phone.evidence.some((e) => e.fact === 'firmware' && e.value === 'SCCP41.9-4-2SR3-1S' && e.source === 'sccp.firmware'));
  assert.ok(phone.evidence.some((e) => e.fact === 'product_code' && e.value === '115'));
  const cm = deviceWithIp(devices, '10.0.0.2')!;
  assert.ok(cm.evidence.some((e) => e.fact === 'role' && e.value === 'call-manager'));
  // A station that never registered nor was driven names no call manager.
  const quiet = new Inventory();
  quiet.observeEvent({ ...ev, device_name: 'GW-NURSECALL', mac: undefined, device_type: 30027, model: 'Analog Phone', station_kind: 'gateway-port', registered: undefined }, testConn(6, 51000, 2000), new PacketMeta(), 'synthetic.pcap');
  const qd = quiet.build(testKb());
  const gw = deviceWithIp(qd, '10.0.0.1')!;
  assert.deepEqual([gw.category, gw.vendor, gw.hostnames], ['network', 'Cisco', ['GW-NURSECALL']]);
  assert.equal(deviceWithIp(qd, '10.0.0.2'), undefined);
});
