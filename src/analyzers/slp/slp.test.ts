// SLP against nDPI's SLP traffic (test/fixtures/ndpi/ndpi-slp.pcap: Internet scanners' service
// and type requests, a registration flood with its one malformed frame, two replies, and an HP
// printer's SLPv1 attribute reply) with tshark 4.0's decode as the expected values
// (ndpi-slp.tshark.tsv); a synthetic ESXi exchange for what no capture holds (an agent answering
// service:VMwareInfrastructure and its product attribute, a registration acknowledged), probe
// cases and fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writeUdpPcap, type UdpPacket } from '../../testutil/pcapwriter.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { SlpAnalyzer } from './analyzer.js';
import { FUNCTIONS, ownUrls, parseAttributes, parseMessage, urlHost } from './parse.js';
import { probe } from './probe.js';

const FIX = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(FIX, 'ndpi-slp.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** tshark's columns (test/fixtures/ndpi/README.md has the command). */
interface Row {
  frame: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  version: number;
  fn: number;
  xid: number;
  lang: string;
  flags: number;
  srvtypelist: string;
  scopelist: string;
  typeScopes: string;
  attrUrl: string;
  lifetimes: string;
  urls: string;
  srvtype: string;
  attrlist: string;
  malformed: boolean;
}

function rows(): Row[] {
  return readFileSync(join(FIX, 'ndpi-slp.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const c = l.split('\t');
      return {
        frame: Number(c[0]),
        src: c[1],
        sport: Number(c[2]),
        dst: c[3],
        dport: Number(c[4]),
        version: Number(c[5]),
        fn: Number(c[6]),
        xid: Number(c[5] === '2' ? c[7] : c[8]),
        lang: c[5] === '2' ? c[9] : c[10],
        flags: c[11] === '' ? 0 : parseInt(c[11], 16),
        srvtypelist: c[12],
        scopelist: c[13],
        typeScopes: c[16],
        attrUrl: c[17],
        lifetimes: c[18],
        urls: c[19],
        srvtype: c[20],
        attrlist: c[21],
        malformed: c[24] !== '',
      };
    });
}

test("slp.log holds tshark's decode of every SLP message of nDPI's captures; the malformed one is a weird", async () => {
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('slp');
    const want = rows();
    assert.equal(want.length, 631);
    // Every message is logged once; a request repeated with its XID on its flow is a retransmission.
    assert.equal(log.reduce((n, l) => n + 1 + Number(l.retransmissions ?? 0), 0), want.length);
    for (const l of log) {
      const r = want.find((w) => w.src === l['id.orig_h'] && w.sport === l['id.orig_p'] && w.dst === l['id.resp_h'] && w.dport === l['id.resp_p'] && w.xid === l.xid);
      assert.ok(r !== undefined, `no tshark row for ${JSON.stringify(l)}`);
      assert.equal(l.version, r.version);
      assert.equal(l.function, FUNCTIONS[r.fn]);
      assert.equal(l.lang, r.lang);
      assert.equal(l.multicast === true, (r.flags & 0x2000) !== 0, `frame ${r.frame} multicast`);
      assert.equal(l.fresh === true, (r.flags & 0x4000) !== 0, `frame ${r.frame} fresh`);
      const type = r.fn === 3 ? r.srvtype : r.srvtypelist;
      assert.equal(l.service_type ?? '', type, `frame ${r.frame} service type`);
      assert.equal(l.scopes ?? '', r.fn === 9 ? r.typeScopes : r.scopelist, `frame ${r.frame} scopes`);
      assert.equal(l.url ?? '', r.attrUrl, `frame ${r.frame} AttrRqst URL`);
      assert.equal(((l.urls as string[] | undefined) ?? []).join(','), r.urls, `frame ${r.frame} URLs`);
      assert.equal(((l.lifetimes as number[] | undefined) ?? []).join(','), r.malformed ? '' : r.lifetimes, `frame ${r.frame} lifetimes`);
    }
    // The HP printer's SLPv1 attribute reply (frame 3): tshark's list, tags in order, and the
    // identity values kept (its MAC, GUID and address are not).
    const hp = log.find((l) => l.function === 'AttrRply')!;
    const tags = [...want.find((w) => w.fn === 7)!.attrlist.matchAll(/\(([^=)]+)=/g)].map((m) => m[1]);
    assert.deepEqual(hp.attributes, tags);
    assert.deepEqual(hp.attribute_values, [
      'x-hp-prod_id=Stella4NW_01',
      'x-hp-hn=DEV26FD28',
      'x-hp-p1=MFG:Hewlett-Packard;MDL:HP Color LaserJet Pro MFP M177fw;CMD:ACL,CMD,ZJS,URF,PCLm,PJL;CLS:PRINTER;DES:HP Color LaserJet Pro MFP M177fw;FWVER:20160926;LEDMDIS:USB#ff#04#01;CID:HPLJPCLMSV1;',
    ]);
    assert.deepEqual([hp['id.orig_p'], hp.agent, hp.answered, hp.error], [427, 'orig', true, 0]);
    // The two replies sent to port 427 from ephemeral ports name no agent.
    assert.ok(log.filter((l) => l.function === 'SrvRply').every((l) => l.agent === undefined && l.answered === undefined));
    // tshark marks one frame malformed (13: a SrvReg whose URL length, 0xff15, runs past the
    // datagram): a weird on its flow, and nothing else is.
    const bad = want.filter((w) => w.malformed);
    assert.deepEqual(bad.map((w) => w.frame), [13]);
    const weirds = run.log('weird');
    assert.deepEqual(weirds.map((w) => [w.name, w['id.orig_p'], w.packet]), [['slp.truncated_body', bad[0].sport, 13]]);
    const conns = run.log('conn');
    // Every flow but nmap's two payload-less SYNs to tcp/427.
    assert.deepEqual([...new Set(conns.map((c) => c.service ?? '-'))].sort(), ['-', 'slp']);
    assert.equal(conns.filter((c) => c.service === undefined).length, 2);
  } finally {
    run.cleanup();
  }
});

test("the HP printer that answered in nDPI's capture is an SLP agent and a printer, named by its attributes", async () => {
  const { devices } = await runInventory([PCAP], { external: true });
  const hp = deviceWithIp(devices, '23.220.116.175')!;
  assert.equal(hp.category, 'printer');
  assert.deepEqual([hp.vendor, hp.model], ['Hewlett-Packard', 'HP Color LaserJet Pro MFP M177fw']);
  assert.ok(hp.hostnames.includes('DEV26FD28'));
  assert.ok(hp.evidence.some((e) => e.fact === 'role' && e.value === 'slp-agent' && e.packet === 3));
  // Registrations of slpTest://test:31337/ name no host (one label) and no known service.
  const reg = deviceWithIp(devices, '208.100.177.136');
  assert.ok(reg === undefined || (reg.hostnames.length === 0 && reg.category !== 'printer'));
  // The sender of the example.com replies is no agent: they went from an ephemeral port to 427.
  const replier = deviceWithIp(devices, '44.99.113.150');
  assert.ok(replier === undefined || !replier.evidence.some((e) => e.value === 'slp-agent'));
});

// --- Synthetic: an ESXi host (no capture in reach has one; Debian has no slpd) ---------------

function v2(fn: number, xid: number, body: number[], flags = 0): Uint8Array {
  const lang = [0x65, 0x6e];
  const len = 14 + lang.length + body.length;
  return Uint8Array.from([2, fn, len >> 16, (len >> 8) & 0xff, len & 0xff, flags >> 8, flags & 0xff, 0, 0, 0, xid >> 8, xid & 0xff, 0, lang.length, ...lang, ...body]);
}

function s(text: string): number[] {
  const b = Array.from(enc(text));
  return [b.length >> 8, b.length & 0xff, ...b];
}

const ESXI_URL = 'service:VMwareInfrastructure://esxi-icu01.hospital.example.org';
const SRVRQST = v2(1, 0x1001, [...s(''), ...s('service:VMwareInfrastructure'), ...s('DEFAULT'), ...s(''), ...s('')]);
const SRVRPLY = v2(2, 0x1001, [0, 0, 0, 1, 0, 0xff, 0xff, ...s(ESXI_URL), 0]);
const ATTRRQST = v2(6, 0x1002, [...s(''), ...s(ESXI_URL), ...s('DEFAULT'), ...s('product'), ...s('')]);
// The product attribute as Nmap's vmware-svrloc-vulns script reads it from ESXi.
const ATTRRPLY = v2(7, 0x1002, [0, 0, ...s('(product="VMware ESXi 6.7.0 build-17167734")'), 0]);
const SRVREG = v2(3, 0x2001, [0, 0, 60, ...s('service:x-amp://10.20.0.99/'), 0, ...s('service:x-amp'), ...s('DEFAULT'), ...s('(a=' + 'A'.repeat(200) + ')'), 0], 0x4000);
const SRVACK = v2(5, 0x2001, [0, 0]);

function esxiPcap(): string {
  // Each host its own MAC, so the inventory keeps them apart.
  const macOf = (ip: string): string => `02:00:00:00:00:${Number(ip.split('.')[3]).toString(16).padStart(2, '0')}`;
  const at = (i: number, src: string, sport: number, dst: string, dport: number, payload: Uint8Array): UdpPacket => ({ ts: 1700000000 + i, src, sport, dst, dport, payload, srcMac: macOf(src), dstMac: macOf(dst) });
  return writeUdpPcap([
    at(0, '10.20.0.5', 50001, '10.20.0.21', 427, SRVRQST),
    at(0.01, '10.20.0.21', 427, '10.20.0.5', 50001, SRVRPLY),
    at(1, '10.20.0.5', 50001, '10.20.0.21', 427, ATTRRQST),
    at(1.01, '10.20.0.21', 427, '10.20.0.5', 50001, ATTRRPLY),
    at(2, '10.20.0.99', 40000, '10.20.0.21', 427, SRVREG),
    at(2.01, '10.20.0.21', 427, '10.20.0.99', 40000, SRVACK),
  ]);
}

test('synthetic ESXi exchange: requests and replies paired by XID in slp.log', async () => {
  const run = await runCaptures([esxiPcap()]);
  try {
    const log = run.log('slp');
    assert.deepEqual(
      log.map((l) => [l.function, l.reply, l.xid, l.agent, l.answered]),
      [
        ['SrvRqst', 'SrvRply', 0x1001, 'resp', true],
        ['AttrRqst', 'AttrRply', 0x1002, 'resp', true],
        ['SrvReg', 'SrvAck', 0x2001, 'orig', undefined],
      ],
    );
    assert.deepEqual([log[0].service_type, log[0].scopes, log[0].urls, log[0].lifetimes, log[0].error], ['service:VMwareInfrastructure', 'DEFAULT', [ESXI_URL], [65535], 0]);
    assert.deepEqual([log[1].url, log[1].tags, log[1].attributes, log[1].attribute_values], [ESXI_URL, 'product', ['product'], ['product="VMware ESXi 6.7.0 build-17167734"']]);
    // The registration's attribute value is no identity attribute: its tag only.
    assert.deepEqual([log[2].fresh, log[2].attributes, log[2].attribute_values, log[2].error], [true, ['a'], undefined, 0]);
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test('synthetic ESXi exchange: the host is an ESXi server with its release; the OpenSLP CVEs may apply', async () => {
  const path = esxiPcap();
  const { devices } = await runInventory([path]);
  const esxi = deviceWithIp(devices, '10.20.0.21')!;
  assert.equal(esxi.category, 'server');
  assert.deepEqual([esxi.os?.name, esxi.os?.version], ['VMware ESXi', '6.7.0']);
  assert.ok(esxi.hostnames.includes('esxi-icu01.hospital.example.org'));
  const roles = esxi.evidence.filter((e) => e.fact === 'role').map((e) => e.value);
  assert.ok(roles.includes('slp-agent') && roles.includes('esxi-host'));
  // The registering host names a service on its own address, which is no known kind.
  const client = deviceWithIp(devices, '10.20.0.5');
  assert.ok(client === undefined || !client.evidence.some((e) => e.fact === 'role' && e.value === 'slp-agent'));
  const a = await assessCaptures([path]);
  try {
    const on = a.result.findings.filter((f) => f.device === 'ip:10.20.0.21');
    const kev = on
      .filter((f) => f.rule === 'known-exploited-vulnerability')
      .map((f) => [f.cves?.[0], f.confirmed])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(kev, [
      ['CVE-2019-5544', false],
      ['CVE-2020-3992', false],
      ['CVE-2023-29552', true],
    ]);
    // CVE-2021-21974 (ESXiArgs) is in neither the bundled KEV catalog nor its NVD records: only a
    // newer feed imported with `kb import` makes it count, so it is not reported from this KB.
    assert.ok(!on.some((f) => f.cves?.includes('CVE-2021-21974')));
    const esxiCve = on.find((f) => f.cves?.[0] === 'CVE-2019-5544')!;
    assert.match(esxiCve.detail, /esxcli network firewall ruleset set -r CIMSLP -e 0/);
    assert.ok(esxiCve.evidence.some((e) => e.source === 'slp.urls' && e.value === ESXI_URL && e.packet === 2));
    const amp = on.find((f) => f.cves?.[0] === 'CVE-2023-29552')!;
    assert.ok(amp.evidence.some((e) => e.source === 'slp.srvack' && e.packet === 6 && /from 10\.20\.0\.99/.test(e.value)));
    // The client that asked is judged for nothing SLP.
    assert.ok(!a.result.findings.some((f) => f.device === 'ip:10.20.0.5' && f.cves?.some((c) => /^CVE-20(19-5544|20-3992|21-21974|23-29552)$/.test(c))));
  } finally {
    a.run.cleanup();
  }
});

test('an agent on the hospital network answering an Internet address may reflect (synthetic: no capture has one)', async () => {
  // A printer's slpd at 10.20.0.30 answers a service request from 198.51.100.7 (documentation range).
  const path = writeUdpPcap([
    { ts: 1700000000, src: '198.51.100.7', sport: 427, dst: '10.20.0.30', dport: 427, payload: v2(1, 0x3001, [...s(''), ...s('service:printer'), ...s('DEFAULT'), ...s(''), ...s('')]), srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:1e' },
    { ts: 1700000000.01, src: '10.20.0.30', sport: 427, dst: '198.51.100.7', dport: 427, payload: v2(2, 0x3001, [0, 0, 0, 1, 0, 0, 60, ...s('service:printer:lpr://10.20.0.30/queue'), 0]), srcMac: '02:00:00:00:00:1e', dstMac: '02:00:00:00:00:01' },
  ]);
  const a = await assessCaptures([path]);
  try {
    const amp = a.result.findings.filter((f) => f.cves?.[0] === 'CVE-2023-29552');
    assert.equal(amp.length, 1);
    assert.equal(amp[0].confirmed, false);
    assert.ok(amp[0].evidence.some((e) => e.source === 'slp.reply' && /answered 198\.51\.100\.7, an Internet address/.test(e.value)));
  } finally {
    a.run.cleanup();
  }
});

test('an agent that answered only a private address is no reflector finding; none is confirmed', async () => {
  const a = await assessCaptures([PCAP]);
  try {
    // 23.220.116.175 answered 192.168.199.71 (frame 3): an Internet server answering a LAN client,
    // not a hospital agent reachable from the Internet.
    const on = a.result.findings.filter((f) => f.device === 'ip:23.220.116.175');
    assert.deepEqual(on.filter((f) => f.cves !== undefined).map((f) => f.cves?.[0]), []);
    // The registration flood was never acknowledged: no host is a confirmed reflector.
    assert.ok(!a.result.findings.some((f) => f.cves?.includes('CVE-2023-29552') && f.confirmed === true));
    assert.ok(!a.result.findings.some((f) => f.cves?.includes('CVE-2021-21974')));
  } finally {
    a.run.cleanup();
  }
});

test('SLP over TCP: messages framed by their length across segments', () => {
  const half = SRVRPLY.length >> 1;
  const out = feedAnalyzer(new SlpAnalyzer(), [
    { isOrig: true, bytes: SRVRQST.subarray(0, 7) },
    { isOrig: true, bytes: SRVRQST.subarray(7) },
    { isOrig: false, bytes: SRVRPLY.subarray(0, half) },
    { isOrig: false, bytes: SRVRPLY.subarray(half) },
  ]);
  assert.deepEqual(out.services, ['slp']);
  assert.deepEqual(out.weirds, []);
  assert.deepEqual(out.events.map((e) => [e.function, e.reply, e.urls]), [['SrvRqst', 'SrvRply', [ESXI_URL]]]);
});

test('parseMessage() reads an error reply cut after its code, and bounds every length', () => {
  const err = v2(2, 7, [0, 4]);
  const m = parseMessage(err, 0, err.length);
  assert.ok(typeof m !== 'string');
  assert.deepEqual([m.function, m.error, m.damage], ['SrvRply', 4, undefined]);
  // A URL count larger than the message: what fits is read, the rest is a weird.
  const many = v2(2, 7, [0, 0, 0xff, 0xff, 0, 0, 1, ...s('service:x://a.example.org'), 0]);
  const mm = parseMessage(many, 0, many.length);
  assert.ok(typeof mm !== 'string');
  assert.deepEqual([mm.url_count, mm.urls.length, mm.damage], [0xffff, 1, 'truncated_body']);
  assert.equal(parseMessage(SRVRQST, 0, SRVRQST.length - 1), 'length_past_data');
  assert.equal(parseMessage(Uint8Array.from([3, 1, 0, 16]), 0, 4), 'bad_version');
});

test('parseAttributes() reads comma-separated, keyword and comma-less (HP) lists, unescaping values', () => {
  assert.deepEqual(parseAttributes('(a=1),kw,(b=x\\2cy)'), [{ tag: 'a', value: '1' }, { tag: 'kw' }, { tag: 'b', value: 'x,y' }]);
  assert.deepEqual(parseAttributes('(x-hp-ver=01)(x-hp-hn=DEV1)'), [{ tag: 'x-hp-ver', value: '01' }, { tag: 'x-hp-hn', value: 'DEV1' }]);
});

test("URL hosts, and which URLs describe the sender (a DA's reply names other agents)", () => {
  assert.equal(urlHost('service:printer:lpr://Printer3.example.org:515/queue'), 'printer3.example.org');
  assert.equal(urlHost('service:wbem:https://[fe80::1]:5989'), 'fe80::1');
  assert.equal(urlHost('service:x-hpnp-discover:'), '');
  assert.deepEqual(ownUrls(['service:a://10.0.0.1', 'service:b://10.0.0.2'], '10.0.0.1'), ['service:a://10.0.0.1']);
  assert.deepEqual(ownUrls(['service:a://h.example.org', 'service:b://h.example.org:80'], '10.0.0.1').length, 2);
  assert.deepEqual(ownUrls(['https://example.com/index.html', 'slp://test.org/test'], '10.0.0.1'), []);
});

test('probe(): a whole SLP message on UDP anywhere, its header on TCP 427 only', async () => {
  const flows = await flowBytes(PCAP);
  for (const f of flows) for (const c of f.chunks) {
    const want = c.bytes.length === 0 ? PROBE_NO : PROBE_YES;
    assert.equal(probe(c.bytes, 0, c.bytes.length, c.isOrig, 17, 427), want);
  }
  assert.equal(probe(SRVRQST, 0, SRVRQST.length, true, 17, 5000), PROBE_YES);
  assert.equal(probe(SRVRQST, 0, SRVRQST.length - 1, true, 17, 427), PROBE_NO, 'stated length must be the datagram');
  const longer = Uint8Array.from([...SRVRQST, 0]);
  assert.equal(probe(longer, 0, longer.length, true, 17, 427), PROBE_NO);
  assert.equal(probe(SRVRQST, 0, SRVRQST.length, true, 6, 427), PROBE_YES);
  assert.equal(probe(SRVRQST, 0, 16, true, 6, 427), PROBE_MAYBE, 'a first segment holding the header');
  assert.equal(probe(SRVRQST, 0, SRVRQST.length, true, 6, 80), PROBE_NO);
  const unknown = SRVRQST.slice();
  unknown[1] = 12;
  assert.equal(probe(unknown, 0, unknown.length, true, 17, 427), PROBE_NO, 'function 12 does not exist');
  // A RADIUS Access-Request (code 1, identifier 2, its length): SLPv1's first four bytes, but
  // no dialect 0, language code and encoding after them.
  const radius = new Uint8Array(44);
  radius.set([1, 2, 0, 44, 0x5a, 0x17, 0x9c, 0x03, 0xe1, 0x42, 0x77, 0x10]);
  assert.equal(probe(radius, 0, radius.length, true, 17, 1812), PROBE_NO);
  const dhcp = new Uint8Array(300);
  dhcp.set([1, 1, 6, 0]);
  assert.equal(probe(dhcp, 0, dhcp.length, true, 17, 67), PROBE_NO);
});

test('parsers and the analyzer survive truncation and mutation of the real and synthetic messages', async () => {
  const flows = await flowBytes(PCAP);
  const seen = new Set<string>();
  const seeds: Uint8Array[] = [];
  for (const f of flows) for (const c of f.chunks) {
    const k = Buffer.from(c.bytes).toString('hex');
    if (!seen.has(k)) {
      seen.add(k);
      seeds.push(c.bytes);
    }
  }
  seeds.push(SRVRPLY, ATTRRPLY, SRVREG);
  fuzzParser(
    seeds,
    (b) => {
      parseMessage(b, 0, b.length);
      probe(b, 0, b.length, true, 17, 427);
      probe(b, 0, b.length, true, 6, 427);
      feedAnalyzer(new SlpAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 17);
      feedAnalyzer(new SlpAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: true, bytes: b }], 6);
    },
    { mutations: 100 },
  );
});
