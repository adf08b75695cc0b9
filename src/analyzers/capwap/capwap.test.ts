// CAPWAP on nDPI's capture (test/fixtures/ndpi/ndpi-capwap.pcap, extracted from the benchmark's
// merge of nDPI's test captures): a Cisco 2504 controller and a lightweight AP (discovery in
// clear, then DTLS), the AP's data channel with its clients' 802.11 frames (Frame Control
// swapped, as Cisco sends it), and a second AP's data channel carrying a client's TLS. The
// expectations are tshark 4.0's decode (ndpi-capwap.tshark.tsv with capwap.draft_8_cisco on; the
// data channel with tshark's default capwap.swap_fc) and ndpiReader's labels (ndpi-capwap.pcap.out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../engine/analyze.js';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { fuzzParser, mutate, rng } from '../../testutil/fuzz.js';
import { wlanFcSwapped } from '../../decode/decoder.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { CapwapAnalyzer } from './analyzer.js';
import { fieldText, parseBoardData, parseWtpDescriptor } from './parse.js';
import { probe } from './probe.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-capwap.pcap');

test('capwap.log: the AP and the controller as their discovery messages state them', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const logs = run.log('capwap');
    const key = (l: Record<string, unknown>) => `${String(l['id.orig_h'])}:${String(l['id.orig_p'])}>${String(l['id.resp_h'])}:${String(l['id.resp_p'])}`;
    const by = new Map(logs.map((l) => [key(l), l]));
    // Frames 2-3 and 334-335 (tshark: message types 1 and 19, discovery types 0 and 1, max radios 2,
    // WTP MAC type 1, Cisco vendor element 5 = hex of "APb838.61f3.05ac"). tshark prints the
    // descriptor's version values as raw bytes: 01 00 00 00, 07 05 66 00 and 0c 04 19 00.
    const ap = { wtp_orig: true, wtp_name: 'APb838.61f3.05ac', wtp_vendor: 'Cisco', wtp_hardware: '1.0.0.0', wtp_software: '7.5.102.0', wtp_boot: '12.4.25.0', wtp_radios: 2, wtp_mac_type: 'split' };
    const pick = (l: Record<string, unknown> | undefined, ks: string[]) => Object.fromEntries(ks.map((k) => [k, l?.[k]]));
    const first = logs.filter((l) => key(l) === '192.168.10.10:12380>255.255.255.255:5246');
    assert.equal(first.length, 2);
    assert.deepEqual(pick(first[0], Object.keys(ap)), ap);
    assert.deepEqual([first[0].messages, first[0].control, first[0].discovery_type], [['discovery_request'], 2, 'unknown']);
    assert.deepEqual([first[1].messages, first[1].discovery_type], [['primary_discovery_request'], 'static']);
    // Frames 4-5 (type 2): station limit 1000, max WTPs 5, security 0x02 (X.509), DTLS policy 0x03
    // (C: clear data channel), AC information vendor 4232704 (0x00409600), AC name Cisco2504; then
    // 215 DTLS datagrams in the same flow (its 217 packets less the two responses).
    const ac = by.get('192.168.10.9:5246>192.168.10.10:12380');
    assert.deepEqual(pick(ac, ['ac_orig', 'ac_name', 'ac_vendor', 'ac_software', 'ac_station_limit', 'ac_max_wtps', 'ac_wtps', 'ac_security', 'data_channel', 'messages', 'control', 'dtls']), {
      ac_orig: true,
      ac_name: 'Cisco2504',
      ac_vendor: 'Cisco',
      ac_software: '7.5.102.0',
      ac_station_limit: 1000,
      ac_max_wtps: 5,
      ac_wtps: 0,
      ac_security: ['x509'],
      data_channel: ['clear'],
      messages: ['discovery_response'],
      control: 2,
      dtls: 215,
    });
    // The lone encrypted alert to the AP's other port (frame 7 of ndpiReader's flows) is CAPWAP too.
    assert.deepEqual(by.get('192.168.10.9:5246>192.168.10.10:12379')?.dtls, 1);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test('the data channel: each client frame decoded inside the tunnel, Cisco swapped Frame Control put right', async () => {
  const run = await runCaptures([PCAP]);
  try {
    // ndpiReader labels all seven flows CAPWAP; conn.log names every carrier capwap (one 41264
    // flow for nDPI's three: its copies differ only in the VLAN tag, which Zeek's key leaves out).
    const udp = run.conns.filter((c) => c.rPort === 5246 || c.rPort === 5247 || c.oPort === 5246);
    assert.equal(udp.length, 6);
    assert.ok(udp.every((c) => c.service === 'capwap'));
    // tshark (capwap.swap_fc on): a probe request from 00:00:00:00:00:00 (frame 98), the iPad's
    // association request to "kawai1" (252), the AP's association response (253), an action
    // frame (255). Responses and action frames are not logged; repeats of a probe are not.
    const wlan = run.log('wlan').map((l) => [l.kind, l.transmitter, l.ssid]);
    assert.deepEqual(wlan, [
      ['probe_request', '00:00:00:00:00:00', undefined],
      ['assoc_request', '1c:ab:a7:f2:13:9d', 'kawai1'],
    ]);
    // Frame 259: the iPad's DHCP Discover (host name kawai-iPad3) inside an 802.11 data frame;
    // frame 404: a client's ClientHello to alt2-mtalk.google.com inside the other AP's tunnel.
    assert.deepEqual([...new Set(run.log('dhcp').map((l) => [l.mac, l.host_name].join(' ')))], ['1c:ab:a7:f2:13:9d kawai-iPad3']);
    const ssl = run.log('ssl');
    assert.deepEqual(ssl.map((l) => [l['id.orig_h'], l['id.resp_h'], l.server_name]), [['10.1.3.68', '74.125.130.188', 'alt2-mtalk.google.com']]);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test('inventory: the lightweight AP and its controller, and the wireless client seen through the tunnel', async () => {
  const { devices } = await runInventory([PCAP]);
  const ap = deviceWithIp(devices, '192.168.10.10')!;
  assert.deepEqual([ap.category, ap.vendor], ['network', 'Cisco']);
  assert.ok(ap.hostnames.includes('APb838.61f3.05ac'));
  assert.ok(ap.evidence.some((e) => e.fact === 'role' && e.value === 'wireless-ap' && e.source === 'capwap.wtp'));
  assert.ok(ap.evidence.some((e) => e.fact === 'firmware' && e.value === '7.5.102.0'));
  const wlc = deviceWithIp(devices, '192.168.10.9')!;
  assert.deepEqual([wlc.category, wlc.vendor], ['network', 'Cisco']);
  assert.ok(wlc.hostnames.includes('Cisco2504'));
  assert.ok(wlc.evidence.some((e) => e.fact === 'role' && e.value === 'wireless-controller'));
  // The second AP's controller answered only on the data channel.
  assert.equal(deviceWithIp(devices, '172.16.100.87')?.category, 'network');
  // The iPad: known only from frames inside the tunnel (its DHCP host name).
  const ipad = devices.find((d) => d.mac === '1c:ab:a7:f2:13:9d');
  assert.ok(ipad?.hostnames.includes('kawai-iPad3'));
});

test('wlanFcSwapped(): only when the swapped reading is possible and the plain one is not', () => {
  // Cisco's data channel: a probe request (0x40 0x00) and data frames to and from the DS.
  assert.equal(wlanFcSwapped(0x00, 0x40), true);
  assert.equal(wlanFcSwapped(0x01, 0x08), true);
  assert.equal(wlanFcSwapped(0x02, 0x88), true);
  // The same frames in IEEE order.
  assert.equal(wlanFcSwapped(0x40, 0x00), false);
  assert.equal(wlanFcSwapped(0x08, 0x01), false);
  assert.equal(wlanFcSwapped(0x88, 0x42), false);
  // Both readings possible (an association request with nothing set): taken as it stands.
  assert.equal(wlanFcSwapped(0x00, 0x00), false);
});

test('probe(): CAPWAP control on any port; DTLS behind its preamble a maybe; nothing else', async () => {
  const flows = await flowBytes(PCAP);
  const ctl = flows.flatMap((f) => f.chunks).map((c) => c.bytes).filter((b) => b[0] === 0 && probe(b, 0, b.length, true, 17) === PROBE_YES);
  // The four discovery requests and two responses (RFC length or Cisco's, which counts itself).
  assert.equal(ctl.length, 6);
  const dtls = flows.flatMap((f) => f.chunks).map((c) => c.bytes).find((b) => b[0] === 1)!;
  assert.equal(probe(dtls, 0, dtls.length, true, 17), PROBE_MAYBE);
  assert.equal(probe(ctl[0], 0, ctl[0].length, true, 6), PROBE_NO);
  // A data-channel frame (T set) is not control; nor is a truncated header.
  const data = flows.find((f) => f.rPort === 5247)!.chunks[0].bytes;
  assert.equal(probe(data, 0, data.length, true, 17), PROBE_NO);
  assert.equal(probe(ctl[0], 0, 7, true, 17), PROBE_NO);
});

test('RFC 5415 descriptors as vendors other than Cisco write them (synthetic: no capture has one)', () => {
  // WTP Descriptor: 2 radios, 1 in use, one encryption sub-element, then hardware and software
  // version strings under Fortinet's enterprise number 12356.
  const ver = (type: number, s: string) => [0, 0, 0x30, 0x44, 0, type, 0, s.length, ...Buffer.from(s)];
  const wtp = Uint8Array.from([2, 1, 1, 1, 0, 0, ...ver(0, 'FAP221E'), ...ver(1, 'FP221E-v6.4-build0443')]);
  assert.deepEqual(parseWtpDescriptor(wtp, 0, wtp.length), {
    maxRadios: 2,
    radiosInUse: 1,
    versions: [
      { vendor: 12356, type: 0, value: 'FAP221E' },
      { vendor: 12356, type: 1, value: 'FP221E-v6.4-build0443' },
    ],
  });
  // WTP Board Data: model, serial and base MAC sub-elements.
  const sub = (type: number, v: number[]) => [0, type, 0, v.length, ...v];
  const board = Uint8Array.from([0, 0, 0x30, 0x44, ...sub(0, [...Buffer.from('FP221E')]), ...sub(1, [...Buffer.from('FP221E3X17000123')]), ...sub(4, [0x00, 0x09, 0x0f, 0x01, 0x02, 0x03])]);
  assert.deepEqual(parseBoardData(board, 0, board.length), { vendor: 12356, model: 'FP221E', serial: 'FP221E3X17000123', baseMac: '00:09:0f:01:02:03' });
  // A whole Join Request in clear (an AP whose controller allows it): the analyzer keeps all of it.
  const el = (type: number, v: number[]) => [type >> 8, type & 0xff, v.length >> 8, v.length & 0xff, ...v];
  const elements = [...el(38, [...board]), ...el(39, [...wtp]), ...el(45, [...Buffer.from('ward-3-ap')]), ...el(28, [...Buffer.from('ICU east corridor')])];
  const msg = Uint8Array.from([0x00, 0x10, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 3, 7, (elements.length + 1) >> 8, (elements.length + 1) & 0xff, 0, ...elements]);
  assert.equal(probe(msg, 0, msg.length, true, 17), PROBE_YES);
  const out = feedAnalyzer(new CapwapAnalyzer(), [{ isOrig: true, bytes: msg }], 17);
  const s = out.events.find((e) => e.type === 'capwap.session')!;
  assert.deepEqual(
    [s.messages, s.wtp_vendor, s.wtp_model, s.wtp_serial, s.wtp_base_mac, s.wtp_hardware, s.wtp_software, s.wtp_name, s.wtp_location],
    [['join_request'], 'Fortinet', 'FP221E', 'FP221E3X17000123', '00:09:0f:01:02:03', 'FAP221E', 'FP221E-v6.4-build0443', 'ward-3-ap', 'ICU east corridor'],
  );
  assert.deepEqual(out.weirds, []);
  assert.equal(fieldText(Uint8Array.from([0x41, 0x42, 0, 0]), 0, 4), 'AB');
});

test('damaged CAPWAP never throws: the control parser fuzzed, the data channel mutated through the engine', async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.map((c) => c.bytes)).slice(0, 40);
  fuzzParser(seeds, (b) => {
    feedAnalyzer(
      new CapwapAnalyzer(),
      [
        { isOrig: true, bytes: b },
        { isOrig: false, bytes: b },
      ],
      17,
    );
  });
  // Every record's bytes after the outer Ethernet/IP/UDP headers mutated or cut.
  const whole = readFileSync(PCAP);
  const r = rng(5247);
  for (let i = 0; i < 40; i++) {
    const parts: Buffer[] = [whole.subarray(0, 24)];
    let n = 0;
    for (let p = 24; p + 16 <= whole.length; ) {
      const len = whole.readUInt32LE(p + 8);
      const rec = Uint8Array.from(whole.subarray(p + 16, p + 16 + len));
      p += 16 + len;
      const head = Math.min(42, rec.length);
      const tail = rec.subarray(head);
      const body = r() < 0.7 ? mutate(tail, r) : tail.subarray(0, Math.floor(r() * (tail.length + 1)));
      const h = Buffer.alloc(16);
      h.writeUInt32LE(1767225600 + n++, 0);
      h.writeUInt32LE(head + body.length, 8);
      h.writeUInt32LE(head + body.length, 12);
      parts.push(h, Buffer.from(rec.subarray(0, head)), Buffer.from(body));
    }
    const res = await new Analysis({ outDir: null }).runBuffer('fuzz', Buffer.concat(parts));
    assert.equal(res.inputs[0].packets, n);
  }
});
