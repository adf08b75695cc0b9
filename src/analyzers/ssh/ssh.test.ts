// SSH on real captures, with expectations from the peers' outputs: Zeek's host key fingerprints
// (ssh/fingerprints.zeek baseline), Arkime's ssh2.test (HASSH, versions, host key), suricata-
// verify's ssh-hassh and ssh-banner-only, and nDPI's ssh results (service, HASSH, weak cipher).
// Parsers are fuzzed with bytes from the same captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { captureFlows, type FlowBytes } from '../../testutil/streams.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import type { Conn } from '../../flow/conn.js';
import { testConn } from '../../testutil/conn.js';
import { PacketMeta } from '../../decode/packet.js';
import { PROBE_NO, PROBE_YES, type AnalyzerContext, type AppEvent } from '../types.js';
import { SshAnalyzer } from './analyzer.js';
import { probe } from './probe.js';
import { hasshString, md5, negotiate, negotiateBoth, weakAlgorithms } from './algorithms.js';
import { MSG_KEXINIT, hostKeyInfo, parseHostKeyReply, parseKexInit, parseLine, parsePacket, parseSsh1Packet, parseSsh1PublicKey, splitIdent } from './parse.js';

const skip = !haveCorpus() && 'shared corpus not present';

async function flows(...p: string[]): Promise<FlowBytes[]> {
  return (await captureFlows(corpus(...p))).filter((f) => f.proto === 6 && f.resp.length > 0);
}

test("host keys match Zeek's ssh/fingerprints baseline (SSH-2 MD5 and SHA256, SSH-1 modulus+exponent)", { skip }, async () => {
  // The baseline prints, per connection: the SSH-2 key's md5 and colon form, OpenSSH's SHA256
  // fingerprint (cut short in the file), and for SSH-1 md5_hash(modulus + exponent).
  const out = readFileSync(corpus('zeek', 'baselines', 'scripts.base.protocols.ssh.fingerprints', 'out'), 'utf8');
  const r = await runCaptures([corpus('zeek', 'traces', 'ssh', 'ssh1-ssh2-fingerprints.pcap')]);
  try {
    const keys = r.result.events.filter((e) => e.ev.type === 'ssh.host_key').map((e) => e.ev);
    assert.equal(keys.length, 2);
    const [v2, v1] = keys;
    assert.ok(out.includes(`ssh server host key, ${v2.fingerprint}`));
    assert.ok(out.includes(`ssh2 server host key, ${String(v2.fingerprint).replace(/:/g, '')}`));
    assert.ok(out.includes('ssh server host key fingerprint, SHA256:xpK5ypqHFDUcl5y7HHOj/Zm/xlqb7tvn'));
    assert.ok(String(v2.fingerprint_sha256).startsWith('SHA256:xpK5ypqHFDUcl5y7HHOj/Zm/xlqb7tvn'));
    assert.equal(v1.ssh1, true);
    assert.ok(out.includes(`ssh1 server host key, ${String(v1.fingerprint).replace(/:/g, '')}`));
    assert.ok(String(v1.fingerprint_sha256).startsWith('SHA256:dcuiZ1JhgfewWGB/HbsbL9cmtxwJArZu'));
    const log = r.log('ssh');
    assert.deepEqual(log.map((l) => l.version), [2, 1]);
    assert.equal(log[0].host_key, v2.fingerprint);
    // Zeek's ssh_server_host_key digest for SSH-1 (75:cb:…) hashes neither modulus+exponent nor
    // any other arrangement of the key fields we could find; wardline logs md5(modulus‖exponent),
    // the value of Zeek's ssh1_server_host_key event above.
    assert.equal(log[1].host_key, v1.fingerprint);
  } finally {
    r.cleanup();
  }
});

test("ssh.log agrees with Arkime's ssh2.test: HASSH, HASSHServer, versions and host key", { skip }, async () => {
  const d = JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', 'ssh2.test'), 'utf8')) as { sessions3: { body: { ssh: Record<string, string[]> } }[] };
  const want = d.sessions3[0].body.ssh;
  const r = await runCaptures([corpus('arkime', 'tests', 'pcap', 'ssh2.pcap')]);
  try {
    const log = r.log('ssh');
    assert.equal(log.length, 1);
    assert.equal(log[0].hassh, want.hassh[0]);
    assert.equal(log[0].hasshServer, want.hasshServer[0]);
    // Arkime lower-cases both identification strings into one list.
    assert.deepEqual([String(log[0].server).toLowerCase(), String(log[0].client).toLowerCase()].sort(), [...want.version].sort());
    // Arkime keeps the host key blob (base64); Zeek's host_key is its MD5.
    const blob = Buffer.from(want.key[0], 'base64');
    assert.equal(log[0].host_key, createHash('md5').update(blob).digest('hex').replace(/(..)(?!$)/g, '$1:'));
    assert.equal(r.conns[0].service, 'ssh');
    const sw = r.log('software');
    assert.deepEqual(sw.map((s) => [s.software_type, s.unparsed_version]).sort(), [
      ['SSH::CLIENT', 'OpenSSH_5.3'],
      ['SSH::SERVER', 'OpenSSH_3.9p1'],
    ]);
  } finally {
    r.cleanup();
  }
});

for (const t of ['ssh-hassh', 'ssh-hassh-only']) {
  test(`HASSH values match suricata-verify's ${t}`, { skip }, async () => {
    const r = await runCaptures([corpus('suricata-verify', 'tests', t, 'input.pcap')]);
    try {
      const log = r.log('ssh');
      assert.equal(log.length, 1);
      assert.equal(log[0].hassh, '2dd6531c7e89d3c925db9214711be76a');
      assert.equal(log[0].hasshServer, '6832f1ce43d4397c2c0a3e2f8c94334e');
    } finally {
      r.cleanup();
    }
  });
}

test("identification strings match suricata-verify's ssh-banner-only", { skip }, async () => {
  const r = await runCaptures([corpus('suricata-verify', 'tests', 'ssh-banner-only', 'input.pcap')]);
  try {
    const ids = r.result.events.filter((e) => e.ev.type === 'ssh.ident').map((e) => [e.ev.client, e.ev.proto_version, e.ev.software]);
    assert.deepEqual(ids.sort(), [
      [false, '2.0', 'OpenSSH_7.4'],
      [true, '2.0', 'OpenSSH_for_Windows_7.7'],
    ]);
  } finally {
    r.cleanup();
  }
});

for (const file of ['ssh.pcap', 'ssh_unidirectional.pcap']) {
  test(`service, client identification, HASSH and weak ciphers agree with nDPI's ${file}.out`, { skip }, async () => {
    const lines = readFileSync(corpus('ndpi', 'result', `${file}.out`), 'utf8')
      .split('\n')
      .filter((l) => /^\s+\d+\s+TCP .*\[proto: 92\/SSH\]/.test(l));
    assert.ok(lines.length > 0);
    const r = await runCaptures([corpus('ndpi', 'pcap', file)]);
    try {
      for (const l of lines) {
        const port = Number(/:(\d+) <->/.exec(l)![1]);
        const c = r.conns.find((x) => x.oPort === port);
        assert.ok(c && c.service === 'ssh', `flow from port ${port}`);
        const ssh = r.log('ssh').find((x) => x.uid === c.uid)!;
        // nDPI's "Hostname/SNI" of an SSH flow is the client's identification, or the server's
        // when it saw only that side.
        const name = /\[Hostname\/SNI: ([^\]]+)\]/.exec(l)?.[1];
        if (name !== undefined) assert.ok(name === ssh.client || name === ssh.server, `ident ${name}`);
        const hc = /\[HASSH-C: ([0-9A-F]+)\]/.exec(l)?.[1];
        if (hc !== undefined) assert.equal(String(ssh.hassh).toUpperCase(), hc);
        const hs = /\[HASSH-S: ([0-9A-F]+)\]/.exec(l)?.[1];
        if (hs !== undefined) assert.equal(String(ssh.hasshServer).toUpperCase(), hs);
        // "Found cipher X": nDPI's obsolete-cipher risk; X must be among the offered weak ones.
        const kex = r.result.events.filter((e) => e.uid === c.uid && e.ev.type === 'ssh.kexinit').map((e) => e.ev.algorithms as { encC2S: string[]; encS2C: string[] });
        for (const m of l.matchAll(/Found cipher ([\w@.-]+)/g)) {
          assert.ok(kex.some((k) => weakAlgorithms([...k.encC2S, ...k.encS2C]).includes(m[1])), `weak ${m[1]}`);
        }
      }
    } finally {
      r.cleanup();
    }
  });
}

test('negotiation follows RFC 4253 §7.1 and Zeek spells split directions', () => {
  assert.equal(negotiate(['aes256-ctr', 'aes128-ctr'], ['aes128-ctr', 'aes256-ctr']), 'aes256-ctr');
  assert.equal(negotiate(['a'], ['b']), 'Algorithm negotiation failed');
  assert.equal(negotiateBoth(['a', 'b'], ['b'], ['a'], ['a']), 'To server: b, to client: a');
  assert.deepEqual(weakAlgorithms(['arcfour128', 'aes128-ctr', '3des-cbc', 'hmac-md5-96', 'hmac-sha2-256', 'ssh-dss', 'diffie-hellman-group1-sha1', 'none']), [
    'arcfour128',
    '3des-cbc',
    'hmac-md5-96',
    'ssh-dss',
    'diffie-hellman-group1-sha1',
    'none',
  ]);
});

test('probe() recognises real SSH identification and rejects TLS and HTTP', { skip }, async () => {
  const [f] = await flows('arkime', 'tests', 'pcap', 'ssh2.pcap');
  assert.equal(probe(f.resp, 0, f.resp.length), PROBE_YES);
  assert.equal(probe(f.orig, 0, f.orig.length), PROBE_YES);
  const [tls] = await flows('arkime', 'tests', 'pcap', 'openssl-tls1.pcap');
  assert.equal(probe(tls.orig, 0, tls.orig.length), PROBE_NO);
  const [http] = await flows('arkime', 'tests', 'pcap', 'http-simple-get.pcap');
  assert.equal(probe(http.orig, 0, http.orig.length), PROBE_NO);
});

class FakeCtx implements AnalyzerContext {
  readonly conn: Conn = testConn(6, 40000, 22);
  readonly packet = new PacketMeta();
  events: AppEvent[] = [];
  weirds: string[] = [];
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
  confirm(): void {}
}

test('segment boundaries do not change the HASSH, algorithms and host key of a real session', { skip }, async () => {
  const [f] = await flows('ndpi', 'pcap', 'ssh.pcap');
  const cut = (size: number): AppEvent | undefined => {
    const ctx = new FakeCtx();
    const a = new SshAnalyzer();
    // The server's identification and KEXINIT, the client's, then the rest, in `size` chunks.
    const first = (s: Uint8Array): number => {
      const l = parseLine(s, 0, s.length);
      const p = typeof l === 'string' ? 'bad' : parsePacket(s, l.consumed, s.length - l.consumed);
      return typeof l === 'string' || typeof p === 'string' ? s.length : l.consumed + p.consumed;
    };
    const feed = (isOrig: boolean, s: Uint8Array, from: number, to: number): void => {
      for (let o = from; o < to; o += size) a.data(ctx, isOrig, s, o, Math.min(size, to - o));
    };
    const fr = first(f.resp);
    const fo = first(f.orig);
    feed(false, f.resp, 0, fr);
    feed(true, f.orig, 0, fo);
    const kexReply = Math.min(f.resp.length, fr + 2000);
    feed(true, f.orig, fo, Math.min(f.orig.length, fo + 600));
    feed(false, f.resp, fr, kexReply);
    a.end(ctx);
    return ctx.events.find((e) => e.type === 'ssh.session');
  };
  const whole = cut(1 << 20)!;
  assert.equal(whole.hassh, '21b457a327ce7a2d4fce5ef2c42400bd');
  assert.ok(whole.host_key !== undefined && whole.kex_alg !== undefined, 'the cut reaches the KEX reply');
  for (const size of [1, 3, 17, 100, 1460]) {
    const s = cut(size)!;
    for (const k of ['hassh', 'hasshServer', 'kex_alg', 'cipher_alg', 'host_key', 'client', 'server']) assert.equal(s[k], whole[k], `${k} in chunks of ${size}`);
  }
});

test('a client that does not identify itself stops the analyzer with one weird', () => {
  const ctx = new FakeCtx();
  const a = new SshAnalyzer();
  const junk = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  a.data(ctx, true, junk, 0, junk.length);
  a.data(ctx, true, junk, 0, junk.length);
  assert.deepEqual(ctx.weirds, ['ssh.no_ident']);
});

test('every SSH parser survives truncation and mutation of real handshakes', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const p of [
    ['arkime', 'tests', 'pcap', 'ssh2.pcap'],
    ['zeek', 'traces', 'ssh', 'ssh1-ssh2-fingerprints.pcap'],
  ]) {
    for (const f of await flows(...p)) {
      seeds.push(f.orig.slice(0, 1200), f.resp.slice(0, 1600));
    }
  }
  fuzzParser(
    seeds,
    (b) => {
      probe(b, 0, b.length);
      const l = parseLine(b, 0, b.length);
      if (typeof l === 'string') return;
      splitIdent(l.text);
      const o = l.consumed;
      const p = parsePacket(b, o, b.length - o);
      if (typeof p !== 'string') {
        parseKexInit(b, p.payloadStart, p.payloadEnd - p.payloadStart);
        const k = parseHostKeyReply(b, p.payloadStart, p.payloadEnd - p.payloadStart);
        if (k !== 'bad') hostKeyInfo(k);
      }
      const p1 = parseSsh1Packet(b, o, b.length - o);
      if (typeof p1 !== 'string') parseSsh1PublicKey(b, p1.dataStart, p1.dataEnd - p1.dataStart);
      // And the whole analyzer, which strings these together.
      const ctx = new FakeCtx();
      const a = new SshAnalyzer();
      a.data(ctx, false, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 300 },
  );
});

test('parseKexInit() reads the lists HASSH is built from (Arkime ssh2.pcap client)', { skip }, async () => {
  const [f] = await flows('arkime', 'tests', 'pcap', 'ssh2.pcap');
  const l = parseLine(f.orig, 0, f.orig.length);
  assert.ok(typeof l !== 'string');
  if (typeof l === 'string') return;
  const p = parsePacket(f.orig, l.consumed, f.orig.length - l.consumed);
  assert.ok(typeof p !== 'string' && p.msgType === MSG_KEXINIT);
  if (typeof p === 'string') return;
  const k = parseKexInit(f.orig, p.payloadStart, p.payloadEnd - p.payloadStart);
  if (k === 'bad') return assert.fail('KEXINIT did not parse');
  assert.equal(md5(hasshString(k)), '21b457a327ce7a2d4fce5ef2c42400bd');
  assert.ok(k.kex.includes('diffie-hellman-group-exchange-sha1'));
});
