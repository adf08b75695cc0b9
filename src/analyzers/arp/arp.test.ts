// ARP against Zeek's arp_request/arp_reply/bad_arp output for arp-who-has.pcap and
// arp-leak.pcap, suricata-verify's decode-arp-2 EVE records, and Arkime's cloudshark-arp
// sessions; plus binding events for the inventory and fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { parseArp } from './parse.js';
import type { ArpBinding } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const zeekOut = (t: string): string[] =>
  readFileSync(corpus('zeek', 'baselines', t, '.stdout'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));

// The ARP payload of arp-who-has.pcap's request (frame 1) and of arp-leak.pcap's frame 1 (hln=255).
const WHO_HAS = hex('0001080006040001' + '7831c1c63fc2' + '0a000002' + '000000000000' + '0a000001');
const LEAK_HEAD = hex('00010800ff0400017e8e20d823a7');

test('parseArp() reads a request and names a corrupt header as Zeek does', () => {
  const r = parseArp(WHO_HAS, 0, WHO_HAS.length);
  assert.ok(r !== 'truncated' && !('bad' in r));
  assert.equal(r.operation, 'request');
  assert.equal(r.spa, '10.0.0.2');
  assert.equal(r.tpa, '10.0.0.1');
  const b = parseArp(LEAK_HEAD, 0, LEAK_HEAD.length);
  assert.ok(b !== 'truncated' && 'bad' in b);
  assert.equal(b.bad, 'corrupt-arp-header (hrd=1, hln=255)');
});

test('parseArp() survives truncation and mutation', () => {
  fuzzParser([WHO_HAS, LEAK_HEAD], (b) => {
    parseArp(b, 0, b.length);
  });
});

test("arp.log matches Zeek's arp_request/arp_reply for arp-who-has.pcap", { skip }, async () => {
  const want = zeekOut('scripts.base.protocols.arp.basic');
  const run = await runCaptures([corpus('zeek', 'traces', 'arp-who-has.pcap')]);
  try {
    const mine = run.log('arp').map((r) => [r.mac_src, r.mac_dst, r.orig_h, r.orig_mac, r.resp_h, r.resp_mac].join(', '));
    assert.deepEqual(mine, want);
    assert.deepEqual(run.log('arp').map((r) => r.operation), ['request', 'reply']);
  } finally {
    run.cleanup();
  }
});

test("malformed ARP headers match Zeek's bad_arp for arp-leak.pcap", { skip }, async () => {
  const want = zeekOut('scripts.base.protocols.arp.bad');
  const run = await runCaptures([corpus('zeek', 'traces', 'arp-leak.pcap')]);
  try {
    const mine = run.log('arp').map((r) => ['BAD', r.orig_h, r.orig_mac, r.resp_h, r.resp_mac, r.bad].join(', '));
    assert.deepEqual(mine, want);
    assert.equal(run.result.weirds['arp.corrupt_header'], 6);
    assert.equal(run.result.events.filter((e) => e.ev.type === 'arp.binding').length, 0, 'no binding from a corrupt header');
  } finally {
    run.cleanup();
  }
});

test("ARP records match suricata-verify's decode-arp-2 EVE expectations", { skip }, async () => {
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'decode-arp-2', 'arp.pcap')]);
  try {
    const lines = run.log('arp');
    assert.equal(lines.length, 4);
    const p5 = lines.find((l) => l.packet === 5)!;
    assert.deepEqual([p5.operation, p5.orig_mac, p5.orig_h, p5.resp_mac, p5.resp_h], ['request', '00:1d:09:f0:92:ab', '10.10.10.1', '00:00:00:00:00:00', '10.10.10.2']);
    const p6 = lines.find((l) => l.packet === 6)!;
    assert.deepEqual([p6.operation, p6.orig_mac, p6.orig_h, p6.resp_mac, p6.resp_h], ['reply', '00:1a:6b:6c:0c:cc', '10.10.10.2', '00:1d:09:f0:92:ab', '10.10.10.1']);
  } finally {
    run.cleanup();
  }
});

test("IP-MAC bindings agree with Arkime's cloudshark-arp sessions", { skip }, async () => {
  const sessions = (JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', 'cloudshark-arp.test'), 'utf8')) as { sessions3: { body: { arp?: { ip: string[]; mac: string[]; opcode: string[] } } }[] }).sessions3;
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'cloudshark-arp.pcap')]);
  try {
    const binds = run.result.events.map((e) => e.ev).filter((e): e is ArpBinding => e.type === 'arp.binding');
    const lines = run.log('arp');
    let n = 0;
    for (const s of sessions) {
      const a = s.body.arp;
      if (a === undefined) continue;
      n++;
      // Arkime keys an ARP session by the sender IP and lists the sender MAC and opcodes.
      const mine = binds.filter((b) => b.ip === a.ip[0]);
      assert.ok(mine.length > 0, a.ip[0]);
      assert.deepEqual([...new Set(mine.map((b) => b.mac))], a.mac);
      const ops = [...new Set(lines.filter((l) => l.orig_h === a.ip[0]).map((l) => (l.operation === 'request' ? '1' : '2')))].sort();
      assert.deepEqual(ops, [...a.opcode].sort());
      assert.ok(mine.every((b) => typeof b.packet === 'number' && b.packet > 0));
    }
    assert.equal(n, 2);
  } finally {
    run.cleanup();
  }
});
