// Flow telemetry on nDPI's captures (test/fixtures/ndpi/ndpi-flowexport.pcap): a switch's sFlow
// v5 agent, a router's NetFlow v9 and another's IPFIX export. Expectations: ndpiReader 4.2's
// labels (ndpi-flowexport.pcap.out) and tshark 4.0's sFlow and cflow decode of every datagram
// (ndpi-flowexport.tshark.tsv; UDP 2057 decoded as cflow with -d). nDPI also calls four flows
// from 91.199.81.123:5055 sFlow; tshark decodes none of their datagrams as sFlow (their first
// word is 2, not sFlow's version 5), and wardline leaves them alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { FlowExportAnalyzer } from './analyzer.js';
import { parseExport } from './parse.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-flowexport.pcap');

function rows(): string[][] {
  return readFileSync(join(DIR, 'ndpi-flowexport.tshark.tsv'), 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

test("flowexport.log: each exporter's protocol, version, agent, domain, datagrams and records as tshark decodes them; conn.log sflow/netflow/ipfix", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-flowexport.pcap.out')).filter((f) => f.app === 'sFlow' || f.app === 'NetFlow');
  assert.equal(ndpi.length, 7);
  const run = await runCaptures([PCAP]);
  try {
    const svc = (port: number): string => run.conns.find((c) => c.oPort === port)!.service;
    const want: Record<string, string> = { sFlow: 'sflow', NetFlow: 'netflow' };
    for (const f of ndpi.filter((x) => x.a !== '91.199.81.123')) {
      // nDPI names IPFIX NetFlow too.
      const s = svc(f.aPort);
      assert.ok(s === want[f.app] || (f.app === 'NetFlow' && s === 'ipfix'), f.line);
    }
    for (const f of ndpi.filter((x) => x.a === '91.199.81.123')) assert.ok(!['sflow', 'netflow', 'ipfix'].includes(run.conns.find((c) => c.oPort === f.aPort || c.rPort === f.bPort)?.service ?? ''), f.line);
    const log = run.log('flowexport');
    const rs = rows();
    const sflow = rs.filter((r) => r[3] === '5');
    const l = log.find((x) => x.protocol === 'sflow')!;
    assert.deepEqual(
      [l.version, l.agent, l.domain, l.datagrams, l.records, l.uptime_ms, l.lost ?? 0],
      [5, sflow[0][4], Number(sflow[0][5]), sflow.length, sflow.reduce((n, r) => n + Number(r[7]), 0), Number(sflow[0][8]), 0],
    );
    // tshark's sequence numbers run without a gap (415 … 423).
    assert.deepEqual(sflow.map((r) => Number(r[6])), Array.from({ length: sflow.length }, (_x, i) => Number(sflow[0][6]) + i));
    const v9 = rs.filter((r) => r[9] === '9');
    const n = log.find((x) => x.protocol === 'netflow')!;
    assert.deepEqual([n.version, n.domain, n.datagrams, n.records, n.uptime_ms], [9, Number(v9[0][11]), v9.length, v9.reduce((k, r) => k + Number(r[10]), 0), Math.round(Number(v9[0][14]) * 1000)]);
    const ipfix = rs.filter((r) => r[9] === '10');
    const x = log.find((y) => y.protocol === 'ipfix')!;
    assert.deepEqual([x.version, x.domain, x.datagrams], [10, Number(ipfix[0][12]), ipfix.length]);
  } finally {
    run.cleanup();
  }
});

test('exporters are network devices and collectors servers', async () => {
  const { devices } = await runInventory([PCAP]);
  for (const ip of ['172.21.35.17', '192.168.2.134']) assert.equal(deviceWithIp(devices, ip)!.category, 'network', ip);
  for (const ip of ['172.21.35.199', '192.168.2.222']) assert.equal(deviceWithIp(devices, ip)!.category, 'server', ip);
});

test('a lost sFlow datagram counts as lost; headers that do not check out are not flow export (synthetic)', () => {
  const dg = (seq: number): Buffer => {
    const b = Buffer.alloc(28 + 8);
    b.writeUInt32BE(5, 0);
    b.writeUInt32BE(1, 4);
    b.set([10, 0, 0, 1], 8);
    b.writeUInt32BE(0, 12);
    b.writeUInt32BE(seq, 16);
    b.writeUInt32BE(1000, 20);
    b.writeUInt32BE(1, 24);
    b.writeUInt32BE(1, 28); // sample format
    b.writeUInt32BE(0, 32); // sample length
    return b;
  };
  assert.deepEqual(parseExport(dg(7), 0, 36), { protocol: 'sflow', version: 5, agent: '10.0.0.1', domain: 0, sequence: 7, records: 1, uptimeMs: 1000 });
  assert.equal(parseExport(dg(7), 0, 35), null);
  const bad = dg(7);
  bad.writeUInt32BE(3, 4);
  assert.equal(parseExport(bad, 0, 36), null);
  assert.equal(parseExport(Buffer.from('000500010000000000000000000000000000000000000000', 'hex'), 0, 24), null);
  const out = feedAnalyzer(new FlowExportAnalyzer(), [7, 8, 11].map((q) => ({ isOrig: true, bytes: dg(q) })), 17);
  const ev = out.events.find((e) => e.type === 'flowexport.session')!;
  assert.deepEqual([out.services, ev.datagrams, ev.lost], [['sflow'], 3, 2]);
});

test('the parser survives truncation and mutation of real datagrams', async () => {
  // The first datagram of each exporter's flow (sFlow, IPFIX, NetFlow v9).
  const flows = (await flowBytes(PCAP)).filter((f) => [6343, 2055, 2057].includes(f.rPort));
  const seeds = flows.map((f) => f.chunks[0].bytes);
  assert.equal(seeds.length, 3);
  assert.ok(seeds.every((d) => parseExport(d, 0, d.length) !== null));
  fuzzParser(seeds, (b) => {
    parseExport(b, 0, b.length);
  });
});
