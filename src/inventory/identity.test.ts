// Identity: one device per MAC on the segment, routers recognised and the hosts behind them
// keyed by address, services offered. Expectations from Zeek's known-hosts test on
// wikipedia.pcap (141.142.220.118 local; 208.80.152.2/.3/.118 remote) and known-services test on
// var-services-std-ports.pcap (every host, port, protocol and service Zeek logs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus, readZeekTsv } from '../testutil/corpus.js';
import { deviceWithIp, runInventory } from './testutil.js';

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
