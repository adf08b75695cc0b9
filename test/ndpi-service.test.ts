// For every flow nDPI labels with a protocol wardline analyzes, conn.log's `service` names the
// same protocol — on standard ports and off them (found by probing). Expectations are nDPI's own
// results in ../shared/corpus/ndpi/result/*.out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { CORPUS, corpus, haveCorpus, runCaptures } from '../src/testutil/corpus.js';
import { ndpiFlows } from '../src/testutil/peers.js';

/** nDPI master protocol → the conn.log service names that count as the same protocol. */
const SERVICES: Record<string, string[]> = {
  HTTP: ['http'],
  TLS: ['ssl'],
  DoH_DoT: ['ssl'],
  DTLS: ['dtls', 'ssl'],
  DNS: ['dns'],
  MDNS: ['dns'],
  LLMNR: ['dns'],
  DHCP: ['dhcp'],
  DHCPV6: ['dhcp', 'dhcpv6'],
  NTP: ['ntp'],
  Syslog: ['syslog', 'syslog_tcp'],
  SSH: ['ssh'],
  FTP_CONTROL: ['ftp'],
  FTP_DATA: ['ftp-data'],
  TFTP: ['tftp', 'tftp-data'],
  SMTP: ['smtp'],
  SMTPS: ['smtp', 'ssl'],
  POP3: ['pop3'],
  POPS: ['pop3', 'ssl'],
  IMAP: ['imap'],
  IMAPS: ['imap', 'ssl'],
  Kerberos: ['krb', 'krb_tcp'],
  SMBv1: ['smb'],
  SMBv23: ['smb'],
  RDP: ['rdp', 'rdpeudp'],
  LDAP: ['ldap_tcp', 'ldap_udp', 'ldap'],
  MySQL: ['mysql'],
  PostgreSQL: ['postgresql'],
  'MsSQL-TDS': ['mssql'],
  MQTT: ['mqtt'],
  COAP: ['coap'],
  'OPC-UA': ['opcua'],
  SNMP: ['snmp'],
  Radius: ['radius'],
  SOCKS: ['socks'],
  VNC: ['rfb'],
  Modbus: ['modbus'],
  IEC60870: ['iec104'],
  DNP3: ['dnp3_tcp', 'dnp3_udp'],
  BACnet: ['bacnet'],
  EthernetIP: ['enip'],
  S7Comm: ['s7comm'],
  S7CommPlus: ['s7comm-plus', 's7comm_plus', 's7comm'],
  SSDP: ['ssdp'],
  WSD: ['wsd'],
  SIP: ['sip'],
  Telnet: ['telnet'],
  DICOM: ['dicom'],
  HL7: ['hl7'],
  RTSP: ['rtsp'],
  RTP: ['rtp', 'srtp'],
  RTCP: ['rtcp', 'srtcp'],
  NFS: ['nfs', 'mount', 'portmapper'],
  'NetBIOS-UDP': ['netbios-dgm', 'dns'],
  OpenVPN: ['openvpn'],
  WireGuard: ['wireguard'],
  QUIC: ['quic'],
  STUN: ['stun'],
  TeamViewer: ['teamviewer'],
  DCERPC: ['dce_rpc'],
  // DNSCrypt's encrypted exchanges, and the certificate lookups that start them (plain DNS: dns).
  DNScrypt: ['dnscrypt', 'dns'],
  CIP: ['cip'],
  FTPS: ['ftp', 'ssl'],
  HTTP_Proxy: ['http'],
  HTTP_Connect: ['http'],
  IPP: ['ipp', 'http'],
  IRC: ['irc'],
  Oracle: ['oracle'],
  PPTP: ['pptp'],
  IPsec: ['ike'],
  AMQP: ['amqp'],
  Megaco: ['megaco'],
  CAPWAP: ['capwap'],
  XDMCP: ['xdmcp'],
  UBNTAC2: ['ubdp'],
  CiscoSkinny: ['sccp'],
  Zabbix: ['zabbix'],
  CHECKMK: ['checkmk'],
  AJP: ['ajp'],
  MGCP: ['mgcp'],
  H323: ['h323'],
  // nDPI's name since its SLP dissector (4.8); the corpus's results hold no SLP flow.
  Service_Location_Protocol: ['slp'],
  Redis: ['redis'],
  Jabber: ['xmpp'],
  DRDA: ['drda'],
  // Tracker announces over HTTP are BitTorrent to nDPI (by URI), HTTP to wardline (the assessment reads them).
  BitTorrent: ['bittorrent', 'http'],
  RSYNC: ['rsync'],
};

/** Captures where wardline legitimately differs, named with the reason. */
const KNOWN: Record<string, string> = {
  'fuzz-2006-06-26-2594.pcap': "nDPI's fuzzed capture: the FTP and NetBIOS payloads are mutated so that wardline's parsers reject them",
  'kerberos_fuzz.pcapng': "nDPI's fuzzed capture: its one packet has a TCP header length of 8 (tshark: 'Bogus TCP header length, must be at least 20'); wardline counts it as the weird tcp.bad_header_len instead of reading a payload from it",
  'ossfuzz_seed_fake_traces_2.pcapng': "nDPI's fake trace carries TeamViewer's two-byte TCP magic (0x17 0x24) on port 8787; wardline trusts two bytes only on TeamViewer's port 5938 (its WireGuard flows there agree)",
  'profinet-io-le.pcap': 'PROFINET IO context management (a Read Implicit of I&M0 filter data) rides connectionless DCE/RPC over UDP 34964; wardline reads connection-oriented DCE/RPC only (TCP), as Zeek does',
  'quic-fuzz-overflow.pcapng': "nDPI's fuzzed capture: its one packet is the first fragment of a UDP datagram whose other fragments never come; nDPI reads the fragment, wardline (as Zeek) waits for the whole datagram and makes no connection of it",
  'smtps.pcapng': "the server answered the client's TLS ClientHello on port 465 with a clear-text SMTP greeting (tshark: '220-gator4223.hostgator.com ESMTP Exim'): it never spoke TLS, so wardline withdraws ssl as Zeek's dynamic protocol detection withdraws an analyzer whose responder violates it; nDPI names the flow from the ClientHello alone",
  'radius_false_positive.pcapng': "a Google QUIC (pre-IETF) flow seen from the server's side only: its packets carry no version (only a client's do), so nothing but the clear-text REJ tag says gQUIC; wardline's QUIC analyzer starts from a client's version or an IETF long header",
};

/** nDPI recognised the flow from its own bytes (not by port, address or a cache of other flows). */
function byInspection(line: string): boolean {
  return /\[Confidence: DPI\]/.test(line);
}

/** Full lower-case form of an IPv6 address (nDPI and wardline compress zero groups differently). */
function canon(a: string): string {
  if (!a.includes(':')) return a;
  const [head, tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':');
}

function master(app: string, proto: string): string {
  // "TLS.ntop" → TLS; "NetBIOS.SMBv1" → SMBv1 (the sub-protocol is the real one for NetBIOS)
  const [m, sub] = app.split('.');
  // SMB mailslots in NetBIOS datagrams (UDP 138) are the datagram service to wardline.
  if (m === 'NetBIOS' && proto === 'UDP') return 'NetBIOS-UDP';
  return m === 'NetBIOS' && sub !== undefined ? sub : m;
}

const skip = !haveCorpus() && 'shared corpus not present';
const outs = skip ? [] : readdirSync(corpus('ndpi', 'result')).filter((f) => f.endsWith('.out')).sort();

test('nDPI results are available', { skip }, () => assert.ok(outs.length > 100));

for (const out of outs) {
  const pcap = out.slice(0, -4);
  const path = corpus('ndpi', 'pcap', pcap);
  if (!existsSync(path)) continue;
  const flows = ndpiFlows(corpus('ndpi', 'result', out)).filter((f) => SERVICES[master(f.app, f.proto)] !== undefined && byInspection(f.line));
  if (flows.length === 0) continue;
  test(`conn.log service agrees with nDPI on ${pcap}`, { skip }, async () => {
    const run = await runCaptures([path]);
    try {
      const conns = run.log('conn');
      const bad: string[] = [];
      for (const f of flows) {
        const proto = f.proto.toLowerCase();
        const mine = conns.filter(
          (c) =>
            c.proto === proto &&
            ((canon(String(c['id.orig_h'])) === canon(f.a) && c['id.orig_p'] === f.aPort && canon(String(c['id.resp_h'])) === canon(f.b) && c['id.resp_p'] === f.bPort) ||
              (canon(String(c['id.orig_h'])) === canon(f.b) && c['id.orig_p'] === f.bPort && canon(String(c['id.resp_h'])) === canon(f.a) && c['id.resp_p'] === f.aPort)),
        );
        const want = SERVICES[master(f.app, f.proto)];
        const ok = mine.some((c) => String(c.service ?? '').split(',').some((s) => want.includes(s)));
        if (!ok) bad.push(`${f.proto} ${f.a}:${f.aPort} <-> ${f.b}:${f.bPort} nDPI ${f.app}, wardline ${mine.map((c) => c.service ?? '-').join('|') || 'no conn'}`);
      }
      if (KNOWN[pcap] !== undefined) {
        assert.ok(bad.length > 0, `listed as a known difference but now agrees: ${KNOWN[pcap]}`);
        return;
      }
      assert.deepEqual(bad, []);
    } finally {
      run.cleanup();
    }
  });
}
void CORPUS;
