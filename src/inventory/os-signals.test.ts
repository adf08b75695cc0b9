// OS claims that must not be made, on real captures: signals that name something other than an
// operating system, or contradict the packet's TTL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
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
