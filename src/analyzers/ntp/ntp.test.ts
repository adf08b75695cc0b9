// NTP against real captures: Zeek's ntp.log baseline, Suricata's ntp-keywords EVE counts,
// nDPI's NTPv2/3/4 results (including off-port and mode 7 monlist) and Zeek's known_services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { ndpiFlows, suricataChecks } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr, respAddr } from '../../flow/connlog.js';
import { parseNtp } from './parse.js';
import { probe } from './probe.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import type { NtpMessageEvent } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const baselines = skip ? [] : zeekBaselines('ntp.log');
const UDP = 17;
const FIELDS = ['version', 'mode', 'stratum', 'poll', 'precision', 'root_delay', 'root_disp', 'ref_id', 'ref_time', 'org_time', 'rec_time', 'xmt_time', 'num_exts'];
const TEXT = new Set(['ref_id']);

test('the corpus has a Zeek ntp.log baseline to compare with', { skip }, () => {
  assert.ok(baselines.length >= 1);
});

for (const { trace, baseline } of baselines) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`ntp.log matches Zeek's baseline ${name}`, { skip: skip || !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('ntp');
      assert.equal(got.length, want.length);
      const key = (r: Record<string, unknown>): string => `${r['id.orig_h']}:${r['id.orig_p']}>${r['id.resp_h']}:${r['id.resp_p']} ${Number(r.xmt_time).toFixed(6)}`;
      const mine = new Map(got.map((g) => [key(g), g]));
      for (const w of want) {
        const g = mine.get(key(w));
        assert.ok(g, `record ${key(w)}`);
        for (const f of FIELDS) {
          // Zeek's TSV prints intervals and times with 6 decimals.
          if (TEXT.has(f)) assert.equal(g[f], w[f], `${key(w)} ${f}`);
          else assert.ok(Math.abs(Number(g[f]) - Number(w[f])) < 1e-6 + 1e-12 * Math.abs(Number(w[f])), `${key(w)} ${f}: ${g[f]} vs ${w[f]}`);
        }
      }
      assert.ok(run.conns.every((c) => c.service === 'ntp'));
    } finally {
      run.cleanup();
    }
  });
}

/** Suricata prints reference ids as colon-separated hex; wardline prints them as Zeek does. */
function refIdHex(ev: NtpMessageEvent): string {
  const s = String(ev.ref_id);
  const bytes = (ev.stratum ?? 0) >= 2 ? s.split('.').map(Number) : [...s.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))].map((ch) => ch.charCodeAt(0));
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

test("NTP messages match the counts of Suricata's ntp-keywords EVE expectations", { skip }, async () => {
  const dir = corpus('suricata-verify', 'tests', 'ntp-keywords');
  const checks = suricataChecks(`${dir}/test.yaml`).filter((c) => c.match.event_type === 'ntp');
  const run = await runCaptures([`${dir}/input.pcap`]);
  try {
    const evs = run.result.events.map((k) => k.ev).filter((e): e is NtpMessageEvent => e.type === 'ntp.message');
    for (const c of checks) {
      const n = evs.filter((e) => {
        const x = c.match;
        if (x['ntp.version'] !== undefined && e.version !== Number(x['ntp.version'])) return false;
        if (x['ntp.stratum'] !== undefined && e.stratum !== Number(x['ntp.stratum'])) return false;
        if (x['ntp.mode'] !== undefined && e.mode !== Number(x['ntp.mode'])) return false;
        if (x['ntp.reference_id'] !== undefined && refIdHex(e) !== x['ntp.reference_id']) return false;
        return true;
      }).length;
      assert.equal(n, c.count, JSON.stringify(c.match));
    }
    assert.equal(run.log('ntp').length, evs.length);
  } finally {
    run.cleanup();
  }
});

test("NTP is found where nDPI finds it, on port 80 too, including an NTPv2 mode 7 monlist reply", { skip }, async () => {
  for (const f of ['NTPv2.pcap', 'NTPv3.pcap', 'NTPv4.pcap']) {
    const flows = ndpiFlows(corpus('ndpi', 'result', `${f}.out`));
    const run = await runCaptures([corpus('ndpi', 'pcap', f)]);
    try {
      for (const fl of flows) {
        assert.equal(fl.app, 'NTP');
        const c = run.conns.find((k) => [origAddr(k), respAddr(k)].includes(fl.a) && [origAddr(k), respAddr(k)].includes(fl.b));
        assert.equal(c?.service, 'ntp', `${f} ${fl.a} > ${fl.b}:${fl.bPort}`);
      }
      const ev = run.result.events.map((k) => k.ev as NtpMessageEvent).find((e) => e.type === 'ntp.message');
      // tshark: "NTP Version 2, private, Response, MON_GETLIST_1" (request code 42).
      if (f === 'NTPv2.pcap') assert.deepEqual([ev?.version, ev?.mode, ev?.private_request, ev?.is_response], [2, 7, 42, true]);
      else assert.equal(ev?.version, Number(f[4]));
      // Mode 7 is not in ntp.log, as in Zeek.
      assert.equal(run.log('ntp').length, f === 'NTPv2.pcap' ? 0 : 1);
    } finally {
      run.cleanup();
    }
  }
});

test("NTP service is confirmed where Zeek's known_services saw NTP (var-services-std-ports)", { skip }, async () => {
  const known = readZeekTsv(corpus('zeek', 'baselines', 'scripts.policy.protocols.conn.known-services', 'knownservices-all.log')).filter((r) => r.service === 'NTP');
  assert.equal(known.length, 1);
  const run = await runCaptures([corpus('zeek', 'traces', 'var-services-std-ports.pcap')]);
  try {
    const c = run.conns.find((k) => respAddr(k) === known[0].host && k.rPort === Number(known[0].port_num));
    assert.equal(c?.service, 'ntp');
  } finally {
    run.cleanup();
  }
});

test('probe() accepts real NTP on any port and refuses DNS and DHCP', { skip }, async () => {
  for (const p of await payloads(corpus('zeek', 'traces', 'ntp', 'ntp.pcap'))) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_YES);
  for (const f of [corpus('ndpi', 'pcap', 'dns.pcap'), corpus('zeek', 'traces', 'dhcp', 'dhcp.pcap')]) {
    for (const p of await payloads(f, { proto: UDP })) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_NO, `${f} ${p.packet}`);
  }
});

test('parseNtp() survives truncation and mutation of real messages', { skip }, async () => {
  const seeds = [
    ...(await payloads(corpus('zeek', 'traces', 'ntp', 'ntp.pcap'))).slice(0, 2),
    ...(await payloads(corpus('ndpi', 'pcap', 'NTPv2.pcap'))),
    ...(await payloads(corpus('ndpi', 'pcap', 'NTPv3.pcap'))),
  ].map((p) => p.bytes);
  fuzzParser(seeds, (b) => {
    parseNtp(b, 0, b.length);
    probe(b, 0, b.length, true, UDP);
  });
});

test('parseNtp() counts NTPv4 extension fields and stops at a MAC (synthetic: none in the corpus)', () => {
  const hdr = new Uint8Array(48);
  hdr[0] = (4 << 3) | 3;
  hdr[1] = 2;
  const ext = new Uint8Array(16);
  ext[1] = 0x01;
  ext[3] = 16;
  const mac = new Uint8Array(20);
  mac[3] = 7;
  const b = new Uint8Array([...hdr, ...ext, ...ext, ...mac]);
  const m = parseNtp(b, 0, b.length);
  assert.ok(typeof m !== 'string');
  assert.equal(m.std?.numExts, 2);
  assert.equal(m.std?.keyId, 7);
});

test('an NTP MAC (key id and digest) never reaches an event or a log (real request + synthetic MAC)', { skip }, async () => {
  const { NtpAnalyzer } = await import('./analyzer.js');
  const { udpOutputs } = await import('../../testutil/secrets.js');
  const [p] = await payloads(corpus('zeek', 'traces', 'ntp', 'ntp.pcap'));
  const digest = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  const withMac = new Uint8Array([...p.bytes, 0, 0, 0, 42, ...digest]);
  const out = udpOutputs(new NtpAnalyzer(), [withMac], 123, 123).join('\n');
  assert.ok(out.includes('"mode":3'));
  const hex = Buffer.from(digest).toString('hex');
  assert.ok(!out.includes(hex) && !out.includes(Buffer.from(digest).toString('latin1')));
});
