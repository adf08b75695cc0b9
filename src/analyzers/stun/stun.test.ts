// STUN/TURN on real captures: the corpus's (nDPI's STUN/DTLS captures, Arkime's stun.pcap, with
// their peers' labels) and five more flows from nDPI's test captures (test/fixtures/ndpi/ndpi-stun.pcap:
// a Coturn TURN server's answers, WhatsApp's TURN Allocate with an unaligned length, Skype/Teams'
// MS-TURN Allocate, an ICE connectivity check, and a WebRTC flow carrying STUN then DTLS).
// ndpiReader 4.2 labels all five STUN (ndpi-stun.pcap.out beside the capture); the field values
// are tshark 4.0's decode of the same packets, quoted at each assertion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { arkimeSessions, ndpiFlows } from '../../testutil/peers.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { StunAnalyzer } from './analyzer.js';
import { CLASS_ERROR, CLASS_REQUEST, CLASS_SUCCESS, isChannelData, parseMessage } from './parse.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-stun.pcap');

test('conn.log names every flow nDPI labels STUN; stun.log has the methods, software, codes and addresses tshark decodes', async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-stun.pcap.out'));
  assert.equal(ndpi.length, 5);
  const run = await runCaptures([PCAP]);
  try {
    for (const f of ndpi) {
      assert.match(f.app, /^STUN/);
      const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort)!;
      assert.match(c.service, /^stun(,dtls)?$/, f.line);
    }
    const log = new Map(run.log('stun').map((l) => [l['id.orig_p'], l]));
    // Coturn (tshark: 0x0103 Allocate Success and 0x0113 Allocate Error with error 4/37, SOFTWARE
    // "Coturn-4.5.0.3 'dan Eider'", XOR-RELAYED-ADDRESS 10.1.0.3:60815, XOR-MAPPED 10.10.0.1:26378;
    // 0x0017 Data indications). Only the server's side was captured.
    const coturn = log.get(5853)!;
    assert.deepEqual(coturn.methods, ['allocate', 'create_permission', 'data']);
    assert.equal(coturn.server_software, "Coturn-4.5.0.3 'dan Eider'");
    assert.equal(coturn.client_software, undefined);
    assert.deepEqual(coturn.error_codes, [437]);
    assert.equal(coturn.relayed_address, '10.1.0.3:60815');
    assert.equal(coturn.mapped_address, '10.10.0.1:26378');
    // MS-TURN (tshark: SOFTWARE 2.0.1.211, error 401 then success with XOR-MAPPED-ADDRESS
    // 80.181.206.72:57543 under the draft codepoint 0x8020; its MAPPED-ADDRESS 52.114.250.141:3480
    // is the allocated relay, not the client's address).
    const teams = log.get(50016)!;
    assert.equal(teams.server_software, '2.0.1.211');
    assert.deepEqual(teams.error_codes, [401]);
    assert.equal(teams.mapped_address, '80.181.206.72:57543');
    // ICE check (tshark: USERNAME gppe:zWyk; XOR-MAPPED 104.46.40.49:60642 in the answer).
    assert.equal(log.get(49282)!.username, 'gppe:zWyk');
    assert.equal(log.get(49282)!.mapped_address, '104.46.40.49:60642');
    // WhatsApp's Allocate: Message Length 106, not a multiple of 4 (tshark: "Packet length is not
    // multiple of 4 bytes"), still read; the answer's XOR-MAPPED-ADDRESS is 79.35.21.197:45156.
    assert.ok((log.get(51518)!.requests as number) >= 1);
    assert.equal(log.get(51518)!.mapped_address, '79.35.21.197:45156');
    // WebRTC: binding checks (USERNAME HrRgpad7PfoKaAoKAAiKAiADEA:P8/L), then DTLS on the same flow.
    assert.equal(log.get(38152)!.username, 'HrRgpad7PfoKaAoKAAiKAiADEA:P8/L');
    assert.equal(run.conns.find((x) => x.oPort === 38152)!.service, 'stun,dtls');
    // SOFTWARE is the server's product in software.log.
    const sw = run.log('software');
    assert.ok(sw.some((l) => l.host === '10.1.0.3' && l.software_type === 'STUN::SERVER' && l.name === 'Coturn'));
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

const skip = !haveCorpus() && 'shared corpus not present';

test("nDPI's STUN captures: every flow it finds STUN in (over TCP too, and before DTLS) is stun in conn.log", { skip }, async () => {
  for (const name of ['stun_dtls_rtp.pcapng', 'stun_dtls_rtp_unidir.pcapng', 'stun_dtls_unidirectional_client.pcap', 'stun_dtls_unidirectional_server.pcap']) {
    const flows = ndpiFlows(corpus('ndpi', 'result', `${name}.out`));
    const run = await runCaptures([corpus('ndpi', 'pcap', name)]);
    try {
      for (const f of flows) {
        // nDPI: the protocol (STUN, or DTLS whose first packets were STUN: "FPC: 78/STUN").
        assert.ok(/^STUN/.test(f.app) || /\[FPC: 78(\.\d+)?\/STUN/.test(f.line), f.line);
        const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort)!;
        assert.match(c.service, f.app.startsWith('DTLS') ? /^stun,dtls$/ : /^stun(,dtls)?$/, `${name}: ${f.line}`);
      }
    } finally {
      run.cleanup();
    }
  }
  // The TCP flow: TURN over TCP to Google (tshark: Allocate, 401 with REALM turn.l.google.com).
  const run = await runCaptures([corpus('ndpi', 'pcap', 'stun_dtls_rtp.pcapng')]);
  try {
    const tcp = run.log('stun').find((l) => l['id.orig_p'] === 50221)!;
    assert.equal(tcp.realm, 'turn.l.google.com');
    assert.deepEqual(tcp.error_codes, [401]);
    assert.ok((tcp.methods as string[]).includes('allocate'));
  } finally {
    run.cleanup();
  }
});

test("Arkime's stun.pcap: classic RFC 3489 messages on 3478 are STUN; the P2P client's 'RSP/1.0' text is not", { skip }, async () => {
  const sessions = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'stun.test'));
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'stun.pcap')]);
  try {
    const svc = new Map(run.conns.map((c) => [c.oPort, c.service]));
    for (const s of sessions) {
      const port = (s.source as { port: number }).port;
      assert.ok((s.protocol as string[]).includes('stun'));
      // Arkime labels every flow to 3478 stun; two carry "RSP/1.0 CLI_STUN_FIREWALLCHECK" and
      // "RSP/2.0 STUN" text (tshark decodes neither as STUN): those stay unnamed here.
      if (port === 64379 || port === 53633) assert.equal(svc.get(port), '', String(port));
      else assert.equal(svc.get(port), 'stun', String(port));
    }
    // Packets 1, 6 and 7 are RFC 3489 Binding Requests (no magic cookie, 128-bit transaction id).
    assert.ok(run.log('stun').filter((l) => (l.methods as string[]).includes('binding')).length >= 3);
  } finally {
    run.cleanup();
  }
});

test('parseMessage() reads class and method from the type bits (RFC 8489 §5)', async () => {
  const flows = await flowBytes(PCAP);
  const ice = flows.find((f) => f.oPort === 49282)!;
  const req = parseMessage(ice.chunks[0].bytes, 0, ice.chunks[0].bytes.length)!;
  assert.deepEqual([req.cls, req.method], [CLASS_REQUEST, 1]);
  // ICE checks go both ways: the answer is the chunk typed 0x0101 (Binding Success Response).
  const ok = ice.chunks.find((c) => c.bytes[0] === 0x01 && c.bytes[1] === 0x01)!.bytes;
  assert.deepEqual([parseMessage(ok, 0, ok.length)!.cls, parseMessage(ok, 0, ok.length)!.method], [CLASS_SUCCESS, 1]);
  // 0x0113: Allocate error response.
  const err = Uint8Array.from([0x01, 0x13, 0, 0, 0x21, 0x12, 0xa4, 0x42, ...new Array(12).fill(7)]);
  assert.deepEqual([parseMessage(err, 0, err.length)!.cls, parseMessage(err, 0, err.length)!.method], [CLASS_ERROR, 3]);
  // Without the magic cookie it is STUN only where classic (RFC 3489) messages are allowed, and
  // only with a classic type: 0x0113 is not one.
  err[4] = 0;
  assert.equal(parseMessage(err, 0, err.length), null);
  assert.equal(parseMessage(err, 0, err.length, true), null);
  err[1] = 0x01;
  assert.equal(parseMessage(err, 0, err.length, true)?.method, 1);
  assert.equal(isChannelData(Uint8Array.from([0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4]), 0, 8), true);
});

test('probe() takes a whole STUN message over UDP or a stream starting with one, nothing else', async () => {
  const flows = await flowBytes(PCAP);
  const b = flows.find((f) => f.oPort === 49282)!.chunks[0].bytes;
  assert.equal(probe(b, 0, b.length, true, 17), PROBE_YES);
  // Over TCP the message starts the stream (more may follow in the segment).
  assert.equal(probe(b, 0, b.length, true, 6), PROBE_YES);
  assert.equal(probe(b, 0, b.length - 4, true, 17), PROBE_NO);
  const dtls = flows.find((f) => f.oPort === 38152)!.chunks.find((c) => c.bytes[0] === 22)?.bytes;
  if (dtls !== undefined) assert.equal(probe(dtls, 0, dtls.length, true, 17), PROBE_NO);
});

test('parsers and the analyzer survive truncation and mutation of real datagrams', async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.slice(0, 4).map((c) => c.bytes));
  fuzzParser(seeds, (b) => {
    parseMessage(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
  });
  for (const f of flows) {
    fuzzParser([f.chunks[0].bytes], (b) => {
      feedAnalyzer(new StunAnalyzer(), [{ isOrig: true, bytes: b }, ...f.chunks.slice(1, 8)], 17);
    }, { mutations: 100 });
  }
});
