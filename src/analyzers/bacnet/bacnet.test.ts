// BACnet/IP against CISA's icsnpp-bacnet expected logs for its three captures (bacnet.log header
// fields, bacnet_property.log identity values, bacnet_discovery.log I-Am devices, conn.log
// service), Arkime's bacnet session fields and nDPI's flows; plus probe and fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr, respAddr } from '../../flow/connlog.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { parseBacnetIp } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const ics = (...p: string[]): string => corpus('icsnpp-bacnet', 'testing', ...p);

// Datagrams copied from icsnpp-bacnet/testing/traces/bacnet_example.pcap (frames 573, 579) and
// bacnet_services.pcap (frame 273); the I-Am and ReadProperty ones from bacnet_example.pcap.
const ERROR_SHORT = hex('810a001101045001149105911a');
const NETWORK_MSG = hex('810b0007018000');

function framesOf(path: string, max: number): Uint8Array[] {
  // Pull BVLL payloads out of a classic pcap with Ethernet/IPv4/UDP framing (test helper only).
  const b = readFileSync(path);
  const out: Uint8Array[] = [];
  let p = 24;
  while (p + 16 <= b.length && out.length < max) {
    const cap = b.readUInt32LE(p + 8);
    const f = b.subarray(p + 16, p + 16 + cap);
    p += 16 + cap;
    if (f.length < 42 || f.readUInt16BE(12) !== 0x0800 || f[23] !== 17) continue;
    const ihl = (f[14] & 15) * 4;
    out.push(Uint8Array.from(f.subarray(14 + ihl + 8)));
  }
  return out;
}

test('parseBacnetIp() reads an Error PDU whose BVLC length overstates the datagram', () => {
  const r = parseBacnetIp(ERROR_SHORT, 0, ERROR_SHORT.length);
  assert.ok(r !== 'bad');
  assert.equal(r.pdu_type, 'ERROR_PDU');
  assert.equal(r.service, 'reinitialize_device');
  assert.equal(r.invoke_id, 1);
  assert.equal(r.result_code, 'password-failure');
});

test('parseBacnetIp() names network layer messages', () => {
  const r = parseBacnetIp(NETWORK_MSG, 0, NETWORK_MSG.length);
  assert.ok(r !== 'bad');
  assert.equal(r.pdu_type, 'NPDU');
  assert.equal(r.service, 'who_is_router_to_network');
});

test('probe() recognises BVLL and rejects other datagrams', () => {
  assert.equal(probe(NETWORK_MSG, 0, NETWORK_MSG.length), PROBE_YES);
  const dns = hex('abcd01000001000000000000');
  assert.equal(probe(dns, 0, dns.length), PROBE_NO);
  assert.equal(probe(hex('8a0a0007018000'), 0, 7), PROBE_NO);
});

test('parseBacnetIp() survives truncation and mutation of real datagrams', { skip }, () => {
  const seeds = [
    ...framesOf(ics('traces', 'bacnet_error_reject_abort.pcap'), 60),
    ...framesOf(ics('traces', 'bacnet_example.pcap'), 40),
  ];
  assert.ok(seeds.length > 50);
  fuzzParser(seeds, (b) => {
    parseBacnetIp(b, 0, b.length);
    probe(b, 0, b.length);
  }, { mutations: 60 });
});

const CASES = [
  { dir: 'analyzer.basic', trace: 'bacnet_example.pcap' },
  { dir: 'analyzer.error-reject-abort', trace: 'bacnet_error_reject_abort.pcap' },
  { dir: 'analyzer.services', trace: 'bacnet_services.pcap' },
];

const tuple = (r: Record<string, unknown>): string => `${r['id.orig_h']}:${r['id.orig_p']} > ${r['id.resp_h']}:${r['id.resp_p']}`;
const str = (v: unknown): string => (v === undefined || v === null ? '-' : String(v));

for (const { dir, trace } of CASES) {
  test(`bacnet.log header fields match icsnpp-bacnet's ${dir}/bacnet.log`, { skip }, async () => {
    const want = readZeekTsv(ics('baseline', dir, 'bacnet.log'));
    const run = await runCaptures([ics('traces', trace)]);
    try {
      const fmt = (r: Record<string, unknown>, isOrig: unknown, service: unknown): string =>
        [tuple(r), str(isOrig), str(r.bvlc_function), str(r.pdu_type), str(service), str(r.invoke_id), str(r.result_code)].join(' ');
      const theirs = want.map((w) => fmt(w, w.is_orig === 'T' ? 'true' : 'false', w.pdu_service)).sort();
      const mine = run.log('bacnet').map((r) => fmt(r, r.is_orig, r.service)).sort();
      assert.deepEqual(mine, theirs);
    } finally {
      run.cleanup();
    }
  });
}

for (const { dir, trace } of CASES) {
  test(`identity properties match icsnpp-bacnet's ${dir}/bacnet_property.log`, { skip }, async () => {
    const FIELD: Record<string, string> = {
      'object-name': 'object_name',
      'model-name': 'model_name',
      'firmware-revision': 'firmware',
      'application-software-version': 'application_software_version',
      'vendor-name': 'vendor_name',
      location: 'location',
      description: 'description',
    };
    const want = readZeekTsv(ics('baseline', dir, 'bacnet_property.log')).filter((w) => w.pdu_service === 'read-property-ack' && FIELD[w.property] !== undefined);
    const run = await runCaptures([ics('traces', trace)]);
    try {
      const mine = run.log('bacnet').filter((r) => r.pdu_type === 'COMPLEX_ACK' && r.service === 'read_property');
      let compared = 0;
      for (const w of want) {
        const cands = mine.filter((r) => tuple(r) === tuple(w) && String(r.invoke_id) === w.invoke_id && r.property === w.property && r.object_type === w.object_type && String(r.instance_number) === w.instance_number);
        assert.ok(cands.length > 0, `no ack for ${tuple(w)} invoke ${w.invoke_id} ${w.property}`);
        const field = FIELD[w.property];
        // Location and description are kept for device objects only; object names for all.
        if (w.object_type !== 'device' && field !== 'object_name' && field !== 'description') continue;
        // icsnpp writes an empty string value as "-".
        assert.ok(cands.some((r) => str(r[field]) === w.value), `${tuple(w)} invoke ${w.invoke_id} ${w.property}: ${cands.map((r) => str(r[field]))} vs ${w.value}`);
        compared++;
      }
      if (dir === 'analyzer.basic') assert.ok(compared >= 700, `compared ${compared}`);
    } finally {
      run.cleanup();
    }
  });
}

for (const { dir, trace } of CASES) {
  test(`I-Am devices match icsnpp-bacnet's ${dir}/bacnet_discovery.log`, { skip }, async () => {
    const want = readZeekTsv(ics('baseline', dir, 'bacnet_discovery.log')).filter((w) => w.pdu_service === 'i-am');
    const run = await runCaptures([ics('traces', trace)]);
    try {
      const mine = run.log('bacnet').filter((r) => r.service === 'i_am');
      const fmt = (t: string, inst: unknown): string => `${t} device ${str(inst)}`;
      assert.deepEqual(mine.map((r) => fmt(tuple(r), r.device_instance)).sort(), want.map((w) => fmt(tuple(w), w.instance_number)).sort());
      assert.ok(mine.every((r) => typeof r.vendor_id === 'number' && typeof r.max_apdu === 'number'));
    } finally {
      run.cleanup();
    }
  });
}

/** Where conn.log's service legitimately differs from icsnpp-bacnet's, and why. */
const CONN_DIFFERENCES: Record<string, string> = {
  '192.168.0.172:47808 > 192.168.0.255:47808':
    'a lone Who-Is-Router-To-Network: icsnpp logs it in bacnet.log but only confirms the service for APDUs; a valid BVLL + NPDU is BACnet to wardline',
};

for (const dir of ['analyzer.basic', 'analyzer.services']) {
  const trace = CASES.find((c) => c.dir === dir)!.trace;
  test(`conn.log service matches icsnpp-bacnet's ${dir}/conn.log`, { skip }, async () => {
    const want = readZeekTsv(ics('baseline', dir, 'conn.log'));
    const run = await runCaptures([ics('traces', trace)]);
    try {
      const got = run.conns.map((c) => `${origAddr(c)}:${c.oPort} > ${respAddr(c)}:${c.rPort} ${c.service || '-'}`);
      const theirs = want.map((w) => `${tuple(w)} ${CONN_DIFFERENCES[tuple(w)] !== undefined ? 'bacnet' : w.service}`);
      assert.deepEqual(got.sort(), theirs.sort());
    } finally {
      run.cleanup();
    }
  });
}

interface ArkimeSession {
  body: { source?: { ip: string; port: number }; destination?: { ip: string; port: number }; protocol: string[]; bacnet?: { service: string[]; apduType: string[] } };
}

test("bacnet services agree with Arkime's bacnet-stack-services sessions", { skip }, async () => {
  const sessions = (JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', 'bacnet-stack-services.test'), 'utf8')) as { sessions3: ArkimeSession[] }).sessions3;
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'bacnet-stack-services.pcap')]);
  try {
    const lines = run.log('bacnet');
    let n = 0;
    for (const s of sessions) {
      const b = s.body;
      // Arkime's "corrupt-ether" sessions are BACnet over 802.3/LLC (no IP), out of scope here.
      if (!b.protocol.includes('bacnet')) continue;
      const key = `${b.source!.ip}:${b.source!.port} > ${b.destination!.ip}:${b.destination!.port}`;
      const mine = lines.filter((r) => tuple(r) === key);
      assert.ok(mine.length > 0, key);
      // Arkime spells services with dashes and counts those of every APDU type.
      const services = new Set(mine.map((r) => String(r.service).replace(/_/g, '-')));
      for (const svc of b.bacnet!.service) assert.ok(services.has(svc), `${key} lacks ${svc}: ${[...services]}`);
      const types = new Set(mine.map((r) => String(r.pdu_type).replace(/_PDU$/, '').replace(/_/g, '-').toLowerCase()));
      for (const t of b.bacnet!.apduType) assert.ok(types.has(t), `${key} lacks APDU type ${t}: ${[...types]}`);
      const conns = run.conns.filter((c) => `${origAddr(c)}:${c.oPort} > ${respAddr(c)}:${c.rPort}` === key);
      assert.ok(conns.every((c) => c.service === 'bacnet'), key);
      n++;
    }
    assert.ok(n >= 10);
  } finally {
    run.cleanup();
  }
});

test("conn.log names every BACnet flow nDPI found in its bacnet.pcap", { skip }, async () => {
  const out = readFileSync(corpus('ndpi', 'result', 'bacnet.pcap.out'), 'utf8');
  const flows = [...out.matchAll(/UDP ([\d.]+):(\d+) <?-> ([\d.]+):(\d+) \[proto: [\d.]+\/BACnet\]/g)];
  assert.equal(flows.length, 10);
  const run = await runCaptures([corpus('ndpi', 'pcap', 'bacnet.pcap')]);
  try {
    for (const f of flows) {
      const c = run.conns.find((x) => origAddr(x) === f[1] && x.oPort === Number(f[2]) && respAddr(x) === f[3] && x.rPort === Number(f[4]));
      assert.equal(c?.service, 'bacnet', f[0]);
    }
  } finally {
    run.cleanup();
  }
});

test('passwords of DeviceCommunicationControl and ReinitializeDevice never reach bacnet.log', { skip }, async () => {
  // The cleartext passwords in these captures (Wireshark shows them in the requests).
  const secrets = ['filister', 'Absol68', 'Aggron96', 'Altaria64', 'Anorith94', 'ethereal', 'wireshark', 'Jesus'];
  const run = await runCaptures([ics('traces', 'bacnet_example.pcap'), ics('traces', 'bacnet_services.pcap'), ics('traces', 'bacnet_error_reject_abort.pcap'), corpus('arkime', 'tests', 'pcap', 'bacnet-stack-services.pcap')]);
  try {
    const text = readFileSync(`${run.outDir}/logs/bacnet.log`, 'utf8');
    for (const s of secrets) assert.ok(!text.includes(s), `${s} leaked`);
    const withPw = run.log('bacnet').filter((r) => r.password !== undefined);
    assert.ok(withPw.length >= 20, `${withPw.length} requests carried a password`);
    assert.ok(withPw.every((r) => r.password === '<redacted>'));
    const evs = run.result.events.filter((e) => e.ev.type === 'bacnet.message' && e.ev.password_sent === true);
    assert.ok(evs.every((e) => typeof e.ev.secret === 'string' && (e.ev.secret as string).length === 64 && e.ev.password === undefined));
  } finally {
    run.cleanup();
  }
});
