// p0f's HTTP verdicts on real captures are the expectation: for every request and response p0f
// 3.09b logged (app=… or ???), matching the header block from the same flow must give the same
// application. Fixtures: test/fixtures/p0f/*.log (see p0f-tcp.test.ts for how they were made).
// The header blocks are cut from the captures here with a few lines of HTTP/1.x parsing:
// payload of each direction concatenated in capture order up to the blank line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatV4, IPPROTO_TCP } from '../decode/packet.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { loadP0f } from './p0f.js';
import { matchHttp, type HttpObservation } from './p0f-http.js';
import { FIXTURES, forEachL4Packet, KB_DIR } from './testutil.js';

const skip = !haveCorpus() && 'shared corpus not present';
const db = loadP0f(join(KB_DIR, 'p0f'));
const MAX_HEAD = 16384;

const CAPTURES = [
  'zeek/traces/http/get.pcap',
  'zeek/traces/http/flash-version.pcap',
  'zeek/traces/http/cooper-grill-dvwa.pcapng',
  'zeek/traces/http/putty-upload.pcap',
  'zeek/traces/http/testmyids.pcap',
  'ndpi/pcap/http-lines-split.pcap',
  'ndpi/pcap/windowsupdate_over_http.pcap',
];

interface Want {
  isResponse: boolean;
  cli: string;
  srv: string;
  app: string;
  params: string;
}

function readLog(path: string): Want[] {
  const out: Want[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const f = Object.fromEntries(line.replace(/^\[[^\]]*\] /, '').split('|').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    if (f.mod !== 'http request' && f.mod !== 'http response') continue;
    out.push({ isResponse: f.mod === 'http response', cli: f.cli, srv: f.srv, app: f.app, params: f.params });
  }
  return out;
}

/** Header block of an HTTP/1.x request or response, or null when it is not one. */
function parseHead(text: string, isResponse: boolean): HttpObservation | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = text.slice(0, end).split('\r\n');
  const first = lines[0];
  const ver = isResponse ? /^HTTP\/1\.([01]) /.exec(first) : / HTTP\/1\.([01])$/.exec(first);
  if (ver === null) return null;
  const headers: [string, string][] = [];
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c <= 0) return null;
    headers.push([l.slice(0, c), l.slice(c + 1).replace(/^[ \t]+/, '')]);
  }
  return { ver: Number(ver[1]) as 0 | 1, headers, isResponse };
}

async function headBlocks(capture: string): Promise<Map<string, HttpObservation>> {
  const text = new Map<string, string>();
  const clients = new Map<string, string>();
  await forEachL4Packet(capture, (m) => {
    if (m.proto !== IPPROTO_TCP) return;
    const a = (w: Uint32Array): string => formatV4(w[3]);
    const src = `${a(m.src)}/${m.srcPort}`;
    const dst = `${a(m.dst)}/${m.dstPort}`;
    if ((m.tcpFlags & 0x12) === 0x02) clients.set(`${src}|${dst}`, src);
    if (m.capPayloadLen === 0) return;
    const key = `${src}|${dst}`;
    const prev = text.get(key) ?? '';
    if (prev.length > MAX_HEAD || prev.includes('\r\n\r\n')) return;
    text.set(key, prev + Buffer.from(m.buf.subarray(m.payloadOff, m.payloadOff + m.capPayloadLen)).toString('latin1'));
  });
  const out = new Map<string, HttpObservation>();
  for (const [key, t] of text) {
    const [src, dst] = key.split('|');
    const fromClient = clients.get(key) === src;
    const cli = fromClient ? src : dst;
    const srv = fromClient ? dst : src;
    const obs = parseHead(t, !fromClient);
    if (obs !== null) out.set(`${fromClient ? 'req' : 'resp'}|${cli}|${srv}`, obs);
  }
  return out;
}

for (const path of CAPTURES) {
  const capture = corpus(path);
  test(`p0f's HTTP verdicts on ${path} are reproduced`, { skip: skip || !existsSync(capture) }, async () => {
    const want = readLog(join(FIXTURES, 'p0f', `${path.replaceAll('/', '_')}.log`));
    assert.ok(want.length > 0, 'p0f logged no HTTP');
    const heads = await headBlocks(capture);
    for (const w of want) {
      const key = `${w.isResponse ? 'resp' : 'req'}|${w.cli}|${w.srv}`;
      const obs = heads.get(key);
      assert.ok(obs !== undefined, `no HTTP header block for ${key}`);
      const m = matchHttp(db, obs);
      assert.equal(m === null ? '???' : m.app, w.app, key);
      assert.equal(m?.dishonest ?? false, /\bdishonest\b/.test(w.params), `${key} dishonest flag`);
    }
  });
}

const wgetHeaders: [string, string][] = [
  ['User-Agent', 'Wget/1.14 (darwin12.2.0)'],
  ['Accept', '*/*'],
  ['Host', 'www.example.org'],
  ['Connection', 'Keep-Alive'],
];

test('matchHttp() needs the listed order and forbids absent headers', () => {
  // p0f.fp "s:!:wget:" sig *:User-Agent,Accept=[*/*],Host,Connection=[Keep-Alive]:Accept-Encoding,…:Wget/
  assert.equal(matchHttp(db, { ver: 1, headers: wgetHeaders, isResponse: false })?.app, 'wget');
  const swapped: [string, string][] = [wgetHeaders[2], wgetHeaders[0], wgetHeaders[1], wgetHeaders[3]];
  assert.equal(matchHttp(db, { ver: 1, headers: swapped, isResponse: false }), null);
  assert.equal(matchHttp(db, { ver: 1, headers: [...wgetHeaders, ['Accept-Encoding', 'gzip']], isResponse: false }), null);
});

test('matchHttp() flags a User-Agent that does not fit the matched software', () => {
  const lying: [string, string][] = wgetHeaders.map(([n, v]) => [n, n === 'User-Agent' ? 'Mozilla/5.0' : v]);
  const m = matchHttp(db, { ver: 1, headers: lying, isResponse: false });
  assert.deepEqual([m?.app, m?.dishonest, m?.sys], ['wget', true, ['@unix', 'Windows']]);
});

test("matchHttp() lets a '?' header be missing, but not appear out of place", () => {
  // "s:!:Apache:2.x" 4th sig: 1:Date,Server,?Last-Modified,?Accept-Ranges=[bytes],?Content-Length,Content-Type,Keep-Alive=[timeout],Connection=[Keep-Alive]::Apache
  const base: [string, string][] = [
    ['Date', 'Thu, 07 Mar 2013 21:42:07 GMT'],
    ['Server', 'Apache/2.4.3'],
    ['Content-Type', 'text/html'],
    ['Keep-Alive', 'timeout=5, max=100'],
    ['Connection', 'Keep-Alive'],
  ];
  assert.equal(matchHttp(db, { ver: 1, headers: base, isResponse: true })?.app, 'Apache 2.x');
  const misplaced: [string, string][] = [...base, ['Last-Modified', 'Thu, 07 Mar 2013 21:00:00 GMT']];
  assert.equal(matchHttp(db, { ver: 1, headers: misplaced, isResponse: true }), null);
});
