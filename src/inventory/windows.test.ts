// Windows hosts in the corpus's SMB, NTLM, DCE-RPC and LDAP captures get the Windows release
// their NTLM VERSION or SMB NativeOS states. Expectations: Wireshark's reading of those fields
// (fixtures/windows-tshark.tsv, see fixtures/README.md); release names from the knowledge base's
// Windows table (Microsoft's published build numbers, tested in src/knowledge/windows.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { deviceWithIp, runInventory, testKb } from './testutil.js';

const skip = !haveCorpus();
const HERE = join(REPO_ROOT, 'src', 'inventory', 'fixtures');
void dirname(fileURLToPath(import.meta.url));

interface Row {
  capture: string;
  ip: string;
  ntlm: [number, number, number] | null;
  nativeOs: string;
  lanman: string;
}

function rows(): Row[] {
  const out: Row[] = [];
  for (const line of readFileSync(join(HERE, 'windows-tshark.tsv'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [capture, v4, v6, maj, min, build, nativeOs, lanman] = line.split('\t');
    out.push({ capture, ip: v4 || v6, ntlm: maj !== '' ? [Number(maj), Number(min), Number(build)] : null, nativeOs: nativeOs ?? '', lanman: lanman ?? '' });
  }
  return out;
}

const byCapture = new Map<string, Row[]>();
for (const r of rows()) byCapture.set(r.capture, [...(byCapture.get(r.capture) ?? []), r]);

/** Release names the KB gives a version, as a client and as a server. */
function releaseNames(maj: number, min: number, build: number): string[] {
  const kb = testKb();
  return [kb.windowsRelease(maj, min, build, false)?.name, kb.windowsRelease(maj, min, build, true)?.name].filter((n): n is string => n !== undefined);
}

/** NativeOS strings whose product (not NT version) is all they state, per Microsoft's numbering. */
const NATIVE_VERSION: Record<string, string> = {
  'Windows 5.1': '5.1',
  'Windows 5.0': '5.0',
  'Windows 4.0': '4.0',
  'Windows 2000 2195': '5.0.2195',
  'Windows 2002 Service Pack 2 2600': '5.1.2600',
  'Windows Server 2008 R2 Standard 7601 Service Pack 1': '6.1.7601',
  'Windows (TM) Code Name "Longhorn" Ultimate 5231': '6.0.5231',
};

/** Hosts whose NTLM rides a protocol wardline does not analyze (none since TDS is). */
const NOT_DECODED: Record<string, string[]> = {};

for (const [capture, list] of byCapture) {
  test(`inventory: ${capture} gives each Windows host the release its NTLM/SMB fields state`, { skip }, async () => {
    // All hosts, also those behind a router with public addresses (ntlm_synthetic uses 2001:db8::/32).
    const { devices } = await runInventory([corpus(capture)], { external: true });
    const byIp = new Map<string, Row[]>();
    for (const r of list) if (!(NOT_DECODED[capture] ?? []).includes(r.ip)) byIp.set(r.ip, [...(byIp.get(r.ip) ?? []), r]);
    for (const [ip, rs] of byIp) {
      const d = deviceWithIp(devices, ip);
      assert.ok(d !== undefined, `${ip}: no device`);
      const os = d.os;
      assert.ok(os !== null, `${ip}: no OS`);
      const native = rs.find((r) => r.nativeOs !== '');
      if (native !== undefined && /Samba/.test(native.lanman)) {
        assert.equal(os.family, 'Unix', `${ip}: Samba says ${native.nativeOs} / ${native.lanman}`);
        continue;
      }
      if (native !== undefined && /^Mac OS X 10\.10$/.test(native.nativeOs)) {
        // The macOS SMB client sends NTLM VERSION 6.1.7600 (Windows 7's) with a NativeOS that says what it is.
        assert.deepEqual([os.family, os.version], ['macOS', '10.10'], ip);
        continue;
      }
      if (native !== undefined && native.nativeOs === 'Unix') {
        assert.equal(os.family, 'Unix', ip);
        continue;
      }
      assert.equal(os.family, 'Windows', `${ip}: ${os.name}`);
      const stated = rs.filter((r) => r.ntlm !== null && !(r.ntlm[0] === 6 && r.ntlm[1] === 1 && r.ntlm[2] === 7600)).map((r) => r.ntlm!);
      if (stated.length > 0) {
        // A host may state several versions (a synthetic capture reuses addresses): one of them.
        const ok = stated.some(([a, b, c]) => os.version === `${a}.${b}.${c}` && releaseNames(a, b, c).some((n) => os.name.includes(n)));
        assert.ok(ok, `${ip}: ${os.name} ${os.version}, NTLM says ${stated.map((v) => v.join('.')).join(' or ')} (${stated.map(([a, b, c]) => releaseNames(a, b, c).join('/')).join(', ')})`);
      } else if (native !== undefined && NATIVE_VERSION[native.nativeOs] !== undefined) {
        assert.equal(os.version, NATIVE_VERSION[native.nativeOs], `${ip}: ${native.nativeOs}`);
      } else if (native !== undefined && native.nativeOs === 'Windows 10') {
        assert.match(os.name, /^Windows 10/, ip);
      }
      // The NTLM statement is kept as evidence, also where it conflicts (6.1.7600 beside "Windows 10").
      const versions = rs.filter((r) => r.ntlm !== null).map((r) => r.ntlm!.join('.'));
      if (versions.length > 0) assert.ok(d.evidence.some((e) => e.source === 'ntlm.version' && versions.includes(e.value)), `${ip}: NTLM ${versions.join(', ')} not in evidence`);
    }
  });
}

test('inventory: Windows releases carry end-of-support dates from endoflife.date, judged as of asOf', { skip }, async () => {
  const path = corpus('zeek/traces/smb/raw_ntlm_in_smb.pcap');
  const before = await runInventory([path], { asOf: '2014-01-01' });
  const after = await runInventory([path], { asOf: '2014-04-09' });
  const xp = (ds: typeof before.devices) => deviceWithIp(ds, '192.168.56.101')!.os!;
  const eol = testKb().eolOf('windows', '5-sp3')!.eol;
  assert.equal(eol, '2014-04-08');
  assert.deepEqual([xp(before.devices).name, xp(before.devices).eol_date, xp(before.devices).eol], ['Windows XP', eol, false]);
  assert.deepEqual([xp(after.devices).eol_date, xp(after.devices).eol], [eol, true]);
});

test('inventory: a build both a client and a server release use is named as both, with no end of support claimed', { skip }, async () => {
  // 10.0.14393 is Windows 10 1607 and Windows Server 2016; nothing else in smb3.pcap tells which.
  const { devices } = await runInventory([corpus('zeek/traces/smb/smb3.pcap')], { asOf: '2026-08-19' });
  const os = deviceWithIp(devices, '10.160.65.202')!.os!;
  assert.equal(os.name, 'Windows 10 1607 or Windows Server 2016');
  assert.equal(os.eol, null);
});

test('inventory: a build only Windows Server has names the server release (10.0.20348 = Server 2022)', { skip }, async () => {
  const { devices } = await runInventory([corpus('zeek/traces/ldap/aduser1-ntlm.pcap')]);
  const d = deviceWithIp(devices, '192.168.226.136')!;
  assert.equal(d.os!.name, testKb().windowsRelease(10, 0, 20348, true)!.name);
  assert.equal(d.category, 'server');
});

test("inventory: NTLM VERSION 6.1 with build 0 is Samba's, not Windows 7 (a QNAP NAS, Linux smbclient, a Samba AD DC)", { skip }, async () => {
  // suricata-verify smb1-02: the server's NativeOS is "QTS" (QNAP) and p0f says Linux; its NTLM
  // CHALLENGE carries 6.1.0. smb-named-pipe-ascii: a Linux client (NativeOS "Unix") sends 6.1.0.
  for (const [rel, ip] of [
    ['suricata-verify/tests/smb1-02/smb1_osx.pcap', '192.168.1.2'],
    ['suricata-verify/tests/smb-named-pipe-ascii/input.pcap', '192.168.1.100'],
  ] as const) {
    const { devices } = await runInventory([corpus(...rel.split('/'))]);
    const d = deviceWithIp(devices, ip)!;
    assert.ok(d.evidence.some((e) => e.source === 'ntlm.version' && e.value === '6.1.0'), `${rel}: the VERSION is still evidence`);
    assert.notEqual(d.os?.family, 'Windows', `${rel}: ${d.os?.name}`);
  }
  // A Samba 4.17 AD DC (generated capture, see test/fixtures/generated/README.md).
  const { devices } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-dcsync-samba.pcap')]);
  const dc = deviceWithIp(devices, '10.99.0.2')!;
  assert.notEqual(dc.os?.family, 'Windows');
  // It answered drsuapi (DRSBind, DRSGetNCChanges): a domain controller, so a server.
  assert.ok(dc.evidence.some((e) => e.fact === 'role' && e.value === 'domain-controller' && e.source === 'dce_rpc.drsuapi'));
  assert.equal(dc.category, 'server');
});

test('inventory: a Samba file server is a server, not a workstation (suricata-verify smb1_osx.pcap)', { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  // tshark smb.native_os / smb.native_lanman, frame 18: 192.168.1.2 (00:08:9b, ICP Electronics,
  // QNAP's maker) "QTS" / "Samba 4.4.16" answering the Mac client's SMB1 session setup.
  const { devices } = await runInventory([corpus('suricata-verify/tests/smb1-02/smb1_osx.pcap')]);
  const nas = devices.find((d) => d.mac === '00:08:9b:c6:9d:9a');
  assert.deepEqual([nas?.category, nas?.os?.name], ['server', 'Unix (Samba)']);
  assert.match(nas?.category_reason ?? '', /os\.family=Unix/);
  assert.equal(devices.find((d) => d.mac === '00:23:df:9d:36:ac')?.category, 'workstation');
});
