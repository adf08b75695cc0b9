// MGCP on nDPI's captures (test/fixtures/ndpi/ndpi-mgcp.pcap: a Cisco VG224 and its call agent,
// a Mediatrix gateway answering 510 to its agent's RQNTs, scanners' RQNTs from the Internet).
// Expectations are tshark 4.0's decode of every message (ndpi-mgcp.tshark.tsv, read by the test)
// and ndpiReader 4.2's labels (ndpi-mgcp.pcap.out). What no capture holds — piggy-backed messages,
// SDP in a CRCX reply and an MDCX, an AUEP reply with A: capabilities, a provisional response,
// dialled digits in an NTFY and a caller-id signal — is in the synthetic call below, written from
// RFC 3435's message formats (its §2.3 examples' style), not from any capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writeUdpPcap } from '../../testutil/pcapwriter.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MgcpAnalyzer } from './analyzer.js';
import { codecNames, endpointDomain, eventNames, parseMgcp } from './parse.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-mgcp.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

interface TsharkRow {
  frame: number;
  src: string;
  dst: string;
  verb: string;
  transid: string;
  endpoint: string;
  version: string;
  code: string;
  text: string;
  reqframe: string;
  reqDup: string;
  rspDup: string;
  requestId: string;
  reqEvents: string;
  observed: string;
  restartMethod: string;
  mode: string;
  codecs: string;
}

/** ndpi-mgcp.tshark.tsv: one row per datagram (one message each in this capture). */
function tshark(): TsharkRow[] {
  return readFileSync(join(DIR, 'ndpi-mgcp.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return { frame: Number(f[0]), src: f[1], dst: f[3], verb: f[5], transid: f[6], endpoint: f[7], version: f[8], code: f[9], text: f[10], reqframe: f[11], reqDup: f[12], rspDup: f[13], requestId: f[14], reqEvents: f[15], observed: f[16], restartMethod: f[17], mode: f[19], codecs: f[20] };
    });
}

type Row = Record<string, unknown>;
/** The address that sent a logged transaction's command. */
const commandSender = (l: Row): unknown => (l.is_orig === true ? l['id.orig_h'] : l['id.resp_h']);

test('mgcp.log: every command with its response as tshark decodes and pairs them; conn.log mgcp on every flow', async () => {
  const rows = tshark();
  const commands = rows.filter((r) => r.verb !== '');
  const responses = rows.filter((r) => r.code !== '');
  assert.deepEqual([rows.length, commands.length, responses.length], [23, 13, 10]);
  // A response answers the latest earlier command of its transaction id from the other side; where
  // tshark calls neither a duplicate, that is the request frame it names.
  const answer = new Map<number, TsharkRow>();
  for (const r of responses) {
    const c = commands.filter((x) => x.frame < r.frame && x.transid === r.transid && x.src === r.dst).at(-1)!;
    if (r.rspDup === '') assert.equal(String(c.frame), r.reqframe, `frame ${r.frame}`);
    answer.set(c.frame, r);
  }
  const expected = commands.map((c) => {
    const r = answer.get(c.frame);
    return [c.src, c.verb, c.transid, c.endpoint, c.version, c.requestId || undefined, c.reqEvents === '' ? undefined : [c.reqEvents], c.restartMethod || undefined, r === undefined ? undefined : Number(r.code), r?.text || undefined];
  });
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('mgcp');
    const got = log.map((l) => [commandSender(l), l.verb, l.transaction_id, l.endpoint, l.version, l.request_id, l.requested_events, l.restart_method, l.response_code, l.response_text]);
    const key = (x: unknown[]): string => JSON.stringify(x);
    assert.deepEqual(got.map(key).sort(), expected.map(key).sort());
    // The AUEP reply (frame 16): tshark's codecs of its seven L: lines and its modes.
    const auep = log.find((l) => l.verb === 'AUEP')!;
    const f16 = rows.find((r) => r.frame === 16)!;
    assert.deepEqual(auep.capabilities, [...new Set(f16.codecs.split(/[,;]/))]);
    assert.equal(auep.mode, f16.mode);
    assert.equal(auep.codecs, undefined, 'the AUEP command asked for none');
    // The NTFY's O: is empty (tshark shows none), so no observed events.
    assert.equal(rows.find((r) => r.verb === 'NTFY')!.observed, '');
    assert.equal(log.find((l) => l.verb === 'NTFY')!.observed_events, undefined);
    // Round trips: answered transactions only, and each the time between its two datagrams.
    assert.ok(log.filter((l) => l.response_code !== undefined).every((l) => typeof l.rtt === 'number' && (l.rtt as number) > 0 && (l.rtt as number) < 0.1));
    assert.ok(log.filter((l) => l.response_code === undefined).every((l) => l.rtt === undefined));
    // Every flow on 2427 is MGCP: nDPI's two gateway flows (the 172.16.1.x one is split by the 76 s
    // pause, which outlasts the UDP flow timeout) and the scanners' CR-only RQNTs, which nDPI
    // leaves Unknown and tshark decodes.
    const ndpi = ndpiFlows(join(DIR, 'ndpi-mgcp.pcap.out'));
    assert.deepEqual(ndpi.map((f) => f.app).sort(), ['MGCP', 'MGCP', 'Unknown', 'Unknown', 'Unknown']);
    const conns = run.log('conn');
    assert.equal(conns.length, 6);
    for (const c of conns) assert.equal(c.service, 'mgcp', `${String(c['id.orig_h'])}:${String(c['id.orig_p'])}`);
    for (const f of ndpi) assert.ok(conns.some((c) => (c['id.orig_h'] === f.a && c['id.orig_p'] === f.aPort) || (c['id.orig_h'] === f.b && c['id.orig_p'] === f.bPort)), f.line);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test('the VG224 and the Mediatrix gateway are media gateways named by their endpoint domains, their peers call agents; the scanners make no device; MGCP is a clear-text finding on each gateway', async () => {
  const { devices } = await runInventory([PCAP]);
  const roles = (ip: string): string[] => deviceWithIp(devices, ip)!.evidence.filter((e) => e.fact === 'role').map((e) => e.value);
  const vg = deviceWithIp(devices, '10.10.228.72')!;
  assert.deepEqual([vg.category, vg.hostnames, roles('10.10.228.72')], ['network', ['vg224'], ['media-gateway']]);
  assert.deepEqual(vg.evidence.filter((e) => e.fact === 'mgcp.analog_line').map((e) => e.value), ['AALN/S2/1']);
  const gw44 = deviceWithIp(devices, '172.16.1.119')!;
  assert.deepEqual([gw44.category, gw44.hostnames, roles('172.16.1.119')], ['network', ['gateway44.myplace.com'], ['media-gateway']]);
  for (const ip of ['10.10.244.2', '172.16.1.116']) {
    const ca = deviceWithIp(devices, ip)!;
    assert.deepEqual([ca.category, ca.hostnames, roles(ip)], ['server', [], ['mgcp-call-agent']], ip);
  }
  for (const ip of ['187.43.37.188', '196.167.59.124', '67.232.180.250', '186.112.128.179', '92.173.166.213', '83.250.239.33']) assert.equal(deviceWithIp(devices, ip), undefined, ip);
  const a = await assessCaptures([PCAP]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol');
    assert.deepEqual(clear.map((f) => [f.device, f.title]).sort(), [
      ['ip:10.10.228.72', 'Clear-text MGCP served on port 2427'],
      ['ip:172.16.1.119', 'Clear-text MGCP served on port 2427'],
    ]);
    assert.ok(clear[0].remediation.startsWith('Protect MGCP between the gateways and the call agents with IPsec'));
  } finally {
    a.run.cleanup();
  }
});

// A synthetic analog call on a gateway (10.20.0.10:2427) driven by its call agent (10.20.0.2:2727),
// in RFC 3435's message formats. Dialled digits (9, 5551234) and a caller-id signal's number and
// name must appear in no output.
const AGENT = '10.20.0.2';
const GATEWAY = '10.20.0.10';
const CALL: [boolean, string][] = [
  [true, 'AUEP 1200 aaln/1@rgw-2567.example.net MGCP 1.0\r\nF: A\r\n'],
  [false, '200 1200 OK\r\nA: a:PCMU;G728, p:10-100, e:on, s:off, v:L;S, m:sendonly;recvonly;sendrecv;inactive\r\nA: a:G729, p:30-90, e:on, s:on, v:L;S, m:sendonly;recvonly;sendrecv;inactive;confrnce\r\n'],
  // The gateway's off-hook and digits, then the agent's caller-id signal on the second line.
  [false, 'NTFY 2002 aaln/1@rgw-2567.example.net MGCP 1.0\nN: ca@ca1.example.net:2727\nX: 0123456789AC\nO: L/hd,D/9,D/5,D/5,D/5,D/1,D/2,D/3,D/4\n'],
  [true, '200 2002 OK\n'],
  [true, 'RQNT 1205 aaln/2@rgw-2567.example.net MGCP 1.0\nX: 0123456789AD\nR: L/hd(N)\nS: L/rg,L/ci(10/14/17/26, "5551234", "Nurse Station 4")\n'],
  [false, '200 1205 OK\n'],
  // CRCX answered first provisionally, then with the gateway's own session description.
  [true, 'CRCX 1204 aaln/1@rgw-2567.example.net MGCP 1.0\nC: A3C47F21456789F0\nL: p:10, a:PCMU\nM: recvonly\n'],
  [false, '100 1204 In progress\n'],
  [false, '200 1204 OK\nI: FDE234C8\n\nv=0\no=- 25678 753849 IN IP4 128.96.41.1\ns=-\nc=IN IP4 128.96.41.1\nt=0 0\nm=audio 3456 RTP/AVP 0\n'],
  // MDCX carrying the far end's description; then a piggy-backed RQNT and DLCX, answered together.
  [true, 'MDCX 1210 aaln/1@rgw-2567.example.net MGCP 1.0\nC: A3C47F21456789F0\nI: FDE234C8\nM: sendrecv\n\nv=0\no=- 4723891 7428910 IN IP4 128.96.63.25\ns=-\nc=IN IP4 128.96.63.25\nt=0 0\nm=audio 1296 RTP/AVP 0 18\n'],
  [false, '200 1210 OK\n'],
  [true, 'RQNT 1211 aaln/1@rgw-2567.example.net MGCP 1.0\nX: 0123456789AE\nR: L/hu(N),D/[0-9#*T](D)\nS: D/5551234\n.\nDLCX 1212 aaln/1@rgw-2567.example.net MGCP 1.0\nC: A3C47F21456789F0\nI: FDE234C8\n'],
  [false, '200 1211 OK\n.\n250 1212 OK\nP: PS=1245, OS=62345, PR=780, OR=45123, PL=10, JI=27, LA=48\n'],
  // A response acknowledgement (§3.5.6): no transaction of its own.
  [true, '000 1212\n'],
];
const SECRETS = ['5551234', '95551234', 'Nurse Station'];

function callPcap(): string {
  return writeUdpPcap(CALL.map(([fromAgent, text], i) => ({ ts: 1700000000 + i / 100, ...hop(fromAgent ? AGENT : GATEWAY, fromAgent ? 2727 : 2427, fromAgent ? GATEWAY : AGENT, fromAgent ? 2427 : 2727), payload: enc(text) })));
}

/** A datagram's addresses, each host with its own MAC (02:00:00:00:00:<last octet>). */
function hop(src: string, sport: number, dst: string, dport: number): { src: string; sport: number; dst: string; dport: number; srcMac: string; dstMac: string } {
  const mac = (ip: string): string => `02:00:00:00:00:${Number(ip.split('.')[3]).toString(16).padStart(2, '0')}`;
  return { src, sport, dst, dport, srcMac: mac(src), dstMac: mac(dst) };
}

test('synthetic call: piggy-backed messages, SDP of a CRCX reply and an MDCX, A: capabilities, a provisional response; digits and caller id never kept', async () => {
  const path = callPcap();
  const run = await runCaptures([path]);
  try {
    const log = run.log('mgcp');
    const by = (verb: string): Row => log.find((l) => l.verb === verb && l.transaction_id !== '1205')!;
    assert.deepEqual(log.map((l) => [l.verb, l.transaction_id, l.response_code]), [
      ['AUEP', '1200', 200],
      ['NTFY', '2002', 200],
      ['RQNT', '1205', 200],
      ['CRCX', '1204', 200],
      ['MDCX', '1210', 200],
      ['RQNT', '1211', 200],
      ['DLCX', '1212', 250],
    ]);
    assert.deepEqual(by('AUEP').capabilities, ['PCMU', 'G728', 'G729']);
    const ntfy = by('NTFY');
    assert.deepEqual([ntfy.is_orig, ntfy.observed_events, ntfy.notified_entity], [false, ['L/hd', 'D'], 'ca@ca1.example.net:2727']);
    assert.deepEqual(log.find((l) => l.transaction_id === '1205')!.signals, ['L/rg', 'L/ci']);
    const crcx = by('CRCX');
    assert.deepEqual([crcx.call_id, crcx.connection_id, crcx.mode, crcx.codecs, crcx.media, crcx.media_addresses], ['A3C47F21456789F0', 'FDE234C8', 'recvonly', ['PCMU'], ['audio PCMU'], ['128.96.41.1:3456']]);
    const mdcx = by('MDCX');
    assert.deepEqual([mdcx.mode, mdcx.media, mdcx.media_addresses], ['sendrecv', ['audio PCMU G729'], ['128.96.63.25:1296']]);
    const rqnt = by('RQNT');
    assert.deepEqual([rqnt.requested_events, rqnt.signals], [['L/hu(N)', 'D/[0-9#*T](D)'], ['D']]);
    assert.equal(by('DLCX').connection_params, 'PS=1245, OS=62345, PR=780, OR=45123, PL=10, JI=27, LA=48');
    assert.deepEqual(run.conns.map((c) => c.service), ['mgcp']);
    assert.equal(run.log('weird').length, 0);
    const all = JSON.stringify([run.log('mgcp'), run.log('conn')]);
    for (const s of SECRETS) assert.ok(!all.includes(s), s);
  } finally {
    run.cleanup();
  }
  const { devices } = await runInventory([path]);
  const gw = deviceWithIp(devices, GATEWAY)!;
  assert.deepEqual([gw.category, gw.hostnames], ['network', ['rgw-2567.example.net']]);
  assert.deepEqual(gw.evidence.filter((e) => e.fact === 'mgcp.analog_line').map((e) => e.value).sort(), ['aaln/1', 'aaln/2']);
  assert.equal(deviceWithIp(devices, AGENT)!.category, 'server');
  for (const s of SECRETS) assert.ok(!JSON.stringify(devices).includes(s), s);
});

test('an endpoint domain that is an address names no host; an unanswered command names no gateway', async () => {
  const path = writeUdpPcap([
    { ts: 1700000000, ...hop('10.30.0.10', 2427, '10.30.0.2', 2727), payload: enc('RSIP 5 *@[10.30.0.10] MGCP 1.0\nRM: restart\n') },
    { ts: 1700000001, ...hop('10.30.0.2', 2727, '10.30.0.10', 2427), payload: enc('200 5 OK\n') },
    // Someone's RQNT to another host, never answered.
    { ts: 1700000002, ...hop('10.30.0.99', 40000, '10.30.0.50', 2427), payload: enc('RQNT 1 *@gateway44.myplace.com MGCP 0.1\rR: l/hd(n)\rX: 1\r') },
  ]);
  const { devices } = await runInventory([path]);
  const gw = deviceWithIp(devices, '10.30.0.10')!;
  assert.deepEqual([gw.category, gw.hostnames], ['network', []]);
  assert.equal(deviceWithIp(devices, '10.30.0.2')!.category, 'server');
  for (const ip of ['10.30.0.99', '10.30.0.50']) assert.ok(!(deviceWithIp(devices, ip)?.evidence ?? []).some((e) => e.fact === 'role'), ip);
});

test('a response alone names MGCP on its ports only; a command line anywhere', async () => {
  const path = writeUdpPcap([
    { ts: 1700000000, src: '10.40.0.1', sport: 5555, dst: '10.40.0.2', dport: 5556, payload: enc('200 1234 OK\n') },
    { ts: 1700000000, src: '10.40.0.1', sport: 5557, dst: '10.40.0.2', dport: 2727, payload: enc('200 1234 OK\n') },
    { ts: 1700000000, src: '10.40.0.1', sport: 5558, dst: '10.40.0.2', dport: 6000, payload: enc('RSIP 1 *@gw1 MGCP 1.0\nRM: restart\n') },
  ]);
  const run = await runCaptures([path]);
  try {
    assert.deepEqual(run.conns.map((c) => [c.rPort, c.service]).sort((a, b) => Number(a[0]) - Number(b[0])), [
      [2727, 'mgcp'],
      [5556, ''],
      [6000, 'mgcp'],
    ]);
  } finally {
    run.cleanup();
  }
});

test('probe(): a whole command line is MGCP anywhere, a response line only a maybe; SIP, HTTP and near misses are not', async () => {
  const p = (s: string, proto = 17): number => {
    const b = enc(s);
    return probe(b, 0, b.length, true, proto);
  };
  for (const f of await flowBytes(PCAP)) for (const c of f.chunks) assert.equal(probe(c.bytes, 0, c.bytes.length, c.isOrig, 17), /^[A-Z]/.test(String.fromCharCode(c.bytes[0])) ? PROBE_YES : PROBE_MAYBE);
  assert.equal(p('CRCX 1204 aaln/1@rgw-2567.whatever.net MGCP 1.0 NCS 1.0\r\nC: A3C47F21456789F0\r\n'), PROBE_YES);
  assert.equal(p('xabc 12 ds/ds1-1/1@gw MGCP 1.0'), PROBE_YES);
  assert.equal(p('200 1204 OK\n'), PROBE_MAYBE);
  assert.equal(p('CRCX 1204 aaln/1@gw MGCP 1.0\n', 6), PROBE_NO);
  assert.equal(p('INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com\r\n'), PROBE_NO);
  assert.equal(p('SIP/2.0 200 OK\r\n'), PROBE_NO);
  assert.equal(p('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), PROBE_NO);
  assert.equal(p('RQNT 1 aaln/1 MGCP 1.0\n'), PROBE_NO, 'no @domain');
  assert.equal(p('RQNT 1234567890 aaln/1@gw MGCP 1.0\n'), PROBE_NO, 'ten-digit transaction id');
  assert.equal(p('RQNT 1 aaln/1@gw SIP 1.0\n'), PROBE_NO);
  assert.equal(p('FOOO 1 aaln/1@gw MGCP 1.0\n'), PROBE_NO);
  assert.equal(p('2000 1 OK\n'), PROBE_NO);
  assert.equal(p(`RQNT 1 aaln/1@${'g'.repeat(600)} MGCP 1.0\n`), PROBE_NO);
});

test('parsers: event names without digits or signal parameters, codecs, endpoint domains, piggy-backing and damage', () => {
  assert.deepEqual(eventNames('L/hd(N),D/[0-9#*T](D),T/co1', true), ['L/hd(N)', 'D/[0-9#*T](D)', 'T/co1']);
  assert.deepEqual(eventNames('L/hd(A, E(S(L/dl)))', true), ['L/hd']);
  assert.deepEqual(eventNames('D/95551234T,9,1,2,#', false), ['D']);
  assert.deepEqual(eventNames('L/hu@FDE234C8,G/ft', false), ['L/hu@FDE234C8', 'G/ft']);
  assert.deepEqual(eventNames('L/ci(10/14/17/26,"5551234","Nurse")', false), ['L/ci']);
  const codecs: string[] = [];
  codecNames('p:10-20, a:PCMU;PCMA;G.nX64, b:64, e:on', codecs);
  assert.deepEqual(codecs, ['PCMU', 'PCMA', 'G.nX64']);
  assert.deepEqual(['*@vg224', 'aaln/1@gw.example.net:2427', 'ds/ds1-1/1@[10.0.0.1]', 'nodomain'].map(endpointDomain), ['vg224', 'gw.example.net', '[10.0.0.1]', '']);
  const parse = (text: string): ReturnType<typeof parseMgcp> => {
    const b = enc(text);
    return parseMgcp(b, 0, b.length);
  };
  const two = parse('200 1 OK\n.\n\n510 2 bad\n');
  assert.ok(typeof two !== 'string');
  assert.deepEqual(two.messages.map((m) => [m.code, m.transactionId, m.commentary]), [[200, '1', 'OK'], [510, '2', 'bad']]);
  assert.equal(parse('hello world\n'), 'bad_first_line');
  const damaged = parse('200 1 OK\nnot a parameter\n.\ngarbage\n');
  assert.ok(typeof damaged !== 'string');
  assert.deepEqual([damaged.messages.length, damaged.damage], [1, 'bad_parameter_line']);
  const out = feedAnalyzer(new MgcpAnalyzer(), [{ isOrig: true, bytes: enc('RQNT 7 aaln/1@gw MGCP 1.0\nX: 1\n') }, { isOrig: true, bytes: enc('RQNT 7 aaln/1@gw MGCP 1.0\nX: 1\n') }, { isOrig: true, bytes: enc('%%%\n') }], 17);
  assert.deepEqual(out.weirds, ['mgcp.bad_first_line']);
  assert.deepEqual(out.events.map((e) => [e.verb, e.retransmissions, e.response_code]), [['RQNT', 1, undefined]]);
});

test('a flood of unanswered commands keeps at most 64 waiting, logging the oldest', () => {
  const chunks = Array.from({ length: 70 }, (_, i) => ({ isOrig: true, bytes: enc(`RQNT ${i + 1} aaln/1@gw MGCP 1.0\n`) }));
  const out = feedAnalyzer(new MgcpAnalyzer(), chunks, 17);
  assert.equal(out.events.length, 70);
  assert.deepEqual(out.events.slice(0, 6).map((e) => e.transaction_id), ['1', '2', '3', '4', '5', '6']);
  assert.ok(out.weirds.includes('mgcp.too_many_pending'));
});

test('the analyzer survives the real and synthetic datagrams truncated and mutated', async () => {
  const seeds = (await flowBytes(PCAP)).flatMap((f) => f.chunks.map((c) => c.bytes));
  for (const [, text] of CALL) seeds.push(enc(text));
  fuzzParser(seeds, (b) => {
    parseMgcp(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
    feedAnalyzer(new MgcpAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ], 17);
  });
});
