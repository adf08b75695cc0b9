// IGMP and MLD against tshark 4.0's decode of the corpus captures that hold any (a scan of every
// corpus capture with tshark found these six; test/fixtures/multicast/*.tshark.tsv, the command
// in test/fixtures/multicast/README.md): IGMPv3 joins, leaves and group queries (Arkime igmp),
// IGMPv2 reports and leaves (nDPI), IGMPv3 and MLDv2 from one host (Zeek mdns), MLDv2 reports
// (Arkime, suricata-verify); and fuzzing of the parsers. Each distinct message per sender is
// logged once, at its first frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { pcapFrames } from '../../testutil/pcapwriter.js';
import { parseIgmp, parseMld } from './parse.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';

const skip = !haveCorpus() && 'shared corpus not present';
const FIX = join(REPO_ROOT, 'test', 'fixtures', 'multicast');
const CAPTURES: [string, string[]][] = [
  ['arkime-igmp', ['arkime', 'tests', 'pcap', 'igmp.pcap']],
  ['arkime-wireshark-dhcpv6', ['arkime', 'tests', 'pcap', 'wireshark-dhcpv6.pcap']],
  ['ndpi-tls_certificate_too_long', ['ndpi', 'pcap', 'tls_certificate_too_long.pcap']],
  ['sv-smb2-ntlmssp-negotiateflags', ['suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap']],
  ['zeek-mdns', ['zeek', 'traces', 'dns', 'mdns.pcap']],
  ['sv-ipv6-malformed-fragments-9', ['suricata-verify', 'tests', 'ipv6-evasion', 'ipv6-malformed-fragments-9', 'frag-9.pcap']],
];

/** RFC 3376 §4.2.12 record types as the log names them: an empty include list is a leave, an empty exclude list a join. */
function record(type: number, nsrc: number): string {
  if ((type === 1 || type === 3) && nsrc === 0) return 'leave';
  if ((type === 2 || type === 4) && nsrc === 0) return 'join';
  return ['', 'is_include', 'is_exclude', 'to_include', 'to_exclude', 'allow', 'block'][type];
}

/**
 * tshark's row as the log's fields: sender, MAC, protocol and version, message type, a query's
 * group and maximum response time, the groups. Rows: frame, ip.src, ipv6.src, eth.src, igmp
 * type, version, group(s), record types, source counts, max resp (1/10 s), ICMPv6 type, MLDv2
 * groups, record types, source counts.
 */
function fromTshark(r: string[]): string {
  const list = (s: string): string[] => (s === '' ? [] : s.split(','));
  let out: unknown[];
  if (r[4] !== '') {
    const type = Number(r[4]);
    const groups = list(r[6]);
    if (type === 0x11) out = ['igmp', Number(r[5]), 'query', groups[0] === '0.0.0.0' ? undefined : groups[0], Number(r[9]) * 100, undefined];
    else if (type === 0x22) {
      const types = list(r[7]).map(Number);
      const n = list(r[8]).map(Number);
      out = ['igmp', 3, 'report', undefined, undefined, groups.map((g, i) => `${g}:${record(types[i], n[i])}`)];
    } else out = ['igmp', type === 0x12 ? 1 : 2, type === 0x17 ? 'leave' : 'report', undefined, undefined, [`${groups[0]}:${type === 0x17 ? 'leave' : 'join'}`]];
  } else {
    const groups = list(r[11]);
    const types = list(r[12]).map(Number);
    const n = list(r[13]).map(Number);
    assert.equal(r[10], '143', 'only MLDv2 reports in these captures');
    out = ['mld', 2, 'report', undefined, undefined, groups.map((g, i) => `${g}:${record(types[i], n[i])}`)];
  }
  return JSON.stringify([r[1] !== '' ? r[1] : r[2], r[3], ...out]);
}

test("multicast.log: each sender's distinct IGMP and MLD messages, at their first frame, with tshark's version, type, groups and records", { skip }, async () => {
  for (const [name, path] of CAPTURES) {
    const rows = readTsharkFields(join(FIX, `${name}.tshark.tsv`));
    const want: [number, string][] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const k = fromTshark(r);
      if (seen.has(k)) continue;
      seen.add(k);
      want.push([Number(r[0]), k]);
    }
    const run = await runCaptures([corpus(...path)]);
    try {
      const got = run.log('multicast').map((l) => [l.packet as number, JSON.stringify([l.src, l.mac_src, l.protocol, l.version, l.msg_type, l.group, l.max_resp_ms, l.groups])]);
      assert.deepEqual(got, want, name);
      assert.deepEqual(Object.keys(run.result.weirds).filter((w) => w.startsWith('igmp.') || w.startsWith('mld.')), [], name);
    } finally {
      run.cleanup();
    }
  }
});

test('parseIgmp() and parseMld() survive truncation and mutation of real messages', { skip }, () => {
  // Arkime's IGMP frames after Ethernet (14) and the IPv4 header with its Router Alert (24).
  const igmp = pcapFrames(corpus('arkime', 'tests', 'pcap', 'igmp.pcap'), 14 + 24);
  assert.ok(igmp.every((x) => parseIgmp(x, 0, x.length) !== 'bad'));
  fuzzParser(igmp.slice(0, 8), (b) => {
    parseIgmp(b, 0, b.length);
  });
  // Zeek mdns.pcap's MLDv2 reports after Ethernet (14), IPv6 (40) and Hop-by-Hop (8).
  const all = pcapFrames(corpus('zeek', 'traces', 'dns', 'mdns.pcap'));
  const mld = [6, 7, 15].map((n) => all[n - 1].subarray(14 + 40 + 8));
  assert.ok(mld.every((x) => parseMld(x, 0, x.length) !== 'bad'));
  fuzzParser(mld, (b) => {
    parseMld(b, 0, b.length);
  });
});

test("IGMP and MLD in the inventory: Arkime's querier (tshark: queries from 20.0.1.1) is network gear with its address; a member of all-routers (suricata-verify's frag-9: ff02::2) routes", { skip }, async () => {
  const igmp = await runPipeline([corpus('arkime', 'tests', 'pcap', 'igmp.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  const querier = igmp.report.devices.find((d) => d.id === 'mac:08:00:27:a5:d7:eb')!;
  assert.deepEqual([querier.category, querier.ips], ['network', ['20.0.1.1']]);
  assert.ok(querier.evidence.some((e) => e.fact === 'role' && e.value === 'multicast-querier' && e.source === 'igmp.query' && e.packet === 4));
  assert.deepEqual(igmp.report.devices.find((d) => d.id === 'mac:08:00:27:30:c5:75')?.ips, ['20.0.1.100']);
  const frag = await runPipeline([corpus('suricata-verify', 'tests', 'ipv6-evasion', 'ipv6-malformed-fragments-9', 'frag-9.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  const router = frag.report.devices.find((d) => d.id === 'mac:00:23:55:9c:73:26')!;
  assert.equal(router.category, 'network');
  assert.ok(router.evidence.some((e) => e.fact === 'role' && e.value === 'multicast-router' && e.source === 'mld.group' && e.packet === 4));
});

test("nmap's IP protocol scan sends an IGMP query to the target's own address: a probe, so the scanner is no querier and no network gear (generated-nmap-protocol-scan.pcap)", async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'protocol-scan');
  // tshark: the IGMP queries (igmp.type 0x11) all go from the scanner to the target's unicast address.
  const rows = readTsharkFields(join(dir, 'generated-nmap-protocol-scan.tshark.tsv')).slice(1);
  const queries = rows.filter((r) => r[6] === '0x11');
  assert.ok(queries.length > 0);
  assert.ok(queries.every((r) => r[1] === '10.95.0.31' && r[2] === '10.95.0.61'));
  const run = await runPipeline([join(dir, 'generated-nmap-protocol-scan.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  const scanner = run.report.devices.find((d) => d.ips.includes('10.95.0.31'))!;
  assert.ok(!scanner.evidence.some((e) => e.fact === 'role'), JSON.stringify(scanner.evidence.filter((e) => e.fact === 'role')));
  assert.notEqual(scanner.category, 'network');
});
