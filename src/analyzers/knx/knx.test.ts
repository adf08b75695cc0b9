// KNXnet/IP on Scapy-written frames (fixtures/README.md: no corpus capture is KNXnet/IP), with
// tshark's decode as the expected values, plus the probe, the inventory and robustness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { flowBytes, feedAnalyzer } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { runInventory } from '../../inventory/testutil.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { KnxAnalyzer } from './analyzer.js';
import { groupAddress, individualAddress, parseCemi, parseDibs, parseHeader } from './parse.js';
import { probe } from './probe.js';

const PCAP = join(REPO_ROOT, 'src', 'analyzers', 'knx', 'fixtures', 'generated-knxip.pcap');

test('addresses print as ETS shows them (tshark: 0x1100 = 1.1.0, group 0x0a03 = 1/2/3)', () => {
  assert.equal(individualAddress(0x1100), '1.1.0');
  assert.equal(individualAddress(0x11fa), '1.1.250');
  assert.equal(groupAddress(0x0a03), '1/2/3');
  assert.equal(groupAddress(0x1100), '2/1/0');
});

test("knx.log holds tshark's reading of every logged message", async () => {
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('knx');
    // Frame 8 (a tunnelling acknowledgement) is not logged.
    assert.deepEqual(log.map((l) => l.service), ['search_request', 'search_response', 'description_request', 'description_response', 'connect_request', 'connect_response', 'tunnelling_request', 'routing_indication']);
    const [search, resp, , descr, connect, , tunnel, routing] = log;
    assert.equal(search.endpoint, '192.168.10.20:3671/udp');
    assert.deepEqual([resp.knx_address, resp.serial, resp.mac, resp.friendly_name, resp.prog_mode, resp.medium], ['1.1.0', '00c501234567', '00:24:6d:01:02:03', 'KNX IP Router Haus B', false, 'TP1']);
    assert.deepEqual(resp.families, ['core v1', 'device_management v1', 'tunnelling v1', 'routing v1']);
    assert.deepEqual([descr.knx_address, descr.serial, descr.friendly_name, descr.prog_mode], ['1.1.250', '008349123456', 'IP Interface OP-Saal 3', true]);
    assert.equal(connect.connection_type, 'tunnel');
    assert.deepEqual([tunnel.channel, tunnel.cemi, tunnel.src, tunnel.dst, tunnel.apci, tunnel.command], [7, 'L_Data.req', '0.0.0', '1/2/3', 'GroupValueWrite', true]);
    assert.deepEqual([routing.cemi, routing.src, routing.dst, routing.apci, routing.command], ['L_Data.ind', '1.1.5', '2/1/0', 'GroupValueWrite', true]);
    assert.ok(run.conns.every((c) => c.service === 'knxnetip'));
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test('the KNX IP router and interface are building automation devices with their KNX identity as evidence', async () => {
  const { devices } = await runInventory([PCAP]);
  const router = devices.find((d) => d.mac === '00:24:6d:01:02:03');
  const iface = devices.find((d) => d.mac === '00:24:6d:0a:0b:0c');
  assert.equal(router?.category, 'building_automation');
  assert.equal(iface?.category, 'building_automation');
  assert.equal(router?.vendor, 'Weinzierl Engineering GmbH');
  assert.ok(iface?.evidence.some((e) => e.source === 'knx.individual_address' && e.value === '1.1.250' && e.packet === 4));
  assert.ok(router?.evidence.some((e) => e.source === 'knx.friendly_name' && e.value === 'KNX IP Router Haus B' && e.packet === 2));
  // The workstation that searched and tunnelled is no KNX device.
  const client = devices.find((d) => d.mac === '02:00:00:00:10:20');
  assert.notEqual(client?.category, 'building_automation');
});

test('probe() takes KNXnet/IP datagrams on any port and refuses others', async () => {
  const flows = await flowBytes(PCAP);
  for (const f of flows) for (const c of f.chunks) assert.equal(probe(c.bytes, 0, c.bytes.length, c.isOrig, 17), PROBE_YES);
  const d = flows[0].chunks[0].bytes;
  assert.equal(probe(d, 0, d.length, true, 6), PROBE_NO);
  assert.equal(probe(d, 0, d.length - 1, true, 17), PROBE_NO, 'total length must be the datagram');
  const bad = d.slice();
  bad[1] = 0x11;
  assert.equal(probe(bad, 0, bad.length, true, 17), PROBE_NO, 'protocol version');
  const unknown = d.slice();
  unknown[2] = 0x07;
  unknown[3] = 0x77;
  assert.equal(probe(unknown, 0, unknown.length, true, 17), PROBE_NO, 'unknown service');
});

test('parsers and the analyzer survive truncation and mutation of the datagrams', async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.map((c) => c.bytes));
  fuzzParser(seeds, (b) => {
    parseHeader(b, 0, b.length);
    parseDibs(b, 6, b.length);
    parseDibs(b, 14, b.length);
    parseCemi(b, 6, b.length);
    parseCemi(b, 10, b.length);
    probe(b, 0, b.length, true, 17);
    feedAnalyzer(new KnxAnalyzer(), [{ isOrig: true, bytes: b }], 17);
  });
});

test("a real KNXnet/IP search from nDPI's captures (test/fixtures/ndpi: tshark's SearchReqExt and SearchReq)", async () => {
  const run = await runCaptures([join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-knxip-search.pcap')]);
  try {
    assert.deepEqual(
      run.log('knx').map((l) => [l.service, l.endpoint]),
      [
        ['search_request_ext', '192.168.88.231:41343/udp'],
        ['search_request', '192.168.88.231:41343/udp'],
      ],
    );
    assert.deepEqual(run.conns.map((c) => c.service), ['knxnetip']);
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});
