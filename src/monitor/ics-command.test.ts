// Commands to building and industrial controllers (ics-command.ts): a generated capture of real
// implementations (test/fixtures/generated/ics-command/generate.sh: pymodbus as an air handler's
// controller, mbpoll as its building management server and then as another host writing the
// setpoint and turning the fan off), and the corpus's BACnet and S7comm captures with CISA's
// icsnpp logs as the expectation of who sent which service to whom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, readZeekTsv, REPO_ROOT } from '../testutil/corpus.js';
import { monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-modbus-second-master.pcap');
/** tshark's rows: frame, source, unit, function code, reference. */
const rows = readTsharkFields(join(GEN, 'ics-command', 'tshark.tsv'));
const CTRL = '10.97.60.5';
const BMS = '10.97.60.10';
const ATT = '10.97.60.66';
const WRITES = new Set(['5', '6', '15', '16', '22', '23']);
const writes = (src: string): number[] => rows.filter((r) => r[1] === src && WRITES.has(r[3])).map((r) => Number(r[0]));
const skip = !haveCorpus() && 'shared corpus not present';

test('ics-command: the host that writes the controller after its building management server is a second master (high); the server itself is not judged', async () => {
  assert.equal(writes(BMS).length, 1);
  assert.equal(writes(ATT).length, 2);
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['ics-command', `ip:${ATT}`, CTRL, 'high', 2, [writes(BMS)[0], ...writes(ATT)]]],
  );
  assert.match(alerts[0].why, /^10\.97\.60\.66 sent the controller 10\.97\.60\.5 a Modbus Write Single Coil \(function 5\) to unit 1, and 10\.97\.60\.10 has been its master since packet \d+ \(Modbus Write Single Register \(function 6\)/);
});

test('ics-command: with icsMasters listed, any other commander is judged, the listed one never', async () => {
  const a = await monitorCaptures([PCAP], { icsMasters: [`${BMS}/32`] });
  assert.deepEqual(a.map((x) => [x.device, x.severity, x.count]), [[`ip:${ATT}`, 'high', 2]]);
  assert.match(a[0].why, /^10\.97\.60\.66, not one of the icsMasters \(10\.97\.60\.10\/32\), sent the controller 10\.97\.60\.5 a Modbus Write Single Coil/);
  const b = await monitorCaptures([PCAP], { icsMasters: [`${ATT}/32`] });
  assert.deepEqual(b.map((x) => [x.device, x.peer, x.evidence.map((e) => e.packet)]), [[`ip:${BMS}`, CTRL, writes(BMS)]]);
});

test("ics-command: icsnpp's S7comm trace — the PLC Stop from the host that also writes variables is one medium alert (its own master), the writes none", { skip }, async () => {
  const log = readZeekTsv(corpus('icsnpp-s7comm', 'tests', 'baseline', 'analyzer.snap7', 's7comm.log')).filter((r) => r.rosctr_name === 'Job-Request');
  const stops = log.filter((r) => r.function_name === 'PLC Stop');
  assert.equal(stops.length, 1);
  assert.ok(log.some((r) => r.function_name === 'Write Variable' && r.source_h === stops[0].source_h));
  const alerts = await monitorCaptures([corpus('icsnpp-s7comm', 'tests', 'traces', 'snap7.pcap')]);
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.count]), [['ics-command', `ip:${stops[0].source_h}`, stops[0].destination_h, 'medium', 1]]);
  assert.match(alerts[0].why, /a S7comm PLC Stop: a controller stops, restarts or goes silent/);
});

test("ics-command: icsnpp's BACnet example — one master reinitializing its controllers is one medium alert naming them all", { skip }, async () => {
  const log = readZeekTsv(corpus('icsnpp-bacnet', 'testing', 'baseline', 'analyzer.basic', 'bacnet.log'));
  const reinit = log.filter((r) => r.pdu_type === 'CONFIRMED_REQUEST' && r.pdu_service === 'reinitialize_device');
  const masters = [...new Set(reinit.map((r) => r.source_h))];
  const controllers = new Set(reinit.map((r) => r.destination_h));
  assert.equal(masters.length, 1);
  assert.equal(controllers.size, 22);
  const alerts = (await monitorCaptures([corpus('icsnpp-bacnet', 'testing', 'traces', 'bacnet_example.pcap')])).filter((a) => a.rule === 'ics-command');
  assert.deepEqual(alerts.map((a) => [a.device, a.severity, a.count]), [[`ip:${masters[0]}`, 'medium', reinit.length]]);
  assert.match(alerts[0].why, new RegExp(`^${masters[0].replace(/\./g, '\\.')}, their master, sent 22 controllers .* and 18 more a BACnet reinitialize_device`));
});

test("ics-command: nDPI's IEC 60870-5-104 capture — one host sends the commands (tshark: C_SC_NA_1, cause activation): quiet; another host listed as master, it is judged", { skip }, async () => {
  const pcap = corpus('ndpi', 'pcap', 'iec60780-5-104.pcap');
  // tshark -Y iec60870_asdu -e ip.src -e iec60870_asdu.typeid -e iec60870_asdu.causetx -e
  // iec60870_asdu.test: the commands with cause 6 (activation) all come from 172.27.248.109 — a
  // double command (46), four single commands (45), one of them with the test bit, besides a
  // general interrogation (100) and a clock synchronisation (103), which change nothing; the
  // other side's carry cause 7 (confirmation).
  assert.deepEqual(await monitorCaptures([pcap]), []);
  const alerts = await monitorCaptures([pcap], { icsMasters: ['192.0.2.1/32'] });
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.count]), [['ics-command', 'ip:172.27.248.109', '172.27.248.79', 'high', 4]]);
  assert.match(alerts[0].why, /sent the controller 172\.27\.248\.79 a IEC 104 command \(type 45, object 33333\) to station 37133$/);
});
