// DHCP against real captures: Zeek's dhcp.log baselines (every one in the corpus), Zeek's
// conn.log service column, Suricata's EVE expectations (host name, parameter list, option 60,
// option 52 overload), Arkime's DHCP and DHCPv6 sessions, and the parsers under fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { arkimeSessions, suricataChecks } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr, respAddr, protoName } from '../../flow/connlog.js';
import { parseDhcp } from './parse.js';
import { parseDhcp6 } from './parse6.js';
import { probe } from './probe.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import type { Dhcp6MessageEvent, DhcpMessageEvent } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const baselines = skip ? [] : zeekBaselines('dhcp.log');
const UDP = 17;

/** Zeek's dhcp.log columns compared (uids separately, ts is masked in the baselines). */
const FIELDS = ['client_addr', 'server_addr', 'mac', 'host_name', 'client_fqdn', 'domain', 'requested_addr', 'assigned_addr', 'lease_time', 'client_message', 'server_message', 'msg_types', 'duration', 'circuit_id', 'agent_remote_id', 'subscriber_id'];
const NUMERIC = new Set(['lease_time', 'duration']);

function zeekValue(f: string, v: string | undefined): string | number | undefined {
  if (v === undefined || v === '-') return undefined;
  return NUMERIC.has(f) ? Number(v) : v;
}

function ourValue(f: string, v: unknown): string | number | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.join(',');
  return NUMERIC.has(f) ? Number(v) : String(v);
}

test('the corpus has Zeek dhcp.log baselines to compare with', { skip }, () => {
  assert.ok(baselines.length >= 4, `found ${baselines.length}`);
});

for (const { trace, baseline } of baselines) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`dhcp.log matches Zeek's baseline ${name}`, { skip: skip || !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('dhcp');
      assert.equal(got.length, want.length, 'one record per DHCP conversation');
      // Zeek's conn.log next to the baseline, when the test wrote one, maps its uids to tuples.
      const zconnPath = join(dirname(baseline), 'conn.log');
      const zconn = existsSync(zconnPath) ? readZeekTsv(zconnPath) : [];
      const zTuple = new Map(zconn.map((r) => [r.uid, `${r['id.orig_h']}:${r['id.orig_p']} > ${r['id.resp_h']}:${r['id.resp_p']}`]));
      const ourTuple = new Map(run.conns.map((c) => [c.uid, `${origAddr(c)}:${c.oPort} > ${respAddr(c)}:${c.rPort}`]));
      const pool = [...got];
      for (const w of want) {
        const i = pool.findIndex((g) => ourValue('msg_types', g.msg_types) === w.msg_types);
        assert.ok(i >= 0, `no record with msg_types ${w.msg_types}`);
        const g = pool.splice(i, 1)[0];
        for (const f of FIELDS) {
          // The relay-agent columns exist only where the test loaded Zeek's sub-opts policy.
          if (!(f in w)) continue;
          const zv = zeekValue(f, w[f]);
          const ov = ourValue(f, g[f]);
          if (typeof zv === 'number') assert.ok(typeof ov === 'number' && Math.abs(ov - zv) < 1e-6, `${w.msg_types} ${f}: ${ov} vs ${zv}`);
          else assert.equal(ov, zv, `${w.msg_types} ${f}`);
        }
        const zUids = w.uids.split(',');
        const oUids = g.uids as string[];
        assert.equal(oUids.length, zUids.length, `${w.msg_types} uids`);
        if (zconn.length) {
          assert.deepEqual(oUids.map((u) => ourTuple.get(u)).sort(), zUids.map((u) => zTuple.get(u)).sort(), `${w.msg_types} connections`);
        }
      }
    } finally {
      run.cleanup();
    }
  });
}

test("conn.log names DHCP flows 'dhcp' as Zeek's conn.log does", { skip }, async () => {
  const base = corpus('zeek', 'baselines', 'scripts.base.protocols.dhcp.dhcp-all-msg-types', 'conn.log');
  const want = readZeekTsv(base);
  const run = await runCaptures([corpus('zeek', 'traces', 'dhcp', 'dhcp.pcap')]);
  try {
    const svc = new Map(run.conns.map((c) => [`${protoName(c.proto)} ${origAddr(c)}:${c.oPort} > ${respAddr(c)}:${c.rPort}`, c.service]));
    for (const w of want) {
      const key = `${w.proto} ${w['id.orig_h']}:${w['id.orig_p']} > ${w['id.resp_h']}:${w['id.resp_p']}`;
      assert.equal(svc.get(key), w.service, key);
    }
  } finally {
    run.cleanup();
  }
});

/** Suricata's dhcp.params names (rust/src/dhcp/logger.rs) for the codes these tests use. */
const SURICATA_PARAM = new Map([['subnet_mask', 1], ['router', 3], ['dns_server', 6], ['domain', 15]]);

function suricataTest(dir: string): { pcap: string; checks: ReturnType<typeof suricataChecks> } {
  return { pcap: corpus('suricata-verify', 'tests', dir, 'input.pcap'), checks: suricataChecks(corpus('suricata-verify', 'tests', dir, 'test.yaml')) };
}

test("dhcp events agree with Suricata's EVE records (dhcp-eve-extended, dhcp-eve-extended-option-60)", { skip }, async () => {
  for (const dir of ['dhcp-eve-extended', 'dhcp-eve-extended-option-60']) {
    const { pcap, checks } = suricataTest(dir);
    const run = await runCaptures([pcap]);
    try {
      const evs = run.result.events.map((k) => k.ev).filter((e): e is DhcpMessageEvent => e.type === 'dhcp.message');
      const eves = checks.filter((c) => c.match.event_type === 'dhcp');
      assert.ok(eves.length >= 1, `${dir}: expectations found`);
      for (const c of eves) {
        const x = c.match;
        const ev = evs.find((e) => e.packet === Number(x.pcap_cnt));
        assert.ok(ev, `${dir}: event for packet ${x.pcap_cnt}`);
        assert.equal(ev.xid, Number(x['dhcp.id']));
        assert.equal(ev.from_client, x['dhcp.type'] === 'request');
        if (x['dhcp.client_mac'] !== undefined) assert.equal(ev.mac, x['dhcp.client_mac']);
        if (x['dhcp.client_id'] !== undefined) assert.equal(ev.client_id, x['dhcp.client_id']);
        // Suricata prints the raw bytes ("nas1\u0000"); wardline escapes the NUL as Zeek does.
        if (x['dhcp.hostname'] !== undefined) assert.equal(ev.host_name, x['dhcp.hostname'].replace(/\0/g, '\\x00'));
        if (x['dhcp.assigned_ip'] !== undefined) assert.equal(ev.yiaddr, x['dhcp.assigned_ip']);
        if (x['dhcp.lease_time'] !== undefined) assert.equal(ev.lease_time, Number(x['dhcp.lease_time']));
        if (x['dhcp.vendor_class_identifier'] !== undefined) assert.equal(ev.vendor_class, x['dhcp.vendor_class_identifier']);
        if (x['dhcp.routers[0]'] !== undefined) assert.equal(ev.routers?.[0], x['dhcp.routers[0]']);
        if (x['dhcp.dns_servers[0]'] !== undefined) assert.equal(ev.dns_servers?.[0], x['dhcp.dns_servers[0]']);
        // Suricata lists only the codes it has names for, in wire order: same relative order here.
        const named: number[] = [];
        for (let i = 0; x[`dhcp.params[${i}]`] !== undefined; i++) named.push(SURICATA_PARAM.get(x[`dhcp.params[${i}]`])!);
        if (named.length) {
          const ours = (ev.param_list ?? '').split(',').map(Number).filter((n) => named.includes(n));
          assert.deepEqual(ours, named, `${dir}: option 55 order`);
        }
      }
      assert.ok(run.conns.every((c) => c.service === 'dhcp'));
    } finally {
      run.cleanup();
    }
  }
});

test("option 52 overload: routers and DNS servers read from sname as Suricata expects", { skip }, async () => {
  const { pcap, checks } = suricataTest('dhcp-option-52-overload');
  const run = await runCaptures([pcap]);
  try {
    const evs = run.result.events.map((k) => k.ev).filter((e): e is DhcpMessageEvent => e.type === 'dhcp.message');
    const eves = checks.filter((c) => c.match.event_type === 'dhcp');
    assert.equal(eves.length, 4);
    for (const { match: x } of eves) {
      const ev = evs.find((e) => e.packet === Number(x.pcap_cnt));
      assert.ok(ev, `packet ${x.pcap_cnt}`);
      assert.equal(ev.msg_type.toLowerCase(), x['dhcp.dhcp_type']);
      assert.equal(ev.routers?.[0], x['dhcp.routers[0]']);
      assert.equal(ev.dns_servers?.[0], x['dhcp.dns_servers[0]']);
    }
  } finally {
    run.cleanup();
  }
});

test("DHCP transaction ids, MAC and message types match Arkime's wireshark-dhcp session", { skip }, async () => {
  const want = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'wireshark-dhcp.test')).map((s) => s.dhcp as Record<string, string[]>).filter(Boolean);
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'wireshark-dhcp.pcap')]);
  try {
    const evs = run.result.events.map((k) => k.ev).filter((e): e is DhcpMessageEvent => e.type === 'dhcp.message');
    const ids = new Set(want.flatMap((d) => d.id));
    assert.deepEqual(new Set(evs.map((e) => e.xid.toString(16))), ids);
    assert.deepEqual(new Set(evs.map((e) => e.msg_type)), new Set(want.flatMap((d) => d.type)));
    assert.deepEqual(new Set(evs.map((e) => e.mac)), new Set(want.flatMap((d) => d.mac)));
  } finally {
    run.cleanup();
  }
});

test("DHCPv6 transactions match Arkime's wireshark-dhcpv6 sessions and carry the client DUID", { skip }, async () => {
  const sessions = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'wireshark-dhcpv6.test'));
  const want = sessions.map((s) => s.dhcp as { id: string[]; type: string[] } | undefined).filter((d) => d !== undefined);
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'wireshark-dhcpv6.pcap')]);
  try {
    const recs = run.log('dhcpv6');
    assert.equal(recs.length, want.length);
    for (const d of want) {
      const xid = parseInt(d.id[0], 16);
      const evs = run.result.events.map((k) => k.ev).filter((e): e is Dhcp6MessageEvent => e.type === 'dhcpv6.message' && e.xid === xid);
      assert.deepEqual(new Set(evs.map((e) => e.msg_type)), new Set(d.type), d.id[0]);
      const rec = recs.find((r) => (r.msg_types as string[]).every((t) => d.type.includes(t)));
      assert.ok(rec, `dhcpv6.log record for ${d.id[0]}`);
      // tshark: "DUID: 000100011c39cf88080027fe8f95 … Link-layer address: 08:00:27:fe:8f:95",
      // "Option Request: Requested Option code: DNS recursive name server (23), Domain Search List (24)".
      assert.equal(rec.mac, '08:00:27:fe:8f:95');
      assert.equal(rec.duid, '000100011c39cf88080027fe8f95');
      assert.equal(rec.param_list, '23,24');
    }
    for (const s of sessions) {
      if ((s.protocol as string[]).includes('dhcpv6')) {
        const src = (s.source as { ip: string; port: number }).ip;
        const c = run.conns.find((k) => origAddr(k) === src && k.oPort === 546);
        assert.ok(c && c.service === 'dhcpv6', `service on ${src}`);
      }
    }
  } finally {
    run.cleanup();
  }
});

test('probe() finds DHCP by its magic cookie on any port and nothing in DNS', { skip }, async () => {
  const dhcp = await payloads(corpus('zeek', 'traces', 'dhcp', 'dhcp.pcap'), { proto: UDP });
  for (const p of dhcp) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP, 40000), PROBE_YES);
  const dns = await payloads(corpus('ndpi', 'pcap', 'dns.pcap'), { proto: UDP });
  for (const p of dns) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP, 40000), PROBE_NO);
});

test('parseDhcp() and parseDhcp6() survive truncation and mutation of real messages', { skip }, async () => {
  const seeds4 = [
    ...(await payloads(corpus('zeek', 'traces', 'dhcp', 'dhcp.pcap'))).slice(0, 3),
    ...(await payloads(corpus('zeek', 'traces', 'dhcp', 'dhcp_ack_subscriber_id_and_agent_remote_id.pcap'))),
    ...(await payloads(corpus('suricata-verify', 'tests', 'dhcp-option-52-overload', 'input.pcap'))).slice(2, 3),
    ...(await payloads(corpus('ndpi', 'pcap', 'dhcp-fuzz.pcapng'))),
  ].map((p) => p.bytes);
  fuzzParser(seeds4, (b) => {
    parseDhcp(b, 0, b.length);
  });
  const seeds6 = (await payloads(corpus('arkime', 'tests', 'pcap', 'wireshark-dhcpv6.pcap'), { proto: UDP })).map((p) => p.bytes);
  assert.ok(seeds6.length >= 4);
  fuzzParser(seeds6, (b) => {
    parseDhcp6(b, 0, b.length);
  });
});

test('parseDhcp6() unwraps a relay-forward to the client message (synthetic: no relayed capture in the corpus)', () => {
  const inner = [1, 0x10, 0x08, 0x74, 0, 6, 0, 2, 0, 23];
  const relay = [12, 0, ...new Array(32).fill(0), 0, 9, 0, inner.length, ...inner];
  const r = parseDhcp6(Uint8Array.from(relay), 0, relay.length);
  assert.ok(typeof r !== 'string');
  assert.equal(r.msgType, 1);
  assert.equal(r.xid, 0x100874);
  assert.equal(r.relayHops, 1);
  assert.deepEqual(r.oro, [23]);
});

test('a DHCP authentication option (90) never reaches an event or a log (real DISCOVER + synthetic option)', { skip }, async () => {
  const { DhcpAnalyzer } = await import('./analyzer.js');
  const { udpOutputs } = await import('../../testutil/secrets.js');
  const [p] = await payloads(corpus('zeek', 'traces', 'dhcp', 'dhcp_discover_param_req_and_client_id.pcap'));
  // RFC 3118 §2: protocol, algorithm, RDM, 8-byte replay detection, then the secret token.
  const token = Buffer.from('s3cr3t-token-xyz');
  const auth = [90, 11 + token.length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, ...token];
  const end = p.bytes.lastIndexOf(255);
  const b = new Uint8Array([...p.bytes.subarray(0, end), ...auth, 255]);
  const out = udpOutputs(new DhcpAnalyzer(), [b], 68, 67).join('\n');
  assert.ok(out.includes('"host_name":"test0000"'));
  assert.ok(!out.includes(token.toString()) && !out.includes(token.toString('hex')));
});
