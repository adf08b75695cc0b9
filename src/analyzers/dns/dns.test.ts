// DNS, mDNS, LLMNR and NetBIOS name service against real captures. The corpus holds no Zeek
// dns.log baseline (zeekBaselines('dns.log') is empty), so expectations come from nDPI's
// per-flow results (protocol, first query name, first address answer), Arkime's NBNS sessions,
// Suricata's LLMNR and mDNS EVE records and Zeek's known_services log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines, type RunOutput } from '../../testutil/corpus.js';
import { arkimeSessions, ndpiFlows, suricataChecks } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr, respAddr } from '../../flow/connlog.js';
import type { Conn } from '../../flow/conn.js';
import { decodeNetbiosName, parseDns, readName } from './parse.js';
import { probe } from './probe.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import type { MdnsRecordsEvent, NbnsNameEvent } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const UDP = 17;
const TCP = 6;

function connOf(run: RunOutput, a: string, ap: number, b: string, bp: number): Conn | undefined {
  return run.conns.find((c) => (origAddr(c) === a && c.oPort === ap && respAddr(c) === b && c.rPort === bp) || (origAddr(c) === b && c.oPort === bp && respAddr(c) === a && c.rPort === ap));
}

test('the corpus has no Zeek dns.log baseline, so nDPI, Arkime and Suricata are the peers', { skip }, () => {
  assert.equal(zeekBaselines('dns.log').length, 0);
});

/** nDPI results whose DNS/NetBIOS flows are compared (service, query name, first address). */
const NDPI_FILES = [
  'dns.pcap',
  'dns-google-nsid.pcapng',
  'dns_fragmented.pcap',
  'bad-dns-traffic.pcap',
  'malformed_dns.pcap',
  'dns_long_domainname.pcap',
  'netbios_wildcard_dns_query.pcap',
  'dns_invert_query.pcapng',
  'dns-invalid-chars.pcap',
  'dns_ambiguous_names.pcap',
  'netbios.pcap',
];

for (const file of NDPI_FILES) {
  test(`DNS flows agree with nDPI's result for ${file}`, { skip }, async () => {
    const flows = ndpiFlows(corpus('ndpi', 'result', `${file}.out`)).filter((f) => /^(DNS|LLMNR|MDNS|NetBIOS)/.test(f.app));
    assert.ok(flows.length > 0);
    const run = await runCaptures([corpus('ndpi', 'pcap', file)]);
    try {
      const dns = run.log('dns');
      for (const f of flows) {
        const c = connOf(run, f.a, f.aPort, f.b, f.bPort);
        assert.ok(c, `flow ${f.a}:${f.aPort} ${f.b}:${f.bPort}`);
        // nDPI's NetBIOS covers the session service on TCP 139 too, which is SMB's analyzer's.
        if (f.proto === 'TCP' && f.app.startsWith('NetBIOS')) continue;
        const dgm = c.oPort === 138 || c.rPort === 138;
        assert.equal(c.service, dgm ? 'netbios-dgm' : 'dns', `service of ${f.line.trim().slice(0, 80)}`);
        if (dgm || f.hostname === undefined) continue;
        const recs = dns.filter((r) => r.uid === c.uid).sort((x, y) => Number(x.ts) - Number(y.ts));
        if (c.rPort === 137) {
          // NetBIOS: nDPI lower-cases the decoded name; wardline keeps it as registered.
          assert.ok(recs.some((r) => String(r.nbns_name).toLowerCase() === f.hostname), `${f.hostname} among ${recs.map((r) => r.nbns_name)}`);
          continue;
        }
        // nDPI names a flow by the question of its first response; a record with that query
        // must exist (nDPI shows non-printable bytes as '?' and '*' as '_'; wardline escapes
        // bytes as Zeek does, \xNN).
        const shown = (q: unknown): string => String(q).replace(/\\x[0-9a-f]{2}/g, '?').replace(/\*/g, '_');
        if (recs.length === 0) {
          // Zeek (and so wardline) logs standard queries only: opcode 1 (inverse query) is not tracked.
          assert.equal(file, 'dns_invert_query.pcapng');
          continue;
        }
        const rec = recs.find((r) => shown(r.query) === f.hostname);
        if (file === 'dns.pcap' && rec === undefined) {
          // The flow starts with a reply without answers; Zeek's record for a lone reply has no query.
          assert.ok(recs.some((r) => r.query === undefined && r.rcode !== undefined && r.answers === undefined));
          continue;
        }
        if (file === 'dns-invalid-chars.pcap') {
          // The reply's question differs from the query's (the point of this capture): nDPI
          // reports the reply's name, wardline the query's as Zeek's dns.log does.
          const msgs = (await payloads(corpus('ndpi', 'pcap', file))).map((p) => parseDns(p.bytes, 0, p.bytes.length));
          const qnames = msgs.map((m) => (typeof m === 'string' ? '' : shown(m.questions[0].name)));
          assert.deepEqual([shown(recs[0].query), f.hostname], qnames);
          continue;
        }
        assert.ok(rec, `a dns.log record for ${f.hostname} in ${c.uid}: ${recs.map((r) => r.query)}`);
        const ip = /\]\[([0-9a-f.:]+)\]/.exec(f.line.slice(f.line.indexOf('Hostname/SNI')))?.[1];
        // malformed_dns: Zeek stops at the over-long second question, nDPI reads the answer past it.
        if (ip !== undefined && ip !== '0.0.0.0' && file !== 'malformed_dns.pcap') {
          const addrs = ((rec.answers as string[] | undefined) ?? []).filter((a) => /^[\d.]+$|:/.test(a));
          assert.equal(addrs[0], ip, `first address answer of ${rec.query}`);
        }
      }
    } finally {
      run.cleanup();
    }
  });
}

test("DNSCrypt's certificate lookups on UDP 443 are plain DNS: wardline names them dns where nDPI says DNScrypt", { skip }, async () => {
  const file = 'dnscrypt-v1-and-resolver-pings.pcap';
  const flows = ndpiFlows(corpus('ndpi', 'result', `${file}.out`)).filter((f) => f.app === 'DNScrypt' && f.bPort === 443 && f.proto === 'UDP');
  const run = await runCaptures([corpus('ndpi', 'pcap', file)]);
  try {
    const dns = run.log('dns');
    const named = run.conns.filter((c) => c.rPort === 443 && c.service === 'dns');
    assert.ok(named.length > 0);
    for (const c of named) {
      // Each such flow is one nDPI calls DNScrypt, and its queries are TXT 2.dnscrypt-cert.* (tshark -d udp.port==443,dns).
      assert.ok(flows.some((f) => f.a === origAddr(c) && f.aPort === c.oPort), `${origAddr(c)}:${c.oPort}`);
      const q = dns.filter((r) => r.uid === c.uid);
      assert.ok(q.length > 0 && q.every((r) => r.qtype_name === 'TXT' && String(r.query).startsWith('2.dnscrypt-cert.')));
    }
  } finally {
    run.cleanup();
  }
});

test("NBNS names per session match Arkime's nbns.test (registrations decoded, __MSBROWSE__ without control bytes)", { skip }, async () => {
  const sessions = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'nbns.test')).filter((s) => s.nbns !== undefined);
  assert.equal(sessions.length, 4);
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'nbns.pcap')]);
  try {
    const dns = run.log('dns');
    for (const s of sessions) {
      const src = s.source as { ip: string; port: number; packets: number };
      const dst = s.destination as { ip: string; port: number };
      const c = run.conns.find((k) => origAddr(k) === src.ip && respAddr(k) === dst.ip && k.rPort === dst.port && k.origPkts === src.packets);
      assert.ok(c, `session ${src.ip} > ${dst.ip} (${src.packets} packets)`);
      assert.equal(c.service, 'dns');
      const names = new Set(dns.filter((r) => r.uid === c.uid).map((r) => r.nbns_name));
      assert.deepEqual([...names].sort(), [...(s.nbns as { name: string[] }).name].sort());
      assert.ok(dns.filter((r) => r.uid === c.uid).every((r) => r.opcode_name === 'netbios-registration'));
    }
    const ev = run.result.events.map((k) => k.ev).find((e): e is NbnsNameEvent => e.type === 'nbns.name' && e.name === 'MDJR98');
    assert.equal(ev?.addr, '192.168.239.129');
    assert.equal(ev?.group, false);
  } finally {
    run.cleanup();
  }
});

test("LLMNR query and answer match Suricata's llmnr-udp EVE records", { skip }, async () => {
  const dir = corpus('suricata-verify', 'tests', 'llmnr', 'llmnr-udp');
  const eve = suricataChecks(`${dir}/test.yaml`).filter((c) => c.match.event_type === 'llmnr' && c.match['llmnr.type'] !== undefined);
  const run = await runCaptures([`${dir}/input.pcap`]);
  try {
    const dns = run.log('dns');
    for (const { match: x } of eve) {
      const rec = dns.find((r) => r.trans_id === Number(x['llmnr.id']) && (x['llmnr.type'] === 'request' ? r.qtype_name !== undefined : r.answers !== undefined));
      assert.ok(rec, `${x['llmnr.type']} record`);
      assert.equal(rec.query, x['llmnr.queries[0].rrname']);
      if (x['llmnr.type'] === 'request') {
        assert.equal(String(rec.qtype_name).toLowerCase(), x['llmnr.queries[0].rrtype']);
        assert.equal(rec['id.orig_h'], x.src_ip);
        assert.equal(rec['id.resp_p'], Number(x.dest_port));
      } else {
        // Zeek lower-cases answer owner names; the address itself is compared.
        assert.deepEqual(rec.answers, [x['llmnr.answers[0].a']]);
      }
      const c = run.conns.find((k) => k.uid === rec.uid);
      assert.equal(c?.service, 'dns');
    }
  } finally {
    run.cleanup();
  }
});

test("mDNS TXT keys, PTR instances and browsed service types match Suricata's mdns EVE records", { skip }, async () => {
  const t = corpus('suricata-verify', 'tests', 'mdns');
  const eve = suricataChecks(`${t}/test.yaml`).filter((c) => c.match.event_type === 'mdns');
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'ipv6-evasion', 'ipv6-malformed-fragments-9', 'frag-9.pcap')]);
  try {
    const evs = run.result.events.map((k) => k.ev).filter((e): e is MdnsRecordsEvent => e.type === 'mdns.records');
    for (const { match: x } of eve) {
      const ev = evs.find((e) => e.packet === Number(x.pcap_cnt));
      assert.ok(ev, `packet ${x.pcap_cnt}`);
      assert.equal(ev.is_response, x['mdns.type'] === 'response');
      if (ev.is_response) {
        const txt = ev.txt.find((r) => r.instance === x['mdns.answers[0].rrname']);
        assert.ok(txt, 'TXT record');
        const want = JSON.parse(x['mdns.answers[0].txt']) as string[];
        assert.deepEqual(Object.entries(txt.keys).map(([k, v]) => `${k}=${v}`), want);
        assert.ok(ev.service_types.includes(x['mdns.answers[1].rrname']));
        assert.ok(ev.services.some((s) => s.instance === x['mdns.answers[1].ptr']));
      } else {
        const qs = [0, 1, 2].map((i) => x[`mdns.queries[${i}].rrname`]);
        assert.deepEqual(ev.service_types, qs);
      }
    }
  } finally {
    run.cleanup();
  }
});

test("DNS service is confirmed where Zeek's known_services saw DNS (var-services-std-ports)", { skip }, async () => {
  const known = readZeekTsv(corpus('zeek', 'baselines', 'scripts.policy.protocols.conn.known-services', 'knownservices-all.log')).filter((r) => r.service === 'DNS');
  assert.ok(known.length > 0);
  const run = await runCaptures([corpus('zeek', 'traces', 'var-services-std-ports.pcap')]);
  try {
    for (const k of known) {
      const cs = run.conns.filter((c) => respAddr(c) === k.host && c.rPort === Number(k.port_num) && (c.proto === UDP) === (k.port_proto === 'udp'));
      assert.ok(cs.length > 0 && cs.some((c) => c.service === 'dns'), `${k.host}:${k.port_num}`);
    }
  } finally {
    run.cleanup();
  }
});

test('mDNS in Zeek\'s mdns trace: host name and addresses announced by the sender', { skip }, async () => {
  const run = await runCaptures([corpus('zeek', 'traces', 'dns', 'mdns.pcap')]);
  try {
    const evs = run.result.events.map((k) => k.ev).filter((e): e is MdnsRecordsEvent => e.type === 'mdns.records' && e.is_response === true);
    const v4 = evs.find((e) => e.host === '10.0.2.7');
    // tshark: "Standard query response … A, cache flush 10.0.2.7 PTR … johanna-QEMU-Virtual-Machine.local"
    assert.ok(v4?.addrs.some((a) => a.name === 'johanna-QEMU-Virtual-Machine.local' && a.addr === '10.0.2.7'));
    assert.ok(run.conns.filter((c) => c.rPort === 5353).every((c) => c.service === 'dns'));
  } finally {
    run.cleanup();
  }
});

test('probe() recognises DNS, mDNS, LLMNR and NBNS on any port, and not DHCP or syslog', { skip }, async () => {
  for (const f of [corpus('ndpi', 'pcap', 'dns.pcap'), corpus('zeek', 'traces', 'dns', 'mdns.pcap'), corpus('arkime', 'tests', 'pcap', 'nbns.pcap')]) {
    for (const p of await payloads(f, { proto: UDP })) {
      if (p.srcPort === 138 || p.dstPort === 138) continue;
      assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_YES, `${f} packet ${p.packet}`);
    }
  }
  const tcp = (await payloads(corpus('ndpi', 'pcap', 'dns_fragmented.pcap'), { proto: TCP })).filter((p) => p.dstPort === 53);
  assert.ok(tcp.length > 0);
  assert.equal(probe(tcp[0].bytes, 0, tcp[0].bytes.length, true, TCP), PROBE_YES);
  for (const f of [corpus('zeek', 'traces', 'dhcp', 'dhcp.pcap'), corpus('zeek', 'traces', 'syslog-single-udp.pcap'), corpus('zeek', 'traces', 'ntp', 'ntp.pcap')]) {
    for (const p of await payloads(f, { proto: UDP })) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_NO, `${f} packet ${p.packet}`);
  }
});

test('DNS over TCP on an unusual port is found by probing and framed by its length prefix (synthetic: no such capture)', async () => {
  const { DnsAnalyzer } = await import('./analyzer.js');
  const q = Uint8Array.from([0, 29, 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, 101, 120, 97, 109, 112, 108, 101, 3, 99, 111, 109, 0, 0, 1, 0, 1]);
  assert.equal(probe(q, 0, q.length, true, TCP), PROBE_YES);
  const events: Record<string, unknown>[] = [];
  const conn = { proto: TCP, oPort: 40000, rPort: 8053 };
  const ctx = { conn, packet: { tsSec: 1, tsNsec: 0, packetNo: 1, src: [0, 0, 0xffff, 1] }, emit: (e: Record<string, unknown>) => events.push(e), weird: () => {}, confirm: () => {} };
  const a = new DnsAnalyzer();
  // Split the framed query across two deliveries.
  a.data(ctx as never, true, q, 0, 5);
  a.data(ctx as never, true, q, 5, q.length - 5);
  a.end(ctx as never);
  assert.equal(events.length, 1);
  assert.equal(events[0].query, 'example.com');
  assert.equal(events[0].proto, 'tcp');
});

test('readName() refuses forward and self pointers, loops and over-long names (synthetic bytes)', () => {
  const hdr = new Array(12).fill(0);
  // A pointer to itself at offset 12.
  const self = Uint8Array.from([...hdr, 0xc0, 12]);
  assert.equal(readName(self, 0, self.length, 12), null);
  // A forward pointer.
  const fwd = Uint8Array.from([...hdr, 0xc0, 14, 1, 97, 0]);
  assert.equal(readName(fwd, 0, fwd.length, 12), null);
  // Two names pointing at each other: 12 → "a" + ptr 16; 16 → "b" + ptr 12.
  const loop = Uint8Array.from([...hdr, 1, 97, 0xc0, 16, 1, 98, 0xc0, 12]);
  assert.equal(readName(loop, 0, loop.length, 16), null);
  // A valid backward pointer.
  const ok = Uint8Array.from([...hdr, 1, 97, 0, 1, 98, 0xc0, 12]);
  assert.deepEqual(readName(ok, 0, ok.length, 15), { text: 'b.a', next: 19 });
  // 5 labels of 63 bytes exceed RFC 1035's 255-byte name.
  const long = Uint8Array.from([...hdr, ...Array.from({ length: 5 }, () => [63, ...new Array(63).fill(97)]).flat(), 0]);
  assert.equal(readName(long, 0, long.length, 12), null);
  // A length byte of 64 is the reserved 0x40 label type, not a 64-byte label.
  const big = Uint8Array.from([...hdr, 64, ...new Array(64).fill(65), 0]);
  assert.equal(readName(big, 0, big.length, 12), null);
});

test('decodeNetbiosName() follows RFC 1001 first-level encoding and Zeek\'s trimming', () => {
  // "FEEIEFCAEOEFFEECEJEPFDCAEOEBENEF" is Zeek's documented example: "THE NETBIOS NAM" + 'E'.
  const d = decodeNetbiosName('FEEIEFCAEOEFFEECEJEPFDCAEOEBENEF');
  assert.equal(d?.zeek, 'THE NETBIOS NAM');
  assert.equal(d?.suffix, 0x45);
  assert.equal(decodeNetbiosName('not-a-netbios-name'), null);
});

test('parseDns() survives truncation and mutation of real DNS, mDNS, LLMNR and NBNS messages', { skip }, async () => {
  const seeds = [
    ...(await payloads(corpus('ndpi', 'pcap', 'dns.pcap'))),
    ...(await payloads(corpus('zeek', 'traces', 'dns', 'mdns.pcap'))).slice(0, 4),
    ...(await payloads(corpus('ndpi', 'pcap', 'dns_fragmented.pcap'), { proto: UDP })).slice(0, 2),
    ...(await payloads(corpus('suricata-verify', 'tests', 'llmnr', 'llmnr-udp', 'input.pcap'))),
    ...(await payloads(corpus('ndpi', 'pcap', 'netbios.pcap'), { port: 137 })).slice(0, 4),
    ...(await payloads(corpus('ndpi', 'pcap', 'malformed_dns.pcap'))).slice(0, 2),
  ].map((p) => p.bytes);
  fuzzParser(seeds, (b) => {
    parseDns(b, 0, b.length, { netbios: false });
    parseDns(b, 0, b.length, { netbios: true });
    probe(b, 0, b.length, true, UDP);
  }, { mutations: 150 });
});

test('an mDNS printer announcement yields its service, SRV target and TXT keys (synthetic: no printer in the corpus)', async () => {
  const { DnsAnalyzer } = await import('./analyzer.js');
  const { udpOutputs } = await import('../../testutil/secrets.js');
  const label = (s: string): number[] => [s.length, ...Buffer.from(s)];
  const rr = (name: number[], type: number, rdata: number[]): number[] => [...name, 0, type, 0x80, 1, 0, 0, 0x11, 0x94, rdata.length >> 8, rdata.length & 255, ...rdata];
  const hdr = [0, 0, 0x84, 0, 0, 0, 0, 4, 0, 0, 0, 0];
  // Offsets: 12 "_ipp._tcp.local" (local at 22), then the instance name inside the PTR rdata.
  const service = [...label('_ipp'), ...label('_tcp'), ...label('local'), 0];
  const ptrName = [...label('Ward Printer'), 0xc0, 12];
  const m: number[] = [...hdr];
  m.push(...rr(service, 12, ptrName));
  const instanceAt = m.length - ptrName.length;
  const host = [...label('wardprinter'), 0xc0, 22];
  m.push(...rr([0xc0, instanceAt], 33, [0, 0, 0, 0, 0x02, 0x77, ...host]));
  const hostAt = m.length - host.length;
  const txt = ['txtvers=1', 'ty=ACME LaserWard 400', 'product=(ACME LaserWard 400)', 'usb_MDL=LaserWard 400', 'rp=ipp/print'].flatMap(label);
  m.push(...rr([0xc0, instanceAt], 16, txt));
  m.push(...rr([0xc0, hostAt], 1, [10, 0, 0, 9]));
  const out = udpOutputs(new DnsAnalyzer(), [Uint8Array.from(m)], 5353, 5353).map((s) => JSON.parse(s) as Record<string, unknown>);
  const ev = out.find((e) => e.type === 'mdns.records') as unknown as MdnsRecordsEvent;
  assert.deepEqual(ev.service_types, ['_ipp._tcp.local']);
  assert.deepEqual(ev.services, [{ instance: 'Ward Printer._ipp._tcp.local', target: 'wardprinter.local', port: 631 }]);
  assert.equal(ev.txt[0].keys.ty, 'ACME LaserWard 400');
  assert.equal(ev.txt[0].keys.usb_MDL, 'LaserWard 400');
  assert.equal(ev.txt[0].keys.product, '(ACME LaserWard 400)');
  assert.deepEqual(ev.addrs, [{ name: 'wardprinter.local', addr: '10.0.0.9' }]);
  // dns.log: the unsolicited announcement is a reply-only record, answers as Zeek writes them.
  const log = out.find((e) => e['id.resp_p'] === 5353 && e.answers !== undefined);
  assert.deepEqual(log?.answers, ['ward printer._ipp._tcp.local', 'wardprinter.local', 'TXT 9 txtvers=1 TXT 21 ty=ACME LaserWard 400 TXT 28 product=(ACME LaserWard 400) TXT 21 usb_MDL=LaserWard 400 TXT 12 rp=ipp/print', '10.0.0.9']);
});
