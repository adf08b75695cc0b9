// Industrial and building devices state their identity: EtherNet/IP ListIdentity (icsnpp-enip's
// expected cip_identity.log), BACnet device properties (icsnpp-bacnet's bacnet_property.log) and
// the IEC 104 outstation role (nDPI's IEC 104 captures) and the DNP3 outstation role (Zeek's and
// nDPI's DNP3 captures).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { corpus, haveCorpus, readZeekTsv } from '../testutil/corpus.js';
import { writeUdpPcap } from '../testutil/pcapwriter.js';
import { deviceWithIp, runInventory } from './testutil.js';
import { movedUdpRead } from '../analyzers/dnp3/dnp3.testutil.js';

const skip = !haveCorpus();

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Synthetic: icsnpp-enip's capture (enip_cip_example.pcap) is not in the corpus, so its expected
// cip_identity.log row is encoded as a ListIdentity exchange (CIP Vol 2 §2-4.3), as the ENIP
// analyzer's own test does: 10.1.1.164, vendor 1, device type 12, product code 58, revision 4.3,
// status 0x0030, serial 0x00524d8e, "1756-ENBT/A", state 3.
const LIST_IDENTITY_REQUEST = hex('6300 0000 00000000 00000000 0000000000000000 00000000');
const LIST_IDENTITY_REPLY = hex(`
  6300 3300 00000000 00000000 0000000000000000 00000000
  0100 0c00 2d00
  0100 0002 af12 0a0101a4 0000000000000000
  0100 0c00 3a00 04 03 3000 8e4d5200
  0b 313735362d454e42542f41 03`);

/** icsnpp-enip's row, by its README's column order (zeek-cut -n output has no header). */
function icsnppIdentity(): Record<string, string> {
  const line = readFileSync(corpus('icsnpp-enip', 'tests', 'baseline', 'analyzer.basic', 'cip_identity.log'), 'utf8').split('\n').find((l) => l.startsWith('XXXX'))!;
  const f = line.split('\t');
  return { socket_address: f[12], vendor_id: f[14], vendor_name: f[15], device_type_id: f[16], device_type_name: f[17], product_code: f[18], revision: f[19], serial_number: f[21], product_name: f[22] };
}

test('inventory: an EtherNet/IP ListIdentity names the device icsnpp-enip names (synthetic capture of its row)', { skip }, async () => {
  const want = icsnppIdentity();
  const path = writeUdpPcap([
    { ts: 1000, src: '10.1.1.167', sport: 5262, dst: '10.1.1.255', dport: 44818, payload: LIST_IDENTITY_REQUEST },
    { ts: 1000.01, src: want.socket_address, sport: 44818, dst: '10.1.1.167', dport: 5262, payload: LIST_IDENTITY_REPLY },
  ]);
  const { devices } = await runInventory([path]);
  const d = deviceWithIp(devices, want.socket_address);
  assert.ok(d !== undefined);
  assert.equal(d.category, 'industrial');
  assert.equal(d.model, want.product_name);
  const ev = (source: string): string | undefined => d.evidence.find((e) => e.source === source)?.value;
  assert.equal(ev('enip.product_name'), want.product_name);
  assert.equal(ev('enip.product_code'), want.product_code);
  assert.equal(ev('enip.revision'), want.revision);
  assert.equal(ev('enip.device_type'), want.device_type_name);
  assert.equal(ev('enip.serial_number'), want.serial_number);
  // The knowledge base has no ODVA vendor table: the vendor is the number the device sent, which
  // icsnpp prints beside ODVA's name for it.
  assert.equal(ev('enip.vendor_id'), want.vendor_id);
  assert.equal(d.vendor, `CIP vendor ${want.vendor_id}`);
});

test('inventory: BACnet device properties give vendor, model and firmware as icsnpp-bacnet reads them', { skip }, async () => {
  const rows = readZeekTsv(corpus('icsnpp-bacnet', 'testing', 'baseline', 'analyzer.services', 'bacnet_property.log'));
  const acks = rows.filter((r) => r.pdu_service === 'read-property-ack' && r.object_type === 'device');
  const value = (prop: string): { host: string; value: string } => {
    const r = acks.find((x) => x.property === prop)!;
    return { host: r.source_h, value: r.value };
  };
  const vendor = value('vendor-name');
  const model = value('model-name');
  const firmware = value('firmware-revision');
  const { devices } = await runInventory([corpus('icsnpp-bacnet', 'testing', 'traces', 'bacnet_services.pcap')]);
  const d = deviceWithIp(devices, vendor.host);
  assert.ok(d !== undefined);
  assert.equal(d.category, 'building_automation');
  assert.equal(d.vendor, vendor.value);
  assert.equal(d.model, model.value);
  assert.ok(d.evidence.some((e) => e.source === 'bacnet.firmware' && e.value === firmware.value));
  assert.equal(model.host, vendor.host);
});

test('inventory: the station serving IEC 104 in nDPI\'s captures is an industrial outstation, its client is not', { skip }, async () => {
  // nDPI's result files name the flows' endpoints; the 2404 side is the controlled station,
  // and tshark shows it sending the M_* and actcon ASDUs and STARTDT con.
  for (const [file, server, client] of [
    ['iec60780-5-104.pcap', '172.27.248.79', '172.27.248.109'],
    ['IEC104.pcap', '10.175.211.1', '10.119.105.26'],
  ]) {
    const { devices } = await runInventory([corpus('ndpi', 'pcap', file)]);
    const s = deviceWithIp(devices, server);
    assert.ok(s !== undefined, file);
    assert.equal(s.category, 'industrial', file);
    assert.ok(s.evidence.some((e) => e.source === 'iec104.monitor_direction' && e.value === 'iec104-outstation'), file);
    const c = deviceWithIp(devices, client);
    assert.ok(c !== undefined && !c.evidence.some((e) => e.value === 'iec104-outstation'), file);
  }
});

test('inventory: the DNP3 outstation in Zeek\'s and nDPI\'s dnp3.pcap is industrial, its masters are not outstations', { skip }, async () => {
  // Zeek's dnp3.log baseline (events test) and nDPI's dnp3.pcap.out: 10.0.0.3 and 192.168.66.34
  // serve port 20000 and answer with RESPONSE / UNSOLICITED_RESPONSE and IIN.
  const { devices } = await runInventory([corpus('zeek', 'traces', 'dnp3', 'dnp3.pcap')]);
  for (const ip of ['10.0.0.3', '192.168.66.34']) {
    const s = deviceWithIp(devices, ip);
    assert.ok(s !== undefined, ip);
    assert.equal(s.category, 'industrial', ip);
    assert.ok(s.evidence.some((e) => e.source === 'dnp3.response' && e.value === 'dnp3-outstation'), ip);
  }
  for (const ip of ['10.0.0.8', '10.0.0.9', '192.168.66.33']) {
    const c = deviceWithIp(devices, ip);
    assert.ok(c !== undefined && !c.evidence.some((e) => e.value === 'dnp3-outstation'), ip);
  }
});

test('inventory: off port 20000 the DNP3 outstation is still industrial, by its role', { skip }, async () => {
  // Zeek's dnp3_udp_read.pcap with port 20000 moved to 47000 (no port rule can fire).
  const { devices } = await runInventory([await movedUdpRead()]);
  const s = deviceWithIp(devices, '192.168.80.12');
  assert.ok(s !== undefined);
  assert.equal(s.category, 'industrial');
  assert.ok(s.evidence.some((e) => e.value === 'dnp3-outstation'));
  const m = deviceWithIp(devices, '192.168.80.160');
  assert.ok(m !== undefined && !m.evidence.some((e) => e.value === 'dnp3-outstation'));
});

test('inventory: SSH on port 2222 (an alternative SSH port) is not EtherNet/IP I/O; industrial ports count when nothing else or an ICS protocol was recognised on them', { skip }, async () => {
  // Zeek's ssh1-ssh2-fingerprints.pcap: OpenSSH answers on 127.0.0.1:2222 and :22.
  const { devices } = await runInventory([corpus('zeek', 'traces', 'ssh', 'ssh1-ssh2-fingerprints.pcap')]);
  const d = deviceWithIp(devices, '127.0.0.1')!;
  assert.notEqual(d.category, 'industrial');
  assert.ok(d.services.some((s) => s.startsWith('tcp/2222 ssh')), d.services.join(';'));
  // The S7 PLC of icsnpp-s7comm's snap7.pcap keeps its port and protocol evidence.
  const s7 = deviceWithIp((await runInventory([corpus('icsnpp-s7comm', 'tests', 'traces', 'snap7.pcap')])).devices, '134.217.61.211')!;
  assert.equal(s7.category, 'industrial');
  assert.match(s7.category_reason ?? '', /service=tcp\/102 cotp,s7comm/);
});

test('inventory: a Mac running a Modbus client is a workstation, its Modbus server industrial (Arkime modbus.pcap)', { skip }, async () => {
  // macOS evidence weighs as Windows' does (4) over an industrial protocol's client (3).
  const { devices } = await runInventory([corpus('arkime', 'tests', 'pcap', 'modbus.pcap')]);
  const mac = devices.find((d) => d.mac === '10:9a:dd:4e:06:0d')!;
  assert.equal(mac.os?.family, 'macOS');
  assert.equal(mac.category, 'workstation');
  assert.ok(devices.some((d) => d.category === 'industrial' && /role=modbus-server/.test(d.category_reason ?? '')));
});
