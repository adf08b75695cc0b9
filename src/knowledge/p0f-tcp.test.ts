// p0f's own verdicts on real captures are the expectation: for every SYN and SYN+ACK p0f 3.09b
// logged, wardline's observation must print the same raw signature and match the same label,
// with the same distance and fuzzy/generic flags.
// Fixtures: test/fixtures/p0f/<corpus path with '/' as '_'>.log, made with
//   TZ=UTC p0f -r ../shared/corpus/<path> -o <log>   (Debian p0f 3.09b, its stock p0f.fp)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatV4, type PacketMeta } from '../decode/packet.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { loadP0f } from './p0f.js';
import { synObservation } from './p0f-observe.js';
import { formatTcpSignature, guessDistance, matchTcp, mtuLink, type TcpObservation } from './p0f-tcp.js';
import { FIXTURES, forEachL4Packet, KB_DIR } from './testutil.js';

const skip = !haveCorpus() && 'shared corpus not present';
const db = loadP0f(join(KB_DIR, 'p0f'));
const P0F_FIXTURES = join(FIXTURES, 'p0f');

/** p0f prints IPv6 as eight hex groups without '::' compression. */
function p0fAddr(w: Uint32Array): string {
  if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return formatV4(w[3]);
  const g: string[] = [];
  for (let i = 0; i < 4; i++) g.push((w[i] >>> 16).toString(16), (w[i] & 0xffff).toString(16));
  return g.join(':');
}

interface P0fLine {
  mod: string;
  cli: string;
  srv: string;
  label: string;
  dist: string;
  params: string;
  raw: string;
}

function readP0fLog(path: string): P0fLine[] {
  const out: P0fLine[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const body = line.replace(/^\[[^\]]*\] /, '');
    const f = Object.fromEntries(body.split('|').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    if (f.mod !== 'syn' && f.mod !== 'syn+ack') continue;
    out.push({ mod: f.mod, cli: f.cli, srv: f.srv, label: f.os ?? f.app, dist: f.dist, params: f.params, raw: f.raw_sig });
  }
  return out;
}

interface Mine {
  raw: string;
  label: string;
  dist: string;
  fuzzy: boolean;
  generic: boolean;
}

function describe(obs: TcpObservation): Mine {
  const m = matchTcp(db, obs);
  return {
    raw: formatTcpSignature(obs),
    label: m === null ? '???' : m.os,
    dist: m !== null && m.badTtl ? `<= ${m.distance}` : String(m === null ? guessDistance(obs.ttl) : m.distance),
    fuzzy: m?.fuzzy ?? false,
    generic: m?.generic ?? false,
  };
}

async function observe(capture: string): Promise<Map<string, Mine[]>> {
  const mine = new Map<string, Mine[]>();
  const synMss = new Map<string, number>();
  await forEachL4Packet(capture, (m: PacketMeta) => {
    const src = `${p0fAddr(m.src)}/${m.srcPort}`;
    const dst = `${p0fAddr(m.dst)}/${m.dstPort}`;
    const isSynAck = (m.tcpFlags & 0x12) === 0x12;
    const cli = isSynAck ? dst : src;
    const srv = isSynAck ? src : dst;
    const obs = synObservation(m, isSynAck ? synMss.get(`${cli}|${srv}`) : undefined);
    if (obs === null) return;
    if (!isSynAck) synMss.set(`${cli}|${srv}`, obs.mss);
    const key = `${isSynAck ? 'syn+ack' : 'syn'}|${cli}|${srv}`;
    const list = mine.get(key) ?? [];
    list.push(describe(obs));
    mine.set(key, list);
  });
  return mine;
}

/** Corpus captures p0f was run on; the fixture is the path with '/' turned into '_' plus '.log'. */
const CAPTURES = [
  'zeek/traces/http/get.pcap',
  'zeek/traces/http/flash-version.pcap',
  'zeek/traces/http/cooper-grill-dvwa.pcapng',
  'zeek/traces/http/putty-upload.pcap',
  'zeek/traces/http/testmyids.pcap',
  'ndpi/pcap/dnp3.pcap',
  'ndpi/pcap/imap.pcap',
  'ndpi/pcap/imap-starttls.pcap',
  'ndpi/pcap/kerberos-login.pcap',
  'ndpi/pcap/http_ipv6.pcap',
  'ndpi/pcap/pop3.pcap',
  'ndpi/pcap/windowsupdate_over_http.pcap',
  'ndpi/pcap/fuzz-2006-06-26-2594.pcap',
  'ndpi/pcap/fuzz-2006-09-29-28586.pcap',
  'ndpi/pcap/ssh.pcap',
  'ndpi/pcap/http-proxy.pcapng',
  'ndpi/pcap/nest_log_sink.pcap',
  'ndpi/pcap/http-lines-split.pcap',
  'ndpi/pcap/dns_fragmented.pcap',
  'ndpi/pcap/ossfuzz_seed_fake_traces_2.pcapng',
  'ndpi/pcap/tls_ech.pcapng',
  'ndpi/pcap/rtsp.pcap',
  'ndpi/pcap/dns_doh.pcap',
  'ndpi/pcap/iec60780-5-104.pcap',
  'ndpi/pcap/http-crash-content-disposition.pcap',
  'ndpi/pcap/ftp-start-tls.pcap',
  'ndpi/pcap/nntp.pcap',
  'ndpi/pcap/rdp3.pcap',
  'ndpi/pcap/http_connect.pcap',
];
const logOf = (capture: string): string => join(P0F_FIXTURES, `${capture.replaceAll('/', '_')}.log`);

test('the p0f fixtures cover SYNs and SYN+ACKs of several operating systems', () => {
  const labels = new Set(CAPTURES.flatMap((c) => readP0fLog(logOf(c)).map((l) => l.label)));
  for (const want of ['Windows XP', 'Windows 7 or 8', 'Windows NT kernel', 'Linux 3.11 and newer', 'Linux 2.6.x', 'Mac OS X', '???']) {
    assert.ok(labels.has(want), `no fixture where p0f says ${want}`);
  }
});

for (const path of CAPTURES) {
  const capture = corpus(path);
  test(`p0f's SYN and SYN+ACK verdicts on ${path} are reproduced`, { skip: skip || !existsSync(capture) }, async () => {
    const want = readP0fLog(logOf(path));
    assert.ok(want.length > 0, 'p0f logged no SYN');
    const mine = await observe(capture);
    for (const w of want) {
      const key = `${w.mod}|${w.cli}|${w.srv}`;
      const got = mine.get(key);
      assert.ok(got !== undefined, `no ${w.mod} seen for ${key}`);
      const same = got.find((g) => g.raw === w.raw);
      assert.ok(same !== undefined, `${key}: p0f raw_sig ${w.raw}, ours ${got.map((g) => g.raw).join(' / ')}`);
      assert.equal(same.label, w.label, `${key} (${w.raw})`);
      assert.equal(same.dist, w.dist, `${key} distance`);
      assert.equal(same.fuzzy, /\bfuzzy\b/.test(w.params), `${key} fuzzy flag (p0f params=${w.params})`);
      assert.equal(same.generic, /\bgeneric\b/.test(w.params), `${key} generic flag (p0f params=${w.params})`);
    }
  });
}

test('matchTcp() finds a specific signature before a generic one', () => {
  // p0f.fp [tcp:request]: "s:unix:Linux:3.11 and newer" sig *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0
  // also satisfies the later generic "g:unix:Linux:2.2.x-3.x" line; the specific one must win.
  const obs: TcpObservation = { ver: 4, ttl: 61, olen: 0, mss: 1460, win: 29200, wscale: 10, olayout: 'mss,sok,ts,nop,ws', quirks: new Set(['df', 'id+']), payloadClass: 0, isResponse: false };
  const m = matchTcp(db, obs);
  assert.equal(m?.os, 'Linux 3.11 and newer');
  assert.deepEqual([m?.distance, m?.fuzzy, m?.generic, m?.label.type, m?.label.class], [3, false, false, 's', 'unix']);
});

test('matchTcp() is fuzzy when df disappears or the TTL is out of range, exact otherwise', () => {
  const base: TcpObservation = { ver: 4, ttl: 128, olen: 0, mss: 1460, win: 8192, wscale: 2, olayout: 'mss,nop,ws,nop,nop,sok', quirks: new Set(['df', 'id+']), payloadClass: 0, isResponse: false };
  assert.deepEqual(pick(matchTcp(db, base)), ['Windows 7 or 8', false, 0]);
  assert.deepEqual(pick(matchTcp(db, { ...base, quirks: new Set(['id+']) })), ['Windows 7 or 8', true, 0]);
  // 200 is above the initial TTL 128: fuzzy, and the distance is p0f's guess from 255.
  assert.deepEqual(pick(matchTcp(db, { ...base, ttl: 200 })), ['Windows 7 or 8', true, 55]);
  // A quirk that may not appear (ts2+) rules the signature out.
  assert.equal(matchTcp(db, { ...base, quirks: new Set(['df', 'id+', 'ts2+']) }), null);
});

function pick(m: ReturnType<typeof matchTcp>): unknown[] {
  return [m?.os, m?.fuzzy, m?.distance];
}

test('matchTcp() reads mtu*N windows and random-TTL application signatures', () => {
  // "s:unix:OpenVMS:8.x" sig 4:128:0:1460:mtu*2,0:mss,nop,ws::0 — 3000 = 2 × (1460 + 40).
  const vms: TcpObservation = { ver: 4, ttl: 120, olen: 0, mss: 1460, win: 3000, wscale: 0, olayout: 'mss,nop,ws', quirks: new Set(), payloadClass: 0, isResponse: false };
  assert.equal(matchTcp(db, vms)?.os, 'OpenVMS 8.x');
  // "s:!:NMap:SYN scan" sig *:64-:0:1460:1024,0:mss::0 — TTL below 64, any distance.
  const nmap: TcpObservation = { ver: 4, ttl: 40, olen: 0, mss: 1460, win: 1024, wscale: 0, olayout: 'mss', quirks: new Set(), payloadClass: 0, isResponse: false };
  const m = matchTcp(db, nmap);
  assert.deepEqual([m?.os, m?.app, m?.badTtl, m?.distance], ['NMap SYN scan', true, true, 24]);
});

test('mtuLink() names the link type of an MSS from the [mtu] section', () => {
  assert.equal(mtuLink(db, 1460, 4), 'Ethernet or modem');
  assert.equal(mtuLink(db, 1452, 4), 'DSL');
  assert.equal(mtuLink(db, 1440, 6), 'Ethernet or modem');
  assert.equal(mtuLink(db, 1234, 4), null);
});
