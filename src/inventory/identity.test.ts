// Identity: one device per MAC on the segment, routers recognised and the hosts behind them
// keyed by address, services offered. Expectations from Zeek's known-hosts test on
// wikipedia.pcap (141.142.220.118 local; 208.80.152.2/.3/.118 remote) and known-services test on
// var-services-std-ports.pcap (every host, port, protocol and service Zeek logs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus, readTsharkFields, readZeekTsv, REPO_ROOT } from '../testutil/corpus.js';
import { join } from 'node:path';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { forwardedFrom } from './identity.js';
import { ipIsHost, ipIsPrivate } from './addr.js';
import { deviceWithIp, runInventory, tcpFrame, testKb } from './testutil.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from './builder.js';
import { textSummary } from '../report/report.js';
import { renderHtml } from '../report/html.js';
import { advert, frame } from '../analyzers/icmp/icmp.testutil.js';

const skip = !haveCorpus();
const KNOWN_HOSTS = 'zeek/baselines/scripts.policy.protocols.conn.known-hosts';
const KNOWN_SERVICES = 'zeek/baselines/scripts.policy.protocols.conn.known-services/knownservices-all.log';

test('inventory: wikipedia.pcap: the local host is a MAC device, remote hosts sit behind the router', { skip }, async () => {
  const local = readZeekTsv(corpus(KNOWN_HOSTS, 'knownhosts-local.log')).map((r) => r.host);
  const remote = readZeekTsv(corpus(KNOWN_HOSTS, 'knownhosts-remote.log')).map((r) => r.host);
  assert.deepEqual(local, ['141.142.220.118']);
  assert.equal(remote.length, 3);
  const def = await runInventory([corpus('zeek/traces/wikipedia.pcap')]);
  for (const ip of local) assert.match(deviceWithIp(def.devices, ip)?.id ?? '', /^mac:/, ip);
  // Public addresses behind a router are Internet peers, not devices, unless asked for.
  for (const ip of remote) assert.equal(deviceWithIp(def.devices, ip), undefined, ip);
  assert.ok(def.inventory.externalPeers >= remote.length);
  const all = await runInventory([corpus('zeek/traces/wikipedia.pcap')], { external: true });
  const routers = all.devices.filter((d) => d.evidence.some((e) => e.fact === 'role' && e.value === 'router'));
  assert.equal(routers.length, 1);
  assert.equal(routers[0].category, 'network');
  for (const ip of remote) {
    const d = deviceWithIp(all.devices, ip);
    assert.equal(d?.id, `ip:${ip}`);
    assert.equal(d.mac, null);
    assert.ok(d.evidence.some((e) => e.fact === 'gateway_mac' && e.value === routers[0].mac), ip);
  }
});

test('inventory: a MAC that delivers a host\'s SYN with a decremented TTL is a router, the host its address (krb5-tcp.pcap)', { skip }, async () => {
  // tshark -Y tcp.flags.syn==1 -T fields -e frame.number -e eth.src -e ip.src -e ip.ttl:
  //   1  00:22:83:3f:17:c5  10.10.10.10  122  (SYN)
  //   2  00:22:83:3f:17:cc  10.11.11.11  124  (SYN+ACK)
  // 122 and 124 are no stack's initial TTL: routers forwarded both, so the frames' source MACs
  // (Juniper Networks) are routers' interfaces, not the Windows hosts'. Before, each host was
  // "a Juniper Networks workstation running Windows 7 or 8".
  const { devices } = await runInventory([corpus('arkime/tests/pcap/krb5-tcp.pcap')]);
  const cases = [
    { mac: '00:22:83:3f:17:c5', ip: '10.10.10.10', ttl: 122, packet: 1 },
    { mac: '00:22:83:3f:17:cc', ip: '10.11.11.11', ttl: 124, packet: 2 },
  ];
  for (const c of cases) {
    const r = devices.find((d) => d.mac === c.mac);
    assert.ok(r !== undefined, c.mac);
    assert.equal(r.category, 'network', c.mac);
    assert.deepEqual(r.ips, [], `${c.mac} keeps no host address`);
    assert.ok(r.evidence.some((e) => e.fact === 'role' && e.value === 'router'), c.mac);
    const fw = r.evidence.find((e) => e.fact === 'forwards_for');
    assert.equal(fw?.value, `${c.ip} (TTL ${c.ttl}, sent with 128)`);
    assert.equal(fw?.packet, c.packet);
    const h = deviceWithIp(devices, c.ip);
    assert.equal(h?.id, `ip:${c.ip}`);
    assert.equal(h.mac, null);
    assert.equal(h.vendor, null, `${c.ip}: no vendor from the router's MAC`);
    assert.equal(h.os?.family, 'Windows', c.ip);
    assert.ok(h.evidence.some((e) => e.fact === 'gateway_mac' && e.value === c.mac), c.ip);
  }
});

test('inventory: a local scanner\'s raw SYNs (random TTL, MSS only), or a host forwarding to a container, are no router', async () => {
  // Synthetic: no corpus capture holds an nmap SYN scan from a host on the captured segment.
  // nmap's raw probes carry only the MSS option and a random TTL of 37-59 (p0f's "NMap:SYN scan"
  // signatures); the target answers with RSTs at TTL 64.
  const scanner = '02:00:00:00:0a:05';
  const target = '02:00:00:00:0a:06';
  const mss = Buffer.from([2, 4, 0x05, 0xb4]);
  const frames: { ts: number; frame: Uint8Array }[] = [];
  let ts = 1_700_000_000;
  for (const [i, port] of [22, 80, 443, 3389].entries()) {
    frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.1.1.5', '10.1.1.6', scanner, target, 41 + i, 51234, port, 0x02, mss) });
    frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.1.1.6', '10.1.1.5', target, scanner, 64, port, 51234, 0x14, Buffer.alloc(0)) });
  }
  // The target publishes a container's port (its SYN+ACK forwarded: TTL 63) and opens a
  // connection of its own (SYN with the usual options, TTL 64): a host, not a router.
  const full = Buffer.from([2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 0, 0]);
  frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.1.1.5', '10.1.1.6', scanner, target, 64, 40000, 5432, 0x02, full) });
  frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.1.1.6', '10.1.1.5', target, scanner, 63, 5432, 40000, 0x12, full) });
  frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.1.1.6', '10.1.1.5', target, scanner, 64, 40001, 443, 0x02, full) });
  const { devices } = await runInventory([writePcap(frames)]);
  for (const [ip, m] of [['10.1.1.5', scanner], ['10.1.1.6', target]]) {
    const d = deviceWithIp(devices, ip);
    assert.equal(d?.id, `mac:${m}`, ip);
    assert.ok(!d.evidence.some((e) => e.fact === 'role' && e.value === 'router'), ip);
  }
});

test("inventory: hping3's forged SYN-flood sources are no devices; the flooding host and its target are (generated-hping3-floods.pcap)", async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: every packet from or to a forged source in private or loopback space.
  const rows = readTsharkFields(join(dir, 'generated-hping3-floods.private-sources.tshark.tsv'));
  const forged = new Set(rows.map((r) => r[1]));
  assert.equal(forged.size, 10);
  assert.equal(rows.length, 10);
  for (const [frameNo, src, dst, flags, hdrLen, len] of rows) {
    assert.ok(forged.has(src) && !forged.has(dst), `frame ${frameNo}: nothing answered a forged source`);
    assert.deepEqual([flags, hdrLen, len], ['0x0002', '20', '0'], `frame ${frameNo}: a bare SYN`);
  }
  const { devices, inventory } = await runInventory([join(dir, 'generated-hping3-floods.pcap')]);
  for (const ip of forged) assert.equal(deviceWithIp(devices, ip), undefined, ip);
  assert.ok(inventory.unansweredSources >= forged.size);
  // The attacker's own address (its SYNs were answered) and the target stay devices.
  for (const ip of ['10.93.0.66', '10.93.0.10']) assert.ok(deviceWithIp(devices, ip) !== undefined, ip);
});

test('inventory and assessment: floods from random forged sources the target answered are no devices; the routed clients seen once each are (generated-forged-floods.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: 16,000 packets from 16,000 different addresses outside the site's two subnets (SYN,
  // 64-byte UDP to syslog, empty UDP to 161, ICMP echo), one each; the target answered 3,877
  // SYNs with SYN+ACK and every echo, and no source sent a second packet.
  const forged = readTsharkFields(join(dir, 'generated-forged-floods.forged.tshark.tsv'));
  const sources = new Set(forged.map((r) => r[1]));
  assert.equal(forged.length, 16_000);
  assert.equal(sources.size, 16_000);
  // tshark: 80 DNS queries, one from each of 10.93.5.20-99 (real clients behind the router, one /24).
  const clients = readTsharkFields(join(dir, 'generated-forged-floods.clients.tshark.tsv'));
  assert.equal(new Set(clients.map((r) => r[1])).size, 80);
  const run = await runPipeline([join(dir, 'generated-forged-floods.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  const devices = run.report.devices;
  // No forged address is a device, neither in the inventory nor among the assessment's hosts.
  for (const d of devices) for (const ip of d.ips) assert.ok(!sources.has(ip), `${d.id} holds forged ${ip}`);
  // Every client is (10.93.5.20 as an address of the router: its ARP request named it, frame 4).
  for (const [frameNo, ip] of clients) assert.ok(deviceWithIp(devices, ip) !== undefined, `frame ${frameNo}: ${ip}`);
  assert.equal(devices.length, 2 + 79);
  // Counted: the forged sources that would have been listed, those in private space (the
  // public ones are the Internet's external peers, counted as such, as before).
  const local = [...sources].filter((ip) => ipIsHost(ip) && ipIsPrivate(ip)).length;
  assert.ok(local >= 64, `${local}`);
  assert.equal(run.report.not_devices?.forged_sources, local);
});

test('inventory: behind one MAC, a host whose SYN with an OS\'s options went unanswered is a device; 64 such sources are forged', async () => {
  // Synthetic: no capture holds a forged-source flood whose SYNs carry a real stack's options
  // (Mirai's SYN flood sets MSS, SACK, timestamps and window scale like Linux).
  const router = '02:00:00:00:0b:01';
  const gw = '02:00:00:00:0b:02';
  const opts = Buffer.from([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]);
  const frames: { ts: number; frame: Uint8Array }[] = [];
  let ts = 1_700_000_000;
  // A router forwarding for two subnets: one answered client, and a PC whose server is down.
  frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.2.0.5', '10.1.0.9', router, gw, 127, 50000, 443, 0x02, opts) });
  frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.1.0.9', '10.2.0.5', gw, router, 64, 443, 50000, 0x12, opts) });
  frames.push({ ts: (ts += 0.001), frame: tcpFrame('10.3.0.7', '10.1.0.9', router, gw, 127, 50001, 104, 0x02, opts) });
  let run = await runInventory([writePcap(frames)]);
  assert.equal(deviceWithIp(run.devices, '10.2.0.5')?.id, 'ip:10.2.0.5');
  assert.equal(deviceWithIp(run.devices, '10.3.0.7')?.id, 'ip:10.3.0.7');
  assert.equal(run.inventory.unansweredSources, 0);
  // The same, among 64 sources that never got an answer either: forged, all of them.
  for (let i = 0; i < 63; i++) frames.push({ ts: (ts += 0.001), frame: tcpFrame(`10.4.${i >> 4}.${(i & 15) + 1}`, '10.1.0.9', router, gw, 127, 40000 + i, 104, 0x02, opts) });
  run = await runInventory([writePcap(frames)]);
  assert.equal(deviceWithIp(run.devices, '10.2.0.5')?.id, 'ip:10.2.0.5');
  assert.equal(deviceWithIp(run.devices, '10.3.0.7'), undefined);
  assert.equal(run.inventory.unansweredSources, 64);
});

test("inventory: a CDP flood's made-up devices are no devices (generated: Yersinia's flooding CDP table)", async () => {
  // tshark: 300 announcements within a millisecond, each from another MAC (cdp-flood/tshark.tsv).
  const rows = readTsharkFields(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'cdp-flood', 'tshark.tsv'));
  assert.equal(new Set(rows.map((r) => r[2])).size, 300);
  const { devices, inventory } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-cdp-flood.pcap')]);
  assert.deepEqual(devices.map((d) => d.id), []);
  // The unicast ones among the 300 random MACs (the rest are group addresses, never devices).
  const unicast = rows.filter((r) => (parseInt(r[2].slice(0, 2), 16) & 1) === 0).length;
  assert.equal(inventory.floodAnnouncers, unicast);
});

// mausezahn -a rand (test/fixtures/generated/mac-flood/unicast.sh): 1,500 UDP datagrams, each from
// a random locally administered MAC and a random IPv4 source, after two stations' pings. tshark
// says which MACs sent one frame only and from which addresses.
test('a unicast MAC flood: its one-frame locally administered sources are no devices, the stations that pinged are', async () => {
  const gen = join(REPO_ROOT, 'test', 'fixtures', 'generated');
  const rows = readTsharkFields(join(gen, 'mac-flood', 'unicast.tshark.tsv'));
  const frames = new Map<string, number>();
  for (const r of rows) frames.set(r[2], (frames.get(r[2]) ?? 0) + 1);
  const stations = [...frames].filter(([, n]) => n > 1).map(([m]) => `mac:${m}`).sort();
  const once = rows.filter((r) => frames.get(r[2]) === 1);
  assert.equal(once.length, 1500);
  // Their addresses a host could have locally (RFC 1918, loopback, link-local, RFC 6598): nothing
  // answered them, so they are forged sources; the rest are the Internet's, external peers.
  const local = new Set(once.map((r) => r[5]).filter((ip) => /^(10|127)\.|^192\.168\.|^169\.254\.|^172\.(1[6-9]|2\d|3[01])\.|^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./.test(ip)));
  const r = await runPipeline([join(gen, 'generated-mac-flood-unicast.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  assert.deepEqual(r.report.devices.map((d) => d.id).sort(), stations);
  assert.deepEqual(r.report.not_devices, { forged_sources: local.size, flood_announcers: 0, flood_sources: once.length });
  assert.match(textSummary(r.report, 'out'), /\n {2}not devices: \d+ forged sources \([^)]*\), 1,500 made-up MAC addresses \(a MAC flood\)\n/);
});

// Synthetic (no capture here holds a busy segment of virtual machines): 1,200 locally administered
// sources appearing within 8 s, each sending five frames. Not a flood: all are devices.
test('many new locally administered sources that each send several frames stay devices (synthetic)', async () => {
  const gen = join(REPO_ROOT, 'test', 'fixtures', 'generated');
  const ping = pcapFrames(join(gen, 'generated-mac-flood-unicast.pcap')).find((f) => f[12] === 8 && f[13] === 0 && f[23] === 1)!;
  const out: { ts: number; frame: Uint8Array }[] = [];
  for (let i = 0; i < 1200; i++) {
    for (let k = 0; k < 5; k++) {
      const f = Uint8Array.from(ping);
      // A source MAC and IPv4 address (10.66.x.y) of its own; the IPv4 checksum is not read.
      f.set([0x02, 0x42, 0xac, 0x11, i >> 8, i & 0xff], 6);
      f.set([10, 66, i >> 8, i & 0xff], 26);
      out.push({ ts: 1_700_000_000 + i * 0.006 + k * 0.1, frame: f });
    }
  }
  const r = await runPipeline([writePcap(out)], { outDir: null, kb: testKb() }, INVENTORY);
  assert.equal(r.report.devices.length, 1200);
  assert.equal(r.report.not_devices?.flood_sources ?? 0, 0);
});

test('report.json, the text summary and report.html count the senders left out (hping3 --rand-source, Yersinia CDP flood); ordinary captures have no not_devices', async () => {
  const gen = join(REPO_ROOT, 'test', 'fixtures', 'generated');
  const hping = await runPipeline([join(gen, 'monitor', 'generated-hping3-floods.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  // tshark: 1,500 forged SYNs, each from its own address; those that can be a host (not 0/8,
  // multicast or reserved) are counted, the ten loopback ones among them.
  const forged = readTsharkFields(join(gen, 'monitor', 'generated-hping3-floods.forged-sources.tshark.tsv'));
  assert.equal(new Set(forged.map((r) => r[1])).size, 1500);
  const hosts = forged.filter((r) => Number(r[1].split('.')[0]) >= 1 && Number(r[1].split('.')[0]) < 224).length;
  assert.equal(hosts, 1335);
  assert.deepEqual(hping.report.not_devices, { forged_sources: hosts, flood_announcers: 0, flood_sources: 0 });
  assert.match(textSummary(hping.report, 'out'), /\n {2}not devices: 1,335 forged sources \(bare SYNs nothing answered, one packet each from scattered addresses, or decoys of a scan\)\n/);
  const cdp = await runPipeline([join(gen, 'generated-cdp-flood.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  assert.deepEqual(cdp.report.not_devices, { forged_sources: 0, flood_announcers: 161, flood_sources: 0 });
  assert.match(textSummary(cdp.report, 'out'), /\n {2}not devices: 161 made-up CDP\/LLDP neighbors \(a flood\)\n/);
  // report.html says so under its inventory table.
  assert.match(renderHtml(hping.report), /<p class="muted" id="not-devices">Not devices, left out of the inventory: 1,335 forged sources \(bare SYNs nothing answered, one packet each from scattered addresses, or decoys of a scan\)\.<\/p>/);
  assert.match(renderHtml(cdp.report), /id="not-devices">Not devices, left out of the inventory: 161 made-up CDP\/LLDP neighbors \(a flood\)\./);
  const plain = await runPipeline([join(gen, 'generated-vrrp-takeover.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  assert.equal(plain.report.not_devices, undefined);
  assert.doesNotMatch(textSummary(plain.report, 'out'), /not devices/);
  assert.doesNotMatch(renderHtml(plain.report), /not-devices/);
});

test('forwardedFrom(): initial TTLs are no evidence of routing; anything below one is', () => {
  for (const t of [0, 30, 32, 60, 64, 128, 255]) assert.equal(forwardedFrom(t), 0, String(t));
  assert.equal(forwardedFrom(63), 64);
  assert.equal(forwardedFrom(127), 128);
  assert.equal(forwardedFrom(122), 128);
  assert.equal(forwardedFrom(254), 255);
  assert.equal(forwardedFrom(31), 32);
  assert.equal(forwardedFrom(1), 30);
});

test('inventory: broadcast and multicast addresses never become devices', { skip }, async () => {
  for (const f of ['zeek/traces/wikipedia.pcap', 'arkime/tests/pcap/nbns.pcap', 'arkime/tests/pcap/bacnet-stack-services.pcap']) {
    const { devices } = await runInventory([corpus(f)], { external: true });
    assert.ok(devices.length > 0, f);
    for (const d of devices) {
      assert.ok(d.mac === null || !/^(ff:ff:ff:ff:ff:ff|01:00:5e|33:33)/.test(d.mac), `${f}: ${d.mac}`);
      for (const ip of d.ips) assert.ok(!/^(22[4-9]|23\d|255)\.|^ff|\.255$|^0\.0\.0\.0$/i.test(ip), `${f}: ${ip}`);
    }
  }
});

test("inventory: services offered are Zeek's known services (host, port, protocol, service)", { skip }, async () => {
  const want = readZeekTsv(corpus(KNOWN_SERVICES));
  assert.ok(want.length >= 7);
  const { devices } = await runInventory([corpus('zeek/traces/var-services-std-ports.pcap')], { external: true });
  for (const r of want) {
    const d = deviceWithIp(devices, r.host);
    assert.ok(d !== undefined, r.host);
    const svc = d.services.find((s) => s.startsWith(`${r.port_proto}/${r.port_num} `) || s === `${r.port_proto}/${r.port_num}`);
    assert.ok(svc !== undefined, `${r.host}: ${r.port_proto}/${r.port_num} not in ${d.services.join(', ')}`);
    assert.ok(svc.toLowerCase().split(' ')[1]?.split(',').includes(r.service.toLowerCase()), `${r.host}: ${svc} vs ${r.service}`);
  }
});

test('inventory: an ARP binding keeps an address on its MAC device', { skip }, async () => {
  const { devices } = await runInventory([corpus('arkime/tests/pcap/cloudshark-arp.pcap')], { external: true });
  const bound = devices.filter((d) => d.evidence.some((e) => e.fact === 'ip' && /^arp\./.test(e.source)));
  assert.ok(bound.length > 0);
  for (const d of bound) {
    assert.match(d.id, /^mac:/);
    for (const e of d.evidence.filter((x) => x.fact === 'ip' && /^arp\./.test(x.source))) assert.ok(d.ips.includes(e.value), `${d.id}: ${e.value}`);
  }
});

test('an address ARP binds to a MAC is that device\'s even when it sends no IP packet (nmap ARP sweep)', async () => {
  // tshark: 10.93.0.10 (5e:bf:84:e6:ff:3a) only answers ARP (six is-at replies) and 10.93.0.66
  // (8a:87:1c:74:ef:d7) only asks (514 who-has); neither sends an IPv4 packet, both send ICMPv6.
  const { devices } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor', 'generated-nmap-arp-sweep.pcap')]);
  assert.deepEqual(devices.map((d) => [d.id, d.ips]), [
    ['mac:5e:bf:84:e6:ff:3a', ['10.93.0.10', 'fe80::5cbf:84ff:fee6:ff3a']],
    ['mac:8a:87:1c:74:ef:d7', ['10.93.0.66', 'fe80::8887:1cff:fe74:efd7']],
  ]);
});

test('Neighbor Discovery: router advertisements make routers, solicitations and advertisements bind IPv6 addresses (generated: radvd, Linux, THC-IPv6)', async () => {
  // ndp/generate.sh: radvd on 02:97:06:00:00:01 and :02, the workstation :31, the attacker :66
  // (fake_router26, parasite6 claiming fd00:97:6::2). tshark: ndp/tshark.tsv.
  const { devices } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-ipv6-nd.pcap')]);
  const byMac = (m: string) => devices.find((d) => d.id === `mac:${m}`)!;
  for (const m of ['02:97:06:00:00:01', '02:97:06:00:00:02']) {
    const r = byMac(m);
    assert.equal(r.category, 'network', m);
    assert.ok(r.evidence.some((e) => e.fact === 'role' && e.value === 'ipv6-router' && e.source === 'ndp.ra'), m);
  }
  const ws = byMac('02:97:06:00:00:31');
  assert.notEqual(ws.category, 'network');
  assert.ok(ws.evidence.some((e) => e.fact === 'ip' && e.value === 'fd00:97:6:0:97:6ff:fe00:31' && /^ndp\.(ns|na)$/.test(e.source)));
  // The address parasite6 claimed stays with the router that owns it.
  assert.equal(deviceWithIp(devices, 'fd00:97:6::2')?.id, 'mac:02:97:06:00:00:02');
});

// Synthetic: no capture here holds an ICMP router advertisement (RFC 1256; icmp.testutil.ts).
test('ICMP router discovery: a valid router advertisement makes its sender a router; a malformed one does not (synthetic)', async () => {
  const pcap = writePcap([
    { ts: 1, frame: frame(advert(0, 1, 2, 1800, [['10.97.10.1', 0]])) },
    { ts: 2, frame: frame(advert(0, 0, 2, 1800, []), '0a610a09').map((b, i) => (i === 11 ? 0x09 : b)) },
  ]);
  const { devices } = await runInventory([pcap]);
  const r = devices.find((d) => d.id === 'mac:02:97:0a:00:00:01')!;
  assert.equal(r.category, 'network');
  assert.ok(r.evidence.some((e) => e.fact === 'role' && e.value === 'router' && e.source === 'icmp.router_advertisement'));
  assert.ok(!devices.some((d) => d.id === 'mac:02:97:0a:00:00:09' && d.evidence.some((e) => e.fact === 'role')));
});

test('Spanning Tree: the ports that send BPDUs are bridges (generated: Linux kernel bridges, Yersinia)', async () => {
  // stp/generate.sh: the edge bridge's port 02:97:0c:00:00:22; Yersinia posing as 02:97:0c:00:00:1f.
  const { devices } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-stp-root-claim.pcap')]);
  for (const m of ['02:97:0c:00:00:22', '02:97:0c:00:00:1f']) {
    const d = devices.find((x) => x.id === `mac:${m}`)!;
    assert.equal(d.category, 'network', m);
    assert.ok(d.evidence.some((e) => e.fact === 'role' && e.value === 'stp-bridge' && e.source === 'stp.bpdu'), m);
  }
});

test('HSRP: the routers of a group are routers (generated: hsrp/generate.sh)', async () => {
  const { devices } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-hsrp-takeover.pcap')]);
  for (const m of ['02:97:0e:00:00:02', '02:97:0e:00:00:03']) {
    const d = devices.find((x) => x.id === `mac:${m}`)!;
    assert.equal(d.category, 'network', m);
    assert.ok(d.evidence.some((e) => e.fact === 'role' && e.value === 'router' && e.source === 'hsrp.group'), m);
  }
});

test('VRRP: a master is a router, and its advertisements bind its address to its MAC (generated: keepalived, vrrp/generate.sh)', async () => {
  const { devices } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-vrrp-takeover.pcap')]);
  for (const [m, ip] of [['02:97:0f:00:00:02', '10.97.15.2'], ['02:97:0f:00:00:66', '10.97.15.66']]) {
    const d = devices.find((x) => x.id === `mac:${m}`)!;
    assert.equal(d.category, 'network', m);
    assert.ok(d.ips.includes(ip), m);
    assert.ok(d.evidence.some((e) => e.fact === 'role' && e.value === 'router' && e.source === 'vrrp.advertisement'), m);
  }
  // The backup never advertises: VRRP says nothing of it.
  assert.ok(!devices.some((x) => x.id === 'mac:02:97:0f:00:00:03'));
});

test('a decoy scan (nmap -D) makes its scanner no router, gives the borrowed addresses to their own devices and leaves the made-up ones out (generated-decoy-scan.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'decoy');
  const r = await runPipeline([join(dir, 'generated-decoy-scan.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  // tshark: ARP binds each of the four hosts to its own MAC; the server answered (RST or SYN+ACK)
  // only the three of them; 10.94.0.42 and nmap's two random public decoys got nothing back.
  const arp = readTsharkFields(join(dir, 'generated-decoy-scan.arp.tshark.tsv')).slice(1);
  const bound = new Map(arp.filter((r) => r[0] === '1').map((r) => [r[2], r[1]]));
  assert.equal(bound.size, 4);
  const devices = r.report.devices.map((d) => [d.id, d.ips.filter((ip) => !ip.includes(':'))]);
  assert.deepEqual(devices, [
    ['mac:02:94:00:00:00:31', ['10.94.0.31']],
    ['mac:02:94:00:00:00:41', ['10.94.0.41']],
    ['mac:02:94:00:00:00:51', ['10.94.0.51']],
    ['mac:02:94:00:00:00:61', ['10.94.0.61']],
  ]);
  for (const [ip, mac] of bound) assert.ok(devices.some(([id, ips]) => id === `mac:${mac}` && (ips as string[]).includes(ip)), ip);
  const scanner = r.report.devices.find((d) => d.id === 'mac:02:94:00:00:00:31')!;
  assert.notEqual(scanner.category, 'network');
  assert.ok(!scanner.evidence.some((e) => e.fact === 'role' && e.value === 'router'));
  assert.deepEqual(r.report.not_devices, { forged_sources: 3, flood_announcers: 0, flood_sources: 0 });
  // The scan finding is the scanner's, the one alert of the capture.
  const scans = r.report.findings.filter((f) => f.rule === 'scan');
  assert.deepEqual(scans.map((f) => f.device), ['mac:02:94:00:00:00:31']);
});

test('a station sending for addresses of its own subnet that nothing ever answers made them up: a SYN flood from forged local sources lists no device for them (generated-local-forged-flood.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  const r = await runPipeline([join(dir, 'generated-local-forged-flood.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  // tshark: 151 source addresses, all from the attacker's MAC, none answered ARP; ARP binds the
  // attacker's own 10.96.0.31 to that MAC.
  const syns = readTsharkFields(join(dir, 'generated-local-forged-flood.syns.tshark.tsv'));
  const arp = readTsharkFields(join(dir, 'generated-local-forged-flood.arp.tshark.tsv'));
  assert.ok(arp.some((r) => r[2] === '02:96:00:00:00:31' && r[3] === '10.96.0.31'));
  assert.deepEqual(r.report.not_devices, { forged_sources: new Set(syns.map((x) => x[2])).size, flood_announcers: 0, flood_sources: 0 });
  assert.deepEqual(
    r.report.devices.map((d) => [d.id, d.ips.filter((ip) => !ip.includes(':'))]),
    [
      ['mac:02:96:00:00:00:31', ['10.96.0.31']],
      ['mac:02:96:00:00:00:41', ['10.96.0.41']],
      ['mac:02:96:00:00:00:61', ['10.96.0.61']],
    ],
  );
});
