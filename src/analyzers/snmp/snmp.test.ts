// SNMP analyzer tests against peers on real captures: Zeek's snmp.log (v3) and its event dumps
// for v1/v2c (scripts.base.protocols.snmp.v1/v2 out*), Arkime's sessions for
// SNMPv2c_get_requests and snmpv3_synthetic, and suricata-verify's snmp-v2c-get and
// snmp-v3-encrypted counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arkimeSessions } from '../../testutil/peers.js';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines, type RunOutput } from '../../testutil/corpus.js';
import { flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { PDU_NAMES, parseSnmp } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const trace = (n: string): string => corpus('zeek', 'traces', 'snmp', n);
const ARKIME_V2C = corpus('arkime', 'tests', 'pcap', 'SNMPv2c_get_requests.pcap');
const ARKIME_V3 = corpus('arkime', 'tests', 'pcap', 'snmpv3_synthetic.pcap');
const SURICATA_V3 = corpus('suricata-verify', 'tests', 'snmp-v3-encrypted', 'SNMPv3.pcap');

function allOutput(run: RunOutput): string {
  let s = '';
  for (const f of readdirSync(join(run.outDir, 'logs'))) s += readFileSync(join(run.outDir, 'logs', f), 'utf8');
  return s + JSON.stringify(run.result.events);
}

interface ZeekPdu {
  event: string;
  origP: number;
  community: string | null;
  requestId: number | null;
  bindings: { oid: string; tag: number; value: string }[];
}

/** Reads Zeek's snmp-test.zeek dump (event name, conn id, header, request id, oid/value lines). */
function readZeekDump(path: string): ZeekPdu[] {
  const out: ZeekPdu[] = [];
  let cur: ZeekPdu | null = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^snmp_\w+$/.test(line)) {
      cur = { event: line, origP: 0, community: null, requestId: null, bindings: [] };
      out.push(cur);
    } else if (cur !== null) {
      let m = /orig_p=(\d+)\/udp/.exec(line);
      if (m) cur.origP = Number(m[1]);
      m = /^ {2}\[community=(.*)\]$/.exec(line);
      if (m) cur.community = m[1];
      m = /^ {4}request_id: +(\d+)/.exec(line);
      if (m) cur.requestId = Number(m[1]);
      m = /^ {4}oid: (.*)$/.exec(line);
      if (m) cur.bindings.push({ oid: m[1], tag: -1, value: '' });
      m = /^ {4}value \(tag=0x([0-9a-f]+)\): ?(.*)$/.exec(line);
      if (m && cur.bindings.length) {
        const b = cur.bindings[cur.bindings.length - 1];
        b.tag = parseInt(m[1], 16);
        b.value = m[2];
      }
    }
  }
  return out;
}

// Zeek's snmp-test.zeek prints its get_next_request handler under the name snmp_get_request
// (tshark shows get-next-request for those packets), so both map to that name here.
const ZEEK_EVENT: Record<string, string> = {
  get_request: 'snmp_get_request',
  get_next_request: 'snmp_get_request',
  response: 'snmp_response',
  set_request: 'snmp_set_request',
  trap: 'snmp_trap',
  get_bulk_request: 'snmp_get_bulk_request',
  report: 'snmp_report',
};

const DUMPS: [string, string][] = [
  ['snmpv1_get.pcap', 'scripts.base.protocols.snmp.v1/out1'],
  ['snmpv1_set.pcap', 'scripts.base.protocols.snmp.v1/out3'],
  ['snmpv1_trap.pcap', 'scripts.base.protocols.snmp.v1/out4'],
  ['snmpv2_get.pcap', 'scripts.base.protocols.snmp.v2/out1'],
  ['snmpv2_get_bulk.pcap', 'scripts.base.protocols.snmp.v2/out2'],
  ['snmpv2_get_next.pcap', 'scripts.base.protocols.snmp.v2/out3'],
  ['snmpv3_get_next.pcap', 'scripts.base.protocols.snmp.v3/out1'],
];

for (const [pcap, dump] of DUMPS) {
  test(`parseSnmp() reads the PDUs, request ids, OIDs and values Zeek dumps for ${pcap}`, { skip }, async () => {
    const want = readZeekDump(corpus('zeek', 'baselines', dump));
    const got: ZeekPdu[] = [];
    for (const f of await flowBytes(trace(pcap))) {
      for (const c of f.chunks) {
        const m = parseSnmp(c.bytes, 0, c.bytes.length);
        assert.notEqual(m, 'bad');
        if (m === 'bad') continue;
        got.push({
          event: ZEEK_EVENT[PDU_NAMES[m.pduType]],
          origP: f.oPort,
          community: m.community ?? null,
          requestId: m.requestId ?? null,
          bindings: m.varbinds.map((b) => ({ oid: b.oid, tag: b.tag, value: b.value === undefined ? '' : String(b.value) })),
        });
      }
    }
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) {
      const w = want[i];
      const g = got[i];
      assert.equal(g.event, w.event, `pdu ${i}`);
      assert.equal(g.origP, w.origP, `pdu ${i} port`);
      if (w.requestId !== null) assert.equal(g.requestId, w.requestId, `pdu ${i} request id`);
      if (w.community !== null) assert.equal(g.community, w.community, `pdu ${i} community (parser only; never output)`);
      assert.deepEqual(g.bindings.map((b) => b.oid), w.bindings.map((b) => b.oid), `pdu ${i} oids`);
      for (let j = 0; j < w.bindings.length; j++) {
        assert.equal(g.bindings[j].tag, w.bindings[j].tag, `pdu ${i} binding ${j} tag`);
        // Zeek prints NULL as <unspecified> and IpAddress via its own formatter; compare the rest.
        if (w.bindings[j].tag !== 0x05 && w.bindings[j].tag !== 0x40) assert.equal(g.bindings[j].value, w.bindings[j].value, `pdu ${i} binding ${j} value`);
      }
    }
  });
}

test("snmp.log matches Zeek's snmp.log baselines", { skip }, async () => {
  const bases = zeekBaselines('snmp.log');
  assert.ok(bases.length >= 1);
  for (const { trace: t, baseline } of bases) {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([t]);
    try {
      const got = run.log('snmp');
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) {
        const w = want[i];
        const g = got[i];
        for (const k of ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'version', 'get_requests', 'get_bulk_requests', 'get_responses', 'set_requests']) assert.equal(String(g[k]), w[k], k);
        assert.equal(Number(g.duration).toFixed(6), w.duration);
        // v3 has no community: Zeek logs the USM user name there, which is no secret.
        assert.equal(g.community, w.community);
        assert.equal(g.display_string ?? '-', w.display_string);
      }
    } finally {
      run.cleanup();
    }
  }
});

test('v1 and v2c sessions log the community as <redacted> and report a digest with the default flag', { skip }, async () => {
  const run = await runCaptures([trace('snmpv1_get.pcap'), trace('snmpv2_get_next.pcap'), trace('snmpv1_set.pcap')]);
  try {
    const log = run.log('snmp');
    assert.ok(log.length > 30);
    for (const r of log) assert.equal(r.community, '<redacted>');
    const creds = run.result.events.filter((e) => e.ev.type === 'snmp.credential').map((e) => e.ev);
    // Zeek's dumps: v1_get uses "public", v2_get_next "[R0_C@cti!]", v1_set an empty community.
    const v1 = creds.filter((c) => c.server === '172.31.19.73');
    assert.ok(v1.length > 0 && v1.every((c) => c.community_is_default === true));
    const v2 = creds.filter((c) => c.server === '10.144.246.161');
    assert.ok(v2.length === 4 && v2.every((c) => c.community_is_default === false));
    for (const c of creds) assert.match(String(c.secret), /^[0-9a-f]{64}$/);
    // Zeek's out1 for snmpv2_get_next: sysUpTime 76705700 ticks in the response of port 43824.
    const up = log.find((r) => r['id.orig_p'] === 43824)!;
    const respTs = 1222366202.195237;
    assert.ok(Math.abs(Number(up.up_since) - (respTs - 767057)) < 0.001);
    // The v1_get agent's system group: sysObjectID from Zeek's out1.
    const sys = run.result.events.filter((e) => e.ev.type === 'snmp.system').map((e) => e.ev);
    assert.ok(sys.some((s) => s.sys_object_id === '1.3.6.1.4.1.2001.1.1.1.297.93.1.27.2.2.1' && s.host === '172.31.19.73'));
    assert.ok(sys.some((s) => s.sys_name === 'B6300'));
  } finally {
    run.cleanup();
  }
});

test('Arkime SNMPv2c_get_requests: same sessions, PDU types and variables; the community is never shown', { skip }, async () => {
  const arkime = JSON.parse(readFileSync(ARKIME_V2C.replace(/\.pcap$/, '.test'), 'utf8')) as { sessions3: { body: { source: { port: number }; snmp: { type: string[]; variable: string[]; community: string[] } } }[] };
  const run = await runCaptures([ARKIME_V2C]);
  try {
    const pdus = run.result.events.filter((e) => e.ev.type === 'snmp.pdu');
    const byPort = new Map<number, { types: Set<string>; oids: Set<string> }>();
    for (const f of await flowBytes(ARKIME_V2C)) {
      const s = { types: new Set<string>(), oids: new Set<string>() };
      for (const ch of f.chunks) {
        const m = parseSnmp(ch.bytes, 0, ch.bytes.length);
        if (m === 'bad') continue;
        s.types.add(PDU_NAMES[m.pduType]);
        for (const b of m.varbinds) s.oids.add(b.oid);
      }
      byPort.set(f.oPort, s);
    }
    // Arkime's names: GetRequest, GetNextRequest, GetResponse.
    const names: Record<string, string> = { GetRequest: 'get_request', GetNextRequest: 'get_next_request', GetResponse: 'response' };
    for (const s of arkime.sessions3) {
      const mine = byPort.get(s.body.source.port)!;
      assert.deepEqual([...mine.types].sort(), s.body.snmp.type.map((t) => names[t]).sort());
      assert.deepEqual([...mine.oids].sort(), [...s.body.snmp.variable].sort());
    }
    assert.equal(pdus.length, 8);
    // Arkime stores and shows the community; wardline must not, anywhere.
    const community = arkime.sessions3[0].body.snmp.community[0];
    assert.equal(community, '[R0_C@cti!]');
    assert.ok(!allOutput(run).includes(community));
    assert.deepEqual(run.conns.map((c) => c.service), ['snmp', 'snmp', 'snmp', 'snmp']);
  } finally {
    run.cleanup();
  }
});

test('Arkime snmpv3_synthetic: v3 users logged, communities judged default or not and never shown', { skip }, async () => {
  const run = await runCaptures([ARKIME_V3]);
  try {
    const evs = (type: string) => run.result.events.filter((e) => e.ev.type === type).map((e) => e.ev);
    // Arkime's sessions: public (GetRequest, GetBulkRequest …), private (GetResponse), secret123
    // (SetRequest). Every message goes to 10.0.0.161 and none is answered (tshark: no reply in
    // the file): the requests' communities are tried, then reported unanswered when the flow
    // ends; the GetResponse's community was accepted by its sender, 10.0.0.137.
    const tried = new Map(evs('snmp.community').map((c) => [c.client, c.community_is_default]));
    assert.equal(tried.get('10.0.0.202'), true);
    assert.equal(tried.get('10.0.0.48'), false);
    const creds = evs('snmp.credential');
    assert.deepEqual(creds.filter((c) => c.success === true).map((c) => [c.server, c.client, c.community_is_default]), [['10.0.0.137', '10.0.0.161', true]]);
    const unanswered = creds.filter((c) => c.answered === false);
    assert.ok(unanswered.length > 0 && unanswered.every((c) => c.server === '10.0.0.161' && c.success === undefined));
    const byClient = new Map(unanswered.map((c) => [c.client, c.community_is_default]));
    assert.equal(byClient.get('10.0.0.202'), true);
    assert.equal(byClient.get('10.0.0.48'), false);
    assert.equal(creds.length, unanswered.length + 1);
    const users = new Set(run.result.events.filter((e) => e.ev.type === 'snmp.pdu' && e.ev.user).map((e) => e.ev.user));
    for (const u of ['admin_user', 'monitor', 'readonly']) assert.ok(users.has(u), u);
    const out = allOutput(run);
    for (const secret of ['secret123', '"public"', '"private"']) assert.ok(!out.includes(secret), `${secret} leaked`);
  } finally {
    run.cleanup();
  }
});

test('suricata-verify snmp-v3-encrypted: 8 v3 PDUs, 2 get_request, 4 encrypted', { skip }, async () => {
  const run = await runCaptures([SURICATA_V3]);
  try {
    const pdus = run.result.events.filter((e) => e.ev.type === 'snmp.pdu').map((e) => e.ev);
    assert.equal(pdus.filter((p) => p.version === '3').length, 8);
    assert.equal(pdus.filter((p) => p.pdu_type === 'get_request').length, 2);
    assert.equal(pdus.filter((p) => p.pdu_type === 'encrypted').length, 4);
  } finally {
    run.cleanup();
  }
});

test("the PROTOS-style v1 traps of Wireshark's wiki capture: a Trap-PDU tag written in long form is read, mutated tags are not", { skip }, async () => {
  // suricata-verify firewall-54 replays the Wireshark wiki's c06-snmpv1-trap-app-r1 (PROTOS
  // c06-snmpv1). tshark 4.0 decodes frames 1-7 as traps, frame 7's PDU tag written "bf 04"
  // (high-tag-number form of [4]); frames 8-12 carry tags 18, 132, 16388 … and tshark shows no
  // PDU for them.
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'firewall', 'ruletype-firewall-54-snmp-v1-trap', 'public-wiresharkwiki-c06-snmpv1-trap-app-r1-1-12.pcap')]);
  try {
    const pdus = run.result.events.filter((e) => e.ev.type === 'snmp.pdu').map((e) => e.ev);
    assert.deepEqual(pdus.map((p) => p.pdu_type), Array(7).fill('trap'));
    // Their header (version, community) is whole: the community is still a clear-text
    // credential, and the PDU a malformation.
    assert.deepEqual(run.log('weird').map((w) => [w.packet, w.name]), [8, 9, 10, 11, 12].map((n) => [n, 'snmp.malformed_pdu']));
  } finally {
    run.cleanup();
  }
});

test('probe() recognises SNMP datagrams of each version and rejects others', { skip }, async () => {
  for (const p of ['snmpv1_get.pcap', 'snmpv2_get.pcap', 'snmpv3_get_next.pcap']) {
    const [f] = await flowBytes(trace(p));
    const b = f.chunks[0].bytes;
    assert.equal(probe(b, 0, b.length, true, 17), PROBE_YES, p);
    assert.equal(probe(b, 0, b.length - 1, true, 17), PROBE_MAYBE, `${p} short`);
  }
  const dns = Uint8Array.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  assert.equal(probe(dns, 0, dns.length, true, 17), PROBE_NO);
});

test('parseSnmp() survives truncation and mutation of real datagrams', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const p of ['snmpv1_get.pcap', 'snmpv1_trap.pcap', 'snmpv2_get_bulk.pcap', 'snmpv3_get_next.pcap']) {
    for (const f of (await flowBytes(trace(p))).slice(0, 3)) for (const c of f.chunks) seeds.push(c.bytes);
  }
  fuzzParser(seeds, (b) => {
    parseSnmp(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
  });
});

test("every session Arkime's snmpv3_synthetic.test calls snmp is snmp in conn.log, the bare-community one too", { skip }, async () => {
  const pcap = corpus('arkime', 'tests', 'pcap', 'snmpv3_synthetic.pcap');
  const sessions = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'snmpv3_synthetic.test')).filter((s) => (s.protocol as string[]).includes('snmp'));
  const run = await runCaptures([pcap]);
  try {
    for (const s of sessions) {
      const port = (s.source as { port: number }).port;
      const c = run.conns.find((x) => x.oPort === port)!;
      assert.equal(c.service, 'snmp', String(port));
    }
    // 10.0.1.11:40002 sends version 1, community "public" and then an INTEGER where the PDU
    // belongs (Arkime: community public, version 1): the community is counted, the PDU is a weird.
    const l = run.log('snmp').find((x) => x['id.orig_p'] === 40002)!;
    assert.equal(l.community, '<redacted>');
    assert.ok(run.log('weird').some((w) => w['id.orig_p'] === 40002 && w.name === 'snmp.malformed_pdu'));
  } finally {
    run.cleanup();
  }
});
