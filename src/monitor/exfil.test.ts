// Bulk uploads to the Internet (exfil.ts) on a generated capture (test/fixtures/generated/exfil/
// generate.sh: curl PUTting a 30 MB archive over HTTPS to an Internet host, and another host
// downloading 30 MB from it; large frames cut to 128 bytes, handshakes whole). Bytes each way
// are tshark's TCP payload lengths (from the IP headers, so whole for the cut frames); the
// server name is tshark's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-exfil-upload.pcap');
/** tshark's rows: frame, source, destination, TCP payload length. */
const segs = readTsharkFields(join(GEN, 'exfil', 'tcp.tsv'));
const sni = readTsharkFields(join(GEN, 'exfil', 'sni.tsv'));
const WS = '10.97.95.20';
const LAB = '10.97.95.21';
const INET = '198.51.100.90';
const bytes = (src: string, dst: string): number => segs.filter((r) => r[1] === src && r[2] === dst).reduce((n, r) => n + Number(r[3]), 0);

test('data-exfiltration: a 30 MB upload to an Internet host is raised at a 20 MB threshold; the download is not', async () => {
  const up = bytes(WS, INET);
  const back = bytes(INET, WS);
  assert.ok(up > 30e6 && back < 10e3, `${up} ${back}`);
  assert.ok(bytes(INET, LAB) > 30e6 && bytes(LAB, INET) < 10e3);
  const name = sni.find((r) => r[1] === WS)![2];

  const cfg = { exfilBytes: 20_000_000 };
  const alerts = await monitorCaptures([PCAP], cfg);
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.peer, a.severity]), [['data-exfiltration', `ip:${WS}`, INET, 'medium']]);
  const a = alerts[0];
  assert.equal(a.why, `${WS} sent ${(up / 1e6).toFixed(1)} MB to ${INET} (${name}) on port 443 in 1 connection within 60 minutes, receiving ${(back / 1e3).toFixed(1)} kB: a bulk upload to the Internet, how data is stolen before ransomware encrypts it (MITRE ATT&CK T1567, exfiltration over a web service). If the destination is a sanctioned backup or cloud service, list it in exfilAllow`);
  assert.deepEqual(alertTechniques(a), ['T1567']);
  assert.deepEqual(a.evidence.map((e) => e.packet), [Number(segs.find((r) => r[1] === WS)![0])]);
  // The default threshold (100 MB), and the destination allowed by name or address: silent.
  for (const more of [{ exfilBytes: 100_000_000 }, { ...cfg, exfilAllow: ['example-share.net'] }, { ...cfg, exfilAllow: [`${INET}/32`] }]) {
    assert.deepEqual(await monitorCaptures([PCAP], more), [], JSON.stringify(more));
  }
});
