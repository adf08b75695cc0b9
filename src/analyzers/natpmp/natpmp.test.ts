// NAT-PMP and PCP on a capture of real implementations (test/fixtures/generated/natpmp/
// generate.sh: miniupnpd 2.3.1 answering natpmpc's address and mapping requests, and two PCP MAP
// requests built by hand as RFC 6887 lays them out — no PCP client is packaged — one of them for
// a third party, which the gateway refuses). Expectations from tshark's decode of the same
// capture (natpmp.tsv, pcp.tsv beside generate.sh). Parser bounds, truncation and mutation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { recordStreams } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { NATPMP_RESULTS, PCP_RESULTS, parsePortMap } from './parse.js';
import { probe } from './probe.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-natpmp-port-mapping.pcap');
/** tshark: frame, src, dst, version, opcode, result, epoch, external ip, internal port, external port, lifetime. */
const natpmp = readTsharkFields(join(GEN, 'natpmp', 'natpmp.tsv'));
/** tshark: frame, src, dst, version, R, opcode, result, req lifetime, resp lifetime, epoch, client ip, protocol, internal port, suggested port, assigned port, assigned ip, option code, third-party ip. */
const pcp = readTsharkFields(join(GEN, 'natpmp', 'pcp.tsv'));
const v4 = (a: string): string => a.replace(/^::ffff:/, '');
const opt = (v: string): number | undefined => (v === '' ? undefined : Number(v));

test('natpmp.log: each NAT-PMP request with its answer, as tshark decodes them', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const lines = run.log('natpmp').filter((l) => l.protocol === 'nat-pmp');
    const requests = natpmp.filter((r) => Number(r[4]) < 128);
    assert.equal(lines.length, requests.length);
    assert.equal(lines.length, 7);
    for (const [i, q] of requests.entries()) {
      const l = lines[i];
      const at = `frame ${q[0]}`;
      const a = natpmp.find((r) => Number(r[0]) > Number(q[0]) && Number(r[4]) === Number(q[4]) + 128)!;
      assert.equal(l.client, q[1], at);
      assert.equal(l.server, q[2], at);
      assert.equal(l.opcode, ['external_address', 'map_udp', 'map_tcp'][Number(q[4])], at);
      assert.equal(l.answered, true, at);
      assert.equal(l.result, NATPMP_RESULTS[Number(a[5])], at);
      assert.equal(l.epoch, Number(a[6]), at);
      assert.equal(l.external_ip, a[7] || undefined, at);
      assert.equal(l.internal_port, opt(q[8]), at);
      assert.equal(l.requested_external_port, opt(q[9]), at);
      assert.equal(l.external_port, opt(a[9]), at);
      assert.equal(l.requested_lifetime, opt(q[10]), at);
      assert.equal(l.lifetime, opt(a[10]), at);
      assert.equal(l.transport, q[4] === '1' ? 'UDP' : q[4] === '2' ? 'TCP' : undefined, at);
    }
    for (const c of run.conns.filter((x) => x.rPort === 5351)) assert.ok(c.service === 'nat-pmp' || c.service === 'pcp', c.service);
  } finally {
    run.cleanup();
  }
});

test('natpmp.log: the PCP announcement and MAP requests, the third-party one refused, as tshark decodes them', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const lines = run.log('natpmp').filter((l) => l.protocol === 'pcp');
    const announce = pcp.find((r) => r[5] === '0')!;
    const maps = pcp.filter((r) => r[5] === '1' && r[4] === '0');
    assert.equal(lines.length, 1 + maps.length);
    assert.deepEqual([lines[0].opcode, lines[0].answered, lines[0].result, lines[0].epoch, lines[0].server, lines[0]['id.resp_h']], ['announce', true, PCP_RESULTS[Number(announce[6])], Number(announce[9]), announce[1], announce[2]]);
    for (const [i, q] of maps.entries()) {
      const l = lines[i + 1];
      const at = `frame ${q[0]}`;
      const a = pcp.find((r) => Number(r[0]) > Number(q[0]) && r[4] === '1' && r[5] === '1')!;
      assert.equal(l.opcode, 'map', at);
      assert.equal(l.result, PCP_RESULTS[Number(a[6])], at);
      assert.equal(l.requested_lifetime, Number(q[7]), at);
      assert.equal(l.lifetime, Number(a[8]), at);
      assert.equal(l.epoch, Number(a[9]), at);
      assert.equal(l.transport, q[11] === '6' ? 'TCP' : 'UDP', at);
      assert.equal(l.internal_port, Number(q[12]), at);
      assert.equal(l.requested_external_port, Number(q[13]), at);
      assert.equal(l.external_port, Number(a[14]), at);
      assert.equal(l.internal_ip, v4(q[17] || q[10]), at);
      assert.equal(l.third_party, q[16] === '1' ? true : undefined, at);
      if (Number(a[6]) === 0) assert.equal(l.external_ip, v4(a[15]), at);
    }
    assert.deepEqual(lines.slice(1).map((l) => [l.internal_ip, l.internal_port, l.result]), [
      ['192.168.78.20', 3389, 'SUCCESS'],
      ['192.168.78.21', 445, 'UNSUPP_OPTION'],
    ]);
  } finally {
    run.cleanup();
  }
});

test('parsePortMap() and probe() take every captured datagram, and survive truncation and mutation', async () => {
  const dgrams: Uint8Array[] = [];
  for (const s of await recordStreams(PCAP)) for (const ch of s.chunks) dgrams.push(ch.bytes);
  assert.equal(dgrams.length, natpmp.length + pcp.length);
  for (const d of dgrams) {
    assert.notEqual(parsePortMap(d, 0, d.length), 'bad');
    assert.equal(probe(d, 0, d.length, true, 17, 5351), 2);
  }
  // Synthetic: other versions, NAT-PMP lengths that do not fit, and other ports are not taken.
  assert.equal(parsePortMap(Uint8Array.from([1, 0]), 0, 2), 'bad');
  assert.equal(probe(Uint8Array.from([0, 0, 0]), 0, 3, true, 17, 5351), 0);
  assert.equal(probe(Uint8Array.from([0, 0]), 0, 2, true, 17, 53), 0);
  fuzzParser(dgrams, (b) => {
    parsePortMap(b, 0, b.length);
    probe(b, 0, b.length, true, 17, 5351);
  });
});
