// The IPv6 link-layer detectors (l2.ts) on captures of real implementations: radvd as the site's
// two routers, the Linux kernel's Neighbor Discovery, and THC-IPv6's fake_router26, parasite6
// and flood_router26 as the attacker (test/fixtures/generated/ndp/generate.sh). Which frame is
// which comes from tshark's decode kept beside the captures, not from wardline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import type { Alert } from '../report/alert.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const ND = join(GEN, 'generated-ipv6-nd.pcap');
const FLOOD = join(GEN, 'generated-ipv6-ra-flood.pcap');
const skip = !haveCorpus() && 'shared corpus not present';

/** The ATT&CK techniques the report gives an alert's finding. */
const techniques = alertTechniques;

const monitor = monitorCaptures;

function rows(name: string): string[][] {
  return readFileSync(join(GEN, 'ndp', name), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** tshark's router advertisements: frame, sender MAC (the SLLA option), source, preference, prefixes. */
const ras = rows('tshark.tsv')
  .filter((r) => r[4] === '134')
  .map((r) => ({ frame: Number(r[0]), mac: r[7], src: r[2], prf: r[11], prefixes: r[13] }));
const SITE = ['02:97:06:00:00:01', '02:97:06:00:00:02'];

test("rogue-router: fake_router26's routers are rogue, radvd's redundant pair is not", async () => {
  const alerts = await monitor([ND]);
  const rogue = alerts.filter((a) => a.rule === 'rogue-router');
  const senders = [...new Set(ras.map((r) => r.mac))].filter((m) => !SITE.includes(m)).sort();
  assert.equal(senders.length, 4, 'the attacker posed as four routers');
  assert.deepEqual(rogue.map((a) => a.device.slice(4)).sort(), senders);
  for (const a of rogue) {
    const first = ras.find((r) => r.mac === a.device.slice(4))!;
    assert.equal(a.evidence[1].packet, first.frame, a.device);
    // The link's first router is the baseline the alert names and cites.
    assert.equal(a.evidence[0].packet, ras[0].frame);
    assert.equal(a.peer, ras[0].src);
    assert.deepEqual(techniques(a), ['T1557']);
  }
  // Its own prefix (tshark: fd00:bad:6::) is named as such; the others took the site's prefix with high preference.
  const own = rogue.find((a) => a.device === 'mac:02:97:06:00:00:66')!;
  assert.match(own.why, /advertised fd00:bad:6::\/64 on the untagged link, where fe80::[0-9a-f:]+ \(02:97:06:00:00:0[12]\) advertises fd00:97:6::\/64/);
  assert.equal(own.count, ras.filter((r) => r.mac === '02:97:06:00:00:66').length);
  for (const a of rogue.filter((x) => x !== own)) assert.match(a.why, /default-router preference high, above/);
  assert.ok(ras.filter((r) => !SITE.includes(r.mac)).every((r) => r.prf === '1'), "fake_router26's default preference is high");
});

test('rogue-router with ipv6Routers: only the listed routers may advertise', async () => {
  const both = await monitor([ND], { ipv6Routers: ['fe80::97:6ff:fe00:1', '02:97:06:00:00:02'] });
  assert.equal(both.filter((a) => a.rule === 'rogue-router').length, 4);
  const one = await monitor([ND], { ipv6Routers: ['fe80::97:6ff:fe00:1'] });
  const rogue = one.filter((a) => a.rule === 'rogue-router').map((a) => a.device);
  assert.ok(rogue.includes('mac:02:97:06:00:00:02'), 'the unlisted site router too');
  assert.ok(!rogue.includes('mac:02:97:06:00:00:01'));
  assert.match(one.find((a) => a.device === 'mac:02:97:06:00:00:02')!.why, /is not one of the configured ipv6Routers \(fe80::97:6ff:fe00:1\)/);
});

test("nd-spoofing: parasite6's answers for rtr2's address", async () => {
  const alerts = await monitor([ND]);
  const a = alerts.filter((x) => x.rule === 'nd-spoofing');
  assert.equal(a.length, 1);
  const nas = rows('tshark.tsv').filter((r) => r[4] === '136' && r[6] === 'fd00:97:6::2');
  const legit = nas.filter((r) => r[7] === '02:97:06:00:00:02');
  const forged = nas.filter((r) => r[7] === '02:97:06:00:00:66');
  assert.ok(forged.length >= 1 && forged.every((r) => r[10] === '1'), 'overriding');
  assert.equal(a[0].device, 'mac:02:97:06:00:00:66');
  assert.equal(a[0].peer, 'fd00:97:6::2');
  // The evidence: rtr2's last answer before the forged one, then the forged one.
  const firstForged = Number(forged[0][0]);
  const lastLegit = Math.max(...legit.map((r) => Number(r[0])).filter((f) => f < firstForged));
  assert.deepEqual(
    a[0].evidence.map((e) => e.packet),
    [lastLegit, firstForged],
  );
  assert.match(a[0].why, /Neighbor Discovery spoofing/);
  // The workstation's own solicitations and answers (one MAC per address) raise nothing else.
  assert.deepEqual([...new Set(alerts.map((x) => x.rule))].sort(), ['nd-spoofing', 'rogue-router']);
});

test('an RA flood (flood_router26) is one dos-flood alert for the link, after a bounded few rogue-router alerts', async () => {
  const alerts = await monitor([FLOOD]);
  const flood = alerts.filter((a) => a.rule === 'dos-flood');
  assert.equal(flood.length, 1);
  assert.match(flood[0].why, /^router advertisement flood on the untagged link: 10 or more different routers/);
  assert.deepEqual(techniques(flood[0]), ['T1499.001']);
  const frames = rows('tshark-flood.tsv');
  const senders = new Set(frames.map((r) => `${r[7]}|${r[2]}`));
  assert.ok(senders.size > 90, 'every flood frame has its own sender');
  // The 10th distinct sender trips it; every later one counts.
  assert.equal(flood[0].count, frames.length - 9);
  assert.ok(alerts.filter((a) => a.rule === 'rogue-router').length <= 5);
});

test('router advertisements and ND in the corpus raise nothing (one router; hosts resolving each other)', { skip }, async () => {
  for (const p of [
    ['suricata-verify', 'tests', 'ipv6-evasion', 'ipv6-malformed-fragments-9', 'frag-9.pcap'],
    ['suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap'],
    ['arkime', 'tests', 'pcap', 'wireshark-dhcpv6.pcap'],
  ]) {
    const alerts = await monitor([corpus(...p)]);
    assert.deepEqual(
      alerts.filter((a) => /rogue-router|nd-spoofing|dos-flood/.test(a.rule)).map((a) => a.why),
      [],
      p.join('/'),
    );
  }
});

test('rogue-dhcp without a list: a DHCPv6 server handing out another prefix and resolver is rogue, a split-scope partner is not (generated: three dnsmasq servers, dhclient -6)', async () => {
  // dhcpv6-servers/generate.sh; tshark's columns: frame, source, message type, DUID link-layer
  // addresses (client's, then server's), addresses offered, DNS servers, Ethernet source.
  const t = readFileSync(join(GEN, 'dhcpv6-servers', 'tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
  const adverts = t.filter((r) => r[2] === '2');
  const rogueFrames = adverts.filter((r) => r[4].startsWith('fd00:bad:2:'));
  assert.equal(rogueFrames.length, 1);
  const [rogueFrame] = rogueFrames;
  const site = adverts.filter((r) => r[4].startsWith('fd00:97:2:'));
  assert.equal(new Set(site.map((r) => r[1])).size, 2, 'two site servers advertised');
  const alerts = await monitor([join(GEN, 'generated-dhcpv6-servers.pcap')]);
  const rogue = alerts.filter((a) => a.rule === 'rogue-dhcp');
  assert.equal(rogue.length, 1);
  assert.equal(rogue[0].device, `ip:${rogueFrame[1]}`);
  assert.deepEqual(
    rogue[0].evidence.map((e) => e.packet),
    [Number(t.find((r) => r[2] === '2' || r[2] === '7')![0]), Number(rogueFrame[0])],
  );
  assert.match(rogue[0].why, new RegExp(`^a second DHCPv6 server, ${rogueFrame[1]}, answered \\(ADVERTISE\\) on the IPv6 link with addresses in fd00:bad:2::/64 and DNS server ${rogueFrame[5]}, where ${site[0][1]} hands out fd00:97:2::/64 and DNS fd00:97:2::53`));
  // With both site servers listed, the same server is the one reported.
  const listed = await monitor([join(GEN, 'generated-dhcpv6-servers.pcap')], { dhcpServers: [...new Set(site.map((r) => r[1]))] });
  assert.deepEqual(
    listed.filter((a) => a.rule === 'rogue-dhcp').map((a) => a.device),
    [`ip:${rogueFrame[1]}`],
  );
});

test("ND redirects: the kernel's own redirect to the link's other router is silent, atk6-redir6's forged one names the attacker; a primary router with high preference beside a medium backup is no rogue (generated)", async () => {
  // ndp-redirect/generate.sh; tshark: frame, Ethernet source, IPv6 source(s), destination(s),
  // hop limit(s), ICMPv6 type(s), redirect target, redirect destination, link-layer option, RA preference.
  const t = readFileSync(join(GEN, 'ndp-redirect', 'tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
  const redirects = t.filter((r) => r[5].split(',')[0] === '137');
  assert.equal(redirects.length, 2);
  const [kernel, forged] = redirects;
  // Both claim to come from rtr (its link-local address and MAC); only the targets differ.
  assert.deepEqual([kernel[1], forged[1]], ['02:97:09:00:00:01', '02:97:09:00:00:01']);
  assert.deepEqual([kernel[6], forged[6]], ['fe80::97:9ff:fe00:2', 'fe80::97:9ff:fe00:66']);
  const prf = new Map(t.filter((r) => r[5] === '134').map((r) => [r[1], r[9]]));
  assert.deepEqual([prf.get('02:97:09:00:00:01'), prf.get('02:97:09:00:00:02')], ['1', '0'], 'rtr high, rtr2 medium');
  const alerts = await monitor([join(GEN, 'generated-ipv6-redirect.pcap')]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device]),
    [['rogue-router', `mac:${forged[8]}`]],
  );
  const [a] = alerts;
  assert.equal(a.evidence[a.evidence.length - 1].packet, Number(forged[0]));
  assert.match(a.why, new RegExp(`^an ICMPv6 redirect in the name of fe80::97:9ff:fe00:1 \\(02:97:09:00:00:01\\) told ${forged[3].split(',')[0]} to send its traffic for ${forged[7]} through ${forged[6]} \\(${forged[8]}\\), which is not one of the link's routers`));
  // With the routers listed, the same.
  const listed = await monitor([join(GEN, 'generated-ipv6-redirect.pcap')], { ipv6Routers: ['02:97:09:00:00:01', '02:97:09:00:00:02'] });
  assert.deepEqual(
    listed.map((x) => [x.rule, x.device]),
    [['rogue-router', `mac:${forged[8]}`]],
  );
});
