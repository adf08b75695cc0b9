// The per-flow TLS state machine fed directly: real handshakes cut into every segment size must
// give the same events as whole streams (records and handshake messages spanning segments and
// records), buffering stays bounded, and heartbeats are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haveCorpus } from '../../testutil/corpus.js';
import type { Conn } from '../../flow/conn.js';
import { testConn } from '../../testutil/conn.js';
import { PacketMeta } from '../../decode/packet.js';
import type { AnalyzerContext, AppEvent } from '../types.js';
import { TlsAnalyzer } from './analyzer.js';
import { flowsOf, records } from './testkit.js';
import { fuzzParser } from '../../testutil/fuzz.js';

const skip = !haveCorpus() && 'shared corpus not present';

class FakeCtx implements AnalyzerContext {
  readonly conn: Conn;
  readonly packet = new PacketMeta();
  events: AppEvent[] = [];
  weirds: string[] = [];
  services: string[] = [];
  constructor(proto = 6) {
    this.conn = testConn(proto, 40000, 443);
  }
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
  confirm(service: string): void {
    this.services.push(service);
  }
}

/** Feeds a client and a server stream alternately in chunks of `size` bytes. */
function feed(a: TlsAnalyzer, ctx: FakeCtx, orig: Uint8Array, resp: Uint8Array, size: number): void {
  let o = 0;
  let r = 0;
  // The client's first flight, then the server's, in chunks; then the rest alternately.
  const first = records(orig)[0].raw.length;
  for (; o < first; o += size) a.data(ctx, true, orig, o, Math.min(size, first - o));
  o = first;
  while (o < orig.length || r < resp.length) {
    if (r < resp.length) {
      a.data(ctx, false, resp, r, Math.min(size, resp.length - r));
      r += size;
    }
    if (o < orig.length) {
      a.data(ctx, true, orig, o, Math.min(size, orig.length - o));
      o += size;
    }
  }
  a.end(ctx);
}

const summary = (ctx: FakeCtx): string =>
  JSON.stringify(ctx.events.filter((e) => e.type !== 'ssl.session').map((e) => [e.type, e.ja3 ?? e.ja3s ?? (e.cert as { fingerprint: string } | undefined)?.fingerprint]));

test('segment boundaries do not change what a real TLS 1.2 handshake yields', { skip }, async () => {
  const f = (await flowsOf('arkime', 'tests', 'pcap', 'openssl-tls1_2.pcap')).find((x) => x.proto === 6)!;
  const whole = new FakeCtx();
  feed(new TlsAnalyzer(), whole, f.orig, f.resp, 1 << 20);
  assert.ok(whole.events.some((e) => e.type === 'ssl.certificate'));
  // Interleaving of the two directions depends on the chunking; the letters must not.
  const letters = (c: FakeCtx): string => [...String(c.events.find((e) => e.type === 'ssl.session')?.ssl_history)].sort().join('');
  assert.equal(letters(whole), [...'CsxknGIti'].sort().join(''));
  for (const size of [1, 2, 3, 5, 7, 64, 1000, 1460]) {
    const ctx = new FakeCtx();
    feed(new TlsAnalyzer(), ctx, f.orig, f.resp, size);
    assert.equal(summary(ctx), summary(whole), `chunks of ${size}`);
    assert.equal(letters(ctx), letters(whole), `chunks of ${size}`);
    assert.deepEqual(ctx.weirds, []);
  }
});

test('a gap inside skipped ciphertext is harmless; a gap in the handshake stops that direction', { skip }, async () => {
  const f = (await flowsOf('zeek', 'traces', 'tls', 'tls1.2.pcap'))[0];
  const ctx = new FakeCtx();
  const a = new TlsAnalyzer();
  a.data(ctx, true, f.orig, 0, 10);
  a.gap(ctx, true, 100);
  a.data(ctx, true, f.orig, 110, f.orig.length - 110);
  assert.ok(!ctx.events.some((e) => e.type === 'ssl.client_hello'));
  a.data(ctx, false, f.resp, 0, f.resp.length);
  assert.ok(ctx.events.some((e) => e.type === 'ssl.server_hello'), 'the other direction still parses');
});

/** A TLS 1.1 record header (synthetic framing around real or synthetic bodies). */
function record(type: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([type, 3, 2, body.length >> 8, body.length & 0xff, ...body]);
}

test('a cleartext heartbeat claiming more payload than it carries is flagged (Heartbleed)', { skip }, async () => {
  // Synthetic heartbeats (no corpus capture carries one) after a real ClientHello.
  const f = (await flowsOf('zeek', 'traces', 'tls', 'tls1_1.pcap'))[0];
  const hello = records(f.orig)[0].raw;
  const ctx = new FakeCtx();
  const a = new TlsAnalyzer();
  a.data(ctx, true, hello, 0, hello.length);
  const attack = record(24, Uint8Array.of(1, 0x40, 0x00));
  a.data(ctx, true, attack, 0, attack.length);
  const honest = record(24, Uint8Array.from([1, 0, 2, 0xaa, 0xbb, ...new Array(16).fill(0)]));
  a.data(ctx, true, honest, 0, honest.length);
  const hb = ctx.events.filter((e) => e.type === 'ssl.heartbeat');
  assert.equal(hb.length, 2);
  assert.equal(hb[0].heartbleed, true);
  assert.equal(hb[0].payload_length, 16384);
  assert.equal(hb[1].heartbleed, false);
  a.end(ctx);
  assert.match(String(ctx.events.find((e) => e.type === 'ssl.session')?.ssl_history), /^CBB$/);
});

test('an oversized handshake message is skipped without buffering it', () => {
  // Synthetic: a Certificate message claiming 16 MiB, sent in full-size records.
  const ctx = new FakeCtx();
  const a = new TlsAnalyzer();
  const head = record(22, Uint8Array.of(11, 0xff, 0xff, 0xff));
  a.data(ctx, false, head, 0, head.length);
  const chunk = record(22, new Uint8Array(16384));
  for (let i = 0; i < 8; i++) a.data(ctx, false, chunk, 0, chunk.length);
  assert.deepEqual(ctx.weirds, ['ssl.handshake_message_too_long']);
  const inner = (a as unknown as { sides: { hs: Uint8Array; carry: Uint8Array }[] }).sides[1];
  assert.equal(inner.hs.length, 0);
  assert.ok(inner.carry.length <= 16384 + 5);
});

test('bytes that are not TLS stop the analyzer with one weird', () => {
  const ctx = new FakeCtx();
  const a = new TlsAnalyzer();
  const junk = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  a.data(ctx, true, junk, 0, junk.length);
  a.data(ctx, true, junk, 0, junk.length);
  assert.deepEqual(ctx.weirds, ['ssl.not_tls']);
  assert.deepEqual(ctx.services, []);
});

test('a DTLS handshake with a fragmented certificate is joined (nDPI dtls_certificate_fragments.pcap)', { skip }, async () => {
  const f = (await flowsOf('ndpi', 'pcap', 'dtls_certificate_fragments.pcap')).find((x) => x.proto === 17)!;
  const ctx = new FakeCtx(17);
  const a = new TlsAnalyzer();
  for (const d of f.datagrams) a.data(ctx, d.isOrig, d.bytes, 0, d.bytes.length);
  a.end(ctx);
  assert.deepEqual(ctx.services, ['dtls']);
  const cert = ctx.events.find((e) => e.type === 'ssl.certificate');
  assert.ok(cert, 'certificate reassembled from fragments');
  assert.match((cert.cert as { subject: string }).subject, /opera-mini\.net/);
});

test('the whole TLS state machine survives truncated and mutated real streams and datagrams', { skip }, async () => {
  const tcp = [
    ...(await flowsOf('arkime', 'tests', 'pcap', 'openssl-tls1_2.pcap')),
    ...(await flowsOf('suricata-verify', 'tests', 'sslv2-tls-upgrade-01', 'ssl-v2-s1.pcap')),
  ].filter((f) => f.proto === 6);
  const seeds = tcp.flatMap((f) => [f.orig.slice(0, 700), f.resp.slice(0, 1400)]);
  fuzzParser(
    seeds,
    (b) => {
      const ctx = new FakeCtx();
      const a = new TlsAnalyzer();
      const half = b.length >> 1;
      a.data(ctx, true, b, 0, half);
      a.data(ctx, false, b, 0, b.length);
      a.data(ctx, true, b, half, b.length - half);
      a.end(ctx);
    },
    { mutations: 200 },
  );
  const dtls = (await flowsOf('ndpi', 'pcap', 'dtls.pcap')).filter((f) => f.proto === 17).flatMap((f) => f.datagrams.slice(0, 3).map((d) => d.bytes.slice(0, 700)));
  fuzzParser(
    dtls,
    (b) => {
      const ctx = new FakeCtx(17);
      const a = new TlsAnalyzer();
      a.data(ctx, true, b, 0, b.length);
      a.data(ctx, false, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 200 },
  );
});
