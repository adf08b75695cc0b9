// H.323 on nDPI's captures (test/fixtures/ndpi/ndpi-h323.pcap): two calls placed to port 1720 (a
// Callgen323 call answered by a "310i" endpoint, a Setup and Alerting from an ABILIS CPX 2000), a
// RAS session with an OpenH323 gatekeeper (GRQ/GCF, RRQ/RCF, ARQ/ACF, then IRQ and DRQ from the
// gatekeeper) and its call attempt, and a Tandberg codec re-registering with a Cisco VCS. Expected
// values are tshark 4.0's decode (ndpi-h323.tshark.tsv, read below) and ndpiReader 4.2's labels
// (ndpi-h323.pcap.out). tshark calls two frames malformed: the GRQ (frame 37), whose integrity
// extension carries an iso9797 OBJECT IDENTIFIER of length zero, and the last Setup (frame 43),
// where it stops inside additionalSourceAddresses; wardline skips both extension additions by
// their open-type length and reads the rest, which tshark's partial decode agrees with. What no
// capture holds — a reject, fast start, H.235 tokens, tunnelled H.245, a gateway — is tested on
// synthetic messages, their PER bit patterns written out below from H323-MESSAGES.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, filesUnder, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { H323Analyzer } from './analyzer.js';
import { decodeRas, decodeUserInformation } from './h225.js';
import { PerReader } from './per.js';
import { probe } from './probe.js';
import { parseQ931 } from './q931.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-h323.pcap');

/** tshark's RasMessage and h323-message-body names, as the log abbreviates or spells them. */
const RAS = ['GRQ', 'GCF', 'GRJ', 'RRQ', 'RCF', 'RRJ', 'URQ', 'UCF', 'URJ', 'ARQ', 'ACF', 'ARJ', 'BRQ', 'BCF', 'BRJ', 'DRQ', 'DCF', 'DRJ', 'LRQ', 'LCF', 'LRJ', 'IRQ', 'IRR'];
const BODY = ['setup', 'callProceeding', 'connect', 'alerting', 'information', 'releaseComplete', 'facility'];
const Q931: Record<number, string> = { 1: 'alerting', 2: 'callProceeding', 5: 'setup', 7: 'connect', 0x5a: 'releaseComplete' };
const DISENGAGE = ['forcedDrop', 'normalDrop', 'undefinedReason'];
const RELEASE: Record<number, string> = { 11: 'undefinedReason' };

interface Row {
  frame: number;
  src: string;
  malformed: boolean;
  ras?: number;
  body?: number;
  seq?: number;
  version?: number;
  product: string[];
  versionId: string[];
  t35: string[];
  h323Ids: string[];
  digits: string[];
  gatekeeperIds: string[];
  endpointIds: string[];
  terminal: boolean;
  mc: string[];
  disengage?: number;
  reason?: number;
  tunnelling: string[];
  keepAlive: string[];
  callModel: string;
  q931?: number;
  display: string[];
  calling: string[];
  called: string[];
}

function tshark(): Row[] {
  const list = (s: string): string[] => (s === '' ? [] : s.split(','));
  const num = (s: string): number | undefined => (s === '' ? undefined : Number(s));
  return readFileSync(join(DIR, 'ndpi-h323.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      const countries = list(f[9]);
      const exts = list(f[10]);
      const makers = list(f[11]);
      return {
        frame: Number(f[0]),
        src: f[1],
        malformed: f[2].includes('Malformed'),
        ras: num(f[3]),
        body: num(f[4]),
        seq: num(f[5]),
        version: f[6] === '' ? undefined : Number(f[6].split('.').pop()),
        product: list(f[7]),
        versionId: list(f[8]),
        t35: countries.map((c, i) => `${c}/${exts[i]}/${makers[i]}`),
        h323Ids: list(f[12]),
        digits: list(f[13]),
        gatekeeperIds: list(f[14]),
        endpointIds: list(f[15]),
        terminal: f[16] !== '',
        mc: list(f[19]),
        disengage: num(f[21]),
        reason: num(f[22]),
        tunnelling: list(f[23]),
        keepAlive: list(f[25]),
        callModel: f[26],
        q931: num(f[27]),
        display: list(f[29]),
        calling: list(f[30]),
        called: list(f[31]),
      };
    });
}

test('h323.log: RAS transactions and calls as tshark decodes them, conn.log h323 on every flow that carried H.225.0, no weirds', async () => {
  const rows = tshark();
  const ndpi = ndpiFlows(join(DIR, 'ndpi-h323.pcap.out'));
  // nDPI 4.2 takes the three calls to 1720 for Cassandra; the two SYN-only flows are H323 by port.
  assert.deepEqual(ndpi.map((f) => f.app), ['Cassandra', 'H323', 'H323', 'Cassandra', 'Cassandra', 'H323', 'H323']);
  const run = await runCaptures([PCAP]);
  try {
    // Every flow with H.225.0 in it is h323 (the SYN-only flows carried nothing); the gatekeeper's
    // IRQ and DRQ, 70 s after the last RAS message, open a flow of their own from 1719.
    const withPayload = run.conns.filter((c) => !(c.oPort === 36050 || c.oPort === 36051));
    assert.deepEqual(withPayload.map((c) => c.service), ['h323', 'h323', 'h323', 'h323', 'h323', 'h323']);
    for (const c of run.conns.filter((x) => x.oPort === 36050 || x.oPort === 36051)) assert.equal(c.service, '');
    const log = run.log('h323');
    const ras = log.filter((l) => l.kind === 'ras');
    const calls = log.filter((l) => l.kind === 'call');

    // RAS: every request tshark decoded is one line, paired with the answer of the same sequence
    // number from the other side; retransmitted requests (the IRQ and DRQ, sent twice) count once.
    const requests = rows.filter((r) => r.ras !== undefined && [0, 3, 9, 15, 21].includes(r.ras));
    const distinct = [...new Map(requests.map((r) => [`${r.src}|${r.seq}`, r])).values()];
    assert.equal(ras.length, distinct.length);
    for (const q of distinct) {
      const l = ras.find((x) => x.seq === q.seq && x.request === RAS[q.ras!])!;
      assert.ok(l !== undefined, `frame ${q.frame}`);
      const answer = rows.find((r) => r.frame > q.frame && r.seq === q.seq && r.src !== q.src && r.ras !== undefined && (r.ras === q.ras! + 1 || r.ras === q.ras! + 2));
      assert.equal(l.reply, answer === undefined ? undefined : RAS[answer.ras!], `reply to frame ${q.frame}`);
      assert.equal(l.retransmits, requests.filter((r) => r.src === q.src && r.seq === q.seq).length > 1 ? 1 : undefined);
      assert.equal(l.protocol_version, q.version ?? answer?.version, `version of ${q.frame}`);
      // The endpoint's vendor: GRQ's endpointType and RRQ's endpointVendor (tshark's first triple);
      // the ARQ's t35 codes are a non-standard parameter's, not a vendor.
      if (q.ras === 0 || q.ras === 3) {
        assert.equal(l.t35, q.t35[0], `t35 of ${q.frame}`);
        assert.equal(l.product_id, q.product[0]);
        assert.equal(l.version_id, q.versionId[0]);
        assert.deepEqual(l.terminal_type, q.terminal ? ['terminal'] : undefined);
        assert.equal(l.mc, q.mc[0] === '1' ? true : undefined);
        assert.deepEqual(l.h323_ids, q.h323Ids.length > 0 ? q.h323Ids : undefined);
        assert.equal(l.endpoint_is_orig, true);
      } else assert.equal(l.t35, undefined);
      // Dialled digits are counted, never kept (the ARQ's srcInfo; not its nonStandardData).
      if (q.ras !== 21 && q.ras !== 15) assert.equal(l.numbers, q.digits.length > 0 ? q.digits.length : undefined, `numbers of ${q.frame}`);
      assert.equal(l.gatekeeper_id, q.gatekeeperIds[0] ?? answer?.gatekeeperIds[0], `gatekeeper of ${q.frame}`);
      assert.equal(l.endpoint_id, q.endpointIds[0] ?? answer?.endpointIds[0], `endpoint id of ${q.frame}`);
      if (q.keepAlive.length > 0) assert.equal(l.keep_alive, q.keepAlive[0] === '1');
      if (answer?.callModel !== undefined && answer.callModel !== '') assert.equal(l.call_model, ['direct', 'gatekeeperRouted'][Number(answer.callModel)]);
      if (q.disengage !== undefined) assert.equal(l.reason, DISENGAGE[q.disengage]);
    }
    // The gatekeeper's own requests (IRQ, DRQ) name the endpoint as the responder.
    assert.deepEqual(ras.filter((l) => l.request === 'IRQ' || l.request === 'DRQ').map((l) => [l.request, l.endpoint_is_orig, l['id.orig_h']]), [
      ['IRQ', false, '17.2.0.161'],
      ['DRQ', false, '17.2.0.161'],
    ]);
    // No H.235 tokens anywhere (tshark shows no tokens or cryptoTokens).
    assert.ok(log.every((l) => l.h235 !== true));

    // Calls: Q.931 message types and H.225.0 bodies in order; the caller's identity from Setup,
    // the callee's from the answers' destinationInfo; how it ended.
    assert.equal(calls.length, 3);
    for (const c of calls) {
      const mine = rows.filter((r) => r.q931 !== undefined && (r.src === c['id.orig_h'] || r.src === c['id.resp_h']));
      assert.deepEqual(c.q931_messages, [...new Set(mine.map((r) => Q931[r.q931!]))]);
      assert.deepEqual(c.h225_messages, [...new Set(mine.map((r) => BODY[r.body!]))]);
      assert.equal(c.messages, mine.length);
      assert.equal(c.caller_is_orig, true);
      const setup = mine.find((r) => r.body === 0)!;
      assert.equal(c.caller_t35, setup.t35[0]);
      assert.equal(c.caller_product_id, setup.product[0]);
      assert.equal(c.caller_version_id, setup.versionId[0]);
      assert.deepEqual(c.caller_h323_ids, setup.h323Ids.length > 0 ? setup.h323Ids : undefined);
      assert.equal(c.caller_numbers, setup.digits.length > 0 ? setup.digits.length : undefined);
      const answer = mine.find((r) => r.body !== 0 && r.body !== 5);
      assert.equal(c.callee_t35, answer?.t35[0]);
      assert.equal(c.callee_product_id, answer?.product[0]);
      assert.deepEqual(c.callee_terminal_type, answer?.terminal === true ? ['terminal'] : undefined);
      const rc = mine.find((r) => r.body === 5);
      assert.equal(c.release_reason, rc === undefined ? undefined : RELEASE[rc.reason!]);
      // Every h245Tunnelling tshark shows is false; so is wardline's (frame 43's too, which tshark did not reach).
      assert.ok(mine.flatMap((r) => r.tunnelling).every((t) => t === '0'));
      assert.equal(c.h245_tunnelling, false);
      assert.equal(c.display, mine.some((r) => r.display.length > 0) ? true : undefined);
      assert.equal(c.calling_number, mine.some((r) => r.calling.length > 0) ? true : undefined);
      assert.equal(c.called_number, mine.some((r) => r.called.length > 0) ? true : undefined);
    }
    const callgen = calls.find((c) => c['id.orig_h'] === '10.1.3.143')!;
    assert.deepEqual([callgen.caller_manufacturer, callgen.caller_product_id, callgen.caller_version_id, callgen.callee_product_id, callgen.h245_address, callgen.fast_start_offered], ['Equivalence (OpenH323)', 'Callgen323 pogacsam', '0.9alpha4', '310i', true, false]);
    // Frame 43, malformed to tshark: the Setup's root as tshark read it, then the rest by wardline.
    const aselsan = calls.find((c) => c['id.resp_h'] === '17.2.0.122')!;
    assert.deepEqual([aselsan.protocol_version, aselsan.caller_t35, aselsan.caller_numbers, aselsan.release_reason, aselsan.fast_start_offered], [4, '174/1/61', 1, 'undefinedReason', false]);
    assert.ok(rows.find((r) => r.frame === 43)!.malformed && rows.find((r) => r.frame === 37)!.malformed);

    assert.deepEqual(run.log('weird'), []);
    const sw = run.log('software').map((s) => [s.host, s.unparsed_version]);
    assert.deepEqual(sw, [
      ['10.1.3.143', 'Callgen323 pogacsam 0.9alpha4'],
      ['10.1.6.18', '310i R'],
      ['10.47.208.204', 'Tandberg 257'],
    ]);

    // Personal data never leaves the capture: dialled digits and Q.931 numbers, the Connect's
    // display name, the e-mail alias and mobile identity of the Aselsan endpoint. (The Setup's
    // Display of frame 6 spells the same text as its H.323-ID, which is logged as the unit's name.)
    const numbers = new Set(rows.flatMap((r) => [...r.digits, ...r.calling, ...r.called]));
    assert.ok(numbers.size >= 4);
    const displays = rows.flatMap((r) => r.display).filter((d) => !rows.some((r) => r.h323Ids.includes(d)));
    assert.deepEqual(displays, ['M.JEMEC']);
    for (const file of filesUnder(run.outDir)) {
      const text = readFileSync(file, 'latin1');
      for (const n of numbers) assert.ok(!text.includes(`"${n}"`) && !(n.length >= 7 && text.includes(n)), `${n} in ${file}`);
      for (const s of [...displays, 'info@aselsan.com', '1111111111111111', 'Aselsan special']) assert.ok(!text.includes(s), `${s} in ${file}`);
    }
  } finally {
    run.cleanup();
  }
});

/** Bytes from a string of bits (spaces ignored), zero-padded to whole octets. */
function bits(s: string): number[] {
  const b = s.replace(/\s+/g, '');
  const out = new Array<number>(Math.ceil(b.length / 8)).fill(0);
  for (let i = 0; i < b.length; i++) if (b[i] === '1') out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

const V4_OID = [0x06, 0x00, 0x08, 0x91, 0x4a, 0x00, 0x04];

/** A TPKT around a Q.931 message of `type` with a call reference flag, extra elements, and a User-user element around `uu`. */
function q931(type: number, fromDestination: boolean, uu: number[], ies: number[] = []): Uint8Array {
  const body = [0x08, 0x02, fromDestination ? 0x80 : 0x00, 0x07, type, ...ies, 0x7e, (uu.length + 1) >> 8, (uu.length + 1) & 0xff, 0x05, ...uu];
  const n = body.length + 4;
  return Uint8Array.from([3, 0, n >> 8, n & 0xff, ...body]);
}

test('synthetic RAS (no capture has them): an RRJ with its reason, an ARJ, H.235 tokens, a gateway with a known maker, an unanswered URQ', () => {
  // RRQ seq 7 from a gateway: ext 1 (additions follow), no nonStandardData, no terminalAlias, no
  // gatekeeperIdentifier; discoveryComplete; one ipAddress in each list; EndpointType with vendor
  // (181/0/18, productId "GW") and gateway (no protocol list); endpointVendor the same; then one
  // extension addition present out of four: tokens (index 2), an empty SEQUENCE OF.
  const rrq = [
    ...bits('0 00011 1 000'),
    0x00, 0x06, ...V4_OID,
    ...bits('1 0000000'), // discoveryComplete, then align for the callSignalAddress count
    0x01, ...bits('0 000 0000'), 10, 0, 0, 9, 0x06, 0xb8,
    0x01, ...bits('0 000 0000'), 10, 0, 0, 9, 0x06, 0xb7,
    // EndpointType: ext 0, nsd 0, vendor 1, gk 0, gw 1, mcu 0, terminal 0; VendorIdentifier ext 0, productId 1, versionId 0; H221 ext 0.
    ...bits('0 0 1 0 1 0 0 0 1 0 0 0000'), 181, 0, 0x00, 0x12, 0x01, 0x47, 0x57,
    // GatewayInfo: ext 0, protocol 0, nsd 0; mc 0, undefinedNode 0; endpointVendor: ext 0, 0, 0, H221 ext 0.
    ...bits('0 0 0 0 0 0 0 0 0 0000 00'), 181, 0, 0x00, 0x12,
    // Additions: four, tokens present; its open type: a SEQUENCE OF with no items.
    ...bits('0 000011 0010 0'), 0x01, 0x00,
  ];
  const rrj = [...bits('0 00101 0 00'), 0x00, 0x06, ...V4_OID, ...bits('0 101 0000')];
  const urq = [...bits('0 00110 0 000'), 0x00, 0x09, 0x00];
  // ARQ seq 11: pointToPoint, endpointIdentifier "A", no aliases, bandWidth 100, CRV 1, a zero conference id.
  const arq = [...bits('0 01001 0 0000000'), 0x00, 0x0a, ...bits('0 00 0000000'), 0x00, 0x41, 0x00, ...bits('00'), 0x64, 0x00, 0x01, ...new Array<number>(16).fill(0), ...bits('00')];
  const arj = [...bits('0 01011 0 0'), 0x00, 0x0a, ...bits('1 0 000010 0'), 0x01, 0x00];
  const out = feedAnalyzer(new H323Analyzer(), [
    { isOrig: true, bytes: Uint8Array.from(rrq) },
    { isOrig: false, bytes: Uint8Array.from(rrj) },
    { isOrig: true, bytes: Uint8Array.from(arq) },
    { isOrig: false, bytes: Uint8Array.from(arj) },
    { isOrig: true, bytes: Uint8Array.from(urq) },
  ], 17);
  assert.deepEqual(out.weirds, []);
  assert.deepEqual(out.services, ['h323']);
  const ras = out.events.filter((e) => e.type === 'h323.ras');
  const reg = ras.find((e) => e.request === 'RRQ')!;
  assert.deepEqual(
    [reg.reply, reg.seq, reg.protocol_version, reg.reason, reg.t35, reg.manufacturer, reg.product_id, reg.terminal_type, reg.h235, reg.endpoint_is_orig],
    ['RRJ', 7, 4, 'invalidTerminalType', '181/0/18', 'Cisco', 'GW', ['gateway'], true, true],
  );
  const adm = ras.find((e) => e.request === 'ARQ')!;
  // ARJ's reason is an extension alternative (index 2 past the eight root ones: incompleteAddress).
  assert.deepEqual([adm.reply, adm.seq, adm.reason], ['ARJ', 11, 'incompleteAddress']);
  const unreg = ras.find((e) => e.request === 'URQ')!;
  assert.deepEqual([unreg.reply, unreg.seq], [undefined, 10]);
  assert.ok(out.events.some((e) => e.type === 'software' && e.unparsed_version === 'GW'));
});

test('synthetic call signalling (no capture has them): fast start offered and answered, tunnelled H.245, a progress body, Release Complete cause; a damaged UUIE is a weird', () => {
  // Setup: UI ext 0, user-data 0, UU ext 1, nsd 0, body 0; Setup ext 1, only sourceInfo; the
  // root's end; additions: seven, fastStart (index 6) present; then UU-PDU additions: two,
  // h245Tunnelling (index 1) TRUE.
  const setup = [
    ...bits('0 0 1 0 0 000'), ...bits('1 0000000'), ...V4_OID,
    // EndpointType: terminal only; mc, undefinedNode; activeMC 0; then the conference id.
    ...bits('0 000001 0 0 0 0 0 000'),
    ...new Array<number>(16).fill(0x11),
    // conferenceGoal create (ext 0, 00), callType pointToPoint (ext 0, 00); additions: 7, fastStart.
    ...bits('0 00 0 00 0 000110 0000001 0'), 0x01, 0x00,
    ...bits('0 000001 01 0'), 0x01, 0x80,
  ];
  // Connect from the callee (flag set): h245Address absent; destinationInfo an MCU; additions:
  // five, fastStart (4) present; UU-PDU additions: three, h245Control (2) present.
  const connect = [
    ...bits('0 0 1 0 0 010'), ...bits('1 0'), ...V4_OID,
    ...bits('0 000010 0 0 1 0'), ...new Array<number>(16).fill(0x22),
    ...bits('0 000100 00001 000'), 0x01, 0x00,
    ...bits('0 000010 001 00000'), 0x01, 0x00,
  ];
  // Progress (an extension alternative, index 0): open type holding ext 0, no options, the OID, and a gateway EndpointType.
  const progressInner = [...bits('0 00000 00'), ...V4_OID, ...bits('0 000100 0 0 0 0 0 00000')];
  const progress = [...bits('0 0 0 0 1 000000 0'), progressInner.length, ...progressInner];
  // Release Complete with reason noPermission (5) and a Cause element, normal clearing (16).
  const release = [...bits('0 0 0 0 0 101'), ...bits('0 1'), ...V4_OID, ...bits('0 0101 00')];
  const out = feedAnalyzer(new H323Analyzer(), [
    { isOrig: true, bytes: q931(0x05, false, setup, [0x28, 0x03, 0x41, 0x42, 0x43, 0x6c, 0x02, 0x81, 0x35]) },
    { isOrig: false, bytes: q931(0x03, true, progress) },
    { isOrig: false, bytes: q931(0x07, true, connect) },
    { isOrig: false, bytes: Uint8Array.from([3, 0, 0, 4]) },
    { isOrig: false, bytes: q931(0x5a, true, release, [0x08, 0x02, 0x80, 0x90]) },
    // A Facility whose PER runs out inside its root.
    { isOrig: true, bytes: q931(0x62, false, [...bits('0 0 0 0 0 110'), 0x80]) },
  ]);
  const c = out.events.find((e) => e.type === 'h323.call')!;
  assert.deepEqual(c.q931_messages, ['setup', 'progress', 'connect', 'releaseComplete', 'facility']);
  assert.deepEqual(c.h225_messages, ['setup', 'progress', 'connect', 'releaseComplete', 'facility']);
  assert.deepEqual(
    [c.fast_start_offered, c.fast_start_answered, c.h245_tunnelling, c.h245_tunnelled, c.release_reason, c.q931_cause, c.display, c.calling_number, c.called_number],
    [true, true, true, true, 'noPermission', 16, true, true, undefined],
  );
  assert.deepEqual((c.caller as Record<string, unknown>).terminal_type, ['terminal']);
  assert.deepEqual((c.callee as Record<string, unknown>).terminal_type, ['gateway']);
  assert.equal((c.callee as Record<string, unknown>).mc, true);
  assert.deepEqual(out.weirds, ['h323.per_error']);
  assert.ok(!JSON.stringify(out.events).includes('ABC'));
});

test('probe(): a TPKT with Q.931 on 1720, a whole Setup elsewhere, RAS on 1719 and from it; not HTTP, not a bare TPKT of another protocol', async () => {
  const flows = await flowBytes(PCAP);
  const setup = flows.find((f) => f.oPort === 32803)!.chunks[0].bytes;
  assert.equal(probe(setup, 0, setup.length, true, 6, 1720), PROBE_YES);
  assert.equal(probe(setup, 0, setup.length, true, 6, 4000), PROBE_YES);
  assert.equal(probe(setup, 0, 40, true, 6, 4000), PROBE_NO);
  assert.equal(probe(setup, 0, 3, true, 6, 1720), PROBE_MAYBE);
  // RDP's and S7's TPKTs carry X.224 (0x0e …, 0x02 0xf0), not Q.931.
  const cotp = Uint8Array.from([3, 0, 0, 11, 6, 0xe0, 0, 0, 0, 0, 0]);
  assert.equal(probe(cotp, 0, cotp.length, true, 6, 1720), PROBE_NO);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true, 6, 1720), PROBE_NO);
  const rrq = flows.find((f) => f.proto === 17 && f.oPort === 1719 && f.rPort === 1719)!.chunks[0].bytes;
  assert.equal(probe(rrq, 0, rrq.length, true, 17, 1719), PROBE_YES);
  // The gatekeeper's IRQ to the endpoint's port: no protocol identifier, a maybe its port settles.
  const irq = flows.find((f) => f.proto === 17 && f.oPort === 1719 && f.rPort === 2034)!.chunks[0].bytes;
  assert.equal(probe(irq, 0, irq.length, true, 17, 2034), PROBE_MAYBE);
  assert.equal(probe(Uint8Array.from([0xff, 0xff]), 0, 2, true, 17, 1719), PROBE_NO);
});

test('the decoders and the analyzer survive truncated and mutated real messages', async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.map((c) => c.bytes));
  assert.ok(seeds.length >= 20);
  const r = new PerReader();
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new H323Analyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
    feedAnalyzer(new H323Analyzer(), [{ isOrig: true, bytes: b }], 17);
    decodeRas(r, b, 0, b.length);
    decodeUserInformation(r, b, 0, b.length);
    parseQ931(b, 0, b.length);
    probe(b, 0, b.length, true, 17, 0);
    probe(b, 0, b.length, true, 6, 0);
  });
});
