// DNS zone transfers (zone-transfer.ts) on a generated capture of real implementations
// (test/fixtures/generated/dns-axfr/generate.sh: BIND 9.18 as a primary and its secondary, which
// pulls both zones by AXFR and then answers a workstation; dig asking the primary for both
// zones from another host: one sent, one refused). Which packet is which comes from tshark's
// decode; subsets of the same real frames test what the capture does not show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dns-zone-transfer.pcap');
/** tshark's rows: frame, source, destination, IP protocol, response flag, query name, query type, rcode, answers. */
const rows = readTsharkFields(join(GEN, 'dns-axfr', 'tshark.tsv'));
const NS1 = '10.97.80.53';
const NS2 = '10.97.80.54';
const ATT = '10.97.80.66';
/** AXFR queries (type 252) a host sent, with the answer's rcode and answer count. */
function axfrs(src: string): [number, string, string, string][] {
  return rows
    .filter((r) => r[1] === src && r[4] === '0' && r[6] === '252')
    .map((r) => {
      const a = rows.find((x) => x[1] === r[2] && x[2] === src && x[4] === '1' && x[5] === r[5] && x[6] === '252')!;
      return [Number(r[0]), r[5], a[7], a[8]];
    });
}

test('zone-transfer: the host that asked the primary for both zones (one sent, one refused) is judged; the secondary, which answers queries itself, is not', async () => {
  assert.deepEqual(axfrs(ATT).map((x) => x.slice(1)), [['ward.hospital.example', '0', '10'], ['lab.hospital.example', '5', '0']]);
  assert.equal(axfrs(NS2).length, 2);
  assert.ok(rows.some((r) => r[1] === NS2 && r[4] === '1' && r[6] === '1'), 'the secondary answers a workstation');
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['zone-transfer', `ip:${ATT}`, NS1, 'medium', 2, axfrs(ATT).map((x) => x[0])]],
  );
  assert.match(alerts[0].why, /asked the DNS server 10\.97\.80\.53 for zone transfers: ward\.hospital\.example \(AXFR, sent\); lab\.hospital\.example \(AXFR, refused: REFUSED\)\./);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1590.002']);
});

test('zone-transfer: with dnsSecondaries listed, only the listed requester passes; without its answer to the workstation, the secondary is judged too', async () => {
  assert.deepEqual((await monitorCaptures([PCAP], { dnsSecondaries: [`${NS2}/32`] })).map((a) => a.device), [`ip:${ATT}`]);
  const other = await monitorCaptures([PCAP], { dnsSecondaries: [`${ATT}/32`] });
  assert.deepEqual(other.map((a) => [a.device, a.severity, a.count]), [[`ip:${NS2}`, 'medium', 2]]);
  assert.match(other[0].why, /^10\.97\.80\.54, not one of the dnsSecondaries \(10\.97\.80\.66\/32\)/);
  // The same frames without the workstation's query and the secondary's answer.
  // tshark's rows are DNS messages only (not the TCP handshakes): every frame but the two A-record ones.
  const drop = new Set(rows.filter((r) => r[6] === '1').map((r) => Number(r[0])));
  assert.equal(drop.size, 2);
  const frames = pcapFrames(PCAP).filter((_, i) => !drop.has(i + 1));
  const alone = await monitorCaptures([writePcap(frames.map((frame, i) => ({ ts: 1_700_000_000 + i / 10, frame })))]);
  assert.deepEqual(alone.map((a) => [a.device, a.peer]).sort(), [[`ip:${NS2}`, NS1], [`ip:${ATT}`, NS1]]);
});
