// The vulnerability feeds (KEV, NVD 2.0, CVE JSON 5, CSAF 2.0, default credentials) loaded from
// knowledge/, and CPE matching checked against the NVD records' own configurations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeBase } from './kb.js';
import { KnowledgeError } from './errors.js';
import { parseKev } from './kev.js';
import { parseNvdDocument } from './nvd.js';
import { parseCsaf, parseVersionSpec, versionMatches } from './csaf.js';
import { parseCve5 } from './cve5.js';
import { parseDefaultCreds } from './defaultcreds.js';
import { distributionOnly, matchConfigurations, matchCriterion, parseCpe23, type Identity } from './cpe.js';
import { compareVersions, inRange, versionTokens } from './version.js';
import { vendorKey, sameProduct } from './names.js';
import { KB_DIR } from './testutil.js';

const kb = KnowledgeBase.load();

test('compareVersions() orders OpenSSL letter releases and Cisco parenthesised builds', () => {
  assert.equal(compareVersions('1.0.1', '1.0.1a'), -1);
  assert.equal(compareVersions('1.0.1f', '1.0.1g'), -1);
  assert.equal(compareVersions('1.0.1g', '1.0.2'), -1);
  assert.equal(compareVersions('9.1.7(9)', '9.1.7(10)'), -1);
  assert.equal(compareVersions('10.0.17763.2029', '10.0.17763.2029'), 0);
  assert.deepEqual(versionTokens('012U000062'), [12, 'u', 62]);
  // A build without its revision cannot be placed against a bound on the revision.
  assert.equal(compareVersions('10.0.17763', '10.0.17763.2029', true), null);
  assert.equal(inRange('10.0.17763', { endExcluding: '10.0.17763.2029' }, true), null);
  assert.equal(inRange('10.0.19041', { endExcluding: '10.0.17763.2029' }, true), false);
});

test('the KEV catalog loads all entries the file counts and agrees with NVD on when CVEs were added', () => {
  const raw = JSON.parse(readFileSync(join(KB_DIR, 'cisa-kev', 'known_exploited_vulnerabilities.json'), 'utf8'));
  assert.equal(kb.kev.entries.size, raw.count);
  assert.equal(kb.kev.catalogVersion, raw.catalogVersion);
  let compared = 0;
  for (const r of kb.nvd.records.values()) {
    if (r.kev === undefined) {
      continue;
    }
    const k = kb.kevOf(r.id);
    assert.ok(k !== null, `${r.id} carries cisaExploitAdd in NVD but is not in KEV`);
    assert.equal(k.dateAdded, r.kev.dateAdded, r.id);
    compared++;
  }
  assert.ok(compared >= 15, `compared ${compared}`);
  assert.equal(kb.kevOf('CVE-2019-0708')?.dueDate, '2022-05-03');
});

test('parseKev() names the file and the entry it refuses', () => {
  const raw = JSON.parse(readFileSync(join(KB_DIR, 'cisa-kev', 'known_exploited_vulnerabilities.json'), 'utf8'));
  raw.vulnerabilities[3].dateAdded = '25 Aug 2025';
  const id = raw.vulnerabilities[3].cveID;
  assert.throws(() => parseKev(JSON.stringify(raw), 'kev.json'), (e: unknown) => e instanceof KnowledgeError && e.file === 'kev.json' && e.entry.record === id && /dateAdded/.test(e.message));
  raw.vulnerabilities[3].dateAdded = '2025-08-25';
  raw.count = 5;
  assert.throws(() => parseKev(JSON.stringify(raw), 'kev.json'), /count says 5/);
});

test('every NVD record loads with its CVSS and configurations', () => {
  assert.equal(kb.nvd.records.size, 49);
  const bk = kb.nvdOf('CVE-2019-0708')!;
  assert.equal(bk.cvss?.version, '3.1');
  assert.equal(bk.cvss?.score, 9.8);
  assert.equal(bk.cvss?.source, 'nvd@nist.gov');
  assert.deepEqual(bk.cwes, ['CWE-416']);
  // Records with only CVSS v2 keep it.
  assert.equal(kb.nvdOf('CVE-2008-4250')?.cvss?.version, '2.0');
  assert.equal(kb.nvdOf('CVE-2008-4250')?.cvss?.score, 10);
  assert.ok(kb.nvd.cvesFor('openssl', 'openssl').includes('CVE-2014-0160'));
});

test("a CVE whose v3.1 scores are all Secondary takes NIST's, as NVD shows it (CVE-2020-1472: NIST 10.0, Microsoft 5.5)", () => {
  const [c] = parseNvdDocument(readFileSync(join(KB_DIR, 'nvd', 'CVE-2020-1472.json'), 'utf8'), 'CVE-2020-1472.json');
  assert.equal(c.cvss?.version, '3.1');
  assert.equal(c.cvss?.score, 10);
  assert.equal(c.cvss?.source, 'nvd@nist.gov');
});

test('parseNvdDocument() reads an API 2.0 response and refuses a criterion that is not CPE 2.3', () => {
  const rec = JSON.parse(readFileSync(join(KB_DIR, 'nvd', 'CVE-2020-0796.json'), 'utf8'));
  const resp = { resultsPerPage: 1, startIndex: 0, totalResults: 1, format: 'NVD_CVE', version: '2.0', timestamp: '2026-01-01T00:00:00.000', vulnerabilities: [{ cve: rec }] };
  assert.equal(parseNvdDocument(JSON.stringify(resp), 'r.json')[0].id, 'CVE-2020-0796');
  rec.configurations[0].nodes[0].cpeMatch[1].criteria = 'cpe:/o:microsoft:windows_10:1903';
  assert.throws(() => parseNvdDocument(JSON.stringify(rec), 'bad.json'), (e: unknown) => e instanceof KnowledgeError && e.file === 'bad.json' && e.entry.record === 'CVE-2020-0796' && /cpeMatch\[1\] criteria is not a CPE 2\.3 name/.test(e.message));
});

/** A version just below `v` in the comparison order (for "inside an end-excluding bound"). */
function below(v: string): string {
  const t = versionTokens(v);
  for (let i = t.length - 1; i >= 0; i--) {
    const x = t[i];
    if (typeof x === 'number' && x > 0) return [...t.slice(0, i), x - 1].join('.');
    if (typeof x === 'string' && x > 'a') return [...t.slice(0, i), String.fromCharCode(x.charCodeAt(0) - 1)].join('.');
  }
  return '';
}

test('every version range in the NVD records matches a version inside it and not one outside', () => {
  let ranges = 0;
  for (const r of kb.nvd.records.values()) {
    for (const cfg of r.configurations) {
      for (const n of cfg.nodes) {
        for (const m of n.cpeMatch) {
          const g = m.range;
          if (m.cpe.version !== '*' || Object.keys(g).length === 0) continue;
          const id = (version: string): Identity => ({ part: m.cpe.part as Identity['part'], vendor: m.cpe.vendor, product: m.cpe.product, version, update: m.cpe.update === '*' ? null : m.cpe.update, source: 'test' });
          const inside = g.startIncluding ?? g.endIncluding ?? below(g.endExcluding ?? '');
          if (inside !== '') assert.equal(matchCriterion(m, id(inside)), 'yes', `${r.id} ${m.criteria} ${JSON.stringify(g)} inside ${inside}`);
          const outside = g.endExcluding ?? (g.endIncluding !== undefined ? `${g.endIncluding}.1` : null);
          if (outside !== null) assert.equal(matchCriterion(m, id(outside)), 'no', `${r.id} ${m.criteria} outside ${outside}`);
          if (g.startIncluding !== undefined && below(g.startIncluding) !== '') assert.equal(matchCriterion(m, id(below(g.startIncluding))), 'no', `${r.id} ${m.criteria} below ${g.startIncluding}`);
          ranges++;
        }
      }
    }
  }
  assert.ok(ranges >= 100, `${ranges} ranges`);
});

function ids(...list: Omit<Identity, 'source'>[]): Identity[] {
  return list.map((i) => ({ ...i, source: 'test' }));
}

test('Heartbleed applies to OpenSSL 1.0.1 through 1.0.1f only', () => {
  const cfg = kb.nvdOf('CVE-2014-0160')!.configurations;
  for (const [v, want] of [['1.0.1', 'yes'], ['1.0.1f', 'yes'], ['1.0.1g', 'no'], ['1.0.0t', 'no'], ['1.0.2', 'no']] as const) {
    assert.equal(matchConfigurations(cfg, ids({ part: 'a', vendor: 'openssl', product: 'openssl', version: v })).result, want, v);
  }
  // Known product, unknown version: undecided, never a guess.
  assert.equal(matchConfigurations(cfg, ids({ part: 'a', vendor: 'openssl', product: 'openssl', version: null })).result, 'unknown');
});

test('BlueKeep applies to Windows 7 SP1 and Server 2008 R2 SP1, not Windows 7 RTM or Windows 10', () => {
  const cfg = kb.nvdOf('CVE-2019-0708')!.configurations;
  assert.equal(matchConfigurations(cfg, ids({ part: 'o', vendor: 'microsoft', product: 'windows_7', version: '-', update: 'sp1' })).result, 'yes');
  assert.equal(matchConfigurations(cfg, ids({ part: 'o', vendor: 'microsoft', product: 'windows_server_2008', version: 'r2', update: 'sp1' })).result, 'yes');
  assert.equal(matchConfigurations(cfg, ids({ part: 'o', vendor: 'microsoft', product: 'windows_7', version: '-', update: '-' })).result, 'no');
  assert.equal(matchConfigurations(cfg, ids({ part: 'o', vendor: 'microsoft', product: 'windows_10_1903', version: '-' })).result, 'no');
});

test('a Linux distribution NVD lists for its package (Debian 9 for Zerologon) is no match by release alone', () => {
  // CVE-2020-1472's configurations list cpe:2.3:o:debian:debian_linux:9.0 (Debian's samba
  // package), Ubuntu and Fedora beside the Windows Server releases.
  const rec = kb.nvdOf('CVE-2020-1472')!;
  const crit = rec.configurations.flatMap((c) => c.nodes.flatMap((n) => n.cpeMatch));
  assert.ok(crit.some((m) => m.criteria.startsWith('cpe:2.3:o:debian:debian_linux:9.0') && m.vulnerable));
  assert.ok(crit.some((m) => distributionOnly(m)));
  assert.equal(matchConfigurations(rec.configurations, ids({ part: 'o', vendor: 'debian', product: 'debian_linux', version: '9.0' })).result, 'no');
  assert.equal(matchConfigurations(rec.configurations, ids({ part: 'o', vendor: 'canonical', product: 'ubuntu_linux', version: '18.04' })).result, 'no');
  // The Windows Server releases still match, and Samba itself by version.
  assert.notEqual(matchConfigurations(rec.configurations, ids({ part: 'o', vendor: 'microsoft', product: 'windows_server_2019', version: '-' })).result, 'no');
  // BSDs ship telnetd in the base system: FreeBSD stays matched for CVE-2011-4862.
  const telnet = kb.nvdOf('CVE-2011-4862')!.configurations.flatMap((c) => c.nodes.flatMap((n) => n.cpeMatch));
  assert.ok(telnet.some((m) => m.cpe.vendor === 'freebsd' && !distributionOnly(m)));
  assert.ok(telnet.some((m) => m.cpe.vendor === 'debian' && distributionOnly(m)));
});

test('MS17-010 (CVE-2017-0143) needs SMBv1 on a listed Windows release: an AND configuration', () => {
  const cfg = kb.nvdOf('CVE-2017-0143')!.configurations;
  const smb1 = { part: 'a' as const, vendor: 'microsoft', product: 'server_message_block', version: '1.0' };
  const win7 = { part: 'o' as const, vendor: 'microsoft', product: 'windows_7', version: '-', update: 'sp1' };
  const win10_1709 = { part: 'o' as const, vendor: 'microsoft', product: 'windows_10_1709', version: '-' };
  assert.equal(matchConfigurations(cfg, ids(smb1, win7)).result, 'yes');
  assert.equal(matchConfigurations(cfg, ids(win7)).result, 'no');
  assert.equal(matchConfigurations(cfg, ids(smb1)).result, 'no');
  assert.equal(matchConfigurations(cfg, ids(smb1, win10_1709)).result, 'no');
  const hit = matchConfigurations(cfg, ids(smb1, win7)).hits;
  assert.deepEqual(hit.map((h) => h.criteria), ['cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*']);
});

test('SMBGhost (CVE-2020-0796) applies to Windows 10 1903 and 1909 only', () => {
  const cfg = kb.nvdOf('CVE-2020-0796')!.configurations;
  for (const [p, want] of [['windows_10_1903', 'yes'], ['windows_10_1909', 'yes'], ['windows_server_1909', 'yes'], ['windows_10_2004', 'no'], ['windows_10_1809', 'no']] as const) {
    assert.equal(matchConfigurations(cfg, ids({ part: 'o', vendor: 'microsoft', product: p, version: '-' })).result, want, p);
  }
});

test('parseCpe23() unescapes and refuses other formats', () => {
  const c = parseCpe23('cpe:2.3:o:philips:intellivue_mp_monitors_mp2\\/x2_firmware:a01.09:*:*:*:*:*:*:*')!;
  assert.equal(c.product, 'intellivue_mp_monitors_mp2/x2_firmware');
  assert.equal(c.version, 'a01.09');
  assert.equal(parseCpe23('cpe:/o:microsoft:windows_7'), null);
});

test('every CVE JSON 5 record loads, with CISA ADP SSVC and affected version ranges', () => {
  assert.equal(kb.cve5.size, 32);
  const r = kb.cve5Of('CVE-2023-30563')!;
  assert.equal(r.ssvc?.exploitation, 'none');
  assert.equal(r.ssvc?.technicalImpact, 'partial');
  assert.equal(r.cvss?.score, 8.2);
  const a = r.affected.find((x) => x.from === 'cna')!;
  assert.equal(vendorKey(a.vendor), 'bd');
  assert.deepEqual(a.versions, [{ version: '0', status: 'affected', versionType: 'custom', lessThanOrEqual: '12.3' }]);
  assert.equal(a.defaultStatus, 'unaffected');
  const raw = JSON.parse(readFileSync(r.file, 'utf8'));
  raw.containers.cna.affected[0].versions[0].status = 'vulnerable';
  assert.throws(() => parseCve5(JSON.stringify(raw), 'x.json'), (e: unknown) => e instanceof KnowledgeError && e.entry.record === 'CVE-2023-30563' && /status/.test(e.message));
});

test('all 144 ICS medical advisories load and every affected product resolves to a vendor and product', () => {
  assert.equal(kb.csaf.length, 144);
  let affected = 0;
  for (const a of kb.csaf) {
    assert.match(a.id, /^ICSMA-\d{2}-\d{3}-\d{2}/);
    for (const v of a.vulnerabilities) {
      for (const pid of v.affected) {
        const p = a.products.get(pid)!;
        assert.ok(p.vendor.length > 0 && p.product.length > 0, `${a.id} ${pid}`);
        affected++;
      }
    }
  }
  assert.ok(affected > 400, `${affected}`);
  const braun = kb.csaf.find((a) => a.id === 'ICSMA-20-296-02')!;
  const spacecom = [...braun.products.values()].find((p) => p.product === 'SpaceCom')!;
  assert.equal(spacecom.vendorKey, 'bbraun');
  assert.equal(versionMatches(spacecom.version, 'L81'), 'yes');
  assert.equal(versionMatches(spacecom.version, 'L82'), 'no');
  assert.equal(versionMatches(spacecom.version, null), 'unknown');
});

test('CSAF version statements: VERS, comparators, lists and "and below"', () => {
  assert.equal(versionMatches(parseVersionSpec('vers:all/*', true), '1.0'), 'yes');
  assert.equal(versionMatches(parseVersionSpec('vers:generic/>=1.0|<2.0', true), '1.5'), 'yes');
  assert.equal(versionMatches(parseVersionSpec('vers:generic/>=1.0|<2.0', true), '2.0'), 'no');
  assert.equal(versionMatches(parseVersionSpec('A10 | A11', false), 'a11'), 'yes');
  assert.equal(versionMatches(parseVersionSpec('A10 | A11', false), 'A12'), 'no');
  assert.equal(versionMatches(parseVersionSpec('2.3.6 and  below', true), '2.3.5'), 'yes');
  assert.equal(versionMatches(parseVersionSpec('2.3.6 and  below', true), '2.4'), 'no');
  assert.equal(versionMatches(parseVersionSpec('>= 5.01 | <= 6.4.0', true), '6.0'), 'yes');
  assert.equal(versionMatches(parseVersionSpec('>= 5.01 | <= 6.4.0', true), '4.0'), 'no');
  // Free text that states no version is never read as one.
  assert.equal(versionMatches(parseVersionSpec('distributed  < april 1, 2018', true), '1.0'), 'unknown');
  assert.equal(versionMatches(parseVersionSpec('base units (BU)|handheld base units (HBU)', false), '1.0'), 'unknown');
});

test('parseCsaf() refuses a vulnerability naming a product the tree does not define', () => {
  const a = kb.csaf.find((x) => x.id === 'ICSMA-20-296-02')!;
  const raw = JSON.parse(readFileSync(a.file, 'utf8'));
  raw.vulnerabilities[0].product_status.known_affected.push('CSAFPID-9999');
  assert.throws(() => parseCsaf(JSON.stringify(raw), 'adv.json'), (e: unknown) => e instanceof KnowledgeError && e.file === 'adv.json' && /CSAFPID-9999/.test(e.message));
});

test('default credentials: every row, with the services named in parentheses', () => {
  assert.equal(kb.defaultCredentials.length, 3766);
  const snmp = kb.defaultCredentials.filter((c) => c.services.includes('snmp'));
  assert.ok(snmp.length >= 100, `${snmp.length}`);
  const tomcat = kb.defaultCredentials.find((c) => /^Apache Tomcat/i.test(c.product) && c.user === 'tomcat');
  assert.ok(tomcat !== undefined && tomcat.services.includes('http'));
  assert.ok(kb.defaultCredentials.some((c) => c.user === '' && c.product.startsWith('APC SmartSlot')));
  assert.throws(() => parseDefaultCreds('productvendor,username,password\nAcme,admin\n', 'd.csv'), /d\.csv \(line 2\): expected 3 fields/);
});

test('vendor keys and product names compare across spellings', () => {
  assert.equal(vendorKey('Becton, Dickinson and Company (BD)'), 'bd');
  assert.equal(vendorKey('BD'), 'bd');
  assert.equal(vendorKey('B. Braun Medical'), 'bbraun');
  assert.equal(vendorKey('bbraun'), 'bbraun');
  assert.equal(vendorKey('Philips Medical Systems Nederland B.V.'), 'philips');
  assert.equal(vendorKey('GE HealthCare'), 'ge');
  assert.equal(vendorKey('smiths-medical'), 'smiths');
  assert.ok(sameProduct('Alaris PC Unit', 'BD Alaris PC Unit Model 8015', 'BD'));
  assert.ok(!sameProduct('IntelliVue MX800', 'IntelliSpace Portal', 'Philips'));
});
