// IntelliVue Data Export. No public capture of a Philips monitor's LAN interface exists (none in
// ../shared/corpus, none among nDPI's, Zeek's, Wireshark's or Arkime's test captures), so these
// tests use messages built field by field from the Data Export Interface Programming Guide's
// layouts (messages.testutil.ts): synthetic, and said so here. They check what the analyzer
// reads from each message, what the inventory and the assessment make of it, that no patient
// value reaches any output, and that malformed input never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writeUdpPcap, type UdpPacket } from '../../testutil/pcapwriter.js';
import { assessCaptures } from '../../assess/testutil.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { IntellivueAnalyzer } from './analyzer.js';
import { connectIndication, demographics, mdsAttributes, mdsCreate, pollResult, session, attr, u16 } from './messages.testutil.js';
import { attributeList, identity, parseConnectIndication, parseDataExport, parsePollResult } from './parse.js';
import { probe } from './probe.js';

const MONITOR = '10.40.1.21';
const MONITOR_MAC = '00:09:fb:12:34:56';
const STATION = '10.40.1.50';
const STATION_MAC = '02:00:00:00:50:01';

/** A monitor announcing itself three times, then a central station associating and polling. */
function session1(): UdpPacket[] {
  const ci = connectIndication();
  const m = (ts: number, src: string, sport: number, dst: string, dport: number, payload: Uint8Array): UdpPacket => ({
    ts, src, sport, dst, dport, payload, srcMac: src === MONITOR ? MONITOR_MAC : STATION_MAC, dstMac: dst === MONITOR ? MONITOR_MAC : dst === STATION ? STATION_MAC : 'ff:ff:ff:ff:ff:ff',
  });
  return [
    m(1000, MONITOR, 24005, '10.40.1.255', 24005, ci),
    m(1005, MONITOR, 24005, '10.40.1.255', 24005, ci),
    m(1010, MONITOR, 24005, '10.40.1.255', 24005, ci),
    m(1011, STATION, 40001, MONITOR, 24105, session(0x0d)),
    m(1011.01, MONITOR, 24105, STATION, 40001, session(0x0e)),
    m(1011.02, MONITOR, 24105, STATION, 40001, mdsCreate()),
    m(1012, MONITOR, 24105, STATION, 40001, pollResult(6, [attr(0x0950, [...u16(0x4182), ...u16(0), ...u16(0x0aa0), 0x00, 0x00, 0x00, 0x48])])),
    m(1013, MONITOR, 24105, STATION, 40001, pollResult(42, demographics())),
  ];
}

test('identity() reads the model, production specification, system type, addresses and bed label of an MDS', () => {
  const ci = connectIndication();
  const p = parseConnectIndication(ci, 0, ci.length)!;
  assert.ok(p !== null);
  assert.deepEqual(identity(ci, p.attrs), {
    system_type_code: 4429,
    system_type: 'multi-parameter monitor',
    device_class: 'patient_monitor',
    manufacturer: 'Philips',
    model: 'M8007A',
    serial: 'DE12345678',
    part_number: 'M8007A',
    software_revision: 'G.01.78',
    mac: MONITOR_MAC,
    announced_ip: '10.40.1.21',
    bed_label: 'ICU-4 BED 12',
  });
  // The firmware revision "--------" is the guide's way of saying none.
  const pump = connectIndication(mdsAttributes({ systemType: 4449, model: 'M8001A' }));
  assert.equal(identity(pump, parseConnectIndication(pump, 0, pump.length)!.attrs).device_class, 'infusion_pump');
});

test('poll results: the polled class, and which demographics held values (names only)', () => {
  for (const [msg, cls, fields] of [
    [pollResult(42, demographics()), 42, ['birth_date', 'family_name', 'given_name', 'patient_id']],
    // An admitted-nobody monitor sends the attributes empty: no patient data.
    [pollResult(42, demographics('', '', '')), 42, ['birth_date']],
    [pollResult(6, []), 6, []],
  ] as const) {
    const d = parseDataExport(msg, 0, msg.length)!;
    assert.equal(d.op, 0x0c16);
    const r = parsePollResult(msg, d.body, d.end, false)!;
    assert.equal(r.objectClass, cls);
    assert.deepEqual(r.patientFields, fields);
  }
});

test('the analyzer: one identity per flow, the association, patient fields without their values', () => {
  const packets = session1();
  const bcast = feedAnalyzer(new IntellivueAnalyzer(), packets.slice(0, 3).map((p) => ({ isOrig: true, bytes: p.payload })), 17);
  assert.deepEqual(bcast.services, ['intellivue']);
  assert.equal(bcast.events.filter((e) => e.type === 'intellivue.identity').length, 1);
  const s = bcast.events.find((e) => e.type === 'intellivue.session')!;
  assert.equal(s.connect_indications, 3);
  const exp = feedAnalyzer(new IntellivueAnalyzer(), packets.slice(3).map((p) => ({ isOrig: p.src === STATION, bytes: p.payload })), 17);
  const assoc = exp.events.find((e) => e.type === 'intellivue.association')!;
  // feedAnalyzer's flow: the station is the originator, the monitor (the accepting side) the server.
  assert.equal(typeof assoc.server, 'string');
  assert.notEqual(assoc.server, assoc.client);
  const phi = exp.events.find((e) => e.type === 'intellivue.phi')!;
  assert.deepEqual(phi.patient_fields, ['birth_date', 'family_name', 'given_name', 'patient_id']);
  const sess = exp.events.find((e) => e.type === 'intellivue.session')!;
  assert.deepEqual([sess.association, sess.poll_results, sess.polled_objects], ['accepted', 2, ['numerics', 'patient_demographics']]);
  assert.equal(exp.events.find((e) => e.type === 'intellivue.identity')!.source, 'mds_create');
  const text = JSON.stringify(exp.events);
  for (const v of ['JANE', 'ROE', 'MRN0042']) assert.ok(!text.includes(v), v);
  assert.deepEqual(exp.weirds, []);
});

test('the whole pipeline on a synthetic monitor: intellivue.log, a patient monitor in the inventory, clear-text and PHI findings', async () => {
  const pcap = writeUdpPcap(session1());
  const run = await runCaptures([pcap]);
  try {
    const log = run.log('intellivue');
    assert.equal(log.length, 2);
    const ci = log.find((l) => l['id.resp_p'] === 24005)!;
    assert.deepEqual([ci.manufacturer, ci.model, ci.serial, ci.software_revision, ci.system_type, ci.bed_label, ci.connect_indications], ['Philips', 'M8007A', 'DE12345678', 'G.01.78', 'multi-parameter monitor', 'ICU-4 BED 12', 3]);
    const ex = log.find((l) => l['id.resp_p'] === 24105)!;
    assert.deepEqual(ex.patient_fields, ['birth_date', 'family_name', 'given_name', 'patient_id']);
    assert.deepEqual(run.conns.map((c) => c.service), ['intellivue', 'intellivue']);
    for (const f of readdirSync(join(run.outDir, 'logs'))) {
      const t = readFileSync(join(run.outDir, 'logs', f), 'utf8');
      for (const v of ['JANE', 'ROE', 'MRN0042']) assert.ok(!t.includes(v), `${f} holds ${v}`);
    }
  } finally {
    run.cleanup();
  }
  const inv = await runInventory([pcap]);
  const d = deviceWithIp(inv.devices, MONITOR)!;
  assert.equal(d.category, 'patient_monitor');
  assert.equal(d.medical, true);
  assert.equal(d.vendor, 'Philips');
  assert.equal(d.model, 'M8007A');
  assert.ok(d.evidence.some((e) => e.source === 'intellivue.serial' && e.value === 'DE12345678' && e.packet === 1));
  assert.equal(deviceWithIp(inv.devices, STATION)?.category, 'server');
  const a = await assessCaptures([pcap], { devices: () => inv.devices });
  try {
    const mon = a.result.findings.filter((f) => f.device === d.id);
    const ct = mon.find((f) => f.rule === 'cleartext-protocol')!;
    assert.match(ct.title, /IntelliVue Data Export served on port 24105/);
    assert.equal(ct.severity, 'high');
    const phi = mon.find((f) => f.rule === 'phi-cleartext')!;
    assert.match(phi.detail, /patient demographics \(birth_date, family_name, given_name, patient_id\)/);
    assert.match(phi.remediation, /24105/);
    assert.doesNotMatch(JSON.stringify(a.result), /JANE|MRN0042/);
  } finally {
    a.run.cleanup();
  }
});

test('probe() takes a Connect Indication or an export message on any port, a session header only as a maybe', () => {
  const ci = connectIndication();
  assert.equal(probe(ci, 0, ci.length, true, 17), PROBE_YES);
  assert.equal(probe(ci, 0, ci.length, true, 6), PROBE_NO);
  const mds = mdsCreate();
  assert.equal(probe(mds, 0, mds.length, false, 17), PROBE_YES);
  const rq = session(0x0d);
  assert.equal(probe(rq, 0, rq.length, true, 17), PROBE_MAYBE);
  // The length indicator must fill the datagram.
  assert.equal(probe(rq, 0, rq.length - 1, true, 17), PROBE_NO);
  // An AttributeList whose length overruns the datagram is no Connect Indication.
  const cut = ci.slice(0, ci.length - 10);
  assert.equal(parseConnectIndication(cut, 0, cut.length), null);
  assert.equal(attributeList(Uint8Array.from([0, 1, 0, 9, 0, 0]), 0, 6), null);
});

test('parsers and the analyzer survive truncation and mutation of every message kind', () => {
  const seeds = [connectIndication(), mdsCreate(), pollResult(42, demographics()), pollResult(6, []), session(0x0d), session(0x0e)];
  fuzzParser(seeds, (b) => {
    probe(b, 0, b.length, true, 17);
    const ci = parseConnectIndication(b, 0, b.length);
    if (ci !== null) identity(b, ci.attrs);
    const d = parseDataExport(b, 0, b.length);
    if (d !== null) parsePollResult(b, d.body, d.end, false);
  });
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new IntellivueAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 17);
  }, { mutations: 300 });
});
