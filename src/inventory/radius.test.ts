// RADIUS in the inventory: the NAS reports which MAC authenticated, the machine name of an
// 802.1X machine login (User-Name "host/<name>") and the address the device was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arkimeSessions } from '../testutil/peers.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { payloads } from '../testutil/payloads.js';
import { writeUdpPcap } from '../testutil/pcapwriter.js';
import { runInventory } from './testutil.js';

const skip = !haveCorpus() && 'shared corpus not present';

test("an Accounting-Request binds the MAC to its Framed-IP-Address (Arkime's radius.test: radius.mac and radius.framedIp)", { skip }, async () => {
  const [s] = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'radius.test'));
  const r = s.radius as { mac: string[]; framedIp: string[] };
  const { devices } = await runInventory([corpus('arkime', 'tests', 'pcap', 'radius.pcap')]);
  const d = devices.find((x) => x.mac === r.mac[0]);
  assert.ok(d !== undefined, r.mac[0]);
  assert.deepEqual(d.ips, r.framedIp);
  assert.ok(d.evidence.some((e) => e.source === 'radius.framed_ip' && e.value === r.framedIp[0]));
});

test('an Access-Request/Accept names no address when Framed-IP-Address is 255.255.255.254 (Zeek trace)', { skip }, async () => {
  const { devices } = await runInventory([corpus('zeek', 'traces', 'radius', 'radius.pcap')]);
  assert.ok(devices.every((d) => !d.ips.includes('255.255.255.254')));
  assert.ok(devices.every((d) => d.hostnames.length === 0), 'John.McGuirk is a person, not a machine name');
  assert.ok(devices.every((d) => d.evidence.every((e) => !String(e.source).startsWith('radius.'))));
});

/**
 * No capture holds a machine login: the Zeek trace's real exchange with its User-Name
 * attribute rewritten to "host/PC1.example.org" (lengths adjusted), written as a new pcap.
 */
test('a machine login (User-Name host/PC1.example.org) names the device with the Calling-Station-Id MAC', { skip }, async () => {
  const ps = await payloads(corpus('zeek', 'traces', 'radius', 'radius.pcap'));
  const machine = Buffer.from('host/PC1.example.org');
  const rewrite = (b: Uint8Array): Uint8Array => {
    if (b[0] !== 1) return b;
    const out: number[] = [...b.subarray(0, 20)];
    for (let p = 20; p < b.length; p += b[p + 1]) {
      if (b[p] === 1) out.push(1, 2 + machine.length, ...machine);
      else out.push(...b.subarray(p, p + b[p + 1]));
    }
    out[2] = out.length >> 8;
    out[3] = out.length & 0xff;
    return Uint8Array.from(out);
  };
  const path = writeUdpPcap(ps.map((p, i) => ({ ts: 1217631137 + i / 100, src: p.srcPort === 1645 ? '10.0.0.1' : '10.0.0.100', sport: p.srcPort, dst: p.srcPort === 1645 ? '10.0.0.100' : '10.0.0.1', dport: p.dstPort, payload: rewrite(p.bytes) })));
  const { devices } = await runInventory([path]);
  const d = devices.find((x) => x.mac === '00:14:22:e9:54:5e');
  assert.ok(d !== undefined);
  assert.deepEqual(d.hostnames, ['PC1.example.org']);
  assert.ok(d.evidence.some((e) => e.source === 'radius.user_name'));
});
