// The ghostcat detector on the generated AJP capture (test/fixtures/generated/ajp/generate.sh):
// the Ghostcat file read from 10.98.0.66 alerts; the web server's forwarded request (with its
// own attributes and secret) and Nmap's ajp-headers/ajp-methods/ajp-request do not; nor does
// nDPI's mod_jk traffic with its route and JK_LB_ACTIVATION attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import type { Alert } from '../report/alert.js';

const GENERATED = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-ajp.pcap');
const NDPI = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-ajp.pcap');

async function alerts(pcap: string): Promise<Alert[]> {
  const m = new Monitor({ fileName: () => pcap });
  const run = await runCaptures([pcap], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  return m.finish().filter((a) => a.rule === 'ghostcat');
}

test('ghostcat: one high alert for the javax.servlet.include.* request, with its packet as evidence', async () => {
  const got = await alerts(GENERATED);
  assert.equal(got.length, 1);
  const a = got[0];
  assert.deepEqual([a.device, a.peer, a.severity, a.count], ['ip:10.98.0.66', '10.98.0.20', 'high', 1]);
  assert.match(a.why, /GET \/asdf\) with javax\.servlet\.include\.\* attributes asking for \/WEB-INF\/web\.xml; the container answered 200 \(the file was served\)/);
  assert.deepEqual(a.evidence.map((e) => [e.fact, e.source, e.packet, e.file]), [['ghostcat', 'ajp.exchange', 59, GENERATED]]);
});

test("ghostcat: a web server's own attributes and route raise nothing", async () => {
  assert.deepEqual(await alerts(NDPI), []);
});
