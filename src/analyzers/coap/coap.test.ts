// CoAP against real captures: nDPI's coap_mqtt.pcap result (every flow it labels COAP is service
// coap) and Wireshark's coap dissector on the same capture (type, code, message id, token,
// Uri-Path/Uri-Query, Content-Format of every message); probe and fuzz tests on its payloads.
// The corpus holds no /.well-known/core answer, Block2 transfer or LwM2M registration: those are
// synthetic and say so.
import { test } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writeUdpPcap } from '../../testutil/pcapwriter.js';
import { codeText, parseCoap, parseLinkFormat } from './parse.js';
import { probe } from './probe.js';
import { CoapAnalyzer } from './analyzer.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { udpOutputs } from '../../testutil/secrets.js';

const skip = !haveCorpus() && 'shared corpus not present';
const UDP = 17;
const CAPTURE = (): string => corpus('ndpi', 'pcap', 'coap_mqtt.pcap');

/**
 * `tshark -r coap_mqtt.pcap -Y 'coap && udp.port==5683' -T fields -E separator='|' -e frame.number
 * -e udp.srcport -e udp.dstport -e coap.type -e coap.code -e coap.mid -e coap.token
 * -e coap.opt.uri_path -e coap.opt.uri_query -e coap.opt.ctype` (tshark 4.0.17; the query byte
 * 0xd4 written as \xd4).
 */
const TSHARK = `
1|61043|5683|0|1|1482|721633|||
2|61044|5683|0|2|65485|721633|||
3|61045|5683|0|3|14333|721633|||
4|61046|5683|0|4|18020|721633|||
5|61047|5683|0|1|35444|7216332b2e||=\\xd4|
6|33499|5683|0|1|59675|0790|separate||text/plain; charset=utf-8
7|5683|33499|2|0|59675||||
8|5683|33499|0|69|22287|0790|||
9|33499|5683|2|0|22287||||
10|50250|5683|0|2|52896||storage||
11|5683|50250|2|65|52896||||
12|50250|5683|0|3|52897||||
13|5683|50250|2|133|52897||||
14|46819|5683|0|3|38178||storage,myresource||
15|5683|46819|2|68|38178||||
16|46819|5683|0|1|38179||storage,myresource||
17|5683|46819|2|69|38179||||
18|46819|5683|0|4|38180||storage,myresource||
19|5683|46819|2|66|38180||||`;

interface Row {
  frame: number;
  sport: number;
  dport: number;
  type: number;
  code: number;
  mid: number;
  token: string;
  path: string;
  query: string;
  ctype: string;
}

function rows(): Row[] {
  return TSHARK.trim()
    .split('\n')
    .map((l) => {
      const f = l.split('|');
      return { frame: +f[0], sport: +f[1], dport: +f[2], type: +f[3], code: +f[4], mid: +f[5], token: f[6], path: f[7], query: f[8], ctype: f[9] };
    });
}

const TYPES = ['CON', 'NON', 'ACK', 'RST'];

test('every flow nDPI labels CoAP in coap_mqtt.pcap is service coap', { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi', 'result', 'coap_mqtt.pcap.out')).filter((f) => f.app.split('.')[0] === 'COAP');
  assert.equal(flows.length, 8);
  const run = await runCaptures([CAPTURE()]);
  try {
    const conns = run.log('conn');
    for (const f of flows) {
      const c = conns.find((k) => k.proto === 'udp' && k['id.orig_p'] === f.aPort && k['id.resp_p'] === f.bPort);
      assert.equal(c?.service, 'coap', `${f.a}:${f.aPort} > ${f.b}:${f.bPort}`);
    }
  } finally {
    run.cleanup();
  }
});

test("coap.log agrees with Wireshark's coap dissector on every request and its response", { skip }, async () => {
  const run = await runCaptures([CAPTURE()]);
  try {
    const log = run.log('coap').filter((r) => r['id.resp_p'] === 5683);
    const want = rows();
    const requests = want.filter((r) => r.code >= 1 && r.code < 32);
    // One line per exchange; Empty ACKs (frames 7, 9) only acknowledge and are not lines.
    assert.equal(log.length, requests.length);
    for (const q of requests) {
      const g = log.find((r) => r['id.orig_p'] === q.sport && r.message_id === q.mid);
      assert.ok(g, `frame ${q.frame}`);
      assert.equal(g.type, TYPES[q.type]);
      assert.equal(g.code, codeText(q.code));
      assert.equal(g.token ?? '', q.token);
      // Frames 1–4 carry the path in the unregistered option 2 (a scanner's mistake): no Uri-Path.
      const path = '/' + (q.path === '' ? '' : q.path.split(',').join('/'));
      const query = q.query === '' ? '' : '?' + q.query.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => `%${h.toUpperCase()}`);
      assert.equal(g.uri, path + query, `frame ${q.frame}`);
      if (q.ctype !== '') assert.equal(g.content_format, q.ctype);
      // The response: the ACK with the request's message id (piggybacked), else the CON with its token (separate).
      const res = want.find((r) => r.code >= 64 && r.sport === q.dport && r.dport === q.sport && (r.type === 2 ? r.mid === q.mid : q.token !== '' && r.token === q.token));
      if (res === undefined) assert.equal(g.response_code, undefined, `frame ${q.frame} was not answered`);
      else {
        assert.equal(g.response_code, codeText(res.code), `frame ${q.frame} answered by ${res.frame}`);
        assert.equal(g.response_type, TYPES[res.type]);
      }
    }
    assert.deepEqual(
      log.map((r) => r.response_code).filter((x) => x !== undefined),
      ['2.05 Content', '2.01 Created', '4.05 Method Not Allowed', '2.04 Changed', '2.05 Content', '2.02 Deleted'],
    );
  } finally {
    run.cleanup();
  }
});

test("CoAP on UDP 17500 is found by probing: Wireshark decodes it as CoAP (400 PUT /r/Bus17Cmd, all 2.04), nDPI calls it Dropbox by port", { skip }, async () => {
  // `tshark -d udp.port==17500,coap -Y coap -T fields -e udp.srcport -e udp.dstport -e coap.type -e coap.code | sort | uniq -c`:
  // 100 PUTs (type 0, code 3) and 100 ACK 2.04 (type 2, code 68) on each of four flows; Uri-Path r,Bus17Cmd.
  const run = await runCaptures([CAPTURE()]);
  try {
    const log = run.log('coap').filter((r) => r['id.resp_p'] === 17500);
    assert.equal(log.length, 400);
    for (const p of [50311, 50312, 50318, 50319]) assert.equal(log.filter((r) => r['id.orig_p'] === p).length, 100);
    assert.ok(log.every((r) => r.code === '0.03 PUT' && r.type === 'CON' && r.uri === '/r/Bus17Cmd' && r.response_code === '2.04 Changed' && r.response_type === 'ACK'));
    const conns = run.log('conn').filter((c) => c['id.resp_p'] === 17500);
    assert.ok(conns.length === 4 && conns.every((c) => c.service === 'coap'));
  } finally {
    run.cleanup();
  }
});

test('probe() accepts the capture\'s requests off the CoAP port and refuses DNS, NTP, SNMP, DHCP and DTLS', { skip }, async () => {
  const coap = await payloads(CAPTURE(), { proto: UDP });
  const reqs = coap.filter((p) => p.dstPort === 17500 || (p.dstPort === 5683 && p.bytes[1] !== 0));
  // Frames 1–4 carry only the unregistered option 2 and frame 12 no option at all: not enough off the port.
  for (const p of reqs) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), p.packet <= 4 || p.packet === 12 ? PROBE_MAYBE : PROBE_YES, `packet ${p.packet}`);
  for (const f of [['ndpi', 'pcap', 'dns.pcap'], ['ndpi', 'pcap', 'NTPv4.pcap'], ['ndpi', 'pcap', 'dtls.pcap'], ['ndpi', 'pcap', 'dtls2.pcap'], ['arkime', 'tests', 'pcap', 'SNMPv2c_get_requests.pcap'], ['arkime', 'tests', 'pcap', 'wireshark-dhcp.pcap']]) {
    for (const p of await payloads(corpus(...f), { proto: UDP })) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_NO, `${f.at(-1)} ${p.packet}`);
  }
});

test('parseCoap() reads the extended option delta of Size1 (60 = 13 + 47) in frame 6', { skip }, async () => {
  const [p] = (await payloads(CAPTURE(), { proto: UDP })).filter((x) => x.packet === 6);
  const m = parseCoap(p.bytes, 0, p.bytes.length);
  assert.ok(typeof m !== 'string');
  assert.deepEqual([m.uriPath, m.contentFormat, m.optionCount, m.knownOptions], [['separate'], 0, 3, 3]);
});

test('parseCoap() reads the two-byte extended forms and rejects the reserved nibble (synthetic: not in the corpus)', () => {
  // CON GET mid 1, no token; option 2049 (delta 14: 2049 - 269 = 0x06f4) of length 300 (14: 300 - 269 = 31).
  const val = new Uint8Array(300).fill(0x61);
  const b = new Uint8Array([0x40, 0x01, 0x00, 0x01, 0xee, 0x06, 0xf4, 0x00, 0x1f, ...val, 0xff, 0x78]);
  const m = parseCoap(b, 0, b.length);
  assert.ok(typeof m !== 'string');
  assert.deepEqual([m.optionCount, m.knownOptions, m.payloadLen], [1, 1, 1]);
  assert.equal(parseCoap(new Uint8Array([0x40, 0x01, 0, 1, 0xf0]), 0, 5), 'bad_option');
  assert.equal(parseCoap(new Uint8Array([0x40, 0x01, 0, 1, 0xff]), 0, 5), 'bad_option');
  assert.equal(parseCoap(new Uint8Array([0x49, 0x01, 0, 1]), 0, 4), 'bad_token_len');
  assert.equal(parseCoap(new Uint8Array([0x40, 0x21, 0, 1]), 0, 4), 'bad_code');
  assert.equal(parseCoap(new Uint8Array([0x80, 0x01, 0, 1]), 0, 4), 'bad_version');
});

test('parseLinkFormat() reads targets and rt/if values (RFC 6690 §5 examples, synthetic)', () => {
  const s = '</sensors/temp>;rt="temperature-c";if="sensor",</sensors/light>;rt="light-lux core.s";if=sensor,</t>;anchor="/sensors/temp";rel="alternate"';
  const links = parseLinkFormat(Buffer.from(s), 0, s.length);
  assert.deepEqual(links, [
    { target: '/sensors/temp', rt: ['temperature-c'], if: ['sensor'] },
    { target: '/sensors/light', rt: ['light-lux', 'core.s'], if: ['sensor'] },
    { target: '/t', rt: [], if: [] },
  ]);
});

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): number[] => [...Buffer.from(s)];

/** CON GET /.well-known/core with Block2 num, token 0xab (synthetic). */
function wkcRequest(mid: number, num: number): Uint8Array {
  return new Uint8Array([0x41, 0x01, mid >> 8, mid & 255, 0xab, 0xbb, ...ascii('.well-known'), 0x04, ...ascii('core'), 0xc1, (num << 4) | 2]);
}

/** ACK 2.05 Content-Format 40, Block2 num/more/size 64 (szx 2) carrying `text` (synthetic). */
function wkcResponse(mid: number, num: number, more: boolean, text: string): Uint8Array {
  return new Uint8Array([0x61, 0x45, mid >> 8, mid & 255, 0xab, 0xc1, 40, 0xb1, (num << 4) | (more ? 8 : 0) | 2, 0xff, ...ascii(text)]);
}

test('a block-wise /.well-known/core answer is reassembled and its resources logged (synthetic: the corpus has none)', { skip }, async () => {
  const doc = '</3303/0>;rt="oic.r.temperature";if="oic.if.s",</.well-known/core>;ct=40,</fw>;rt="firmware"';
  const part1 = doc.slice(0, 64);
  const part2 = doc.slice(64);
  const path = writeUdpPcap([
    { ts: 1000, src: '10.0.0.5', sport: 40000, dst: '10.0.0.9', dport: 5683, payload: wkcRequest(1, 0) },
    { ts: 1000.01, src: '10.0.0.9', sport: 5683, dst: '10.0.0.5', dport: 40000, payload: wkcResponse(1, 0, true, part1) },
    { ts: 1000.02, src: '10.0.0.5', sport: 40000, dst: '10.0.0.9', dport: 5683, payload: wkcRequest(2, 1) },
    { ts: 1000.03, src: '10.0.0.9', sport: 5683, dst: '10.0.0.5', dport: 40000, payload: wkcResponse(2, 1, false, part2) },
  ]);
  const run = await runCaptures([path]);
  try {
    const log = run.log('coap');
    assert.equal(log.length, 2);
    assert.equal(log[0].uri, '/.well-known/core');
    assert.equal(log[0].block2, '0/1/64');
    assert.equal(log[0].resources, undefined);
    assert.deepEqual(log[1].resources, ['/3303/0', '/.well-known/core', '/fw']);
    assert.deepEqual(log[1].resource_types, ['oic.r.temperature', 'firmware']);
    assert.deepEqual(log[1].interfaces, ['oic.if.s']);
    assert.equal(log[1].content_format, 'application/link-format');
  } finally {
    run.cleanup();
  }
  const { runInventory, deviceWithIp } = await import('../../inventory/testutil.js');
  const { devices } = await runInventory([distinctMacs(path)]);
  const srv = deviceWithIp(devices, '10.0.0.9');
  assert.ok(srv?.evidence.some((e) => e.source === 'coap.resource_type' && e.value === 'oic.r.temperature'));
  assert.ok(srv?.evidence.some((e) => e.fact === 'role' && e.value === 'coap-server'));
  assert.equal(srv?.category, 'iot_other');
  assert.ok(!deviceWithIp(devices, '10.0.0.5')?.evidence.some((e) => e.value === 'coap-server'));
});

/** LwM2M 1.1 Register: CON POST /rd?ep=infusion-pump-0042&lt=86400&lwm2m=1.1&b=U, object links (synthetic). */
const LWM2M_REGISTER = new Uint8Array([
  0x42, 0x02, 0x12, 0x34, 0x01, 0x02,
  0xb2, ...ascii('rd'),
  0x11, 40,
  0x3d, 0x08, ...ascii('ep=infusion-pump-0042'),
  0x08, ...ascii('lt=86400'),
  0x09, ...ascii('lwm2m=1.1'),
  0x03, ...ascii('b=U'),
  0xff, ...ascii('</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</5/0>'),
]);
const LWM2M_CREATED = hex('6241 1234 0102 82 7264 04 61623132');

/** writeUdpPcap gives every frame the same two MACs; the inventory would merge both hosts, so each gets 02:00 + its IPv4 address. */
function distinctMacs(path: string): string {
  const b = readFileSync(path);
  for (let p = 24; p + 16 <= b.length; ) {
    const n = b.readUInt32LE(p + 8);
    const f = p + 16;
    b[f] = b[f + 6] = 0x02;
    b[f + 1] = b[f + 7] = 0;
    b.copy(b, f + 2, f + 30, f + 34);
    b.copy(b, f + 8, f + 26, f + 30);
    p = f + n;
  }
  writeFileSync(path, b);
  return path;
}

test('a LwM2M registration names the endpoint in coap.log and makes the device an IoT device (synthetic: the corpus has none)', { skip }, async () => {
  const { runInventory, deviceWithIp } = await import('../../inventory/testutil.js');
  const path = distinctMacs(writeUdpPcap([
    { ts: 2000, src: '10.0.0.42', sport: 56830, dst: '10.0.0.1', dport: 5683, payload: LWM2M_REGISTER },
    { ts: 2000.05, src: '10.0.0.1', sport: 5683, dst: '10.0.0.42', dport: 56830, payload: LWM2M_CREATED },
  ]));
  const run = await runCaptures([path]);
  try {
    const [r] = run.log('coap');
    assert.equal(r.uri, '/rd?ep=infusion-pump-0042&lt=86400&lwm2m=1.1&b=U');
    assert.equal(r.lwm2m_endpoint, 'infusion-pump-0042');
    assert.equal(r.lwm2m_version, '1.1');
    assert.equal(r.lwm2m_lifetime, 86400);
    assert.equal(r.response_code, '2.01 Created');
    assert.deepEqual(r.resources, ['/', '/1/0', '/3/0', '/5/0']);
  } finally {
    run.cleanup();
  }
  const { devices } = await runInventory([path]);
  const dev = deviceWithIp(devices, '10.0.0.42');
  const srv = deviceWithIp(devices, '10.0.0.1');
  assert.equal(dev?.category, 'iot_other');
  assert.ok(dev?.evidence.some((e) => e.source === 'lwm2m.endpoint' && e.value === 'infusion-pump-0042'));
  // The registration's object links describe the registering device, not its registrar.
  assert.ok(dev?.evidence.some((e) => e.source === 'coap.resource_type' && e.value === 'oma.lwm2m'));
  assert.ok(!srv?.evidence.some((e) => e.source === 'coap.resource_type'));
  assert.ok(!dev?.ips.includes('10.0.0.1'));
  assert.equal(srv?.category, 'server', JSON.stringify(srv));
});

test("inventory: the hosts answering CoAP in coap_mqtt.pcap, on 5683 and on 17500, have the role coap-server and are IoT devices", { skip }, async () => {
  const { runInventory, deviceWithIp } = await import('../../inventory/testutil.js');
  const { devices } = await runInventory([CAPTURE()], { external: true });
  for (const ip of ['bbbb::3', '192.168.56.101']) {
    const d = deviceWithIp(devices, ip);
    assert.ok(d?.evidence.some((e) => e.fact === 'role' && e.value === 'coap-server'), ip);
    assert.equal(d?.category, 'iot_other', ip);
  }
  // The client that only sent requests is not made a CoAP server.
  const client = deviceWithIp(devices, 'bbbb::1');
  assert.ok(!client?.evidence.some((e) => e.value === 'coap-server'));
});

test('parseCoap(), parseLinkFormat(), probe() and the analyzer survive truncation and mutation of real messages', { skip }, async () => {
  const real = (await payloads(CAPTURE(), { proto: UDP })).filter((p) => p.srcPort === 5683 || p.dstPort === 5683 || p.packet < 120).map((p) => p.bytes);
  const seeds = [...real.slice(0, 24), LWM2M_REGISTER, wkcResponse(1, 0, true, '</a>;rt="x";if=y,</b>')];
  fuzzParser(seeds, (b) => {
    parseCoap(b, 0, b.length);
    parseLinkFormat(b, 0, b.length);
    probe(b, 0, b.length, true, UDP);
  });
  fuzzParser(seeds.slice(0, 6), (b) => {
    udpOutputs(new CoapAnalyzer(), [b, b], 40000, 5683);
  }, { mutations: 100 });
});
