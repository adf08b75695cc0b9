// encrypted-dns on nDPI's captures of DNS over TLS (Android's Private DNS to dns.google, a
// client to 8.8.8.8:853), DNS over HTTPS (Firefox to mozilla.cloudflare-dns.com, dnscrypt-proxy
// to 30 DoH resolvers) and DNSCrypt (dnscrypt-proxy v1 and v2). Expectations: nDPI's labels
// (DoH_DoT, DNScrypt) for which resolvers are encrypted DNS, tshark 4.0's frame numbers for
// the first sign; where wardline and nDPI differ, the test names why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../testutil/corpus.js';
import { join } from 'node:path';
import { ndpiFlows } from '../testutil/peers.js';
import { assessCaptures } from './testutil.js';
import { dohHost, encryptedDnsSign } from '../knowledge/encrypted-dns.js';
import { Monitor } from '../monitor/monitor.js';

const skip = !haveCorpus() && 'shared corpus not present';

test('resolver names: the operators\' endpoints and DoH-named hosts; never a Department of Health, a web site or a look-alike', () => {
  // Names only (no traffic): each documented by its operator or a public resolver list.
  for (const n of ['dns.google', 'mozilla.cloudflare-dns.com', 'cloudflare-dns.com', 'dns10.quad9.net', 'dns.quad9.net', 'doh.opendns.com', 'abc123.dns.nextdns.io', 'unfiltered.adguard-dns.com', 'doh.libredns.gr', 'doh-2.seby.io', 'fi.doh.dns.snopyta.org', 'odoh.crypto.sx', 'DNS.Google.']) assert.ok(dohHost(n), n);
  // Web sites, look-alikes and government health departments ("DOH"), which hospitals visit.
  for (const n of ['www.quad9.net', 'quad9.net', 'www.cloudflare-dns.com', 'simplednscrypt.org', 'google.com', 'doh.wa.gov', 'www.doh.wa.gov', 'doh.state.fl.us', 'doh.gov.ph', 'doh', 'doh.org', 'dohmain.example.com', 'dot.ca.gov', 'mydns.google.com.evil.example']) assert.ok(!dohHost(n), n);
  // Port 853 is DNS over TLS whatever the name; a public resolver's address without a name on 443 is DoH.
  assert.equal(encryptedDnsSign({ type: 'ssl.client_hello', server_name: 'example.org', alpn: [] }, '192.0.2.1', 853)?.protocol, 'DNS over TLS');
  assert.equal(encryptedDnsSign({ type: 'ssl.client_hello', alpn: ['h2'] }, '1.1.1.1', 443)?.protocol, 'DNS over HTTPS');
  assert.equal(encryptedDnsSign({ type: 'ssl.client_hello', server_name: 'www.example.org', alpn: ['h2'] }, '1.1.1.1', 443), null);
  assert.equal(encryptedDnsSign({ type: 'quic.session', client_protocol: 'doq-i02' }, '94.140.14.14', 8853)?.protocol, 'DNS over QUIC');
});

/** nDPI's encrypted-DNS resolvers of a capture (the responder of each DoH_DoT or DNScrypt flow). */
function ndpiResolvers(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of ndpiFlows(corpus('ndpi', 'result', `${file}.out`))) if (/DoH_DoT|DNScrypt/.test(f.app)) out.set(f.b, `${f.app} ${f.bPort} ${f.hostname ?? ''}`.trim());
  return out;
}

/** Where wardline and nDPI legitimately differ, by capture and resolver. */
const NOT_WARDLINE: Record<string, Record<string, string>> = {
  'dnscrypt-v2-doh.pcap': {
    // rumpelsepp.org is a personal web site that also answers DoH at /dns-query: the name alone cannot tell.
    '116.203.179.248': 'a personal web site that also serves DoH under the same name',
  },
  // dnscrypt-proxy and its resolver on loopback: nothing leaves the host.
  'dnscrypt-v2.pcap': { '127.0.0.2': 'a resolver on the same host is not outside the site' },
  // nDPI labels by port a flow caught mid-way with 8.8.4.4:853 as its originator: no handshake, so
  // nothing shows it is TLS; the client's other handshakes to 8.8.4.4 name it anyway.
  'googledns_android10.pcap': { '192.168.1.159': "the client itself, as responder of a flow nDPI labels by port alone" },
  // An HTTPS visit to the web site simplednscrypt.org: nDPI matches "dnscrypt" in the name.
  'simple-dnscrypt.pcap': { '134.119.26.24': 'a web site about DNSCrypt, not a resolver' },
};

const CASES: [string, string, string[]][] = [
  ['dns_doh.pcap', '172.20.10.4', ['DNS over HTTPS']],
  ['dns_dot.pcap', '192.168.1.185', ['DNS over TLS']],
  ['googledns_android10.pcap', '192.168.1.159', ['DNS over TLS']],
  ['dnscrypt-v2-doh.pcap', '10.0.0.1', ['DNS over HTTPS']],
  ['dnscrypt-v1-and-resolver-pings.pcap', '10.0.0.1', ['DNSCrypt']],
  ['dnscrypt_skype_false_positive.pcapng', '192.168.2.100', ['DNSCrypt']],
  ['dnscrypt-v2.pcap', '', []],
  ['simple-dnscrypt.pcap', '', []],
];

for (const [file, client, protocols] of CASES) {
  test(`${file}: the resolvers nDPI labels encrypted DNS are wardline's, one finding on ${client || 'no device'}`, { skip }, async () => {
    const a = await assessCaptures([corpus('ndpi', 'pcap', file)]);
    try {
      const got = new Map<string, string>();
      for (const h of a.obs.hosts.values()) for (const o of h.encryptedDns.values()) got.set(o.resolver, `${h.addr} ${o.protocol}`);
      const exceptions = NOT_WARDLINE[file] ?? {};
      const want = [...ndpiResolvers(file).keys()].filter((r) => exceptions[r] === undefined).sort();
      assert.deepEqual([...got.keys()].sort(), want);
      for (const v of got.values()) assert.ok(v.startsWith(`${client} `), v);
      const f = a.result.findings.filter((x) => x.rule === 'encrypted-dns');
      assert.equal(f.length, client === '' ? 0 : 1);
      if (client !== '') {
        const d = a.result.devices.find((x) => x.id === f[0].device)!;
        assert.ok(d.ips.includes(client), f[0].device);
        assert.equal(f[0].title, `Encrypted DNS around the site's resolvers (${protocols.join(', ')})`);
      }
    } finally {
      a.run.cleanup();
    }
  });
}

test("DNS over QUIC (nDPI's extract of two DoQ flows): the site client's to AdGuard on 784 is DoQ alone, though its ClientHello also reaches ssl.log; the loopback one is none", async () => {
  // test/fixtures/ndpi/ndpi-quic.pcap: nDPI labels both QUIC.DoH_DoT, the loopback one with ALPN doq-i00.
  const pcap = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-quic.pcap');
  const ndpi = ndpiFlows(join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-quic.pcap.out')).filter((f) => f.app === 'QUIC.DoH_DoT');
  assert.deepEqual(ndpi.map((f) => [f.a, f.b, f.bPort]).sort(), [['192.168.12.169', '94.140.14.14', 784], ['::1', '::1', 784]]);
  const a = await assessCaptures([pcap]);
  try {
    const got = [...a.obs.hosts.values()].flatMap((h) => [...h.encryptedDns.values()].map((o) => [h.addr, o.resolver, o.protocol]));
    assert.deepEqual(got, [['192.168.12.169', '94.140.14.14', 'DNS over QUIC']]);
    const [f] = a.result.findings.filter((x) => x.rule === 'encrypted-dns');
    assert.equal(f.title, "Encrypted DNS around the site's resolvers (DNS over QUIC)");
    assert.match(f.detail, /QUIC to dns\.adguard\.com \(94\.140\.14\.14\) on port 784 offering ALPN doq/);
  } finally {
    a.run.cleanup();
  }
});

test("the evidence is the first sign, its packet and time tshark's: Android's first ClientHello to dns.google", { skip }, async () => {
  const a = await assessCaptures([corpus('ndpi', 'pcap', 'googledns_android10.pcap')]);
  try {
    const [f] = a.result.findings.filter((x) => x.rule === 'encrypted-dns');
    // tshark: frame 10 (1592552825.928997) to 8.8.4.4 and frame 12 to 8.8.8.8, both naming dns.google.
    assert.deepEqual(f.evidence.map((e) => [e.packet, e.ts, e.source]), [
      [10, 1592552825.928997, 'ssl.server_name'],
      [12, 1592552825.929471, 'ssl.server_name'],
    ]);
    assert.match(f.detail, /2 outside resolvers \(8\.8\.4\.4, 8\.8\.8\.8\) using DNS over TLS: TLS to dns\.google \(8\.8\.4\.4\) on port 853/);
  } finally {
    a.run.cleanup();
  }
});

test('a DNSCrypt session is dated by its own first packet, not by the packet that ended its connection', { skip }, async () => {
  const a = await assessCaptures([corpus('ndpi', 'pcap', 'dnscrypt_skype_false_positive.pcapng')]);
  try {
    const [f] = a.result.findings.filter((x) => x.rule === 'encrypted-dns');
    // tshark: the resolver's first answer is frame 2 at 1625015363.881095.
    assert.deepEqual(f.evidence.map((e) => [e.packet, e.ts, e.source]), [[2, 1625015363.881095, 'dnscrypt.responses']]);
  } finally {
    a.run.cleanup();
  }
});

test('the monitor raises one encrypted-dns alert per client with the same first sign (postureAlerts)', { skip }, async () => {
  const pcap = corpus('ndpi', 'pcap', 'googledns_android10.pcap');
  const m = new Monitor({ fileName: () => pcap });
  const run = await runCaptures([pcap], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const alerts = m.finish().filter((x) => x.rule === 'encrypted-dns');
  assert.equal(alerts.length, 1);
  assert.deepEqual([alerts[0].peer, alerts[0].evidence[0].packet, alerts[0].severity], ['8.8.4.4', 10, 'medium']);
});
