// VTP takeover (l2.ts) on a generated capture (test/fixtures/generated/vtp/generate.sh: a
// domain's server at revisions 5 then 6, and Yersinia's "deleting all VTP vlans" at 7 from a
// made-up updater). Which frame is which comes from tshark's decode. A subset advertisement of
// the server's own, listing VLANs the attack then deletes, no capture here holds: built by hand
// and put before the capture's frames (said there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-vtp-vlan-deletion.pcap');
/** tshark's rows: frame, time, eth src, version, code, domain, revision, updater, update timestamp, followers, sequence, VLAN ids, VLAN names. */
const rows = readTsharkFields(join(GEN, 'vtp', 'tshark.tsv'));
const row = (pred: (r: string[]) => boolean): string[] => rows.find(pred)!;

test('vtp-takeover: a summary at revision 7 from another updater than the domain\'s, then a subset of only the default VLANs: critical; the server\'s own change from 5 to 6 silent', async () => {
  const current = row((r) => r[6] === '6');
  const attack = row((r) => r[4] === '0x01' && r[6] === '7');
  const subset = row((r) => r[4] === '0x02');
  assert.deepEqual([current[7], attack[7], attack[2], subset[11]], ['10.97.17.1', '10.13.58.1', '00:f5:7f:1e:7b:39', '0x0001,0x03ea,0x03eb,0x03ec,0x03ed']);
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.severity, a.evidence.map((e) => e.packet)]),
    [['vtp-takeover', `mac:${attack[2]}`, 'critical', [Number(current[0]), Number(attack[0]), Number(subset[0])]]],
  );
  assert.match(alerts[0].why, /^00:f5:7f:1e:7b:39 sent a VTP summary for domain "WARD" at configuration revision 7, above the domain's 6 made by updater 10\.97\.17\.1, naming another updater \(10\.13\.58\.1\).*holds only the default VLANs \(1, 1002, 1003, 1004, 1005\): every other VLAN of the domain is deleted/);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1498']);
  // The server's summaries alone (revision 5, then 6 from the same updater): no alert.
  const all = pcapFrames(PCAP);
  const serverOnly = rows.filter((r) => r[2] === current[2]).map((r) => ({ ts: Number(r[1]) + 1_700_000_000, frame: all[Number(r[0]) - 1] }));
  assert.deepEqual(await monitorCaptures([writePcap(serverOnly)]), []);
});

test('vtp-takeover names the VLANs the new subset deletes when the domain\'s own subset was seen (synthetic server subset)', async () => {
  const domain = Buffer.alloc(32);
  domain.write('WARD');
  const vlan = (id: number, name: string): Buffer => {
    const n = Buffer.alloc(Math.ceil(name.length / 4) * 4);
    n.write(name);
    return Buffer.concat([Buffer.from([12 + n.length, 0, 1, name.length, id >> 8, id & 0xff, 0x05, 0xdc, 0, 1, 0x86, 0xa0 + (id & 0x0f)]), n]);
  };
  const body = Buffer.concat([Buffer.from([2, 2, 1, 4]), domain, Buffer.from([0, 0, 0, 6]), vlan(1, 'default'), vlan(20, 'PUMPS'), vlan(30, 'IMAGING')]);
  const snap = Buffer.concat([Buffer.from('aaaa0300000c2003', 'hex'), body]);
  const serverSubset = new Uint8Array(Buffer.concat([Buffer.from('01000ccccccc' + '029711000011', 'hex'), Buffer.from([snap.length >> 8, snap.length & 0xff]), snap]));
  const all = pcapFrames(PCAP);
  const frames = [{ ts: 1_699_999_999, frame: serverSubset }, ...rows.map((r) => ({ ts: Number(r[1]) + 1_700_000_000, frame: all[Number(r[0]) - 1] }))];
  const alerts = await monitorCaptures([writePcap(frames)]);
  assert.deepEqual(alerts.map((a) => [a.rule, a.severity]), [['vtp-takeover', 'critical']]);
  assert.match(alerts[0].why, /its subset advertisement deletes 2 VLANs the domain had \(20, 30\)/);
});
