// Satori fingerprints: loading, the matching rules (exact vs partial, weights, message-type
// scope), real DHCP / SSH client data taken from corpus captures, SMB and HTTP strings as the
// peers (Arkime, Zeek) logged them, and refusal of corrupted copies of real entries.
// Expected fingerprints are the dhcp.xml / ssh.xml / smb.xml / web*.xml entries whose tests the
// observed values satisfy; each test names the entries and why they win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPPROTO_TCP, IPPROTO_UDP } from '../decode/packet.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { KnowledgeError } from './errors.js';
import { dhcpTypeName, loadSatori, parseSatoriXml, SatoriDatabase, type DhcpType, type SatoriCandidate } from './satori.js';
import { forEachL4Packet, KB_DIR } from './testutil.js';

const DIR = join(KB_DIR, 'satori', 'fingerprints');
const db = loadSatori(DIR);
const skip = !haveCorpus() && 'shared corpus not present';

const names = (c: SatoriCandidate[]): string[] => c.map((x) => x.name);
const top = (c: SatoriCandidate[]): string[] => c.filter((x) => x.score === c[0].score).map((x) => x.name);

test('loadSatori() reads every fingerprint and test of the eight files', () => {
  const got = Object.fromEntries(db.files.map((f) => [f.kind, [f.fingerprints, f.tests]]));
  assert.deepEqual(got, {
    dhcp: [481, 2787],
    dhcpv6: [9, 27],
    tcp: [184, 653],
    smb: [89, 250],
    ssh: [67, 69],
    ssl: [51, 178],
    web: [67, 124],
    webuseragent: [899, 4114],
  });
  assert.equal(db.files.find((f) => f.kind === 'dhcp')?.lastUpdated, '2025-05-07');
});

// --- DHCP from real captures -------------------------------------------------------------

interface DhcpSeen {
  packet: number;
  messageType?: DhcpType;
  options: number[];
  param55?: number[];
  vendorClass?: string;
  ttl: number;
}

const BOOTP_FIXED = 236;
const MAGIC_COOKIE = 0x63825363;

/** RFC 2131 §3 / RFC 2132: the option codes in order, message type, option 55 and option 60. */
async function dhcpMessages(path: string): Promise<DhcpSeen[]> {
  const out: DhcpSeen[] = [];
  await forEachL4Packet(path, (m) => {
    if (m.proto !== IPPROTO_UDP || !((m.srcPort === 68 && m.dstPort === 67) || (m.srcPort === 67 && m.dstPort === 68))) return;
    const b = m.buf.subarray(m.payloadOff, m.payloadOff + m.capPayloadLen);
    if (b.length < BOOTP_FIXED + 4 || new DataView(b.buffer, b.byteOffset).getUint32(BOOTP_FIXED) !== MAGIC_COOKIE) return;
    const seen: DhcpSeen = { packet: m.packetNo, options: [], ttl: m.ttl };
    for (let p = BOOTP_FIXED + 4; p < b.length; ) {
      const code = b[p];
      if (code === 0) {
        p++;
        continue;
      }
      seen.options.push(code);
      if (code === 255 || p + 1 >= b.length) break;
      const v = b.subarray(p + 2, p + 2 + b[p + 1]);
      if (code === 53) seen.messageType = dhcpTypeName(v[0]);
      if (code === 55) seen.param55 = [...v];
      if (code === 60) seen.vendorClass = Buffer.from(v).toString('latin1').replace(/\0/g, '');
      p += 2 + b[p + 1];
    }
    out.push(seen);
  });
  return out;
}

async function dhcpPacket(path: string, packet: number): Promise<DhcpSeen> {
  const all = await dhcpMessages(corpus(path));
  const m = all.find((x) => x.packet === packet);
  assert.ok(m !== undefined, `no DHCP message in packet ${packet}`);
  return m;
}

const OPT60 = 'suricata-verify/tests/dhcp-eve-extended-option-60/input.pcap';
test('matchDhcp(): a Windows Request (option 55, option order, "MSFT 5.0") ranks Windows 7 / Vista / Server 2008 first', { skip: skip || !existsSync(corpus(OPT60)) }, async () => {
  const m = await dhcpPacket(OPT60, 1);
  assert.deepEqual([m.messageType, m.param55?.join(','), m.vendorClass, m.options.join(',')], ['Request', '1,15,3,6,44,46,47,31,33,121,249,43', 'MSFT 5.0', '53,61,50,12,81,60,55,255']);
  const r = db.matchDhcp(m);
  // dhcp.xml gives "Windows 7", "Windows Vista" and "Windows Server 2008" each an exact Request
  // dhcpoption55 test for this list (weight 5), an exact Request dhcpoptions "53,61,50,12,81,60,55"
  // (5), an exact Request dhcpvendorcode "MSFT 5.0" (2) and Request ipttl 128 (1): 13 each.
  assert.deepEqual(top(r), ['Windows 7', 'Windows Server 2008', 'Windows Vista']);
  assert.equal(r[0].score, 13);
  // Windows XP shares the option order and vendor class but not option 55, so it ranks lower.
  const xp = r.find((c) => c.name === 'Windows XP')!;
  assert.ok(xp.score < 13 && xp.hits.every((h) => h.field !== 'dhcpoption55'));
});

const UDHCP = 'suricata-verify/tests/dhcp-option-52-overload/input.pcap';
test('matchDhcp(): a partial vendor-class test matches "udhcp 1.36.1", an exact one does not', { skip: skip || !existsSync(corpus(UDHCP)) }, async () => {
  const m = await dhcpPacket(UDHCP, 1);
  assert.deepEqual([m.messageType, m.vendorClass], ['Discover', 'udhcp 1.36.1']);
  const r = db.matchDhcp(m);
  // dhcp.xml "Linux": <test weight="5" matchtype="partial" dhcptype="Discover" dhcpvendorcode="udhcp"/>
  const linux = r.find((c) => c.name === 'Linux');
  assert.deepEqual(linux?.hits.map((h) => [h.field, h.matchtype, h.weight, h.value]), [['dhcpvendorcode', 'partial', 5, 'udhcp']]);
  // "Epson Printer" tests dhcpvendorcode="udhcp" exactly: "udhcp 1.36.1" is not equal to it.
  assert.ok(!names(r).includes('Epson Printer'));
  // The exact option order 53,57,55,60,61 is dhcp.xml's Discover test for "3Com IP Phone" (5).
  assert.deepEqual(top(r), ['3Com IP Phone', 'Linux']);
});

const HWTYPE0 = 'zeek/traces/dhcp/hw-type0.pcap';
test('matchDhcp(): a Cisco access point Request matches the Aironet entries and the "Any" test', { skip: skip || !existsSync(corpus(HWTYPE0)) }, async () => {
  const m = await dhcpPacket(HWTYPE0, 1);
  assert.equal(m.param55?.join(','), '1,6,15,44,3,33,150,43');
  // Exact Request dhcpoption55 tests of four Aironet entries, and the dhcptype="Any" test of
  // "Cisco Wireless Access Point", all weight 5.
  assert.deepEqual(top(db.matchDhcp(m)), ['Cisco Aironet 1130', 'Cisco Aironet 1200', 'Cisco Aironet 1240', 'Cisco Aironet 1310', 'Cisco Wireless Access Point']);
  // The same list in a Discover still matches the Aironets' Discover tests.
  assert.equal(top(db.matchDhcp({ ...m, messageType: 'Discover' })).length, 5);
  // As an Inform it only matches the "Any" test.
  assert.deepEqual(top(db.matchDhcp({ ...m, messageType: 'Inform', ttl: undefined })), ['Cisco Wireless Access Point']);
});

const TIMENS = 'zeek/traces/dhcp/dhcp_time_and_nameserver.pcap';
test('matchDhcp(): an unknown option 55 list still matches on option order', { skip: skip || !existsSync(corpus(TIMENS)) }, async () => {
  const m = await dhcpPacket(TIMENS, 1);
  const r = db.matchDhcp(m);
  assert.ok(r.every((c) => c.hits.every((h) => h.field !== 'dhcpoption55')));
  // dhcp.xml: exact Request dhcpoptions "53,50,12,55" for "Fedora 15-16 based distro" and
  // "Ubuntu 8.10 based distro" (5, plus Request ipttl 128 at 1) and "Ubuntu 7.x based distro" (5).
  assert.deepEqual(top(r), ['Fedora 15-16 based distro', 'Ubuntu 8.10 based distro']);
  assert.ok(names(r).includes('Ubuntu 7.x based distro'));
});

// --- SSH, SMB, HTTP --------------------------------------------------------------------------

const SSH2 = 'arkime/tests/pcap/ssh2.pcap';
test('matchSsh(): the banners in ssh2.pcap match OpenSSH 5.3 exactly and SSH 1.x partially', { skip: skip || !existsSync(corpus(SSH2)) }, async () => {
  const banners: string[] = [];
  await forEachL4Packet(corpus(SSH2), (m) => {
    if (m.proto !== IPPROTO_TCP || m.capPayloadLen === 0) return;
    const t = Buffer.from(m.buf.subarray(m.payloadOff, m.payloadOff + m.capPayloadLen)).toString('latin1');
    if (t.startsWith('SSH-')) banners.push(t.split(/\r?\n/)[0]);
  });
  // Arkime's ssh2.test lists ssh.version ssh-1.99-openssh_3.9p1 and ssh-2.0-openssh_5.3 (lower case).
  assert.deepEqual(banners.map((b) => b.toLowerCase()).sort(), ['ssh-1.99-openssh_3.9p1', 'ssh-2.0-openssh_5.3']);
  const v2 = db.matchSsh(banners.find((b) => b.startsWith('SSH-2.0'))!);
  // ssh.xml: "OpenSSH 5.3" exact (10) before "OpenSSH 5.x" partial "SSH-2.0-OpenSSH_5." (7).
  assert.deepEqual(v2.map((c) => [c.name, c.score]), [['OpenSSH 5.3', 10], ['OpenSSH 5.x', 7]]);
  // "SSH-1.99-…" is not "SSH-2.0-OpenSSH_3." but does contain the partial "SSH-1.".
  assert.deepEqual(names(db.matchSsh(banners.find((b) => b.startsWith('SSH-1'))!)), ['Insecure - SSH 1.x']);
});

test('matchSmb(): native OS and LanMan strings as Arkime logged them', () => {
  // arkime/tests/pcap/smb-smb1-ascii.test: smb.os "Windows 2000 2195", smb.version "Windows 2000 5.0";
  // smb.xml "Windows 2000" tests both exactly at weight 7.
  const w2k = db.matchSmb({ nativeOs: 'Windows 2000 2195', nativeLanMan: 'Windows 2000 5.0' });
  assert.deepEqual(w2k.map((c) => [c.name, c.score]), [['Windows 2000', 14]]);
  // smb-smbclient.test: smb.os "Unix", smb.version "Samba 3.6.3": "Samba 3.x Client" has the
  // partial LanMan test "Samba 3." (7) and the exact native name "Unix" (5).
  const samba = db.matchSmb({ nativeOs: 'Unix', nativeLanMan: 'Samba 3.6.3' });
  assert.deepEqual([samba[0].name, samba[0].score], ['Samba 3.x Client', 12]);
});

test('matchHttpServer() and matchUserAgent(): values from Zeek software.log (flash-version)', () => {
  // zeek baselines scripts.policy.protocols.http.flash-version/software.log: server "Apache",
  // browser "Mozilla/5.0 (Macintosh; U; Intel Mac OS X; en) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.6".
  assert.deepEqual(names(db.matchHttpServer('Apache')), ['Apache']);
  assert.deepEqual(names(db.matchUserAgent('Mozilla/5.0 (Macintosh; U; Intel Mac OS X; en) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.6')), ['Mac OS X']);
  // Every partial test contained in the value counts: version-specific entries join in.
  assert.deepEqual(names(db.matchHttpServer('Apache/2.4.3 (Fedora)')), ['Apache', 'Apache 2.4', 'Fedora']);
});

test('matchUserAgent(): negative weights cancel a fingerprint', () => {
  // webuseragent.xml gives "Mac OS X" a partial "Mac OS X" test (5) and a partial
  // "like Mac OS X" test at -5, so an iPhone user agent does not count as macOS.
  const r = db.matchUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15');
  assert.ok(!names(r).includes('Mac OS X'));
  assert.equal(r[0].name, 'iPhone OS 17.0.x');
});

test('matchTcpSignature() applies wildcard tests for DF and window scale', () => {
  // tcp.xml "AIX 5.2": partial S test "65535:60:*:44:M1380:." — '*' stands for the DF bit.
  assert.deepEqual(names(db.matchTcpSignature('S', '65535:60:1:44:M1380:.')), ['AIX 5.2']);
  // tcp.xml "NetWare": "6144:128:1:52:M1460,W*,N,S,N,N:." — any window scale.
  assert.deepEqual(names(db.matchTcpSignature('S', '6144:128:1:52:M1460,W3,N,S,N,N:.')), ['NetWare']);
  assert.deepEqual(names(db.matchTcpSignature('SA', '65535:60:1:44:M1380:.')), []);
});

test('matchTls() and matchDhcpv6() look up their exact tests', () => {
  assert.deepEqual(names(db.matchTls({ ja4: 't13d1517h2_8daaf6152771_b1ff8ab2d16f' })), ['Chrome 118-123']);
  assert.deepEqual(names(db.matchTls({ ja3: 't13d1517h2_8daaf6152771_b1ff8ab2d16f' })), []);
  assert.deepEqual(names(db.matchDhcpv6({ messageType: 'Solicit', options: [1, 6, 8, 3] })), ['Fedora 13 based distro', 'Fedora 14 based distro']);
});

// --- Malformed input ---------------------------------------------------------------------------

const DHCP_TEXT = readFileSync(join(DIR, 'dhcp.xml'), 'utf8');
const REAL = '<test weight="5" matchtype="exact" dhcptype="Any" dhcpoption55="1,2,3,6,15,88,42,44,46,47"/>';
const REAL_LINE = DHCP_TEXT.split('\n').findIndex((l) => l.includes(REAL)) + 1;

function expectDhcpError(bad: string, line: number, record: string | undefined, detail: RegExp): void {
  assert.ok(REAL_LINE > 0);
  const text = DHCP_TEXT.replace(REAL, bad);
  assert.throws(
    () => parseSatoriXml(text, 'knowledge/satori/fingerprints/dhcp.xml', 'dhcp', new SatoriDatabase()),
    (e: unknown) => {
      assert.ok(e instanceof KnowledgeError);
      assert.equal(e.code, 'kb.malformed');
      assert.equal(e.file, 'knowledge/satori/fingerprints/dhcp.xml');
      assert.equal(e.entry.line, line);
      assert.equal(e.entry.record, record);
      assert.match(e.detail, detail);
      return true;
    },
  );
}

test('parseSatoriXml() refuses a test with a non-numeric weight, naming line and fingerprint', () => {
  expectDhcpError(REAL.replace('weight="5"', 'weight="five"'), REAL_LINE, '2Wire Residential Gateway', /weight must be an integer/);
});

test('parseSatoriXml() refuses an unknown matchtype or DHCP message type', () => {
  expectDhcpError(REAL.replace('exact', 'fuzzy'), REAL_LINE, '2Wire Residential Gateway', /matchtype must be exact or partial/);
  expectDhcpError(REAL.replace('"Any"', '"Hello"'), REAL_LINE, '2Wire Residential Gateway', /dhcptype must be one of/);
});

test('parseSatoriXml() refuses a malformed option list or a test without a value', () => {
  expectDhcpError(REAL.replace('1,2,3,6', '1,2,x,6'), REAL_LINE, '2Wire Residential Gateway', /comma-separated list of option numbers/);
  expectDhcpError(REAL.replace('1,2,3,6', '1,2,300,6'), REAL_LINE, '2Wire Residential Gateway', /above 255/);
  expectDhcpError(REAL.replace(/ dhcpoption55="[^"]*"/, ''), REAL_LINE, '2Wire Residential Gateway', /exactly one of/);
});

test('parseSatoriXml() refuses broken XML with the line of the problem', () => {
  expectDhcpError(REAL.replace('/>', '>'), REAL_LINE + 1, undefined, /end tag <\/dhcp_tests> does not close <test>/);
  expectDhcpError(REAL.replace('weight="5"', 'weight="5'), REAL_LINE, undefined, /never closed|must be separated|'<' in the value/);
  expectDhcpError(REAL.replace('weight="5"', 'weight="&bogus;"'), REAL_LINE, undefined, /unknown entity &bogus;/);
});

test('parseSatoriXml() refuses a file of another kind', () => {
  assert.throws(() => parseSatoriXml(DHCP_TEXT, 'tcp.xml', 'tcp', new SatoriDatabase()), /tcp\.xml \(line 2\): root element is <DHCP>, expected <TCP>/);
});
