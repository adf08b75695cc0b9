// DNS in a capture cut by a snap length: nDPI's dns_ambiguous_names.pcap cut to 100 bytes with
// editcap (test/fixtures/generated/snaplen). Most answers lose their records, no question is
// cut. tshark still reads each message's id and question (the .tshark.tsv beside the capture);
// so does wardline, and a cut datagram is no damage: no weird, and the flows are still DNS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';

const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'snaplen');

test('dns_ambiguous_names.pcap cut to 100 bytes: every query as tshark reads it, the flows DNS, no weird', async () => {
  const rows = readTsharkFields(join(dir, 'dns_ambiguous_names-snap100.tshark.tsv')).slice(1);
  const cut = rows.filter((r) => Number(r[1]) < Number(r[2]));
  assert.ok(cut.length >= 10, 'most messages are cut');
  const queries = rows.filter((r) => r[5] === '0');
  const run = await runCaptures([join(dir, 'dns_ambiguous_names-snap100.pcap')]);
  try {
    assert.equal(run.result.inputs[0].cut_packets, cut.length);
    const dns = run.log('dns');
    assert.deepEqual(
      dns.map((l) => [l.trans_id, l.query]),
      queries.map((r) => [parseInt(r[4], 16), r[6]]),
    );
    const conns = run.log('conn');
    assert.equal(conns.length, queries.length);
    assert.ok(conns.every((c) => c.service === 'dns'));
    assert.deepEqual(run.result.weirds, {});
  } finally {
    run.cleanup();
  }
});
