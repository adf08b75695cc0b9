// HTTP/1.x analyzer tests: http.log against every Zeek http.log baseline, Arkime's session
// JSON for the http-*.pcap captures, nDPI's per-flow protocol for conn.log service, and
// robustness (truncation and mutation) of the parser and the analyzer on real capture bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, REPO_ROOT, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { captureStreams, FakeContext, findFlow, ndpiFlows, replay, twoChunks } from '../streams.testutil.js';
import { HTTP } from './index.js';
import { HttpAnalyzer } from './analyzer.js';
import { challengeSchemes, parseAuthorization, parseChunkSize, parseField, parseRequestLine, parseStatusLine, unescapeUri } from './parse.js';
import { probe } from './probe.js';
import { runInventory, testKb } from '../../inventory/testutil.js';
import { Observer } from '../../assess/observe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('parseRequestLine() reads method, target and version', () => {
  assert.deepEqual(parseRequestLine('GET /a?b=1 HTTP/1.1'), { method: 'GET', uri: '/a?b=1', version: '1.1' });
  assert.deepEqual(parseRequestLine('GET /'), { method: 'GET', uri: '/', version: '0.9' });
  // nDPI's fuzz-2006 capture damages versions; the request is still one.
  assert.deepEqual(parseRequestLine('POST /mms HTTP/d.1'), { method: 'POST', uri: '/mms', version: 'd.1' });
  assert.equal(parseRequestLine('\x16\x03\x01 hello'), null);
});

test('parseStatusLine() reads version, code and reason', () => {
  assert.deepEqual(parseStatusLine('HTTP/1.0 200 OK'), { version: '1.0', code: 200, msg: 'OK' });
  assert.deepEqual(parseStatusLine('HTTP/1.1 304'), { version: '1.1', code: 304, msg: '' });
  assert.equal(parseStatusLine('HTTP/1.1 2000 x'), null);
});

test('parseAuthorization() splits Basic credentials at the first colon only (RFC 7617)', () => {
  // Zeek's basic-auth-with-colon trace sends "test:1:34".
  const a = parseAuthorization('Basic  dGVzdDoxOjM0');
  assert.equal(a?.scheme, 'basic');
  assert.equal(a?.user, 'test');
  assert.equal(Buffer.from(a!.password!).toString(), '1:34');
  assert.equal(parseAuthorization('Digest username="bob", realm="x"')?.user, 'bob');
  assert.equal(parseAuthorization('NTLM TlRMTVNTUAABAAAA')?.blob, 'TlRMTVNTUAABAAAA');
  assert.deepEqual(parseAuthorization('Bearer mF_9.B5f-4.1JqM'), { scheme: 'bearer' });
});

test('challengeSchemes() lists each scheme of a WWW-Authenticate value', () => {
  assert.deepEqual(challengeSchemes('Basic realm="a, b", Digest realm="x", nonce="1"'), ['basic', 'digest']);
  assert.deepEqual(challengeSchemes('NTLM'), ['ntlm']);
  assert.deepEqual(challengeSchemes('Negotiate, NTLM'), ['negotiate', 'ntlm']);
});

test('unescapeUri() decodes percent escapes as Zeek logs them', () => {
  assert.equal(unescapeUri('/x?id=1%27+OR+%271%27%3D%271'), "/x?id=1'+OR+'1'='1");
  assert.equal(unescapeUri('/a%0ab%zz'), '/a\\x0ab%zz');
});

test('probe() knows a request or a response start and nothing else', () => {
  assert.equal(probe(enc('GET / HTTP/1.1\r\n'), 0, 16, true), PROBE_YES);
  assert.equal(probe(enc('PO'), 0, 2, true), PROBE_MAYBE);
  assert.equal(probe(enc('HTTP/1.1 200 OK'), 0, 15, false), PROBE_YES);
  assert.equal(probe(enc('SSH-2.0-OpenSSH'), 0, 15, true), PROBE_NO);
  assert.equal(probe(enc('220 ftp ready'), 0, 13, false), PROBE_NO);
  assert.equal(probe(enc('OPTIONS rtsp://cam/live RTSP/1.0\r\nCSeq: 1\r\n'), 0, 43, true), PROBE_NO);
  assert.equal(probe(enc('RTSP/1.0 200 OK\r\n'), 0, 17, false), PROBE_NO);
});

test('pipelined requests with chunked and sized bodies are paired in order without buffering bodies', () => {
  // Synthetic: no corpus capture pipelines a chunked upload; the framing is RFC 9112 §7.1.
  const a = new HttpAnalyzer();
  const ctx = new FakeContext();
  const req = 'POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\nHEAD /three HTTP/1.1\r\n\r\n';
  const body = 'x'.repeat(100_000);
  const resp = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(100_000).toString(16)}\r\n${body}\r\n0\r\nX-T: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n`;
  // Deliver in small pieces to cross every boundary.
  const r = enc(req);
  const s = enc(resp);
  for (let i = 0; i < r.length; i += 7) a.data(ctx, true, r, i, Math.min(7, r.length - i));
  for (let i = 0; i < s.length; i += 1000) a.data(ctx, false, s, i, Math.min(1000, s.length - i));
  a.end(ctx);
  const tx = ctx.of('http.transaction');
  assert.deepEqual(
    tx.map((t) => [t.trans_depth, t.method, t.uri, t.request_body_len, t.status_code, t.info_code, t.response_body_len]),
    [
      [1, 'POST', '/u', 5, 200, 100, 3],
      [2, 'GET', '/two', 0, 200, undefined, 100_000],
      [3, 'HEAD', '/three', 0, 200, undefined, 0],
    ],
  );
  assert.deepEqual(ctx.weirds, []);
  assert.deepEqual(ctx.services, ['http']);
});

test('a header line longer than the bound is dropped with a weird, not buffered', () => {
  const a = new HttpAnalyzer();
  const ctx = new FakeContext();
  const big = enc(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(40_000)}\r\nUser-Agent: ok\r\n\r\n`);
  for (let i = 0; i < big.length; i += 1460) a.data(ctx, true, big, i, Math.min(1460, big.length - i));
  a.end(ctx);
  assert.ok(ctx.weirds.includes('http.line_too_long'));
  assert.equal(ctx.of('http.transaction')[0].user_agent, 'ok');
});

const zeekHttp = skip ? [] : zeekBaselines('http.log');

test('the corpus has a Zeek http.log baseline', { skip }, () => {
  assert.ok(zeekHttp.length >= 1);
});

/** Fields compared with Zeek, as Zeek's TSV writes them. */
const ZEEK_FIELDS = ['method', 'host', 'uri', 'status_code', 'user_agent', 'request_body_len', 'response_body_len', 'version', 'status_msg', 'username'];

for (const { trace, baseline } of zeekHttp) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`http.log matches Zeek's ${name} (password redacted where Zeek logs it)`, { skip: !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('http');
      assert.equal(got.length, want.length);
      for (const w of want) {
        const g = got.find((r) => String(r['id.orig_p']) === w['id.orig_p'] && String(r.trans_depth) === w.trans_depth);
        assert.ok(g, `no record for ${w['id.orig_h']}:${w['id.orig_p']} depth ${w.trans_depth}`);
        for (const f of ZEEK_FIELDS) assert.equal(g[f] === undefined ? '-' : String(g[f]), w[f], f);
        // Zeek ran this test with HTTP::default_capture_password=T and logs the password in
        // clear; wardline never does.
        if (w.password !== '-') assert.equal(g.password, '<redacted>');
        if (w.resp_mime_types !== '-') assert.deepEqual(g.resp_mime_types, w.resp_mime_types.split(','));
      }
    } finally {
      run.cleanup();
    }
  });
}

test("http.log has the requests of Zeek's sql-injection-plus-dvwa2 http.log.cut", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek/baselines/scripts.policy.protocols.http.sql-injection-plus-dvwa2/http.log.cut'));
  const run = await runCaptures([corpus('zeek/traces/http/cooper-grill-dvwa.pcapng')]);
  try {
    const got = run.log('http').map((r) => `${r.method} ${r.host} ${r.uri}`).sort();
    assert.deepEqual(got, want.map((w) => `${w.method} ${w.host} ${w.uri}`).sort());
  } finally {
    run.cleanup();
  }
});

test("software.log has the HTTP server of Zeek's flash-version software.log", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek/baselines/scripts.policy.protocols.http.flash-version/software.log')).filter((w) => w.software_type === 'HTTP::SERVER');
  const run = await runCaptures([corpus('zeek/traces/http/flash-version.pcap')]);
  try {
    const got = run.log('software').filter((r) => r.software_type === 'HTTP::SERVER');
    // Browser lines differ by design: Zeek's HTTP::BROWSER parser picks the most specific
    // product (AdobeAIR) out of a Mozilla/5.0 agent string; wardline logs the string's lead.
    assert.deepEqual(
      got.map((r) => `${r.host} ${r.host_p} ${r.name} ${r.unparsed_version}`),
      want.map((w) => `${w.host} ${w.host_p} ${w.name} ${w.unparsed_version}`),
    );
  } finally {
    run.cleanup();
  }
});

interface ArkimeSession {
  body: {
    source: { ip: string; port: number };
    destination: { ip: string; port: number };
    protocol?: string[];
    http?: { useragent?: string[]; method?: string[]; host?: string[]; authType?: string[]; user?: string[]; statuscode?: number[] };
  };
}

const arkimeDir = corpus('arkime/tests/pcap');
const arkimeHttp = skip ? [] : readdirSync(arkimeDir).filter((f) => /^http-.*\.test$/.test(f));

for (const t of arkimeHttp) {
  test(`http.log agrees with Arkime's ${t} (user agent, method, host, auth type, user)`, async () => {
    const sessions = (JSON.parse(readFileSync(join(arkimeDir, t), 'utf8')) as { sessions3: ArkimeSession[] }).sessions3.filter((s) => s.body.http !== undefined);
    assert.ok(sessions.length > 0);
    const run = await runCaptures([join(arkimeDir, t.replace(/\.test$/, '.pcap'))]);
    try {
      const log = run.log('http');
      for (const s of sessions) {
        const h = s.body.http!;
        const mine = log.filter((r) => r['id.orig_h'] === s.body.source.ip && r['id.orig_p'] === s.body.source.port);
        assert.ok(mine.length > 0, `no http.log line for ${s.body.source.ip}:${s.body.source.port}`);
        const set = (k: string): string[] => [...new Set(mine.map((r) => r[k]).filter((v) => v !== undefined).map(String))].sort();
        // An empty User-Agent header is "" in both (Zeek's TSV shows it as "(empty)").
        if (h.useragent) assert.deepEqual(set('user_agent'), [...h.useragent].sort(), 'user agent');
        if (h.method) assert.deepEqual(set('method'), [...h.method].sort(), 'method');
        // Arkime lists the Host header both with and without its port.
        if (h.host) for (const v of set('host')) assert.ok(h.host.includes(v), `host ${v} not in ${h.host}`);
        if (h.authType) assert.deepEqual(set('auth_scheme'), h.authType, 'auth type');
        if (h.user) assert.deepEqual(set('username'), h.user, 'user');
        if (h.statuscode) assert.deepEqual(set('status_code'), h.statuscode.map(String).sort(), 'status');
      }
      assert.ok(run.conns.some((c) => c.service.split(',').includes('http')));
    } finally {
      run.cleanup();
    }
  });
}

test('Basic credentials become a credential event with a digest, never the password', { skip }, async () => {
  const run = await runCaptures([join(arkimeDir, 'http-basicauth.pcap')]);
  try {
    const creds = run.result.events.map((e) => e.ev).filter((e) => e.type === 'credential');
    assert.equal(creds.length, 1);
    assert.equal(creds[0].protocol, 'http');
    assert.equal(creds[0].user, 'userrrrr');
    assert.match(String(creds[0].secret), /^[0-9a-f]{64}$/);
    // 304 Not Modified: the server accepted the credentials.
    assert.equal(creds[0].success, true);
  } finally {
    run.cleanup();
  }
});

/** Cleartext secrets present in the HTTP fixtures (Authorization headers). */
const SECRETS: [string, string[]][] = [
  ['zeek/traces/http/basic-auth-with-colon.pcap', ['1:34', 'dGVzdDoxOjM0']],
  ['arkime/tests/pcap/http-basicauth.pcap', ['passworddddd', 'dXNlcnJycnI6cGFzc3dvcmRkZGRk']],
  ['suricata-verify/tests/http-auth-bearer/input.pcap', ['mF_9.B5f-4.1JqM']],
  ['suricata-verify/tests/http-auth-unrecognized/input.pcap', ['customAuthDataHere']],
];

for (const [file, secrets] of SECRETS) {
  test(`no log holds the cleartext secret of ${file}`, { skip }, async () => {
    const run = await runCaptures([corpus(file)]);
    try {
      assert.ok(run.log('http').length > 0);
      for (const f of readdirSync(join(run.outDir, 'logs'))) {
        const text = readFileSync(join(run.outDir, 'logs', f), 'utf8');
        for (const s of secrets) assert.ok(!text.includes(s), `${f} contains a secret`);
      }
    } finally {
      run.cleanup();
    }
  });
}

/** nDPI captures of HTTP/1.x flows (nDPI's result file names each flow's protocol). */
const NDPI = ['http-lines-split.pcap', 'http_on_sip_port.pcap', 'http-manipulated.pcap', 'http_starting_with_reply.pcapng', 'http_ua_splitted_in_two_pkts.pcapng', 'http_invalid_server.pcap', 'http.pcapng', 'http-proxy.pcapng', 'http_connect.pcap', 'windowsupdate_over_http.pcap', 'http-crash-content-disposition.pcap', 'http_asymmetric.pcapng', 'fuzz-2006-09-29-28586.pcap'];

for (const p of NDPI) {
  test(`conn.log names service http on every flow nDPI found to be HTTP by inspection in ${p}`, { skip }, async () => {
    // Flows nDPI only guessed from the port ("Match by port") are not HTTP evidence.
    const flows = ndpiFlows(readFileSync(corpus('ndpi/result', p + '.out'), 'latin1')).filter((f) => /^HTTP(?:_Proxy|_Connect)?(?:\.|$)/.test(f.proto) && f.line.includes('[Confidence: DPI]'));
    assert.ok(flows.length > 0, 'nDPI lists HTTP flows');
    const run = await runCaptures([corpus('ndpi/pcap', p)]);
    try {
      const conns = run.log('conn');
      for (const f of flows) {
        const c = findFlow(conns, f);
        assert.ok(c, `no conn for ${f.a}:${f.ap} ${f.b}:${f.bp}`);
        assert.ok(String(c.service).split(',').includes('http'), `service of ${f.a}:${f.ap} is ${c.service}`);
      }
    } finally {
      run.cleanup();
    }
  });
}

test('the parsers survive truncation and mutation of real HTTP lines', { skip }, async () => {
  const streams = await captureStreams(join(arkimeDir, 'http-basicauth.pcap'));
  const lines = Buffer.concat([streams[0].orig.subarray(0, 2000), streams[0].resp.subarray(0, 600)]).toString('latin1').split('\r\n').slice(0, 12).map(enc);
  fuzzParser(lines, (b) => {
    const s = Buffer.from(b).toString('latin1');
    parseRequestLine(s);
    parseStatusLine(s);
    parseField(s);
    parseChunkSize(s);
    const f = parseField(s);
    if (f !== null) parseAuthorization(f.value);
    challengeSchemes(s);
    unescapeUri(s);
    probe(b, 0, b.length, true);
    probe(b, 0, b.length, false);
  }, { mutations: 100 });
});

test('the analyzer survives truncation and mutation of real HTTP conversations', { skip }, async () => {
  const streams = [
    ...(await captureStreams(join(arkimeDir, 'http-post-upload.pcap'), 6000)),
    ...(await captureStreams(corpus('ndpi/pcap/http-lines-split.pcap'), 3000)),
  ];
  for (const s of streams.slice(0, 3)) {
    fuzzParser([s.orig.subarray(0, 1500), s.resp.subarray(0, 1500)], (b) => {
      replay(new HttpAnalyzer(), twoChunks(b, b));
      replay(new HttpAnalyzer(), twoChunks(s.orig.subarray(0, 300), b));
    }, { mutations: 60 });
  }
  assert.equal(HTTP.name, 'http');
});

test("body lengths agree with the file sizes in Zeek's file-analysis http.post output", { skip }, async () => {
  const out = readFileSync(corpus('zeek/baselines/scripts.base.frameworks.file-analysis.http.post/out'), 'utf8');
  const sizes = [...out.matchAll(/^total bytes: (\d+)$/gm)].map((m) => Number(m[1]));
  const run = await runCaptures([corpus('zeek/traces/http/post.pcap')]);
  try {
    const r = run.log('http');
    assert.equal(r.length, 1);
    // The first file is the POSTed body, the second the response.
    assert.deepEqual([r[0].request_body_len, r[0].response_body_len], sizes);
  } finally {
    run.cleanup();
  }
});

test("servers found on HTTP agree with Zeek's known-services log", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek/baselines/scripts.policy.protocols.conn.known-services/knownservices-all.log')).filter((w) => w.service === 'HTTP');
  assert.ok(want.length > 0);
  const run = await runCaptures([corpus('zeek/traces/var-services-std-ports.pcap')]);
  try {
    const mine = new Set(run.log('conn').filter((c) => String(c.service).split(',').includes('http')).map((c) => `${c['id.resp_h']}:${c['id.resp_p']}`));
    assert.deepEqual([...mine].sort(), want.map((w) => `${w.host}:${w.port_num}`).sort());
  } finally {
    run.cleanup();
  }
});

test('HTTP is found off its well-known ports by probing (Arkime http-basicauth on 2082)', { skip }, async () => {
  assert.ok(!HTTP.ports.includes(2082));
  const run = await runCaptures([join(arkimeDir, 'http-basicauth.pcap')]);
  try {
    assert.deepEqual(run.conns.map((c) => [c.rPort, c.service]), [[2082, 'http']]);
  } finally {
    run.cleanup();
  }
});

test("TLS through an HTTP CONNECT proxy is analysed: nDPI's http_connect.pcap SNI on the proxy's flow", { skip }, async () => {
  // nDPI labels the client↔proxy flow HTTP_Connect with Hostname/SNI apache.org, and the proxy's
  // own connection to 151.101.2.132:443 TLS with the same name. After the 200 answer to
  // CONNECT, wardline probes the tunnel's bytes and finds the TLS in it (Zeek's http-connect
  // does the same: the tunnel's payload goes back to protocol detection).
  const run = await runCaptures([corpus('ndpi', 'pcap', 'http_connect.pcap')]);
  try {
    const proxy = run.conns.find((c) => c.rPort === 8080);
    assert.ok(proxy);
    assert.equal(proxy.service, 'http,ssl');
    const http = run.log('http').filter((l) => l.uid === proxy.uid);
    assert.deepEqual(http.map((l) => [l.method, l.status_code]), [['CONNECT', 200]]);
    const ssl = run.log('ssl');
    assert.deepEqual(ssl.map((l) => [l['id.resp_p'], l.server_name]).sort(), [[443, 'apache.org'], [8080, 'apache.org']]);
  } finally {
    run.cleanup();
  }
});

test("a forward proxy is not credited with the origin's Server header or Host (Zeek's http/proxy.pcap)", { skip }, async () => {
  // The client sends absolute-form requests (GET HTTP://bro.org/) to the proxy at 08:00:27:6e:cf:4a;
  // the answers pass on bro.org's "Apache/2.4.6 (Fedora)". software.log keeps it against the
  // proxy's address as Zeek's does; the inventory and the assessment do not.
  const path = corpus('zeek', 'traces', 'http', 'proxy.pcap');
  const run = await runCaptures([path]);
  try {
    assert.ok(run.log('http').some((l) => /^http:\/\//i.test(String(l.uri))));
    assert.ok(run.log('software').some((l) => l.unparsed_version === 'Apache/2.4.6 (Fedora)'));
  } finally {
    run.cleanup();
  }
  const { devices } = await runInventory([path]);
  const proxy = devices.find((d) => d.mac === '08:00:27:6e:cf:4a');
  assert.ok(proxy !== undefined);
  assert.deepEqual(proxy.hostnames, []);
  assert.ok(!proxy.evidence.some((e) => e.source === 'http.server'), JSON.stringify(proxy.evidence.map((e) => e.source)));
  const obs = new Observer({ kb: testKb(), paths: () => [path] });
  const r2 = await runCaptures([path], undefined, { onEvent: obs.onEvent, onConn: obs.onConn });
  r2.cleanup();
  for (const h of obs.result().hosts.values()) assert.ok(!h.software.includes('Apache/2.4.6 (Fedora)'), h.addr);
});

test("a request target with spaces is logged, not refused (Nikto's injection probe in nDPI's captures, test/fixtures/ndpi)", async () => {
  assert.deepEqual(parseRequestLine('GET /a b HTTP/1.0'), { method: 'GET', uri: '/a b', version: '1.0' });
  assert.deepEqual(parseRequestLine('GET / HTTP/1.1'), { method: 'GET', uri: '/', version: '1.1' });
  const run = await runCaptures([join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-nikto-request.pcap')]);
  try {
    const [h] = run.log('http');
    assert.equal(h.uri, '/cgi-bin/handler/netsonar;cat /etc/passwd|?data=Download');
    assert.equal(h.version, '1.1');
    assert.match(String(h.user_agent), /Nikto\/2\.1\.6/);
    assert.deepEqual(run.conns.map((c) => c.service), ['http']);
  } finally {
    run.cleanup();
  }
});

test("a WebSocket upgrade is websocket.log and conn.log 'http,websocket' (nDPI's vmess-websocket capture: tshark's GET with Upgrade: websocket, then 101)", { skip: !haveCorpus() }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'tls_heur__vmess-websocket.pcapng')]);
  try {
    // tshark: frame 17 "GET / HTTP/1.1" Host 127.0.0.1:1234, User-Agent Go-http-client/1.1,
    // Upgrade: websocket; frame 19 "HTTP/1.1 101 Switching Protocols".
    const [ws] = run.log('websocket');
    assert.deepEqual([ws['id.resp_p'], ws.host, ws.uri, ws.user_agent], [1234, '127.0.0.1:1234', '/', 'Go-http-client/1.1']);
    assert.equal(run.conns.find((c) => c.rPort === 1234)!.service, 'http,websocket');
    // The framed bytes after the upgrade are not HTTP: no weird for them.
    assert.ok(!run.log('weird').some((w) => w['id.resp_p'] === 1234));
  } finally {
    run.cleanup();
  }
});
