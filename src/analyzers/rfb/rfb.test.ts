// RFB analyzer tests against peers on real captures: Zeek's rfb.log baselines (VNC 3.3/3.8,
// Apple Remote Desktop, a scanner) and suricata-verify's rfb-parser and rfb-failure checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { RfbAnalyzer } from './analyzer.js';
import { parseReason, parseSecurityTypes, parseServerInit, parseVersion } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const SV_PARSER = corpus('suricata-verify', 'tests', 'rfb-parser', 'input.pcap');
const SV_FAILURE = corpus('suricata-verify', 'tests', 'rfb-failure', 'rfb_failure_16.pcap');
const FIELDS = ['client_major_version', 'client_minor_version', 'server_major_version', 'server_minor_version', 'authentication_method', 'auth', 'share_flag', 'desktop_name', 'width', 'height'];

const bases = skip ? [] : zeekBaselines('rfb.log');

test('the corpus has Zeek rfb.log baselines', { skip }, () => {
  assert.equal(bases.length, 3);
});

for (const { trace, baseline } of bases) {
  test(`rfb.log matches Zeek's ${baseline.split('/').slice(-2).join('/')}`, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('rfb');
      assert.equal(got.length, want.length);
      for (const w of want) {
        const g = got.find((r) => String(r['id.orig_p']) === w['id.orig_p']);
        assert.ok(g, `connection from port ${w['id.orig_p']}`);
        for (const k of ['id.orig_h', 'id.resp_h', 'id.resp_p', ...FIELDS]) {
          const v: unknown = g[k];
          const mine: string = v === undefined ? '-' : typeof v === 'boolean' ? (v ? 'T' : 'F') : String(v);
          assert.equal(mine, w[k], `${w['id.orig_p']} ${k}`);
        }
      }
      // (vnc-mac-to-linux also holds a refused SYN from port 49251: no payload, no service.)
      for (const c of run.conns) assert.equal(c.service, got.some((r) => r['id.orig_p'] === c.oPort) ? 'rfb' : '');
    } finally {
      run.cleanup();
    }
  });
}

test('suricata-verify rfb-parser: versions 3.7, security type None, shared, 1280x800 and the desktop name', { skip }, async () => {
  const run = await runCaptures([SV_PARSER]);
  try {
    const [r] = run.log('rfb');
    assert.deepEqual(
      [r.server_major_version, r.server_minor_version, r.client_major_version, r.client_minor_version, r.authentication_method, r.share_flag, r.width, r.height, r.desktop_name],
      ['003', '007', '003', '007', 'None', true, 1280, 800, 'aneagles@localhost.localdomain'],
    );
    // RFB 3.7 sends no SecurityResult for type None (RFC 6143 §7.2.1), so `auth` stays unset as in Zeek.
    assert.equal(r.auth, undefined);
  } finally {
    run.cleanup();
  }
});

test('suricata-verify rfb-failure: the server security failure reason', { skip }, async () => {
  const run = await runCaptures([SV_FAILURE]);
  try {
    const [r] = run.log('rfb');
    assert.equal(r.failure_reason, 'AAAAAAAAAAAAAAAA');
  } finally {
    run.cleanup();
  }
});

test('VNC challenges and responses (crackable offline) appear in no output', { skip }, async () => {
  const trace = corpus('zeek', 'traces', 'rfb', 'vnc-mac-to-linux.pcap');
  const secrets: string[] = [];
  for (const f of await flowBytes(trace)) for (const c of f.chunks) if (c.bytes.length === 16) secrets.push(Buffer.from(c.bytes).toString('hex'), Buffer.from(c.bytes).toString('base64'));
  assert.ok(secrets.length >= 8);
  const run = await runCaptures([trace]);
  try {
    let out = JSON.stringify(run.result.events);
    for (const f of readdirSync(join(run.outDir, 'logs'))) out += readFileSync(join(run.outDir, 'logs', f), 'utf8');
    for (const s of secrets) assert.ok(!out.includes(s), s);
  } finally {
    run.cleanup();
  }
});

test('probe() recognises the version banner from either side and nothing else', { skip }, async () => {
  const [f] = await flowBytes(SV_PARSER);
  const banner = f.chunks[0].bytes;
  assert.equal(probe(banner, 0, banner.length), PROBE_YES);
  const ssh = new TextEncoder().encode('SSH-2.0-OpenSSH_8.9\r\n');
  assert.equal(probe(ssh, 0, ssh.length), PROBE_NO);
  const rfbx = new TextEncoder().encode('RFB 00x.008\n');
  assert.equal(probe(rfbx, 0, rfbx.length), PROBE_NO);
});

test('a handshake split into single bytes gives the same session', { skip }, async () => {
  const flows = await flowBytes(corpus('zeek', 'traces', 'rfb', 'vncmac.pcap'));
  const f = flows.find((x) => x.oPort === 52353)!;
  const whole = feedAnalyzer(new RfbAnalyzer(), f.chunks).events.filter((e) => e.type === 'rfb.session');
  const bytes = f.chunks.flatMap((c) => Array.from(c.bytes.slice(0, 400), (b) => ({ isOrig: c.isOrig, bytes: Uint8Array.of(b) })));
  const split = feedAnalyzer(new RfbAnalyzer(), bytes).events.filter((e) => e.type === 'rfb.session');
  assert.deepEqual(split, whole);
  assert.equal(whole[0].width, 1920);
});

test('parsers and the analyzer survive truncation and mutation of real handshakes', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const p of [SV_PARSER, SV_FAILURE, corpus('zeek', 'traces', 'rfb', 'vnc-scanner.pcap')]) for (const f of await flowBytes(p)) for (const c of f.chunks.slice(0, 12)) seeds.push(c.bytes.slice(0, 512));
  fuzzParser(seeds, (b) => {
    parseVersion(b, 0, b.length);
    parseSecurityTypes(b, 0, b.length, true);
    parseSecurityTypes(b, 0, b.length, false);
    parseReason(b, 0, b.length);
    parseServerInit(b, 0, b.length);
    feedAnalyzer(new RfbAnalyzer(), [{ isOrig: false, bytes: b }, { isOrig: true, bytes: b }, { isOrig: false, bytes: b }]);
  });
});
