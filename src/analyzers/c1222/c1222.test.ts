// ANSI C12.22 on Arkime's c1222.pcap (two associations over TCP 1153, IPv4 and IPv6, EPSEM
// ciphertext with authentication), expectations from Arkime's session records beside it (c1222
// calledApTitle, calledApInvocationId, callingApTitle, callingApInvocationId, responseControl,
// securityMode) and tshark 4.0's C12.22 dissector; EPSEM in clear on nDPI's C12.22 capture (an
// Identify, procedure writes and a read, as tshark decodes them); Logon and Security, which no capture
// has, on a synthetic APDU built per C12.22, which tshark decodes the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { assessCaptures } from '../../assess/testutil.js';
import { arkimeSessions } from '../../testutil/peers.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { C1222Analyzer } from './analyzer.js';
import { parseApdu } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const PCAP = skip ? '' : corpus('arkime', 'tests', 'pcap', 'c1222.pcap');
const TEST = skip ? '' : corpus('arkime', 'tests', 'pcap', 'c1222.test');
const sorted = (xs: readonly unknown[]): string[] => xs.map(String).sort();

test("c1222.log agrees with Arkime's sessions", { skip }, async () => {
  const run = await runCaptures([PCAP]);
  try {
    const mine = run.log('c1222');
    const arkime = arkimeSessions(TEST).filter((s) => (s.protocol as string[]).includes('c1222'));
    assert.equal(mine.length, arkime.length);
    for (const a of arkime) {
      const src = a.source as { ip: string; port: number };
      const m = mine.find((l) => l['id.orig_h'] === src.ip && l['id.orig_p'] === src.port)!;
      const c = a.c1222 as Record<string, unknown[]>;
      assert.deepEqual(sorted(m.called_ap_titles as string[]), sorted(c.calledApTitle));
      assert.deepEqual(sorted(m.calling_ap_titles as string[]), sorted(c.callingApTitle));
      assert.deepEqual(sorted(m.called_ap_invocation_ids as number[]), sorted(c.calledApInvocationId));
      assert.deepEqual(sorted(m.calling_ap_invocation_ids as number[]), sorted(c.callingApInvocationId));
      assert.deepEqual(m.security_modes, c.securityMode);
      assert.deepEqual(m.response_controls, c.responseControl);
      assert.equal(m.services, undefined);
    }
    assert.deepEqual(run.log('conn').filter((c) => c.proto === 'tcp').map((c) => c.service), ['c1222', 'c1222']);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test("cleartext EPSEM on a real C12.22 exchange (nDPI's capture, test/fixtures/ndpi/ndpi-c1222.pcap) as tshark decodes it", async () => {
  // ndpi-c1222.tshark.tsv: frame 1 Identify (0x20) to …64.10001; frame 2 four Full Writes of ST-7
  // (procedures) and a Full Read of ST-8 (their results) to …64.0.0.1005; both from …64.33,
  // invocation ids 3977 and 3978, security mode 0 (cleartext). ndpiReader 4.2 leaves it Unknown.
  const run = await runCaptures([join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-c1222.pcap')]);
  try {
    const [l] = run.log('c1222');
    assert.deepEqual(
      [l.called_ap_titles, l.calling_ap_titles, l.calling_ap_invocation_ids, l.security_modes, l.response_controls, l.services, l.tables, l.messages],
      [['2.16.124.113620.1.22.0.1.1.64.10001', '2.16.124.113620.1.22.0.1.1.64.0.0.1005'], ['2.16.124.113620.1.22.0.1.1.64.33'], [3977, 3978], ['cleartext'], ['always'], ['ident', 'write', 'read'], ['write ST7', 'read ST8'], 2],
    );
    assert.deepEqual(run.log('conn').map((c) => c.service), ['c1222']);
  } finally {
    run.cleanup();
  }
  const a = await assessCaptures([join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-c1222.pcap')]);
  try {
    assert.deepEqual(a.result.findings.filter((f) => f.rule === 'cleartext-protocol').map((f) => f.title), ['Clear-text c1222 served on port 1153']);
  } finally {
    a.run.cleanup();
  }
});

/** A BER TLV. */
function tlv(tag: number, ...parts: (number[] | Uint8Array)[]): number[] {
  const body = parts.flatMap((p) => [...p]);
  return [tag, ...(body.length < 128 ? [body.length] : [0x81, body.length]), ...body];
}

/** A cleartext APDU: called title 1.3.6.1.4.1.33507.1, calling invocation id 7, EPSEM Logon, Security, Read ST1. */
function cleartextApdu(): Uint8Array {
  const epsem = [
    0x80, // reserved flag; security mode 0 (cleartext); response control 0 (always)
    13, 0x50, 0x00, 0x02, ...Buffer.from('metertech '), // Logon: user id 2, user "metertech"
    21, 0x51, ...Buffer.from('SECRET-C1218-PASSWD!'), // Security: a 20-octet password
    3, 0x30, 0x00, 0x01, // Read ST1
    0,
  ];
  const oid = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x85, 0x63, 0x01];
  return Uint8Array.from(tlv(0x60, tlv(0xa2, tlv(0x06, oid)), tlv(0xa8, tlv(0x02, [7])), tlv(0xbe, tlv(0x28, tlv(0x81, epsem)))));
}

test('cleartext EPSEM: services, tables, the logon user, and the password only as a credential digest (synthetic)', () => {
  const apdu = cleartextApdu();
  const a = parseApdu(apdu, 0, apdu.length)!;
  assert.deepEqual([a.calledApTitle, a.callingApInvocationId, a.securityMode, a.responseControl, a.services, a.tables, a.user], [
    '1.3.6.1.4.1.33507.1', 7, 'cleartext', 'always', ['logon', 'security', 'read'], [{ service: 'read', table: 'ST1' }], 'metertech',
  ]);
  const out = feedAnalyzer(new C1222Analyzer(), [{ isOrig: true, bytes: apdu }]);
  const cred = out.events.find((e) => e.type === 'credential')!;
  assert.deepEqual([cred.protocol, cred.user], ['c1222', 'metertech']);
  const s = out.events.find((e) => e.type === 'c1222.session')!;
  assert.deepEqual([s.services, s.tables, s.has_password], [['logon', 'security', 'read'], ['read ST1'], true]);
  assert.ok(!JSON.stringify(out.events).includes('SECRET-C1218'));
  assert.equal(probe(apdu, 0, apdu.length, true, 6, 1153), PROBE_YES);
  assert.equal(probe(apdu, 0, apdu.length, true, 17, 5000), PROBE_YES);
  const ldap = Uint8Array.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]);
  assert.equal(probe(ldap, 0, ldap.length, true, 6, 389), PROBE_NO);
});

test('mutated APDUs are refused, never thrown on', { skip }, async () => {
  const flows = await flowBytes(PCAP);
  const seeds = [cleartextApdu(), ...flows.flatMap((f) => f.chunks.map((c) => c.bytes))];
  fuzzParser(seeds, (b) => {
    parseApdu(b, 0, b.length);
    feedAnalyzer(new C1222Analyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }]);
  });
});
