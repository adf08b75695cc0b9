// Voice VLAN hopping (voice-vlan.ts) on a generated capture of real implementations
// (test/fixtures/generated/voice-vlan/generate.sh: lldpd as the switch's LLDP agent naming voice
// VLAN 110, lldpd as an IP phone, dnsmasq as the router and DHCP server of both VLANs, dhclient
// on a phone and on a workstation that then asks DHCP on the voice VLAN too; VLAN 110's frames
// tagged by tcprewrite). Which frame is which comes from tshark's decode; subsets of the same
// real frames test what the capture does not show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-voice-vlan-hop.pcap');
/** tshark's rows: frame, eth src, VLAN id, ARP sender address, DHCP message type, LLDP-MED class, policy application, policy VLAN. */
const rows = readTsharkFields(join(GEN, 'voice-vlan', 'tshark.tsv'));
const SWITCH = '02:97:6e:00:00:01';
const ROUTER = '02:97:6e:00:00:02';
const PHONE = '02:97:6e:00:00:20';
const PC = '02:97:6e:00:00:31';
const frameOf = (pred: (r: string[]) => boolean): number => Number(rows.find(pred)![0]);
/** The first LLDP-MED voice policy (application 1) naming VLAN 110. */
const policy = frameOf((r) => r[6] === '1' && r[7] === '110');
const dhcpOf = (mac: string, vlan: string): number => frameOf((r) => r[1] === mac && r[2] === vlan && r[4] !== '');

/** The capture's frames (tshark's numbers) but those `drop` says, in a new capture 0.1 s apart. */
function without(drop: (r: string[]) => boolean): string {
  const all = pcapFrames(PCAP);
  const keep = rows.filter((r) => !drop(r)).map((r) => all[Number(r[0]) - 1]);
  return writePcap(keep.map((frame, i) => ({ ts: 1_700_000_000 + i / 10, frame })));
}

test('voice-vlan-hopping: the workstation that asked DHCP untagged and on voice VLAN 110, citing the policy and both requests', async () => {
  // tshark: the switch's LLDP-MED class 4 (network connectivity) and the phone's class 3 name
  // voice VLAN 110; the phone, the workstation and the router all send on both links.
  assert.deepEqual([...new Set(rows.filter((r) => r[5] !== '').map((r) => `${r[1]} ${r[5]}`))].sort(), [`${SWITCH} 4`, `${PHONE} 3`]);
  for (const mac of [ROUTER, PHONE, PC]) assert.deepEqual([...new Set(rows.filter((r) => r[1] === mac && (r[3] !== '' || r[4] !== '')).map((r) => r[2]))].sort(), ['', '110'], mac);
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.severity, a.evidence.map((e) => e.packet)]),
    [['voice-vlan-hopping', `mac:${PC}`, 'high', [policy, dhcpOf(PC, ''), dhcpOf(PC, '110')]]],
  );
  assert.match(alerts[0].why, new RegExp(`^${PC} sent on voice VLAN 110 \\(DHCP DISCOVER from ${PC} on VLAN 110\\) and also untagged \\(DHCP DISCOVER from ${PC}, untagged\\), asked DHCP for an address, and never announced itself as a phone`));
  assert.match(alerts[0].why, new RegExp(`VLAN 110 is the voice VLAN by the LLDP-MED network policy at packet ${policy}$`));
  assert.deepEqual(alertTechniques(alerts[0]), ['T1599']);
});

test('voice-vlan-hopping: no voice VLAN named (the LLDP frames left out), nothing; configured, the phone that never announced itself is judged like the workstation', async () => {
  const noLldp = without((r) => r[5] !== '');
  assert.deepEqual(await monitorCaptures([noLldp]), []);
  const alerts = await monitorCaptures([noLldp], { voiceVlans: [110] });
  assert.deepEqual(alerts.map((a) => [a.rule, a.device]).sort(), [['voice-vlan-hopping', `mac:${PHONE}`], ['voice-vlan-hopping', `mac:${PC}`]]);
  assert.match(alerts[0].why, /VLAN 110 is one of the configured voiceVlans$/);
  // A voice VLAN other than the one they used: nothing.
  assert.deepEqual(await monitorCaptures([noLldp], { voiceVlans: [111] }), []);
});

test('voice-vlan-hopping: the workstation with its DHCP left out (a router-like MAC that only ARPs on both) is not judged', async () => {
  const noPcDhcp = without((r) => r[1] === PC && r[4] !== '');
  assert.deepEqual(await monitorCaptures([noPcDhcp]), []);
});

test("voice-vlan-hopping: silent on the corpus's LLDP-MED capture (a switch naming voice VLAN 50)", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  assert.deepEqual(await monitorCaptures([corpus('arkime/tests/pcap/wireshark-lldp.pcap')]), []);
});

// The switch's CDP instead of its LLDP: a VoIP VLAN Reply naming VLAN 110 (voice-vlan/cdp.py:
// Scapy's CDP encoder, as no Cisco switch is at hand; tshark's decode in cdp.tshark.tsv), put in
// front of the capture's frames without the switch's LLDP (the phone's stays).
test('voice-vlan-hopping: the voice VLAN named by a CDP VoIP VLAN Reply, as Cisco switches tell their phones', async () => {
  const cdpRows = readTsharkFields(join(GEN, 'voice-vlan', 'cdp.tshark.tsv'));
  assert.deepEqual(cdpRows.map((r) => [r[1], r[4], r[5]]), [[SWITCH, '1', '110']]);
  const cdpPcap = join(GEN, 'generated-cdp-voice-vlan.pcap');
  const run = await runCaptures([cdpPcap]);
  try {
    assert.deepEqual(run.result.events.filter((e) => e.ev.type === 'cdp.neighbor').map((e) => [e.ev.mac_src, e.ev.voice_vlan, e.ev.native_vlan]), [[SWITCH, 110, 1]]);
  } finally {
    run.cleanup();
  }
  const all = pcapFrames(PCAP);
  const kept = rows.filter((r) => r[5] !== '4');
  const frames = [pcapFrames(cdpPcap)[0], ...kept.map((r) => all[Number(r[0]) - 1])];
  const path = writePcap(frames.map((frame, i) => ({ ts: 1_700_000_000 + i / 10, frame })));
  const at = (mac: string, vlan: string): number => 2 + kept.findIndex((r) => r[1] === mac && r[2] === vlan && r[4] !== '');
  const alerts = await monitorCaptures([path]);
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.evidence.map((e) => e.packet)]), [['voice-vlan-hopping', `mac:${PC}`, [1, at(PC, ''), at(PC, '110')]]]);
  assert.match(alerts[0].why, /VLAN 110 is the voice VLAN by the CDP VoIP VLAN Reply at packet 1$/);
});
