// VRRP against tshark 4.0's decode of a generated capture of Debian's keepalived (test/fixtures/
// generated/vrrp/generate.sh: two routers of a virtual router with a text password, and a third
// preempting them) and of the corpus's one VRRP packet (nDPI's fuzz-2020-02-16-11740.pcap frame
// 161, which tshark reads as version 7, type 2: no advertisement); RFC 5798's checks and version
// 3, which no capture here holds, on synthetic packets (said there); the credential finding;
// fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, linesByFrame, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { pcapFrames, writePcap } from '../../testutil/pcapwriter.js';
import { assessCaptures } from '../../assess/testutil.js';
import { parseVrrp } from './parse.js';

const skip = !haveCorpus() && 'shared corpus not present';
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-vrrp-takeover.pcap');
/** tshark's rows: frame, eth src, ip src, ttl, version, type, vrid, priority, count, auth type, interval, addresses. */
const rows = readTsharkFields(join(GEN, 'vrrp', 'tshark.tsv'));
const AUTH = ['none', 'text', 'ah'];

test('vrrp.log: one line per advertisement with tshark\'s router, TTL, version, virtual router, priority, interval and addresses; the password only as <redacted>', async () => {
  assert.equal(rows.length, 15);
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('vrrp');
    for (const { l, r, at } of linesByFrame(log, rows)) {
      assert.deepEqual([l.mac_src, l.router, l.ttl, l.version, l.vrid, l.priority, l.interval, l.addresses], [r[1], r[2], Number(r[3]), Number(r[4]), Number(r[6]), Number(r[7]), Number(r[10]), r[11].split(',')], at);
      assert.deepEqual([l.auth, l.password, l.bad], [AUTH[Number(r[9])], '<redacted>', undefined], at);
    }
    assert.ok(!readFileSync(join(run.outDir, 'logs', 'vrrp.log'), 'utf8').includes('Ward-VR15'));
    assert.deepEqual(run.result.weirds, {});
  } finally {
    run.cleanup();
  }
});

test("the corpus's one VRRP packet is no advertisement (tshark: version 7, type 2): a weird, no log line", { skip }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'fuzz-2020-02-16-11740.pcap')]);
  try {
    assert.deepEqual(run.log('vrrp'), []);
    assert.equal(run.result.weirds['vrrp.not_an_advertisement'], 1);
  } finally {
    run.cleanup();
  }
});

test('the masters sent the text password in clear: cleartext-credentials on each, with VRRP\'s own fix', async () => {
  const a = await assessCaptures([PCAP]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-credentials');
    assert.deepEqual(f.map((x) => x.title), ['Credentials sent in clear text: VRRP', 'Credentials sent in clear text: VRRP']);
    assert.match(f[0].remediation, /RFC 3768/);
    assert.ok(!a.result.findings.some((x) => x.rule === 'default-credentials'));
  } finally {
    a.run.cleanup();
  }
});

/** A VRRP packet in IPv4 with `ttl`, after RFC 5798 §5.1 (checksum left zero). */
function frame(vrrp: Buffer, ttl: number): Uint8Array {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + vrrp.length, 2);
  ip[8] = ttl;
  ip[9] = 112;
  Buffer.from([10, 97, 15, 9]).copy(ip, 12);
  Buffer.from([224, 0, 0, 18]).copy(ip, 16);
  return new Uint8Array(Buffer.concat([Buffer.from('01005e00001202970f0000090800', 'hex'), ip, vrrp]));
}

// Synthetic: keepalived here speaks version 2; version 3 (centisecond interval, no
// authentication) and a forwarded advertisement are built after RFC 5798 §5.
test('version 3 and a routed advertisement (TTL below 255) marked bad (synthetic)', async () => {
  const v3 = Buffer.from('3105c801' + '0064' + '0000' + '0a610f01', 'hex');
  const pcap = writePcap([
    { ts: 1, frame: frame(v3, 255) },
    { ts: 2, frame: frame(v3, 254) },
  ]);
  const run = await runCaptures([pcap]);
  try {
    const log = run.log('vrrp');
    assert.deepEqual(
      log.map((l) => [l.version, l.vrid, l.priority, l.interval, l.addresses, l.auth, l.bad]),
      [
        [3, 5, 200, 1, ['10.97.15.1'], undefined, undefined],
        [3, 5, 200, 1, ['10.97.15.1'], undefined, 'ttl_254'],
      ],
    );
    assert.equal(run.result.weirds['vrrp.ttl_not_255'], 1);
  } finally {
    run.cleanup();
  }
});

test('parseVrrp() survives truncation and mutation of real advertisements', () => {
  // Each record's frame after Ethernet (14) and IPv4 (20): the VRRP packet.
  const seeds = pcapFrames(PCAP, 34);
  assert.equal(seeds.length, 15);
  fuzzParser(seeds, (x) => {
    parseVrrp(x, 0, x.length, false);
    parseVrrp(x, 0, x.length, true);
  });
});
