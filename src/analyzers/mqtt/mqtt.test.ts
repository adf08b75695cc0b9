// MQTT analyzer tests against peers on real captures: Zeek's mqtt_connect/publish/subscribe
// baselines, Arkime's mqtt_synthetic sessions (client id, version, user, topics),
// suricata-verify's mqtt31/mqtt311/mqtt5 tests and nDPI's flow labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines, type RunOutput } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MqttAnalyzer } from './analyzer.js';
import { LEVEL_311, LEVEL_5, parseConnect, parseFixedHeader, parsePublish, parseSuback, parseSubscribe } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const ZEEK = corpus('zeek', 'traces', 'mqtt.pcap');
const ARKIME = corpus('arkime', 'tests', 'pcap', 'mqtt_synthetic.pcap');
const SV = (t: string): string => corpus('suricata-verify', 'tests', t, 'input.pcap');
const NDPI_MQTT = corpus('ndpi', 'pcap', 'mqtt.pcap');
const NDPI_COAP = corpus('ndpi', 'pcap', 'coap_mqtt.pcap');

function allOutput(run: RunOutput): string {
  let s = '';
  for (const f of readdirSync(join(run.outDir, 'logs'))) s += readFileSync(join(run.outDir, 'logs', f), 'utf8');
  return s + JSON.stringify(run.result.events);
}

for (const logName of ['mqtt_connect', 'mqtt_publish', 'mqtt_subscribe']) {
  test(`${logName}.log matches Zeek's baseline`, { skip }, async () => {
    const bases = zeekBaselines(`${logName}.log`).filter((b) => b.baseline.includes('protocols.mqtt.mqtt/'));
    assert.equal(bases.length, 1);
    const want = readZeekTsv(bases[0].baseline);
    const run = await runCaptures([ZEEK]);
    try {
      const got = run.log(logName);
      assert.equal(got.length, want.length);
      // Zeek writes publishes in its own order (QoS 0 at once, others at the ack): match by
      // originator and timestamp order within it.
      const fmt = (r: Record<string, unknown>): string =>
        Object.keys(want[0])
          .filter((k) => !['ts', 'uid', 'payload', 'will_payload'].includes(k))
          .map((k) => {
            const v = r[k];
            if (v === undefined || v === '-') return `${k}=-`;
            if (typeof v === 'boolean') return `${k}=${v ? 'T' : 'F'}`;
            if (Array.isArray(v)) return `${k}=${v.join(',')}`;
            return `${k}=${String(v)}`;
          })
          .join(' ');
      assert.deepEqual(got.map(fmt).sort(), want.map((w) => fmt(w)).sort());
      // Zeek logs `payload`; wardline never keeps publish payloads (they may carry patient
      // data), only `payload_len`, which matches.
      for (const g of got) assert.equal(g.payload, undefined);
    } finally {
      run.cleanup();
    }
  });
}

test('Arkime mqtt_synthetic: client ids, versions, users and topics per session; passwords never shown', { skip }, async () => {
  type Body = { source: { port: number }; mqtt: { clientId: string[]; version: string[]; topic?: string[]; flags: string[] }; user?: string[] };
  const arkime = (JSON.parse(readFileSync(ARKIME.replace(/\.pcap$/, '.test'), 'utf8')) as { sessions3: { body: Body }[] }).sessions3.map((s) => s.body);
  const run = await runCaptures([ARKIME]);
  try {
    const connects = run.log('mqtt_connect');
    const topics = new Map<number, Set<string>>();
    for (const r of [...run.log('mqtt_publish'), ...run.log('mqtt_subscribe')]) {
      const s = topics.get(r['id.orig_p'] as number) ?? new Set<string>();
      if (typeof r.topic === 'string') s.add(r.topic);
      for (const t of (r.topics as string[] | undefined) ?? []) s.add(t);
      topics.set(r['id.orig_p'] as number, s);
    }
    assert.equal(connects.length, arkime.length);
    for (const a of arkime) {
      const c = connects.find((r) => r['id.orig_p'] === a.source.port)!;
      assert.equal(c.client_id, a.mqtt.clientId[0]);
      assert.equal(c.proto_version, a.mqtt.version[0]);
      assert.equal(c.username, a.user?.[0]);
      assert.equal(c.password === '<redacted>', a.mqtt.flags.includes('hasPassword'));
      // Arkime leaves out the 8 KiB "oversize/ttt…" topic of port 55557; wardline keeps its first 256 characters.
      if (a.mqtt.topic !== undefined) assert.deepEqual([...(topics.get(a.source.port) ?? [])].sort(), [...a.mqtt.topic].sort());
    }
    const out = allOutput(run);
    for (const pw of ['secret123', 'mqtt5pass']) assert.ok(!out.includes(pw), `${pw} leaked`);
    const creds = run.result.events.filter((e) => e.ev.type === 'mqtt.credential').map((e) => e.ev);
    assert.deepEqual(creds.map((c) => c.user).sort(), ['admin', 'modern_user']);
    for (const c of creds) assert.match(String(c.secret), /^[0-9a-f]{64}$/);
  } finally {
    run.cleanup();
  }
});

test('suricata-verify MQTT 3.1, 3.1.1 and 5.0 captures: connect fields, connack codes, topics', { skip }, async () => {
  const run = await runCaptures([SV('mqtt31-sub-userpass'), SV('mqtt311-pub-userpass'), SV('mqtt5-sub-customauth')]);
  try {
    const c = run.log('mqtt_connect');
    assert.deepEqual(
      c.map((r) => [r.proto_name, r.proto_version, r.client_id, r.username ?? '', r.password ?? '', r.connect_status]),
      [
        ['MQIsdp', '3.1', 'myvoiceismypassport', 'user', '<redacted>', 'Connection Accepted'],
        ['MQTT', '3.1.1', 'myvoiceismypassport', 'user', '<redacted>', 'Connection Accepted'],
        // Suricata: connack return_code 140 (0x8C, MQTT 5 "Bad authentication method").
        ['MQTT', '5.0', 'myvoiceismypassport', '', '', 'Refused: bad authentication method'],
      ],
    );
    const sub = run.log('mqtt_subscribe');
    assert.deepEqual(sub.map((r) => [r.topics, r.qos_levels, r.granted_qos_level, r.ack]), [[['topicX', 'topicY'], [0, 0], 0, true]]);
    const pub = run.log('mqtt_publish');
    // "baabaablacksheep": 16 bytes, never logged.
    assert.deepEqual(pub.map((r) => [r.topic, r.qos, r.retain, r.payload_len]), [['topicX', 'at most once', false, 16]]);
    const out = allOutput(run);
    assert.ok(!out.includes('"pass"') && !out.includes('baabaablacksheep'));
  } finally {
    run.cleanup();
  }
});

test('nDPI MQTT flows get the mqtt service, off-port 17501 included, mid-session ones too', { skip }, async () => {
  const run = await runCaptures([NDPI_MQTT, NDPI_COAP]);
  try {
    const svc = run.conns.filter((c) => c.service === 'mqtt').map((c) => `${c.oPort}>${c.rPort}`).sort();
    // nDPI labels all four 17501 flows MQTT. 53522, 53523 and 53524 begin mid-session with a
    // PINGREQ answered by a PINGRESP (53524 is seen from the broker's side first, so the broker
    // is its originator): each a "maybe" alone, recognition together (pairedMaybe).
    assert.deepEqual(svc, ['17501>53524', '35035>1883', '41892>1883', '53522>17501', '53523>17501', '53528>17501']);
    const mid = run.log('mqtt_publish').filter((r) => r['id.orig_p'] === 53522);
    assert.ok(mid.length > 0 && mid.every((r) => typeof r.topic === 'string' && String(r.topic).startsWith('Bus17')));
    const out = allOutput(run);
    assert.ok(!out.includes('SharedAccessSignature'));
    // 41892's password equals its user name (logged); the password field itself is redacted.
    const c = run.log('mqtt_connect').find((r) => r['id.orig_p'] === 41892)!;
    assert.equal(c.password, '<redacted>');
  } finally {
    run.cleanup();
  }
});

test('probe() takes a CONNECT on any port and mid-session packets only as a maybe', { skip }, async () => {
  const [z] = await flowBytes(ZEEK);
  const connect = z.chunks.find((c) => c.isOrig)!.bytes;
  assert.equal(probe(connect, 0, connect.length, true), PROBE_YES);
  assert.equal(probe(connect, 0, connect.length, false), PROBE_NO);
  assert.equal(probe(Uint8Array.of(0xc0, 0x00), 0, 2, true), PROBE_MAYBE);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true), PROBE_NO);
  const tlsHello = Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]);
  assert.equal(probe(tlsHello, 0, tlsHello.length, true), PROBE_NO);
});

// Synthetic (no capture has a lone keep-alive off the MQTT port): one side's PINGREQ is two bytes
// any protocol could send; only the other side's PINGRESP makes the flow MQTT.
test('off its port, a PINGREQ makes a flow MQTT only when the other side answers PINGRESP', async () => {
  const { tcpConversationFrames, writePcap } = await import('../../testutil/pcapwriter.js');
  const flow = (cport: number, reply: Uint8Array): ReturnType<typeof tcpConversationFrames> =>
    tcpConversationFrames({ client: '10.30.0.5', server: '10.30.0.9', cport, sport: 40000, t0: 1_700_000_000 + cport, turns: [{ isOrig: true, bytes: Uint8Array.of(0xc0, 0x00) }, { isOrig: false, bytes: reply }] });
  const path = writePcap([...flow(50001, Uint8Array.of(0xd0, 0x00)), ...flow(50002, Uint8Array.of(0x4f, 0x4b)), ...flow(50003, Uint8Array.of(0xc0, 0x00))]);
  const run = await runCaptures([path]);
  try {
    const svc = Object.fromEntries(run.conns.map((c) => [c.oPort, c.service]));
    assert.deepEqual(svc, { 50001: 'mqtt', 50002: '', 50003: '' });
  } finally {
    run.cleanup();
  }
});

test('a session split into single bytes gives the same records', { skip }, async () => {
  const flows = await flowBytes(SV('mqtt31-sub-userpass'));
  const whole = feedAnalyzer(new MqttAnalyzer(), flows[0].chunks).events.map((e) => e.type);
  const bytes = flows[0].chunks.flatMap((c) => Array.from(c.bytes, (b) => ({ isOrig: c.isOrig, bytes: Uint8Array.of(b) })));
  const split = feedAnalyzer(new MqttAnalyzer(), bytes).events.map((e) => e.type);
  assert.deepEqual(split, whole);
  assert.ok(whole.includes('mqtt.subscribe') && whole.includes('mqtt.credential'));
});

test('parsers and the analyzer survive truncation and mutation of real packets', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const p of [ZEEK, ARKIME, SV('mqtt5-sub-customauth'), SV('mqtt31-sub-userpass')]) for (const f of (await flowBytes(p)).slice(0, 4)) for (const c of f.chunks.slice(0, 6)) seeds.push(c.bytes.slice(0, 2048));
  fuzzParser(seeds, (b) => {
    const h = parseFixedHeader(b, 0, b.length);
    if (typeof h !== 'string') {
      const o = h.headerLen;
      const n = b.length - o;
      for (const level of [LEVEL_311, LEVEL_5]) {
        parseConnect(b, o, n);
        parsePublish(h.flags, b, o, n, h.remaining, level);
        parseSubscribe(false, b, o, n, level);
        parseSuback(b, o, n, level);
      }
    }
    feedAnalyzer(new MqttAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }]);
  }, { mutations: 100 });
});
