// OS claims that must not be made, on real captures: signals that name something other than an
// operating system, or contradict the packet's TTL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { vendorClassClaim } from './os-parse.js';
import { classify } from './classify.js';
import { loadRules } from './rules.js';
import { DEFAULT_KB_DIR } from '../knowledge/kb.js';
import { runInventory } from './testutil.js';

const skip = !haveCorpus();

test('inventory: a Siemens PLC answering with TTL 64 is no Windows host by a fuzzy p0f match (s7comm_plus.pcap)', { skip }, async () => {
  // tshark: packet 147 is the PLC's SYN+ACK, ip.ttl 64. p0f's nearest signature ("Windows 7 or
  // 8", initial TTL 128) matches all but the TTL; 64 hops on a plant network is not a path.
  const { devices } = await runInventory([corpus('icsnpp-s7comm/tests/traces/s7comm_plus.pcap')]);
  const d = devices.find((x) => x.mac === 'ac:64:17:46:0d:51');
  assert.ok(d !== undefined);
  assert.equal(d.category, 'industrial');
  assert.notEqual(d.os?.family, 'Windows');
  // p0f's opinion stays in the evidence, and the TTL beside it.
  assert.ok(d.evidence.some((e) => e.source === 'p0f.synack' && e.packet === 147));
  assert.ok(d.evidence.some((e) => e.source === 'ip.ttl' && e.value === '64'));
});

test("inventory: Satori's web-server entries are no OS (http-post-upload.pcap, Apache-Coyote)", { skip }, async () => {
  // Satori web.xml files "Apache" as the os_name of the Apache/Apache-Coyote banner, without an
  // os_class. The server's TTL is 64, and p0f's fuzzy SYN+ACK match (Windows XP) disagrees with it.
  const { devices } = await runInventory([corpus('arkime/tests/pcap/http-post-upload.pcap')]);
  const d = devices.find((x) => x.mac === '1e:16:fb:2a:17:7d');
  assert.ok(d !== undefined);
  assert.ok(d.software.includes('Apache-Coyote/1.1'));
  assert.notEqual(d.os?.name, 'Apache');
  assert.notEqual(d.os?.family, 'Windows');
});

test("inventory: a DHCP client's vendor class names its OS (dhcp-option-52-overload: BusyBox udhcpc)", { skip }, async () => {
  // tshark: dhcp.option.vendor_class_id "udhcp 1.36.1" in the client's DISCOVER and REQUEST.
  const { devices } = await runInventory([corpus('suricata-verify/tests/dhcp-option-52-overload/input.pcap')]);
  const d = devices.find((x) => x.mac === '92:dd:a4:8d:5f:de');
  assert.ok(d !== undefined);
  assert.equal(d.os?.family, 'Linux');
  assert.ok(d.evidence.some((e) => e.source === 'dhcp.option60' && e.value === 'udhcp 1.36.1'));
});

// Synthetic: vendor classes no corpus capture carries (Android's and dhcpcd's formats).
test('vendorClassClaim() reads Android, dhcpcd, udhcpc and Windows vendor classes and nothing else', () => {
  assert.deepEqual([vendorClassClaim('android-dhcp-11')?.name, vendorClassClaim('android-dhcp-11')?.version], ['Android 11', '11']);
  assert.equal(vendorClassClaim('dhcpcd-9.4.1:Linux-5.10.103-v7l+:armv7l:BCM2711')?.name, 'Linux 5.10');
  assert.equal(vendorClassClaim('udhcp 1.30.1')?.family, 'Linux');
  assert.equal(vendorClassClaim('MSFT 98')?.name, 'Windows 98');
  assert.equal(vendorClassClaim('MSFT 5.0')?.family, 'Windows');
  for (const vc of ['Cisco Systems, Inc. IP Phone CP-7960', 'PXEClient:Arch:00000:UNDI:002001', 'android', 'dhcpcd-5.5.6', '']) assert.equal(vendorClassClaim(vc), null, vc);
});

// Synthetic: product names in vendor classes no corpus capture carries.
test('the rules read phone and printer products from DHCP vendor classes', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const cls = (vc: string) => classify(rules, [{ fact: 'vendor_class', value: vc, source: 'dhcp.option60', file: 'x', packet: 1, ts: 0, self: true, seq: 0 }], [], () => '');
  const c = cls('Cisco Systems, Inc. IP Phone CP-7961G');
  assert.deepEqual([c.category, c.vendor, c.model], ['phone', 'Cisco', 'CP-7961G']);
  const a = cls('AastraIPPhone6867i');
  assert.deepEqual([a.category, a.vendor, a.model], ['phone', 'Aastra', '6867i']);
  assert.equal(cls('Hewlett-Packard JetDirect').category, 'printer');
  assert.equal(cls('MSFT 5.0').category, 'unknown');
});
