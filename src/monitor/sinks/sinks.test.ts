// Sinks delivering to real receivers the test starts on 127.0.0.1 (UDP and TCP syslog listeners,
// an HTTP server). The alert itself is a fixed value: what is tested is the delivery and framing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../../report/alert.js';
import { openSink, JsonlSink, TcpSyslogSink, UdpSyslogSink, WebhookSink, SinkError } from './sinks.js';
import { alertCef, alertJson, alertSyslog, syslogTime } from './format.js';

const ALERT: Alert = {
  id: 'brute-force-4f1c2a9e8b7d6c5a',
  rule: 'brute-force',
  severity: 'high',
  device: 'ip:10.1.2.3',
  peer: '10.1.2.9',
  first_ts: 1795887894.843881,
  last_ts: 1795887895.10004,
  count: 12,
  evidence: [{ fact: 'login-failure', value: 'HTTP 401 to basic credentials for user "clinic"', source: 'http.status_code', file: 'a|b=c.pcap', packet: 13, ts: 1795887894.843881 }],
  why: 'failed 12 HTTP logins; a=b | c\\d\nnext',
};

/** RFC 5424 §6 header fields, then the MSG. */
const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) (.*)$/s;

function parseCefExtension(ext: string): Record<string, string> {
  // Keys are the words before unescaped "="; values run to the next " key=".
  const out: Record<string, string> = {};
  const re = /(?:^| )([A-Za-z0-9_]+)=((?:\\.|[^\\])*?)(?= [A-Za-z0-9_]+=|$)/gs;
  for (const m of ext.matchAll(re)) out[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\([\\=])/g, '$1');
  return out;
}

function splitCef(msg: string): { header: string[]; ext: Record<string, string> } {
  const header: string[] = [];
  let cur = '';
  let i = 0;
  for (; i < msg.length && header.length < 7; i++) {
    const ch = msg[i];
    if (ch === '\\' && i + 1 < msg.length) {
      cur += msg[++i];
    } else if (ch === '|') {
      header.push(cur);
      cur = '';
    } else cur += ch;
  }
  return { header, ext: parseCefExtension(msg.slice(i)) };
}

test('a syslog message is RFC 5424 with the alert in CEF as its MSG', () => {
  const msg = alertSyslog(ALERT, { facility: 20, hostname: 'ward host', appName: 'wardline', procId: '42' });
  const m = RFC5424.exec(msg);
  assert.ok(m, msg);
  assert.equal(Number(m[1]), 20 * 8 + 3, 'local4.err for a high alert');
  assert.equal(m[2], '2026-11-28T17:44:55.100040Z');
  assert.equal(m[3], 'wardhost', 'spaces are not allowed in HOSTNAME');
  assert.equal(m[6], 'brute-force');
  const cef = splitCef(m[8]);
  assert.deepEqual(cef.header, ['CEF:0', 'wardline', 'wardline', cef.header[3], 'brute-force', 'Repeated failed logins (password guessing)', '8']);
  assert.equal(cef.ext.src, '10.1.2.3');
  assert.equal(cef.ext.dst, '10.1.2.9');
  assert.equal(cef.ext.cnt, '12');
  assert.equal(cef.ext.externalId, ALERT.id);
  assert.equal(cef.ext.msg, ALERT.why, 'escaped =, \\ and newline come back unchanged');
  assert.equal(cef.ext.cs3, 'a|b=c.pcap#13 http.status_code');
  assert.equal(cef.ext.start, String(Math.round(ALERT.first_ts * 1000)));
});

test('syslogTime() carries microseconds and rolls over a full second', () => {
  assert.equal(syslogTime(0.5), '1970-01-01T00:00:00.500000Z');
  assert.equal(syslogTime(1.9999999), '1970-01-01T00:00:02.000000Z');
});

test('CEF escapes pipes in the header and equals signs in the extension', () => {
  const c = alertCef({ ...ALERT, rule: 'x|y', why: 'k=v' });
  assert.ok(c.includes('|x\\|y|'));
  assert.ok(c.endsWith('msg=k\\=v'));
});

test('openSink() picks the sink from the destination and rejects bad ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-sink-'));
  const sinks = [openSink(join(dir, 'a.jsonl')), openSink('syslog://127.0.0.1:5514'), openSink('syslog+tcp://127.0.0.1:1?facility=local7'), openSink('http://127.0.0.1:1/hook')];
  assert.ok(sinks[0] instanceof JsonlSink);
  assert.ok(sinks[1] instanceof UdpSyslogSink);
  assert.ok(sinks[2] instanceof TcpSyslogSink);
  assert.ok(sinks[3] instanceof WebhookSink);
  assert.throws(() => openSink('syslog://:514'), SinkError);
  assert.throws(() => openSink('syslog://h:514?facility=nope'), SinkError);
  return Promise.all(sinks.map((s) => s.close(50))).then(() => rmSync(dir, { recursive: true, force: true }));
});

test('the JSON lines sink appends one alert per line in the documented field order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-sink-'));
  const path = join(dir, 'sub', 'alerts.jsonl');
  const s = openSink(path);
  s.send(ALERT);
  s.send({ ...ALERT, id: 'scan-0', rule: 'scan' });
  await s.close();
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[0], alertJson(ALERT));
  assert.deepEqual(Object.keys(JSON.parse(lines[0])), ['id', 'rule', 'severity', 'device', 'peer', 'first_ts', 'last_ts', 'count', 'evidence', 'why']);
  rmSync(dir, { recursive: true, force: true });
});

test('syslog over UDP reaches a listener on 127.0.0.1', async () => {
  const srv = createSocket('udp4');
  const got: string[] = [];
  await new Promise<void>((r) => srv.bind(0, '127.0.0.1', r));
  srv.on('message', (b) => got.push(b.toString('utf8')));
  const port = (srv.address() as AddressInfo).port;
  const s = openSink(`syslog://127.0.0.1:${port}?facility=local0&hostname=wardline-test`);
  s.send(ALERT);
  s.send({ ...ALERT, severity: 'critical' });
  await s.close();
  for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  srv.close();
  assert.equal(got.length, 2);
  assert.equal(got[0], alertSyslog(ALERT, { facility: 16, hostname: 'wardline-test', appName: 'wardline', procId: String(process.pid) }));
  assert.ok(got[1].startsWith('<130>1 '), 'local0.crit');
  assert.deepEqual(s.stats(), { sent: 2, failed: 0, dropped: 0, queued: 0 });
});

test('syslog over TCP is octet-counted and survives the receiver starting late', async () => {
  // Reserve a port, close it, send while nobody listens, then listen: the sink reconnects.
  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const s = new TcpSyslogSink('127.0.0.1', port, { baseDelayMs: 20, maxDelayMs: 50, hostname: 'h' });
  for (let i = 0; i < 3; i++) s.send({ ...ALERT, count: i });
  let data = Buffer.alloc(0);
  const srv = createTcpServer((c) => c.on('data', (d) => (data = Buffer.concat([data, d]))));
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  await s.close(3000);
  await new Promise((r) => setTimeout(r, 50));
  srv.close();
  const msgs: string[] = [];
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    const len = Number(data.subarray(off, sp).toString('ascii'));
    msgs.push(data.subarray(sp + 1, sp + 1 + len).toString('utf8'));
    off = sp + 1 + len;
  }
  assert.equal(off, data.length, 'frames tile the stream exactly');
  assert.equal(msgs.length, 3);
  assert.deepEqual(msgs.map((m) => /cnt=(\d+)/.exec(m)?.[1]), ['0', '1', '2']);
  for (const m of msgs) assert.match(m, RFC5424);
  assert.equal(s.stats().sent, 3);
});

test('the webhook retries with growing delays until the server accepts, in order', async () => {
  const bodies: string[] = [];
  const times: number[] = [];
  let calls = 0;
  const srv = createHttpServer((req, res) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => {
      calls++;
      times.push(Date.now());
      if (calls <= 2) {
        res.writeHead(503).end();
        return;
      }
      assert.equal(req.headers['content-type'], 'application/json');
      bodies.push(b);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const s = new WebhookSink(`http://127.0.0.1:${port}/alerts`, { baseDelayMs: 40, maxDelayMs: 1000 });
  const t0 = Date.now();
  s.send(ALERT);
  s.send({ ...ALERT, id: 'second' });
  assert.ok(Date.now() - t0 < 20, 'send() returns at once');
  await s.close(5000);
  srv.close();
  srv.closeAllConnections();
  assert.equal(calls, 4);
  assert.deepEqual(bodies.map((b) => JSON.parse(b).id), [ALERT.id, 'second']);
  assert.equal(bodies[0], alertJson(ALERT));
  // Delays 40 ms then 80 ms before the first alert got through.
  assert.ok(times[1] - times[0] >= 35 && times[2] - times[1] >= 70, `delays ${times[1] - times[0]}, ${times[2] - times[1]}`);
  assert.deepEqual(s.stats(), { sent: 2, failed: 0, dropped: 0, queued: 0 });
});

test('a webhook nobody answers never blocks send(), bounds its queue and gives up', async () => {
  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const s = new WebhookSink(`http://127.0.0.1:${port}/`, { maxQueue: 10, baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 });
  const t0 = Date.now();
  for (let i = 0; i < 10_000; i++) s.send({ ...ALERT, count: i });
  assert.ok(Date.now() - t0 < 1000, 'ten thousand sends return quickly');
  await s.close(3000);
  const st = s.stats();
  assert.equal(st.sent, 0);
  assert.equal(st.failed + st.dropped, 10_000);
  assert.ok(st.dropped >= 10_000 - 11);
});

test('a 4xx answer is not retried', async () => {
  let calls = 0;
  const srv = createHttpServer((req, res) => {
    calls++;
    req.resume();
    res.writeHead(400).end();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const s = new WebhookSink(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, { baseDelayMs: 5 });
  s.send(ALERT);
  await s.close(2000);
  srv.close();
  srv.closeAllConnections();
  assert.equal(calls, 1);
  assert.equal(s.stats().failed, 1);
});
