// CVE-2020-1472 (Zerologon) from the traffic: the generated capture of a real attempt against a
// patched Samba 4.17 DC (test/fixtures/generated/README.md) is an exploitation attempt ('unknown'),
// Zeek's ordinary netlogon trace is nothing, and a DC's STATUS_SUCCESS to an all-zero credential
// ('yes') is shown on a SYNTHETIC copy of that capture with one response's status zeroed; then the
// monitor's brute-force detector on the refused retries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { runMonitor } from '../monitor/run.js';
import { assessCaptures, testKb } from './testutil.js';

const GENERATED = 'test/fixtures/generated/generated-zerologon-samba.pcap';
const DC = 'ip:10.99.0.2';
const CVE = 'CVE-2020-1472';
const kb = testKb();

test('the Samba capture is a Zerologon attempt on the DC: unknown, known-exploited, 30 tries, first attempt as evidence', async () => {
  const a = await assessCaptures([GENERATED]);
  try {
    const fs = a.result.findings.filter((f) => f.cves.includes(CVE));
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.device, DC);
    assert.equal(f.rule, 'known-exploited-vulnerability');
    assert.equal(f.kev, true);
    assert.equal(f.confirmed, false);
    assert.match(f.title, new RegExp(kb.kevOf(CVE)!.name));
    assert.match(f.detail, /30 netlogon authentications with an all-zero ClientCredential were sent to this domain controller from 10\.99\.0\.1, all refused/);
    // tshark: frame 22 is the first NetrServerAuthenticate3 request (ClientCredential 0000000000000000).
    assert.equal(f.evidence.length, 1);
    assert.deepEqual({ fact: f.evidence[0].fact, source: f.evidence[0].source, packet: f.evidence[0].packet, file: f.evidence[0].file }, { fact: 'zerologon-attempt', source: 'dce_rpc.netlogon_authenticate', packet: 22, file: GENERATED });
    assert.equal(f.evidence[0].ts, 1795915576.635351);
    // The client (10.99.0.1) is not flagged.
    assert.ok(!a.result.findings.some((x) => x.device !== DC && x.cves.includes(CVE)));
  } finally {
    a.run.cleanup();
  }
});

test("Zeek's dce_rpc_netlogon trace (an ordinary netlogon call) gives no CVE-2020-1472 finding", { skip: !haveCorpus() }, async () => {
  const a = await assessCaptures([corpus('zeek/traces/dce-rpc/dce_rpc_netlogon.pcapng')]);
  try {
    assert.ok(!a.result.findings.some((f) => f.cves.includes(CVE)));
  } finally {
    a.run.cleanup();
  }
});

test('SYNTHETIC: a DC answering an all-zero credential with STATUS_SUCCESS is vulnerable (yes), with that answer as evidence', async () => {
  // The real capture with the 10th NetrServerAuthenticate3 response's ReturnValue (its last four
  // octets, STATUS_ACCESS_DENIED 22 00 00 c0) set to STATUS_SUCCESS (wardline does not verify TCP checksums).
  const b = Buffer.from(readFileSync(GENERATED));
  const target = 23 + 4 * 9;
  let p = 24;
  for (let n = 1; n < target; n++) p += 16 + b.readUInt32LE(p + 8);
  const end = p + 16 + b.readUInt32LE(p + 8);
  assert.equal(b.readUInt32LE(end - 4), 0xc0000022);
  b.writeUInt32LE(0, end - 4);
  const dir = mkdtempSync(join(tmpdir(), 'wardline-zl-'));
  const path = join(dir, 'zerologon-success.pcap');
  writeFileSync(path, b);
  const a = await assessCaptures([path]);
  try {
    const f = a.result.findings.find((x) => x.cves.includes(CVE))!;
    assert.equal(f.device, DC);
    assert.equal(f.rule, 'known-exploited-vulnerability');
    assert.equal(f.confirmed, true);
    assert.match(f.detail, /accepted a netlogon authentication with an all-zero ClientCredential \(STATUS_SUCCESS after 29 refused tries\) from 10\.99\.0\.1/);
    // Findings order evidence by packet: the first refused attempt, then the accepted one's answer.
    assert.deepEqual(f.evidence.map((e) => [e.fact, e.packet]), [['zerologon-attempt', 22], ['zerologon-success', target]]);
  } finally {
    a.run.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the monitor's brute-force detector counts the refused all-zero authenticates", async () => {
  const r = await runMonitor({ input: { kind: 'replay', path: GENERATED } });
  const b = r.alerts.filter((x) => x.rule === 'brute-force');
  assert.equal(b.length, 1);
  assert.match(b[0].why, /10\.99\.0\.1 sent \d+ netlogon authentications with an all-zero credential to 10\.99\.0\.2, refused \(Zerologon/);
});
