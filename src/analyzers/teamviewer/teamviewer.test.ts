// TeamViewer on port 5938: a real session from nDPI's test captures (test/fixtures/ndpi, an
// extract of the benchmark's merged file; the corpus copy holds only a fuzzing seed), and
// synthetic flows written from the signature nDPI's dissector documents (TCP messages starting
// 17 24, UDP datagrams with 17 24 at offset 11; the rest of each message is filler) for the
// probe's and the confirmation's edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { tcpConversationFrames, writePcap } from '../../testutil/pcapwriter.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';
import { PROBE_MAYBE, PROBE_NO } from '../types.js';
import { TeamViewerAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

const msg = (first: number, second: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i === 0 ? first : i === 1 ? second : (i * 7) & 0xff));

test('probe() says maybe on port 5938 for the magic and no elsewhere (synthetic)', () => {
  const m = msg(0x17, 0x24, 40);
  assert.equal(probe(m, 0, m.length, true, 6, 5938), PROBE_MAYBE);
  assert.equal(probe(m, 0, m.length, true, 6, 443), PROBE_NO);
  const other = msg(0x16, 0x03, 40);
  assert.equal(probe(other, 0, other.length, true, 6, 5938), PROBE_NO);
  const udp = new Uint8Array(40);
  udp[11] = 0x17;
  udp[12] = 0x24;
  assert.equal(probe(udp, 0, udp.length, true, 17, 5938), PROBE_MAYBE);
});

test('the service is confirmed only when both sides speak it (synthetic)', () => {
  const one = feedAnalyzer(new TeamViewerAnalyzer(), [{ isOrig: true, bytes: msg(0x17, 0x24, 40) }, { isOrig: false, bytes: msg(0x48, 0x54, 40) }]);
  assert.deepEqual(one.services, []);
  const both = feedAnalyzer(new TeamViewerAnalyzer(), [{ isOrig: true, bytes: msg(0x17, 0x24, 40) }, { isOrig: false, bytes: msg(0x11, 0x30, 24) }]);
  assert.deepEqual(both.services, ['teamviewer']);
  assert.deepEqual(both.events.map((e) => e.type), ['teamviewer.session']);
  fuzzParser([msg(0x17, 0x24, 40), msg(0x11, 0x30, 24)], (b) => {
    feedAnalyzer(new TeamViewerAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }]);
  });
});

test('a workstation speaking TeamViewer to its router on 5938 runs a remote-access tool (synthetic)', async () => {
  const path = writePcap(
    tcpConversationFrames({
      client: '10.30.0.15',
      server: '203.0.113.80',
      cport: 50211,
      sport: 5938,
      t0: 1764400000,
      turns: [
        { isOrig: true, bytes: msg(0x17, 0x24, 64) },
        { isOrig: false, bytes: msg(0x17, 0x24, 48) },
        { isOrig: true, bytes: msg(0x11, 0x30, 32) },
      ],
    }),
  );
  try {
    await assertTeamViewerClient(path, '10.30.0.15');
  } finally {
    rmSync(dirname(path), { recursive: true, force: true });
  }
});

test("nDPI's TeamViewer session (test/fixtures/ndpi: ndpiReader says TeamViewer, RemoteAccess) is teamviewer, and its client runs a remote-access tool", async () => {
  await assertTeamViewerClient(join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-teamviewer.pcap'), '10.0.2.15');
});

/** The capture's one connection is TeamViewer on 5938, and `client` gets one remote-access finding and the tool as software. */
async function assertTeamViewerClient(path: string, client: string): Promise<void> {
  const run = await runCaptures([path]);
  try {
    assert.deepEqual(run.conns.map((c) => [c.rPort, c.service]), [[5938, 'teamviewer']]);
  } finally {
    run.cleanup();
  }
  const { report } = await runPipeline([path], { outDir: null, kb: testKb() }, INVENTORY);
  const f = report.findings.filter((x) => x.rule === 'remote-access');
  assert.equal(f.length, 1);
  assert.equal(f[0].title, 'Remote-access software in use: TeamViewer');
  const d = report.devices.find((x) => x.id === f[0].device)!;
  assert.ok(d.ips.includes(client));
  assert.ok(d.software.some((s) => String(s).includes('TeamViewer')));
}
