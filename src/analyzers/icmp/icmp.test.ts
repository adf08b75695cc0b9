// ICMP redirects and router discovery against tshark 4.0's decode of the generated capture of the
// Linux kernel's own redirect and hping3's forged one (test/fixtures/generated/icmp-redirect/),
// and of the one corpus capture holding any of these messages (Arkime nbns.pcap: a Windows host's
// router solicitation); RFC 1256's checks on router advertisements, which no capture here holds,
// on synthetic messages; fuzzing of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, linesByFrame, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { payloads } from '../../testutil/payloads.js';
import { writePcap } from '../../testutil/pcapwriter.js';
import { parseIcmp } from './parse.js';
import { advert, frame } from './icmp.testutil.js';

const skip = !haveCorpus() && 'shared corpus not present';
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const REDIRECT = join(GEN, 'generated-icmp-redirect.pcap');

/** tshark's rows: frame, eth src, eth dst, ip src, ip dst, ttl, icmp types, codes, redirect gateway, ip protos (outer, then quoted). */
const tsv = readTsharkFields;

test('icmp.log: one line per redirect with tshark\'s addresses, code, gateway and quoted datagram; echo packets none', async () => {
  const rows = tsv(join(GEN, 'icmp-redirect', 'tshark.tsv')).filter((r) => r[6].split(',')[0] === '5');
  assert.equal(rows.length, 3, 'two kernel redirects and the forged one');
  const run = await runCaptures([REDIRECT]);
  try {
    const log = run.log('icmp');
    for (const { l, r, at } of linesByFrame(log, rows)) {
      const [src, qsrc] = r[3].split(',');
      const [dst, qdst] = r[4].split(',');
      assert.deepEqual([l.mac_src, l.mac_dst, l.src, l.dst, l.ttl], [r[1], r[2], src, dst, Number(r[5].split(',')[0])], at);
      assert.deepEqual([l.msg_type, l.code, l.redirect_for], ['redirect', Number(r[7].split(',')[0]), 'host'], at);
      assert.equal(l.gateway, r[8], at);
      assert.deepEqual([l.orig_src, l.orig_dst, l.orig_proto], [qsrc, qdst, Number(r[9].split(',')[1])], at);
      assert.equal(l.bad, undefined, at);
    }
    assert.deepEqual(run.result.weirds, {});
  } finally {
    run.cleanup();
  }
});

test('a Windows host\'s router solicitation to 224.0.0.2 (Arkime nbns.pcap frame 5, tshark: type 10 code 0, TTL 128)', { skip }, async () => {
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'nbns.pcap')]);
  try {
    assert.deepEqual(run.log('icmp'), [
      { ts: run.log('icmp')[0].ts, mac_src: '00:50:56:33:78:9e', mac_dst: '01:00:5e:00:00:02', src: '192.168.239.129', dst: '224.0.0.2', msg_type: 'router_solicitation', code: 0, ttl: 128, packet: 5 },
    ]);
  } finally {
    run.cleanup();
  }
});

// Synthetic: no capture here holds an ICMP router advertisement.
test('router advertisements: addresses and signed preferences; RFC 1256 §5.2 failures marked bad (synthetic)', async () => {
  const pcap = writePcap([
    { ts: 1, frame: frame(advert(0, 2, 2, 1800, [['10.97.10.1', 10], ['10.97.10.2', -0x80000000]])) },
    { ts: 2, frame: frame(advert(16, 1, 2, 600, [['10.97.10.3', 0]])) },
    { ts: 3, frame: frame(advert(0, 0, 2, 1800, [])) },
    { ts: 4, frame: frame(advert(0, 1, 1, 1800, [['10.97.10.1', 0]])) },
    { ts: 5, frame: frame(advert(0, 2, 2, 1800, [['10.97.10.1', 0], ['10.97.10.2', 0]], 8)) },
    { ts: 6, frame: frame(advert(3, 1, 2, 1800, [['10.97.10.1', 0]])) },
  ]);
  const run = await runCaptures([pcap]);
  try {
    const log = run.log('icmp');
    assert.deepEqual(
      log.map((l) => [l.msg_type, l.code, l.lifetime, l.routers, l.preferences, l.bad]),
      [
        ['router_advertisement', 0, 1800, ['10.97.10.1', '10.97.10.2'], [10, -0x80000000], undefined],
        ['router_advertisement', 16, 600, ['10.97.10.3'], [0], undefined],
        ['router_advertisement', 0, 1800, undefined, undefined, 'no_addresses'],
        ['router_advertisement', 0, 1800, undefined, undefined, 'entry_size_1'],
        ['router_advertisement', 0, 1800, ['10.97.10.1'], [0], 'truncated_addresses'],
        ['router_advertisement', 3, 1800, ['10.97.10.1'], [0], 'code_3'],
      ],
    );
    assert.equal(run.result.weirds['icmp.router_advertisement_bad_code'], 1);
  } finally {
    run.cleanup();
  }
});

// Synthetic: the kernel's redirect (generated capture frame 4) altered the ways a receiver
// would refuse: a gateway no one can route through, a code RFC 792 does not define, a quoted
// datagram its recipient did not send, no quoted datagram at all.
test('redirects a host would refuse are marked bad (synthetic, from the kernel\'s redirect)', async () => {
  const [k] = (await payloads(REDIRECT, { proto: 1, header: true })).filter((p) => p.packet === 4);
  const to = (b: Buffer) => frame(b, '0a610a01', '0a610a1f', 64);
  const edit = (f: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(k.bytes);
    f(b);
    return b;
  };
  const pcap = writePcap([
    { ts: 1, frame: to(edit(() => {})) },
    { ts: 2, frame: to(edit((b) => Buffer.from([224, 0, 0, 2]).copy(b, 4))) },
    { ts: 3, frame: to(edit((b) => (b[1] = 7))) },
    { ts: 4, frame: to(edit((b) => (b[8 + 15] = 99))) },
    { ts: 5, frame: to(Buffer.from(k.bytes).subarray(0, 12)) },
  ]);
  const run = await runCaptures([pcap]);
  try {
    assert.deepEqual(
      run.log('icmp').map((l) => l.bad ?? null),
      [null, 'unusable_gateway', 'code_7', 'quoted_source_mismatch', 'no_quoted_datagram'],
    );
  } finally {
    run.cleanup();
  }
});

test('parseIcmp() survives truncation and mutation of real redirects and router discovery messages', async () => {
  const seeds = (await payloads(REDIRECT, { proto: 1, header: true })).filter((p) => p.bytes[0] === 5).map((p) => p.bytes);
  seeds.push(new Uint8Array(advert(0, 2, 2, 1800, [['10.97.10.1', 10], ['10.97.10.2', 5]])));
  seeds.push(new Uint8Array(advert(0, 1, 3, 1800, [['10.97.10.1', 10]])));
  assert.ok(seeds.length >= 5);
  fuzzParser(seeds, (b) => {
    parseIcmp(b, 0, b.length);
  });
});
