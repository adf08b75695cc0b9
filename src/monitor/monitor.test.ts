// The detectors on real captures: the shared corpus (expectations from Zeek's logs, tshark's
// conversation table and suricata-verify) and the captures of real attack tools in
// test/fixtures/generated/monitor (expectations from the tools' and servers' own reports, see its
// README). Synthetic packets only where no real capture exists (ARP spoofing, rogue DHCP, the
// multi-day baseline); those tests say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../engine/analyze.js';
import { corpus, haveCorpus, readTsharkFields, readZeekTsv, REPO_ROOT } from '../testutil/corpus.js';
import { payloads } from '../testutil/payloads.js';
import { writePcap, writeUdpPcap, type UdpPacket } from '../testutil/pcapwriter.js';
import type { Category } from '../report/model.js';
import type { Alert } from '../report/alert.js';
import { Monitor, type MonitorOptions } from './monitor.js';
import type { MonitorConfig } from './config.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
const gen = (name: string): string => join(GEN, name);
const skip = !haveCorpus();

interface RunOpts {
  config?: Partial<MonitorConfig>;
  categories?: Record<string, Category>;
  category?: MonitorOptions['deviceCategory'];
  baselines?: MonitorOptions['baselines'];
  persist?: boolean;
}

async function monitor(paths: string[], o: RunOpts = {}): Promise<{ alerts: Alert[]; mon: Monitor }> {
  let a: Analysis | null = null;
  const cats = o.categories ?? {};
  const mon = new Monitor({
    config: o.config,
    deviceCategory: o.category ?? ((ip) => cats[ip] ?? null),
    fileName: (i) => a!.paths[i],
    baselines: o.baselines,
    persistBaselines: o.persist,
  });
  a = new Analysis({ outDir: null, ...mon.hooks() });
  await a.run(paths);
  return { alerts: mon.finish(), mon };
}

function only(alerts: Alert[], rule: string): Alert {
  const l = alerts.filter((x) => x.rule === rule);
  assert.equal(l.length, 1, `one ${rule} alert expected, got ${JSON.stringify(alerts.map((x) => [x.rule, x.why]))}`);
  return l[0];
}

async function payloadAt(path: string, packet: number): Promise<string> {
  const p = (await payloads(path)).find((x) => x.packet === packet);
  return p === undefined ? '' : Buffer.from(p.bytes).toString('latin1');
}

// ---- scans (nmap) ----

test('an nmap SYN scan of 200 ports raises one port-scan alert counting every closed port', async () => {
  const path = gen('generated-nmap-port-scan.pcap');
  const { alerts } = await monitor([path]);
  const a = only(alerts, 'scan');
  assert.equal(alerts.length, 1);
  assert.equal(a.device, 'ip:127.0.0.1');
  assert.equal(a.peer, '127.0.0.2');
  assert.equal(a.count, 200, 'nmap: 200 closed tcp ports (reset)');
  assert.equal(a.severity, 'medium');
  assert.match(a.why, /probed 200 TCP ports of 127\.0\.0\.2/);
  assert.equal(a.evidence[0].packet, 1, 'the first SYN');
  assert.ok(a.evidence.every((e) => e.file === path && e.source === 'conn.conn_state' && / REJ$/.test(e.value)));
});

test('an nmap connect sweep of port 445 over 50 hosts raises one address-scan alert', async () => {
  const { alerts } = await monitor([gen('generated-nmap-sweep-445.pcap')]);
  const a = only(alerts, 'scan');
  assert.equal(a.count, 50, 'nmap: 50 IP addresses scanned');
  assert.equal(a.peer, null);
  assert.match(a.why, /port 445 on 50 hosts/);
});

test('a scanning medical device is a more severe scan, and an allowed scanner is silent', async () => {
  const path = gen('generated-nmap-sweep-445.pcap');
  let r = await monitor([path], { categories: { '127.0.0.1': 'infusion_pump' } });
  assert.equal(only(r.alerts, 'scan').severity, 'high');
  r = await monitor([path], { config: { scanAllow: ['127.0.0.1/32'] } });
  assert.equal(r.alerts.filter((a) => a.rule === 'scan').length, 0);
});

// ---- reconnaissance and floods (nmap 7.93 and hping3 between two network namespaces: recon-dos.sh) ----

test('an nmap ping sweep of a routed /24 is one address scan counting every address pinged but the broadcast', async () => {
  const path = gen('generated-nmap-ping-sweep.pcap');
  const { alerts } = await monitor([path]);
  const a = only(alerts, 'scan');
  assert.equal(alerts.length, 1);
  // tshark: 510 echo requests from 10.93.0.66 to the 256 addresses of 10.93.1.0/24 (twice to
  // each but the answering ones); 10.93.1.255 is that prefix's broadcast, not a host.
  assert.equal(a.count, 255);
  assert.equal(a.device, 'ip:10.93.0.66');
  assert.equal(a.peer, null);
  assert.match(a.why, /sent ICMP echo requests \(ping\) to 255 hosts \(ping sweep/);
  assert.equal(a.evidence[0].packet, 9, 'tshark: frame 9, the first echo request (to 10.93.1.1)');
  assert.ok(a.evidence.every((e) => e.fact === 'host-probe' && /^10\.93\.0\.66 -> 10\.93\.1\.\d+ icmp echo request/.test(e.value)));
});

test('an nmap ARP sweep of the local /24 is one address scan by the ARP sender', async () => {
  const { alerts } = await monitor([gen('generated-nmap-arp-sweep.pcap')]);
  const a = only(alerts, 'scan');
  assert.equal(alerts.length, 1);
  // tshark: 514 broadcast who-has requests from 10.93.0.66 for 255 addresses (all of 10.93.0.0/24 but its own).
  assert.equal(a.count, 255);
  assert.equal(a.device, 'ip:10.93.0.66');
  assert.match(a.why, /asked ARP for 255 different addresses \(ARP sweep/);
  assert.equal(a.evidence[0].packet, 3, 'tshark: frame 3, who-has 10.93.0.1');
  assert.equal(a.evidence[0].value, '10.93.0.66 (8a:87:1c:74:ef:d7) who-has 10.93.0.1');
  assert.equal(a.evidence[0].source, 'arp.tpa');
});

test('an nmap UDP scan is a port scan counting every port probed, and no flood', async () => {
  const { alerts } = await monitor([gen('generated-nmap-udp-scan.pcap')]);
  const a = only(alerts, 'scan');
  assert.equal(alerts.length, 1);
  // tshark: 114 UDP probes to 100 distinct ports of 10.93.0.10 (four to mDNS' 5353), 66 ICMP port
  // unreachable back and no UDP answer; frame 3 is the first, to port 999.
  assert.equal(a.count, 100);
  assert.equal(a.peer, '10.93.0.10');
  assert.match(a.why, /probed 100 UDP ports of 10\.93\.0\.10 without an answer \(port scan/);
  assert.equal(a.evidence[0].packet, 3);
  assert.match(a.evidence[0].value, /^10\.93\.0\.66:\d+ -> 10\.93\.0\.10:999\/udp S0$/);
  // nmap's IKE probes (ports 500 and 4500, tshark: no answer) are no tunnel of the scanner's.
});

test('an nmap SYN scan with retransmissions counts each port once: 997 of 1,000 on scanme.nmap.org (nDPI capture)', async () => {
  const path = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-nmap-scan.pcap');
  const frames = readFileSync(path.replace(/\.pcap$/, '.tshark.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const syn = frames.filter((f) => f[1] === '172.16.0.8' && f[4].endsWith('S·') && !f[4].includes('A'));
  const ports = new Set(syn.map((f) => f[3]));
  const open = new Set(frames.filter((f) => f[1] === '64.13.134.52' && f[4].includes('A') && f[4].includes('S')).map((f) => f[2]));
  assert.equal(syn.length, 1994);
  assert.equal(ports.size, 1000);
  assert.deepEqual([...open].sort(), ['22', '53', '80']);
  const { alerts } = await monitor([path]);
  const a = only(alerts, 'scan');
  // Every port but the three that answered with a SYN-ACK (the scan never reset them: S1).
  assert.equal(a.count, ports.size - open.size);
  assert.equal(a.peer, '64.13.134.52');
  // A fast scan (about 390 SYNs a second here) spreads its SYNs over ports: no flood.
  assert.equal(alerts.filter((x) => x.rule === 'dos-flood').length, 0);
});

test('web scanners by their user agents and forced browsing by its 404s: one scan alert per client and server', async () => {
  const path = gen('generated-web-scanners.pcap');
  const { alerts } = await monitor([path]);
  const a = only(alerts, 'scan');
  // And sqlmap's injection probes (tshark: frames 2016, 2124 and 2136 carry UNION SELECT and
  // quoted tautologies) are exploitation attempts of their own.
  assert.equal(alerts.length, 2);
  assert.deepEqual(only(alerts, 'exploit-attempt').evidence.map((e) => e.packet), [2016, 2124, 2136]);
  // tshark: 180 requests from 10.93.0.66 to 10.93.0.10:80 — 16 from nmap's http-enum ("Nmap
  // Scripting Engine", first at frame 17), 152 from gobuster (frame 179 on), 12 from sqlmap
  // (frame 2007 on) — and 167 answered 404, each for a different path (frames 21, 31, 41 …,
  // answering the requests in frames 17, 29, 39 …: the evidence cites the request).
  assert.equal(a.count, 180);
  assert.equal(a.device, 'ip:10.93.0.66');
  assert.equal(a.peer, '10.93.0.10');
  assert.match(a.why, /ran the web scanners Nmap NSE, gobuster, sqlmap against 10\.93\.0\.10:80 \(their user agents say so\): 180 HTTP requests, asking for more than 50 paths it does not have \(HTTP 404: forced browsing/);
  assert.deepEqual(a.evidence.filter((e) => e.fact === 'scanner-user-agent').map((e) => e.packet), [17, 179, 2007]);
  assert.deepEqual(a.evidence.filter((e) => e.fact === 'not-found').map((e) => e.packet), [17, 29, 39]);
  assert.ok(a.evidence.every((e) => e.file === path));
  // An authorised scanner (scanAllow) says nothing. Forced browsing under a browser's user
  // agent is tested on synthetic transactions in webscan.test.ts.
  const none = await monitor([path], { config: { scanAllow: ['10.93.0.66/32'] } });
  assert.equal(none.alerts.length, 0);
});

test('MQTT floods at a mosquitto broker: CONNECTs and PUBLISHes from one client, not an ordinary sensor', async () => {
  const path = gen('generated-mqtt-floods.pcap');
  const { alerts } = await monitor([path]);
  const floods = alerts.filter((a) => a.rule === 'dos-flood');
  assert.equal(floods.length, 2);
  // tshark: 151 CONNECTs from 10.93.0.66 within 7.1 s (150 one-shot mosquitto_pub runs from frame
  // 4, then the flooder's), each answered by a CONNACK; 6,150 PUBLISHes from it (the one-shot
  // ones' and the flooder's 6,000 within 0.06 s); 10.93.0.67's sensor: one CONNECT, 20 PUBLISHes.
  const connect = floods.find((a) => /connection flood/.test(a.why))!;
  assert.equal(connect.count, 151);
  assert.equal(connect.device, 'ip:10.93.0.10');
  assert.equal(connect.peer, '10.93.0.66');
  assert.match(connect.why, /^10\.93\.0\.10 \(MQTT broker on port 1883\) received 151 MQTT CONNECTs \(connection flood\) from 10\.93\.0\.66 in 7\.0 s/);
  assert.equal(connect.evidence[0].packet, 4);
  assert.match(connect.evidence[0].value, /^CONNECT from 10\.93\.0\.66 as client id "flood-1"/);
  const publish = floods.find((a) => /publish flood/.test(a.why))!;
  assert.equal(publish.count, 6150);
  assert.equal(publish.peer, '10.93.0.66');
  assert.ok(alerts.every((a) => a.peer !== '10.93.0.67' && a.device !== 'ip:10.93.0.67'));
});

test('hping3 SYN, ACK, UDP and ICMP floods: one dos-flood alert per kind on the target, none a scan', async () => {
  const path = gen('generated-hping3-floods.pcap');
  const { alerts } = await monitor([path]);
  assert.equal(alerts.filter((a) => a.rule === 'scan').length, 0);
  const floods = alerts.filter((a) => a.rule === 'dos-flood');
  assert.equal(floods.length, 4);
  const by = (re: RegExp) => {
    const l = floods.filter((a) => re.test(a.why));
    assert.equal(l.length, 1, String(re));
    return l[0];
  };
  // tshark: 1,500 SYNs from 10.93.0.66 (each SYN-ACK answered by its kernel's RST) and 1,500
  // SYNs from 1,500 forged addresses, to port 80 of 10.93.0.10: 3,000 SYNs from 1,501 sources.
  const syn = by(/SYN flood/);
  assert.equal(syn.count, 3000);
  // The peer is the source whose SYNs crossed the threshold; the why counts every source.
  assert.equal(syn.peer, '10.93.0.66');
  assert.match(syn.why, /from at most 1,501 sources \(forged or distributed\)/);
  assert.equal(syn.evidence[0].packet, 1);
  // 1,500 echo requests (frame 6003 on), 1,500 datagrams to port 53 (9003 on, each answered by
  // ICMP port unreachable, which is no answer), 1,500 ACKs to port 443 (12003 on, each reset).
  for (const [re, packet] of [[/ping flood/, 6003], [/UDP flood/, 9003], [/ACK\/FIN\/RST flood/, 12003]] as const) {
    const a = by(re);
    assert.equal(a.count, 1500, String(re));
    assert.equal(a.peer, '10.93.0.66');
    assert.equal(a.evidence[0].packet, packet, String(re));
  }
  for (const a of floods) {
    assert.equal(a.device, 'ip:10.93.0.10');
    assert.equal(a.severity, 'high');
    assert.ok(a.evidence.every((e) => e.fact === 'flood-packet' && e.file === path));
  }
  // The ping flood is one flow: it is raised while it runs, at its 1,024th echo request (tshark:
  // frame 8049 of the requests at 6003, 6005 … 9001), not when it ends.
  let at = 0;
  let an: Analysis | null = null;
  const live = new Monitor({ fileName: () => path, onAlert: (x, phase) => { if (phase === 'new' && /ping flood/.test(x.why)) at = an!.decoder.m.packetNo; } });
  an = new Analysis({ outDir: null, ...live.hooks() });
  await an.run([path]);
  assert.equal(at, 8049);
  assert.equal(live.finish().find((x) => /ping flood/.test(x.why))?.count, 1500);
  // The same flood on an infusion pump is critical.
  const pump = await monitor([path], { categories: { '10.93.0.10': 'infusion_pump' } });
  assert.ok(pump.alerts.filter((a) => a.rule === 'dos-flood').every((a) => a.severity === 'critical'));
  // Below the rate it is not a flood.
  const slow = await monitor([path], { config: { floodPps: 5000 } });
  assert.equal(slow.alerts.filter((a) => a.rule === 'dos-flood').length, 0);
});

// ---- brute force ----

test('hydra against FTP: 12 failed logins then the right password, a critical brute-force alert', async () => {
  const path = gen('generated-hydra-ftp.pcap');
  const { alerts } = await monitor([path]);
  const a = only(alerts, 'brute-force');
  assert.equal(alerts.length, 1);
  assert.equal(a.count, 12, "pyftpdlib logged 12 \"failed login\"");
  assert.equal(a.severity, 'critical', 'pyftpdlib logged "logged in" afterwards');
  assert.equal(a.device, 'ip:127.0.0.1');
  assert.match(a.why, /failed 12 FTP logins on 127\.0\.0\.1.*then a login succeeded/);
  const failures = a.evidence.filter((e) => e.fact === 'login-failure');
  assert.equal(failures.length, 9);
  for (const e of failures) assert.ok((await payloadAt(path, e.packet)).startsWith('530 '), `packet ${e.packet} is a 530 reply`);
  const ok = a.evidence.find((e) => e.fact === 'login-success')!;
  assert.ok((await payloadAt(path, ok.packet)).startsWith('230 '), `packet ${ok.packet} is the 230 reply`);
});

test('hydra against HTTP Basic: 12 refusals (401) then a 200, a critical alert citing the requests', async () => {
  const path = gen('generated-hydra-http-basic.pcap');
  const a = only((await monitor([path])).alerts, 'brute-force');
  assert.equal(a.count, 12, 'the server logged twelve 401');
  assert.equal(a.severity, 'critical');
  for (const e of a.evidence.filter((x) => x.fact === 'login-failure')) {
    const p = await payloadAt(path, e.packet);
    assert.ok(p.startsWith('GET / HTTP/1.1') && /\r\nAuthorization: Basic /i.test(p), `packet ${e.packet} is a request with credentials`);
  }
});

test('Kerberos password guessing (MIT kinit against an MIT KDC): 12 pre-authentication failures then a ticket, a critical alert', async () => {
  const path = gen('generated-krb-preauth-guess.pcap');
  const a = only((await monitor([path])).alerts, 'brute-force');
  assert.equal(a.count, 12, 'the KDC logged 12 "preauth (encrypted_timestamp) verify failure"');
  assert.equal(a.severity, 'critical', 'the KDC logged one ISSUE afterwards');
  assert.match(a.why, /Kerberos logins/);
  for (const e of a.evidence.filter((x) => x.fact === 'login-failure')) assert.match(e.value, /PREAUTH_FAILED for "nurse\.station\/WARDLINE\.TEST"/);
});

test('hydra against SSH: failures seen through the encrypted exchange, no success claimed', async () => {
  const a = only((await monitor([gen('generated-hydra-ssh.pcap')])).alerts, 'brute-force');
  // sshd logged 16 failed passwords; the packet-size heuristic sees at least the threshold of them.
  assert.ok(a.count >= 5 && a.count <= 16, `count ${a.count}`);
  assert.equal(a.severity, 'high');
  assert.match(a.why, /SSH logins/);
});

test('Telnet: eight "Login incorrect" answers are eight failures', async () => {
  const a = only((await monitor([gen('generated-telnet-guess.pcap')])).alerts, 'brute-force');
  assert.equal(a.count, 8);
  assert.match(a.why, /failed 8 Telnet logins/);
});

test('SNMP community guessing is counted in distinct communities tried on one agent', async () => {
  const a = only((await monitor([gen('generated-hydra-snmp.pcap')])).alerts, 'brute-force');
  // The agent counted 10 bad communities (snmpInBadCommunityNames 30 = 10 × 3 tries); hydra also
  // sent the right one.
  assert.ok(a.count >= 5 && a.count <= 11, `count ${a.count}`);
  assert.match(a.why, /different SNMP communities/);
  assert.ok(a.evidence.every((e) => !e.value.includes('public') && !e.value.includes('ward-ro')), 'no community in the evidence');
});

test('DICOM AE title guessing (nmap dicom-brute) is distinct refused titles; a modality retrying one wrong title is not', async () => {
  const { alerts } = await monitor([gen('generated-dicom-brute.pcap')]);
  const a = only(alerts, 'brute-force');
  // tshark: 10 A-ASSOCIATE-RJ "Called AE title not recognized" to ECHOSCU for 9 distinct titles
  // (ANY-SCP twice), then the A-ASSOCIATE-AC for WARDPACS at frame 89, which nmap reported valid.
  assert.equal(a.device, 'ip:127.0.0.1');
  assert.equal(a.peer, '127.0.0.1');
  assert.equal(a.count, 9);
  assert.equal(a.severity, 'critical');
  assert.match(a.why, /tried 9 different AE titles on DICOM server 127\.0\.0\.1/);
  assert.match(a.why, /association was accepted \(packet 89\): the guessed AE title works/);
  assert.deepEqual(a.evidence.filter((e) => e.fact === 'login-failure').map((e) => e.packet).slice(0, 5), [9, 40, 43, 46, 49]);
  // The eight rejects of MODALITY1 -> WARDPAC on 127.0.0.2 are one title: no alert there.
  assert.ok(alerts.every((x) => x.peer !== '127.0.0.2'));
});

test('802.1X password guessing: six EAP-Failures to one supplicant, then EAP-Success, a critical brute-force alert on its MAC', async () => {
  const dot1x = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-8021x-guessing.pcap');
  const { alerts } = await monitor([dot1x]);
  const a = only(alerts, 'brute-force');
  // tshark (dot1x/guess.tshark.tsv): EAP-Failure (code 4) from the port 02:97:12:00:00:11 to
  // 02:97:12:00:00:31 at frames 6, 12, 18, 24, 30, 36, EAP-Success (code 3) at 42; its identity
  // response "infusion-gw01", its method EAP-MD5 (type 4). 02:97:12:00:00:32 fails twice (48, 54).
  assert.equal(a.device, 'mac:02:97:12:00:00:31');
  assert.equal(a.peer, '02:97:12:00:00:11');
  assert.equal(a.count, 6);
  assert.equal(a.severity, 'critical');
  assert.match(a.why, /^02:97:12:00:00:31 was refused 6 times by 802\.1X authenticator 02:97:12:00:00:11 as "infusion-gw01" with EAP-MD5/);
  assert.match(a.why, /the port authorized it \(packet 42\): the guessed password works/);
  assert.deepEqual(a.evidence.filter((e) => e.fact === 'login-failure').map((e) => e.packet), [6, 12, 18, 24, 30, 36]);
  assert.equal(a.evidence.find((e) => e.fact === 'login-success')?.packet, 42);
  // The earlier capture's single wrong password (generated-8021x.pcap) raises nothing either.
  const one = await monitor([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-8021x.pcap')]);
  assert.equal(one.alerts.filter((x) => x.rule === 'brute-force').length, 0);
});

test('802.1X password guessing from a new MAC for every try: counted per identity and authenticator, critical after the EAP-Success', async () => {
  const gen = join(REPO_ROOT, 'test', 'fixtures', 'generated');
  // tshark (dot1x/rotate.tshark.tsv): EAP-Failures (code 4) from the port to six MACs, one each;
  // the EAP-Success (code 3) to a seventh; then two more MACs refused once each. Identities from
  // the Identity responses (EAP type 1) each MAC sent.
  const rows = readTsharkFields(join(gen, 'dot1x', 'rotate.tshark.tsv'));
  const identity = new Map(rows.filter((r) => r[6] === '1' && r[7] !== '').map((r) => [r[1], r[7]]));
  const failures = rows.filter((r) => r[4] === '4');
  const guesser = failures.filter((r) => identity.get(r[2]) === 'infusion-gw01');
  const success = rows.find((r) => r[4] === '3')!;
  assert.equal(guesser.length, 6);
  assert.equal(new Set(guesser.map((r) => r[2])).size, 6);
  assert.equal(identity.get(success[2]), 'infusion-gw01');
  const { alerts } = await monitor([join(gen, 'generated-8021x-rotating.pcap')]);
  const a = only(alerts, 'brute-force');
  // Raised on the fifth MAC (the threshold), counting each MAC once.
  assert.equal(a.device, `mac:${guesser[4][2]}`);
  assert.equal(a.peer, guesser[0][1]);
  assert.equal(a.count, 6);
  assert.equal(a.severity, 'critical');
  assert.match(a.why, new RegExp(`^6 different supplicant MACs were refused by 802\\.1X authenticator ${guesser[0][1]} as "infusion-gw01" \\(EAP-Failure: one device guessing the password while changing its MAC`));
  assert.ok(a.why.endsWith(`then the port authorized ${success[2]} (packet ${success[0]}): the guessed password works`), a.why);
  assert.deepEqual(a.evidence.filter((e) => e.fact === 'login-failure').map((e) => e.packet), guesser.map((r) => Number(r[0])));
  // "lab-analyzer2" refused on two MACs: below the threshold, and no per-MAC alert anywhere.
  assert.equal(failures.filter((r) => identity.get(r[2]) === 'lab-analyzer2').length, 2);
});

test('LDAP binds refused with invalid credentials (Zeek ldap.log) make an NTLM brute-force alert', { skip }, async () => {
  const trace = corpus('zeek', 'traces', 'ldap', 'ldap_invalid_credentials.pcap');
  const zeek = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.ldap.invalid_credentials', 'ldap.log'));
  const refused = zeek.filter((r) => r.result === 'invalid credentials');
  const a = only((await monitor([trace])).alerts, 'brute-force');
  assert.equal(a.count, refused.length);
  assert.equal(a.device, `ip:${refused[0]['id.orig_h']}`);
  assert.equal(a.peer, refused[0]['id.resp_h']);
});

test('single failed logins in Zeek traces stay below the threshold but are recognised at threshold 1', { skip }, async () => {
  const ftp = corpus('zeek', 'traces', 'ftp', 'ftp-password-pass-command.pcap');
  const zeek = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.ftp.ftp-password-pass-command', 'ftp.log')).find((r) => r.command === 'PASS')!;
  assert.equal(zeek.reply_code, '530');
  assert.equal((await monitor([ftp])).alerts.length, 0);
  const a = only((await monitor([ftp], { config: { bruteThreshold: 1 } })).alerts, 'brute-force');
  assert.equal(a.device, `ip:${zeek['id.orig_h']}`);
  assert.equal(a.peer, zeek['id.resp_h']);
  assert.equal(a.evidence[0].value, `FTP 530 for user "${zeek.user}"`);
  assert.ok((await payloadAt(ftp, a.evidence[0].packet)).startsWith('530 '));
  // Zeek rfb.log: auth F for the VNC scanner's one attempt.
  const vnc = corpus('zeek', 'traces', 'rfb', 'vnc-scanner.pcap');
  const rfb = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.rfb.vnc-scanner', 'rfb.log'))[0];
  assert.equal(rfb.auth, 'F');
  const v = only((await monitor([vnc], { config: { bruteThreshold: 1 } })).alerts, 'brute-force');
  assert.equal(v.peer, rfb['id.resp_h']);
});

test('a Windows client retrying one NTLM logon on parallel connections is not password guessing', { skip }, async () => {
  // suricata-verify smb2-ntlmssp-negotiateflags: four failures within 50 ms for one account, one
  // for another, then a success: below the NTLM threshold.
  const { alerts } = await monitor([corpus('suricata-verify', 'tests', 'smb2-ntlmssp-negotiateflags', 'input.pcap')]);
  assert.equal(alerts.filter((a) => a.rule === 'brute-force').length, 0);
});

// ---- lateral movement ----

const AT_SCHEDULE = () => corpus('suricata-verify', 'tests', 'smb2-04', '20171220_smb_at_schedule.pcap');

function tsharkConv(rel: string): { a: string; b: string }[] {
  const g = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'golden', 'tshark-conv.json'), 'utf8')) as { captures: Record<string, { proto: string; a: string; b: string }[]> };
  return g.captures[rel].filter((c) => c.proto === 'tcp');
}

test('an infusion pump scheduling a remote task over SMB (atsvc) is lateral movement', { skip }, async () => {
  // The capture's one TCP conversation per tshark; the classification of the client as a pump
  // is the test's assumption (the inventory provides it in production).
  const [conv] = tsharkConv('suricata-verify/tests/smb2-04/20171220_smb_at_schedule.pcap');
  const client = conv.a.split(':')[0];
  const server = conv.b.split(':')[0];
  assert.equal(conv.b.split(':')[1], '445');
  const { alerts } = await monitor([AT_SCHEDULE()], { categories: { [client]: 'infusion_pump' } });
  const a = only(alerts, 'lateral-movement');
  assert.equal(a.device, `ip:${client}`);
  assert.equal(a.peer, server);
  assert.equal(a.severity, 'high');
  assert.match(a.why, /infusion_pump device .* opened SMB to internal host/);
  assert.equal(a.evidence[0].packet, 1);
});

test('the same SMB session from a workstation is not lateral movement', { skip }, async () => {
  const [conv] = tsharkConv('suricata-verify/tests/smb2-04/20171220_smb_at_schedule.pcap');
  const { alerts } = await monitor([AT_SCHEDULE()], { categories: { [conv.a.split(':')[0]]: 'workstation' } });
  assert.equal(alerts.filter((a) => a.rule === 'lateral-movement').length, 0);
});

test('a category learned after the connection ended still judges it (inventory lag)', { skip }, async () => {
  const [conv] = tsharkConv('suricata-verify/tests/smb2-04/20171220_smb_at_schedule.pcap');
  let known = false;
  let a: Analysis | null = null;
  const mon = new Monitor({ deviceCategory: (ip) => (known && ip === conv.a.split(':')[0] ? 'patient_monitor' : null), fileName: (i) => a!.paths[i] });
  a = new Analysis({ outDir: null, ...mon.hooks() });
  await a.run([AT_SCHEDULE()]);
  assert.equal(mon.stats().lateral_pending, 1);
  known = true;
  assert.equal(only(mon.finish(), 'lateral-movement').device, `ip:${conv.a.split(':')[0]}`);
});

test('categories known only at the end of the input (analyze) still judge every connection', { skip }, async () => {
  const [conv] = tsharkConv('suricata-verify/tests/smb2-04/20171220_smb_at_schedule.pcap');
  const client = conv.a.split(':')[0];
  let built: Map<string, Category> | null = null;
  let a: Analysis | null = null;
  const mon = new Monitor({ config: { pendingTtlSecs: Infinity }, deviceCategory: (ip) => built?.get(ip) ?? null, fileName: (i) => a!.paths[i] });
  a = new Analysis({ outDir: null, ...mon.hooks() });
  await a.run([AT_SCHEDULE()]);
  built = new Map([[client, 'imaging' as Category]]);
  const alerts = mon.finish({ deviceOf: (d) => (d === `ip:${client}` ? 'mac:08:00:27:7f:b5:8b' : d) });
  assert.equal(only(alerts, 'lateral-movement').device, 'mac:08:00:27:7f:b5:8b');
});

test('DCE-RPC from an IoT device to a domain controller (Zeek dce_rpc.log) is lateral movement', { skip }, async () => {
  const row = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.dce-rpc.dce_rpc_netlogon', 'dce_rpc.log'))[0];
  const { alerts } = await monitor([corpus('zeek', 'traces', 'dce-rpc', 'dce_rpc_netlogon.pcapng')], { categories: { [row['id.orig_h']]: 'camera' } });
  const a = only(alerts, 'lateral-movement');
  assert.equal(a.peer, row['id.resp_h']);
  assert.match(a.why, /camera device .* opened DCE-RPC/);
});

test('an imaging device running PsExec (svcctl CreateServiceWOW64W, StartServiceW over SMB2) is lateral movement naming the calls (suricata-verify dcerpc-smb-test-01)', { skip }, async () => {
  const src = '192.168.10.31';
  const { alerts } = await monitor([corpus('suricata-verify', 'tests', 'dcerpc-smb-test-01', 'input.pcap')], { categories: { [src]: 'imaging' } });
  const a = only(alerts, 'lateral-movement');
  assert.equal(a.peer, '192.168.10.10');
  assert.equal(a.severity, 'high');
  assert.match(a.why, /imaging device 192\.168\.10\.31 opened SMB to internal host 192\.168\.10\.10 and called remote-execution operations \(svcctl CreateServiceWOW64W, svcctl StartServiceW\)/);
  const calls = a.evidence.filter((e) => e.source === 'dce_rpc.operation');
  assert.deepEqual(calls.map((e) => e.value), ['svcctl CreateServiceWOW64W', 'svcctl StartServiceW']);
  assert.ok(calls.every((e) => e.packet > 0));
});

test('PsExec from a workstation raises nothing, and a netlogon call by a camera is not worded as remote execution (real captures)', { skip }, async () => {
  const { alerts } = await monitor([corpus('suricata-verify', 'tests', 'dcerpc-smb-test-01', 'input.pcap')], { categories: { '192.168.10.31': 'workstation' } });
  assert.equal(alerts.filter((x) => x.rule === 'lateral-movement').length, 0);
  const row = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.dce-rpc.dce_rpc_netlogon', 'dce_rpc.log'))[0];
  const { alerts: b } = await monitor([corpus('zeek', 'traces', 'dce-rpc', 'dce_rpc_netlogon.pcapng')], { categories: { [row['id.orig_h']]: 'camera' } });
  assert.doesNotMatch(only(b, 'lateral-movement').why, /remote-execution/, 'NetrLogonSamLogonWithFlags is not remote execution');
});

test('a medical device reaching 50 internal hosts it never spoke to is a fan-out', async () => {
  const { alerts } = await monitor([gen('generated-nmap-sweep-445.pcap')], { categories: { '127.0.0.1': 'infusion_pump' }, config: { learningDays: 0 } });
  const fan = alerts.filter((a) => a.rule === 'lateral-movement' && a.peer === null);
  assert.equal(fan.length, 1);
  assert.equal(fan[0].count, 50);
  const smb = alerts.filter((a) => a.rule === 'lateral-movement' && a.peer !== null);
  assert.equal(smb.length, 1, 'one alert for SMB to many hosts, not one per host');
  assert.equal(smb[0].severity, 'medium', 'nobody answered');
  assert.match(smb[0].why, /opened SMB to 50 internal hosts/);
});

// ---- no false positives on benign traffic ----

const BENIGN = [
  'zeek/traces/wikipedia.pcap',
  'zeek/traces/web.pcap',
  'zeek/traces/workshop_2011_browse.pcap',
  'zeek/traces/http/get.pcap',
  'zeek/traces/http/post.pcap',
  'zeek/traces/http/proxy.pcap',
  'zeek/traces/http/flash-version.pcap',
  'zeek/traces/http/putty-upload.pcap',
  'zeek/traces/ftp/retr.pcap',
  'zeek/traces/ftp/ipv4.pcap',
  'zeek/traces/ftp/ipv6.pcap',
  'zeek/traces/smb/smb2readwrite.pcap', // SMB: benign between IT devices only
  'arkime/tests/pcap/http-simple-get.pcap',
  'arkime/tests/pcap/http-post-upload.pcap',
  'arkime/tests/pcap/ftp.pcap',
  'suricata-verify/tests/ftp/ftp-download-active/input.pcap',
  'suricata-verify/tests/ftp/ftp-download-passive/input.pcap',
  'suricata-verify/tests/ftp/ftp-upload-active/input.pcap',
  'suricata-verify/tests/ftp/ftp-upload-passive/input.pcap',
  'ndpi/pcap/http.pcapng',
  'ndpi/pcap/google_ssl.pcap',
  'ndpi/pcap/windowsupdate_over_http.pcap',
];

test('benign browsing and file transfers raise no scan, brute-force or lateral-movement', { skip }, async () => {
  for (const rel of BENIGN) {
    // Unclassified, all workstations, and (where no admin protocol is spoken) all medical devices.
    const labels: (() => Category | null)[] = [() => null, () => 'workstation'];
    if (!rel.includes('/smb/')) labels.push(() => 'patient_monitor');
    for (const category of labels) {
      const { alerts } = await monitor([corpus(...rel.split('/'))], { category });
      const bad = alerts.filter((a) => a.rule === 'scan' || a.rule === 'brute-force' || a.rule === 'lateral-movement');
      assert.deepEqual(bad.map((a) => a.why), [], rel);
    }
  }
});

test('replaying a capture twice gives identical alerts, ids included', async () => {
  const one = (await monitor([gen('generated-hydra-ftp.pcap')])).alerts;
  const two = (await monitor([gen('generated-hydra-ftp.pcap')])).alerts;
  assert.deepEqual(two, one);
  assert.match(one[0].id, /^brute-force-[0-9a-f]{16}$/);
});

// ---- link layer (synthetic: the corpus has no spoofing and no second DHCP server) ----

function mac(s: string): number[] {
  return s.split(':').map((x) => parseInt(x, 16));
}
function ip4(s: string): number[] {
  return s.split('.').map(Number);
}

function arpReply(ts: number, sha: string, spa: string, tpa: string): { ts: number; frame: Uint8Array } {
  const f = [...mac('ff:ff:ff:ff:ff:ff'), ...mac(sha), 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 2, ...mac(sha), ...ip4(spa), ...mac('00:00:00:00:00:00'), ...ip4(tpa)];
  return { ts, frame: Uint8Array.from(f) };
}

test('a second MAC answering for the gateway address is ARP spoofing; a later move is not (synthetic)', async () => {
  const gw = '02:00:00:00:00:01';
  const attacker = '02:00:00:00:00:66';
  const spoof = writePcap([arpReply(1000, gw, '10.0.0.1', '10.0.0.5'), arpReply(1005, attacker, '10.0.0.1', '10.0.0.5'), arpReply(1010, gw, '10.0.0.1', '10.0.0.5')]);
  const a = only((await monitor([spoof])).alerts, 'arp-spoofing');
  assert.equal(a.device, `mac:${attacker}`);
  assert.equal(a.peer, '10.0.0.1');
  assert.equal(a.count, 2, 'the flip and the flip back are one incident');
  assert.deepEqual(a.evidence.map((e) => e.packet), [1, 2, 3]);
  const moved = writePcap([arpReply(1000, gw, '10.0.0.1', '10.0.0.5'), arpReply(1000 + 3600, attacker, '10.0.0.1', '10.0.0.5')]);
  assert.equal((await monitor([moved])).alerts.length, 0);
});

function dhcpOffer(ts: number, server: string, yiaddr: string, xid: number): UdpPacket {
  const b = Buffer.alloc(240 + 16);
  b[0] = 2; // BOOTREPLY
  b[1] = 1;
  b[2] = 6;
  b.writeUInt32BE(xid, 4);
  Buffer.from(ip4(yiaddr)).copy(b, 16);
  Buffer.from(mac('02:00:00:00:00:aa')).copy(b, 28);
  b.writeUInt32BE(0x63825363, 236);
  Buffer.from([53, 1, 2, 54, 4, ...ip4(server), 51, 4, 0, 0, 0x0e, 0x10, 255]).copy(b, 240);
  return { ts, src: server, sport: 67, dst: '255.255.255.255', dport: 68, payload: b };
}

test('a second DHCP server offering leases on the same segment is a rogue server (synthetic)', async () => {
  const pcap = writeUdpPcap([dhcpOffer(100, '10.0.0.1', '10.0.0.50', 1), dhcpOffer(200, '10.0.0.1', '10.0.0.51', 2), dhcpOffer(300, '10.0.0.99', '10.0.0.52', 3)]);
  const a = only((await monitor([pcap])).alerts, 'rogue-dhcp');
  assert.equal(a.device, 'ip:10.0.0.99');
  assert.equal(a.peer, '10.0.0.1');
  assert.deepEqual(a.evidence.map((e) => e.packet), [1, 3]);
  // With the legitimate server configured, the unknown one is reported even alone.
  const alone = writeUdpPcap([dhcpOffer(300, '10.0.0.99', '10.0.0.52', 3)]);
  assert.equal(only((await monitor([alone], { config: { dhcpServers: ['10.0.0.1'] } })).alerts, 'rogue-dhcp').device, 'ip:10.0.0.99');
  assert.equal((await monitor([pcap], { config: { dhcpServers: ['10.0.0.1', '10.0.0.99'] } })).alerts.length, 0);
});

test("DHCPv6 DNS takeover: a server offering its own link-local address as resolver is rogue, the site's server naming the site's resolver is not (generated: dnsmasq and dhclient -6)", async () => {
  // dhcpv6/generate.sh: the legitimate server's ADVERTISE/REPLY name fd00:97:1::53; then the rogue
  // server's name its own link-local address, as mitm6 does. Expectations: tshark's DHCPv6
  // message types and DNS servers (dhcpv6/tshark.tsv).
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated');
  const rows = readFileSync(join(dir, 'dhcpv6', 'tshark.tsv'), 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  const takeover = rows.filter((r) => (r[2] === '2' || r[2] === '7') && r[3] !== '' && r[3].split(',').includes(r[1]));
  assert.equal(takeover.length, 2, 'an ADVERTISE and a REPLY name their sender as DNS server');
  const a = only((await monitor([join(dir, 'generated-dhcpv6-rogue.pcap')])).alerts, 'rogue-dhcp');
  assert.equal(a.device, `ip:${takeover[0][1]}`);
  assert.match(a.evidence[0].value, new RegExp(`from ${takeover[0][1]} \\(${takeover[0][4]}\\) offering DNS ${takeover[0][1]}`));
  assert.equal(a.count, 2);
  assert.deepEqual(a.evidence.map((e) => e.packet), takeover.map((r) => Number(r[0])).slice(0, a.evidence.length));
  assert.match(a.why, /offering its own address \(fe80::[0-9a-f:]+\) as DNS server: a DHCPv6 DNS takeover \(mitm6\)/);
  // The legitimate server's answers alone raise nothing, even when servers are configured by address.
  const legitFrames = rows.filter((r) => r[3] === 'fd00:97:1::53').map((r) => Number(r[0]));
  assert.ok(legitFrames.length === 2 && legitFrames.every((f) => !a.evidence.some((e) => e.packet === f)));
});

// ---- baselines (synthetic: a multi-day capture of one device does not exist in the corpus) ----

const DAY = 86400;
const T0 = 1_700_000_000 - (1_700_000_000 % DAY) + 10 * 3600; // 10:00 UTC

function udp(ts: number, src: string, dst: string, dport: number, size = 100, sport = 40000): UdpPacket {
  return { ts, src, sport, dst, dport, payload: new Uint8Array(size) };
}

/** Two days of a pump talking to its server at 10:00, then day 3 with departures. */
function baselineCapture(): { learn: UdpPacket[]; after: UdpPacket[] } {
  const learn: UdpPacket[] = [];
  for (let d = 0; d < 2; d++) for (let i = 0; i < 5; i++) learn.push(udp(T0 + d * DAY + i * 60, '10.0.0.5', '10.0.0.9', 9000, 1000, 40000 + i));
  const t = T0 + 3 * DAY;
  const after = [
    udp(t, '10.0.0.5', '10.0.0.9', 9000, 1000), // known: silent
    udp(t + 10, '10.0.0.5', '10.0.0.77', 9000), // new internal peer
    udp(t + 20, '10.0.0.5', '93.184.216.34', 443), // new external destination
    udp(t + 30, '10.0.0.9', '10.0.0.5', 161, 60, 50000), // the pump answers SNMP: a new service …
    udp(t + 30.01, '10.0.0.5', '10.0.0.9', 50000, 60, 161),
    udp(t - 7 * 3600, '10.0.0.5', '10.0.0.9', 9000, 1000, 41000), // active at 03:00: an unusual hour
    udp(t + 40, '10.0.0.200', '10.0.0.9', 9000), // a new device on the pump's segment (its second datagram starts its baseline)
    udp(t + 41, '10.0.0.200', '10.0.0.9', 9000, 100, 40001),
  ];
  after.sort((x, y) => x.ts - y.ts);
  return { learn, after };
}

test('after learning, a medical device departing from its baseline raises each kind once (synthetic)', async () => {
  const { learn, after } = baselineCapture();
  const big = Array.from({ length: 40 }, (_, i) => udp(T0 + 3 * DAY + 100 + i, '10.0.0.5', '10.0.0.9', 9000, 60000, 42000 + i));
  const pcap = writeUdpPcap([...learn, ...after, ...big]);
  const { alerts } = await monitor([pcap], { config: { learningDays: 1, spikeFloorBytes: 1_000_000 }, categories: { '10.0.0.5': 'infusion_pump' } });
  const by = (rule: string): Alert => only(alerts, rule);
  assert.equal(by('new-peer').peer, '10.0.0.77');
  assert.equal(by('new-external-destination').peer, '93.184.216.34');
  assert.match(by('new-service').why, /answered on udp\/161/);
  assert.match(by('unusual-hours').why, /03:00-03:59/);
  assert.deepEqual(
    alerts.filter((a) => a.rule === 'new-device').map((a) => a.device),
    ['ip:10.0.0.200'],
    'the address that sent after learning on the pump segment; 10.0.0.77 only received one datagram (nothing says it exists)',
  );
  assert.match(by('traffic-spike').why, /over 10× its busiest learned hour \(5000 bytes\)/);
  assert.equal(alerts.filter((a) => a.device === 'ip:10.0.0.9' && a.rule !== 'new-device').length, 0, 'the unclassified server has no baseline alerts');
});

test('baselines saved from one run carry the learning into the next', async () => {
  const { learn, after } = baselineCapture();
  const first = await monitor([writeUdpPcap(learn)], { config: { learningDays: 1 }, categories: { '10.0.0.5': 'infusion_pump' }, persist: true });
  assert.equal(first.alerts.length, 0);
  const rows = first.mon.baselineRows();
  assert.ok(rows.some((r) => r.device === '10.0.0.5' && r.kind === 'peer' && r.key === '10.0.0.9'));
  assert.deepEqual(first.mon.baselineRows(), [], 'rows are exported once');
  const cfg = { config: { learningDays: 1 }, categories: { '10.0.0.5': 'infusion_pump' as Category } };
  const withHistory = await monitor([writeUdpPcap(after)], { ...cfg, baselines: rows });
  assert.ok(withHistory.alerts.some((a) => a.rule === 'new-peer' && a.peer === '10.0.0.77'));
  const fresh = await monitor([writeUdpPcap(after)], cfg);
  assert.equal(fresh.alerts.length, 0, 'without history everything is still being learned');
});

test('the media of a call is no new service or new peer of the phone that receives it (synthetic)', async () => {
  // Two days of a phone registering with its PBX, then a call: the PBX's INVITE announces media
  // at 10.0.0.5:16000 (SDP, RFC 3264), and RTP flows between a media gateway's 10.0.0.11:30000
  // and that port.
  const learn: UdpPacket[] = [];
  for (let d = 0; d < 2; d++) learn.push(udp(T0 + d * DAY, '10.0.0.5', '10.0.0.9', 5060, 300, 5060), udp(T0 + d * DAY + 0.01, '10.0.0.9', '10.0.0.5', 5060, 300, 5060));
  const t = T0 + 3 * DAY;
  const sdp = 'v=0\r\nc=IN IP4 10.0.0.5\r\nm=audio 16000 RTP/AVP 0\r\n';
  const invite = `INVITE sip:phone@10.0.0.5 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK1\r\nFrom: <sip:pbx@10.0.0.9>;tag=1\r\nTo: <sip:phone@10.0.0.5>\r\nCall-ID: 1@10.0.0.9\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
  const call: UdpPacket[] = [{ ts: t, src: '10.0.0.9', sport: 5060, dst: '10.0.0.5', dport: 5060, payload: new TextEncoder().encode(invite) }];
  for (let i = 0; i < 5; i++) {
    const rtp = (seq: number): Uint8Array => Uint8Array.from([0x80, 0, 0, seq, 0, 0, 0, 0, 0, 0, 0x12, 0x34, ...new Array(160).fill(0xff)]);
    call.push({ ts: t + 1 + i * 0.02, src: '10.0.0.11', sport: 30000, dst: '10.0.0.5', dport: 16000, payload: rtp(i) });
    call.push({ ts: t + 1.01 + i * 0.02, src: '10.0.0.5', sport: 16000, dst: '10.0.0.11', dport: 30000, payload: rtp(i) });
  }
  const { alerts } = await monitor([writeUdpPcap([...learn, ...call])], { config: { learningDays: 1 }, categories: { '10.0.0.5': 'phone' } });
  assert.ok(!alerts.some((a) => a.rule === 'new-service' || a.rule === 'new-peer'), alerts.map((a) => a.why).join('; '));
});

// ---- name-resolution poisoning (synthetic: no capture here holds Responder's answers) ----------

/** A DNS-format name (LLMNR, RFC 4795 §2.1.1). */
function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) out.push(label.length, ...Buffer.from(label, 'latin1'));
  return [...out, 0];
}

/** An LLMNR response for `name` answering `addr` (RFC 4795 §2.1.1: QR set, one question, one A record). */
function llmnrAnswer(id: number, name: string, addr: string): Uint8Array {
  const q = dnsName(name);
  return Uint8Array.from([id >> 8, id & 255, 0x80, 0x00, 0, 1, 0, 1, 0, 0, 0, 0, ...q, 0, 1, 0, 1, ...q, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, ...addr.split('.').map(Number)]);
}

/** A positive NetBIOS name query response (RFC 1002 §4.2.13) binding `name` to `addr`. */
function nbnsAnswer(id: number, name: string, addr: string): Uint8Array {
  const raw = Buffer.from(name.toUpperCase().padEnd(15, ' ').slice(0, 15) + '\x00', 'latin1');
  const enc: number[] = [32];
  for (const b of raw) enc.push(0x41 + (b >> 4), 0x41 + (b & 15));
  enc.push(0);
  return Uint8Array.from([id >> 8, id & 255, 0x85, 0x00, 0, 0, 0, 1, 0, 0, 0, 0, ...enc, 0, 0x20, 0, 1, 0, 0, 0, 30, 0, 6, 0, 0, ...addr.split('.').map(Number)]);
}

test('one host answering LLMNR or NBNS queries for three different names with its own address is name poisoning (synthetic)', async () => {
  const t = T0;
  const pkts: UdpPacket[] = [];
  // Responder on 10.0.0.66 answers LLMNR for three mistyped names that 10.0.0.5 asked for …
  ['fileserv', 'wpad', 'printr'].forEach((n, i) => pkts.push({ ts: t + i, src: '10.0.0.66', sport: 5355, dst: '10.0.0.5', dport: 50000 + i, payload: llmnrAnswer(i + 1, n, '10.0.0.66') }));
  // … and NBNS for three more on 10.0.1.77; a host answering for its own name twice is not poisoning.
  ['PACS01', 'SCANNER', 'NAS'].forEach((n, i) => pkts.push({ ts: t + 10 + i, src: '10.0.1.77', sport: 137, dst: '10.0.1.5', dport: 137, payload: nbnsAnswer(0x100 + i, n, '10.0.1.77') }));
  for (let i = 0; i < 2; i++) pkts.push({ ts: t + 20 + i, src: '10.0.2.9', sport: 5355, dst: '10.0.2.5', dport: 51000 + i, payload: llmnrAnswer(0x200 + i, 'ws-09', '10.0.2.9') });
  // A WINS server answers for many names, with their owners' addresses.
  ['A1', 'A2', 'A3', 'A4'].forEach((n, i) => pkts.push({ ts: t + 30 + i, src: '10.0.3.1', sport: 137, dst: '10.0.3.5', dport: 137, payload: nbnsAnswer(0x300 + i, n, `10.0.3.${20 + i}`) }));
  const { alerts } = await monitor([writeUdpPcap(pkts)]);
  const got = alerts.filter((a) => a.rule === 'name-poisoning');
  assert.deepEqual(got.map((a) => a.device).sort(), ['ip:10.0.0.66', 'ip:10.0.1.77']);
  const llmnr = got.find((a) => a.device === 'ip:10.0.0.66')!;
  assert.equal(llmnr.severity, 'high');
  assert.match(llmnr.why, /answered LLMNR name queries for 3 different names .*"fileserv", "wpad", "printr"/);
  assert.deepEqual(llmnr.evidence.map((e) => e.packet), [1, 2, 3]);
  assert.match(got.find((a) => a.device === 'ip:10.0.1.77')!.why, /NBNS .*"pacs01", "scanner", "nas"/);
});

test('hosts answering LLMNR and NBNS for their own names in real captures are not poisoning', { skip: !haveCorpus() }, async () => {
  // suricata-verify's llmnr-udp and smb2-ntlmssp-negotiateflags (192.168.199.1 answers "scv"),
  // Zeek's wikipedia.pcap, Arkime's and nDPI's NetBIOS captures: each answer names one host's
  // own name (tshark: llmnr / nbns responses).
  const caps = ['suricata-verify/tests/llmnr/llmnr-udp/input.pcap', 'suricata-verify/tests/smb2-ntlmssp-negotiateflags/input.pcap', 'zeek/traces/wikipedia.pcap', 'arkime/tests/pcap/nbns.pcap', 'ndpi/pcap/netbios.pcap'];
  for (const c of caps) {
    const { alerts } = await monitor([corpus(c)]);
    assert.deepEqual(alerts.filter((a) => a.rule === 'name-poisoning'), [], c);
  }
});
