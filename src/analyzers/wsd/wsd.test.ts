// WS-Discovery against a real capture: test/fixtures/generated/generated-wsdd.pcap, two Debian
// wsdd 0.7.0 instances (a host announcing WARD4B-WS01 in workgroup CLINICAL, and a discovery
// client), with the expectations taken from wsdd's own log and tshark 4.0.17's XML decode
// (both recorded in test/fixtures/generated/README.md). No Debian implementation speaks ONVIF or
// IEEE 11073 SDC: those cases are small synthetic messages built from the specifications'
// examples (ONVIF Core Specification §7.3 ProbeMatch, IEEE 11073-20702 MDPWS types, 11073-20701
// §9.3 location scopes) and say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writeUdpPcap } from '../../testutil/pcapwriter.js';
import { readPcapPayloads } from './wsd.testutil.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { onvifScopes, parseWsd, sdcScopes, splitComputer } from './parse.js';
import { scanXml } from './xml.js';
import { probe } from './probe.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { loadRules } from '../../inventory/rules.js';
import { DEFAULT_KB_DIR } from '../../knowledge/kb.js';
import { classify } from '../../inventory/classify.js';
import type { Fact } from '../../inventory/facts.js';

const PCAP = join(process.cwd(), 'test', 'fixtures', 'generated', 'generated-wsdd.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** tshark -X lua_script:wsd-xml.lua -Y 'xml && udp' -T fields -e frame.number -e xml.cdata: frame, action, MessageID. */
const TSHARK_UDP = `
1|Probe|6fa4e3fc 2|Probe|6fa4fe28 3|Hello|6fa51430 4|Hello|6fa5581e 12|ProbeMatches|6fa60386
34|Resolve|6fa90400 35|ResolveMatches|6fa91738 50|Hello|6fa51430 51|ProbeMatches|6fa60386
52|Hello|6fa5581e 53|ResolveMatches|6fa91738 54|Probe|6fa4e3fc 55|Resolve|6fa90400 56|Hello|6fa51430
57|Probe|6fa4fe28 58|ProbeMatches|6fc90d72 59|Resolve|6fc92136 60|ResolveMatches|6fc933ce
75|Hello|6fa5581e 76|Resolve|6fc92136 77|Resolve|6fa90400 78|Hello|6fa51430 79|ResolveMatches|6fc933ce
80|ProbeMatches|6fc90d72 81|Probe|6fa4e3fc 82|Hello|6fa5581e 83|Resolve|6fc92136 84|Probe|6fa4fe28
85|Resolve|6fa90400 86|Probe|6fa4e3fc 87|Resolve|6fc92136 88|Probe|6fa4fe28 89|Bye|7a56943a
90|Bye|7a56943a 91|Bye|7a56943a 92|Bye|7a56943a`
  .trim()
  .split(/\s+/)
  .map((x) => x.split('|'));
const ACTION: Record<string, string> = { Probe: 'probe', Hello: 'hello', Bye: 'bye', ProbeMatches: 'probe_matches', Resolve: 'resolve', ResolveMatches: 'resolve_matches' };
const ENDPOINT = 'urn:uuid:e5e61fb5-d685-5b50-9ba7-acb6e6962ef3';

// Synthetic, after ONVIF Core Specification §7.3.2 (a camera's ProbeMatch), with unusual prefixes
// (SOAP-ENV, a default-namespace Address, "d" and "tds" for discovery and the ONVIF types).
const ONVIF_MATCH = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
<SOAP-ENV:Header><wsa:MessageID>uuid:9e1c1a7e-1dd2-11b2-a105-F0001B4A8B2C</wsa:MessageID><wsa:RelatesTo>uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsa:RelatesTo><wsa:To SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To><wsa:Action SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>
<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><Address xmlns="http://schemas.xmlsoap.org/ws/2004/08/addressing">urn:uuid:9e1c1a7e-1dd2-11b2-a105-f0001b4a8b2c</Address></wsa:EndpointReference><d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/hardware/DS-2CD2143G2-I onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I onvif://www.onvif.org/location/city/hangzhou</d:Scopes><d:XAddrs>http://10.20.0.64/onvif/device_service</d:XAddrs><d:MetadataVersion>10</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

// Synthetic, after IEEE 11073-20702 (MDPWS) and 11073-20701 §9.3: an SDC patient monitor's
// Hello in OASIS WS-Discovery 1.1 with WS-Addressing 1.0.
const SDC_HELLO = `<s12:Envelope xmlns:s12="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa5="http://www.w3.org/2005/08/addressing" xmlns:wsd11="http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01" xmlns:dpws="http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01" xmlns:mdpws="http://standards.ieee.org/downloads/11073/11073-20702-2016"><s12:Header><wsa5:Action>http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/Hello</wsa5:Action><wsa5:MessageID>urn:uuid:2f0c5d1e-0d3b-4c59-9c5e-7c1b3e9a0001</wsa5:MessageID></s12:Header><s12:Body><wsd11:Hello><wsa5:EndpointReference><wsa5:Address>urn:uuid:5a0a1f2c-3b4d-4e5f-8a9b-0c1d2e3f4a5b</wsa5:Address></wsa5:EndpointReference><wsd11:Types>dpws:Device mdpws:MedicalDevice</wsd11:Types><wsd11:Scopes>sdc.ctxt.loc:/sdc.ctxt.loc.detail/HOSP1%2F%2F%2F4B%2F12%2F1?fac=HOSP1&amp;bldng=B&amp;poc=4B&amp;flr=2&amp;rm=12&amp;bed=1 sdc.mds.pkp:1.2.840.10004.20701.1.1</wsd11:Scopes><wsd11:XAddrs>https://10.30.0.21:6464/sdc</wsd11:XAddrs><wsd11:MetadataVersion>3</wsd11:MetadataVersion></wsd11:Hello></s12:Body></s12:Envelope>`;

test('parseWsd() reads the ONVIF ProbeMatch by namespace, whatever the prefixes (synthetic, ONVIF Core §7.3)', () => {
  const r = parseWsd(enc(ONVIF_MATCH), 0, enc(ONVIF_MATCH).length);
  assert.ok(typeof r === 'object');
  const [m] = r.messages;
  assert.equal(m.action, 'probe_matches');
  assert.equal(m.endpoint, 'urn:uuid:9e1c1a7e-1dd2-11b2-a105-f0001b4a8b2c');
  assert.deepEqual(m.types, ['dn:NetworkVideoTransmitter', 'tds:Device']);
  assert.deepEqual(m.type_names, ['{http://www.onvif.org/ver10/network/wsdl}NetworkVideoTransmitter', '{http://www.onvif.org/ver10/device/wsdl}Device']);
  assert.equal(m.metadata_version, 10);
  assert.deepEqual(onvifScopes(m.scopes!), { hardware: 'DS-2CD2143G2-I', name: 'HIKVISION DS-2CD2143G2-I', location: 'city/hangzhou', types: ['video_encoder'] });
});

test('parseWsd() reads an SDC Hello in WS-Discovery 1.1 and its location context (synthetic, IEEE 11073-20701 §9.3)', () => {
  const r = parseWsd(enc(SDC_HELLO), 0, enc(SDC_HELLO).length);
  assert.ok(typeof r === 'object');
  const [m] = r.messages;
  assert.equal(m.action, 'hello');
  assert.ok(m.type_names!.includes('{http://standards.ieee.org/downloads/11073/11073-20702-2016}MedicalDevice'));
  assert.deepEqual(sdcScopes(m.scopes!), { location: 'fac=HOSP1 bldng=B flr=2 poc=4B rm=12 bed=1', pkp: ['1.2.840.10004.20701.1.1'] });
});

test('a prefix bound to another namespace is not taken for WS-Discovery; an unbound Types prefix is not resolved', () => {
  const wrong = ONVIF_MATCH.replace('xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"', 'xmlns:d="urn:example:other"');
  const r = parseWsd(enc(wrong), 0, enc(wrong).length);
  assert.ok(typeof r === 'object');
  assert.equal(r.messages[0].endpoint, undefined, 'd:ProbeMatch is not in the discovery namespace');
  const unbound = ONVIF_MATCH.replace(' xmlns:dn="http://www.onvif.org/ver10/network/wsdl"', '');
  const u = parseWsd(enc(unbound), 0, enc(unbound).length);
  assert.ok(typeof u === 'object');
  assert.deepEqual(u.messages[0].type_names, ['{http://www.onvif.org/ver10/device/wsdl}Device']);
});

test('scanXml() refuses a DOCTYPE and mismatched tags, and keeps its caps', () => {
  assert.equal(scanXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'), 'bad');
  assert.equal(scanXml('<a><b></a></b>'), 'bad');
  const deep = '<a>'.repeat(5000) + '</a>'.repeat(5000);
  const d = scanXml(deep);
  assert.ok(typeof d === 'object' && d.truncated && d.elements.length === 32);
  const wide = `<r>${'<e/>'.repeat(5000)}</r>`;
  const w = scanXml(wide);
  assert.ok(typeof w === 'object' && w.truncated && w.elements.length === 1024);
});

test('splitComputer() splits the PnP-X Computer value into name and workgroup or domain', () => {
  assert.deepEqual(splitComputer('WARD4B-WS01/Workgroup:CLINICAL'), { computer: 'WARD4B-WS01', workgroup: 'CLINICAL' });
  assert.deepEqual(splitComputer('PACS01/Domain:hospital.example'), { computer: 'PACS01', domain: 'hospital.example' });
});

test("wsd.log has every datagram tshark decodes, with wsdd's actions and message ids", async () => {
  const run = await runCaptures([PCAP]);
  try {
    const udp = run.log('wsd').filter((l) => l.action !== 'get_response');
    assert.equal(udp.length, TSHARK_UDP.length);
    const want = TSHARK_UDP.map(([, a, id]) => `${ACTION[a]} ${id}`).sort();
    const got = udp.map((l) => `${l.action} ${String(l.message_id).slice(9, 17)}`).sort();
    assert.deepEqual(got, want);
    // wsdd's log: the ProbeMatches and ResolveMatches from 192.168.77.10:3702 answer the client's Probe and Resolve.
    const pm = udp.find((l) => l.action === 'probe_matches' && l['id.orig_h'] === '192.168.77.10')!;
    assert.equal(pm.message_id, 'urn:uuid:6fa60386-eb90-11f1-80e5-8a20f9f751c9');
    assert.equal(pm.relates_to, 'urn:uuid:6fa4e3fc-eb90-11f1-89df-ba1cfcb175fa');
    assert.deepEqual(pm.types, ['wsdp:Device', 'pub:Computer']);
    const hello = udp.find((l) => l.action === 'hello' && l['id.resp_h'] === 'ff02::c')!;
    assert.equal(hello.endpoint, ENDPOINT);
    assert.deepEqual(hello.xaddrs, ['http://[fe80::8820:f9ff:fef7:51c9]:5357/e5e61fb5-d685-5b50-9ba7-acb6e6962ef3']);
    assert.equal(hello.metadata_version, 1);
    // Every UDP flow is WS-Discovery, including the unicast answers from port 3702 to the client's port.
    const udpConns = run.conns.filter((c) => c.rPort === 3702 || c.oPort === 3702);
    assert.equal(udpConns.length, 6);
    assert.ok(udpConns.every((c) => c.service === 'wsd'));
    assert.ok(run.conns.filter((c) => c.rPort === 5357).every((c) => c.service === 'http'));
  } finally {
    run.cleanup();
  }
});

test('the four metadata GetResponses over HTTP are logged with the fields tshark shows', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const md = run.log('wsd').filter((l) => l.action === 'get_response');
    assert.equal(md.length, 4);
    for (const l of md) {
      assert.equal(l['id.resp_p'], 5357);
      assert.equal(l.is_orig, false);
      assert.equal(l.endpoint, ENDPOINT);
      assert.equal(l.friendly_name, 'WSD Device WARD4B-WS01');
      assert.equal(l.firmware, '1.0');
      assert.equal(l.serial, '1');
      assert.equal(l.manufacturer, 'wsdd');
      assert.equal(l.model_name, 'wsdd');
      assert.equal(l.computer, 'WARD4B-WS01');
      assert.equal(l.workgroup, 'CLINICAL');
      assert.deepEqual(l.types, ['pub:Computer']);
    }
    assert.deepEqual(md.map((l) => String(l.message_id).slice(9, 17)).sort(), ['6fa61a38', '6fa8ded0', '6fa93de4', '6fc95e9e']);
  } finally {
    run.cleanup();
  }
});

test('probe() recognises a discovery envelope on UDP only, and not other XML', () => {
  const d = enc(ONVIF_MATCH);
  assert.equal(probe(d, 0, d.length, false, 17), PROBE_YES);
  assert.equal(probe(d, 0, d.length, false, 6), PROBE_NO);
  const other = enc('<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>');
  assert.equal(probe(other, 0, other.length, true, 17), PROBE_NO);
  const ssdp = enc('M-SEARCH * HTTP/1.1\r\n\r\n');
  assert.equal(probe(ssdp, 0, ssdp.length, true, 17), PROBE_NO);
});

test('inventory: the ONVIF camera is found on a non-standard port and classified by its Types (synthetic datagram)', async () => {
  const path = writeUdpPcap([{ ts: 1_700_000_000, src: '10.20.0.64', sport: 3702, dst: '10.20.0.5', dport: 40001, payload: enc(ONVIF_MATCH) }]);
  const run = await runCaptures([path]);
  try {
    assert.equal(run.conns[0].service, 'wsd');
  } finally {
    run.cleanup();
  }
  const moved = writeUdpPcap([{ ts: 1_700_000_000, src: '10.20.0.64', sport: 40002, dst: '10.20.0.5', dport: 40001, payload: enc(ONVIF_MATCH) }]);
  const { devices } = await runInventory([moved]);
  const cam = deviceWithIp(devices, '10.20.0.64')!;
  assert.equal(cam.category, 'camera');
  assert.equal(cam.vendor, 'Hikvision');
  assert.equal(cam.model, 'DS-2CD2143G2-I');
});

test('inventory: the wsdd host is a workstation named by its Computer relationship (real capture)', async () => {
  const { devices } = await runInventory([PCAP]);
  const host = deviceWithIp(devices, '192.168.77.10')!;
  assert.equal(host.category, 'workstation');
  assert.deepEqual(host.hostnames, ['WARD4B-WS01']);
  assert.ok(host.evidence.some((e) => e.source === 'wsd.workgroup' && e.value === 'CLINICAL'));
  assert.ok(host.evidence.some((e) => e.source === 'wsd.serial' && e.value === '1'));
  // wsdd's placeholder ThisModel names no vendor.
  assert.equal(host.vendor, null);
  // The client only searched: nothing is said about it.
  const client = deviceWithIp(devices, '192.168.77.20');
  assert.ok(client === undefined || !client.evidence.some((e) => e.source.startsWith('wsd')));
});

function facts(...kv: [string, string, string][]): Fact[] {
  return kv.map(([fact, source, value], i) => ({ fact, source, value, file: 'x', packet: i + 1, ts: 0, self: true, seq: i }));
}

test('classify.rules: each WS-Discovery rule decides what it says', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const cat = (f: Fact[]): string => classify(rules, f, [], () => '').category;
  const T = (t: string): [string, string, string] => ['wsd_type', 'wsd.type', t];
  assert.equal(cat(facts(T('{http://www.onvif.org/ver10/network/wsdl}NetworkVideoTransmitter'))), 'camera');
  assert.equal(cat(facts(['onvif_type', 'wsd.onvif_type', 'video_encoder'])), 'camera');
  assert.equal(cat(facts(T('{http://schemas.microsoft.com/windows/2006/08/wdp/print}PrintDeviceType'))), 'printer');
  assert.equal(cat(facts(T('{http://schemas.microsoft.com/windows/2006/08/wdp/scan}ScanDeviceType'))), 'printer');
  const MD = T('{http://standards.ieee.org/downloads/11073/11073-20702-2016}MedicalDevice');
  assert.equal(cat(facts(MD)), 'medical_other');
  assert.equal(cat(facts(MD, ['model', 'wsd.model_name', 'IntelliVue MX750'])), 'patient_monitor');
  assert.equal(cat(facts(MD, ['model', 'wsd.model_name', 'Perfusor Space'])), 'infusion_pump');
  assert.equal(cat(facts(MD, ['model', 'wsd.model_name', 'Evita V800 ventilator'])), 'medical_other');
  assert.equal(cat(facts(T('{http://schemas.microsoft.com/windows/pub/2005/07}Computer'))), 'workstation');
  // The port alone still hints at a camera, but not once the Types say otherwise.
  assert.equal(cat(facts(['service', 'service', 'udp/3702'])), 'camera');
  assert.equal(cat(facts(['service', 'service', 'udp/3702'], T('{http://schemas.microsoft.com/windows/pub/2005/07}Computer'))), 'workstation');
  const c = classify(rules, facts(['manufacturer', 'wsd.manufacturer', 'Brother'], ['model', 'wsd.model_name', 'MFC-L8900CDW']), [], () => '');
  assert.deepEqual([c.vendor, c.model], ['Brother', 'MFC-L8900CDW']);
  const w = classify(rules, facts(['manufacturer', 'wsd.manufacturer', 'wsdd'], ['model', 'wsd.model_name', 'wsdd']), [], () => '');
  assert.deepEqual([w.vendor, w.model], [null, null]);
  const o = classify(rules, facts(['name', 'wsd.onvif_name', 'AXIS P3245-LVE'], ['model', 'wsd.onvif_hardware', 'P3245-LVE']), [], () => '');
  assert.deepEqual([o.vendor, o.model], ['Axis Communications', 'P3245-LVE']);
});

test('parseWsd() and scanXml() survive truncation and mutation of the real datagrams and metadata', () => {
  const seeds = readPcapPayloads(readFileSync(PCAP), [3, 12, 35, 89]);
  const body = readPcapPayloads(readFileSync(PCAP), [15])[0];
  seeds.push(body.subarray(0, 1967), enc(ONVIF_MATCH), enc(SDC_HELLO));
  fuzzParser(seeds, (b) => {
    parseWsd(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
  }, { mutations: 150 });
});

// Synthetic (no capture of the corpus holds an ONVIF HTTP exchange, no Debian package speaks it):
// GetDeviceInformation and its answer as in the ONVIF Device Management Service Specification
// §8.3.1, over HTTP on port 80 of a camera at 10.20.0.64; device values invented.
const ONVIF_REQUEST = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`;
const ONVIF_RESPONSE = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
<SOAP-ENV:Body><tds:GetDeviceInformationResponse>
<tds:Manufacturer>HIKVISION</tds:Manufacturer>
<tds:Model>DS-2CD2143G2-I</tds:Model>
<tds:FirmwareVersion>V5.7.3 build 220112</tds:FirmwareVersion>
<tds:SerialNumber>DS-2CD2143G2-I20220101AAWRJTEST0001</tds:SerialNumber>
<tds:HardwareId>88</tds:HardwareId>
</tds:GetDeviceInformationResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

test('parseWsd(): an ONVIF GetDeviceInformationResponse names manufacturer, model, firmware, serial (synthetic)', () => {
  const r = parseWsd(enc(ONVIF_RESPONSE), 0, enc(ONVIF_RESPONSE).length);
  assert.ok(typeof r === 'object');
  assert.deepEqual(r.messages, [
    { action: 'onvif_device_information', manufacturer: 'HIKVISION', model_name: 'DS-2CD2143G2-I', firmware: 'V5.7.3 build 220112', serial: 'DS-2CD2143G2-I20220101AAWRJTEST0001', hardware_id: '88' },
  ]);
  // The request is SOAP of another kind.
  assert.equal(parseWsd(enc(ONVIF_REQUEST), 0, enc(ONVIF_REQUEST).length), 'other');
});

test('ONVIF over HTTP: wsd.log line and a camera in the inventory with its model and firmware (synthetic)', async () => {
  const { tcpConversationFrames, writePcap } = await import('../../testutil/pcapwriter.js');
  const req = `POST /onvif/device_service HTTP/1.1\r\nHost: 10.20.0.64\r\nContent-Type: application/soap+xml; charset=utf-8; action="http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation"\r\nContent-Length: ${enc(ONVIF_REQUEST).length}\r\n\r\n${ONVIF_REQUEST}`;
  const resp = `HTTP/1.1 200 OK\r\nServer: App-webs/\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: ${enc(ONVIF_RESPONSE).length}\r\nConnection: close\r\n\r\n${ONVIF_RESPONSE}`;
  const path = writePcap(
    tcpConversationFrames({
      client: '10.20.0.10',
      server: '10.20.0.64',
      cport: 50123,
      sport: 80,
      t0: 1_700_000_000,
      turns: [
        { isOrig: true, bytes: enc(req) },
        { isOrig: false, bytes: enc(resp) },
      ],
    }),
  );
  const run = await runCaptures([path]);
  try {
    const wsd = run.log('wsd');
    assert.deepEqual(
      wsd.map((r) => [r.action, r.is_orig, r['id.resp_h'], r.manufacturer, r.model_name, r.firmware, r.hardware_id]),
      [['onvif_device_information', false, '10.20.0.64', 'HIKVISION', 'DS-2CD2143G2-I', 'V5.7.3 build 220112', '88']],
    );
  } finally {
    run.cleanup();
  }
  const { devices } = await runInventory([path]);
  const cam = deviceWithIp(devices, '10.20.0.64')!;
  assert.deepEqual([cam.category, cam.vendor, cam.model], ['camera', 'HIKVISION', 'DS-2CD2143G2-I']);
  assert.ok(cam.evidence.some((e) => e.fact === 'role' && e.value === 'onvif-device' && e.source === 'wsd.onvif_device_information'));
  assert.equal(deviceWithIp(devices, '10.20.0.10')?.category === 'camera', false);
});
