// CDP against zeek/traces/cdp-v1.pcap: Zeek's unknown_protocols record (SNAP protocol 0xc2000
// and the first bytes of the CDP payload, so our frame offset is checked), and the fields as
// Wireshark's CDP dissector decodes them (`tshark -r cdp-v1.pcap -V`); plus fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { parseCdp } from './parse.js';

const skip = !haveCorpus() && 'shared corpus not present';

function cdpPayload(): Uint8Array {
  // Ethernet 802.3 (14) + LLC/SNAP (8) precede the CDP payload in the capture's one frame.
  const b = readFileSync(corpus('zeek', 'traces', 'cdp-v1.pcap'));
  const cap = b.readUInt32LE(24 + 8);
  return Uint8Array.from(b.subarray(24 + 16 + 22, 24 + 16 + cap));
}

test("cdp-v1.pcap: the advertisement Zeek saw, decoded as Wireshark decodes it", { skip }, async () => {
  const [z] = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.snap.snap-cdp', 'unknown_protocols.log'));
  assert.equal(z.protocol_id, '0xc2000');
  assert.equal(Buffer.from(cdpPayload().subarray(0, 10)).toString('hex'), z.first_bytes);
  const run = await runCaptures([corpus('zeek', 'traces', 'cdp-v1.pcap')]);
  try {
    const [l] = run.log('cdp');
    assert.equal(l.version, 1);
    assert.equal(l.ttl, 180);
    assert.equal(l.device_id, 'R1');
    assert.deepEqual(l.addresses, ['192.168.10.1']);
    assert.equal(l.port_id, 'Ethernet0');
    assert.deepEqual(l.capabilities, ['router']);
    assert.equal(l.platform, 'cisco 1601');
    assert.match(String(l.software_version), /IOS \(tm\) 1600 Software \(C1600-NY-L\), Version 11\.2\(12\)P, RELEASE SOFTWARE \(fc1\)/);
    const [sw] = run.log('software');
    assert.equal(sw.host, '192.168.10.1');
    assert.equal(sw.software_type, 'CDP::OS');
  } finally {
    run.cleanup();
  }
});

test('parseCdp() survives truncation and mutation of the real advertisement', { skip }, () => {
  fuzzParser([cdpPayload()], (b) => {
    parseCdp(b, 0, b.length);
  });
});
