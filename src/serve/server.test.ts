// `wardline serve` over a store that `analyze --db` filled from real captures: the page, the API
// answers matching the store and `wardline report`/`wardline policy`, read-only and with the
// security headers the page needs and no more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { isLoopback, parseListen, startServer } from './server.js';

const skip = !haveCorpus() && 'shared corpus not present';
const CLI = join(REPO_ROOT, 'dist', 'wardline.mjs');

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir = '';
let db = '';
let base = '';
let close: (() => Promise<void>) | null = null;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'wardline-serve-'));
  db = join(dir, 'store.db');
  const caps = ['tapirx/HL7-ORU.pcap', 'icsnpp-bacnet/testing/traces/bacnet_services.pcap', 'zeek/traces/ftp/ipv4.pcap'].map((c) => corpus(c));
  const r = cli(['analyze', ...caps, '--out', join(dir, 'out'), '--no-progress', '--db', db]);
  assert.equal(r.code, 0, r.err);
  const s = await startServer({ db, host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${s.port}`;
  close = s.close;
});

after(async () => {
  await close?.();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

test('GET / is the report page with its security headers', { skip }, async () => {
  const r = await fetch(`${base}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const html = await r.text();
  assert.ok(html.includes('What to fix first'));
  const devices = (await (await fetch(`${base}/api/devices`)).json()) as { ips: string[] }[];
  for (const d of devices) if (d.ips.length > 0) assert.ok(html.includes(d.ips[0]), d.ips[0]);
});

test('the API gives the store: report, devices, one device, findings, alerts, health', { skip }, async () => {
  const report = (await (await fetch(`${base}/api/report`)).json()) as { devices: { id: string; category: string }[]; findings: { rule: string; device: string }[] };
  const cliReport = JSON.parse(cli(['report', '--db', db, '--format', 'json']).out) as typeof report;
  assert.deepEqual(report.devices, cliReport.devices);
  const bacnet = (await (await fetch(`${base}/api/devices?category=building_automation`)).json()) as { category: string }[];
  assert.ok(bacnet.length > 0 && bacnet.every((d) => d.category === 'building_automation'));
  assert.ok(report.findings.length > 0);
  const id = report.findings[0].device;
  const one = (await (await fetch(`${base}/api/devices/${encodeURIComponent(id)}`)).json()) as { device: { id: string }; findings: { device: string }[] };
  assert.equal(one.device.id, id);
  assert.ok(one.findings.length > 0 && one.findings.every((f) => f.device === id));
  const rule = report.findings[0].rule;
  const some = (await (await fetch(`${base}/api/findings?rule=${rule}`)).json()) as { rule: string }[];
  assert.ok(some.length > 0 && some.every((f) => f.rule === rule));
  assert.equal((await fetch(`${base}/api/devices/nope`)).status, 404);
  const health = (await (await fetch(`${base}/healthz`)).json()) as { ok: boolean; counts: Record<string, number> };
  assert.equal(health.ok, true);
  assert.equal(health.counts.devices, report.devices.length);
  assert.ok(Array.isArray(await (await fetch(`${base}/api/alerts`)).json()));
  assert.equal((await fetch(`${base}/api/alerts?since=soon`)).status, 400);
});

test('GET /api/conversations lists the answered conversations of the store, one address with ?ip=', { skip }, async () => {
  const all = (await (await fetch(`${base}/api/conversations`)).json()) as { orig: string; resp: string; port: number; service: string }[];
  assert.ok(all.some((c) => c.service === 'hl7'));
  const ip = all[0].orig;
  const one = (await (await fetch(`${base}/api/conversations?ip=${ip}`)).json()) as typeof all;
  assert.ok(one.length > 0 && one.every((c) => c.orig === ip || c.resp === ip));
});

test('GET /api/policy is what wardline policy --db writes', { skip }, async () => {
  for (const format of ['nftables', 'cisco']) {
    const text = await (await fetch(`${base}/api/policy?format=${format}&scope=all`)).text();
    assert.equal(text, cli(['policy', '--db', db, '--format', format, '--scope', 'all']).out);
  }
  assert.equal((await fetch(`${base}/api/policy?format=pf`)).status, 400);
});

test('the server is read-only', { skip }, async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) assert.equal((await fetch(`${base}/api/devices`, { method })).status, 405);
});

test('--listen parsing and the loopback check', () => {
  assert.deepEqual(parseListen('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseListen('[::1]:9000'), { host: '::1', port: 9000 });
  assert.equal(parseListen('8080'), null);
  assert.equal(parseListen('host:99999'), null);
  assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('0.0.0.0'));
  assert.equal(cli(['serve', '--db', 'x.db', '--listen', 'nonsense']).code, 2);
  assert.equal(cli(['serve', '--db', '/nonexistent/x.db', '--listen', '127.0.0.1:0']).code, 2);
});
