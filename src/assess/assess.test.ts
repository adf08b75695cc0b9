// The assessment on real captures of ../shared/corpus. Which host accepted a clear-text
// credential, negotiated SMB1 or weak TLS, or runs an old Windows comes from the peers' own
// outputs (Zeek logs, Arkime sessions, suricata-verify checks, nDPI flows); end-of-life dates
// come from the endoflife.date feed. Devices are built from the observations (hosts.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, REPO_ROOT } from '../testutil/corpus.js';
import { arkimeSessions, ndpiFlows, suricataChecks } from '../testutil/peers.js';
import type { Finding } from '../report/model.js';
import { assessCaptures, testKb, type Assessed } from './testutil.js';
import { isLocalAddress } from './segments.js';

const skip = !haveCorpus();
const zeekBase = (p: string) => corpus('zeek', 'baselines', p);
const ark = (n: string) => corpus('arkime', 'tests', 'pcap', n);

function rulesOn(a: Assessed, device: string, rule: string): Finding[] {
  return a.result.findings.filter((f) => f.device === device && f.rule === rule);
}

function cleanup(a: Assessed): void {
  a.run.cleanup();
}

/** Addresses Zeek's log names as responders of rows that match `pred`. */
function zeekServers(log: string, pred: (r: Record<string, string>) => boolean): string[] {
  return [...new Set(readZeekTsv(zeekBase(log)).filter(pred).map((r) => r['id.resp_h']))].sort();
}

interface CredCase {
  name: string;
  pcap: string;
  /** Servers the peer says received a credential. */
  servers: () => string[];
  protocol: RegExp;
  /** What the finding's remediation must name: that protocol's own encrypted form. */
  fix: RegExp;
}

function arkimeDst(name: string, pred: (b: Record<string, unknown>) => boolean, side: 'destination' | 'source' = 'destination'): string[] {
  return [...new Set(arkimeSessions(ark(`${name}.test`)).filter(pred).map((b) => (b[side] as { ip: string }).ip))].sort();
}

const CRED_CASES: CredCase[] = [
  { name: 'Zeek FTP USER/PASS (ftp.log password column)', pcap: corpus('zeek', 'traces', 'ftp', 'ftp-password-pass-command.pcap'), servers: () => zeekServers('scripts.base.protocols.ftp.ftp-password-pass-command/ftp.log', (r) => r.command === 'PASS'), protocol: /FTP/, fix: /SFTP or FTPS/ },
  { name: 'Zeek FTP anonymous login with password', pcap: corpus('zeek', 'traces', 'ftp', 'ipv4.pcap'), servers: () => zeekServers('scripts.base.protocols.ftp.ftp-ipv4/ftp.log', (r) => r.password !== '-'), protocol: /FTP/, fix: /SFTP or FTPS/ },
  { name: 'Zeek HTTP Basic (http.log username/password)', pcap: corpus('zeek', 'traces', 'http', 'basic-auth-with-colon.pcap'), servers: () => zeekServers('scripts.base.protocols.http.http-basic-auth-colon/http.log', (r) => r.password !== '-'), protocol: /HTTP/, fix: /HTTPS only/ },
  { name: 'Zeek LDAP simple bind (ldap.log "bind simple")', pcap: corpus('zeek', 'traces', 'ldap', 'simpleauth.pcap'), servers: () => zeekServers('scripts.base.protocols.ldap.basic/ldap.log', (r) => r.opcode === 'bind simple'), protocol: /LDAP/, fix: /LDAPS/ },
  { name: 'Arkime FTP (user anonymous)', pcap: ark('ftp.pcap'), servers: () => arkimeDst('ftp', (b) => Array.isArray(b.user)), protocol: /FTP/, fix: /SFTP or FTPS/ },
  { name: 'Arkime HTTP Basic (http.authType basic)', pcap: ark('http-basicauth.pcap'), servers: () => arkimeDst('http-basicauth', (b) => JSON.stringify(b.http ?? {}).includes('"basic"')), protocol: /HTTP/, fix: /HTTPS only/ },
  { name: 'Arkime LDAP simple bind (ldap.authtype simple)', pcap: ark('ldap-simpleauth.pcap'), servers: () => arkimeDst('ldap-simpleauth', (b) => JSON.stringify(b.ldap ?? {}).includes('simple')), protocol: /LDAP/, fix: /LDAPS/ },
  { name: 'Arkime MQTT CONNECT with password (mqtt.flags hasPassword)', pcap: ark('mqtt_synthetic.pcap'), servers: () => arkimeDst('mqtt_synthetic', (b) => JSON.stringify(b.mqtt ?? {}).includes('hasPassword')), protocol: /MQTT/, fix: /MQTT over TLS \(8883\)/ },
  { name: 'Arkime SNMPv2c community (snmp.community)', pcap: ark('SNMPv2c_get_requests.pcap'), servers: () => arkimeDst('SNMPv2c_get_requests', (b) => JSON.stringify(b.snmp ?? {}).includes('community')), protocol: /SNMP/, fix: /SNMPv3 with authPriv/ },
  // Nothing in this synthetic capture is answered (every message goes to 10.0.0.161, tshark shows
  // no reply): no agent took the communities, so the finding is on each device that sent one
  // (Arkime's session source), a GetResponse's sender included.
  { name: 'Arkime SNMP v1/v2c beside v3 (snmp.community), on the senders as nothing answered', pcap: ark('snmpv3_synthetic.pcap'), servers: () => arkimeDst('snmpv3_synthetic', (b) => JSON.stringify(b.snmp ?? {}).includes('community'), 'source'), protocol: /SNMP/, fix: /SNMPv3 with authPriv/ },
  { name: 'Zeek SNMPv1 get (community in out1)', pcap: corpus('zeek', 'traces', 'snmp', 'snmpv1_get.pcap'), servers: () => zeekEventServers('scripts.base.protocols.snmp.v1/out1'), protocol: /SNMP/, fix: /SNMPv3 with authPriv/ },
  {
    name: 'suricata-verify pgsql cleartext password (response authentication_cleartext_password)',
    pcap: corpus('suricata-verify', 'tests', 'pgsql', 'pgsql-pwd-output-disabled', 'input.pcap'),
    servers: () => [...new Set(suricataChecks(corpus('suricata-verify', 'tests', 'pgsql', 'pgsql-pwd-output-disabled', 'test.yaml')).filter((k) => k.match['pgsql.response.message'] === 'authentication_cleartext_password').map((k) => k.match.dest_ip))],
    protocol: /PostgreSQL/,
    fix: /scram-sha-256/,
  },
  { name: 'Zeek SNMPv2 get (community in out1)', pcap: corpus('zeek', 'traces', 'snmp', 'snmpv2_get.pcap'), servers: () => zeekEventServers('scripts.base.protocols.snmp.v2/out1'), protocol: /SNMP/, fix: /SNMPv3 with authPriv/ },
];

/** resp_h of the Zeek event dump's request records that carry a community. */
function zeekEventServers(base: string): string[] {
  const text = readFileSync(zeekBase(base), 'utf8');
  const out = new Set<string>();
  const re = /_request\n\s+\[orig_h=[^,]+, orig_p=[^,]+, resp_h=([^,]+), resp_p=161\/udp[^\n]*\n\s+is_orig: T\n\s+\[community=/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.add(m[1]);
  return [...out].sort();
}

for (const c of CRED_CASES) {
  test(`cleartext-credentials on the server the peer names: ${c.name}`, { skip }, async () => {
    const servers = c.servers();
    assert.ok(servers.length > 0, 'the peer names a server');
    const a = await assessCaptures([c.pcap]);
    try {
      for (const s of servers) {
        const f = rulesOn(a, `ip:${s}`, 'cleartext-credentials');
        assert.ok(f.length > 0 && f.some((x) => c.protocol.test(x.title)), `${s}: ${a.result.findings.map((x) => `${x.rule} ${x.device} ${x.title}`).join('\n')}`);
        assert.ok(f[0].evidence.length > 0 && f[0].evidence.every((e) => e.file === c.pcap && e.packet > 0));
        // The fix names the protocol's own encrypted form, not a list of every protocol's.
        const mine = f.find((x) => c.protocol.test(x.title))!;
        assert.match(mine.remediation, c.fix, s);
        assert.match(mine.remediation, /change the (passwords|community strings) that crossed in clear/, s);
        if (/not answered/.test(mine.title)) assert.match(mine.remediation, /addresses that do not answer/, s);
      }
      assert.ok(a.result.metrics.cleartext_credential_devices >= servers.length);
    } finally {
      cleanup(a);
    }
  });
}

test("a scanned host is not given the scanner's probes: nmap's SNMP and IKE payloads to 10.93.0.10 went unanswered", async () => {
  // nmap -sU --top-ports 100 (recon-dos.sh): tshark shows its SNMP get with community "public"
  // (frame 175) and IKE Main Mode offers (DES/3DES, MD5/SHA1, MODP-1024) to ports 500 and 4500,
  // and no UDP reply at all. No agent took the community and no IKE responder answered: no
  // default-credentials, clear-text SNMP, remote-access or weak-vpn finding on either side; the
  // community crossed the wire all the same, so the scanner gets the clear-text credential.
  const a = await assessCaptures([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor', 'generated-nmap-udp-scan.pcap')]);
  try {
    const rules = a.result.findings.map((f) => f.rule).sort();
    assert.deepEqual(rules, ['cleartext-credentials']);
    const f = a.result.findings[0];
    const scanner = a.result.devices.find((d) => d.id === f.device)!;
    assert.ok(scanner.ips.includes('10.93.0.66'));
    assert.match(f.title, /not answered: SNMP v1\/v2c on port 161/);
    assert.match(f.detail, /1 not answered.*That address did not answer/);
    assert.equal(f.evidence[0].packet, 175);
    assert.match(f.remediation, /addresses that do not answer/);
  } finally {
    cleanup(a);
  }
});

test('addresses the inventory did not build are devices only if they sent packets, each with its sighting and a reason', { skip }, async () => {
  // Zeek's smtp.pcap: 10.10.1.255 is only ever a destination (NetBIOS broadcasts to it).
  const a = await assessCaptures([corpus('zeek', 'traces', 'smtp.pcap')], { devices: () => [] });
  try {
    const ids = a.result.devices.map((d) => d.id);
    assert.ok(a.obs.hosts.has('10.10.1.255'), 'observed as a destination');
    assert.equal(ids.includes('ip:10.10.1.255'), false);
    const d = a.result.devices.find((x) => x.id === 'ip:10.10.1.4')!;
    assert.equal(d.category, 'unknown');
    assert.match(d.category_reason ?? '', /no identifying protocol/);
    const ip = d.evidence.find((e) => e.fact === 'ip')!;
    assert.deepEqual([ip.value, ip.source, ip.packet > 0, ip.file.endsWith('smtp.pcap')], ['10.10.1.4', 'conn', true, true]);
    for (const x of a.result.devices) assert.ok(x.evidence.some((e) => e.packet > 0), `${x.id} cites a packet`);
  } finally {
    cleanup(a);
  }
});

test('cleartext-credentials for suricata-verify MQTT and POP3 logins (username/password and PASS in the checks)', { skip }, async () => {
  for (const [dir, proto] of [['mqtt31-sub-userpass', /MQTT/], ['mqtt311-pub-userpass', /MQTT/], ['pop3-03-bug-7709', /POP3/]] as const) {
    const checks = suricataChecks(corpus('suricata-verify', 'tests', dir, 'test.yaml'));
    assert.ok(checks.some((k) => k.match['mqtt.connect.password'] !== undefined || k.match['pop3.request.command'] === 'PASS'), dir);
    const a = await assessCaptures([corpus('suricata-verify', 'tests', dir, 'input.pcap')]);
    try {
      assert.ok(a.result.findings.some((f) => f.rule === 'cleartext-credentials' && proto.test(f.title)), dir);
    } finally {
      cleanup(a);
    }
  }
});

test('cleartext-credentials on the sending device when the server is outside the network (nDPI pop3.pcap)', { skip }, async () => {
  // nDPI labels the three connections of 192.168.0.4 to 212.227.15.166:110 POP3 [ClearText];
  // tshark shows AUTH PLAIN with its credential in packets 56, 85 and 104 (one refused, two
  // accepted). The mail server is on the Internet: no device of the inventory, and nothing the
  // site can reconfigure, so the finding is on the workstation that sent the passwords.
  const pcap = corpus('ndpi', 'pcap', 'pop3.pcap');
  const flows = ndpiFlows(corpus('ndpi', 'result', 'pop3.pcap.out')).filter((f) => f.app === 'POP3' && f.a === '192.168.0.4');
  assert.ok(flows.length >= 2 && flows.every((f) => f.b === '212.227.15.166' && f.bPort === 110 && f.line.includes('[ClearText]')));
  const a = await assessCaptures([pcap], { devices: (ds) => ds.filter((d) => d.ips.every(isLocalAddress)), input: { hostFilter: isLocalAddress } });
  try {
    assert.equal(a.result.devices.some((d) => d.ips.includes('212.227.15.166')), false, 'the server is not a device');
    const f = rulesOn(a, 'ip:192.168.0.4', 'cleartext-credentials');
    assert.equal(f.length, 1, a.result.findings.map((x) => `${x.rule} ${x.device} ${x.title}`).join('\n'));
    assert.match(f[0].title, /to a server outside the inventory: POP3 on port 110/);
    assert.match(f[0].detail, /212\.227\.15\.166/);
    assert.match(f[0].remediation, /POP3S \(995\) or STLS/);
    assert.match(f[0].remediation, /block outbound clear-text connections to port 110/);
    // Each credential is cited at the server's answer that settled it (tshark: 57 answers 56 with
    // -ERR, 86 answers 85 with +OK); the login of packet 104 repeats 85's user and password, and
    // is counted into it.
    assert.deepEqual(f[0].evidence.map((e) => e.packet), [57, 86]);
    assert.match(f[0].detail, /^2 credentials \(1 accepted, 1 refused\)/);
    assert.equal(a.result.metrics.cleartext_credential_devices, 1);
    // The first connection (143.225.229.181 to 74.208.5.28, USER/PASS) has no local end: no device, no finding.
    assert.equal(a.result.findings.filter((x) => x.rule === 'cleartext-credentials').length, 1);
  } finally {
    cleanup(a);
  }
});

test('default-credentials: SNMP community public (Zeek shows [community=public]) on the agent', { skip }, async () => {
  const text = readFileSync(zeekBase('scripts.base.protocols.snmp.v1/out1'), 'utf8');
  assert.match(text, /\[community=public\]/);
  const servers = zeekEventServers('scripts.base.protocols.snmp.v1/out1');
  const a = await assessCaptures([corpus('zeek', 'traces', 'snmp', 'snmpv1_get.pcap')]);
  try {
    for (const s of servers) {
      const f = rulesOn(a, `ip:${s}`, 'default-credentials');
      assert.equal(f.length, 1, s);
      assert.equal(f[0].severity, 'critical');
      assert.doesNotMatch(JSON.stringify(f), /public/);
    }
    assert.equal(a.result.metrics.default_credential_devices, servers.length);
  } finally {
    cleanup(a);
  }
});

test('no default-credentials for a community that is no vendor default (Arkime: [R0_C@cti!])', { skip }, async () => {
  const a = await assessCaptures([ark('SNMPv2c_get_requests.pcap')]);
  try {
    assert.deepEqual(a.result.findings.filter((f) => f.rule === 'default-credentials'), []);
  } finally {
    cleanup(a);
  }
});

test('smbv1 on the servers that negotiated SMB1 (suricata NT LM 0.12, Arkime, nDPI NetBIOS.SMBv1)', { skip }, async () => {
  // suricata-verify smb1-02: the negotiation answered with dialect "NT LM 0.12".
  assert.ok(suricataChecks(corpus('suricata-verify', 'tests', 'smb1-02', 'test.yaml')).some((k) => k.match['smb.dialect'] === 'NT LM 0.12' && k.match['smb.command'] === 'SMB1_COMMAND_NEGOTIATE_PROTOCOL'));
  const ndpi = ndpiFlows(corpus('ndpi', 'result', 'smb_frags.pcap.out')).filter((f) => f.app.includes('SMBv1') && f.proto === 'TCP');
  assert.ok(ndpi.length > 0);
  const cases: [string, string[]][] = [
    [corpus('suricata-verify', 'tests', 'smb1-02', 'smb1_osx.pcap'), []],
    [ark('smb-smb1-ascii.pcap'), arkimeDst('smb-smb1-ascii', (b) => b.smb !== undefined)],
    [ark('smbtorture-ntlmssp.pcap'), arkimeDst('smbtorture-ntlmssp', (b) => b.smb !== undefined)],
    [corpus('ndpi', 'pcap', 'smb_frags.pcap'), ndpi.map((f) => f.b)],
  ];
  for (const [pcap, servers] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const f = a.result.findings.filter((x) => x.rule === 'smbv1');
      assert.ok(f.some((x) => x.title === 'SMBv1 served'), pcap);
      for (const s of servers) assert.ok(rulesOn(a, `ip:${s}`, 'smbv1').some((x) => x.title === 'SMBv1 served'), `${pcap} ${s}`);
    } finally {
      cleanup(a);
    }
  }
});

test('weak-tls for SSLv3 and TLS 1.0/1.1 servers (Arkime tls.version, Zeek ssl.log version)', { skip }, async () => {
  const cases: [string, string[], RegExp][] = [
    [ark('openssl-ssl3.pcap'), arkimeDst('openssl-ssl3', (b) => JSON.stringify(b.tls ?? {}).includes('SSLv3')), /SSLv3/],
    [ark('openssl-tls1.pcap'), arkimeDst('openssl-tls1', (b) => JSON.stringify(b.tls ?? {}).includes('"TLSv1"')), /TLSv10/],
    [ark('openssl-tls1_1.pcap'), arkimeDst('openssl-tls1_1', (b) => JSON.stringify(b.tls ?? {}).includes('TLSv1.1')), /TLSv11/],
    [corpus('zeek', 'traces', 'tls', 'tls-conn-with-extensions.pcap'), zeekServers('scripts.base.protocols.ssl.basic/ssl.log', (r) => r.version === 'TLSv10'), /TLSv10/],
  ];
  for (const [pcap, servers, re] of cases) {
    assert.ok(servers.length > 0, pcap);
    const a = await assessCaptures([pcap]);
    try {
      for (const s of servers) {
        const f = rulesOn(a, `ip:${s}`, 'weak-tls');
        assert.ok(f.length === 1 && re.test(f[0].detail), `${pcap} ${s}: ${JSON.stringify(f)}`);
      }
    } finally {
      cleanup(a);
    }
  }
});

test('phi-cleartext on the sender of HL7 patient segments and DICOM patient tags', { skip }, async () => {
  // tapirx: the ORU carries PID (its README); the generated captures carry what generate.sh sent.
  const cases: [string, RegExp][] = [
    [corpus('tapirx', 'HL7-ORU.pcap'), /HL7/],
    [join(REPO_ROOT, 'src', 'analyzers', 'hl7', 'fixtures', 'generated-hl7-mllp.pcap'), /HL7/],
    [join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures', 'generated-dicom-dcmtk.pcap'), /DICOM/],
  ];
  for (const [pcap, re] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const f = a.result.findings.filter((x) => x.rule === 'phi-cleartext');
      assert.ok(f.some((x) => re.test(x.title)), pcap);
      for (const x of f) assert.match(x.detail, /PID|0010/);
    } finally {
      cleanup(a);
    }
  }
});

test('eol-os for Windows 7 and Windows 2000 era hosts, dated by the endoflife feed and judged --as-of', { skip }, async () => {
  const kb = testKb();
  // Arkime: NTLM version 6.1.7600 in the IPv6 session of ntlm_synthetic.
  const sessions = arkimeSessions(ark('ntlm_synthetic.test')).filter((b) => JSON.stringify(b.ntlm ?? {}).includes('6.1.7600'));
  assert.equal(sessions.length, 1);
  const ends = [(sessions[0].source as { ip: string }).ip, (sessions[0].destination as { ip: string }).ip];
  const win7 = kb.eolOf('windows', '7-sp1')!.eol!;
  const a = await assessCaptures([ark('ntlm_synthetic.pcap')]);
  try {
    const hits = ends.flatMap((ip) => rulesOn(a, `ip:${ip}`, 'eol-os'));
    assert.ok(hits.length >= 1, JSON.stringify(a.result.findings.filter((f) => f.rule === 'eol-os')));
    assert.ok(hits.every((f) => f.detail.includes(win7)));
    const d = a.result.devices.find((x) => x.id === hits[0].device)!;
    assert.equal(d.os?.eol, true);
    assert.equal(d.os?.eol_date, win7);
    assert.ok(d.risk.factors.some((x) => x.id === 'eol-os' && x.points === 20));
  } finally {
    cleanup(a);
  }
  // The day before Windows 7 support ended it is not yet end-of-life.
  const before = new Date(Date.parse(`${win7}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const b = await assessCaptures([ark('ntlm_synthetic.pcap')], { asOf: before });
  try {
    assert.deepEqual(ends.flatMap((ip) => rulesOn(b, `ip:${ip}`, 'eol-os')), []);
  } finally {
    cleanup(b);
  }
  // Arkime: smb.os "Windows 2000 2195" on the client of smb-smb1-ascii.
  const client = arkimeSessions(ark('smb-smb1-ascii.test')).map((x) => (x.source as { ip: string }).ip)[0];
  const c = await assessCaptures([ark('smb-smb1-ascii.pcap')]);
  try {
    const f = rulesOn(c, `ip:${client}`, 'eol-os');
    assert.equal(f.length, 1);
    assert.ok(f[0].detail.includes(kb.eolOf('windows-server', '2000')!.eol!));
  } finally {
    cleanup(c);
  }
});

test('TLS-only captures (TLS 1.2/1.3 with AEAD or CBC suites, CA-signed) yield none of the clear-text, SMB1, weak-TLS, PHI or EOL findings', { skip }, async () => {
  const pcaps = [ark('tls13.pcap'), ark('openssl-tls1_2.pcap'), corpus('zeek', 'traces', 'tls', 'tls13draft23-chrome67.0.3368.0-canary.pcap'), corpus('zeek', 'traces', 'tls', 'ecdhe.pcap')];
  for (const p of pcaps) {
    const a = await assessCaptures([p]);
    try {
      // Google's certificates of 2013-2014 in openssl-tls1_2.pcap and ecdhe.pcap are signed with
      // SHA-1 (tshark: x509af.algorithm.id 1.2.840.113549.1.1.5), which weak-tls reports now; no
      // protocol, cipher, key or validity weakness is allowed.
      const bad = a.result.findings.filter((f) => ['cleartext-credentials', 'default-credentials', 'cleartext-protocol', 'smbv1', 'weak-tls', 'phi-cleartext', 'eol-os'].includes(f.rule) && !(f.rule === 'weak-tls' && /^TLS on port \d+: certificate signed with sha1WithRSAEncryption: [^,]*[^.]*\.$/.test(f.detail) && !/protocol |cipher |self-signed|expired|short/.test(f.detail)));
      assert.deepEqual(bad, [], p);
      assert.ok(a.result.metrics.unencrypted_flows_pct < 100, p);
    } finally {
      cleanup(a);
    }
  }
});

test('no password, community, passcode or patient value reaches the assessment output', { skip }, async () => {
  // Values the peers and fixtures show crossing the wire: Zeek ftp.log (qwerty), Arkime's Basic
  // header (userrrrr:passwordddd), Arkime snmp.community, Zeek http.log (1:34), the DICOM and HL7
  // fixtures' patient values and passcode, tapirx's HL7 patient.
  const secrets = ['qwerty', 'passwordddd', 'R0_C@cti!', 'secret123', 'S3cretDicomPw!', 'ZZTESTPATIENT', 'WLPID9876543', 'ZZHLSEVEN', 'TESTPATIENT', 'MOUSE', 'MICKEY', '19281118'];
  const pcaps = [
    corpus('zeek', 'traces', 'ftp', 'ftp-password-pass-command.pcap'),
    ark('http-basicauth.pcap'),
    ark('SNMPv2c_get_requests.pcap'),
    ark('snmpv3_synthetic.pcap'),
    corpus('zeek', 'traces', 'http', 'basic-auth-with-colon.pcap'),
    join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures', 'generated-dicom-dcmtk.pcap'),
    join(REPO_ROOT, 'src', 'analyzers', 'hl7', 'fixtures', 'generated-hl7-mllp.pcap'),
    corpus('tapirx', 'HL7-ORU.pcap'),
  ];
  const a = await assessCaptures(pcaps);
  try {
    const out = JSON.stringify(a.result);
    for (const s of secrets) assert.ok(!out.includes(s), `"${s}" appears in the output`);
    assert.ok(!out.includes('1:34'), 'the Basic password with a colon');
    assert.ok(!/"public"|community "public"|\bprivate\b/.test(out));
    // And the findings the values would have been in are there.
    for (const r of ['cleartext-credentials', 'default-credentials', 'phi-cleartext']) assert.ok(a.result.findings.some((f) => f.rule === r), r);
  } finally {
    cleanup(a);
  }
});

test('the same captures, knowledge base and --as-of give byte-identical results', { skip }, async () => {
  const pcaps = [ark('smb-smb1-ascii.pcap'), ark('ntlm_synthetic.pcap'), corpus('tapirx', 'HL7-ORU.pcap'), ark('snmpv3_synthetic.pcap')];
  const a = await assessCaptures(pcaps, { asOf: '2025-01-01' });
  const b = await assessCaptures(pcaps, { asOf: '2025-01-01' });
  try {
    assert.equal(JSON.stringify(a.result), JSON.stringify(b.result));
    assert.ok(a.result.findings.length > 10);
    // Ids are stable hashes of rule, device and key.
    assert.equal(new Set(a.result.findings.map((f) => f.id)).size, a.result.findings.length);
  } finally {
    cleanup(a);
    cleanup(b);
  }
});

test("softwareIdentities() names NVD's postgresql:postgresql from the server_version Zeek shows (parameter-status baseline)", { skip }, async () => {
  const line = readFileSync(zeekBase('scripts.base.protocols.postgresql.parameter-status/output'), 'utf8')
    .split('\n')
    .find((l) => l.includes(', server_version, '))!;
  const version = line.split(', server_version, ')[1];
  const { softwareIdentities } = await import('./identity.js');
  const ids = softwareIdentities([`PostgreSQL/${version}`]);
  assert.deepEqual(
    ids.map((i) => [i.vendor, i.product, i.version]),
    [['postgresql', 'postgresql', version.split(' ')[0]]],
  );
});

test('cleartext-protocol for database sessions in clear, none where TLS protected them', { skip }, async () => {
  const cases: [string, string, RegExp | null][] = [
    // Arkime: MySQL login accepted in clear; PostgreSQL startup and password in clear.
    [ark('mysql-allow.pcap'), 'mysql', /Clear-text MySQL served on port 3306/],
    [ark('postgres-good.pcap'), 'postgresql', /Clear-text PostgreSQL served on port 5432/],
    // Arkime ntlm_synthetic: a TDS LOGIN7 (integrated authentication) with no encryption negotiated.
    [ark('ntlm_synthetic.pcap'), 'mssql', /Clear-text SQL Server \(TDS\) served on port 1433/],
    // nDPI's sqlplus session (test/fixtures/ndpi): the listener chose no Native Network Encryption.
    [join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-oracle.pcap'), 'oracle', /Clear-text Oracle Net served on port 1521/],
    // Zeek's traces of the same protocols switching to TLS first (conn.log mysql,ssl / postgresql,ssl).
    [corpus('zeek', 'traces', 'mysql', 'encrypted.pcap'), 'mysql', null],
    [corpus('zeek', 'traces', 'postgresql', 'psql-aws-ssl-require.pcap'), 'postgresql', null],
  ];
  for (const [pcap, svc, title] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const f = a.result.findings.filter((x) => x.rule === 'cleartext-protocol' && x.title.includes({ mssql: 'SQL Server', mysql: 'MySQL', postgresql: 'PostgreSQL', oracle: 'Oracle Net' }[svc]!));
      if (title === null) assert.equal(f.length, 0, pcap);
      else {
        assert.equal(f.length, 1, `${pcap}: ${a.result.findings.map((x) => x.title).join('; ')}`);
        assert.match(f[0].title, title);
        assert.equal(f[0].severity, 'medium');
        assert.ok(f[0].evidence.every((e) => e.packet > 0 && e.file === pcap));
      }
    } finally {
      cleanup(a);
    }
  }
});

test('cleartext-protocol for calls set up in clear as plain RTP, on the device that sends the media', { skip }, async () => {
  // nDPI's sip.pcap: the SIPPS softphone 192.168.1.2 offers m=audio 30000 RTP/AVP (not SAVP) in
  // an INVITE sent in clear, and sends 9 G.711 A-law packets to 212.242.33.36:40392 (nDPI: RTP).
  const a = await assessCaptures([corpus('ndpi', 'pcap', 'sip.pcap')]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-protocol' && x.title.includes('RTP'));
    assert.equal(f.length, 1, a.result.findings.map((x) => x.title).join('; '));
    assert.equal(f[0].title, 'Clear-text voice/video (RTP) sent by the device');
    assert.equal(a.result.devices.find((d) => d.id === f[0].device)!.ips[0], '192.168.1.2');
    assert.match(f[0].detail, /audio \(PCMA\) of a SIP call as plain RTP, not SRTP \(1 stream\)/);
    assert.equal(f[0].severity, 'medium');
    assert.match(f[0].remediation, /SRTP/);
    assert.ok(f[0].evidence.every((e) => e.packet > 0 && e.source === 'rtp.srtp'));
  } finally {
    cleanup(a);
  }
});

test('cleartext-protocol for NFS served to AUTH_SYS calls, on the server', async () => {
  // nDPI's NFS session (test/fixtures/ndpi/ndpi-nfs.pcap): tshark shows every NFS v2 and v3 call
  // of 139.25.22.2 with an AUTH_UNIX credential (uid 0), answered by 139.25.22.102:2049.
  const a = await assessCaptures([join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-nfs.pcap')]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-protocol');
    assert.equal(f.length, 1, a.result.findings.map((x) => x.title).join('; '));
    assert.equal(f[0].title, 'Clear-text NFS served on port 2049');
    assert.equal(a.result.devices.find((d) => d.id === f[0].device)!.ips[0], '139.25.22.102');
    assert.match(f[0].detail, /AUTH_SYS .*uid 0, root/);
    assert.match(f[0].remediation, /krb5p/);
  } finally {
    cleanup(a);
  }
});

test('HL7 over plain HTTP: patient data sent unencrypted and a clear-text clinical service on the listener', async () => {
  // test/fixtures/generated/generated-hl7-http.pcap: an ORU^R01 with PID and PV1 POSTed to
  // 127.0.0.1:8089 over HTTP (curl to a python3-hl7 listener).
  const a = await assessCaptures([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-hl7-http.pcap')]);
  try {
    const byRule = (r: string) => a.result.findings.filter((x) => x.rule === r);
    assert.deepEqual(byRule('cleartext-protocol').map((f) => [f.title, f.severity]), [['Clear-text HL7 v2 over HTTP served on port 8089', 'high']]);
    assert.match(byRule('cleartext-protocol')[0].remediation, /HTTPS/);
    assert.deepEqual(byRule('phi-cleartext').map((f) => f.title), ['Patient data sent unencrypted (HL7)']);
  } finally {
    cleanup(a);
  }
});

test('weak-kerberos on the KDC that issued RC4 tickets or answered AS requests without pre-authentication, and on the service presented RC4 tickets; none where AES and pre-authentication were used', { skip }, async () => {
  const cases: [string, string[]][] = [
    // suricata-verify krb5-kerberoasting: one KRB_TGS_REP, ticket_encryption rc4-hmac,
    // ticket_weak_encryption true (test.yaml), from the KDC 10.0.0.6 (tshark).
    [corpus('suricata-verify', 'tests', 'krb5-kerberoasting', 'kerberoast.pcap'), ['10.0.0.6 Kerberos tickets issued under rc4-hmac medium']],
    // Zeek's smb_gssapi.pcap: kerberos.log request_type AP, cipher rc4-hmac, for
    // cifs/EDISK03A.housing.hksarg, the ticket presented inside SMB to the file server 10.24.8.44.
    [corpus('zeek', 'traces', 'krb', 'smb_gssapi.pcap'), ['10.24.8.44 Kerberos service tickets under rc4-hmac medium']],
    // Zeek's auth.pcap: kerberos.log cipher aes256-cts-hmac-sha1-96.
    [corpus('zeek', 'traces', 'krb', 'auth.pcap'), []],
    // nDPI's kerberos.pcap: each AS-REQ without pre-authentication is refused with error 25
    // (KDC_ERR_PREAUTH_REQUIRED) and repeated with PA-ENC-TIMESTAMP (tshark padata-type 2).
    [corpus('ndpi', 'pcap', 'kerberos.pcap'), []],
    // Generated with MIT Kerberos (test/fixtures/generated/README.md): alice's AS-REQ carries
    // only PA-REQ-ENC-PA-REP and PA-PAC-OPTIONS (tshark padata-type 150, 149) and is answered
    // (frame 6); the eleven service tickets are rc4-hmac.
    [join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-kerberoast-mit.pcap'), ['127.0.0.1 Kerberos accounts without pre-authentication high', '127.0.0.1 Kerberos tickets issued under rc4-hmac medium']],
  ];
  for (const [pcap, want] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const got = a.result.findings.filter((f) => f.rule === 'weak-kerberos').map((f) => `${a.result.devices.find((d) => d.id === f.device)!.ips[0]} ${f.title} ${f.severity}`);
      assert.deepEqual(got, want, pcap);
      for (const f of a.result.findings.filter((x) => x.rule === 'weak-kerberos')) {
        const preauth = f.title.includes('pre-authentication');
        assert.ok(f.evidence.every((e) => e.packet > 0 && e.source === (preauth ? 'kerberos.preauth' : 'kerberos.cipher')));
        assert.match(f.remediation, preauth ? /requires_preauth/ : /msDS-SupportedEncryptionTypes/);
      }
    } finally {
      cleanup(a);
    }
  }
});

test('smb-signing on the SMB servers that negotiated without requiring signing, as tshark reads their SecurityMode', { skip }, async () => {
  // tshark -Y 'smb2.cmd==0 && smb2.flags.response==1' -e smb2.sec_mode.sign_required: 0 on Zeek's
  // smb3_negotiate_context.pcap (192.168.1.21) and smb2_krb.pcap (172.19.23.143) and
  // suricata-verify's smb-version-keyword (172.31.222.157); 1 on Zeek's smb3.pcap (10.160.65.202),
  // smb311.pcap (10.160.67.244) and suricata-verify's smb2-06 (192.168.10.10).
  const cases: [string, string | null][] = [
    [corpus('zeek', 'traces', 'smb', 'smb3_negotiate_context.pcap'), '192.168.1.21'],
    [corpus('zeek', 'traces', 'krb', 'smb2_krb.pcap'), '172.19.23.143'],
    [corpus('suricata-verify', 'tests', 'smb-version-keyword', 'input.pcap'), '172.31.222.157'],
    [corpus('zeek', 'traces', 'smb', 'smb3.pcap'), null],
    [corpus('zeek', 'traces', 'smb', 'smb311.pcap'), null],
    [corpus('suricata-verify', 'tests', 'smb2-06', '20171220_smb_net_user.pcap'), null],
  ];
  for (const [pcap, server] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const f = a.result.findings.filter((x) => x.rule === 'smb-signing');
      assert.deepEqual(f.map((x) => a.result.devices.find((d) => d.id === x.device)!.ips[0]), server === null ? [] : [server], pcap);
      for (const x of f) {
        assert.equal(x.title, 'SMB signing not required');
        assert.equal(x.severity, 'medium');
        assert.ok(x.evidence.every((e) => e.source === 'smb.signing_required' && e.packet > 0));
      }
    } finally {
      cleanup(a);
    }
  }
});

test('weak-ntlm on the clients that sent NTLMv1 responses and the servers that accepted them', { skip }, async () => {
  // tshark -Y 'ntlmssp.messagetype==3': 24-byte NtChallengeResponses (NTLMv1) from these clients;
  // Arkime's capture also carries NTLM inside SMTP, POP3 and IMAP AUTH (base64, which tshark leaves
  // undecoded: decoded by hand, 24 bytes as well, 10.10.11.100, 10.10.13.100, 2001:db8:120::100).
  // Accepted where the carrier says so (ntlm.log success): LDAP and SASL binds, an SMB session setup.
  const cases: [string, string[], string[]][] = [
    [
      ark('ntlm_synthetic.pcap'),
      ['10.10.1.100', '10.10.11.100', '10.10.13.100', '10.10.2.100', '10.10.4.100', '10.10.6.100', '10.10.7.100', '2001:db8:10::100', '2001:db8:120::100', '2001:db8:140::100', '2001:db8:40::100', '2001:db8:90::100'],
      ['10.10.6.1', '10.10.7.1'],
    ],
    [ark('smbtorture-ntlmssp.pcap'), ['192.168.114.1'], ['192.168.114.129']],
    [corpus('zeek', 'traces', 'dce-rpc', 'mapi.pcap'), ['192.168.0.173'], []],
    // NTLMv2 only (tshark: 156-byte response).
    [corpus('zeek', 'traces', 'smb', 'smb3.pcap'), [], []],
  ];
  for (const [pcap, clients, servers] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const on = (title: string) => a.result.findings.filter((f) => f.rule === 'weak-ntlm' && f.title === title).map((f) => a.result.devices.find((d) => d.id === f.device)!.ips[0]).sort();
      assert.deepEqual(on('NTLMv1 authentication sent'), clients, pcap);
      assert.deepEqual(on('NTLMv1 authentication accepted'), servers, pcap);
      for (const f of a.result.findings.filter((x) => x.rule === 'weak-ntlm')) {
        assert.equal(f.severity, 'high');
        assert.ok(f.evidence.every((e) => e.source === 'ntlm.ntlm_v1' && e.packet > 0));
      }
    } finally {
      cleanup(a);
    }
  }
});

test('rdp-security on the RDP servers that chose standard RDP security, as Zeek\'s rdp.log states; none with CredSSP', { skip }, async () => {
  // Zeek baselines (rdp.log security_protocol): RDP on rdp-proprietary-encryption (10.226.24.52),
  // rdp-x509 and rdp-unknown-keyboard (192.168.1.2); HYBRID (CredSSP) on rdp-to-ssl.
  const cases: [string, string | null][] = [
    [corpus('zeek', 'traces', 'rdp', 'rdp-proprietary-encryption.pcap'), '10.226.24.52'],
    [corpus('zeek', 'traces', 'rdp', 'rdp-x509.pcap'), '192.168.1.2'],
    [corpus('zeek', 'traces', 'rdp', 'rdp-unknown-keyboard.pcap'), '192.168.1.2'],
    [corpus('zeek', 'traces', 'rdp', 'rdp-to-ssl.pcap'), null],
  ];
  for (const [pcap, server] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const f = a.result.findings.filter((x) => x.rule === 'rdp-security');
      assert.deepEqual(f.map((x) => [a.result.devices.find((d) => d.id === x.device)!.ips[0], x.title, x.severity]), server === null ? [] : [[server, 'RDP with standard RDP security (no TLS, no NLA)', 'high']], pcap);
      for (const x of f) assert.ok(x.evidence.every((e) => e.source === 'rdp.security_protocol' && e.packet > 0));
    } finally {
      cleanup(a);
    }
  }
});

test('weak-tls names certificates with short keys and MD5/SHA-1 signatures (NIST SP 800-131A), as tshark decodes them', { skip }, async () => {
  // tshark: ssl-selfsign.pcap's server 10.180.152.137 sends a self-signed certificate with a
  // 1024-bit RSA modulus signed sha1WithRSAEncryption (1.2.840.113549.1.1.5); ssl-v2-s1.pcap's
  // 10.157.4.11 a 1024-bit one signed md5WithRSAEncryption (1.2.840.113549.1.1.4).
  const cases: [string, string, RegExp[], string][] = [
    [ark('ssl-selfsign.pcap'), 'ip:10.180.152.137', [/certificate with a short RSA 1024-bit key: CN=molochftw/, /certificate signed with sha1WithRSAEncryption: CN=molochftw/], 'high'],
    [corpus('suricata-verify', 'tests', 'sslv2-tls-upgrade-01', 'ssl-v2-s1.pcap'), 'ip:10.157.4.11', [/certificate with a short RSA 1024-bit key/, /certificate signed with md5WithRSAEncryption/], 'high'],
  ];
  for (const [pcap, device, parts, severity] of cases) {
    const a = await assessCaptures([pcap]);
    try {
      const f = a.result.findings.find((x) => x.rule === 'weak-tls' && x.device === device)!;
      assert.ok(f !== undefined, pcap);
      for (const p of parts) assert.match(f.detail, p, pcap);
      assert.equal(f.severity, severity);
      assert.ok(f.evidence.some((e) => e.source === 'x509.key_length') && f.evidence.some((e) => e.source === 'x509.sig_alg'));
    } finally {
      cleanup(a);
    }
  }
});

test('cleartext-protocol for an SNMPv3 agent answering a noAuthNoPriv user; discovery reports do not count', { skip }, async () => {
  // tshark on Zeek's snmpv3_get_next.pcap: frame 1 discovery (no user) and frame 2 its Report;
  // frame 3 a get-next from user "username" with msgFlags 0x04 (reportable, no auth, no priv),
  // frame 4 the agent's get-response with msgFlags 0x00.
  const a = await assessCaptures([corpus('zeek', 'traces', 'snmp', 'snmpv3_get_next.pcap')]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-protocol');
    assert.deepEqual(f.map((x) => x.title), ['Clear-text SNMPv3 (noAuthNoPriv) served on port 161']);
    assert.match(f[0].detail, /noAuthNoPriv, user "username"/);
    assert.deepEqual(f[0].evidence.map((e) => [e.source, e.packet]), [['snmp.authenticated', 4]]);
    assert.match(f[0].remediation, /authPriv/);
  } finally {
    cleanup(a);
  }
});
