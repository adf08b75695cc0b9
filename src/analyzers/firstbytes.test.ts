// Every analyzer's firstBytes declaration holds: its probe says PROBE_NO whenever the payload's
// first byte is outside the set, whatever follows, in either direction, on any transport and
// port. The host skips those probes off-port (host.ts), so a wrong declaration would lose
// protocols found by probing. Checked on real payloads of corpus captures with their first byte
// replaced, and on seeded random payloads (synthetic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { payloads } from '../testutil/payloads.js';
import { rng } from '../testutil/fuzz.js';
import { ANALYZERS } from './registry.js';
import { PROBE_NO, type AnalyzerSpec } from './types.js';

const declared = ANALYZERS.filter((s): s is AnalyzerSpec & { firstBytes: readonly number[] } => s.firstBytes !== undefined);

function answer(s: AnalyzerSpec, b: Uint8Array, isOrig: boolean, proto: number, port: number): number {
  try {
    return s.probe(b, 0, b.length, isOrig, proto, port);
  } catch {
    return PROBE_NO;
  }
}

function contexts(s: AnalyzerSpec): [boolean, number, number][] {
  const out: [boolean, number, number][] = [];
  const protos = [...(s.tcp ? [6] : []), ...(s.udp ? [17] : [])];
  for (const proto of protos) for (const port of [0, 12345, ...s.ports.slice(0, 3)]) for (const isOrig of [true, false]) out.push([isOrig, proto, port]);
  return out;
}

test('the gated analyzers declare sets of bytes', () => {
  assert.ok(declared.length >= 15, `${declared.length} analyzers declare firstBytes`);
  for (const s of declared) {
    // An empty set: never probed, only started on an announced connection (FTP data).
    const expectedOnly = s.ports.length === 0 && s.createExpected !== undefined;
    assert.ok((s.firstBytes.length > 0 || expectedOnly) && s.firstBytes.length < 256, s.name);
    assert.ok(s.firstBytes.every((b) => Number.isInteger(b) && b >= 0 && b < 256), s.name);
  }
});

test('a probe says no to random payloads whose first byte is outside its firstBytes', () => {
  const r = rng(20261129);
  const lengths = [1, 2, 3, 4, 6, 8, 12, 24, 64, 300];
  for (const s of declared) {
    const allowed = new Set(s.firstBytes);
    const ctx = contexts(s);
    for (let b = 0; b < 256; b++) {
      if (allowed.has(b)) continue;
      for (const n of lengths) {
        const buf = new Uint8Array(n);
        for (let i = 1; i < n; i++) buf[i] = Math.floor(r() * 256);
        buf[0] = b;
        for (const [isOrig, proto, port] of ctx) assert.equal(answer(s, buf, isOrig, proto, port), PROBE_NO, `${s.name}: first byte 0x${b.toString(16)}, ${n} bytes`);
      }
    }
  }
});

test('a probe says no to real payloads of the corpus once their first byte is outside its firstBytes', { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const seeds: Uint8Array[] = [];
  const captures = ['ndpi/pcap/http-manipulated.pcap', 'zeek/traces/smtp.pcap', 'arkime/tests/pcap/imap.pcap', 'arkime/tests/pcap/pop3-tag.pcap', 'zeek/traces/ftp/ipv4.pcap', 'arkime/tests/pcap/ldap-simpleauth.pcap', 'arkime/tests/pcap/SNMPv2c_get_requests.pcap', 'icsnpp-bacnet/testing/traces/bacnet_services.pcap', 'icsnpp-s7comm/tests/traces/snap7.pcap', 'tapirx/HL7-ORU.pcap', 'arkime/tests/pcap/ssh2.pcap', 'arkime/tests/pcap/nbns.pcap', 'ndpi/pcap/IEC104.pcap', 'ndpi/pcap/opc-ua.pcap', 'ndpi/pcap/rdp2.pcap', 'suricata-verify/tests/rfb-rules/00-vnc-openwall-3.7.pcap', 'arkime/tests/pcap/socks5-rdp.pcap', 'arkime/tests/pcap/socks-http-pass.pcap', 'ndpi/pcap/ssdp-m-search.pcap', 'ndpi/pcap/dnp3.pcap', 'tapirx/dicom_arq_2_get_testclient.pcap', 'ndpi/pcap/coap_mqtt.pcap', 'ndpi/pcap/mssql_tds.pcap', 'zeek/traces/smb/smb1.pcap', 'zeek/traces/syslog-single-udp.pcap', 'zeek/traces/tcp-syslog.pcap', 'ndpi/pcap/rtsp.pcap', 'zeek/traces/tls/chrome-34-google.pcap', 'ndpi/pcap/dtls.pcap', 'ndpi/pcap/kerberos.pcap', 'zeek/traces/krb/auth.pcap', 'icsnpp-enip/tests/traces/multiple_service_packet_cip.pcapng', 'zeek/traces/dhcp/dhcp.pcap', 'zeek/traces/postgresql/psql-login.pcap', 'zeek/traces/postgresql/psql-aws-ssl-require.pcap', 'ndpi/pcap/mqtt.pcap', 'zeek/traces/dce-rpc/dce_rpc_ntlm.pcapng', 'zeek/traces/radius/radius.pcap'];
  // WS-Discovery: the wsdd capture of test/fixtures/generated.
  for (const p of await payloads(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-wsdd.pcap'))) seeds.push(p.bytes.slice(0, 2048));
  // ASTM: the loopback capture of src/analyzers/astm (no corpus capture has ASTM).
  for (const p of await payloads(join(REPO_ROOT, 'src', 'analyzers', 'astm', 'fixtures', 'generated-astm.pcap'))) seeds.push(p.bytes);
  // POCT1-A: the loopback capture of src/analyzers/poct1a (no corpus capture has POCT1-A).
  for (const p of await payloads(join(REPO_ROOT, 'src', 'analyzers', 'poct1a', 'fixtures', 'generated-poct1a.pcap'))) seeds.push(p.bytes);
  for (const c of captures) {
    let n = 0;
    for (const p of await payloads(corpus(c))) if (n++ < 400) seeds.push(p.bytes.slice(0, 512));
  }
  assert.ok(seeds.length > 200);
  // Payloads a probe accepts, with only their first byte changed: the sharpest test of a gate.
  // Plus synthetic openings for protocols whose first byte varies (IMAP tags, FTP commands).
  const extra = ['a001 CAPABILITY\r\n', '1 LOGIN x y\r\n', 'USER anonymous\r\n', 'AUTH TLS\r\n', 'capa\r\n', 'EHLO x\r\n', 'helo x\r\n', 'OPTIONS / HTTP/1.1\r\n\r\n', 'HTTP/1.1 200 OK\r\n\r\n', '\u0000alice\u0000alice\u0000xterm/38400\u0000'];
  for (const e of extra) seeds.push(Uint8Array.from(e, (c) => c.charCodeAt(0)));
  let sharp = 0;
  for (const s of declared) {
    const allowed = new Set(s.firstBytes);
    const ctx = contexts(s);
    for (const seed of seeds) {
      const hits = ctx.filter(([isOrig, proto, port]) => answer(s, seed, isOrig, proto, port) !== PROBE_NO);
      if (hits.length === 0) continue;
      sharp++;
      assert.ok(allowed.has(seed[0]), `${s.name} accepts a payload starting 0x${seed[0].toString(16)}`);
      const buf = seed.slice();
      for (let b = 0; b < 256; b++) {
        if (allowed.has(b)) continue;
        buf[0] = b;
        for (const [isOrig, proto, port] of hits) assert.equal(answer(s, buf, isOrig, proto, port), PROBE_NO, `${s.name}: an accepted payload with first byte 0x${b.toString(16)}`);
      }
    }
  }
  assert.ok(sharp > 100, `${sharp} accepted payloads varied`);
  for (const s of declared) {
    const allowed = new Set(s.firstBytes);
    const outside = Array.from({ length: 256 }, (_, b) => b).filter((b) => !allowed.has(b));
    const ctx = contexts(s);
    for (const [i, seed] of seeds.entries()) {
      const buf = seed.slice();
      buf[0] = outside[i % outside.length];
      for (const [isOrig, proto, port] of ctx) assert.equal(answer(s, buf, isOrig, proto, port), PROBE_NO, `${s.name}: seed ${i} with first byte 0x${buf[0].toString(16)}`);
    }
  }
});
