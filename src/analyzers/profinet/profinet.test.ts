// PROFINET DCP and RT. The shared corpus holds no PROFINET frame at all: none of its captures has
// an Ethernet frame of ethertype 0x8892 (tshark -Y 'pn_dcp || pn_rt' over every file that holds
// the octets 88 92 finds nothing); nDPI's profinet-io-le.pcap is PNIO-CM, i.e. connectionless
// DCE/RPC over UDP 34964, which this link-layer analyzer rightly does not see (tested below).
// The DCP frames here are therefore the ones published in scapy's test/contrib/pnio_dcp.uts: an
// Identify response and a Set response from a Siemens ET200SP (MAC ac:64:17:21:35:cf, 802.1Q
// priority tag), and the requests the test suite pairs with them. Expectations are Wireshark's
// pn_dcp dissector's reading of the same frames (`tshark -r dcp.pcap -T fields -e
// pn_dcp.service_id -e pn_dcp.service_type -e pn_dcp.xid -e pn_dcp.suboption_device_nameofstation
// -e pn_dcp.suboption_device_devicevendorvalue -e pn_dcp.suboption_vendor_id
// -e pn_dcp.suboption_device_id -e pn_dcp.suboption_device_role -e pn_dcp.suboption_ip_ip
// -e pn_dcp.suboption_ip_subnetmask -e pn_dcp.suboption_ip_standard_gateway
// -e pn_dcp.block_qualifier -e pn_dcp.suboption_ip_block_info`, tshark 4.x), never our output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writePcap } from '../../testutil/pcapwriter.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { frameKind, parseDcp } from './parse.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ZERO = (n: number): string => '00'.repeat(n);

/** scapy's frames, in capture order (Ethernet header included). */
const IDENTIFY_ALL = hex(`010ecf000000 0123456789ab 8892 fefe 05 00 01000001 0001 0004 ffff0000 ${ZERO(30)}`);
const SET_NAME = hex(`0123456789ac 0123456789ab 8892 fefd 04 00 00000001 0000 000c 0202 0008 0001 646576696365 ${ZERO(27)}`);
const IDENTIFY_RESPONSE = hex(`94659c51907d ac64172135cf 8100 0000 8892 feff 05 01 01000001 0000 004e
  0205 0004 0000 0207
  0201 0009 0000 45543230305350 00
  0202 0008 0000 646576696365
  0203 0006 0000 002a 0313
  0204 0004 0000 0100
  0207 0004 0000 0001
  0102 000e 0001 c0a8010e ffffff00 c0a8010e`);
const SET_RESPONSE = hex(`94659c51907d ac64172135cf 8100 0000 8892 fefd 04 01 00000001 0000 0008 0504 0003 020200 00 ${ZERO(26)}`);
// scapy's "Set Full IP Suite" frame states DCPDataLength 40 where its one block takes 34 octets
// and the frame ends after 34: a damaged length we must report, not follow.
const SET_IP_SUITE = hex(`12340078 90ab c85b76e689df 8892 fefd 04 00 00000004 0000 0028 0103 001e 0000
  c0a801ab ffffff00 c0a80101 01020304 05060708 00000000 00000000`);
const FRAMES = [IDENTIFY_ALL, SET_NAME, IDENTIFY_RESPONSE, SET_RESPONSE, SET_IP_SUITE];

/** The PROFINET payload of a frame (after the Ethernet header and an optional 802.1Q tag). */
function payload(f: Uint8Array): Uint8Array {
  return f[12] === 0x81 && f[13] === 0x00 ? f.subarray(18) : f.subarray(14);
}

function dcpPcap(): string {
  return writePcap(FRAMES.map((frame, i) => ({ ts: 1700000000 + i, frame })));
}

test('frameKind() sorts FrameIDs into the ranges Wireshark names (PTCP, RT_CLASS_3, RT_CLASS_1, alarms, DCP)', () => {
  assert.equal(frameKind(0x0080), 'ptcp');
  assert.equal(frameKind(0x0100), 'rtc3');
  assert.equal(frameKind(0x1000), 'reserved');
  assert.equal(frameKind(0x8000), 'rtc1');
  assert.equal(frameKind(0xc000), 'rtc1_legacy');
  assert.equal(frameKind(0xfbff), 'rtc1_legacy');
  assert.equal(frameKind(0xfc01), 'alarm_high');
  assert.equal(frameKind(0xfe01), 'alarm_low');
  for (const id of [0xfefc, 0xfefd, 0xfefe, 0xfeff]) assert.equal(frameKind(id), 'dcp');
  assert.equal(frameKind(0xff40), 'ptcp');
});

test("parseDcp() reads the ET200SP's Identify response as Wireshark's pn_dcp does", () => {
  const p = payload(IDENTIFY_RESPONSE);
  const r = parseDcp(p, 0, p.length)!;
  // tshark: 5|1|0x01000001||device|ET200SP|0x002a|0x0313|0x01|192.168.1.14|255.255.255.0|192.168.1.14||1
  assert.equal(r.frame, 'identify response');
  assert.equal(r.service, 'identify');
  assert.equal(r.service_type, 'response');
  assert.equal(r.xid, 0x01000001);
  assert.equal(r.name_of_station, 'device');
  assert.equal(r.type_of_station, 'ET200SP');
  assert.equal(r.vendor_id, 0x002a);
  assert.equal(r.device_id, 0x0313);
  assert.deepEqual(r.device_role, ['io-device']); // DeviceRoleDetails 0x01: "IO-Device"
  assert.equal(r.device_instance, 1); // InstanceHigh 0, InstanceLow 1
  assert.deepEqual(r.device_options, ['device_instance']); // "Dev-Options(1)": Device/Device Instance
  assert.equal(r.ip, '192.168.1.14');
  assert.equal(r.netmask, '255.255.255.0');
  assert.equal(r.gateway, '192.168.1.14');
  assert.equal(r.ip_source, 'static'); // BlockInfo 1: "IP set"
  assert.equal(r.ip_conflict, undefined);
  assert.deepEqual(r.problems, []); // the odd-length TypeOfStation block's padding octet is skipped
});

test('parseDcp() marks Set requests with what they change and reads the Set response', () => {
  let p = payload(SET_NAME);
  let r = parseDcp(p, 0, p.length)!;
  // tshark: 4|0|0x00000001||device| … |BlockQualifier 1 ("Save the value permanent")
  assert.equal(r.frame, 'set');
  assert.equal(r.service_type, 'request');
  assert.equal(r.set, true);
  assert.deepEqual(r.set_options, ['name_of_station']);
  assert.equal(r.name_of_station, 'device');
  assert.equal(r.set_permanent, true);
  p = payload(SET_RESPONSE);
  r = parseDcp(p, 0, p.length)!;
  // tshark: 4|1|0x00000001| … block_error 0 ("Ok") for option IP/IP parameter (control option 2).
  assert.equal(r.service_type, 'response');
  assert.equal(r.set, undefined);
  assert.equal(r.errors, undefined);
  assert.deepEqual(r.problems, []);
  p = payload(SET_IP_SUITE);
  r = parseDcp(p, 0, p.length)!;
  // tshark: 4|0|0x00000004| … 192.168.1.171, 255.255.255.0, 192.168.1.1, BlockQualifier 0.
  assert.deepEqual(r.set_options, ['ip_suite']);
  assert.deepEqual([r.ip, r.netmask, r.gateway], ['192.168.1.171', '255.255.255.0', '192.168.1.1']);
  assert.deepEqual(r.dns, ['1.2.3.4', '5.6.7.8']);
  assert.equal(r.set_permanent, undefined);
  assert.deepEqual(r.problems, ['bad_data_length']);
});

test('parseDcp() reads an Identify-all request: ResponseDelay and the All selector filter', () => {
  const p = payload(IDENTIFY_ALL);
  const r = parseDcp(p, 0, p.length)!;
  // tshark: 5|0|0x01000001|1 (ResponseDelay), Block All/All
  assert.equal(r.frame, 'identify request');
  assert.equal(r.response_delay, 1);
  assert.deepEqual(r.filter, ['all']);
  assert.deepEqual(r.problems, []);
});

// Synthetic (no capture of either in the corpus or in scapy's tests): a Hello from an IO
// controller without an address yet, and a Get request for the name and IP parameter.
const HELLO = hex(`fefc 06 00 00000007 0000 0026 0202 0008 0000 706c632d3031 0204 0004 0000 0200 0102 000e 0000 ${ZERO(12)}`);
const GET = hex('fefd 03 00 00000009 0000 0004 0202 0102');

test('parseDcp() reads a Hello and a Get request (synthetic)', () => {
  let r = parseDcp(HELLO, 0, HELLO.length)!;
  assert.equal(r.frame, 'hello');
  assert.equal(r.name_of_station, 'plc-01');
  assert.deepEqual(r.device_role, ['io-controller']);
  assert.equal(r.ip, '0.0.0.0');
  assert.equal(r.ip_source, 'none');
  assert.deepEqual(r.problems, []);
  r = parseDcp(GET, 0, GET.length)!;
  assert.equal(r.frame, 'get');
  assert.deepEqual(r.requested, ['name_of_station', 'ip']);
});

test('parseDcp() survives truncation and mutation of the real frames', () => {
  fuzzParser([...FRAMES.map((f) => Uint8Array.from(payload(f))), HELLO, GET], (b) => {
    parseDcp(b, 0, b.length);
    frameKind(b.length >= 2 ? (b[0] << 8) | b[1] : 0);
  }, { mutations: 300 });
});

test('profinet_dcp.log: one line per DCP PDU with addresses, and the Set requests marked', async () => {
  const run = await runCaptures([dcpPcap()]);
  try {
    const lines = run.log('profinet_dcp');
    assert.deepEqual(
      lines.map((l) => [l.frame, l.service_type, l.src_mac, l.dst_mac, l.set ?? false]),
      [
        ['identify request', 'request', '01:23:45:67:89:ab', '01:0e:cf:00:00:00', false],
        ['set', 'request', '01:23:45:67:89:ab', '01:23:45:67:89:ac', true],
        ['identify response', 'response', 'ac:64:17:21:35:cf', '94:65:9c:51:90:7d', false],
        ['set', 'response', 'ac:64:17:21:35:cf', '94:65:9c:51:90:7d', false],
        ['set', 'request', 'c8:5b:76:e6:89:df', '12:34:00:78:90:ab', true],
      ],
    );
    const r = lines[2];
    assert.equal(r.ts, 1700000002);
    // The ET200SP's 802.1Q tag carries VLAN id 0 (tshark's vlan.id 0): a priority tag, so the
    // frame is on the port's untagged VLAN (802.1Q §9.6) and the line names no VLAN.
    assert.equal(r.vlan, undefined);
    assert.equal(r.name_of_station, 'device');
    assert.equal(r.type_of_station, 'ET200SP');
    assert.deepEqual([r.vendor_id, r.device_id, r.ip, r.netmask, r.gateway], [42, 787, '192.168.1.14', '255.255.255.0', '192.168.1.14']);
    assert.deepEqual(lines[1].set_options, ['name_of_station']);
    assert.equal(run.result.weirds['profinet.dcp_bad_data_length'], 1);
  } finally {
    run.cleanup();
  }
});

test('profinet_rt.log: one line per cyclic stream or alarm channel, not per frame (synthetic frames)', async () => {
  // Three RT_CLASS_1 frames of one stream, one of another FrameID, an alarm and a PTCP sync.
  const rt = (id: string, src = '000e8c000001'): Uint8Array => hex(`010ecf000000 ${src} 8892 ${id} ${ZERO(40)} 0000 3500`);
  const path = writePcap([rt('c000'), rt('c000'), rt('c000'), rt('8001'), rt('fc01'), rt('0080'), rt('c000', '000e8c000002')].map((frame, i) => ({ ts: 1700000000 + i / 1000, frame })));
  const run = await runCaptures([path]);
  try {
    assert.deepEqual(
      run.log('profinet_rt').map((l) => [l.src_mac, l.frame_id, l.rt_class]),
      [
        ['00:0e:8c:00:00:01', 0xc000, 'rtc1_legacy'],
        ['00:0e:8c:00:00:01', 0x8001, 'rtc1'],
        ['00:0e:8c:00:00:01', 0xfc01, 'alarm_high'],
        ['00:0e:8c:00:00:02', 0xc000, 'rtc1_legacy'],
      ],
    );
  } finally {
    run.cleanup();
  }
});

test('inventory: the Identify response names the ET200SP, binds its IP and makes it an industrial PROFINET device', async () => {
  const { devices } = await runInventory([dcpPcap()]);
  const d = deviceWithIp(devices, '192.168.1.14');
  assert.ok(d !== undefined);
  assert.equal(d.mac, 'ac:64:17:21:35:cf');
  assert.deepEqual(d.hostnames, ['device']);
  assert.equal(d.model, 'ET200SP');
  assert.equal(d.category, 'industrial');
  const ev = (source: string): string | undefined => d.evidence.find((e) => e.source === source)?.value;
  assert.equal(ev('profinet.vendor_id'), '42');
  assert.equal(ev('profinet.device_id'), '787');
  // The engineering station that sent the Set requests gains no name or address from them, and
  // counts as a client of an industrial protocol.
  assert.equal(deviceWithIp(devices, '192.168.1.171'), undefined);
  const es = devices.find((x) => x.mac === 'c8:5b:76:e6:89:df');
  assert.ok(es !== undefined);
  assert.deepEqual(es.hostnames, []);
  assert.equal(es.category, 'industrial');
});

test('inventory: a station sending cyclic RT frames speaks PROFINET IO (synthetic frames)', async () => {
  const frame = hex(`010ecf000000 000e8c000001 8892 c000 ${ZERO(40)} 0000 3500`);
  const { devices } = await runInventory([writePcap([{ ts: 1700000000, frame }])]);
  const d = devices.find((x) => x.mac === '00:0e:8c:00:00:01');
  assert.ok(d !== undefined);
  assert.ok(d.protocols.includes('profinet-io'));
  assert.equal(d.category, 'industrial');
});

test("profinet-io-le.pcap (nDPI's PROFINET_IO): PNIO-CM over UDP, so no DCP or RT line", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'profinet-io-le.pcap')]);
  try {
    assert.deepEqual(run.log('profinet_dcp'), []);
    assert.deepEqual(run.log('profinet_rt'), []);
    // nDPI: "UDP 10.10.0.150:1566 <-> 10.10.0.129:34964 [proto: 370.371/DCERPC.PROFINET_IO]".
    assert.ok(run.log('conn').some((c) => c.proto === 'udp' && c['id.resp_p'] === 34964));
  } finally {
    run.cleanup();
  }
});
