// The IPv4 redirect and router-discovery detectors (l2.ts) on a capture of real implementations:
// the Linux kernel as the routers and the workstation (its own redirect, ARP, ping) and hping3 as
// the attacker forging a redirect in the router's name (test/fixtures/generated/icmp-redirect/
// generate.sh). Which frame is which comes from tshark's decode kept beside the capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { writePcap } from '../testutil/pcapwriter.js';
import type { Alert } from '../report/alert.js';
import { advert, frame } from '../analyzers/icmp/icmp.testutil.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-icmp-redirect.pcap');

const monitor = monitorCaptures;

/** tshark's redirects: frame, eth src, eth dst, ip src(s), ip dst(s), ttl, types, codes, gateway, protos. */
const redirects = readTsharkFields(join(GEN, 'icmp-redirect', 'tshark.tsv')).filter((r) => r[6].split(',')[0] === '5');
const forged = redirects.find((r) => r[1] !== '02:97:0a:00:00:01')!;
const kernel = redirects.find((r) => r[1] === '02:97:0a:00:00:01')!;

test("icmp-redirect: hping3's redirect in the router's name from another MAC; the router's own redirect silent", async () => {
  // tshark: the forged redirect claims rtr's address but leaves from att's MAC and names att.
  assert.deepEqual([forged[1], forged[3].split(',')[0], forged[8]], ['02:97:0a:00:00:66', '10.97.10.1', '10.97.10.66']);
  assert.deepEqual([kernel[3].split(',')[0], kernel[8]], ['10.97.10.1', '10.97.10.2']);
  const alerts = await monitor([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer]),
    [['icmp-redirect', `mac:${forged[1]}`, '10.97.10.31']],
  );
  const [a] = alerts;
  assert.equal(a.severity, 'high');
  // The router's last ARP claim of 10.97.10.1 before it (frame 6, tshark: "Who has 10.97.10.2?
  // Tell 10.97.10.1" from 02:97:0a:00:00:01), then the redirect itself.
  assert.deepEqual(
    a.evidence.map((e) => [e.packet, e.source]),
    [
      [6, 'arp.request'],
      [Number(forged[0]), 'icmp.redirect'],
    ],
  );
  assert.match(a.why, /^an ICMP redirect in the name of 10\.97\.10\.1 came from 02:97:0a:00:00:66, but 10\.97\.10\.1 is at 02:97:0a:00:00:01 on the untagged link \(ARP\): it told 10\.97\.10\.31 to send its traffic for 10\.97\.99\.1 through 10\.97\.10\.66 \(02:97:0a:00:00:66\)/);
  assert.deepEqual(
    alertTechniques(a),
    ['T1557'],
  );
});

test('icmp-redirect with ipv4Routers: a redirect to a gateway not listed is raised, forged or not', async () => {
  const both = await monitor([PCAP], { ipv4Routers: ['10.97.10.1', '10.97.10.2'] });
  assert.deepEqual(
    both.map((a) => [a.rule, a.device]),
    [['icmp-redirect', 'mac:02:97:0a:00:00:66']],
  );
  const one = await monitor([PCAP], { ipv4Routers: ['10.97.10.1'] });
  assert.deepEqual(
    one.map((a) => [a.rule, a.device]),
    [
      // The kernel's first redirect (frame 4) comes before anyone asked ARP for 10.97.10.2.
      ['icmp-redirect', 'ip:10.97.10.2'],
      ['icmp-redirect', 'mac:02:97:0a:00:00:66'],
    ],
  );
  // Both kernel redirects are its evidence; its text is the latest's (frame 10), when ARP had bound 10.97.10.2.
  assert.match(one[0].why, /through 10\.97\.10\.2 \(02:97:0a:00:00:02\), which is not one of the configured ipv4Routers \(10\.97\.10\.1\)/);
  assert.deepEqual(one[0].evidence.map((e) => e.packet), [Number(kernel[0]), Number(redirects[1][0])]);
  assert.equal(one[0].count, 2);
});

// Synthetic: no capture here holds an ICMP router advertisement (see icmp.testutil.ts).
test('rogue-router for an ICMP router advertisement naming a router not in ipv4Routers; none without a list (synthetic)', async () => {
  const pcap = writePcap([
    { ts: 1, frame: frame(advert(0, 1, 2, 1800, [['10.97.10.1', 0]])) },
    { ts: 2, frame: frame(advert(0, 2, 2, 1800, [['10.97.10.9', 100], ['10.97.10.1', 0]]), '0a610a09') },
    { ts: 3, frame: frame(advert(0, 1, 2, 1800, [['10.97.10.8', -0x80000000]]), '0a610a08') },
  ]);
  assert.deepEqual(await monitor([pcap]), []);
  const alerts = await monitor([pcap], { ipv4Routers: ['10.97.10.1'] });
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.evidence[0].packet]),
    [['rogue-router', 2]],
  );
  assert.match(alerts[0].why, /advertised 10\.97\.10\.9 as a default router by ICMP router discovery \(RFC 1256\)/);
});
