// A Linux distribution release is no CVE identity for the packages NVD lists it for: the
// Ubiquiti router of nDPI's ssh_unidirectional.pcap announces "OpenSSH_7.4p1 Debian-10+deb9u7"
// (Debian 9), which NVD's CVE-2020-1472 record lists for Debian's samba package. The router gets
// its end-of-life finding, not a known-exploited Netlogon vulnerability.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { testKb } from './testutil.js';

test('Debian 9 from an SSH banner: eol-os, and no CVE matched through the distribution alone', { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const run = await runPipeline([corpus('ndpi/pcap/ssh_unidirectional.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  const d = run.report.devices.find((x) => x.ips.includes('192.168.2.1'));
  assert.equal(d?.os?.name, 'Debian 9');
  const fs = run.report.findings.filter((f) => f.device === d.id);
  assert.ok(fs.some((f) => f.rule === 'eol-os'));
  for (const f of fs.filter((x) => x.rule === 'vulnerability' || x.rule === 'known-exploited-vulnerability')) {
    assert.doesNotMatch(f.detail, /debian:debian_linux/, f.id);
  }
  assert.ok(!fs.some((f) => f.cves.includes('CVE-2020-1472')));
});
