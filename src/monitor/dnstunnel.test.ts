// dns-tunnel on nDPI's captures of DNS tunnels, whose results flag them (dns-tunnel-iodine.pcap:
// "Susp DNS Traffic"; bad-dns-traffic.pcap and dns_exfiltration.pcap: "Susp DGA Domain name",
// "Risky Domain Name"), and on ordinary DNS: Zeek's var-services trace (a dozen short google.com
// names), nDPI's dns.pcap. A single odd query (nDPI's dns-exf.pcap, flagged for its entropy) is not
// a tunnel: the detector needs volume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import { splitName } from './dnstunnel.js';
import { createHash } from 'node:crypto';
import { writeUdpPcap, type UdpPacket } from '../testutil/pcapwriter.js';

const skip = !haveCorpus();

async function tunnels(pcap: string) {
  const mon = new Monitor({});
  await runCaptures([corpus(pcap)], undefined, { onEvent: mon.onEvent, onConn: mon.onConn }).then((r) => r.cleanup());
  return mon.finish().filter((a) => a.rule === 'dns-tunnel');
}

test('iodine, a skullseclabs tunnel and dnscat2 raise one high dns-tunnel alert each, on the client, naming the domain', { skip }, async () => {
  const cases: [string, string, string, string][] = [
    // [capture, client, domain, resolver] as tshark's dns queries show them
    ['ndpi/pcap/dns-tunnel-iodine.pcap', '10.0.2.30', 'pirate.sea', '10.0.2.20'],
    ['ndpi/pcap/bad-dns-traffic.pcap', '192.168.43.91', 'skullseclabs.org', '4.2.2.4'],
    ['ndpi/pcap/dns_exfiltration.pcap', '192.168.220.56', 'dnscat', '192.168.203.167'],
  ];
  for (const [pcap, client, domain, server] of cases) {
    const a = await tunnels(pcap);
    assert.equal(a.length, 1, pcap);
    assert.equal(a[0].severity, 'high');
    assert.equal(a[0].device, `ip:${client}`);
    assert.equal(a[0].peer, server);
    assert.match(a[0].why, new RegExp(`below ${domain.replace('.', '\\.')} within`));
    assert.equal(a[0].evidence.length, 3);
    assert.ok(a[0].evidence.every((e) => e.source === 'dns.query' && e.packet > 0));
  }
});

test('ordinary lookups and a single odd query are no tunnel', { skip }, async () => {
  for (const pcap of ['zeek/traces/var-services-std-ports.pcap', 'ndpi/pcap/dns.pcap', 'ndpi/pcap/dns-exf.pcap', 'zeek/traces/wikipedia.pcap']) assert.deepEqual(await tunnels(pcap), [], pcap);
});

test('splitName(): the domain is the last two labels, or the first when the last is no top-level domain', () => {
  assert.deepEqual(splitName('laegpumiplhhpz12ynd1efljwlkjcgwy.pirate.sea'), { domain: 'pirate.sea', payload: 'laegpumiplhhpz12ynd1efljwlkjcgwy' });
  assert.deepEqual(splitName('dnscat.546b03f5.5a03b5b1'), { domain: 'dnscat', payload: '546b03f55a03b5b1' });
  assert.equal(splitName('www.example'), null);
  assert.equal(splitName('1.0.0.127.in-addr.arpa'), null);
  assert.equal(splitName('printer.ward3.local'), null);
});

/** A DNS query for `name` (RFC 1035 §4.1: header, one question of type A, class IN). */
function query(id: number, name: string): Uint8Array {
  const q: number[] = [];
  for (const l of name.split('.')) q.push(l.length, ...Buffer.from(l, 'latin1'));
  return Uint8Array.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...q, 0, 0, 1, 0, 1]);
}

test('reputation lookups below an allowed domain are no tunnel; the same stream below another domain is (synthetic)', async () => {
  const stream = (domain: string): UdpPacket[] =>
    Array.from({ length: 31 }, (_, i) => ({ ts: 1000 + i, src: '10.0.0.5', sport: 40000 + i, dst: '10.0.0.53', dport: 53, payload: query(i + 1, `${createHash('sha256').update(String(i)).digest('hex').slice(0, 40)}.f.${domain}`) }));
  const run = async (pkts: UdpPacket[]) => {
    const mon = new Monitor({});
    await runCaptures([writeUdpPcap(pkts)], undefined, { onEvent: mon.onEvent, onConn: mon.onConn }).then((r) => r.cleanup());
    return mon.finish().filter((a) => a.rule === 'dns-tunnel');
  };
  assert.deepEqual(await run(stream('sophosxl.net')), []);
  assert.equal((await run(stream('evil-cdn.example'))).length, 1);
});
