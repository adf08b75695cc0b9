// BitTorrent on nDPI's captures (test/fixtures/ndpi/ndpi-bittorrent.pcap, see its README entry).
// Expectations: ndpiReader 4.2's labels (ndpi-bittorrent.pcap.out) and tshark 4.0's decode
// (ndpi-bittorrent.tshark.tsv: each handshake's info hash and peer id, DHT and LSD packets,
// uTP packet types and connection ids). Client names are checked against what the clients say
// of themselves in their extension handshakes ("v"), not against our own table. The UDP tracker
// protocol and a uTP connection seen from its SYN have no capture here: their cases are
// synthetic, built from BEP 15 and BEP 29, and say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { BittorrentAnalyzer } from './analyzer.js';
import { clientOfPeerId } from './clients.js';
import { bdecode, parseKrpc, parseLsd, parseTrackerRequest, parseUtp } from './parse.js';
import { probe } from './probe.js';
import { httpAnnounce } from './tracker.js';
import { assessCaptures } from '../../assess/testutil.js';
import { Monitor } from '../../monitor/monitor.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-bittorrent.pcap');

interface Row {
  frame: number;
  src: string;
  port: number;
  proto: string;
  infoHash: string;
  peerId: string;
  lsdHash: string;
  lsdPort: string;
  utpType: string;
  utpConn: string;
  dport: number;
  tcp: boolean;
}

function rows(): Row[] {
  return readFileSync(join(DIR, 'ndpi-bittorrent.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return { frame: Number(f[0]), src: f[1] || f[2], port: Number(f[3] || f[4]), proto: f[5], infoHash: f[6], peerId: f[7], lsdHash: f[9], lsdPort: f[10], utpType: f[11], utpConn: f[12], dport: Number(f[13] || f[14]), tcp: f[3] !== '' };
    });
}

/** Zeek-style escaping of peer-id bytes, as bittorrent.log writes them. */
function esc(hex: string): string {
  let s = '';
  for (const x of Buffer.from(hex, 'hex')) s += x >= 0x20 && x < 0x7f && x !== 0x5c ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, '0')}`;
  return s;
}

test("conn.log bittorrent on every flow nDPI labels BitTorrent, and on the five it leaves Unknown that tshark decodes as BitTorrent", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-bittorrent.pcap.out'));
  assert.equal(ndpi.length, 33);
  const run = await runCaptures([PCAP]);
  try {
    const find = (a: number, b: number) => run.conns.filter((x) => (x.oPort === a && x.rPort === b) || (x.oPort === b && x.rPort === a));
    for (const f of ndpi) {
      const cs = find(f.aPort, f.bPort);
      assert.ok(cs.length > 0, f.line);
      // The tracker announce is an HTTP transaction (nDPI calls the flow BitTorrent by its URI):
      // conn.log says http, and the assessment reads the announce from it (below).
      const want = f.aPort === 80 || f.bPort === 80 ? 'http' : 'bittorrent';
      // The client retransmits its FIN after the HTTP connection closed (frames 394-401, to 57 s):
      // those stray packets are connections of their own without payload or service, as in Zeek.
      assert.ok(cs.some((c) => c.service === want), f.line);
      for (const c of cs) assert.ok(c.service === want || c.service === '', f.line);
    }
    assert.equal(ndpi.filter((f) => f.app === 'BitTorrent').length, 28);
    assert.equal(ndpi.filter((f) => f.app === 'Unknown').length, 5);
  } finally {
    run.cleanup();
  }
});

test("bittorrent.log: each TCP handshake's info hash and peer id as tshark decodes them; clients as their own extension handshakes name them", async () => {
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('bittorrent');
    const shakes = rows().filter((r) => r.proto === 'BitTorrent' && r.infoHash !== '' && r.tcp);
    assert.equal(shakes.length, 42);
    for (const r of shakes) {
      const l = log.find((x) => (x['id.orig_p'] === r.port && x['id.resp_p'] === r.dport) || (x['id.resp_p'] === r.port && x['id.orig_p'] === r.dport));
      assert.ok(l, `frame ${r.frame}`);
      const side = l['id.orig_p'] === r.port && l['id.orig_h'] === r.src ? 'orig' : 'resp';
      assert.deepEqual(l.info_hashes, [r.infoHash], `frame ${r.frame}`);
      assert.equal(l[`${side}_peer_id`], esc(r.peerId), `frame ${r.frame}`);
    }
    // The peer ids' clients agree with the names the clients give themselves ("v").
    const agree = log.filter((l) => typeof l.resp_agent === 'string' && typeof l.resp_client === 'string');
    assert.ok(agree.length >= 15);
    for (const l of agree) {
      // µTorrent 3.4.5 writes its name with a Greek mu (U+03BC), its Mac version with the micro sign (U+00B5).
      const own = (l.resp_agent as string).replace('\u03bc', '\u00b5');
      if ((l.resp_peer_id as string).startsWith('-UW')) {
        // µTorrent Web's extension handshake names the libtorrent it is built on.
        assert.equal(own, 'libtorrent/1.2.2.0');
        assert.equal(l.resp_client, 'µTorrent Web 1.3.0');
      } else assert.equal(l.resp_client, own, String(l.uid));
    }
    const mac = log.find((l) => l.orig_agent === 'µTorrent Mac 1.8.6')!;
    assert.equal(mac.orig_client, 'µTorrent Mac 1.8.6');
    // The 24 connections of 192.168.1.3, all for one torrent, with the BEP 4 reserved bits of µTorrent.
    const ut = log.filter((l) => l['id.orig_h'] === '192.168.1.3');
    assert.equal(ut.length, 24);
    assert.ok(ut.every((l) => (l.features as string[]).join() === 'extension-protocol,dht,fast'));
    // The MSE flow: the initiator's handshake is encrypted (nothing read), the answer in clear;
    // tshark counts the six pieces of 16 KiB it sent after.
    const mse = log.find((l) => l['id.resp_p'] === 6881 && l.transports !== undefined && (l.transports as string[])[0] === 'tcp')!;
    assert.deepEqual([mse.orig_peer_id, mse.resp_peer_id, mse.resp_pieces, mse.resp_piece_bytes], [undefined, '-UW130Q-QSp2v9wVO48a', 6, 6 * 16384]);
  } finally {
    run.cleanup();
  }
});

test('bittorrent.log: DHT, uTP and LSD flows as tshark decodes them', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('bittorrent');
    const all = rows();
    // LSD: tshark's info hash and port.
    const lsdRows = all.filter((r) => r.proto === 'LSD');
    const lsd = log.filter((l) => (l.transports as string[]).includes('lsd'));
    assert.equal(lsd.length, lsdRows.length);
    for (const l of lsd) assert.deepEqual([l.info_hashes, l.listen_ports], [[lsdRows[0].lsdHash.toLowerCase()], [Number(lsdRows[0].lsdPort)]]);
    // DHT: every flow with a packet tshark calls BT-DHT is a dht flow; the IPv6 node's queries are get_peers.
    const dhtPorts = new Set(all.filter((r) => r.proto === 'BT-DHT').map((r) => r.port));
    const dht = log.filter((l) => (l.transports as string[]).includes('dht'));
    for (const p of dhtPorts) assert.ok(dht.some((l) => l['id.orig_p'] === p || l['id.resp_p'] === p), `port ${p}`);
    assert.ok(dht.filter((l) => l['id.orig_p'] === 6881).every((l) => (l.dht_queries as string[]).join() === 'get_peers' && l.orig_client === 'libtorrent 1.2'));
    // uTP: each connection id tshark decodes belongs to a flow confirmed as utp.
    const utpPorts = new Set(all.filter((r) => r.utpType !== '').map((r) => r.port));
    assert.deepEqual([...utpPorts].sort((a, b) => a - b), [6881, 40959, 62229, 64969]);
    const utp = log.filter((l) => (l.transports as string[]).includes('utp'));
    assert.equal(utp.length, 3);
    // DHT and uTP on one socket: libtorrent 1.1 (peer id -LT1100-, DHT "v" LT 1.1) with µTorrent Mac.
    const both = utp.find((l) => (l.transports as string[]).join() === 'dht,utp')!;
    assert.deepEqual([both.orig_peer_id, both.orig_agent, both.resp_client], ['-LT1100-1Fa531RtLuvw', 'libtorrent/1.1.0.0', 'µTorrent Mac 1.8.6']);
    // The two connections caught mid-way carry ut_pex / ut_metadata extension messages only.
    assert.equal(utp.filter((l) => (l.transports as string[]).join() === 'utp').length, 2);
  } finally {
    run.cleanup();
  }
});

test("the clients' hosts get a p2p-file-sharing finding, Internet peers none; the tracker announce's torrent read from http.log's URI", async () => {
  const a = await assessCaptures([PCAP]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'p2p-file-sharing');
    const byIp = (ip: string) => f.find((x) => a.result.devices.find((d) => d.id === x.device)!.ips.includes(ip));
    // 192.168.1.5 is 192.168.1.3's MAC in another of nDPI's captures: one device in analyze, two
    // addresses here (this harness builds devices by address).
    assert.equal(f.length, 4);
    assert.ok(byIp('192.168.1.5'));
    const ut = byIp('192.168.1.3')!;
    assert.equal(ut.title, 'Peer-to-peer file sharing (BitTorrent, µTorrent Mac 1.8.6)');
    assert.equal(ut.severity, 'medium');
    assert.match(ut.detail, /for the torrent dcfcdccfb9e670ccc3dd40c78c161f2bea243126/);
    // The first handshake it sent: tshark's first BitTorrent frame from 192.168.1.3.
    assert.equal(ut.evidence[0].packet, rows().find((r) => r.src === '192.168.1.3' && r.infoHash !== '')!.frame);
    // Transmission's announce: GET /announce?info_hash=%aa7i%c4S%0d… (tshark's http.request.uri).
    const tr = byIp('192.168.1.128')!;
    assert.match(tr.detail, /tracker announces over HTTP; for the torrent aa3769c4530dde06241873dad43ab5ccec2ce622; announced to tracker\.trackerfix\.com/);
    assert.equal(tr.title, 'Peer-to-peer file sharing (BitTorrent, Transmission 2.94)');
    assert.ok(byIp('192.168.0.102'));
    assert.ok(!f.some((x) => x.device.includes('82.57.97.83')));
  } finally {
    a.run.cleanup();
  }
});

test("inventory: the LSD announcer, known otherwise only by a LITE-ON MAC, is a workstation by the rules file's BitTorrent line", async () => {
  const { devices } = await runInventory([PCAP]);
  const d = deviceWithIp(devices, '192.168.0.102')!;
  assert.equal(d.category, 'workstation');
  assert.ok(d.protocols.includes('bittorrent'));
});

test('monitor: one p2p-file-sharing alert per internal host, dated by its first sign', async () => {
  const m = new Monitor({ fileName: () => PCAP });
  const run = await runCaptures([PCAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const got = m.finish().filter((x) => x.rule === 'p2p-file-sharing');
  // 192.168.1.5: its STATE answering 82.243.113.43's uTP SYN (tshark: bt-utp type 2, connection
  // 21250); 192.168.1.128: the GET /announce, frame 391 (tshark's http.request).
  const state = rows().find((r) => r.src === '192.168.1.5' && r.utpType === '2')!.frame;
  assert.deepEqual(
    got.map((x) => [x.device, x.evidence[0].packet]).sort(),
    [
      ['ip:192.168.0.102', 1],
      ['ip:192.168.1.128', 391],
      ['ip:192.168.1.3', 3],
      ['ip:192.168.1.5', state],
    ],
  );
  assert.ok(got.every((x) => x.severity === 'medium'));
  const off = new Monitor({ fileName: () => PCAP, config: { postureAlerts: false } });
  const run2 = await runCaptures([PCAP], undefined, { onEvent: off.onEvent, onConn: off.onConn });
  run2.cleanup();
  assert.deepEqual(off.finish().filter((x) => x.rule === 'p2p-file-sharing'), []);
});

test("httpAnnounce: the hash and peer id from a decoded target in either of the HTTP analyzer's forms", () => {
  // Transmission's target as http.log writes it (\xNN escapes: the bytes are not UTF-8).
  const t = httpAnnounce('/announce?info_hash=\\xaa7i\\xc4S\\x0d\\xde\\x06$\\x18s\\xda\\xd4:\\xb5\\xcc\\xec,\\xe6"&peer_id=-TR2940-chho92c56pul&port=51413&event=started')!;
  assert.deepEqual(t, { kind: 'announce', infoHash: 'aa3769c4530dde06241873dad43ab5ccec2ce622', client: 'Transmission 2.94', port: 51413 });
  // Synthetic: a hash whose bytes happen to be UTF-8 (decoded to text) and contain '&'.
  const hash = Buffer.from('c3a926' + '41'.repeat(17), 'hex');
  const uri = `/tracker/announce.php?info_hash=${hash.toString('utf8')}&peer_id=-qB4250-abcdefghijkl&port=8999`;
  assert.deepEqual(httpAnnounce(uri), { kind: 'announce', infoHash: hash.toString('hex'), client: 'qBittorrent 4.2.5', port: 8999 });
  assert.equal(httpAnnounce('/announce?id=3&x=1'), null);
  assert.equal(httpAnnounce('/api/announcements?info_hash=x'), null);
});

test('clientOfPeerId: BEP 20 layouts', () => {
  const id = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.alloc(20 - s.length, 0x41)]);
  assert.deepEqual(clientOfPeerId(id('-UT3550-')), { name: 'µTorrent', version: '3.5.5', prefix: '-UT3550-' });
  assert.deepEqual(clientOfPeerId(id('-UT188B-'))!.version, '1.8.8');
  assert.deepEqual(clientOfPeerId(id('-TR300Z-'))!.version, '3.00+');
  assert.deepEqual(clientOfPeerId(id('-qB4250-'))!.name, 'qBittorrent');
  assert.deepEqual(clientOfPeerId(id('-DE13F0-'))!.version, '1.3.15');
  assert.deepEqual(clientOfPeerId(id('M7-2-2--')), { name: 'BitTorrent', version: '7.2.2', prefix: 'M7-2-2--' });
  assert.equal(clientOfPeerId(id('-ZZ1000-'))!.name, 'unknown client ZZ');
  assert.equal(clientOfPeerId(id('hello world')), null);
});

/** Synthetic BEP 15 packets: a connect request and an announce. */
function trackerConnect(): Buffer {
  return Buffer.from('0000041727101980' + '00000000' + '12345678', 'hex');
}
function trackerAnnounce(): Buffer {
  const b = Buffer.alloc(98);
  b.writeBigUInt64BE(0x1122334455667788n, 0);
  b.writeUInt32BE(1, 8);
  b.writeUInt32BE(7, 12);
  Buffer.from('dcfcdccfb9e670ccc3dd40c78c161f2bea243126', 'hex').copy(b, 16);
  b.write('-TR2940-chho92c56pul', 36, 'latin1');
  b.writeUInt16BE(51413, 96);
  return b;
}

test('UDP tracker (synthetic, BEP 15): connect then announce; the hash, client and port', () => {
  assert.equal(probe(trackerConnect(), 0, 16, true, 17), PROBE_CERTAIN);
  assert.equal(parseTrackerRequest(trackerAnnounce(), 0, 98)!.action, 'announce');
  const out = feedAnalyzer(
    new BittorrentAnalyzer(),
    [
      { isOrig: true, bytes: trackerConnect() },
      { isOrig: false, bytes: Buffer.from('00000000123456781122334455667788', 'hex') },
      { isOrig: true, bytes: trackerAnnounce() },
    ],
    17,
  );
  assert.deepEqual(out.services, ['bittorrent']);
  const s = out.events.find((e) => e.type === 'bittorrent.session')!;
  assert.deepEqual([s.transports, s.info_hashes, s.orig_client, s.listen_ports], [['udp-tracker'], ['dcfcdccfb9e670ccc3dd40c78c161f2bea243126'], 'Transmission 2.94', [51413]]);
});

test('uTP from its SYN (synthetic, BEP 29): confirmed when the STATE answers the SYN; an unanswered or mismatched one is not', () => {
  const hdr = (type: number, conn: number, seq: number, ack: number) => {
    const b = Buffer.alloc(20);
    b[0] = (type << 4) | 1;
    b.writeUInt16BE(conn, 2);
    b.writeUInt16BE(seq, 16);
    b.writeUInt16BE(ack, 18);
    return b;
  };
  assert.equal(probe(hdr(4, 100, 500, 0), 0, 20, true, 17), PROBE_MAYBE);
  const ok = feedAnalyzer(new BittorrentAnalyzer(), [
    { isOrig: true, bytes: hdr(4, 100, 500, 0) },
    { isOrig: false, bytes: hdr(2, 100, 9000, 500) },
  ], 17);
  assert.deepEqual(ok.services, ['bittorrent']);
  const bad = feedAnalyzer(new BittorrentAnalyzer(), [
    { isOrig: true, bytes: hdr(4, 100, 500, 0) },
    { isOrig: false, bytes: hdr(2, 777, 9000, 12) },
  ], 17);
  assert.deepEqual(bad.services, []);
  // A uTP DATA packet carrying the handshake is certain; one carrying a peer-wire message likely.
  const shake = Buffer.concat([hdr(0, 101, 501, 9000), Buffer.from('\x13BitTorrent protocol', 'latin1'), Buffer.alloc(48)]);
  assert.equal(probe(shake, 0, shake.length, true, 17), PROBE_CERTAIN);
  const msg = Buffer.concat([hdr(0, 101, 502, 9000), Buffer.from('0000000d0600000001000000000004000', 'hex')]);
  assert.equal(probe(msg, 0, msg.length, true, 17), PROBE_YES);
});

test('probe and parsers refuse what is not BitTorrent', () => {
  for (const s of ['GET / HTTP/1.1\r\n\r\n', 'd1:x', 'BT-SEARCH', '\x13BitTorrent protocoX', 'SSH-2.0-OpenSSH']) {
    const b = Buffer.from(s, 'latin1');
    assert.equal(probe(b, 0, b.length, true, 6), PROBE_NO, s);
  }
  const dns = Buffer.from('0100010000010000000000000377777706676f6f676c6503636f6d0000010001', 'hex');
  assert.equal(probe(dns, 0, dns.length, true, 17), PROBE_NO);
  assert.equal(parseKrpc(Buffer.from('d1:ai1ee'), 0, 8), null);
  assert.equal(parseLsd(Buffer.from('BT-SEARCH * HTTP/1.0\r\n'), 0, 22), null);
  assert.equal(parseUtp(Buffer.alloc(20, 0x55), 0, 20), null);
  // Bounded: a deeply nested bencoding is refused, not recursed into.
  const deep = Buffer.from('l'.repeat(5000) + 'e'.repeat(5000));
  assert.equal(bdecode(deep, 0, deep.length), null);
  // A TCP stream that is not BitTorrent after its first bytes is let go, nothing logged.
  const out = feedAnalyzer(new BittorrentAnalyzer(), [{ isOrig: true, bytes: Buffer.from('\x13BitTorrent protocoZ' + 'x'.repeat(60), 'latin1') }]);
  assert.deepEqual([out.services, out.events.length], [[], 0]);
});

test('the analyzer survives truncation and mutation of real packets', async () => {
  const pcapRows = rows();
  assert.ok(pcapRows.length > 0);
  const dht = Buffer.from('64313a6164323a696432303af7f6007cea13506e514de7ecbc94f2ae517115f8393a696e666f5f6861736832303af7f601d8a6276f762c2c3df274af2827f8d1f1de65313a71393a6765745f7065657273313a74323a0e61313a76343a4c540101313a79313a7165', 'hex');
  const utp = Buffer.from('0100530310f0687609f1291700100000e7f649c613426974546f7272656e742070726f746f636f6c00000000001800050ca4c8e7fb26a354b1a7aa15baeaf26067c668112d4c54313130302d31466135333152744c757677', 'hex');
  const lsd = Buffer.from('BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 61197\r\nInfohash: ED4F1085E885F98F9A69B70EE89EB988B8FD9115\r\n\r\n\r\n', 'latin1');
  const ext = Buffer.from('d1:md6:ut_pexi1ee1:v5:x 1.0e', 'latin1');
  const extHdr = Buffer.alloc(6);
  extHdr.writeUInt32BE(ext.length + 2, 0);
  extHdr[4] = 20;
  const tcp = Buffer.concat([Buffer.from('\x13BitTorrent protocol', 'latin1'), Buffer.from('0000000000180005dcfcdccfb9e670ccc3dd40c78c161f2bea2431262d554d313836302d418e181ac9ba17987152663e', 'hex'), extHdr, ext]);
  fuzzParser([dht, utp, lsd, tcp, trackerAnnounce()], (b) => {
    parseKrpc(b, 0, b.length);
    parseUtp(b, 0, b.length);
    parseLsd(b, 0, b.length);
    parseTrackerRequest(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
    probe(b, 0, b.length, true, 6);
    feedAnalyzer(new BittorrentAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ], 17);
    feedAnalyzer(new BittorrentAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  });
});
