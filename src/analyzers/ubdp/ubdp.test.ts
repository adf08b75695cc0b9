// UBDP on real data first: nDPI's capture of a UniFi Security Gateway's version 2 announcements
// (test/fixtures/ndpi/ndpi-ubdp.pcap), whose expected fields are tshark 4.0's decode beside it
// (ndpi-ubdp.tshark.tsv, read here) and whose flows ndpiReader 4.2 labels UBNTAC2
// (ndpi-ubdp.pcap.out); a UniFi access point's, over IPv6 multicast to other ports, which
// ndpiReader leaves Unknown (ndpi-ubdp-ipv6.pcap). Version 1 queries from Nmap 7.93 (a real client) answered by a synthetic
// access point (test/fixtures/generated/generated-ubdp-nmap.pcap), with Nmap's and tshark's
// readings of the answer beside it. What no capture holds (an airOS radio's ESSID and wireless
// mode, a four-byte default flag, unknown types, damage) on synthetic datagrams built here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { classify } from '../../inventory/classify.js';
import { loadRules } from '../../inventory/rules.js';
import { DEFAULT_KB_DIR } from '../../knowledge/kb.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { UbdpAnalyzer } from './analyzer.js';
import { parseAnnouncement, parseHeader, walkTlvs } from './parse.js';
import { probe } from './probe.js';

const NDPI_DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const NDPI = join(NDPI_DIR, 'ndpi-ubdp.pcap');
const GEN_DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const NMAP = join(GEN_DIR, 'generated-ubdp-nmap.pcap');

/** tshark -T fields output: one row per frame, lists comma-separated. */
function tsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

const list = (v: string): string[] => (v === '' ? [] : v.split(','));
const distinct = (xs: string[]): string[] => [...new Set(xs)];
/** tshark shows a product code with its own name for it appended ("UGW3: UniFi Security Gateway"); the datagram holds the code. */
const code = (v: string): string => v.replace(/: .*$/, '');

test("ubdp.log holds tshark's decode of every announcement of nDPI's capture; conn.log names every flow nDPI labels UBNTAC2", async () => {
  const rows = tsv(join(NDPI_DIR, 'ndpi-ubdp.tshark.tsv'));
  assert.equal(rows.length, 8);
  const run = await runCaptures([NDPI]);
  try {
    const log = run.log('ubdp');
    assert.equal(log.length, 8);
    for (const [frame, src, sport, version, command, hostname, product, model, firmwareFull, firmware, platform, uptime, counter, macs, ips, types, unknown] of rows) {
      const l = log.find((x) => x['id.orig_p'] === Number(sport))!;
      assert.ok(l !== undefined, `frame ${frame}`);
      assert.deepEqual(
        [l['id.orig_h'], l['id.resp_h'], l.version, l.command, l.hostname, l.product, l.model, l.firmware, l.firmware_version, l.platform_version, l.uptime, l.counter],
        [src, '255.255.255.255', Number(version), Number(command), hostname, code(product), code(model), firmwareFull, firmware, platform, Number(uptime), Number(counter)],
        `frame ${frame}`,
      );
      assert.deepEqual(l.macs, distinct(list(macs)));
      assert.deepEqual(l.addresses, list(ips));
      // tshark leaves types 23 (factory default) and 24 (locating) undecoded: one byte 00 each.
      assert.deepEqual([list(types).slice(9, 11), list(unknown)], [['23', '24'], ['00', '00']]);
      assert.deepEqual([l.is_default, l.locating], [false, false]);
      assert.deepEqual([l.is_orig, l.announcements, l.queries, l.unknown_tlvs], [true, 1, 0, undefined]);
    }
    const ndpi = ndpiFlows(join(NDPI_DIR, 'ndpi-ubdp.pcap.out'));
    assert.equal(ndpi.length, 8);
    for (const f of ndpi) {
      assert.equal(f.app, 'UBNTAC2');
      const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort)!;
      assert.equal(c.service, 'ubdp', f.line);
    }
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test("an access point's announcements over IPv6 multicast off port 10001 (nDPI's capture): found by the probe, read as tshark reads them, unknown types counted", async () => {
  // ndpiReader 4.2 leaves these flows Unknown (ndpi-ubdp-ipv6.pcap.out); tshark decodes them with -d.
  for (const f of ndpiFlows(join(NDPI_DIR, 'ndpi-ubdp-ipv6.pcap.out'))) assert.equal(f.app, 'Unknown');
  const rows = tsv(join(NDPI_DIR, 'ndpi-ubdp-ipv6.tshark.tsv'));
  assert.equal(rows.length, 4);
  const pcap = join(NDPI_DIR, 'ndpi-ubdp-ipv6.pcap');
  const run = await runCaptures([pcap]);
  try {
    const log = run.log('ubdp');
    assert.equal(log.length, 4);
    for (const [frame, src, sport, dport, version, command, hostname, product, model, firmwareFull, firmware, platform, uptime, counter, macs, ips, types, unknown] of rows) {
      const l = log.find((x) => x['id.orig_h'] === src && x['id.orig_p'] === Number(sport))!;
      assert.ok(l !== undefined, `frame ${frame}`);
      assert.deepEqual(
        [l['id.resp_h'], l['id.resp_p'], l.version, l.command, l.hostname, l.product, l.model, l.firmware, l.firmware_version, l.platform_version, l.uptime, l.counter, l.macs, l.addresses],
        ['ff02::1', Number(dport), Number(version), Number(command), hostname, code(product), code(model), firmwareFull, firmware, platform, Number(uptime), Number(counter), distinct(list(macs)), list(ips)],
        `frame ${frame}`,
      );
      // tshark leaves 23–26 undecoded as well (00 00 01 01: not default, not locating, DHCP
      // client, lease bound); the rest of its undecoded TLVs are unknown to wardline too.
      const t = list(types);
      const u = list(unknown);
      assert.deepEqual(t.filter((x) => ['23', '24', '25', '26'].includes(x)), ['23', '24', '25', '26']);
      assert.deepEqual([l.is_default, l.locating, l.dhcp_client, l.dhcp_bound], [false, false, true, true]);
      assert.equal(l.unknown_tlvs, u.length - 4);
    }
    assert.deepEqual(run.conns.map((c) => c.service), ['ubdp', 'ubdp', 'ubdp', 'ubdp']);
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
  const { devices } = await runInventory([pcap]);
  const ap = deviceWithIp(devices, 'fe80::76ac:b9ff:fe6c:c124')!;
  assert.deepEqual([ap.vendor, ap.model, ap.category], ['Ubiquiti', 'U7PG2', 'network']);
  assert.ok(ap.hostnames.includes('UAP-AC-Pro'));
});

test("Nmap's version 1 queries and the access point's answers: as Nmap's ubiquiti-discovery and tshark read them", async () => {
  // generated/ubdp/nmap.out: hostname UAP-ICU3-East, product U7PG2, firmware
  // BZ.qca956x.v4.3.28.11361.210305.1627, version 4.3.28.11361, model UAP-AC-Pro-Gen2,
  // uptime_seconds 3725, config_status default/unmanaged, 788a204e11c2 at 10.77.0.30.
  const nmap = readFileSync(join(GEN_DIR, 'ubdp', 'nmap.out'), 'utf8');
  for (const s of ['hostname: UAP-ICU3-East', 'product: U7PG2', 'model: UAP-AC-Pro-Gen2', 'config_status: default/unmanaged', 'uptime_seconds: 3725']) assert.ok(nmap.includes(s), s);
  const answers = tsv(join(GEN_DIR, 'ubdp', 'tshark.tsv')).filter((r) => r[1] === '10.77.0.30');
  assert.equal(answers.length, 2);
  const run = await runCaptures([NMAP]);
  try {
    const log = run.log('ubdp');
    // Nmap's port probe and its script's query: one flow each, from the scanner to 10001.
    assert.equal(log.length, 2);
    for (const [, , , dport, version, command, , hostname, product, model, firmwareFull, firmware, uptime, macs, ips, , unknown] of answers) {
      const l = log.find((x) => x['id.orig_p'] === Number(dport))!;
      assert.deepEqual([l['id.orig_h'], l['id.resp_h'], l['id.resp_p']], ['10.77.0.5', '10.77.0.30', 10001]);
      assert.deepEqual(
        [l.version, l.command, l.hostname, l.product, l.model, l.firmware, l.firmware_version, l.uptime, l.macs, l.addresses],
        [Number(version), Number(command), hostname, code(product), model, firmwareFull, firmware, Number(uptime), distinct(list(macs)), list(ips)],
      );
      // tshark's undecoded type 23 is 01: Nmap's default/unmanaged.
      assert.equal(unknown, '01');
      assert.deepEqual([l.is_default, l.is_orig, l.announcements, l.queries], [true, false, 1, 1]);
    }
    assert.deepEqual(run.conns.map((c) => c.service), ['ubdp', 'ubdp']);
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test('the gateway is Ubiquiti network gear with its model, firmware and host name; the broadcast address and the scanner are no Ubiquiti devices', async () => {
  const { devices } = await runInventory([NDPI]);
  const gw = deviceWithIp(devices, '192.168.1.1')!;
  assert.deepEqual([gw.mac, gw.vendor, gw.model, gw.category], ['80:2a:a8:8d:69:2c', 'Ubiquiti', 'UGW3', 'network']);
  assert.ok(gw.hostnames.includes('ubnt'));
  assert.ok(gw.evidence.some((e) => e.fact === 'firmware' && e.source === 'ubdp.firmware' && e.value === 'UniFiSecurityGateway.ER-e120.v4.3.33.4936086.161203.2031' && e.packet === 1));
  assert.ok(gw.evidence.some((e) => e.fact === 'role' && e.value === 'ubiquiti-device'));
  assert.ok(!gw.evidence.some((e) => e.fact === 'factory_default'));
  assert.equal(deviceWithIp(devices, '255.255.255.255'), undefined);

  const gen = await runInventory([NMAP]);
  const ap = deviceWithIp(gen.devices, '10.77.0.30')!;
  // The long model (0x14) names it, not the product code.
  assert.deepEqual([ap.vendor, ap.model, ap.category], ['Ubiquiti', 'UAP-AC-Pro-Gen2', 'network']);
  assert.ok(ap.hostnames.includes('UAP-ICU3-East'));
  assert.ok(ap.evidence.some((e) => e.fact === 'factory_default' && e.value === 'true' && e.source === 'ubdp.is_default'));
  const scanner = deviceWithIp(gen.devices, '10.77.0.5');
  assert.ok(scanner === undefined || !scanner.evidence.some((e) => e.source.startsWith('ubdp.')));
});

test('the rules make a UniFi camera (product code UVC…) a camera, any other announcing Ubiquiti product network gear (synthetic facts)', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const of = (product: string): [string | null, string | null, string] => {
    const c = classify(rules, [], [['role', 'ubiquiti-device'], ['ubdp.product', product], ['mac.oui', 'Ubiquiti Networks Inc.']], () => '');
    return [c.vendor, c.model, c.category];
  };
  assert.deepEqual(of('UVC-G3-Flex'), ['Ubiquiti', 'UVC-G3-Flex', 'camera']);
  assert.deepEqual(of('US24P250'), ['Ubiquiti', 'US24P250', 'network']);
  assert.deepEqual(of('U7PG2'), ['Ubiquiti', 'U7PG2', 'network']);
});

/** A UBDP datagram: version, command, then TLVs. */
function datagram(version: number, command: number, tlvs: [number, number[]][]): Uint8Array {
  const body = tlvs.flatMap(([t, v]) => [t, v.length >> 8, v.length & 0xff, ...v]);
  return Uint8Array.from([version, command, body.length >> 8, body.length & 0xff, ...body]);
}
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const MAC = [0x24, 0xa4, 0x3c, 0x01, 0x02, 0x03];

/**
 * Synthetic (no capture holds one): an airOS radio's version 1 answer with the fields UniFi gear
 * does not send — ESSID, wireless mode, management port — a four-byte default flag, a user name
 * (type 6, never kept) and an unknown type.
 */
const AIROS = datagram(1, 0, [
  [0x02, [...MAC, 10, 20, 0, 7]],
  [0x0b, ascii('ptp-bldg-c')],
  [0x0c, ascii('LM5')],
  [0x14, ascii('NanoStation loco M5')],
  [0x03, ascii('XM.ar7240.v6.3.6.33330.210818.1930')],
  [0x0d, ascii('wardnet-bridge')],
  [0x0e, [3]],
  [0x0f, [0x00, 0x01, 0x01, 0xbb]],
  [0x17, [0, 0, 0, 0]],
  [0x06, ascii('ubnt')],
  [0x2a, [1, 2, 3]],
]);

test('a version 1 answer of an airOS radio (synthetic): ESSID, mode, management port; a user name never kept; unknown types counted', () => {
  const out = feedAnalyzer(new UbdpAnalyzer(), [{ isOrig: false, bytes: AIROS }], 17);
  assert.deepEqual(out.services, ['ubdp']);
  assert.deepEqual(out.weirds, []);
  const s = out.events[0];
  assert.deepEqual(
    [s.version, s.command, s.is_orig, s.hostname, s.product, s.model, s.firmware, s.essid, s.wireless_mode, s.mgmt_port, s.is_default, s.macs, s.addresses, s.unknown_tlvs],
    [1, 0, false, 'ptp-bldg-c', 'LM5', 'NanoStation loco M5', 'XM.ar7240.v6.3.6.33330.210818.1930', 'wardnet-bridge', 3, 443, false, ['24:a4:3c:01:02:03'], ['10.20.0.7'], 1],
  );
  assert.ok(!Object.values(s).includes('ubnt'));
});

test('queries alone, repeated announcements and damage (synthetic datagrams)', () => {
  // A controller's or scanner's version 1 query: the flow is UBDP, nothing is said of anyone.
  const q = feedAnalyzer(new UbdpAnalyzer(), [{ isOrig: true, bytes: Uint8Array.from([1, 0, 0, 0]) }], 17);
  assert.deepEqual([q.services, q.events.length], [['ubdp'], 1]);
  assert.deepEqual([q.events[0].version, q.events[0].command, q.events[0].queries, q.events[0].announcements, q.events[0].is_orig], [1, 0, 1, 0, undefined]);
  // An announcement repeated: read once, counted twice; its first uptime kept.
  const a1 = datagram(2, 6, [[0x0a, [0, 0, 0, 10]], [0x0b, ascii('ap-1')]]);
  const a2 = datagram(2, 6, [[0x0a, [0, 0, 0, 20]], [0x0b, ascii('ap-1')]]);
  const r = feedAnalyzer(new UbdpAnalyzer(), [{ isOrig: true, bytes: a1 }, { isOrig: true, bytes: a2 }], 17);
  assert.deepEqual([r.events[0].announcements, r.events[0].uptime, r.events[0].hostname], [2, 10, 'ap-1']);
  // Damage: bytes after the stated length, a TLV running past it, a datagram that is not UBDP.
  const trailing = Uint8Array.from([...a1, 0]);
  const overrun = Uint8Array.from(a1);
  overrun[overrun.length - 5] = 0x40;
  const d = feedAnalyzer(new UbdpAnalyzer(), [{ isOrig: true, bytes: trailing }, { isOrig: false, bytes: Uint8Array.from([0x47, 0x45, 0x54, 0x20]) }], 17);
  assert.deepEqual(d.weirds, ['ubdp.trailing_bytes', 'ubdp.bad_header']);
  const o = feedAnalyzer(new UbdpAnalyzer(), [{ isOrig: true, bytes: overrun }], 17);
  assert.deepEqual([o.weirds, o.events[0].uptime, o.events[0].hostname], [['ubdp.truncated_tlv'], 10, undefined]);
});

test('probe(): a whole TLV list is a yes (on any port); a query or a single TLV a maybe (which the host takes on port 10001 only); anything else no', async () => {
  const flows = await flowBytes(NDPI);
  for (const f of flows) for (const c of f.chunks) assert.equal(probe(c.bytes, 0, c.bytes.length, c.isOrig, 17), PROBE_YES);
  const d = flows[0].chunks[0].bytes;
  assert.equal(probe(d, 0, d.length, true, 6), PROBE_NO, 'TCP');
  assert.equal(probe(d, 0, d.length - 1, true, 17), PROBE_NO, 'stated length past the datagram');
  assert.equal(probe(Uint8Array.from([...d, 0]), 0, d.length + 1, true, 17), PROBE_NO, 'bytes after the stated length');
  const v3 = d.slice();
  v3[0] = 3;
  assert.equal(probe(v3, 0, v3.length, true, 17), PROBE_NO, 'version 3');
  const cmd = d.slice();
  cmd[1] = 0x42;
  assert.equal(probe(cmd, 0, cmd.length, true, 17), PROBE_NO, 'unknown version 2 command');
  const mac = d.slice();
  // The first TLV (type 2, MAC and address) says 9 bytes instead of 10: the walk no longer ends at the stated length.
  mac[6] = 9;
  assert.equal(probe(mac, 0, mac.length, true, 17), PROBE_NO, 'fixed-size type at another size');
  assert.equal(probe(AIROS, 0, AIROS.length, false, 17), PROBE_YES);
  // Queries (synthetic: Nmap's version 2 query is 02 08 00 00) and single TLVs.
  for (const b of [[1, 0, 0, 0], [2, 8, 0, 0]]) assert.equal(probe(Uint8Array.from(b), 0, 4, true, 17), PROBE_MAYBE);
  assert.equal(probe(Uint8Array.from([1, 1, 0, 0]), 0, 4, true, 17), PROBE_NO, 'version 1 has command 0 only');
  const one = datagram(1, 0, [[0x0b, ascii('x')]]);
  assert.equal(probe(one, 0, one.length, true, 17), PROBE_MAYBE);
  const unknownOnly = datagram(1, 0, [[0x40, [1]], [0x41, [2]]]);
  assert.equal(probe(unknownOnly, 0, unknownOnly.length, true, 17), PROBE_NO, 'no known type');
});

test('parsers and the analyzer survive truncation and mutation of the real datagrams', async () => {
  const seeds = [...(await flowBytes(NDPI)).slice(0, 1), ...(await flowBytes(join(NDPI_DIR, 'ndpi-ubdp-ipv6.pcap'))).slice(0, 1), ...(await flowBytes(NMAP))].flatMap((f) => f.chunks.map((c) => c.bytes));
  seeds.push(AIROS);
  fuzzParser(seeds, (b) => {
    probe(b, 0, b.length, true, 17);
    const h = parseHeader(b, 0, b.length);
    if (h !== null) {
      walkTlvs(b, 4, h.length);
      parseAnnouncement(b, 4, h.length);
    }
    feedAnalyzer(new UbdpAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 17);
  });
});
