// TLS in captures cut by a snap length (editcap -s 128 of Zeek's TLS traces): a hello's record no
// longer fits in its frame. tshark still reads each frame's record type (handshake, 22) but not the
// message; nDPI still names the flows TLS (by address or port, not by their bytes); Zeek, which
// drops cut segments, names nothing. The hello's record and handshake headers are TLS beyond
// doubt, so the connection is `ssl`, with nothing made up about what the hello said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';

const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'snaplen');

for (const name of ['chrome-34-google', 'tls1.2']) {
  test(`${name}.pcap cut to 128 bytes: the connection is TLS, its hellos seen but not read`, async () => {
    const rows = readTsharkFields(join(dir, `${name}-snap128.tshark.tsv`)).slice(1);
    // tshark: each side's first data frame is a handshake record it cannot read further.
    const first = (port: string) => rows.find((r) => (r[2] === '443') === (port === '443'))!;
    assert.equal(first('client')[3], '22');
    assert.equal(first('443')[3], '22');
    assert.ok(rows.every((r) => r[4] === ''));
    const ndpi = readFileSync(join(dir, `${name}-snap128.ndpi.txt`), 'utf8').trim().split('\n');
    assert.equal(ndpi.length, 1);
    assert.match(ndpi[0], /\[proto: 91(\.\d+)?\/TLS/);
    const run = await runCaptures([join(dir, `${name}-snap128.pcap`)]);
    try {
      assert.deepEqual(run.log('conn').map((c) => c.service), ['ssl']);
      const [ssl, ...more] = run.log('ssl');
      assert.equal(more.length, 0);
      assert.equal(ssl.ssl_history, 'Cs');
      for (const k of ['version', 'cipher', 'server_name', 'ja3', 'ja4']) assert.equal(ssl[k], undefined, k);
      assert.equal(run.log('weird').length, 0);
    } finally {
      run.cleanup();
    }
  });
}
