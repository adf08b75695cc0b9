// SIP against real captures: Zeek's sip.log baseline for wireshark.pcap (field by field, the
// request/response pairing included), nDPI's SIP flows (sip.pcap, sip_hello.pcapng, the T.38
// fax call) and its HTTP-on-5060 capture that is not SIP, suricata-verify's sip-user-agent
// (40 requests carrying "Nero") and sip-ssdp-pm (SSDP is not SIP). TCP framing, several
// messages in one datagram and compact header names are exercised on those real messages,
// re-framed in memory (no capture in the corpus carries SIP over TCP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { testConn } from '../../testutil/conn.js';
import { PacketMeta } from '../../decode/packet.js';
import { origAddr } from '../../flow/connlog.js';
import type { Conn } from '../../flow/conn.js';
import { PROBE_NO, PROBE_YES, type AnalyzerContext, type AppEvent } from '../types.js';
import { SipAnalyzer } from './analyzer.js';
import { digestUsername, header, parseSipMessage, type SipMessage } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const UDP = 17;
const TCP = 6;
const WIRESHARK = 'sip/wireshark.pcap';
const VECTORS = new Set(['request_path', 'response_path']);

/** A Zeek TSV cell as our JSON record would print it. */
function cell(v: unknown, field: string): string {
  if (v === undefined) return '-';
  if (VECTORS.has(field)) return (v as string[]).length === 0 ? '(empty)' : (v as string[]).join(',');
  return String(v);
}

test("sip.log matches Zeek's baseline for wireshark.pcap field by field", { skip }, async () => {
  const [b] = zeekBaselines('sip.log').filter((x) => x.trace.endsWith(WIRESHARK));
  assert.ok(b !== undefined, 'the Zeek corpus has the sip.wireshark baseline');
  const want = readZeekTsv(b.baseline);
  const fields = Object.keys(want[0]).filter((f) => f !== 'ts' && f !== 'uid');
  const run = await runCaptures([b.trace]);
  try {
    const got = run.log('sip');
    assert.equal(got.length, want.length);
    // Zeek's uids are random: the same grouping of lines into connections is what must hold.
    const uids = new Map<string, unknown>();
    want.forEach((w, i) => {
      for (const f of fields) assert.equal(cell(got[i][f], f), w[f], `line ${i + 1} ${f}`);
      if (!uids.has(w.uid)) uids.set(w.uid, got[i].uid);
      assert.equal(got[i].uid, uids.get(w.uid), `line ${i + 1} uid grouping`);
    });
    assert.equal(new Set(uids.values()).size, uids.size);
    // wardline's addition: the Digest user name of the authorised retries (tshark: Authorization username="voi18063").
    assert.equal(got[1].username, 'voi18063');
    assert.equal(got[0].username, undefined, 'the first REGISTER carries no Authorization');
  } finally {
    run.cleanup();
  }
});

test('the Digest response hashes and nonces of the capture appear in no log', { skip }, async () => {
  const run = await runCaptures([corpus('zeek', 'traces', WIRESHARK)]);
  try {
    // tshark -e sip.Authorization, frames 3, 8 and 12.
    const secrets = ['bd79fecae600a2eb79d37ec73214830b', 'cc2d4573ee9399f34c1c7f3bf5144103', '29cd776112a709cb9cbe978baff5e478', '1701af566be182070084c6f740706bb'];
    for (const f of readdirSync(join(run.outDir, 'logs'))) {
      const text = readFileSync(join(run.outDir, 'logs', f), 'utf8');
      for (const s of secrets) assert.ok(!text.includes(s), `${s} in ${f}`);
    }
    assert.ok(run.log('sip').some((r) => r.username === 'voi18062'));
  } finally {
    run.cleanup();
  }
});

for (const pcap of ['sip.pcap', 'sip_hello.pcapng', 'FAX-Call-t38-CA-TDM-SIP-FB-1.pcap']) {
  test(`conn.log service is sip on every flow nDPI finds SIP in by inspection (${pcap})`, { skip }, async () => {
    const flows = ndpiFlows(corpus('ndpi', 'result', `${pcap}.out`)).filter((f) => f.app === 'SIP' && /Confidence: DPI\]/.test(f.line));
    assert.ok(flows.length > 0);
    const run = await runCaptures([corpus('ndpi', 'pcap', pcap)]);
    try {
      for (const f of flows) {
        const c = run.conns.find((k) => k.proto === UDP && ((origAddr(k) === f.a && k.oPort === f.aPort) || (origAddr(k) === f.b && k.oPort === f.bPort)));
        assert.equal(c?.service, 'sip', `${f.a}:${f.aPort} <-> ${f.b}:${f.bPort}`);
      }
    } finally {
      run.cleanup();
    }
  });
}

test("HTTP on TCP 5060 is not SIP (nDPI: http_on_sip_port.pcap is HTTP)", { skip }, async () => {
  const [f] = ndpiFlows(corpus('ndpi', 'result', 'http_on_sip_port.pcap.out'));
  assert.equal(f.app, 'HTTP');
  const run = await runCaptures([corpus('ndpi', 'pcap', 'http_on_sip_port.pcap')]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['http']);
    assert.equal(run.log('sip').length, 0);
  } finally {
    run.cleanup();
  }
});

test("SSDP is not SIP (suricata-verify sip-ssdp-pm: no sip_udp flow)", { skip }, async () => {
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'sip-ssdp-pm', 'ssdp.pcap')]);
  try {
    assert.ok(run.conns.length > 0);
    assert.ok(run.conns.every((c) => !c.service.includes('sip')));
  } finally {
    run.cleanup();
  }
});

test('40 requests to the server carry the Nero user agent (suricata-verify sip-user-agent: 40 alerts)', { skip }, async () => {
  const evs: AppEvent[] = [];
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'sip-method', 'sip.pcap')], undefined, { onEvent: (ev) => evs.push(ev) });
  try {
    const nero = evs.filter((e) => e.type === 'software' && e.software_type === 'SIP::CLIENT' && String(e.unparsed_version).includes('Nero'));
    assert.equal(nero.length, 40);
  } finally {
    run.cleanup();
  }
});

test('User-Agent and Server headers become software.log entries for the sender (tshark sip.User-Agent / sip.Server)', { skip }, async () => {
  const soft = async (...p: string[]): Promise<string[]> => {
    const run = await runCaptures([corpus(...p)]);
    try {
      return run
        .log('software')
        .filter((r) => String(r.software_type).startsWith('SIP::'))
        .map((r) => `${r.host} ${r.software_type} ${r.unparsed_version}`)
        .sort();
    } finally {
      run.cleanup();
    }
  };
  const w = await soft('zeek', 'traces', WIRESHARK);
  assert.ok(w.includes('192.168.1.2 SIP::CLIENT Nero SIPPS IP Phone Version 2.0.51.16'));
  assert.ok(w.includes('212.242.33.35 SIP::SERVER Cirpack/v4.38e (gw_sip)'));
  assert.ok(w.includes('200.68.120.81 SIP::SERVER Sip EXpress router (0.8.12 (i386/linux))'));
  const h = await soft('ndpi', 'pcap', 'sip_hello.pcapng');
  assert.deepEqual([...new Set(h.map((s) => s.split(' ').slice(1).join(' ')))], ['SIP::SERVER Huawei SoftX3000 V300R011']);
  const fax = await soft('ndpi', 'pcap', 'FAX-Call-t38-CA-TDM-SIP-FB-1.pcap');
  assert.ok(fax.some((s) => s.endsWith('SIP::CLIENT Arcor/Arcor-1.02.005t2')));
  assert.ok(fax.some((s) => s.endsWith('SIP::SERVER Arcor/Arcor-1.02.005t2')));
});

test('probe() accepts real request and status lines on any port and refuses HTTP on 5060 and SSDP', { skip }, async () => {
  const sip = await payloads(corpus('zeek', 'traces', WIRESHARK), { proto: UDP });
  const real = sip.filter((p) => p.bytes.length > 20);
  assert.ok(real.length > 50);
  for (const p of real) assert.equal(probe(p.bytes, 0, p.bytes.length), PROBE_YES, `packet ${p.packet}`);
  for (const p of await payloads(corpus('ndpi', 'pcap', 'http_on_sip_port.pcap'), { proto: TCP })) assert.equal(probe(p.bytes, 0, p.bytes.length), PROBE_NO);
  for (const p of await payloads(corpus('suricata-verify', 'tests', 'sip-ssdp-pm', 'ssdp.pcap'))) assert.equal(probe(p.bytes, 0, p.bytes.length), PROBE_NO);
});

class FakeCtx implements AnalyzerContext {
  readonly packet = new PacketMeta();
  events: AppEvent[] = [];
  weirds: string[] = [];
  services: string[] = [];
  constructor(readonly conn: Conn) {}
  emit(ev: AppEvent): void {
    this.events.push(ev);
  }
  weird(name: string): void {
    this.weirds.push(name);
  }
  released = false;
  release(): void {
    this.released = true;
  }
  confirm(s: string): void {
    this.services.push(s);
  }
}

/** The orig → resp and resp → orig datagrams of wireshark.pcap's first conversation (192.168.1.2 ↔ 212.242.33.35). */
async function conversation(): Promise<{ orig: boolean; bytes: Uint8Array }[]> {
  const all = await payloads(corpus('zeek', 'traces', WIRESHARK), { proto: UDP });
  return all.filter((p) => p.bytes.length > 20 && p.srcPort === 5060 && p.dstPort === 5060).map((p) => ({ orig: p.bytes.subarray(0, 8).toString() !== 'SIP/2.0 ' && Buffer.from(p.bytes.subarray(0, 8)).toString() !== 'SIP/2.0 ', bytes: p.bytes }));
}

function strip(evs: AppEvent[]): unknown[] {
  return evs.filter((e) => e.type === 'sip.transaction').map((e) => ({ ...e, tsSec: 0, tsNsec: 0, packet: 0 }));
}

test('over TCP, messages are framed by Content-Length whatever the segment sizes (real messages, re-framed)', { skip }, async () => {
  const conv = await conversation();
  const whole = (b: { orig: boolean; bytes: Uint8Array }[], size: number): FakeCtx => {
    const ctx = new FakeCtx(testConn(TCP, 40000, 5060));
    const a = new SipAnalyzer();
    for (const m of b) for (let i = 0; i < m.bytes.length; i += size) a.data(ctx, m.orig, m.bytes, i, Math.min(size, m.bytes.length - i));
    a.end(ctx);
    return ctx;
  };
  const ref = whole(conv, 1 << 20);
  const n = strip(ref.events).length;
  assert.ok(n > 20);
  assert.deepEqual(ref.weirds, []);
  assert.deepEqual([...new Set(ref.services)], ['sip']);
  // An INVITE with its 270-byte SDP body is followed by the next message in the same stream.
  const bodies = conv.filter((m) => (parseSipMessage(m.bytes, 0, m.bytes.length, true) as SipMessage).bodyLen > 0);
  assert.ok(bodies.length > 0);
  for (const size of [1, 7, 100, 1400]) assert.deepEqual(strip(whole(conv, size).events), strip(ref.events), `segments of ${size}`);
});

test('several messages in one datagram are all read (real messages, joined)', { skip }, async () => {
  const conv = await conversation();
  const reqs = conv.filter((m) => m.orig).slice(0, 3);
  const one = new Uint8Array(reqs.reduce((s, m) => s + m.bytes.length, 0));
  let o = 0;
  for (const m of reqs) {
    one.set(m.bytes, o);
    o += m.bytes.length;
  }
  const ctx = new FakeCtx(testConn(UDP, 5060, 5060));
  new SipAnalyzer().data(ctx, true, one, 0, one.length);
  assert.equal(ctx.events.filter((e) => e.type === 'software').length, 3);
  assert.deepEqual(ctx.weirds, []);
});

test('compact header names read as their full forms (RFC 3261 §7.3.3; synthetic message from §20 examples)', () => {
  const msg = 'INVITE sip:bob@biloxi.example.com SIP/2.0\r\nv: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nf: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\nt: Bob <sip:bob@biloxi.example.com>\r\ni: a84b4c76e66710@pc33.atlanta.example.com\r\nCSeq: 314159 INVITE\r\nm: <sip:alice@pc33.atlanta.example.com>\r\nk: 100rel\r\ns: Need more boxes\r\nc: application/sdp\r\nl: 5\r\n\r\nv=0\r\n\r\n';
  const b = new TextEncoder().encode(msg);
  const r = parseSipMessage(b, 0, b.length, false) as SipMessage;
  assert.equal(r.kind, 'request');
  assert.deepEqual(r.headers.map((h) => h[0]), ['VIA', 'FROM', 'TO', 'CALL-ID', 'CSEQ', 'CONTACT', 'SUPPORTED', 'SUBJECT', 'CONTENT-TYPE', 'CONTENT-LENGTH']);
  assert.equal(header(r, 'CALL-ID'), 'a84b4c76e66710@pc33.atlanta.example.com');
  assert.equal(r.bodyLen, 5);
  assert.equal(r.consumed, b.length - 2, 'the body ends at Content-Length, not at the end of the bytes');
  const ctx = new FakeCtx(testConn(TCP, 40000, 5060));
  const a = new SipAnalyzer();
  a.data(ctx, true, b, 0, b.length);
  a.end(ctx);
  const [tx] = ctx.events.filter((e) => e.type === 'sip.transaction');
  assert.equal(tx.request_from, 'Alice <sip:alice@atlanta.example.com>', 'the tag is cut off as Zeek does');
  assert.deepEqual(tx.request_path, ['SIP/2.0/TCP pc33.atlanta.example.com']);
  assert.equal(tx.subject, 'Need more boxes');
  assert.equal(tx.request_body_len, 5);
});

test('a stream waits for the whole body before the message counts', () => {
  const b = new TextEncoder().encode('SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\n12345');
  assert.equal(parseSipMessage(b, 0, b.length, false), 'need_more');
  const d = parseSipMessage(b, 0, b.length, true) as SipMessage;
  assert.equal(d.bodyLen, 5, 'a datagram shorter than its Content-Length keeps what it has (§18.3)');
  assert.equal(parseSipMessage(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), 0, 18, false), 'bad');
});

test('digestUsername() reads quoted and bare user names and nothing from Basic', () => {
  assert.equal(digestUsername('Digest username="voi18063",realm="sip.cybercity.dk",response="bd79"'), 'voi18063');
  assert.equal(digestUsername('Digest realm="x", username=bob, nonce="1"'), 'bob');
  assert.equal(digestUsername('Digest realm="x", nonce="1"'), undefined);
  assert.equal(digestUsername('Basic Ym9iOnNlY3JldA=='), undefined);
});

test('parseSipMessage() survives truncation and mutation of real messages', { skip }, async () => {
  const seeds = (await payloads(corpus('zeek', 'traces', WIRESHARK), { proto: UDP })).slice(0, 40).map((p) => p.bytes);
  seeds.push(...(await payloads(corpus('ndpi', 'pcap', 'FAX-Call-t38-CA-TDM-SIP-FB-1.pcap'), { proto: UDP })).filter((p) => p.srcPort === 5060).slice(0, 10).map((p) => p.bytes));
  fuzzParser(seeds, (b) => {
    parseSipMessage(b, 0, b.length, true);
    parseSipMessage(b, 0, b.length, false);
    probe(b, 0, b.length);
    const ctx = new FakeCtx(testConn(UDP, 5060, 5060));
    const a = new SipAnalyzer();
    a.data(ctx, true, b, 0, b.length);
    a.data(ctx, false, b, 0, b.length);
    a.end(ctx);
  });
});
