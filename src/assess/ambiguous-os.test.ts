// An OS known only as one of several Windows releases (p0f's "Windows 7 or 8"): end of support
// is judged on every alternative, and CVEs of each may apply but none "by identity".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import type { Device } from '../report/model.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { windowsCandidatesOf, windowsVersionOf } from './identity.js';
import { testKb } from './testutil.js';

const skip = !haveCorpus();

const dev = (name: string, version: string | null = null): Device => ({ os: { name, version, family: 'Windows', eol: null, eol_date: null, confidence: 0.6 } }) as Device;

test('windowsCandidatesOf() reads every alternative of a release name, one version when stated', () => {
  assert.deepEqual(windowsCandidatesOf(dev('Windows 7 or 8')).map((v) => `${v.major}.${v.minor}`), ['6.1', '6.2']);
  assert.equal(windowsVersionOf(dev('Windows 7 or 8')), null);
  assert.deepEqual(windowsCandidatesOf(dev('Windows 7 or Windows Server 2008 R2', '6.1.7601')).map((v) => `${v.major}.${v.minor}.${v.build}`), ['6.1.7601']);
  assert.deepEqual(windowsVersionOf(dev('Windows XP')), { major: 5, minor: 1, build: 0, server: false });
  assert.deepEqual(windowsCandidatesOf(dev('Windows NT kernel')), []);
  assert.deepEqual(windowsCandidatesOf(dev('Windows 10 or 11')), [], 'no release named by number: nothing to judge');
});

test("analyze: p0f's 'Windows 7 or 8' gives end of support of both and CVEs that may apply (krb5-tcp.pcap)", { skip }, async () => {
  // The KDC's SYN+ACK (packet 2) matches p0f's "Windows 7 or 8" signature exactly; no other
  // signal names the release. It came through a router (TTL 124), so the KDC is its address.
  const run = await runPipeline([corpus('arkime/tests/pcap/krb5-tcp.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  const d = run.report.devices.find((x) => x.id === 'ip:10.11.11.11');
  assert.ok(d !== undefined);
  assert.equal(d.os?.name, 'Windows 7 or 8');
  assert.equal(d.os?.eol, true);
  // Windows 8 ended 2016-01-12, Windows 7 SP1 2020-01-14 (endoflife.date): the later one.
  assert.equal(d.os?.eol_date, '2020-01-14');
  const fs = run.report.findings.filter((f) => f.device === d.id);
  const eol = fs.find((f) => f.rule === 'eol-os');
  assert.match(eol?.detail ?? '', /may be Windows 7 or Windows 8/);
  const cves = fs.filter((f) => f.rule === 'vulnerability' || f.rule === 'known-exploited-vulnerability');
  assert.ok(cves.length > 0);
  for (const f of cves) {
    assert.match(f.detail, /may apply/, f.id);
    assert.doesNotMatch(f.detail, /by identity/, f.id);
  }
  assert.notEqual(d.risk.level, 'critical', 'a fingerprint alone does not make a device critical');
});
