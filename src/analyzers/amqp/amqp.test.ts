// AMQP 0-9-1 against nDPI's amqp.pcap (a Celery worker's connections to RabbitMQ, joined after
// their handshakes; nDPI: AMQP; tshark 4.0's AMQP dissector for the methods, routing keys and
// body sizes) and a generated capture of RabbitMQ 3.10.8 with pika, py-amqp and amqp-tools
// clients (test/fixtures/generated/amqp/generate.sh; expectations from tshark's decode of it),
// which no corpus capture has: handshakes, PLAIN and AMQPLAIN logins, a refused login, and an
// HL7 message through the broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { Args, FRAME_HEADER_LEN, frameLength, frameOk, parseResponse } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const GENERATED = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-amqp.pcap');
/** The passwords generate.sh set (guest's is guest, also its user name). */
const PASSWORDS = ['Br0ker-Lab-2026', 'not-the-password'];

test("nDPI's amqp.pcap: three connections joined mid-way, their publishes, deliveries and bodies as tshark counts them", { skip }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'amqp.pcap')]);
  try {
    assert.deepEqual(run.log('conn').map((c) => c.service), ['amqp', 'amqp', 'amqp']);
    const rows = run.log('amqp').map((l) => [l['id.orig_p'], l.midstream, l.publishes, l.deliveries, l.body_bytes, l.routing_keys]);
    // tshark: 44205 sends 18 Basic.Publish (celeryev), 44206 5 (tasks.#), 5672 delivers 8 to
    // 44204 (the capture starts with the broker's frame, so the broker is the originator);
    // Content-Body lengths sum to 4730, 1190 and 2075 bytes.
    assert.deepEqual(rows, [
      [44205, true, 18, 0, 4730, ['worker.heartbeat', 'task.received', 'task.started', 'task.succeeded']],
      [5672, true, 0, 8, 2075, ['worker.heartbeat', 'tasks.#']],
      [44206, true, 5, 0, 1190, ['tasks.#']],
    ]);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test('the generated RabbitMQ capture: each connection as tshark decodes it', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    const log = run.log('amqp');
    // tshark: every Connection.Start names RabbitMQ 3.10.8 on Erlang/OTP 25.2.3, cluster
    // rabbit@vm, mechanisms "PLAIN AMQPLAIN".
    for (const l of log) {
      assert.deepEqual([l.version, l.server_product, l.server_version, l.server_platform, l.mechanisms], ['0-9-1', 'RabbitMQ', '3.10.8', 'Erlang/OTP 25.2.3', ['PLAIN', 'AMQPLAIN']]);
      assert.equal(l.midstream, false);
    }
    assert.deepEqual(
      log.map((l) => [l.client_product, l.client_version, l.mechanism, l.user, l.password, l.auth_success, l.vhost, l.close_code, l.queues, l.exchanges, l.routing_keys, l.publishes, l.deliveries, l.content_types, l.body_bytes]),
      [
        // frames 6–25: pika, PLAIN guest, vhost /, Queue.Declare hl7.results, Basic.Publish rk=hl7.results with a 218-byte HL7 body
        ['Pika Python Client Library', '1.2.0', 'PLAIN', 'guest', '<redacted>', true, '/', 200, ['hl7.results'], undefined, ['hl7.results'], 1, 0, ['x-application/hl7-v2+er7'], 218],
        // frames 33–36: Connection.Close 403 ACCESS_REFUSED after the Start-Ok
        ['Pika Python Client Library', '1.2.0', 'PLAIN', 'lisbridge', '<redacted>', false, undefined, 403, undefined, undefined, undefined, 0, 0, undefined, 0],
        // frames 44–63: vhost lab, Exchange.Declare results, Basic.Publish rk=chemistry (application/json)
        ['Pika Python Client Library', '1.2.0', 'PLAIN', 'lisbridge', '<redacted>', true, 'lab', 200, undefined, ['results'], ['chemistry'], 1, 0, ['application/json'], 28],
        // frames 71–84: py-amqp 5.1.1 (product_version), AMQPLAIN, Basic.Get-Ok of the HL7 message
        ['py-amqp', '5.1.1', 'AMQPLAIN', 'guest', '<redacted>', true, '/', 0, ['hl7.results'], undefined, ['hl7.results'], 0, 1, ['x-application/hl7-v2+er7'], 218],
        // frames 92–107: rabbitmq-c 0.11.0 (amqp-publish), rk=hematology text/plain (not HL7: no MSH)
        ['rabbitmq-c', '0.11.0', 'PLAIN', 'lisbridge', '<redacted>', true, 'lab', 200, undefined, ['results'], ['hematology'], 1, 0, ['text/plain'], 19],
        // frames 115–130: amqp-get, Basic.Get-Empty
        ['rabbitmq-c', '0.11.0', 'PLAIN', 'guest', '<redacted>', true, '/', 200, ['hl7.results'], undefined, undefined, 0, 0, undefined, 0],
      ],
    );
    assert.equal(log[1].close_text, 'ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.');
    assert.equal(log[0].connection_name, 'lis-bridge');
    // The HL7 ORU^R01 went in (published by the client) and out (delivered by the broker).
    const hl7 = run.log('hl7');
    assert.deepEqual(hl7.map((h) => [h['id.orig_p'], h.is_orig, h.message_type, h.sending_application, h.phi_segments, h.transport, h.relayed]), [
      [52816, true, 'ORU^R01', 'LIS', ['PID'], 'amqp', undefined],
      // delivered by the broker (Basic.Get-Ok): it relays the message, it did not write it
      [52828, false, 'ORU^R01', 'LIS', ['PID'], 'amqp', true],
    ]);
    assert.deepEqual(run.log('conn').map((c) => c.service), ['amqp,hl7', 'amqp', 'amqp', 'amqp,hl7', 'amqp', 'amqp']);
    const sw = run.log('software').map((s) => `${s.host} ${s.software_type} ${s.unparsed_version}`);
    assert.deepEqual(sw, ['10.96.0.5 AMQP::SERVER RabbitMQ 3.10.8', '10.96.0.20 AMQP::CLIENT Pika Python Client Library 1.2.0', '10.96.0.20 AMQP::CLIENT py-amqp 5.1.1', '10.96.0.20 AMQP::CLIENT rabbitmq-c 0.11.0']);
    // Credentials: one event per login, success as the broker answered, the password only as a digest.
    const creds = run.result.events.map((e) => e.ev).filter((e) => e.type === 'credential');
    assert.deepEqual(creds.map((c) => [c.protocol, c.user, c.mechanism, c.success]), [
      ['amqp', 'guest', 'PLAIN', true],
      ['amqp', 'lisbridge', 'PLAIN', false],
      ['amqp', 'lisbridge', 'PLAIN', true],
      ['amqp', 'guest', 'AMQPLAIN', true],
      ['amqp', 'lisbridge', 'PLAIN', true],
      ['amqp', 'guest', 'PLAIN', true],
    ]);
    assert.ok(creds.every((c) => typeof c.secret === 'string' && /^[0-9a-f]{64}$/.test(c.secret as string)));
    let all = JSON.stringify(run.result.events);
    for (const f of readdirSync(join(run.outDir, 'logs'))) all += readFileSync(join(run.outDir, 'logs', f), 'utf8');
    for (const p of [...PASSWORDS, 'WLPID5550123', 'ZZAMQPTEST']) assert.ok(!all.includes(p), `${p} in the output`);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test('probe(): the protocol header is certain, a method frame a yes, other frames a maybe', async () => {
  const flows = await flowBytes(GENERATED);
  const first = flows[0];
  const header = first.chunks.find((c) => c.isOrig)!.bytes;
  assert.equal(header.length, 8);
  assert.equal(probe(header, 0, header.length, true), PROBE_CERTAIN);
  assert.equal(probe(header, 0, header.length, false), PROBE_MAYBE, 'a server sends it only to refuse a version');
  const start = first.chunks.find((c) => !c.isOrig)!.bytes;
  assert.equal(probe(start, 0, start.length, false), PROBE_YES);
  const bad = start.slice();
  bad[bad.length - 1] = 0;
  assert.equal(probe(bad, 0, bad.length, false), PROBE_NO, 'frame-end must be 0xCE');
  const unknown = start.slice();
  unknown[8] = 99;
  assert.equal(probe(unknown, 0, unknown.length, false), PROBE_NO, 'class 99 is no AMQP class');
  const heartbeat = Uint8Array.from([8, 0, 0, 0, 0, 0, 0, 0xce]);
  assert.equal(probe(heartbeat, 0, heartbeat.length, true), PROBE_MAYBE);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true), PROBE_NO);
});

test('parseResponse() reads PLAIN and AMQPLAIN responses; the parsers survive mutation of real frames', async () => {
  const plain = new TextEncoder().encode('\0lisbridge\0secret-pw');
  const p = parseResponse('PLAIN', plain, 0, plain.length)!;
  assert.equal(p.user, 'lisbridge');
  assert.deepEqual(p.passwordAt, [11, 9]);
  // tshark frame 73: Response 054c4f47494e53 00000005 6775657374 0850415353574f5244 53 00000005 6775657374
  const amqplain = Uint8Array.from(Buffer.from('054c4f47494e530000000567756573740850415353574f524453000000056775657374', 'hex'));
  const a = parseResponse('AMQPLAIN', amqplain, 0, amqplain.length)!;
  assert.equal(a.user, 'guest');
  assert.deepEqual(a.passwordAt, [amqplain.length - 5, 5]);
  assert.equal(parseResponse('EXTERNAL', plain, 0, plain.length), null);
  const frames: Uint8Array[] = [];
  for (const f of await flowBytes(GENERATED)) {
    for (const c of f.chunks) {
      for (let o = 0; o < c.bytes.length; ) {
        const n = frameLength(c.bytes, o, c.bytes.length - o);
        if (n <= 0 || o + n > c.bytes.length) break;
        frames.push(c.bytes.slice(o, o + n));
        o += n;
      }
    }
  }
  assert.ok(frames.length > 60, String(frames.length));
  fuzzParser(frames.slice(0, 40), (b) => {
    frameLength(b, 0, b.length);
    if (!frameOk(b, 0, b.length)) return;
    const x = new Args(b, FRAME_HEADER_LEN, b.length - 1);
    x.skip(4);
    x.table();
    x.shortstr();
    parseResponse('AMQPLAIN', b, FRAME_HEADER_LEN, b.length - FRAME_HEADER_LEN - 1);
    parseResponse('PLAIN', b, FRAME_HEADER_LEN, b.length - FRAME_HEADER_LEN - 1);
  });
});

test('through the broker, the HL7 application names go to publisher and consumer, not to the broker', async () => {
  const { devices } = await runInventory([GENERATED]);
  const broker = deviceWithIp(devices, '10.96.0.5')!;
  const client = deviceWithIp(devices, '10.96.0.20')!;
  assert.equal(broker.category, 'server');
  assert.ok(!broker.evidence.some((e) => e.source.startsWith('hl7.sending') || e.source.startsWith('hl7.receiving')), 'the broker only relays');
  assert.ok(broker.evidence.some((e) => e.source === 'amqp.server_properties'));
  assert.ok(client.evidence.some((e) => e.source === 'hl7.sending_application' && e.value === 'LIS'));
  assert.ok(client.evidence.some((e) => e.source === 'hl7.receiving_application' && e.value === 'EHR'));
});
