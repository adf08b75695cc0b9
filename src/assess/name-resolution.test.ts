// poisonable-name-resolution on the corpus captures holding LLMNR queries or NetBIOS name queries
// broadcast (a scan of every corpus capture with tshark found these): nDPI's netbios.pcap,
// Zeek's wikipedia.pcap, suricata-verify's llmnr-udp and smb2-ntlmssp-negotiateflags. Expectations:
// tshark 4.0's queries (test/fixtures/name-resolution/*.tshark.tsv, the command in its README)
// and suricata-verify's EVE expectations for llmnr-udp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { assessCaptures } from './testutil.js';

const skip = !haveCorpus() && 'shared corpus not present';
const FIX = join(REPO_ROOT, 'test', 'fixtures', 'name-resolution');

/** tshark's queries by sender: the names as the finding writes them (NetBIOS suffixes other than <00> and <20> kept). */
function expected(name: string): Map<string, { names: Set<string>; protocols: Set<string> }> {
  const out = new Map<string, { names: Set<string>; protocols: Set<string> }>();
  for (const l of readFileSync(join(FIX, `${name}.tshark.tsv`), 'utf8').split('\n')) {
    if (l === '') continue;
    const [, src4, src6, , , port, qname, nbname] = l.split('\t');
    const src = src4 !== '' ? src4 : src6;
    const e = out.get(src) ?? { names: new Set<string>(), protocols: new Set<string>() };
    out.set(src, e);
    if (port === '5355') {
      e.protocols.add('LLMNR');
      e.names.add(qname);
    } else {
      e.protocols.add('NetBIOS');
      const m = /^(.*?)<([0-9a-f]{2})>$/.exec(nbname)!;
      e.names.add(m[2] === '00' || m[2] === '20' ? m[1] : `${m[1]}<${m[2]}>`);
    }
  }
  return out;
}

/** tshark's DHCPv6 messages: the SOLICIT senders, and whether any server answered (ADVERTISE 2, REPLY 7). */
function dhcp6(name: string): { solicit: Set<string>; served: boolean } {
  const path = join(FIX, `${name}.dhcpv6.tsv`);
  const rows = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t')) : [];
  return { solicit: new Set(rows.filter((r) => r[3] === '1').map((r) => r[1])), served: rows.some((r) => r[3] === '2' || r[3] === '7') };
}

const CASES: [string, string[]][] = [
  ['netbios', ['ndpi', 'pcap', 'netbios.pcap']],
  ['wikipedia', ['zeek', 'traces', 'wikipedia.pcap']],
  ['llmnr-udp', ['suricata-verify', 'tests', 'llmnr', 'llmnr-udp', 'input.pcap']],
  ['smb2-ntlmssp-negotiateflags', ['suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap']],
];

for (const [name, path] of CASES) {
  test(`poisonable-name-resolution on ${name}: each host that asked, with every name tshark shows it asking`, { skip }, async () => {
    const want = expected(name);
    const d6 = dhcp6(name);
    const { result, run } = await assessCaptures([corpus(...path)]);
    run.cleanup();
    const found = result.findings.filter((f) => f.rule === 'poisonable-name-resolution');
    // One finding per device; a device's IPv4 and link-local IPv6 queries are one device's.
    const devices = new Set<string>();
    for (const [src, e] of want) {
      const f = found.find((x) => result.devices.find((d) => d.id === x.device)?.ips.includes(src));
      assert.ok(f !== undefined, `${name}: ${src} asked ${[...e.names].join(', ')}`);
      devices.add(f.device);
      // Names compare without case (both protocols ignore it); the detail lists them all when few, the evidence up to 8 queries.
      const listed = f.detail.toLowerCase();
      for (const n of e.names) assert.ok(listed.includes(`"${n.toLowerCase()}"`), `${src}: ${n} in ${f.detail}`);
      for (const p of e.protocols) assert.match(f.title, new RegExp(p));
      const unanswered = !d6.served && result.devices.find((d) => d.id === f.device)!.ips.some((ip) => d6.solicit.has(ip));
      assert.equal(f.severity, [...e.names].some((n) => /^wpad(\.|$|<)/i.test(n)) || unanswered ? 'high' : 'medium', `${src}: ${f.severity}`);
      assert.equal(f.title.includes('DHCPv6'), unanswered, `${src}: ${f.title}`);
    }
    // DHCPv6 SOLICITs no server answered make a finding of their own where no name was asked.
    if (!d6.served) {
      for (const src of d6.solicit) {
        const f = found.find((x) => result.devices.find((d) => d.id === x.device)?.ips.includes(src));
        assert.ok(f !== undefined && /DHCPv6/.test(f.title) && f.severity === 'high', `${name}: ${src} solicited DHCPv6 unanswered`);
        devices.add(f.device);
      }
    }
    assert.equal(found.length, devices.size, 'no finding for a host tshark shows asking nothing');
  });
}

test("llmnr-udp: suricata-verify's LLMNR request for hs2011 (EVE llmnr.queries[0].rrname) is the finding's evidence", { skip }, async () => {
  const { result, run } = await assessCaptures([corpus('suricata-verify', 'tests', 'llmnr', 'llmnr-udp', 'input.pcap')]);
  run.cleanup();
  const [f] = result.findings.filter((x) => x.rule === 'poisonable-name-resolution');
  assert.equal(f.severity, 'medium');
  assert.deepEqual(f.evidence.map((e) => [e.fact, e.value, e.source, e.packet]), [['name-query', 'LLMNR query for "hs2011" to 224.0.0.252', 'dns.query', 1]]);
  assert.match(f.detail, /by LLMNR multicast: the name "hs2011"\. Any host of the segment can answer/);
});

test('smb2-ntlmssp-negotiateflags: the Windows hosts asked for WPAD (LLMNR and NetBIOS): high, a WPAD query among the evidence', { skip }, async () => {
  const { result, run } = await assessCaptures([corpus('suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap')]);
  run.cleanup();
  // (The third Windows host only solicited DHCPv6: the test below.)
  const found = result.findings.filter((x) => x.rule === 'poisonable-name-resolution' && /asks the whole segment/.test(x.detail));
  assert.ok(found.length >= 2);
  for (const f of found) {
    assert.equal(f.severity, 'high');
    assert.ok(f.evidence.some((e) => /query for "wpad"/i.test(e.value)), JSON.stringify(f.evidence.map((e) => e.value)));
    assert.match(f.detail, /It asked for WPAD too/);
  }
});

test("DHCPv6 answered (Wireshark's sample: a SOLICIT, its ADVERTISE, REQUEST and REPLY) is no exposure; smb2-ntlmssp-negotiateflags' three Windows hosts solicit and nobody answers", { skip }, async () => {
  assert.equal(dhcp6('wireshark-dhcpv6').served, true);
  const a = await assessCaptures([corpus('arkime', 'tests', 'pcap', 'wireshark-dhcpv6.pcap')]);
  a.run.cleanup();
  assert.deepEqual(a.result.findings.filter((f) => f.rule === 'poisonable-name-resolution'), []);
  const want = dhcp6('smb2-ntlmssp-negotiateflags');
  assert.equal(want.solicit.size, 3);
  const b = await assessCaptures([corpus('suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap')]);
  b.run.cleanup();
  const found = b.result.findings.filter((f) => f.rule === 'poisonable-name-resolution' && /DHCPv6/.test(f.title));
  assert.equal(found.length, 3);
  for (const f of found) {
    const e = f.evidence.find((x) => x.fact === 'dhcpv6-solicit')!;
    assert.match(e.value, /^DHCPv6 SOLICIT to ff02::1:2 \(vendor class enterprise 311\)$/);
    assert.match(f.detail, /solicited DHCPv6 configuration \(\d+ SOLICITs\) and no DHCPv6 server answered on its link: any host can answer and name itself as the device's DNS server \(mitm6\)/);
  }
});
