// RADIUS against real captures: Zeek's radius.log baseline (radius/radius.pcap, EAP over
// 1645 → 1812), Arkime's radius.test (an Aruba Accounting-Request with Vendor-Specific
// attributes, in a VLAN), nDPI's results (a fuzzed capture of 3GPP Wi-Fi authentication, and
// a QUIC flow nDPI once mistook for RADIUS), plus the probe, fuzzing and password hiding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { arkimeSessions, ndpiFlows } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { udpOutputs } from '../../testutil/secrets.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { RadiusAnalyzer } from './analyzer.js';
import type { RadiusBindingEvent, RadiusMessageEvent } from './events.js';
import { normalizeMac, parseRadius } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const UDP = 17;
const ZEEK_TRACE = 'zeek/traces/radius/radius.pcap';
const ARKIME = 'arkime/tests/pcap/radius';
const NDPI_FUZZ = 'fuzz-2020-02-16-11740.pcap';
const NDPI_FALSE_POSITIVE = 'radius_false_positive.pcapng';
/** radius.log's own fields (Zeek's Info record after ts/uid/id). */
const FIELDS = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'username', 'mac', 'framed_addr', 'tunnel_client', 'connect_info', 'reply_msg', 'result', 'ttl'];
const NUMERIC = new Set(['id.orig_p', 'id.resp_p', 'ttl']);

const baselines = skip ? [] : zeekBaselines('radius.log');

test('the corpus has a Zeek radius.log baseline to compare with', { skip }, () => {
  assert.ok(baselines.length >= 1);
});

for (const { trace, baseline } of baselines) {
  const name = baseline.split('/').slice(-2).join('/');
  // ts and uid are masked in the baseline (XXXXXXXXXX.XXXXXX) or seeded differently: not compared.
  test(`radius.log matches Zeek's baseline ${name} field by field`, { skip: skip || !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('radius');
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) {
        for (const f of FIELDS) {
          const w = want[i][f];
          const g = got[i][f];
          if (w === '-') assert.equal(g, undefined, f);
          else if (w === '(empty)') assert.equal(g, '', f);
          else if (NUMERIC.has(f)) assert.ok(Math.abs(Number(g) - Number(w)) < 1e-6, `${f}: ${g} vs ${w}`);
          else assert.equal(g, w, f);
        }
      }
      assert.deepEqual(run.log('conn').map((c) => c.service), ['radius']);
    } finally {
      run.cleanup();
    }
  });
}

test('radius.log is dated by the exchange\'s first message, as Zeek\'s (its ts is masked in the baseline)', { skip }, async () => {
  const run = await runCaptures([corpus(ZEEK_TRACE)]);
  try {
    // ttl 0.043882 in the baseline is the Accept's time minus ts: ts is the first Access-Request's.
    const [r] = run.log('radius');
    const conn = run.log('conn')[0];
    assert.equal(r.ts, conn.ts);
  } finally {
    run.cleanup();
  }
});

test("RADIUS accounting matches Arkime's radius.test session (user, mac, framed ip, NAS ip and port, message types)", { skip }, async () => {
  const [s] = arkimeSessions(corpus(`${ARKIME}.test`));
  const want = s.radius as Record<string, unknown[]>;
  const run = await runCaptures([corpus(`${ARKIME}.pcap`)]);
  try {
    const evs = run.result.events.map((k) => k.ev).filter((e): e is RadiusMessageEvent => e.type === 'radius.message');
    const all = (f: (e: RadiusMessageEvent) => unknown): unknown[] => [...new Set(evs.map(f).filter((v) => v !== undefined))];
    assert.deepEqual(all((e) => e.user_name), want.user);
    assert.deepEqual(all((e) => e.mac), want.mac);
    assert.deepEqual(all((e) => e.framed_addr), want.framedIp);
    assert.deepEqual(all((e) => e.nas_ip), want.nasIp);
    assert.deepEqual(all((e) => e.nas_port), want.nasPort);
    assert.deepEqual(all((e) => e.msg_type.toLowerCase()), want.msgType);
    // tshark: six Vendor-Specific attributes of Aruba (SMI 14823).
    assert.deepEqual(evs[0].vendors, [14823]);
    const conn = run.log('conn');
    assert.equal(conn.length, 1);
    assert.equal(conn[0].service, 'radius');
    assert.equal(conn[0]['id.resp_p'], (s.destination as { port: number }).port);
    // Zeek logs authentication only: accounting has no radius.log line.
    assert.equal(run.log('radius').length, 0);
  } finally {
    run.cleanup();
  }
});

test('conn.log service is radius on every flow nDPI recognises as RADIUS by inspection, and not on its false positive', { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi', 'result', `${NDPI_FUZZ}.out`)).filter((f) => f.app === 'Radius' && /\[Confidence: DPI\]/.test(f.line));
  assert.ok(flows.length >= 50);
  const run = await runCaptures([corpus('ndpi', 'pcap', NDPI_FUZZ)]);
  try {
    const conns = run.log('conn');
    const bad = flows.filter((f) => !conns.some((c) => c.service === 'radius' && ((c['id.orig_h'] === f.a && c['id.orig_p'] === f.aPort && c['id.resp_h'] === f.b) || (c['id.orig_h'] === f.b && c['id.orig_p'] === f.bPort && c['id.resp_h'] === f.a))));
    assert.deepEqual(bad.map((f) => f.line.slice(0, 80)), []);
    assert.ok(run.log('radius').some((r) => r.result === 'failed') && run.log('radius').some((r) => r.result === 'success'));
  } finally {
    run.cleanup();
  }
  const fp = ndpiFlows(corpus('ndpi', 'result', `${NDPI_FALSE_POSITIVE}.out`));
  assert.deepEqual(fp.map((f) => f.app), ['QUIC']);
  const run2 = await runCaptures([corpus('ndpi', 'pcap', NDPI_FALSE_POSITIVE)]);
  try {
    assert.ok(run2.log('conn').every((c) => c.service !== 'radius'));
    assert.equal(run2.result.events.filter((k) => k.ev.type.startsWith('radius.')).length, 0);
  } finally {
    run2.cleanup();
  }
});

test('probe() accepts real RADIUS and refuses QUIC, DNS and DHCP', { skip }, async () => {
  for (const f of [ZEEK_TRACE, `${ARKIME}.pcap`]) {
    for (const p of await payloads(corpus(f))) {
      const v = probe(p.bytes, 0, p.bytes.length, true, UDP);
      // The Accounting-Response is a bare 20-octet header: only a "maybe".
      assert.equal(v, p.bytes.length === 20 ? PROBE_MAYBE : PROBE_YES, `${f} ${p.packet}`);
    }
  }
  for (const f of [corpus('ndpi', 'pcap', NDPI_FALSE_POSITIVE), corpus('ndpi', 'pcap', 'dns.pcap'), corpus('zeek', 'traces', 'dhcp', 'dhcp.pcap')]) {
    for (const p of await payloads(f, { proto: UDP })) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_NO, `${f} ${p.packet}`);
  }
});

test('parseRadius() reads the Zeek trace as tshark does', { skip }, async () => {
  const [req, chal] = await payloads(corpus(ZEEK_TRACE));
  const m = parseRadius(req.bytes, 0, req.bytes.length);
  assert.ok(typeof m !== 'string');
  // tshark: Access-Request id 5, length 139, 10 AVPs, no damage.
  assert.deepEqual([m.code, m.identifier, m.length, m.attributes.length, m.damaged], [1, 5, 139, 10, undefined]);
  const c = parseRadius(chal.bytes, 0, chal.bytes.length);
  assert.ok(typeof c !== 'string');
  assert.deepEqual([c.code, c.identifier, c.length], [11, 5, 109]);
  assert.equal(parseRadius(req.bytes, 0, 60), 'truncated');
});

test('normalizeMac() follows Zeek\'s normalize_mac', () => {
  assert.equal(normalizeMac('00-14-22-E9-54-5E'), '00:14:22:e9:54:5e');
  assert.equal(normalizeMac('985AEB898000'), '98:5a:eb:89:80:00');
  assert.equal(normalizeMac('0014.22e9.545e'), '00:14:22:e9:54:5e');
  // 16 hex digits are an EUI-64; any other count is no MAC (the fuzzed capture has such ids).
  assert.equal(normalizeMac('b0-9f-ba:4a-0e-7e%00-a7'), 'b0:9f:ba:4a:0e:7e:00:a7');
  assert.equal(normalizeMac('e0-5f-45-90-09-%'), '');
});

test('parseRadius() survives truncation and mutation of real messages', { skip }, async () => {
  const seeds = [...(await payloads(corpus(ZEEK_TRACE))), ...(await payloads(corpus(`${ARKIME}.pcap`))), ...(await payloads(corpus('ndpi', 'pcap', NDPI_FUZZ))).slice(0, 4)].map((p) => p.bytes);
  fuzzParser(seeds, (b) => {
    parseRadius(b, 0, b.length);
    probe(b, 0, b.length, true, UDP);
    udpOutputs(new RadiusAnalyzer(), [b], 1645, 1812);
  }, { mutations: 200 });
});

/** A real Access-Request with a User-Password and a CHAP-Password attribute appended (none in the corpus). */
function withPasswords(req: Uint8Array, hidden: Uint8Array): Uint8Array {
  const extra = [2, 2 + hidden.length, ...hidden, 3, 2 + 1 + hidden.length, 7, ...hidden];
  const b = new Uint8Array([...req, ...extra]);
  b[2] = b.length >> 8;
  b[3] = b.length & 0xff;
  return b;
}

test('User-Password and CHAP-Password never reach an event or a log, only their presence (real request + synthetic attributes)', { skip }, async () => {
  const [req] = await payloads(corpus(ZEEK_TRACE));
  const hidden = Uint8Array.from({ length: 16 }, (_, i) => 0x41 + i); // "ABCDEFGHIJKLMNOP": readable if leaked
  const out = udpOutputs(new RadiusAnalyzer(), [withPasswords(req.bytes, hidden)], 1645, 1812).join('\n');
  assert.ok(out.includes('"password_present":true'));
  assert.ok(out.includes('John.McGuirk'));
  const h = Buffer.from(hidden);
  for (const s of [h.toString('latin1'), h.toString('hex'), h.toString('base64')]) assert.ok(!out.includes(s), s);
  assert.ok(!/credential/.test(out));
});

test('an Access-Accept binds the MAC to the user and skips a Framed-IP-Address that is an instruction (RFC 2865 §5.8)', { skip }, async () => {
  const run = await runCaptures([corpus(ZEEK_TRACE)]);
  try {
    const b = run.result.events.map((k) => k.ev).filter((e): e is RadiusBindingEvent => e.type === 'radius.binding');
    // 255.255.255.254: "the NAS should select an address", not an address.
    assert.deepEqual(b.map((e) => [e.mac, e.username, e.framed_addr, e.hostname]), [['00:14:22:e9:54:5e', 'John.McGuirk', undefined, undefined]]);
  } finally {
    run.cleanup();
  }
});

test('a reply without its request and a second user on one flow are paired by identifier (synthetic datagrams)', () => {
  const msg = (code: number, id: number, attrs: number[]): Uint8Array => {
    const b = new Uint8Array([code, id, 0, 0, ...new Array<number>(16).fill(0), ...attrs]);
    b[3] = b.length;
    return b;
  };
  const user = (s: string): number[] => [1, 2 + s.length, ...Buffer.from(s)];
  const out = udpOutputs(new RadiusAnalyzer(), [msg(1, 1, user('alice')), msg(1, 2, user('bob')), msg(3, 2, []), msg(2, 1, []), msg(2, 9, [])], 1645, 1812)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.type === 'radius.auth');
  assert.deepEqual(out.map((r) => [r.username, r.result]), [['bob', 'failed'], ['alice', 'success'], [undefined, 'success']]);
});
