// Syslog against real captures: Zeek's syslog.log baselines (UDP, and TCP with mixed octet
// counting and LF framing), Zeek's conn.log service column, nDPI's TCP syslog flow; the
// parser and framer under fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { writeUdpPcap } from '../../testutil/pcapwriter.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr } from '../../flow/connlog.js';
import { frame } from './analyzer.js';
import { parseSyslog } from './parse.js';
import { probe } from './probe.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import type { SyslogMessageEvent } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const baselines = skip ? [] : zeekBaselines('syslog.log');
const UDP = 17;
const TCP = 6;
const FIELDS = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'facility', 'severity', 'message'];

test('the corpus has Zeek syslog.log baselines to compare with', { skip }, () => {
  assert.ok(baselines.length >= 2);
});

for (const { trace, baseline } of baselines) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`syslog.log matches Zeek's baseline ${name}`, { skip: skip || !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('syslog');
      assert.equal(got.length, want.length);
      want.forEach((w, i) => {
        for (const f of FIELDS) if (f in w) assert.equal(String(got[i][f]), w[f], `line ${i + 1} ${f}`);
      });
      // The conn.log next to the baseline (a cut one) names the service.
      const zc = join(dirname(baseline), 'conn.log');
      const svc = existsSync(zc) ? readZeekTsv(zc).map((r) => r.service) : [got[0].proto === 'udp' ? 'syslog' : 'syslog_tcp'];
      assert.deepEqual(run.conns.map((c) => c.service), svc);
    } finally {
      run.cleanup();
    }
  });
}

test("TCP syslog is found where nDPI finds it, starting mid-stream (rsh-syslog-false-positive)", { skip }, async () => {
  const [f] = ndpiFlows(corpus('ndpi', 'result', 'rsh-syslog-false-positive.pcap.out'));
  assert.equal(f.app, 'Syslog');
  const run = await runCaptures([corpus('ndpi', 'pcap', 'rsh-syslog-false-positive.pcap')]);
  try {
    const c = run.conns.find((k) => origAddr(k) === f.a && k.oPort === f.aPort);
    assert.equal(c?.service, 'syslog_tcp');
    const evs = run.result.events.map((k) => k.ev).filter((e): e is SyslogMessageEvent => e.type === 'syslog.message');
    // tshark: "<167>2016-05-24T09:50:52.926451+02:00 ldap01 slapd[34534]: conn=1159023 …"
    assert.deepEqual([evs[0].facility, evs[0].severity, evs[0].hostname, evs[0].app_name, evs[0].proc_id], [20, 7, 'ldap01', 'slapd', '34534']);
    assert.ok(evs.every((e) => e.message.length <= 4 * 1024));
  } finally {
    run.cleanup();
  }
});

test('probe() accepts syslog on any port, also octet-counted over TCP, and refuses DNS, NTP and DHCP', { skip }, async () => {
  for (const p of await payloads(corpus('zeek', 'traces', 'syslog-single-udp.pcap'))) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_YES);
  const tcp = await payloads(corpus('zeek', 'traces', 'tcp-syslog.pcap'));
  assert.equal(tcp[0].bytes[0], 0x35, 'the first segment starts with an octet count');
  for (const p of tcp) assert.equal(probe(p.bytes, 0, p.bytes.length, true, TCP), PROBE_YES);
  for (const f of [corpus('ndpi', 'pcap', 'dns.pcap'), corpus('zeek', 'traces', 'ntp', 'ntp.pcap'), corpus('zeek', 'traces', 'dhcp', 'dhcp.pcap')]) {
    for (const p of await payloads(f, { proto: UDP })) assert.equal(probe(p.bytes, 0, p.bytes.length, true, UDP), PROBE_NO);
  }
});

test('syslog on a non-standard UDP port is analysed after probing', { skip }, async () => {
  // The same real datagram, re-addressed to port 5140 (synthetic capture built in memory).
  const [p] = await payloads(corpus('zeek', 'traces', 'syslog-single-udp.pcap'));
  const path = writeUdpPcap([{ ts: 1365191811, src: '127.0.0.1', sport: 57067, dst: '127.0.0.1', dport: 5140, payload: p.bytes }]);
  const run = await runCaptures([path]);
  try {
    assert.equal(run.conns[0].rPort, 5140);
    assert.equal(run.conns[0].service, 'syslog');
    assert.equal(run.log('syslog')[0].facility, 'LOCAL0');
  } finally {
    run.cleanup();
  }
});

test('parseSyslog() reads RFC 5424 header fields (synthetic: RFC 5424 §6.5 example 1, no such capture)', () => {
  const s = Buffer.from("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM'su root' failed for lonvick on /dev/pts/8");
  const m = parseSyslog(s, 0, s.length);
  assert.deepEqual([m.facility, m.severity, m.format, m.hostname, m.app_name, m.proc_id, m.msg_id], [4, 2, 'rfc5424', 'mymachine.example.com', 'su', undefined, 'ID47']);
});

test('frame() and parseSyslog() survive truncation and mutation of real messages', { skip }, async () => {
  const seeds = [
    ...(await payloads(corpus('zeek', 'traces', 'syslog-single-udp.pcap'))),
    ...(await payloads(corpus('zeek', 'traces', 'tcp-syslog.pcap'))),
    ...(await payloads(corpus('ndpi', 'pcap', 'rsh-syslog-false-positive.pcap'))).slice(0, 2),
  ].map((p) => p.bytes);
  fuzzParser(seeds, (b) => {
    parseSyslog(b, 0, b.length);
    frame(b, 0, b.length);
    probe(b, 0, b.length, true, TCP);
  }, { mutations: 200 });
});
