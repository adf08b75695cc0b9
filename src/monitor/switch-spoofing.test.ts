// Switch spoofing and VLAN hopping (l2.ts) on a generated capture of real implementations
// (test/fixtures/generated/dtp/generate.sh: a Linux bridge's access port sending BPDUs and
// advertising DTP in dynamic auto mode; a workstation that ARPs, then Yersinia asking for a trunk
// from a made-up MAC and from the workstation's own, then a double-tagged ping). Which frame is
// which comes from tshark's decode. Subsets and reorderings of the same real frames test what
// the capture does not show in its own order; the corpus's Q-in-Q captures must stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dtp-switch-spoofing.pcap');
/** tshark's rows: frame, time, eth src, VLAN ids, DTP version, domain, operating and administrative status, operating and administrative type, sender id, STP bridge, protocol column. */
const rows = readTsharkFields(join(GEN, 'dtp', 'tshark.tsv'));
const SWITCH_PORT = '02:97:0d:00:00:11';
const HOST = '02:97:0d:00:00:66';
const MADE_UP = '00:f5:7f:1e:7b:39';
const frameOf = (pred: (r: string[]) => boolean): number => Number(rows.find(pred)![0]);
const firstBpdu = frameOf((r) => r[12] === 'STP');
const hostArp = frameOf((r) => r[12] === 'ARP' && r[2] === HOST);
const madeUpDtp = frameOf((r) => r[12] === 'DTP' && r[2] === MADE_UP);
const hostDtp = frameOf((r) => r[12] === 'DTP' && r[2] === HOST);
const stacked = frameOf((r) => r[3] === '1,2');

/** The capture's frames (1-based numbers as tshark's) in a new capture, one second apart. */
function subset(frames: number[]): string {
  const all = pcapFrames(PCAP);
  return writePcap(frames.map((n, i) => ({ ts: 1_700_000_000 + i, frame: all[n - 1] })));
}

test("switch-spoofing: DTP desirable from the workstation (it ARPed) and from a made-up MAC on a link whose switch sent BPDUs; the switch's own DTP (auto) silent", async () => {
  // tshark: the switch port's DTP is access/auto (0x04); Yersinia's are access/desirable (0x03).
  assert.deepEqual(rows.filter((r) => r[12] === 'DTP').map((r) => [r[2], r[7]]).filter((x, i, a) => a.findIndex((y) => y[0] === x[0]) === i), [
    [SWITCH_PORT, '0x04'],
    [MADE_UP, '0x03'],
    [HOST, '0x03'],
  ]);
  const alerts = (await monitorCaptures([PCAP])).filter((a) => a.rule === 'switch-spoofing');
  assert.deepEqual(
    alerts.map((a) => [a.device, a.evidence.map((e) => e.packet)[0], a.evidence.find((e) => e.fact === 'dtp-request')!.packet]).sort(),
    [
      [`mac:${MADE_UP}`, firstBpdu, madeUpDtp],
      [`mac:${HOST}`, hostArp, hostDtp],
    ].sort(),
  );
  for (const a of alerts) {
    assert.equal(a.severity, 'high');
    assert.deepEqual(alertTechniques(a), ['T1599']);
  }
  assert.match(alerts.find((a) => a.device === `mac:${HOST}`)!.why, /^02:97:0d:00:00:66 asked for a trunk on the untagged link \(DTP trunk mode desirable, status access, 802\.1q encapsulation\) and is an end host, not a switch port: it sent ARP for 10\.97\.16\.66\./);
  assert.match(alerts.find((a) => a.device === `mac:${MADE_UP}`)!.why, /is not the link's switch port \(02:97:0d:00:00:11 is\): it sent no BPDU, nor CDP or LLDP naming a switch, within 6 s/);
});

test('switch-spoofing: a DTP request seen before the workstation ARPs is raised at the ARP; with no switch heard on the link, a lone requester is not judged', async () => {
  const later = (await monitorCaptures([subset([hostDtp, hostArp])])).filter((a) => a.rule === 'switch-spoofing');
  assert.deepEqual(later.map((a) => [a.device, a.evidence.map((e) => e.packet)]), [[`mac:${HOST}`, [1, 2]]]);
  const dtpOnly = rows.filter((r) => r[12] === 'DTP' && r[2] === MADE_UP).map((r) => Number(r[0]));
  assert.deepEqual(await monitorCaptures([subset(dtpOnly)]), []);
  // The made-up requester followed by a BPDU of its own would be a switch: here the switch's BPDU
  // comes from another MAC, so the request is raised once its grace has passed.
  const alerts = await monitorCaptures([subset([madeUpDtp, firstBpdu])]);
  assert.deepEqual(alerts.map((a) => a.rule), ['switch-spoofing']);
});

test('vlan-hopping: the workstation sends untagged ARP and a ping tagged VLAN 1 outside, 2 inside; in either order', async () => {
  const alerts = (await monitorCaptures([PCAP])).filter((a) => a.rule === 'vlan-hopping');
  assert.deepEqual(alerts.map((a) => [a.device, a.evidence.map((e) => e.packet)]), [[`mac:${HOST}`, [hostArp, stacked]]]);
  assert.equal(alerts[0].severity, 'high');
  assert.match(alerts[0].why, /^02:97:0d:00:00:66 sent a frame with two 802\.1Q tags \(tagged VLAN 1 outside, VLAN 2 inside\) and also untagged ones/);
  const reversed = (await monitorCaptures([subset([stacked, hostArp])])).filter((a) => a.rule === 'vlan-hopping');
  assert.deepEqual(reversed.map((a) => [a.device, a.evidence.map((e) => e.packet)]), [[`mac:${HOST}`, [2, 1]]]);
});

test("vlan-hopping: silent on the corpus's stacked tags — providers' Q-in-Q links (nDPI) and an ARP test's tagged frames (suricata-verify), whose MACs send nothing untagged", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  for (const p of [
    ['ndpi', 'pcap', 'dns.pcap'],
    ['ndpi', 'pcap', 'dtls.pcap'],
    ['ndpi', 'pcap', 'http_origin_different_than_host.pcap'],
    ['ndpi', 'pcap', 'ja3_lots_of_cipher_suites.pcap'],
    ['ndpi', 'pcap', 'tls_change_cipher.pcap'],
    ['suricata-verify', 'tests', 'arp', 'detect-arp-03-vlan', 'input.pcap'],
  ]) {
    const alerts = await monitorCaptures([corpus(...p)]);
    assert.deepEqual(alerts.filter((a) => a.rule === 'vlan-hopping' || a.rule === 'switch-spoofing'), [], p.join('/'));
  }
});
