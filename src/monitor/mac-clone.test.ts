// A MAC used by another system (mac-clone.ts) on a generated capture of real implementations
// (test/fixtures/generated/mac-clone/generate.sh: dnsmasq; BusyBox udhcpc as an embedded device,
// a lease and a renewal; then ISC dhclient on the same interface and MAC). The fingerprints are
// tshark's reading of option 55 and option 60.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-mac-clone.pcap');
/** tshark's rows: frame, source MAC, DHCP message type (1 DISCOVER, 3 REQUEST), client MAC, option 55, vendor class, host name. */
const rows = readTsharkFields(join(GEN, 'mac-clone', 'tshark.tsv'));
const MAC = '02:97:95:00:00:30';
const client = rows.filter((r) => r[1] === MAC);

test("mac-clone: the device's MAC asking DHCP with another client's option 55 and no vendor class is judged, citing the first and the changed fingerprint of each message type", async () => {
  const prls = [...new Set(client.map((r) => `${r[5]}|${r[4]}`))];
  assert.deepEqual(prls, ['udhcp 1.35.0|1,3,6,12,15,28,42', '|1,28,2,3,15,6,119,12,44,47,26,121,42']);
  const first = (type: string): number => Number(client.find((r) => r[2] === type)![0]);
  const changed = (type: string): number => Number(client.find((r) => r[2] === type && r[5] === '')![0]);
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['mac-clone', `mac:${MAC}`, 'medium', 2, [first('1'), changed('1'), first('3'), changed('3')]]],
  );
  assert.match(alerts[0].why, /^02:97:95:00:00:30 asked DHCP \(REQUEST\) with another client's fingerprint than before: option 55 1,3,6,12,15,28,42 → 1,28,2,3,15,6,119,12,44,47,26,121,42; vendor class "udhcp 1\.35\.0" → none/);
});

test('mac-clone: the device alone — its lease and its renewal with one fingerprint — raises nothing', async () => {
  // Every frame before dhclient's first.
  const frames = pcapFrames(PCAP).slice(0, Number(client.find((r) => r[5] === '')![0]) - 1);
  assert.ok(frames.length >= 8);
  assert.deepEqual(await monitorCaptures([writePcap(frames.map((frame, i) => ({ ts: 1_700_000_000 + i, frame })))]), []);
});

test("mac-clone: the corpus's DHCP captures (Zeek, nDPI, Arkime) raise nothing", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const paths = [
    ['zeek', 'traces', 'dhcp', 'dhcp.pcap'],
    ['zeek', 'traces', 'dhcp', 'dhcp_discover_param_req_and_client_id.pcap'],
    ['zeek', 'traces', 'dhcp', 'dhcp_time_and_nameserver.pcap'],
    ['ndpi', 'pcap', 'dhcp-fuzz.pcapng'],
    ['arkime', 'tests', 'pcap', 'wireshark-dhcp.pcap'],
  ];
  for (const p of paths) {
    assert.deepEqual((await monitorCaptures([corpus(...p)])).filter((a) => a.rule === 'mac-clone'), [], p.join('/'));
  }
});
