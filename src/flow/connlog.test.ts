// The byte-level conn.log writer must produce exactly the record connRecord() builds, for every
// kind of connection the corpus holds (TCP/UDP/ICMP, IPv4/IPv6, VLANs, services, histories).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connRecord, writeConnRecord } from './connlog.js';
import { LogWriter } from '../report/logwriter.js';
import { corpus, haveCorpus, runCaptures } from '../testutil/corpus.js';
import { tempDir } from '../testutil/tmp.js';

const skip = !haveCorpus() && 'shared corpus not present';

test('writeConnRecord() writes the same line as connRecord()', { skip }, async () => {
  const files = ['zeek/traces/wikipedia.pcap', 'zeek/traces/ftp/ipv6.pcap', 'ndpi/pcap/dhcp-fuzz.pcapng', 'zeek/traces/tls/tls1.2.pcap', 'arkime/tests/pcap/cloudshark-arp.pcap'].map((f) => corpus(...f.split('/')));
  const run = await runCaptures(files);
  try {
    const path = join(tempDir('wardline-connlog-'), 'conn.log');
    const w = new LogWriter(path);
    for (const c of run.conns) writeConnRecord(w, c);
    await w.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, run.conns.length);
    assert.ok(lines.length > 20);
    run.conns.forEach((c, k) => assert.equal(lines[k], connRecord(c)));
  } finally {
    run.cleanup();
  }
});
