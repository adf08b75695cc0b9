// DHCP starvation (l2.ts) on captures of real tools against Debian's dnsmasq
// (test/fixtures/generated/dhcp-starvation/generate.sh): dhcpstarv asks for one lease per made-up
// client hardware address from its own Ethernet address; Yersinia floods DISCOVERs, each from a
// made-up Ethernet source that is also its client address. The workstations' own leases (ISC
// dhclient) raise nothing. Which frame is which comes from tshark's decode kept beside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import type { Alert } from '../report/alert.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const DIR = join(GEN, 'dhcp-starvation');

const monitor = monitorCaptures;

/** tshark's rows: frame, Ethernet source, DHCP message type, client hardware address, relay address, your address. */
function rows(name: string): string[][] {
  return readTsharkFields(join(DIR, name));
}

test('dhcpstarv: one Ethernet source asking for other clients\' leases is dhcp-starvation on that MAC; the workstations\' leases are not', async () => {
  const t = rows('starvation.tsv');
  // Client messages (DISCOVER 1, REQUEST 3) whose client address is not the sender's own.
  const forged = t.filter((r) => (r[2] === '1' || r[2] === '3') && r[1] !== r[3]);
  const senders = new Set(forged.map((r) => r[1]));
  assert.deepEqual([...senders], ['02:97:0b:00:00:66']);
  const clients: string[] = [];
  for (const r of forged) if (!clients.includes(r[3])) clients.push(r[3]);
  assert.ok(clients.length > 39, 'more made-up clients than the pool of 40 held');
  // dnsmasq ran out: "no address available" for the rest.
  assert.ok(/no address available/.test(readFileSync(join(DIR, 'dnsmasq.log'), 'utf8')));
  const alerts = await monitor([join(GEN, 'generated-dhcp-starvation.pcap')]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device]),
    [['dhcp-starvation', 'mac:02:97:0b:00:00:66']],
  );
  const [a] = alerts;
  assert.equal(a.severity, 'high');
  // The first forged request, and the one that made ten different clients (dhcpStarvationClients).
  const tenth = forged.find((r) => r[3] === clients[9])!;
  assert.deepEqual(a.evidence.slice(0, 2).map((e) => e.packet), [Number(forged[0][0]), Number(tenth[0])]);
  assert.match(a.why, /^02:97:0b:00:00:66 sent DHCP requests on the untagged link for 10 or more client hardware addresses that are not its own/);
  assert.deepEqual(
    alertTechniques(a),
    ['T1557.003'],
  );
  // Raised higher, the threshold is not reached.
  assert.deepEqual(await monitor([join(GEN, 'generated-dhcp-starvation.pcap')], { dhcpStarvationClients: clients.length + 1 }), []);
});

test('Yersinia: 300 different clients DISCOVERing on one link within a minute is dhcp-starvation; fewer is not', async () => {
  const t = rows('starvation-yersinia.tsv');
  assert.ok(t.every((r) => r[2] === '1' && r[1] === r[3]), 'every frame a DISCOVER from its own made-up client address');
  const distinct: string[] = [];
  for (const r of t) if (!distinct.includes(r[3])) distinct.push(r[3]);
  assert.ok(distinct.length >= 300);
  const alerts = await monitor([join(GEN, 'generated-dhcp-starvation-yersinia.pcap')]);
  assert.deepEqual(
    alerts.map((a) => a.rule),
    ['dhcp-starvation'],
  );
  const at = t.find((r) => r[3] === distinct[299])!;
  assert.deepEqual(alerts[0].evidence.slice(0, 2).map((e) => e.packet), [1, Number(at[0])]);
  assert.equal(alerts[0].device, `mac:${at[1]}`);
  assert.match(alerts[0].why, /^300 different clients sent DHCP DISCOVERs on the untagged link within \d+\.\d s/);
  assert.deepEqual(await monitor([join(GEN, 'generated-dhcp-starvation-yersinia.pcap')], { dhcpStarvationDiscovers: distinct.length + 1 }), []);
});
