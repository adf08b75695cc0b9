// Rules that need a device identity the corpus captures do not reveal (a medical device's model
// and firmware, a Windows build next to an RDP server): real traffic where the corpus has it,
// with the device's identity set by the test, and the expected CVEs and advisories read from the
// feeds themselves. Where no capture shows the fact at all (SMB 3.1.1 compression), the test
// feeds a synthetic analyzer event and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { PacketMeta } from '../decode/packet.js';
import { testConn } from '../testutil/conn.js';
import type { Category, Device } from '../report/model.js';
import { assess } from './assess.js';
import { Observer } from './observe.js';
import { level } from './scoring.js';
import { assessCaptures, testKb } from './testutil.js';
import { subnetOf } from './segments.js';

const skip = !haveCorpus();
const kb = testKb();

function device(id: string, ips: string[], over: Partial<Device> = {}): Device {
  return {
    id,
    mac: null,
    ips,
    hostnames: [],
    vendor: null,
    model: null,
    category: 'unknown',
    medical: false,
    os: null,
    software: [],
    services: [],
    protocols: [],
    risk: { score: 0, level: 'low', factors: [] },
    evidence: [],
    ...over,
  };
}

function windows(name: string, version: string): Device['os'] {
  return { name, version, family: 'Windows', eol: null, eol_date: null };
}

function withOs(ip: string, os: Device['os'], category: Category = 'server') {
  return (ds: Device[]) => ds.map((d) => (d.ips.includes(ip) ? { ...d, os, category } : d));
}

test('BlueKeep (KEV) on a Windows Server 2008 R2 SP1 host that serves RDP, with the RDP evidence; not on Windows 10 22H2', { skip }, async () => {
  // Zeek rdp-to-ssl.pcap: the server's certificate is CN=WIN2K8R2…; its build is set here.
  const pcap = corpus('zeek', 'traces', 'rdp', 'rdp-to-ssl.pcap');
  const server = '192.168.1.150';
  const a = await assessCaptures([pcap], { devices: withOs(server, windows('Windows Server 2008 R2', '6.1.7601')) });
  try {
    const f = a.result.findings.find((x) => x.device === `ip:${server}` && x.cves.includes('CVE-2019-0708'))!;
    assert.equal(f.rule, 'known-exploited-vulnerability');
    assert.equal(f.severity, 'critical');
    assert.equal(f.kev, true);
    assert.equal(f.cvss, kb.nvdOf('CVE-2019-0708')!.cvss!.score);
    assert.ok(f.evidence.some((e) => e.source === 'rdp.session' && e.file === pcap && e.packet > 0));
    assert.match(f.remediation, new RegExp(kb.kevOf('CVE-2019-0708')!.dueDate));
    const d = a.result.devices.find((x) => x.id === `ip:${server}`)!;
    assert.ok(d.risk.factors.some((x) => x.id === 'known-exploited-vulnerability'));
    assert.ok(d.risk.factors.some((x) => x.id === 'cvss' && x.points === 20));
  } finally {
    a.run.cleanup();
  }
  const b = await assessCaptures([pcap], { devices: withOs(server, windows('Windows 10', '10.0.19045')) });
  try {
    assert.ok(!b.result.findings.some((x) => x.cves.includes('CVE-2019-0708')));
  } finally {
    b.run.cleanup();
  }
});

function syntheticObservations(events: { type: string; [k: string]: unknown }[]) {
  const o = new Observer({ kb, paths: () => ['synthetic.pcap'] });
  const m = new PacketMeta();
  for (const ev of events) {
    m.packetNo = typeof ev.packet === 'number' ? ev.packet : 1;
    o.onEvent(ev, null, m);
  }
  return o.result();
}

test('SMBGhost only for the Windows 10 releases NVD lists (synthetic smb.dialect: no corpus capture offers SMB 3.1.1 compression)', () => {
  const obs = syntheticObservations([{ type: 'smb.dialect', side: 'server', host: '10.9.9.9', version: 'SMB3', smb1: false, dialect: '3.1.1', compression_offered: true, compression_algorithms: ['LZNT1'], packet: 4 }]);
  for (const [ver, expect] of [['10.0.18363', true], ['10.0.18362', true], ['10.0.19041', false], ['10.0.17763', false]] as const) {
    const r = assess({ devices: [device('ip:10.9.9.9', ['10.9.9.9'], { os: windows('Windows 10', ver), category: 'workstation' })], observations: obs, kb, asOf: '2024-01-01' });
    const f = r.findings.find((x) => x.cves.includes('CVE-2020-0796'));
    assert.equal(f !== undefined, expect, ver);
    if (f !== undefined) assert.ok(f.evidence.some((e) => e.fact === 'smb-compression' && /LZNT1/.test(e.value)));
  }
});

test('MS17-010 (CVE-2017-0143) needs SMBv1 served on a listed Windows release', { skip }, async () => {
  // Arkime smb-smb1-ascii: 10.10.0.2 negotiates NT LM 0.12 and announces 6.1.7601.
  const a = await assessCaptures([corpus('arkime', 'tests', 'pcap', 'smb-smb1-ascii.pcap')]);
  try {
    const f = a.result.findings.find((x) => x.device === 'ip:10.10.0.2' && x.cves.includes('CVE-2017-0143'))!;
    assert.equal(f.rule, 'known-exploited-vulnerability');
    assert.ok(f.evidence.some((e) => e.source === 'smb.dialect' && /NT LM 0\.12/.test(e.value)));
  } finally {
    a.run.cleanup();
  }
  // The same host on Windows Server 2016 (not listed for MS17-010 with SMBv1 alone): no finding.
  const b = await assessCaptures([corpus('arkime', 'tests', 'pcap', 'smb-smb1-ascii.pcap')], { devices: withOs('10.10.0.2', windows('Windows Server 2019', '10.0.17763')) });
  try {
    assert.ok(!b.result.findings.some((x) => x.device === 'ip:10.10.0.2' && x.cves.includes('CVE-2017-0143')));
    assert.ok(b.result.findings.some((x) => x.device === 'ip:10.10.0.2' && x.rule === 'smbv1'));
  } finally {
    b.run.cleanup();
  }
});

test('a Windows release carries the fixes published well before it: no CVE-2010-2568 or CVE-2009-3103 on Server 2008 R2 SP1, no CVE-2008-4250 on Vista SP2; NVD naming the service pack stands', { skip }, async () => {
  // Arkime smb-smb1-ascii: 10.10.0.2 announces 6.1.7601 (Server 2008 R2 SP1, 2011-02-22) in NTLM.
  // NVD names "windows_server_2008:r2" with any update for CVE-2010-2568 (2010-07-22); the SMBv2
  // flaw CVE-2009-3103 (2009-09-08) names Server 2008 with any version. Both shipped fixed in SP1.
  const pcap = corpus('arkime', 'tests', 'pcap', 'smb-smb1-ascii.pcap');
  const cvesOf = (r: Awaited<ReturnType<typeof assessCaptures>>) => new Set(r.result.findings.filter((x) => x.device.endsWith('45:c0') || x.device === 'ip:10.10.0.2').flatMap((x) => x.cves));
  const a = await assessCaptures([pcap]);
  try {
    const d = a.result.devices.find((x) => x.ips.includes('10.10.0.2'))!;
    assert.equal(d.os?.version, '6.1.7601');
    const cves = cvesOf(a);
    for (const gone of ['CVE-2010-2568', 'CVE-2009-3103']) assert.ok(!cves.has(gone), gone);
    // CVE-2012-0002 names windows_server_2008:r2:sp1 itself; MS17-010 came after SP1.
    for (const kept of ['CVE-2012-0002', 'CVE-2017-0143', 'CVE-2019-0708']) assert.ok(cves.has(kept), kept);
  } finally {
    a.run.cleanup();
  }
  // The same host as Vista SP2 (6.0.6002, 2009-05-26): MS08-067 (CVE-2008-4250, NVD: vista with
  // any update, and sp1 by name) shipped in SP2; CVE-2009-3103 and CVE-2010-2568 (sp2 by name)
  // came after it.
  const b = await assessCaptures([pcap], { devices: withOs('10.10.0.2', windows('Windows Vista', '6.0.6002'), 'workstation') });
  try {
    const cves = cvesOf(b);
    assert.ok(!cves.has('CVE-2008-4250'));
    for (const kept of ['CVE-2009-3103', 'CVE-2010-2568']) assert.ok(cves.has(kept), kept);
  } finally {
    b.run.cleanup();
  }
  // Vista SP1 (6.0.6001): NVD names sp1 for CVE-2008-4250, and endoflife.date has no SP1 cycle.
  const c = await assessCaptures([pcap], { devices: withOs('10.10.0.2', windows('Windows Vista', '6.0.6001'), 'workstation') });
  try {
    assert.ok(cvesOf(c).has('CVE-2008-4250'));
  } finally {
    c.run.cleanup();
  }
});

test('medical-advisory: B. Braun SpaceCom inside, outside and without a visible version (ICSMA-20-296-02)', () => {
  const obs = new Observer({ kb }).result();
  const adv = kb.csaf.find((a) => a.id === 'ICSMA-20-296-02')!;
  const cves = [...new Set(adv.vulnerabilities.filter((v) => v.affected.includes('CSAFPID-0001')).map((v) => v.cve!))].sort();
  const run = (software: string[]) => assess({ devices: [device('mac:00:11:22:33:44:55', ['10.1.1.5'], { vendor: 'B. Braun Melsungen AG', model: 'SpaceCom', category: 'infusion_pump', medical: true, software })], observations: obs, kb });
  // SpaceCom also sits in the SpaceStation advisories; this one is about SpaceCom itself.
  const inside = run(['SpaceCom L81']).findings.filter((f) => f.rule === 'medical-advisory' && f.advisory === adv.id);
  assert.equal(inside.length, 1);
  assert.equal(inside[0].advisory, 'ICSMA-20-296-02');
  assert.deepEqual(inside[0].cves, cves);
  assert.equal(inside[0].confirmed, true);
  assert.match(inside[0].remediation, /B\. Braun has released software updates/);
  assert.deepEqual(run(['SpaceCom L82']).findings.filter((f) => f.rule === 'medical-advisory'), []);
  const unknown = run([]).findings.filter((f) => f.rule === 'medical-advisory' && f.advisory === adv.id);
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0].confirmed, false);
  assert.match(unknown[0].detail, /version not visible/);
});

test('vulnerability from NVD ranges and CVE 5 records for medical products, version-checked', () => {
  const obs = new Observer({ kb }).result();
  const one = (d: Device) => assess({ devices: [d], observations: obs, kb }).findings.filter((f) => f.rule === 'vulnerability' || f.rule === 'known-exploited-vulnerability');
  // NVD CVE-2017-12725: Smiths Medical Medfusion 4000 versions 1.1, 1.5, 1.6.
  const pump = (v: string) => device('mac:00:00:00:00:00:01', ['10.1.1.6'], { vendor: 'Smiths Medical', model: 'Medfusion 4000 Wireless Syringe Infusion Pump', software: [`Medfusion 4000 ${v}`], category: 'infusion_pump', medical: true });
  assert.ok(one(pump('1.5')).some((f) => f.cves.includes('CVE-2017-12725') && f.confirmed === true));
  assert.ok(!one(pump('1.7')).some((f) => f.cves.includes('CVE-2017-12725')));
  // CVE JSON 5 CVE-2023-30563: BD Alaris Systems Manager, versions 0 through 12.3.
  const sm = (v: string) => device('mac:00:00:00:00:00:02', ['10.1.1.7'], { vendor: 'Becton Dickinson', model: 'Alaris Systems Manager', software: [`Alaris Systems Manager ${v}`], category: 'server' });
  assert.ok(one(sm('12.2')).some((f) => f.cves.includes('CVE-2023-30563') && f.confirmed === true));
  assert.ok(!one(sm('12.4')).some((f) => f.cves.includes('CVE-2023-30563')));
  // Heartbleed by version: OpenSSL 1.0.1e inside, 1.0.1g outside.
  const web = (v: string) => device('ip:10.1.1.8', ['10.1.1.8'], { software: [`Apache/2.2.22 (Debian) mod_ssl/2.2.22 OpenSSL/${v}`] });
  assert.ok(one(web('1.0.1e')).some((f) => f.cves.includes('CVE-2014-0160') && f.rule === 'known-exploited-vulnerability'));
  assert.ok(!one(web('1.0.1g')).some((f) => f.cves.includes('CVE-2014-0160')));
});

test('eol-os names the release as endoflife.date labels it and cites what showed the OS (a user agent)', () => {
  // SYNTHETIC device: the identity a Mac's browser gave (the same user agent as in the benchmark's HTTP traffic).
  const ua = { fact: 'user_agent', value: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.6; rv:6.0) Gecko/20100101 Firefox/6.0', source: 'http.user_agent', file: 'synthetic.pcap', packet: 12, ts: 1700000000 };
  const d = device('ip:10.1.2.3', ['10.1.2.3'], { category: 'workstation', os: { name: 'Mac OS X 10.6', version: '10.6', family: 'macOS', eol: null, eol_date: null, confidence: 0.5 }, evidence: [ua] });
  const obs = new Observer({ kb }).result();
  const f = assess({ devices: [d], observations: obs, kb, asOf: '2026-01-01' }).findings.find((x) => x.rule === 'eol-os')!;
  assert.match(f.detail, /^Apple macOS Mac OS X 10\.6 \(Snow Leopard\): vendor support ended 2011-07-25 \(endoflife\.date macos 10\.6\)/);
  assert.deepEqual(
    f.evidence.map((e) => e.source),
    ['endoflife.macos', 'http.user_agent'],
  );
  assert.deepEqual(f.evidence[1], ua);
});

test("eol-os: Cisco's IOS is not Apple's iOS, and '10.9 or newer' is no release", () => {
  // The OS the inventory reads from the CDP software version of Zeek's cdp-v1.pcap (a Cisco 1601
  // router, IOS 11.2(12)P), against an Apple iOS 11 device; both SYNTHETIC devices here.
  const obs = new Observer({ kb }).result();
  const eolOf = (os: Device['os']) => assess({ devices: [device('ip:10.1.2.4', ['10.1.2.4'], { os })], observations: obs, kb, asOf: '2026-01-01' }).findings.filter((f) => f.rule === 'eol-os');
  assert.deepEqual(eolOf({ name: 'Cisco IOS', version: '11.2(12)P', family: 'Cisco IOS', eol: null, eol_date: null, confidence: 0.8 }), []);
  assert.deepEqual(eolOf({ name: 'Cisco IOS XE', version: '16.9', family: 'Cisco IOS', eol: null, eol_date: null, confidence: 0.8 }), []);
  // p0f's "MacOS X 10.9 or newer" (Zeek's http/proxy.pcap) bounds the release from below only.
  assert.deepEqual(eolOf({ name: 'MacOS X 10.9 or newer (sometimes iPhone or iPad)', version: null, family: 'MacOS X', eol: null, eol_date: null, confidence: 0.6 }), []);
  assert.equal(eolOf({ name: 'Mac OS X 10.9', version: '10.9', family: 'macOS', eol: null, eol_date: null, confidence: 0.6 }).length, 1);
  // Nor does it match CVEs by version: POODLE (CVE-2014-3566, macOS <= 10.10.1) may apply, no more.
  const open = device('ip:10.1.2.5', ['10.1.2.5'], { os: { name: 'MacOS X 10.9 or newer (sometimes iPhone or iPad)', version: null, family: 'MacOS X', eol: null, eol_date: null, confidence: 0.6 } });
  const poodle = assess({ devices: [open], observations: obs, kb, asOf: '2026-01-01' }).findings.find((f) => f.cves.includes('CVE-2014-3566'))!;
  assert.match(poodle.detail, /CVE-2014-3566 may apply/);
  const apple = eolOf({ name: 'iOS 11', version: '11', family: 'iOS', eol: null, eol_date: null, confidence: 0.6 });
  assert.equal(apple.length, 1);
  assert.match(apple[0].detail, /^Apple iOS 11: vendor support ended [\d-]+ \(endoflife\.date ios 11\)/);
});

test('a mixed segment without cross-traffic still cites where each side was seen', { skip }, async () => {
  // tapirx HL7-ORU's 10.0.0.155 as a patient monitor, and a workstation beside it that never talks
  // to it. The workstation and both devices' evidence are SYNTHETIC (the devices here come from
  // the observations, without the inventory's evidence): an address sighting is preferred to other
  // capture evidence, and knowledge-base evidence (packet 0) is never a sighting.
  const kbEv = { fact: 'cpe-match', value: 'x', source: 'knowledge', file: 'nvd/x.json', packet: 0, ts: 0 };
  const osEv = { fact: 'os', value: 'Windows 7', source: 'p0f.syn', file: 'HL7-ORU.pcap', packet: 1, ts: 1 };
  const ipEv = { fact: 'ip', value: '10.0.0.155', source: 'ip.src', file: 'HL7-ORU.pcap', packet: 3, ts: 2 };
  const wsEv = { fact: 'hostname', value: 'WS-7', source: 'dhcp.hostname', file: 'synthetic.pcap', packet: 7, ts: 1700000000 };
  const a = await assessCaptures([corpus('tapirx', 'HL7-ORU.pcap')], {
    devices: (ds) => [
      ...ds.map((d) => (d.ips[0] === '10.0.0.155' ? { ...d, category: 'patient_monitor' as Category, medical: true, evidence: [kbEv, osEv, ipEv] } : d)),
      device('ip:10.0.0.200', ['10.0.0.200'], { category: 'workstation', evidence: [kbEv, wsEv] }),
    ],
  });
  try {
    const f = a.result.findings.find((x) => x.rule === 'segment-mixed')!;
    assert.equal(f.device, 'ip:10.0.0.155');
    assert.match(f.detail, /No direct traffic between them was seen/);
    assert.deepEqual(f.evidence, [ipEv, wsEv]);
  } finally {
    a.run.cleanup();
  }
});

test('segments from subnets and VLANs; a patient monitor beside a workstation is segment-mixed with the cross-traffic', { skip }, async () => {
  // tapirx HL7-ORU: 10.0.0.155 sends ORU results to 10.0.0.126:6661 (categories set here).
  const a = await assessCaptures([corpus('tapirx', 'HL7-ORU.pcap')], {
    devices: (ds) => ds.map((d) => (d.ips[0] === '10.0.0.155' ? { ...d, category: 'patient_monitor' as Category, medical: true } : d.ips[0] === '10.0.0.126' ? { ...d, category: 'workstation' as Category } : d)),
  });
  try {
    const seg = a.result.segments.find((s) => s.cidr === '10.0.0.0/24')!;
    assert.deepEqual([seg.medical_devices, seg.it_devices, seg.mixed], [['ip:10.0.0.155'], ['ip:10.0.0.126'], true]);
    const f = a.result.findings.find((x) => x.rule === 'segment-mixed')!;
    assert.equal(f.device, 'ip:10.0.0.155');
    assert.match(f.detail, /10\.0\.0\.126 ↔ 10\.0\.0\.155|10\.0\.0\.126.*tcp\/6661/);
    assert.equal(a.result.metrics.mixed_segments_pct, 100);
    assert.equal(a.result.metrics.medical_devices, 1);
  } finally {
    a.run.cleanup();
  }
  // nDPI smb_frags: frames tagged with VLAN 1608.
  const b = await assessCaptures([corpus('ndpi', 'pcap', 'smb_frags.pcap')]);
  try {
    assert.deepEqual(b.result.segments.map((s) => s.id), ['vlan:1608']);
  } finally {
    b.run.cleanup();
  }
  assert.equal(subnetOf('192.168.7.20', '255.255.254.0'), '192.168.6.0/23');
  assert.equal(subnetOf('192.168.7.20'), '192.168.7.0/24');
  assert.equal(subnetOf('2001:db8:10::100'), '2001:db8:10:0::/64');
});

test('scoring: exposure points from the risks table, weighted by category, mapped to levels', () => {
  const obs = new Observer({ kb }).result();
  const base = device('ip:10.2.2.2', ['10.2.2.2'], { os: windows('Windows 7', '6.1.7601') });
  const score = (category: Category) => assess({ devices: [{ ...base, category }], observations: obs, kb, asOf: '2024-01-01' }).devices[0].risk;
  const ws = score('workstation');
  // Windows 7 SP1: end of life (20) + KEV CVEs by version (25) + worst CVSS 9.8 → 20 points.
  assert.deepEqual(ws.factors.map((f) => [f.id, f.points]), [['known-exploited-vulnerability', 25], ['eol-os', 20], ['cvss', 20]]);
  assert.equal(ws.score, 65);
  assert.equal(ws.level, 'high');
  const pump = score('infusion_pump');
  assert.equal(pump.score, Math.min(100, Math.round(65 * 1.3)));
  assert.deepEqual(pump.factors.at(-1), { id: 'criticality', points: pump.score - 65, why: 'infusion pump: exposure weighted ×1.3' });
  assert.equal(pump.level, 'critical');
  assert.deepEqual([level(0), level(19), level(20), level(44), level(45), level(69), level(70)], ['low', 'low', 'medium', 'medium', 'high', 'high', 'critical']);
});

test('metrics: the report card shares over devices, known OSes, imaging devices, traffic and segments', () => {
  const obs = new Observer({ kb }).result();
  obs.totals.clear_bytes = 300;
  obs.totals.encrypted_bytes = 100;
  obs.totals.clear_flows = 1;
  obs.totals.encrypted_flows = 3;
  const devices = [
    device('mac:00:00:00:00:00:10', ['10.3.3.10'], { category: 'imaging', medical: true, os: windows('Windows 7', '6.1.7601') }),
    device('mac:00:00:00:00:00:11', ['10.3.3.11'], { category: 'imaging', medical: true, os: windows('Windows 10', '10.0.26100') }),
    device('mac:00:00:00:00:00:12', ['10.3.3.12'], { category: 'workstation' }),
    device('mac:00:00:00:00:00:13', ['10.3.4.13'], { category: 'printer' }),
  ];
  const m = assess({ devices, observations: obs, kb, asOf: '2025-06-01' }).metrics;
  assert.equal(m.devices, 4);
  assert.equal(m.medical_devices, 2);
  assert.equal(m.eol_os_pct, 50);
  assert.equal(m.imaging_eol_os_pct, 50);
  assert.equal(m.unencrypted_bytes_pct, 75);
  assert.equal(m.unencrypted_flows_pct, 25);
  // 10.3.3.0/24 mixes imaging and a workstation; 10.3.4.0/24 holds the printer alone.
  assert.equal(m.mixed_segments_pct, 50);
  assert.ok(m.medium_high_risk_pct >= 25);
});

test('assess() refuses a malformed --as-of and an unknown rule', () => {
  const obs = new Observer({ kb }).result();
  assert.throws(() => assess({ devices: [], observations: obs, kb, asOf: '2024-13-45x' }), /--as-of must be a date/);
  assert.throws(() => assess({ devices: [], observations: obs, kb, rules: ['nope'] }), /no rule nope/);
  assert.equal(assess({ devices: [], observations: obs, kb }).asOf, kb.date);
});

test('smb-signing is high on a domain controller: Zeek smb3_negotiate_context.pcap with its server given the role (the capture does not show one)', { skip }, async () => {
  // tshark: 192.168.1.21 answers SMB2 NEGOTIATE with SecurityMode 0x01 (signing enabled, not required).
  const pcap = corpus('zeek', 'traces', 'smb', 'smb3_negotiate_context.pcap');
  const role = { fact: 'role', value: 'domain-controller', source: 'test', file: pcap, packet: 1, ts: 0 };
  const a = await assessCaptures([pcap], { devices: (ds) => ds.map((d) => (d.ips.includes('192.168.1.21') ? { ...d, evidence: [...d.evidence, role] } : d)) });
  try {
    const f = a.result.findings.filter((x) => x.rule === 'smb-signing');
    assert.deepEqual(f.map((x) => [x.title, x.severity]), [['SMB signing not required on a domain controller', 'high']]);
  } finally {
    a.run.cleanup();
  }
});

test('rdp-security is medium for TLS without CredSSP (synthetic rdp.session: every corpus RDP server chose standard security or CredSSP)', () => {
  const c = testConn(6, 50000, 3389);
  c.store.addr.set([0, 0, 0xffff, 0x0a090901, 0, 0, 0xffff, 0x0a090909], 0);
  const o = new Observer({ kb, paths: () => ['synthetic.pcap'] });
  const m = new PacketMeta();
  m.packetNo = 6;
  o.onEvent({ type: 'rdp.session', security_protocol: 'SSL', result: 'encrypted', packet: 6 }, c, m);
  const r = assess({ devices: [device('ip:10.9.9.9', ['10.9.9.9'])], observations: o.result(), kb });
  assert.deepEqual(r.findings.filter((f) => f.rule === 'rdp-security').map((f) => [f.title, f.severity]), [['RDP without Network Level Authentication', 'medium']]);
});

test('every finding rule risks.ts gives points to is scored (the CVE rules by their own terms)', async () => {
  const { RISKS } = await import('./risks.js');
  const { RULE_FACTORS } = await import('./scoring.js');
  const own = new Set(['known-exploited-vulnerability', 'vulnerability', 'medical-advisory']);
  const missing = RISKS.filter((r) => r.points > 0 && !own.has(r.id) && !RULE_FACTORS.includes(r.id)).map((r) => r.id);
  assert.deepEqual(missing, []);
  // And nothing is scored that has no row.
  assert.deepEqual(
    RULE_FACTORS.filter((id) => !RISKS.some((r) => r.id === id)),
    [],
  );
});
