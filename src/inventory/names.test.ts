// Host names and the facts that come with them, on real captures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { classify } from './classify.js';
import type { Fact } from './facts.js';
import { hostnameClaim } from './os-parse.js';
import { loadRules } from './rules.js';
import { DEFAULT_KB_DIR } from '../knowledge/kb.js';
import { deviceWithIp, runInventory } from './testutil.js';

const skip = !haveCorpus();

test('inventory: a browser DomainAnnouncement names the workgroup, not a host, and states no OS (nbns.pcap)', { skip }, async () => {
  // tshark on packet 55: "Domain/Workgroup Announcement WORKGROUP", Master Browser Server Name
  // MDJR98. MS-BRWS §2.2.7: the name field is the machine group, the comment the master browser,
  // and the version bytes are BrowserConfigVersion (Windows 7 sends 3.10 there).
  const { devices } = await runInventory([corpus('arkime/tests/pcap/nbns.pcap')]);
  const d = deviceWithIp(devices, '192.168.239.129');
  assert.ok(d !== undefined);
  assert.deepEqual(d.hostnames, ['MDJR98']);
  const at55 = d.evidence.filter((e) => e.packet === 55);
  assert.ok(at55.some((e) => e.fact === 'workgroup' && e.value === 'WORKGROUP' && e.source === 'browser.machine_group'), JSON.stringify(at55));
  assert.ok(!at55.some((e) => e.fact === 'os' || e.fact === 'server_type'), JSON.stringify(at55));
  // The host announcements (packets 30, 33, 54) still state the OS version and server type.
  assert.ok(d.evidence.some((e) => e.source === 'browser.os_version' && e.packet === 30));
});

test('inventory: an OS default name adds a weak claim that agrees with NTLM (smb2-ntlmssp-negotiateflags)', { skip }, async () => {
  // Suricata-verify capture: two Windows 10 hosts whose DHCP option 12 is Windows setup's
  // "DESKTOP-" + 7 random letters and digits; NTLM VERSION (10.0.10586) decides the release.
  const { devices } = await runInventory([corpus('suricata-verify/tests/smb2-ntlmssp-negotiateflags/input.pcap')]);
  const desktops = devices.filter((d) => d.hostnames.some((h) => /^DESKTOP-[A-Z0-9]{7}$/.test(h)));
  assert.equal(desktops.length, 2);
  for (const d of desktops) {
    assert.equal(d.os?.name, 'Windows 10 1511');
    assert.equal(d.category, 'workstation');
    const claim = d.evidence.find((e) => e.source === 'hostname.pattern');
    assert.equal(claim?.value, 'Windows 10 or 11');
    const name = d.evidence.find((e) => e.fact === 'hostname' && e.value === d.hostnames[0]);
    assert.equal(claim?.packet, name?.packet, 'the claim cites the packet that carried the name');
    assert.match(d.category_reason ?? '', /hostname\.self=DESKTOP-/);
  }
});

test('inventory: a MacBook named so, whose DHCP fingerprint is Windows, is a Windows MacBook (dhcp-eve-extended-option-60)', { skip }, async () => {
  // DHCP option 12 "NicksMacBook", Apple OUI 28:cf:da, option 60 "MSFT 5.0" and a Windows option 55
  // (Satori: Windows 7 / Vista / 2008): Boot Camp. The name says the hardware, not the OS.
  const { devices } = await runInventory([corpus('suricata-verify/tests/dhcp-eve-extended-option-60/input.pcap')]);
  const d = devices.find((x) => x.mac === '28:cf:da:dc:8d:76');
  assert.ok(d !== undefined);
  assert.equal(d.model, 'MacBook');
  assert.equal(d.vendor, 'Apple');
  assert.equal(d.os?.family, 'Windows');
  assert.equal(d.category, 'workstation');
});

test('inventory: an mDNS host name MBPro is a MacBook Pro unless a better model is stated (tls_certificate_too_long)', { skip }, async () => {
  const { devices } = await runInventory([corpus('ndpi/pcap/tls_certificate_too_long.pcap')]);
  const d = devices.find((x) => x.mac === 'f0:18:98:15:65:7c');
  assert.ok(d !== undefined);
  assert.deepEqual(d.hostnames, ['MBPro.local']);
  assert.equal(d.vendor, 'Apple');
  // mDNS _device-info TXT model=MacBookPro14,1 is a heavier rule than the host name's.
  assert.equal(d.model, 'MacBookPro14,1');
  assert.equal(d.os?.family, 'macOS');
  assert.equal(d.category, 'workstation');
  // Its mDNS response (packet 20) lists MBPro.local's A record, its own source address, and an
  // AAAA record for the same name: that link-local address is the same Mac, not a device of its own.
  assert.deepEqual(d.ips, ['192.168.1.121', 'fe80::829:b8e7:3737:6dbe']);
  assert.equal(devices.filter((x) => x.ips.includes('fe80::829:b8e7:3737:6dbe')).length, 1);
});

// Synthetic: default names no corpus capture carries (each pattern is a vendor's or an OS's
// documented default; see the rules file's comments).
test('hostnameClaim() and the hostname.self rules read default names and nothing else', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const cls = (name: string) => {
    const f: Fact = { fact: 'hostname', value: name, source: 'dhcp.option12', file: 'x', packet: 1, ts: 0, self: true, seq: 0 };
    return classify(rules, [f], [], () => '');
  };
  const cases: [string, string, string | null, string | null, string | null][] = [
    // name, category, vendor, model, OS family claimed
    ['android-1c1335ec95a27318', 'workstation', null, null, 'Android'],
    ['LAPTOP-4F2K9Q7M', 'workstation', null, null, 'Windows'],
    ['WIN-8F3KQ2M9ZT1', 'server', null, null, 'Windows'],
    ['Lucas-iPhone', 'workstation', 'Apple', 'iPhone', 'iOS'],
    ["Gabriele's iPad", 'workstation', 'Apple', 'iPad', 'iOS'],
    ['MACBOOKAIR-E1D0', 'workstation', 'Apple', 'MacBook Air', 'macOS'],
    ['HP3C4A92', 'printer', 'HP', null, null],
    ['BRN30055C8A1B2C', 'printer', 'Brother', null, null],
    ['SEP001122AABBCC', 'phone', 'Cisco', null, null],
    ['axis-00408cabcdef', 'camera', 'Axis Communications', null, null],
    ['TL-SG116E', 'network', 'TP-Link', 'TL-SG116E', null],
    ['ivan-Latitude-E6540', 'workstation', 'Dell', 'Latitude E6540', null],
    ['sanji-LIFEBOOK-LH531', 'workstation', 'Fujitsu', 'LIFEBOOK LH531', null],
  ];
  for (const [name, category, vendor, model, family] of cases) {
    const c = cls(name);
    assert.equal(c.category, category, name);
    assert.equal(c.vendor, vendor, name);
    assert.equal(c.model, model, name);
    assert.equal(hostnameClaim(name.split('.')[0])?.family ?? null, family, name);
  }
  // Names that merely contain a model word, and names of services, classify as nothing.
  for (const name of ['primacy-db', 'impact', 'HP-print-server', 'desktop-support', 'DESKTOP-SUPPORT', 'WIN-INFORMATION', 'android', 'Mbappe', 'www']) {
    assert.equal(cls(name).category, 'unknown', name);
    assert.equal(hostnameClaim(name), null, name);
  }
  // A name others gave the device (a DNS answer) is not read.
  const dns: Fact = { fact: 'hostname', value: 'lucas-iphone.example.org', source: 'dns.answer', file: 'x', packet: 1, ts: 0, self: false, seq: 0 };
  assert.equal(classify(rules, [dns], [], () => '').category, 'unknown');
});

// Synthetic: no capture in the corpus holds DICOM over TLS (PS3.15 Annex B, port 2762).
test('classify.rules: TLS answered on 2762 is a weak archive hint that any DICOM role outweighs', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const fact = (f: string, value: string, source: string, seq: number): Fact => ({ fact: f, value, source, file: 'x', packet: 1, ts: 0, self: true, seq });
  assert.equal(classify(rules, [fact('service', 'tcp/2762 ssl', 'conn.service', 0)], [], () => '').category, 'pacs');
  // The same port without TLS recognised says nothing, and a modality's worklist role wins.
  assert.equal(classify(rules, [fact('service', 'tcp/2762', 'conn.answered', 0)], [], () => '').category, 'unknown');
  assert.equal(classify(rules, [fact('service', 'tcp/2762 ssl', 'conn.service', 0), fact('role', 'worklist-scu', 'dicom.associate', 1)], [], () => '').category, 'imaging');
});

test('classify.rules: a database recognised by its protocol off its standard port is a server (Arkime oracle.pcap: Oracle on 1522)', { skip }, async () => {
  // Arkime's oracle.test: destination 10.0.0.17 port 1522, protocol oracle.
  const { devices } = await runInventory([corpus('arkime/tests/pcap/oracle.pcap')]);
  const d = deviceWithIp(devices, '10.0.0.17')!;
  assert.deepEqual(d.services, ['tcp/1522 oracle']);
  assert.equal(d.category, 'server');
});

// Synthetic facts: the standard ports keep their own rules, so a service is not counted twice.
test('classify.rules: protocol-named services count once, on a standard port or off it', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const fact = (value: string): Fact => ({ fact: 'service', value, source: 'conn.service', file: 'x', packet: 1, ts: 0, self: true, seq: 0 });
  const weightOf = (v: string): string => classify(rules, [fact(v)], [], () => '').reason;
  for (const v of ['tcp/3306 mysql', 'tcp/13306 mysql', 'tcp/2525 smtp', 'tcp/25 smtp', 'tcp/8000 ssh', 'tcp/22 ssh', 'tcp/5000 http,websocket']) assert.equal(classify(rules, [fact(v)], [], () => '').category, 'server', v);
  // the same score on and off the standard port: one rule fired each time
  assert.match(weightOf('tcp/3306 mysql'), /^server, score 5: /);
  assert.match(weightOf('tcp/13306 mysql'), /^server, score 5: /);
  assert.match(weightOf('tcp/25 smtp'), /^server, score 4: /);
  assert.equal(classify(rules, [fact('tcp/9999')], [], () => '').category, 'unknown');
});
