// 802.1p priority tags: an 802.1Q tag whose VLAN id is 0 carries only a priority, and the frame
// belongs to the port's untagged VLAN (802.1Q §9.6). IP phones in dot1p mode and NICs with
// priority tagging send them while their peers answer untagged. The capture (tshark's reading
// beside it: the client's frames tagged VLAN 0 priority 5, the server's untagged) is one link:
// one connection, no VLAN in the logs, one segment by subnet — not a "VLAN 0" of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from '../inventory/testutil.js';

const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'priority-tag');
const pcap = join(dir, 'generated-priority-tag.pcap');

test('priority-tagged frames are on the untagged link (generated-priority-tag.pcap)', async () => {
  const rows = readTsharkFields(join(dir, 'generated-priority-tag.tshark.tsv')).slice(1);
  const client = rows.filter((r) => r[4] === '10.97.0.10');
  const server = rows.filter((r) => r[4] === '10.97.0.20');
  assert.ok(client.length > 0 && client.every((r) => r[2] === '0' && r[3] === '5'));
  assert.ok(server.length > 0 && server.every((r) => r[2] === ''));
  const run = await runCaptures([pcap]);
  try {
    const conns = run.log('conn');
    // The ping and the HTTP connection, each one connection whichever way its frames were tagged.
    assert.deepEqual(conns.map((c) => [c.proto, c.service ?? '-', c.vlan]), [['icmp', '-', undefined], ['tcp', 'http', undefined]]);
    assert.ok(run.log('arp').every((a) => a.vlan === undefined));
  } finally {
    run.cleanup();
  }
  const r = await runPipeline([pcap], { outDir: null, kb: testKb() }, INVENTORY);
  assert.deepEqual(r.report.segments.map((s) => s.id), ['10.97.0.0/24']);
});
