// Link types beyond Ethernet that firewalls and serial links write, and L2TP's PPP: Linux NFLOG (a real capture
// of netfilter's log target, test/fixtures/generated/nflog/generate.sh), and PPP (bare, in
// HDLC-like framing, pppd's with its direction octet, over Ethernet) and Cisco HDLC. No PPP
// driver exists on this machine, so those captures are made here from the same exchange's
// Ethernet capture: each frame's IP packet, unchanged, behind the framing RFC 1661/1662, RFC 2516
// and Cisco HDLC give it (tshark 4.0 decodes each to the same two HTTP requests; LINKTYPE_PPP_PPPD,
// which tshark does not read, as tcpdump 4.99 does).
// Expectations: tshark's reading of the Ethernet capture — two connections (IPv4 and IPv6),
// GET /status.txt with User-Agent "WardBoard/2.1 (status kiosk)", 200; over IPv4 the
// server's FIN comes first (frames 10, 11), over IPv6 the client's (22, 23) — the same from every link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { tempDir } from '../testutil/tmp.js';
import { rng } from '../testutil/fuzz.js';
import { Analysis } from '../engine/analyze.js';
import { CaptureError } from '../capture/errors.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const NFLOG = join(GEN, 'generated-nflog.pcap');
const ETHER = join(GEN, 'generated-nflog-ether.pcap');

/** The records of a little-endian microsecond pcap: their 16-byte headers and frames. */
function records(path: string): { hdr: Buffer; frame: Buffer }[] {
  const b = readFileSync(path);
  const out: { hdr: Buffer; frame: Buffer }[] = [];
  for (let p = 24; p + 16 <= b.length; ) {
    const n = b.readUInt32LE(p + 8);
    out.push({ hdr: b.subarray(p, p + 16), frame: b.subarray(p + 16, p + 16 + n) });
    p += 16 + n;
  }
  return out;
}

/** The Ethernet capture's IP packets behind `frame(ip, isV6, i)`, as a pcap of `linkType`. */
function rewrap(linkType: number, frame: (ip: Buffer, v6: boolean, i: number) => Buffer): string {
  const gh = Buffer.from(readFileSync(ETHER).subarray(0, 24));
  gh.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [gh];
  records(ETHER).forEach(({ hdr, frame: f }, i) => {
    const v6 = f.readUInt16BE(12) === 0x86dd;
    const body = frame(f.subarray(14), v6, i);
    const h = Buffer.from(hdr);
    h.writeUInt32LE(body.length, 8);
    h.writeUInt32LE(body.length, 12);
    parts.push(h, body);
  });
  const path = join(tempDir('wardline-links-'), `linktype-${linkType}.pcap`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

const pppProto = (v6: boolean): Buffer => Buffer.from(v6 ? [0x00, 0x57] : [0x00, 0x21]);

async function summary(path: string): Promise<{ conns: unknown[]; http: unknown[]; weird: number }> {
  const run = await runCaptures([path]);
  try {
    return {
      conns: run.log('conn').map((c) => [c['id.orig_h'], c['id.orig_p'], c['id.resp_h'], c['id.resp_p'], c.service, c.history, c.orig_bytes, c.resp_bytes, c.conn_state]),
      http: run.log('http').map((h) => [h['id.orig_h'], h.method, h.host, h.uri, h.user_agent, h.status_code, h.response_body_len]),
      weird: run.log('weird').length,
    };
  } finally {
    run.cleanup();
  }
}

test('the Ethernet capture as tshark reads it', async () => {
  const s = await summary(ETHER);
  assert.deepEqual(s.http, [
    ['10.98.0.2', 'GET', '10.98.0.1:8080', '/status.txt', 'WardBoard/2.1 (status kiosk)', 200, 20],
    ['fd98::2', 'GET', '[fd98::1]:8080', '/status.txt', 'WardBoard/2.1 (status kiosk)', 200, 20],
  ]);
  assert.deepEqual(s.conns.map((c) => (c as unknown[]).slice(4, 6)), [['http', 'ShADadfF'], ['http', 'ShADadFf']]);
});

test('NFLOG (netfilter log target, real capture): the same connections and requests as on Ethernet', async () => {
  const ether = await summary(ETHER);
  const nflog = await summary(NFLOG);
  assert.deepEqual(nflog, ether);
});

const FRAMINGS: [string, number, (ip: Buffer, v6: boolean, i: number) => Buffer][] = [
  ['PPP with HDLC-like framing (LINKTYPE_PPP, FF 03)', 9, (ip, v6) => Buffer.concat([Buffer.from([0xff, 0x03]), pppProto(v6), ip])],
  ['PPP without address and control, protocol field compressed (LINKTYPE_PPP)', 9, (ip, v6) => Buffer.concat([Buffer.from([v6 ? 0x57 : 0x21]), ip])],
  ['PPP in HDLC framing (LINKTYPE_PPP_HDLC)', 50, (ip, v6) => Buffer.concat([Buffer.from([0xff, 0x03]), pppProto(v6), ip])],
  ["pppd's PPP, the address octet replaced by the direction (LINKTYPE_PPP_PPPD)", 166, (ip, v6, i) => Buffer.concat([Buffer.from([i % 2, 0x03]), pppProto(v6), ip])],
  ['PPPoE session (LINKTYPE_PPP_ETHER)', 51, (ip, v6) => {
    const h = Buffer.from([0x11, 0x00, 0x12, 0x34, 0, 0]);
    h.writeUInt16BE(ip.length + 2, 4);
    return Buffer.concat([h, pppProto(v6), ip]);
  }],
  ['Cisco HDLC (LINKTYPE_C_HDLC)', 104, (ip, v6) => Buffer.concat([Buffer.from([0x0f, 0x00, v6 ? 0x86 : 0x08, v6 ? 0xdd : 0x00]), ip])],
];

for (const [name, lt, wrap] of FRAMINGS) {
  test(`${name}: the same connections and requests as on Ethernet`, async () => {
    const ether = await summary(ETHER);
    assert.deepEqual(await summary(rewrap(lt, wrap)), ether);
  });
}

/** An L2TPv2 data message (RFC 2661 §3.1: L and S set, tunnel 7, session 9) in UDP 1701 in IPv4 in Ethernet, around a PPP frame. */
function l2tp(ppp: Buffer, i: number): Buffer {
  const l2 = Buffer.alloc(12);
  l2.writeUInt16BE(0x4802, 0);
  l2.writeUInt16BE(12 + ppp.length, 2);
  l2.writeUInt16BE(7, 4);
  l2.writeUInt16BE(9, 6);
  l2.writeUInt16BE(i, 8);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(1701, 0);
  udp.writeUInt16BE(1701, 2);
  udp.writeUInt16BE(8 + l2.length + ppp.length, 4);
  const ip = Buffer.from([0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0, 192, 168, 77, 1, 192, 168, 77, 2]);
  ip.writeUInt16BE(20 + udp.length + l2.length + ppp.length, 2);
  const eth = Buffer.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
  return Buffer.concat([eth, ip, udp, l2, ppp]);
}

test('L2TP (UDP 1701) data messages: the PPP frames inside give the same connections and requests; the carrier is named l2tp', async () => {
  const ether = await summary(ETHER);
  const path = rewrap(1, (ip, v6, i) => l2tp(Buffer.concat([Buffer.from([0xff, 0x03]), pppProto(v6), ip]), i));
  const s = await summary(path);
  assert.deepEqual(s.http, ether.http);
  assert.deepEqual(s.conns.filter((c) => (c as unknown[])[3] !== 1701), ether.conns);
  assert.deepEqual(s.conns.filter((c) => (c as unknown[])[3] === 1701).map((c) => (c as unknown[]).slice(0, 5)), [['192.168.77.1', 1701, '192.168.77.2', 1701, 'l2tp']]);
  assert.equal(s.weird, 0);
});

test('PPP link control and truncated headers are counted, never a crash', async () => {
  // An LCP Configure-Request (protocol C021) and a one-octet frame.
  const path = rewrap(9, (ip, v6, i) => (i === 0 ? Buffer.from([0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04]) : i === 1 ? Buffer.from([0xff]) : Buffer.concat([Buffer.from([0xff, 0x03]), pppProto(v6), ip])));
  const run = await runCaptures([path]);
  try {
    assert.deepEqual(run.log('weird').map((w) => w.name), ['ppp.truncated']);
  } finally {
    run.cleanup();
  }
});

test('mutated NFLOG, PPP, PPPoE and Cisco HDLC captures never crash the pipeline', async () => {
  const r = rng(20261130);
  const inputs = [readFileSync(NFLOG), ...FRAMINGS.map(([, lt, wrap]) => readFileSync(rewrap(lt, wrap)))];
  for (const data of inputs) {
    for (let i = 0; i < 40; i++) {
      const m = Uint8Array.from(data);
      // Bytes of the link headers are where these decoders read: flip some in every record.
      for (let k = 0; k < 1 + Math.floor(r() * 40); k++) m[24 + Math.floor(r() * (m.length - 24))] = Math.floor(r() * 256);
      await new Analysis({ outDir: null }).runBuffer('fuzz', m).catch((e: unknown) => {
        if (!(e instanceof CaptureError)) throw e;
      });
    }
  }
});
