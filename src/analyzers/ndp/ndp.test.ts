// Neighbor Discovery against tshark 4.0's decode of every corpus capture that holds ND messages
// (test/fixtures/ndp/*.tshark.tsv) and of the generated captures of radvd and THC-IPv6
// (test/fixtures/generated/ndp/), plus the binding events the inventory and the monitor use,
// RFC 4861's validity checks, and fuzzing of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, linesByFrame, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { payloads } from '../../testutil/payloads.js';
import { writePcap } from '../../testutil/pcapwriter.js';
import { parseNd } from './parse.js';
import type { NdBinding } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const ND_FIX = join(REPO_ROOT, 'test', 'fixtures', 'ndp');

const TYPES: Record<string, string> = { '133': 'router_solicitation', '134': 'router_advertisement', '135': 'neighbor_solicitation', '136': 'neighbor_advertisement', '137': 'redirect' };
// tshark's icmpv6.nd.ra.flag.prf values (RFC 4191 §2.1).
const PRF: Record<string, string> = { '0': 'medium', '1': 'high', '3': 'low' };

function tsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** Each ndp.log line against tshark's row for the same frame (only ND rows: tshark's files of generated captures list echo packets too). */
function compare(log: Record<string, unknown>[], rows: string[][]): void {
  const nd = rows.filter((r) => TYPES[r[4]] !== undefined);
  for (const { l, r, at } of linesByFrame(log, nd, 'one line per ND message')) {
    assert.equal(l.mac_src, r[1], at);
    assert.equal(l.src, r[2], at);
    assert.equal(l.hop_limit, Number(r[3]), at);
    assert.equal(l.msg_type, TYPES[r[4]], at);
    assert.equal(l.target ?? '', r[5] !== '' ? r[5] : r[6], at);
    // tshark lists every link-layer address option; a message carries at most one of the kind we read.
    assert.equal(l.lladdr ?? '', r[7].split(',')[0], at);
    if (r[4] === '136') assert.deepEqual([l.router, l.solicited, l.override].map((b) => (b ? '1' : '0')), [r[8], r[9], r[10]], at);
    if (r[4] === '134') {
      assert.equal(l.preference, PRF[r[11]], at);
      assert.equal(l.router_lifetime, Number(r[12]), at);
    }
    // tshark's icmpv6.opt.prefix holds the Prefix Information and the Route Information options' prefixes.
    const prefixes = [...((l.prefixes as string[] | undefined) ?? []), ...((l.routes as string[] | undefined) ?? [])];
    assert.deepEqual(
      prefixes.map((p) => p.split('/')[0]).sort(),
      (r[13] === '' ? [] : r[13].split(',')).sort(),
      at,
    );
    assert.deepEqual((l.rdnss as string[] | undefined) ?? [], r[14] === '' ? [] : r[14].split(','), at);
  }
}

const CORPUS_CASES: [string, string[]][] = [
  ['c1222', ['arkime', 'tests', 'pcap', 'c1222.pcap']],
  ['wireshark-dhcpv6', ['arkime', 'tests', 'pcap', 'wireshark-dhcpv6.pcap']],
  ['frag-9', ['suricata-verify', 'tests', 'ipv6-evasion', 'ipv6-malformed-fragments-9', 'frag-9.pcap']],
  ['smb2-ntlmssp-negotiateflags', ['suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap']],
];

for (const [name, path] of CORPUS_CASES) {
  test(`ndp.log matches tshark's Neighbor Discovery decode of ${name}`, { skip }, async () => {
    const run = await runCaptures([corpus(...path)]);
    try {
      compare(run.log('ndp'), tsv(join(ND_FIX, `${name}.tshark.tsv`)));
    } finally {
      run.cleanup();
    }
  });
}

test("ndp.log matches tshark for radvd's routers, the kernel's ND and THC-IPv6's rogue routers and poisoning (generated)", async () => {
  const run = await runCaptures([join(GEN, 'generated-ipv6-nd.pcap')]);
  try {
    const log = run.log('ndp');
    compare(log, tsv(join(GEN, 'ndp', 'tshark.tsv')));
    // radvd's RA: RDNSS and DNSSL as configured (generate.sh), M/O off, the prefix on-link and autonomous.
    const ra = log.find((l) => l.msg_type === 'router_advertisement' && l.mac_src === '02:97:06:00:00:01')!;
    assert.deepEqual([ra.rdnss, ra.dnssl, ra.managed, ra.other, ra.prefix_info, ra.cur_hop_limit], [['fd00:97:6::53'], ['ward.example'], false, false, ['LA 86400/14400'], 64]);
    // fake_router26 -E H and -E 1: the RA behind a hop-by-hop header and behind an atomic fragment header is read all the same.
    assert.ok(['fe80::66:4', 'fe80::66:5'].every((s) => log.some((l) => l.src === s && l.msg_type === 'router_advertisement' && l.mtu === 1500)));
    assert.equal(run.result.weirds['analyzer.ndp.failed'], undefined);
  } finally {
    run.cleanup();
  }
});

test('the RA flood of flood_router26: 25 prefixes and 25 routes an advertisement, read as tshark does (generated)', async () => {
  const run = await runCaptures([join(GEN, 'generated-ipv6-ra-flood.pcap')]);
  try {
    const log = run.log('ndp');
    compare(log, tsv(join(GEN, 'ndp', 'tshark-flood.tsv')));
    const flood = log.filter((l) => l.router_lifetime === 65535);
    assert.ok(flood.length > 90);
    for (const l of flood) {
      assert.equal((l.prefixes as string[]).length, 25);
      assert.equal((l.routes as string[]).length, 25);
    }
  } finally {
    run.cleanup();
  }
});

test('bindings: solicitations and advertisements bind their link-layer address option; DAD, non-overriding answers say so', async () => {
  const events: NdBinding[] = [];
  const run = await runCaptures([join(GEN, 'generated-ipv6-nd.pcap')], undefined, { onEvent: (ev) => ev.type === 'ndp.binding' && events.push(ev as NdBinding) });
  try {
    const rows = tsv(join(GEN, 'ndp', 'tshark.tsv'));
    // Every ND message with a link-layer option and a real sender (not DAD's ::) gives one binding.
    const want = rows.filter((r) => TYPES[r[4]] !== undefined && r[7] !== '' && r[2] !== '::').map((r) => Number(r[0]));
    assert.deepEqual(
      events.map((e) => e.packet),
      want,
    );
    // parasite6's answers claim fd00:97:6::2 for its own MAC, with the override flag.
    const spoofed = events.filter((e) => e.ip === 'fd00:97:6::2' && e.mac === '02:97:06:00:00:66');
    assert.ok(spoofed.length >= 1 && spoofed.every((e) => e.source === 'ndp.na' && e.override));
    assert.ok(events.some((e) => e.source === 'ndp.ra' && e.ip === 'fe80::97:6ff:fe00:1' && e.mac === '02:97:06:00:00:01'));
  } finally {
    run.cleanup();
  }
});

// Synthetic: no capture holds a forwarded (hop limit < 255) ND message, which RFC 4861 §7.1.2
// tells hosts to drop, nor an NA without the override flag carrying a target address option.
test('a neighbor advertisement that was routed is marked bad and binds nothing; one without O is not overriding (synthetic)', async () => {
  const [na] = await payloads(join(GEN, 'generated-ipv6-nd.pcap'), { proto: 58, header: true }).then((ps) => ps.filter((p) => p.packet === 10));
  const frame = (hlim: number, flags: number): Uint8Array => {
    const icmp = Buffer.from(na.bytes);
    icmp[4] = flags;
    const ip6 = Buffer.alloc(40);
    ip6[0] = 0x60;
    ip6.writeUInt16BE(icmp.length, 4);
    ip6[6] = 58;
    ip6[7] = hlim;
    Buffer.from('fd000097000600000000000000000001', 'hex').copy(ip6, 8);
    Buffer.from('fd00009700060000009706fffe000031', 'hex').copy(ip6, 24);
    const eth = Buffer.from('029706000031' + '029706000001' + '86dd', 'hex');
    return new Uint8Array(Buffer.concat([eth, ip6, icmp]));
  };
  const pcap = writePcap([
    { ts: 1, frame: frame(64, 0xe0) },
    { ts: 2, frame: frame(255, 0xc0) },
  ]);
  const events: NdBinding[] = [];
  const run = await runCaptures([pcap], undefined, { onEvent: (ev) => ev.type === 'ndp.binding' && events.push(ev as NdBinding) });
  try {
    const log = run.log('ndp');
    assert.equal(log[0].bad, 'hop_limit_64');
    assert.equal(run.result.weirds['ndp.hop_limit_not_255'], 1);
    assert.equal(log[1].bad, undefined);
    assert.deepEqual(
      events.map((e) => [e.packet, e.override]),
      [[2, false]],
    );
  } finally {
    run.cleanup();
  }
});

test('parseNd() survives truncation and mutation of real ND messages', async () => {
  const seeds = [
    ...(await payloads(join(GEN, 'generated-ipv6-nd.pcap'), { proto: 58, header: true })),
    ...(await payloads(join(GEN, 'generated-ipv6-ra-flood.pcap'), { proto: 58, header: true })).slice(0, 3),
  ]
    .filter((p) => p.bytes[0] >= 133 && p.bytes[0] <= 137)
    .map((p) => p.bytes);
  assert.ok(seeds.length > 20);
  fuzzParser(seeds, (b) => {
    parseNd(b, 0, b.length);
  });
});

// Synthetic: no capture here holds ND inside a tunnel. radvd's advertisement (generated-ipv6-nd.pcap
// frame 1) wrapped once in 6in4 (IPv4 protocol 41, as Teredo or a 6in4 relay would carry it) and
// once in VXLAN with its Ethernet header (a segment carried whole).
test('an advertisement carried by an IP tunnel is marked tunneled and binds nothing; one in a VXLAN-carried segment is the segment\'s (synthetic)', async () => {
  const [ra] = (await payloads(join(GEN, 'generated-ipv6-nd.pcap'), { proto: 58, header: true })).filter((p) => p.packet === 1);
  const ip6 = Buffer.alloc(40);
  ip6[0] = 0x60;
  ip6.writeUInt16BE(ra.bytes.length, 4);
  ip6[6] = 58;
  ip6[7] = 255;
  Buffer.from('fe800000000000000097' + '06fffe000002', 'hex').copy(ip6, 8);
  Buffer.from('ff020000000000000000000000000001', 'hex').copy(ip6, 24);
  const inner6 = Buffer.concat([ip6, Buffer.from(ra.bytes)]);
  const ip4 = (proto: number, payload: Buffer): Buffer => {
    const h = Buffer.alloc(20);
    h[0] = 0x45;
    h.writeUInt16BE(20 + payload.length, 2);
    h[8] = 64;
    h[9] = proto;
    Buffer.from([192, 0, 2, 1, 192, 0, 2, 2]).copy(h, 12);
    return Buffer.concat([h, payload]);
  };
  const eth = (type: string, src: string, payload: Buffer): Buffer => Buffer.concat([Buffer.from('020000000001' + src + type, 'hex'), payload]);
  const udp = Buffer.alloc(8);
  const vx = Buffer.from('0800000000000100', 'hex');
  const innerFrame = eth('86dd', '029706000002', inner6);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(4789, 2);
  udp.writeUInt16BE(8 + vx.length + innerFrame.length, 4);
  const pcap = writePcap([
    { ts: 1, frame: new Uint8Array(eth('0800', '02aaaaaaaaaa', ip4(41, inner6))) },
    { ts: 2, frame: new Uint8Array(eth('0800', '02aaaaaaaaaa', ip4(17, Buffer.concat([udp, vx, innerFrame])))) },
  ]);
  const events: NdBinding[] = [];
  const run = await runCaptures([pcap], undefined, { onEvent: (ev) => ev.type === 'ndp.binding' && events.push(ev as NdBinding) });
  try {
    const log = run.log('ndp');
    assert.deepEqual(
      log.map((l) => [l.packet, l.msg_type, l.tunneled ?? false, l.mac_src]),
      [
        [1, 'router_advertisement', true, '02:aa:aa:aa:aa:aa'],
        [2, 'router_advertisement', false, '02:97:06:00:00:02'],
      ],
    );
    assert.deepEqual(
      events.map((e) => [e.packet, e.ip, e.mac]),
      [[2, 'fe80::97:6ff:fe00:2', '02:97:06:00:00:02']],
    );
  } finally {
    run.cleanup();
  }
});
