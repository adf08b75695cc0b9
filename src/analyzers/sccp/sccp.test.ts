// SCCP on nDPI's captures (test/fixtures/ndpi/ndpi-sccp.pcap): a conference bridge registering with
// its call manager, and two phones mid-call with Unified CM (their inventory and findings:
// src/inventory/sccp.test.ts). Expectations are tshark 4.0's decode of
// every SCCP message (ndpi-sccp.tshark.tsv, read by the test) and ndpiReader 4.2's labels
// (ndpi-sccp.pcap.out). A phone's whole registration with a firmware load is in no public capture:
// the synthetic messages below are laid out as the bridge's real RegisterReq is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, filesUnder, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { SccpAnalyzer } from './analyzer.js';
import { messageName } from './messages.js';
import { mediaDestination, messageSize, parseRegister, sepMac } from './parse.js';
import { probe } from './probe.js';
import { assessCaptures } from '../../assess/testutil.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-sccp.pcap');
/** The parties of the captured call (CallInfoV2, DisplayPriNotifyV2): never in any output. */
const PARTIES = ['RIX Meeting Room', 'Ervins', 'Gailiss'];
const NUMBERS = ['321', '307'];

interface TsharkRow {
  frame: number;
  phonePort: number;
  ids: number[];
  deviceName: string;
  stationIp: string;
  deviceType: string;
  maxStreams: string;
  protocolVer: string;
  callRefs: string[];
  remoteIps: string[];
  remotePorts: string[];
}

/** ndpi-sccp.tshark.tsv: one row per frame, several messages' values joined by commas. */
function tshark(): TsharkRow[] {
  return readFileSync(join(DIR, 'ndpi-sccp.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      const list = (s: string): string[] => (s === '' ? [] : s.split(','));
      return {
        frame: Number(f[0]),
        phonePort: Number(f[1]) === 2000 ? Number(f[2]) : Number(f[1]),
        ids: list(f[4]).map(Number),
        deviceName: f[5],
        stationIp: f[6],
        deviceType: f[7],
        maxStreams: f[8],
        protocolVer: f[9],
        callRefs: list(f[12]),
        remoteIps: list(f[13]),
        remotePorts: list(f[14]),
      };
    });
}

test("sccp.log: the bridge's registration as tshark decodes it, the phones' calls and media, conn.log sccp on every flow nDPI saw", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-sccp.pcap.out'));
  // nDPI 4.2 takes the 49399 phone's flow for MongoDB; both others are CiscoSkinny.
  assert.deepEqual(ndpi.map((f) => f.app), ['MongoDB', 'CiscoSkinny', 'CiscoSkinny']);
  const rows = tshark();
  const run = await runCaptures([PCAP]);
  try {
    for (const f of ndpi) {
      const c = run.conns.find((x) => (x.oPort === f.aPort && x.rPort === f.bPort) || (x.oPort === f.bPort && x.rPort === f.aPort))!;
      assert.equal(c.service, 'sccp', f.line);
    }
    const log = run.log('sccp');
    assert.equal(log.length, 3);
    const byPort = (p: number): Record<string, unknown> => log.find((l) => l['id.orig_p'] === p || l['id.resp_p'] === p)!;
    for (const port of [46461, 49399, 51532]) {
      const l = byPort(port);
      const mine = rows.filter((r) => r.phonePort === port);
      const ids = mine.flatMap((r) => r.ids);
      assert.equal(l.messages, ids.length, `messages of ${port}`);
      // Every message id tshark decoded, in the order first seen.
      assert.deepEqual(l.message_names, [...new Set(ids)].map((id) => messageName(id)), `names of ${port}`);
      assert.equal(l.media, ids.filter((id) => id === 0x8a).length, `media of ${port}`);
      const peers = mine.flatMap((r) => r.remoteIps.map((ip, i) => `${ip}:${r.remotePorts[i]}`));
      assert.deepEqual(l.media_peers ?? [], peers, `RTP destinations of ${port}`);
      // Frames with a CallState hold only that call's reference (tshark's callReference column).
      const refs = new Set(mine.filter((r) => r.ids.includes(0x111)).flatMap((r) => r.callRefs));
      assert.equal(l.calls, refs.size, `calls of ${port}`);
    }
    // The bridge (frame 65: RegisterReq NONSECURE_CONF, 172.18.110.58, type 0x34, 8 streams,
    // protocol 18; frame 69 RegisterAck; frame 76's VersionMessage is empty).
    const reg = rows.find((r) => r.ids.includes(1))!;
    const bridge = byPort(46461);
    assert.deepEqual(
      [bridge.station_is_orig, bridge.device_name, bridge.station_ip, bridge.device_type, bridge.max_streams, bridge.protocol_version],
      [true, reg.deviceName, reg.stationIp, Number(reg.deviceType), Number(reg.maxStreams), Number(reg.protocolVer)],
    );
    assert.deepEqual([bridge.model, bridge.station_kind, bridge.registered, bridge.firmware, bridge.mac], ['Cisco IOS Conference Bridge (HDV2)', 'conference-bridge', true, undefined, undefined]);
    assert.deepEqual(bridge.message_names, ['RegisterReq', 'IpPort', 'RegisterAck', 'CapabilitiesReq', 'MediaResourceNotification', 'VersionReq', 'CapabilitiesRes', 'VersionRes']);
    // The phones: no registration, the call manager driving their handsets. 49399's capture
    // starts with the phone's SoftKeyEvent, 51532's with the call manager's CallState, so the
    // phone is the originator of one and the responder of the other.
    const p1 = byPort(49399);
    const p2 = byPort(51532);
    assert.deepEqual([p1.station_is_orig, p1.phone_ui, p1.registered, p1.device_name], [true, true, undefined, undefined]);
    assert.deepEqual([p2.station_is_orig, p2['id.orig_h'], p2.phone_ui], [false, '192.168.193.12', true]);
    assert.equal(run.log('weird').length, 0);
    for (const file of filesUnder(run.outDir)) {
      const text = readFileSync(file, 'latin1');
      for (const p of PARTIES) assert.ok(!text.includes(p), `${p} in ${file}`);
      for (const n of NUMBERS) assert.ok(!text.includes(`"${n}"`) && !text.includes(`From ${n}`), `${n} in ${file}`);
    }
  } finally {
    run.cleanup();
  }
});

/** One SCCP message: little-endian length (from the id on), header version, id, then `data`. */
function msg(id: number, data: number[] | Uint8Array, version = 0): Uint8Array {
  const b = new Uint8Array(12 + data.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, 4 + data.length, true);
  v.setUint32(4, version, true);
  v.setUint32(8, id, true);
  b.set(data, 12);
  return b;
}

function text(s: string, n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < s.length && i < n; i++) out[i] = s.charCodeAt(i);
  return out;
}

function le32(n: number): number[] {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
}

/** A RegisterReq with the 124 data bytes of the bridge's (frame 65): firmwareLoadName at 92. */
function registerReq(name: string, type: number, firmware: string): Uint8Array {
  const d = new Array<number>(124).fill(0);
  d.splice(0, 16, ...text(name, 16));
  d.splice(20, 4, ...le32(1));
  d.splice(24, 4, 10, 20, 30, 40);
  d.splice(28, 4, ...le32(type));
  d.splice(32, 4, ...le32(5));
  d[40] = 20;
  d.splice(92, 32, ...text(firmware, 32));
  return msg(0x0001, d);
}

test('a phone registering (synthetic): SEP name and MAC, model from its device type, firmware load; a reject with its text; caller names never kept', () => {
  const phone = [
    { isOrig: true, bytes: registerReq('SEP001122334455', 115, 'SCCP41.9-4-2SR3-1S') },
    { isOrig: false, bytes: msg(0x0081, new Array<number>(20).fill(0)) },
    // VersionMessage naming another load: the one the phone says it runs stays.
    { isOrig: true, bytes: msg(0x000f, []) },
    { isOrig: false, bytes: msg(0x0098, text('SCCP41.9-2-1S', 16)) },
    // CallInfo (basic layout: calling name and number, called name and number, line, call ref).
    { isOrig: false, bytes: msg(0x008f, [...text('Jane Roe', 40), ...text('4711', 24), ...text('Ward 3 Nurse', 40), ...text('5150', 24), ...le32(1), ...le32(77)]) },
    { isOrig: false, bytes: msg(0x0111, [...le32(4), ...le32(1), ...le32(77), ...le32(0)]) },
    // StartMediaTransmission, basic layout: conference id, party id, IPv4, port.
    { isOrig: false, bytes: msg(0x008a, [...le32(77), ...le32(9), 10, 20, 30, 50, ...le32(24580), ...le32(20)]) },
  ];
  const out = feedAnalyzer(new SccpAnalyzer(), phone);
  const s = out.events.find((e) => e.type === 'sccp.session')!;
  assert.deepEqual(
    [s.station_is_orig, s.device_name, s.mac, s.device_type, s.model, s.station_kind, s.station_ip, s.max_streams, s.protocol_version, s.firmware, s.registered, s.calls, s.media, s.media_peers],
    [true, 'SEP001122334455', '00:11:22:33:44:55', 115, 'Cisco 7941', 'phone', '10.20.30.40', 5, 20, 'SCCP41.9-4-2SR3-1S', true, 1, 1, ['10.20.30.50:24580']],
  );
  assert.deepEqual(s.message_names, ['RegisterReq', 'RegisterAck', 'VersionReq', 'VersionRes', 'CallInfo', 'CallState', 'StartMediaTransmission']);
  const all = JSON.stringify(out.events);
  for (const p of ['Jane Roe', '4711', 'Ward 3 Nurse', '5150']) assert.ok(!all.includes(p), p);
  assert.deepEqual(out.weirds, []);
  // Without a load in the RegisterReq the VersionMessage's stands in; an unknown type is only a number.
  const older = feedAnalyzer(new SccpAnalyzer(), [
    { isOrig: true, bytes: registerReq('ICU-NURSECALL-1', 64999, '') },
    { isOrig: false, bytes: msg(0x009d, text('Device not configured', 33)) },
    { isOrig: false, bytes: msg(0x0098, text('P00308010200', 16)) },
  ]).events[0];
  assert.deepEqual([older.device_type, older.model, older.mac, older.registered, older.reject_reason, older.firmware], [64999, undefined, undefined, false, 'Device not configured', 'P00308010200']);
});

test('parsers: message length, RegisterReq cut short, media addresses of both layouts, SEP names', () => {
  const ka = msg(0x0000, []);
  assert.equal(messageSize(ka, 0, ka.length), 12);
  assert.equal(messageSize(ka, 0, 7), 0);
  assert.equal(messageSize(Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0]), 0, 8), -1);
  assert.equal(messageSize(Uint8Array.from([4, 0, 0, 0, 0, 1, 0, 0]), 0, 8), -1);
  // An old station's RegisterReq: the name, user id, instance, address and type only.
  const short = msg(0x0001, [...text('SEP00AABBCCDDEE', 16), ...le32(0), ...le32(1), 192, 168, 1, 9, ...le32(7)]);
  assert.deepEqual(parseRegister(short, 0, short.length), { deviceName: 'SEP00AABBCCDDEE', stationIp: '192.168.1.9', deviceType: 7 });
  assert.equal(parseRegister(msg(0x0001, [0x41, 0x01, ...new Array<number>(14).fill(0)]), 0, 28), null);
  // Protocol 17 on: IPv4-or-6 selector, 16 address bytes, port (as frame 35's 192.168.193.24:9399).
  const v4 = msg(0x008a, [...le32(1), ...le32(2), ...le32(0), 192, 168, 193, 24, ...new Array<number>(12).fill(0), ...le32(9399)], 0x14);
  assert.equal(mediaDestination(v4, 0, v4.length, 0x14), '192.168.193.24:9399');
  const v6 = msg(0x008a, [...le32(1), ...le32(2), ...le32(1), 0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1, ...le32(16384)], 0x16);
  assert.equal(mediaDestination(v6, 0, v6.length, 0x16), '[2001:db8::1]:16384');
  assert.equal(mediaDestination(v6, 0, 30, 0x16), null);
  assert.equal(sepMac('SEPA0B1C2D3E4F5'), 'a0:b1:c2:d3:e4:f5');
  assert.equal(sepMac('NONSECURE_CONF'), null);
});

test('probe(): a known message header on 2000, a whole first message elsewhere, not a lone KeepAlive off-port', () => {
  const reg = registerReq('SEP001122334455', 7, '');
  assert.equal(probe(reg, 0, reg.length, true, 6, 2000), PROBE_YES);
  assert.equal(probe(reg, 0, reg.length, true, 6, 3000), PROBE_YES);
  assert.equal(probe(reg, 0, 40, true, 6, 3000), PROBE_NO);
  assert.equal(probe(reg, 0, 12, true, 6, 2000), PROBE_YES);
  assert.equal(probe(reg, 0, 6, true, 6, 2000), PROBE_MAYBE);
  assert.equal(probe(reg, 0, 6, true, 6, 3000), PROBE_NO);
  const ka = msg(0x0000, []);
  assert.equal(probe(ka, 0, ka.length, true, 6, 2000), PROBE_YES);
  assert.equal(probe(ka, 0, ka.length, true, 6, 3000), PROBE_NO);
  // A header version not in use, an unknown id, an impossible length, UDP.
  assert.equal(probe(msg(0x0001, new Array<number>(40).fill(0x41), 0x13), 0, 52, true, 6, 2000), PROBE_NO);
  assert.equal(probe(msg(0x7777, []), 0, 12, true, 6, 2000), PROBE_NO);
  assert.equal(probe(Uint8Array.from([0, 0x20, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]), 0, 12, true, 6, 2000), PROBE_NO);
  assert.equal(probe(reg, 0, reg.length, true, 17, 2000), PROBE_NO);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true, 6, 2000), PROBE_NO);
});

test('the analyzer survives truncated and mutated real messages', async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.map((c) => c.bytes));
  assert.ok(seeds.length >= 40);
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new SccpAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
    parseRegister(b, 0, b.length);
    mediaDestination(b, 0, b.length, 0x14);
    mediaDestination(b, 0, b.length, 0);
  });
});

test('the call manager\'s StartMediaTransmission names the phones\' RTP flows, judged as plain RTP of an SCCP call', async () => {
  // nDPI's SCCP capture and its RTP extract come from one trace: tshark shows Unified CM telling
  // 192.168.195.50 to send to 192.168.195.58:32144 and .58 to send to 192.168.195.50:17718 and
  // to the media termination point 192.168.193.24:9395 (frames 38, 47, 43: skinny.remoteIpv4Address,
  // skinny.remotePortNumber); ndpi-rtp.pcap then holds G.711 (PCMU) both ways between
  // 192.168.195.58:32144 and 192.168.195.50:17718, and 192.168.195.58:32150 to 192.168.193.24:9395.
  const RTP = join(DIR, 'ndpi-rtp.pcap');
  const run = await runCaptures([PCAP, RTP]);
  try {
    const streams = run.log('rtp').filter((l) => String(l['id.orig_h']).startsWith('192.168.195.'));
    assert.deepEqual(
      streams.map((l) => [l['id.orig_p'], l['id.resp_h'], l['id.resp_p'], l.is_orig, l.source, l.codec]),
      [
        [32150, '192.168.193.24', 9395, true, 'sccp', 'PCMU'],
        [32144, '192.168.195.50', 17718, true, 'sccp', 'PCMU'],
        [32144, '192.168.195.50', 17718, false, 'sccp', 'PCMU'],
      ],
    );
  } finally {
    run.cleanup();
  }
  // Each phone sends plain RTP of a call whose signalling crossed in clear: a clear-text finding.
  const a = await assessCaptures([PCAP, RTP]);
  try {
    const rtp = a.result.findings.filter((f) => f.rule === 'cleartext-protocol' && f.title.includes('RTP'));
    const on = rtp.map((f) => a.result.devices.find((d) => d.id === f.device)?.ips ?? []).flat().sort();
    assert.deepEqual(on, ['192.168.195.50', '192.168.195.58']);
    assert.ok(rtp.every((f) => f.evidence.some((e) => /of a Cisco SCCP call as plain RTP/.test(e.value))));
  } finally {
    a.run.cleanup();
  }
  // Alone, the RTP extract's flows are found by their packets, which says nothing of encryption.
  const alone = await runCaptures([RTP]);
  try {
    assert.ok(alone.log('rtp').filter((l) => String(l['id.orig_h']).startsWith('192.168.195.')).every((l) => l.source === 'heuristic'));
  } finally {
    alone.cleanup();
  }
});
