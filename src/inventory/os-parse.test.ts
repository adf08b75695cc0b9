// OS claims from single signals, on strings the peers' outputs show for corpus captures:
// Arkime's http.useragent values, nDPI's SSH client/server banners (ndpi/result/*.out),
// Wireshark's SMB NativeOS/NativeLanMan (fixtures/windows-tshark.tsv). Windows version numbers
// per Microsoft's "Operating System Version" table (5.1 XP, 5.2 Server 2003/XP x64, 6.1 7 …).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { runInventory } from './testutil.js';
import { browserClaim, normaliseFamily, ntlmClaim, smbNativeClaim, sshClaim, systemDescriptionClaim, ttlClaim, userAgentClaim } from './os-parse.js';

test('userAgentClaim() reads the platform token of real User-Agents', () => {
  assert.deepEqual(userAgentClaim('Mozilla/5.0 (Windows NT 5.1; rv:32.0) Gecko/20100101 Firefox/32.0')?.windows, { major: 5, minor: 1, build: 0 });
  assert.deepEqual(userAgentClaim('Mozilla/5.0 (Windows NT 5.2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.154 Safari/537.36')?.windows, { major: 5, minor: 2, build: 0 });
  const ten = userAgentClaim('Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
  assert.deepEqual([ten?.name, ten?.version], ['Windows 10 or 11', '10.0']);
  assert.equal(userAgentClaim('Mozilla/5.0 (X11; U; Linux x86_64; en-US; rv:1.9.2.15) Gecko/20110303 Ubuntu/10.04 (lucid) Firefox/3.6.15')?.family, 'Linux');
  assert.equal(userAgentClaim('Mozilla/5.0'), null);
  assert.equal(userAgentClaim(''), null);
  // curl names its build target, not the OS it runs on as a platform token.
  assert.equal(userAgentClaim('curl/7.24.0 (x86_64-apple-darwin12.0) libcurl/7.24.0 OpenSSL/0.9.8y zlib/1.2.5'), null);
});

test('sshClaim() reads distribution patches of OpenSSH identification strings', () => {
  const deb = sshClaim('SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7');
  assert.deepEqual([deb?.name, deb?.family, deb?.eol], ['Debian 9', 'Linux', { product: 'debian', cycle: '9' }]);
  assert.equal(sshClaim('SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.11')?.name, 'Ubuntu');
  assert.equal(sshClaim('SSH-2.0-OpenSSH_5.6'), null);
  assert.equal(sshClaim('SSH-2.0-APACHE-SSHD-2.5.0'), null);
  assert.equal(sshClaim('SSH-2.0-Cisco-1.25')?.family, 'Cisco IOS');
});

test('smbNativeClaim() reads Windows, Samba and macOS NativeOS strings as Wireshark shows them', () => {
  const v = (os: string, lm: string) => smbNativeClaim(os, lm);
  assert.deepEqual(v('Windows 5.1', 'Windows 2000 LAN Manager')?.windows, { major: 5, minor: 1, build: 0, server: false });
  assert.equal(v('Windows 4.0', 'Windows 4.0')?.name, 'Windows NT 4.0');
  assert.equal(v('Windows 6.1', 'Samba 4.7.4')?.family, 'Unix');
  assert.equal(v('Unix', 'Samba 3.9.0-SVN-build-11572')?.family, 'Unix');
  assert.deepEqual([v('Mac OS X 10.10', 'SMBFS 3.0.0')?.family, v('Mac OS X 10.10', 'SMBFS 3.0.0')?.eol], ['macOS', { product: 'macos', cycle: '10.10' }]);
  assert.deepEqual(v('Windows 2000 2195', 'Windows 2000 5.0')?.windows, { major: 5, minor: 0, build: 2195, server: false });
  assert.deepEqual(v('Windows 2002 Service Pack 2 2600', 'Windows 2002 5.1')?.windows, { major: 5, minor: 1, build: 2600, server: false, servicePack: 2 });
  assert.deepEqual(v('Windows Server 2008 R2 Standard 7601 Service Pack 1', 'Windows Server 2008 R2 Standard 6.1')?.windows, { major: 6, minor: 1, build: 7601, server: true, servicePack: 1 });
  assert.deepEqual(v('Windows (TM) Code Name "Longhorn" Ultimate 5231', 'Windows (TM) Code Name "Longhorn" Ultimate 6.0')?.windows, { major: 6, minor: 0, build: 5231, server: false });
  assert.deepEqual(v('Windows 10', 'Windows 10 6.3')?.windows, { major: 10, minor: 0, build: 0, server: false });
  // nDPI's smb_frags.pcap frame 7 (tshark smb.native_os / smb.native_lanman): the LanMan's 6.3 is
  // Windows' compatibility value, the build 14393 is Windows Server 2016 (NT 10.0), not 2012 R2.
  assert.deepEqual(v('Windows Server 2016 Standard 14393', 'Windows Server 2016 Standard 6.3')?.windows, { major: 10, minor: 0, build: 14393, server: true });
});

test('ntlmClaim() trusts an NTLM VERSION less when it is the 6.1.7600 Samba and macOS also send', () => {
  assert.ok(ntlmClaim(10, 0, 19041)!.confidence > ntlmClaim(6, 1, 7600)!.confidence);
  assert.equal(ntlmClaim(0, 0, 0), null);
});

test('systemDescriptionClaim() reads Cisco, Windows and Linux sysDescr conventions', () => {
  const ios = systemDescriptionClaim('Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(25)SEE2, RELEASE SOFTWARE (fc1)');
  assert.deepEqual([ios?.name, ios?.version], ['Cisco IOS', '12.2(25)SEE2']);
  assert.deepEqual(systemDescriptionClaim('Hardware: Intel64 Family 6 Model 85 - Software: Windows Version 6.3 (Build 9600 Multiprocessor Free)')?.windows, { major: 6, minor: 3, build: 9600 });
  assert.deepEqual(systemDescriptionClaim('Linux printer 4.19.0-17-amd64 #1 SMP Debian')?.version, '4.19.0-17-amd64');
  assert.equal(systemDescriptionClaim('ProCurve J8762A Switch 2600-8-PWR, revision H.08.89'), null);
});

test('browserClaim() and ttlClaim() give weak family hints', () => {
  // MS-RAP SV_TYPE: 0x1003 = workstation | server | NT; 0x800 = Unix (Samba).
  assert.deepEqual(browserClaim(6, 1, 0x1003)?.windows, { major: 6, minor: 1, build: 0, server: false });
  assert.equal(browserClaim(4, 9, 0x809a03)?.family, 'Unix');
  assert.equal(ttlClaim(128)?.family, 'Windows');
  assert.equal(ttlClaim(57)?.family, 'Unix');
  assert.equal(ttlClaim(250), null);
});

test("normaliseFamily(): p0f's \"MacOS X\", Satori's and user agents' \"Mac OS X\" and \"macOS\" are one family", () => {
  // knowledge/p0f/p0f.fp: label = s:unix:MacOS X:10.9 or newer (sometimes iPhone or iPad).
  for (const s of ['MacOS X', 'Mac OS X', 'Mac OS', 'macOS', ' macos ']) assert.equal(normaliseFamily(s), 'macOS', s);
  assert.equal(normaliseFamily('FreeBSD'), 'BSD');
  assert.equal(normaliseFamily('Macintosh'), 'Macintosh');
});

test('inventory: a Mac whose OS only p0f names ("MacOS X 10.9 or newer") is a workstation (Arkime http-simple-get.pcap)', { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const { devices } = await runInventory([corpus('arkime', 'tests', 'pcap', 'http-simple-get.pcap')]);
  const mac = devices.find((d) => d.mac === '00:1f:5b:ff:51:cb')!;
  assert.deepEqual([mac.os?.family, mac.category], ['macOS', 'workstation']);
});
