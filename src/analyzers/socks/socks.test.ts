// SOCKS analyzer tests on Arkime's real captures socks-http-pass (RFC 1929 logins, a refused
// method negotiation, a CONNECT) and socks5-rdp (SOCKS5 on a non-SOCKS port), with Arkime's
// session JSON as the expectation. The corpus has no SOCKS4 capture: that parser is tested on
// bytes written from the protocol document, and said so below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, runCaptures, type RunOutput } from '../../testutil/corpus.js';
import { origAddr, respAddr } from '../../flow/connlog.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { SocksAnalyzer } from './analyzer.js';
import { runInventory, testKb } from '../../inventory/testutil.js';
import { Observer } from '../../assess/observe.js';
import { parseGreeting, parseUserPass, parseV4Reply, parseV4Request, parseV5 } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const HTTP_PASS = corpus('arkime', 'tests', 'pcap', 'socks-http-pass.pcap');
const RDP = corpus('arkime', 'tests', 'pcap', 'socks5-rdp.pcap');

function allOutput(run: RunOutput): string {
  let s = '';
  for (const f of readdirSync(join(run.outDir, 'logs'))) s += readFileSync(join(run.outDir, 'logs', f), 'utf8');
  return s + JSON.stringify(run.result.events);
}

interface ArkimeSession {
  protocol: string[];
  source: { port: number };
  socks?: { user?: string; ip?: string; port?: number };
}

function arkime(pcap: string): ArkimeSession[] {
  return (JSON.parse(readFileSync(pcap.replace(/\.pcap$/, '.test'), 'utf8')) as { sessions3: { body: ArkimeSession }[] }).sessions3.map((s) => s.body);
}

test("socks.log gives Arkime's users and requested destinations; passwords are redacted", { skip }, async () => {
  const run = await runCaptures([HTTP_PASS, RDP]);
  try {
    const log = run.log('socks');
    const sessions = [...arkime(HTTP_PASS), ...arkime(RDP)];
    for (const s of sessions) {
      const r = log.find((x) => x['id.orig_p'] === s.source.port);
      if (!s.protocol.includes('socks')) {
        // Arkime does not call 54068 SOCKS: the server answered 05 FF (no acceptable method),
        // so no request followed. The greeting and answer are SOCKS5 (tshark dissects both as
        // "Socks Version: 5"), and wardline logs the refused negotiation.
        assert.equal(s.source.port, 54068);
        assert.equal(r?.auth_method, 'No Acceptable Methods');
        continue;
      }
      assert.ok(r, `session from port ${s.source.port}`);
      assert.equal(r.version, 5);
      assert.equal(r.user, s.socks?.user);
      if (s.socks?.ip !== undefined) assert.equal(r['request.host'], s.socks.ip);
      if (s.socks?.port !== undefined) assert.equal(r.request_p, s.socks.port);
    }
    const byPort = new Map(log.map((r) => [r['id.orig_p'], r]));
    // 54069: RFC 1929 login refused (01 FF), which Zeek maps through its SOCKS5 table.
    assert.equal(byPort.get(54069)!.status, 'unknown-255');
    assert.equal(byPort.get(54069)!.password, '<redacted>');
    assert.equal(byPort.get(54072)!.status, 'succeeded');
    assert.equal(byPort.get(54072)!['bound_p'], 33214);
    // socks5-rdp runs on port 42356: found by the probe.
    assert.equal(byPort.get(2276)!['id.resp_p'], 42356);
    assert.deepEqual(run.conns.filter((c) => c.service.split(',').includes('socks')).map((c) => c.oPort).sort(), [2276, 54068, 54069, 54072]);
    const creds = run.result.events.filter((e) => e.ev.type === 'socks.credential').map((e) => e.ev);
    assert.deepEqual(creds.map((c) => c.user), ['testuser', 'testuser']);
    // Two different passwords ("testpass", then one equal to the user name): two digests.
    assert.notEqual(creds[0].secret, creds[1].secret);
    const logins = run.result.events.filter((e) => e.ev.type === 'socks.login').map((e) => e.ev.success);
    assert.deepEqual(logins, [false, true]);
    assert.ok(!allOutput(run).includes('testpass'));
  } finally {
    run.cleanup();
  }
});

test("a granted CONNECT's tunnel is analysed as the protocol inside it: Arkime's http-in-socks and rdp-in-socks sessions", { skip }, async () => {
  const run = await runCaptures([HTTP_PASS, RDP]);
  try {
    const sessions = [...arkime(HTTP_PASS), ...arkime(RDP)] as (ArkimeSession & { http?: { host?: string[]; useragent?: string[] } })[];
    for (const s of sessions) {
      const c = run.conns.find((x) => x.oPort === s.source.port);
      assert.ok(c, `session from port ${s.source.port}`);
      // Arkime's protocols of the session, less the transport: socks, and what the tunnel carried.
      const want = s.protocol.filter((p) => p !== 'tcp').sort();
      const got = c.service === '' ? [] : c.service.split(',').sort();
      if (s.source.port === 54068) assert.deepEqual(got, ['socks'], 'refused negotiation (see above)');
      else assert.deepEqual(got, want, `port ${s.source.port}`);
      if (s.http !== undefined) {
        const h = run.log('http').find((l) => l.uid === c.uid);
        assert.ok(h, 'http.log line for the tunnelled request');
        assert.equal(h.host, s.http.host?.[0]);
        assert.equal(h.user_agent, s.http.useragent?.[0]);
      }
    }
    // socks.log still has its record for each tunnel (written when the connection ends).
    assert.equal(run.log('socks').length, 4);
    const rdp = run.log('rdp');
    assert.equal(rdp.length, 1);
  } finally {
    run.cleanup();
  }
});

test('what the tunnelled protocol says of its server is not said of the SOCKS proxy', { skip }, async () => {
  // The request through the tunnel names www.example.com and the answer's Server is "ECS
  // (iad/1984)" (Arkime's session): that is example.com's web server, not the proxy at 10.0.0.2
  // (MAC 00:13:72:c4:f1:e1), which must not be named or credited with it.
  const { devices } = await runInventory([HTTP_PASS]);
  const proxy = devices.find((d) => d.mac === '00:13:72:c4:f1:e1');
  assert.ok(proxy !== undefined);
  assert.deepEqual(proxy.hostnames, []);
  assert.ok(!proxy.evidence.some((e) => /ECS|example\.com/.test(String(e.value))), JSON.stringify(proxy.evidence.map((e) => e.value)));
  // The client's own user agent still describes the client.
  const client = devices.find((d) => d.evidence.some((e) => e.source === 'http.user_agent' && String(e.value).startsWith('curl/7.24.0')));
  assert.ok(client !== undefined && client.mac !== proxy.mac);
});

test("the assessment does not credit the SOCKS proxy with the tunnelled server's banner", { skip }, async () => {
  // Without the tunnel rule the proxy 10.180.156.249 would hold "ECS (iad/1984)", example.com's
  // Server header, as its own software (and be matched against that product's CVEs).
  const obs = new Observer({ kb: testKb(), paths: () => [HTTP_PASS] });
  const run = await runCaptures([HTTP_PASS], undefined, { onEvent: obs.onEvent, onConn: obs.onConn });
  try {
    const proxy = obs.result().hosts.get('10.180.156.249');
    assert.ok(proxy !== undefined);
    assert.deepEqual(proxy.software, []);
    assert.ok(run.log('software').some((l) => l.unparsed_version === 'ECS (iad/1984)'), 'software.log still has the banner, as Zeek would');
  } finally {
    run.cleanup();
  }
});

/** Flows nDPI labels with a protocol, as unordered "addr:port addr:port" pairs. */
function ndpiFlows(out: string, proto: string): Set<string> {
  const flows = new Set<string>();
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const m = /^\s+\d+\s+TCP\s+(\S+)\s+<?->\s+(\S+)\s+.*\[proto: [\d.]+\/([\w.]+)\]/.exec(line);
    if (m && m[3].split('.').includes(proto)) flows.add([m[1], m[2]].sort().join(' '));
  }
  return flows;
}

const fmt = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);

test('the flows nDPI labels SOCKS in its tls_heur captures, and only those, get the socks service', { skip }, async () => {
  for (const name of ['tls_heur__shadowsocks-tcp', 'tls_heur__trojan-tcp-tls', 'tls_heur__vmess-tcp-tls', 'tls_heur__vmess-tcp', 'tls_heur__vmess-websocket']) {
    const want = ndpiFlows(corpus('ndpi', 'result', `${name}.pcapng.out`), 'SOCKS');
    const run = await runCaptures([corpus('ndpi', 'pcap', `${name}.pcapng`)]);
    try {
      const got = new Set(run.conns.filter((c) => c.service.split(',').includes('socks')).map((c) => [fmt(origAddr(c), c.oPort), fmt(respAddr(c), c.rPort)].sort().join(' ')));
      assert.ok(want.size >= 1, name);
      assert.deepEqual(got, want, name);
      // These clients ask the local proxy for a remote IPv6 address (ATYP 4).
      assert.ok(run.log('socks').every((r) => typeof r['request.host'] === 'string' || typeof r['request.name'] === 'string'));
    } finally {
      run.cleanup();
    }
  }
});

test('probe() takes SOCKS5 greetings and SOCKS4 requests, and refuses other first bytes', { skip }, async () => {
  const [f] = await flowBytes(RDP);
  const g = f.chunks[0].bytes;
  assert.equal(probe(g, 0, g.length, true), PROBE_YES);
  assert.equal(probe(g, 0, g.length, false), PROBE_NO);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true), PROBE_NO);
  // Synthetic (no SOCKS4 capture in the corpus): CONNECT 10.0.0.5:80 for user "bob".
  const v4 = Uint8Array.of(4, 1, 0, 80, 10, 0, 0, 5, 0x62, 0x6f, 0x62, 0);
  assert.equal(probe(v4, 0, v4.length, true), PROBE_YES);
});

test('SOCKS4 and SOCKS4a requests and replies parse (synthetic: the corpus has none)', () => {
  const v4 = Uint8Array.of(4, 1, 0, 80, 10, 0, 0, 5, 0x62, 0x6f, 0x62, 0);
  assert.deepEqual(parseV4Request(v4, 0, v4.length), { version: 4, command: 1, port: 80, user: 'bob', host: '10.0.0.5', consumed: 12 });
  const host = new TextEncoder().encode('pacs.example');
  const v4a = Uint8Array.from([4, 1, 0x2b, 0x67, 0, 0, 0, 1, 0, ...host, 0]);
  assert.deepEqual(parseV4Request(v4a, 0, v4a.length), { version: 4, command: 1, port: 11111, user: '', name: 'pacs.example', consumed: v4a.length });
  assert.equal(parseV4Request(v4a, 0, v4a.length - 1), 'need_more');
  const rep = Uint8Array.of(0, 0x5a, 0, 80, 10, 0, 0, 5);
  assert.equal(parseV4Reply(rep, 0, 8) !== 'need_more' && parseV4Reply(rep, 0, 8) !== 'bad' && (parseV4Reply(rep, 0, 8) as { code: number }).code, 0x5a);
  const out = feedAnalyzer(new SocksAnalyzer(), [
    { isOrig: true, bytes: v4a },
    { isOrig: false, bytes: rep },
  ]);
  const s = out.events.find((e) => e.type === 'socks.session')!;
  assert.equal(s.request_name, 'pacs.example');
  assert.equal(s.status, 'succeeded');
});

test('a handshake split into single bytes gives the same session', { skip }, async () => {
  const flows = await flowBytes(HTTP_PASS);
  const f = flows.find((x) => x.oPort === 54072)!;
  // Packet numbers differ (one per delivered chunk); everything else must not.
  const strip = (evs: Record<string, unknown>[]): Record<string, unknown>[] => evs.map(({ packet: _p, ...rest }) => rest);
  const whole = strip(feedAnalyzer(new SocksAnalyzer(), f.chunks).events);
  const bytes = f.chunks.flatMap((c) => Array.from(c.bytes, (b) => ({ isOrig: c.isOrig, bytes: Uint8Array.of(b) })));
  const split = strip(feedAnalyzer(new SocksAnalyzer(), bytes).events);
  assert.deepEqual(split, whole);
  // credential, login, request, tunnel (the CONNECT was granted), and the session at the end.
  assert.deepEqual(whole.map((e) => e.type), ['socks.credential', 'socks.login', 'socks.request', 'socks.tunnel', 'socks.session']);
});

test('parsers and the analyzer survive truncation and mutation of real handshakes', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const p of [HTTP_PASS, RDP]) for (const f of await flowBytes(p)) for (const c of f.chunks.slice(0, 5)) seeds.push(c.bytes.slice(0, 512));
  fuzzParser(seeds, (b) => {
    parseGreeting(b, 0, b.length);
    parseUserPass(b, 0, b.length);
    parseV5(b, 0, b.length, false);
    parseV5(b, 0, b.length, true);
    parseV4Request(b, 0, b.length);
    feedAnalyzer(new SocksAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }, { isOrig: true, bytes: b }]);
  });
});
