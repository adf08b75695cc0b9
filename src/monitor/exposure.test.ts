// The monitor's internet-exposure alert on the generated capture of a PACS answering an Internet
// host (test/fixtures/generated/exposure: DICOM at frame 13, SNMP at 49, SSH at 51; the PACS's own
// fetches from that host at 78 and 90). The device categories are given here as the inventory would
// give them (pacs), or left unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import type { MonitorConfig } from './config.js';
import type { Alert } from '../report/alert.js';
import type { Category } from '../report/model.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-internet-exposure.pcap');

async function alerts(config: Partial<MonitorConfig>, category?: (ip: string) => Category | null): Promise<Alert[]> {
  const m = new Monitor({ config, fileName: () => PCAP, ...(category !== undefined ? { deviceCategory: (ip: string) => category(ip) } : {}) });
  const run = await runCaptures([PCAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  return m.finish().filter((a) => a.rule === 'internet-exposure');
}

test('internet-exposure (monitor): each service of a PACS the Internet host reached, critical for DICOM and SNMP', async () => {
  const a = await alerts({}, (ip) => (ip === '10.98.0.10' ? 'pacs' : null));
  assert.deepEqual(
    a.map((x) => [x.device, x.peer, x.severity, x.evidence[0].packet, x.why]).sort((x, y) => Number(x[3]) - Number(y[3])),
    [
      ['ip:10.98.0.10', '185.220.101.7', 'critical', 13, 'pacs device 10.98.0.10 answered Internet host 185.220.101.7 on tcp/104 (dicom), clinical messaging or imaging: the perimeter lets the Internet reach it'],
      ['ip:10.98.0.10', '185.220.101.7', 'critical', 49, 'pacs device 10.98.0.10 answered Internet host 185.220.101.7 on udp/161 (snmp), management or file transfer in clear text: the perimeter lets the Internet reach it'],
      ['ip:10.98.0.10', '185.220.101.7', 'high', 51, 'pacs device 10.98.0.10 answered Internet host 185.220.101.7 on tcp/22 (ssh): the perimeter lets the Internet reach it'],
    ],
  );
});

test('internet-exposure (monitor): a device of unknown category is reported for DICOM and SNMP, not SSH; off in analyze', async () => {
  const a = await alerts({});
  assert.deepEqual(a.map((x) => [x.severity, x.evidence[0].packet]).sort((x, y) => Number(x[1]) - Number(y[1])), [['high', 13], ['high', 49]]);
  assert.deepEqual(await alerts({ postureAlerts: false }), []);
  // The site's own range: nothing came from the Internet.
  assert.deepEqual(await alerts({ internalNets: ['10.0.0.0/8', '185.220.101.0/24'] }), []);
});
