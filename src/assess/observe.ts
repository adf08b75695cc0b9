// Analyzer events and ended connections → observations per host address: the facts the finding
// rules judge (clear-text credentials and whether they equal a vendor default, patient data in
// clear, SMB1, SMB 3.1.1 compression, weak TLS, Heartbleed, clear-text services, RDP, traffic in
// clear vs encrypted, who talks to whom, VLANs and DHCP subnet masks). Subscribes to the engine's
// onEvent / onConn hooks; holds bounded maps, never a password, community or patient value (a
// credential is compared with known defaults through the analyzers' keyed digest and then only
// the verdict is kept).
import { evictOldest } from '../util/evict.js';
import type { FileEvent } from '../analyzers/files/events.js';
import { isUpdateFile } from '../analyzers/files/kinds.js';
import { percentDecode } from '../analyzers/textproto.js';
import { mgcpGatewayIsOrig } from '../analyzers/mgcp/events.js';
import { ownUrls } from '../analyzers/slp/parse.js';
import { weakEtypeName } from '../analyzers/krb/names.js';
import { isFhirMediaType } from '../analyzers/http/fhir.js';
import { httpAnnounce } from '../analyzers/bittorrent/tracker.js';
import type { AppEvent } from '../analyzers/types.js';
import { secretDigest } from '../analyzers/secret.js';
import { cipherTraits } from '../analyzers/tls/names.js';
import type { Conn } from '../flow/conn.js';
import { PROTO_TCP, PROTO_UDP } from '../flow/conn.js';
import { connUid } from '../flow/uid.js';
import { connTunneled } from '../analyzers/host.js';
import { TUNNEL_PRODUCTS, remoteAccessSign } from '../knowledge/remote-access.js';
import { encryptedDnsSign } from '../knowledge/encrypted-dns.js';
import { PPTP_WEAKNESS, ikeWeakness, type WeakSettings } from './vpn-weak.js';
import { formatAddr, formatMac, type PacketMeta } from '../decode/packet.js';
import { V4PairTable, V4Table } from '../util/v4table.js';
import { ipIsPrivate, parseV4 } from '../inventory/addr.js';
import { LocalNets } from '../inventory/local.js';
import { INBOUND_UDP } from './exposure.js';
import type { Evidence } from '../report/model.js';
import type { DefaultCredential } from '../knowledge/defaultcreds.js';
import type { KnowledgeBase } from '../knowledge/kb.js';
import type { KexInit } from '../analyzers/ssh/parse.js';
import { sshAlgorithmWeakness, sshProtocolWeakness, type SshAlgorithmKind, type SshAlgorithmWeakness } from './ssh-weak.js';

/** Hosts observed at most; later hosts are counted in `dropped`. */
export const MAX_HOSTS = 100_000;
/** 802.11 networks kept per access point or station. */
const MAX_WIFI_NETS = 16;
/** Weak algorithms named per SSH server KEXINIT (a list past it is cut). */
const MAX_SSH_OFFERED = 16;
/**
 * Called AE titles that name no application: the placeholder DICOM tools address a peer with when
 * told nothing else (dcmtk's echoscu, findscu, storescu, movescu and getscu, nmap's DICOM scripts:
 * ANY-SCP). An SCP that accepts one does not check the title it is called by.
 */
const DICOM_PLACEHOLDER_CALLED: ReadonlySet<string> = new Set(['ANY-SCP', 'ANYSCP', 'ANY', '*']);
/**
 * Calling AE titles that are tools' defaults, not configured applications: dcmtk's ECHOSCU,
 * FINDSCU, STORESCU, MOVESCU and GETSCU (also dcm4che's and nmap's), pynetdicom's PYNETDICOM,
 * GDCM's GDCMSCU, and ANY-SCU. An SCP that accepts one lets in callers it was never told about.
 */
const DICOM_TOOL_CALLING: ReadonlySet<string> = new Set(['ECHOSCU', 'FINDSCU', 'STORESCU', 'MOVESCU', 'GETSCU', 'PYNETDICOM', 'GDCMSCU', 'ANY-SCU']);
/** Media a signalling protocol announced (rtp.log `source`), as a finding names its call or stream. */
const SIGNALLED_MEDIA: Readonly<Record<string, string>> = { sip: 'a SIP call', rtsp: 'an RTSP stream', sccp: 'a Cisco SCCP call' };

/** Distinct items per host and kind (credentials, services, TLS weaknesses …). */
export const MAX_ITEMS_PER_HOST = 64;
/** Host pairs whose traffic is kept (for segment cross-traffic). */
export const MAX_PAIRS = 200_000;
/** Connections with a STARTTLS / SMB3 encryption mark pending their end. */
const MAX_MARKED_CONNS = 100_000;
/** Default-credential products named per credential. */
const MAX_DEFAULT_PRODUCTS = 8;
/** Vendor keys kept per credential (to tell a match with the device's own vendor). */
const MAX_DEFAULT_VENDORS = 512;

/** conn.log services whose payload is encrypted (a service list containing one counts). */
export const ENCRYPTED_SERVICES: ReadonlySet<string> = new Set(['ssl', 'dtls', 'srtp', 'srtcp', 'ssh', 'rdp', 'rdpeudp', 'krb_tls', 'ipsec', 'ike', 'openvpn', 'wireguard', 'quic', 'dnscrypt']);

/** How a default community is named in outputs (never the community itself). */
export const WELL_KNOWN_COMMUNITY = 'a well-known default SNMP community';

/** SNMP communities that are defaults on nearly every agent. */
export const DEFAULT_COMMUNITIES = ['public', 'private'] as const;

export interface Traffic {
  clear_bytes: number;
  encrypted_bytes: number;
  unknown_bytes: number;
  clear_flows: number;
  encrypted_flows: number;
  unknown_flows: number;
}

export function emptyTraffic(): Traffic {
  return { clear_bytes: 0, encrypted_bytes: 0, unknown_bytes: 0, clear_flows: 0, encrypted_flows: 0, unknown_flows: 0 };
}

export interface DefaultMatch {
  /** "community public", or products whose documented default this pair is. */
  products: string[];
  vendorKeys: string[];
  /** Total products listing the pair. */
  count: number;
}

export interface CredentialObs {
  protocol: string;
  mechanism?: string;
  server: string;
  server_port: number;
  client: string;
  user: string;
  /** The server accepted it (true), refused it (false), or the outcome was not seen (null). */
  success: boolean | null;
  /** Nobody answered (an SNMP request no agent took): the finding is on the sender. */
  unanswered?: true;
  default: DefaultMatch | null;
  count: number;
  evidence: Evidence;
}

/** What a PHI observation's items are, per protocol (the evidence names them, never their values). */
const PHI_ITEMS: Record<PhiObs['protocol'], string> = {
  hl7: 'segments',
  dicom: 'tags',
  dicomweb: 'DICOMweb',
  fhir: 'FHIR resources',
  astm: 'patient record fields',
  poct1a: 'patient fields',
  intellivue: 'patient demographics',
};

export interface PhiObs {
  protocol: 'hl7' | 'dicom' | 'dicomweb' | 'fhir' | 'astm' | 'poct1a' | 'intellivue';
  /** Segment names (PID, NK1, PV1) or DICOM tags ("(0010,0010)"): names, never values. */
  items: string[];
  peer: string;
  count: number;
  evidence: Evidence;
}

/**
 * An SSH server's weakness (ssh-weak.ts says why each): `used` — negotiated in a session (or a
 * protocol 1 session); `protocol` — its banner offers protocol 1; `offered` — its KEXINIT lists
 * weak algorithms (all of one port's in one entry).
 */
export interface SshWeakness {
  port: number;
  kind: 'used' | 'protocol' | 'offered';
  /** The algorithms and why each is weak; a protocol's reason has no name. */
  items: { name: string; why: string }[];
  broken: boolean;
  count: number;
  evidence: Evidence;
}

export interface TlsWeakness {
  kind: 'version' | 'cipher' | 'self-signed' | 'expired' | 'key' | 'signature';
  value: string;
  /** The cipher suite negotiated with a weak version (POODLE needs a CBC suite). */
  cipher?: string;
  port: number;
  count: number;
  evidence: Evidence;
}

/**
 * Kerberos with deprecated encryption (RFC 6649, RFC 8429): a KDC that issued tickets under DES
 * or RC4 (their key is the account's NT hash: offline cracking, "Kerberoasting"), a service
 * presented such tickets (its account has no AES key), or a client that offered nothing stronger.
 */
export interface KerberosWeakness {
  /** no-preauth: the KDC answered AS requests that carried no pre-authentication (`services` lists the accounts). */
  role: 'kdc' | 'service' | 'client' | 'no-preauth';
  cipher: string;
  /** Services the weak tickets were for (KDC), bounded. */
  services: string[];
  count: number;
  evidence: Evidence;
}

export interface ServiceObs {
  /** telnet, rlogin, ftp, http-auth, snmp, vnc, pop3, imap, smtp, hl7, dicom. */
  service: string;
  port: number;
  detail: string;
  count: number;
  evidence: Evidence;
  /** The service let a session in without authentication (Redis, an rsync module, an iSCSI target). */
  open?: boolean;
}

/** A threat-intelligence indicator this host's traffic matched (intel.log), by the feed's listing. */
export interface IntelObs {
  /** The listing (the feed's indicator: a subnet for an address that lies in it) and its type. */
  matched: string;
  type: string;
  /** The values seen and where (the first few). */
  seen: string[];
  sources: string[];
  desc?: string;
  count: number;
  evidence: Evidence[];
}

const MAX_INTEL_SEEN = 4;

/** Software or firmware the host received over a clear, unauthenticated transfer (HTTP, FTP, TFTP). */
export interface UpdateObs {
  name: string;
  transport: string;
  sender: string;
  mime?: string;
  size: number;
  sha256?: string;
  count: number;
  evidence: Evidence;
}

/** A VPN negotiation with weak settings (PPTP, IKE) this host took part in (src/assess/vpn-weak.ts). */
export interface VpnWeakness {
  role: 'initiator' | 'responder';
  peer: string;
  reasons: string[];
  severe: boolean;
  count: number;
  evidence: Evidence;
}

/** A remote-access tool this host runs, and how that showed (a service name it reached, a certificate it presented). */
export interface RemoteAccessObs {
  product: string;
  /** "reached router3.teamviewer.com", "presented the certificate CN=AnyDesk Client" … */
  what: string;
  count: number;
  evidence: Evidence;
}

/** Encrypted DNS this host sent to a resolver outside the site (src/knowledge/encrypted-dns.ts). */
export interface EncryptedDnsObs {
  protocol: string;
  /** The resolver's address. */
  resolver: string;
  /** "TLS to dns.google (8.8.4.4) on port 853" … (the first sign). */
  what: string;
  count: number;
  evidence: Evidence;
}

/** A name this host asked the whole segment for (LLMNR multicast, NetBIOS broadcast): any host may answer it. */
export interface NameQueryObs {
  protocol: 'LLMNR' | 'NetBIOS';
  name: string;
  count: number;
  evidence: Evidence;
}

/** Crypto-currency mining: the pool this host mined with, and how that showed. */
export interface MiningObs {
  /** The pool's address and port. */
  pool: string;
  /** stratum, cryptonote or ethereum. */
  dialect: string;
  /** Miner software, when it named itself. */
  agent: string;
  /** The pool's host name, when the miner named it. */
  poolHost: string;
  count: number;
  evidence: Evidence;
}

/** Peer-to-peer file sharing the host took part in (one entry per protocol: BitTorrent). */
export interface P2pObs {
  protocol: string;
  /** Clients its peer ids, DHT messages or tracker announces named. */
  clients: string[];
  /** Torrents (info hashes) it named, at most MAX_P2P_LIST. */
  infoHashes: string[];
  /** How it showed: tcp, utp, dht, lsd, udp-tracker, http-tracker. */
  transports: string[];
  /** Distinct peers it exchanged with (counted up to MAX_P2P_PEERS). */
  peers: Set<string>;
  /** Trackers it announced to over HTTP (their Host). */
  trackers: string[];
  count: number;
  evidence: Evidence;
}

export const MAX_P2P_PEERS = 1000;
const MAX_P2P_LIST = 8;

export interface ZerologonObs {
  /** Refused (any status but STATUS_SUCCESS) and accepted all-zero-credential authenticates. */
  refused: number;
  succeeded: number;
  /** The first attempt, the first success and, after a success, the first NetrServerPasswordSet2. */
  firstAttempt: Evidence | null;
  success: Evidence | null;
  passwordSet: Evidence | null;
  /** Who sent them (the first few). */
  clients: string[];
}

const MAX_ZEROLOGON_CLIENTS = 4;

export interface OsHint {
  source: string;
  value: string;
  major?: number;
  minor?: number;
  build?: number;
  evidence: Evidence;
}

/** A service of this host that Internet addresses connected to and it answered (internet-exposure). */
export interface InboundObs {
  proto: 'tcp' | 'udp';
  port: number;
  /** conn.log service, '' when no analyzer named it. */
  service: string;
  /** Internet addresses that connected, the first MAX_INBOUND_CLIENTS of them. */
  clients: string[];
  /** Connections answered. */
  count: number;
  /** The first one. */
  evidence: Evidence;
}

/**
 * An Internet host this (local) host connected to and that answered (internet-communication).
 * Kept lean (a large site has tens of thousands): the first connection's place as plain fields,
 * services as one shared string until there are several, names only when the device used one.
 */
export interface OutboundObs {
  addr: string;
  /** Names it was reached by: the TLS server name or HTTP Host of those connections (first MAX_OUTBOUND_NAMES). */
  names: string[] | null;
  /** "tcp/443 ssl", "udp/123 ntp" … (one, or the first MAX_OUTBOUND_SERVICES). */
  services: string | string[];
  /** Some of those connections carried a protocol that is readable and not encryption-capable as used (HTTP, FTP, MQTT …). */
  clear: boolean;
  count: number;
  /** The first connection: capture, packet, time, and the name it used ('' for none). */
  file: string;
  packet: number;
  ts: number;
  firstName: string;
}

/** The evidence of an outbound destination: its first connection. */
export function outboundEvidence(from: string, x: OutboundObs): Evidence {
  const svc = typeof x.services === 'string' ? x.services : x.services[0];
  return { fact: 'internet-connection', value: `${from} → ${x.addr} ${svc}${x.firstName !== '' ? ` (${x.firstName})` : ''}`, source: 'conn', file: x.file, packet: x.packet, ts: x.ts };
}

export interface HostObs {
  addr: string;
  macs: string[];
  vlans: number[];
  credentials: Map<string, CredentialObs>;
  phi: Map<string, PhiObs>;
  /** SMB1 negotiated with this host as server or client, or only offered by it as a client. */
  smb1: { server: Evidence | null; client: Evidence | null; offered: Evidence | null; dialects: string[] };
  smbCompression: Evidence | null;
  /** The device's SMB server answered a negotiation without requiring signing (the first such answer). */
  smbUnsigned: Evidence | null;
  tls: Map<string, TlsWeakness>;
  /** The host's SSH server: weak algorithms negotiated or offered, protocol 1 (key: port|kind|text). */
  ssh: Map<string, SshWeakness>;
  kerberos: Map<string, KerberosWeakness>;
  heartbleed: { attempts: number; leaked: number; evidence: Evidence[] };
  /** Netlogon authentications with an all-zero ClientCredential this host (a DC) answered (Zerologon, CVE-2020-1472). */
  zerologon: ZerologonObs;
  /** NTLMv1 responses the host sent (client) or accepted (server), with the accounts named. */
  ntlmV1: NtlmV1Obs;
  cleartext: Map<string, ServiceObs>;
  remoteAccess: Map<string, RemoteAccessObs>;
  mining: Map<string, MiningObs>;
  /** Encrypted DNS to outside resolvers, by protocol and resolver. */
  encryptedDns: Map<string, EncryptedDnsObs>;
  /** Names asked by LLMNR multicast or NetBIOS broadcast, by protocol and name. */
  nameQueries: Map<string, NameQueryObs>;
  /** DHCPv6 SOLICITs this host sent (its first as evidence), and on which VLAN (-1 untagged). */
  dhcp6Solicit: { vlan: number; count: number; evidence: Evidence } | null;
  p2p: Map<string, P2pObs>;
  vpn: Map<string, VpnWeakness>;
  intel: Map<string, IntelObs>;
  updates: Map<string, UpdateObs>;
  /** Services Internet addresses connected to, by "tcp/104". */
  inbound: Map<string, InboundObs>;
  /** Internet hosts this host connected to, by address. */
  outbound: Map<string, OutboundObs>;
  rdp: { port: number; evidence: Evidence } | null;
  /** The RDP server chose standard RDP security (RC4, no TLS) or TLS without CredSSP: no Network Level Authentication. */
  rdpNoNla: { protocol: string; evidence: Evidence } | null;
  /** The host's SLP agent (slpd): answered requests, named itself ESXi, accepted a registration from another host. */
  slp: SlpObs | null;
  /**
   * The host's answers to wormable exploits' probes that convict it: the MS17-010 check as
   * unpatched, a DoublePulsar ping as implanted, the MS08-067 check as unpatched or as patched by
   * Conficker.
   */
  wormable: { ms17010: Evidence | null; doublePulsar: Evidence | null; ms08067: Evidence | null; conficker: Evidence | null } | null;
  /** The host is an Internet gateway on which UPnP IGD, NAT-PMP or PCP lets LAN hosts open ports. */
  portMapping: PortMappingObs | null;
  /** The host's DICOM SCP accepted an association addressed to, or from, a tool's default AE title. */
  dicomAccess: DicomAccessObs | null;
  osHints: OsHint[];
  software: string[];
  traffic: Traffic;
  /**
   * The first connection in which this address sent packets (it originated it, or answered):
   * file, packet and time, packet 0 while it has only been a destination, or has only sent bare
   * SYNs (no payload) that nothing answered. Plain fields, not an
   * Evidence object, for the tens of thousands of addresses a large capture holds.
   */
  sentFile: string;
  sentPacket: number;
  sentTs: number;
}

/** Mappings named per gateway. */
const MAX_GRANTED_MAPPINGS = 4;

/**
 * A gateway's port-mapping service: UPnP IGD 1.0/2.0 (it advertised an Internet Gateway Device
 * over SSDP, answered a WANIPConnection/WANPPPConnection action) or NAT-PMP/PCP (it answered a
 * request or announced its address); the mappings and pinholes it granted.
 */
export interface PortMappingObs {
  advertised: Evidence | null;
  control: Evidence | null;
  /** The protocols it answered: "UPnP IGD", "NAT-PMP", "PCP". */
  protocols: string[];
  granted: { text: string; evidence: Evidence }[];
}

export interface DicomAccessObs {
  /** The first association accepted whose called AE title is a placeholder (ANY-SCP …), and its title. */
  anyCalled: { title: string; port: number; evidence: Evidence } | null;
  /** The first association accepted from a tool's default calling AE title (ECHOSCU, FINDSCU …). */
  defaultCalling: { title: string; port: number; evidence: Evidence } | null;
}

export interface SlpObs {
  answered: Evidence | null;
  /** Its own service:VMwareInfrastructure URL: the OpenSLP of VMware ESXi. */
  esxi: Evidence | null;
  registration: Evidence | null;
  /** It answered a request from a public (Internet) address: a reflector for spoofed requests. */
  internet: Evidence | null;
}

export interface PairObs {
  a: string;
  b: string;
  flows: number;
  bytes: number;
  /** "tcp/104 dicom", "udp/161 snmp" … (bounded). */
  services: string[];
  evidence: Evidence;
}

/**
 * Traffic between host pairs, compact: on a large network there are far more pairs than hosts.
 * Keyed by the pair (a, b), a < b as text; IPv4 pairs by their numbers (a string key was built,
 * flattened and hashed for every connection), the rest "a|b". The PairObs (and its evidence) is
 * built when a rule asks for one.
 */
export class PairTable {
  private readonly v4 = new V4PairTable();
  private readonly index = new Map<string, number>();
  private readonly flows: number[] = [];
  private readonly bytes: number[] = [];
  /** The first flow's service, or every service seen (bounded) once there is more than one. */
  private readonly svcs: (string | string[])[] = [];
  /** Evidence of the first flow: file index, packet, time, and whether `a` originated it. */
  private readonly evFile: number[] = [];
  private readonly evPacket: number[] = [];
  private readonly evTs: number[] = [];
  private readonly evAFirst: boolean[] = [];
  /**
   * One string per distinct service text ("tcp/443 ssl"), shared by every pair: by protocol and
   * port, then by conn.log service (an interned string), so no text is built per connection.
   */
  private readonly svcNames = new Map<number, Map<string, string>>();
  private svcCount = 0;

  constructor(private readonly paths: () => readonly string[]) {}

  get size(): number {
    return this.flows.length;
  }

  /** The shared text of a service, "tcp/443 ssl" (one string per distinct service, not per connection). */
  svcName(proto: string, port: number, service: string): string {
    const k = (proto === 'tcp' ? 0 : proto === 'udp' ? 1 : 2) * 65536 + port;
    let byService = this.svcNames.get(k);
    let name = byService?.get(service);
    if (name !== undefined) return name;
    name = `${proto}/${port}${service !== '' ? ` ${service}` : ''}`;
    if (this.svcCount < MAX_PAIRS) {
      if (byService === undefined) {
        byService = new Map();
        this.svcNames.set(k, byService);
      }
      byService.set(service, name);
      this.svcCount++;
    }
    return name;
  }

  /**
   * Counts one connection between `a` and `b` (a < b as text; `a4`/`b4` their IPv4 numbers, or
   * -1); false when the table is full.
   */
  add(a: string, b: string, a4: number, b4: number, aFirst: boolean, proto: string, port: number, service: string, bytes: number, file: number, packet: number, ts: number): boolean {
    const name = this.svcName(proto, port, service);
    const v4 = a4 >= 0 && b4 >= 0;
    let k = v4 ? this.v4.get(a4, b4) : (this.index.get(`${a}|${b}`) ?? -1);
    if (k < 0) {
      if (this.flows.length >= MAX_PAIRS) return false;
      k = this.flows.length;
      if (v4) this.v4.set(a4, b4, k);
      else this.index.set(`${a}|${b}`, k);
      this.flows.push(0);
      this.bytes.push(0);
      this.svcs.push(name);
      this.evFile.push(file);
      this.evPacket.push(packet);
      this.evTs.push(ts);
      this.evAFirst.push(aFirst);
    } else {
      const cur = this.svcs[k];
      if (typeof cur === 'string') {
        if (cur !== name) this.svcs[k] = [cur, name];
      } else if (!cur.includes(name) && cur.length < 16) cur.push(name);
    }
    this.flows[k]++;
    this.bytes[k] += bytes;
    return true;
  }

  get(key: string): PairObs | undefined {
    const bar = key.indexOf('|');
    const a = key.slice(0, bar);
    const b = key.slice(bar + 1);
    const a4 = parseV4(a);
    const b4 = parseV4(b);
    const k = a4 >= 0 && b4 >= 0 ? this.v4.get(a4, b4) : (this.index.get(key) ?? -1);
    if (k < 0) return undefined;
    const cur = this.svcs[k];
    const services = typeof cur === 'string' ? [cur] : [...cur];
    const [orig, resp] = this.evAFirst[k] ? [a, b] : [b, a];
    const evidence: Evidence = { fact: 'flow', value: `${orig} → ${resp} ${services[0]}`, source: 'conn', file: this.paths()[this.evFile[k]] ?? '', packet: this.evPacket[k], ts: this.evTs[k] };
    return { a, b, flows: this.flows[k], bytes: this.bytes[k], services, evidence };
  }
}

/** An 802.11 network a device serves (access point) or joins (station), with its protection. */
export interface WifiNet {
  role: 'ap' | 'station';
  ssid: string;
  /** open, WEP, WPA, WPA2, WPA3, OWE (wlan analyzer). */
  security: string;
  pairwise: string[];
  evidence: Evidence;
}

/**
 * EAP methods whose exchange gives the password away when not inside a TLS tunnel: EAP-MD5 and
 * LEAP (a challenge and its hashed response, guessed offline; no server authentication, so a
 * rogue authenticator collects them), GTC and OTP (the password or one-time code in clear).
 */
export const WEAK_EAP_METHODS = new Set(['md5', 'leap', 'gtc', 'otp']);
const MAX_EAP_IDENTITIES = 4096;

/** A DTP advertisement a MAC sent: its trunk mode and status, and VLAN, first of each. */
export interface DtpObs {
  mode: string;
  status: string;
  vlan: number;
  evidence: Evidence;
}

/** An 802.1X method a supplicant answered with, and the authenticator's verdict that followed. */
export interface EapMethodObs {
  method: string;
  identity: string;
  authenticator: string;
  evidence: Evidence;
  result: 'success' | 'failure' | null;
  resultEvidence: Evidence | null;
}

export interface Observations {
  hosts: Map<string, HostObs>;
  /** 802.1X methods by supplicant MAC: only those that expose the password (WEAK_EAP_METHODS). */
  eap: Map<string, EapMethodObs[]>;
  /** DTP advertisements by sending MAC (aa:bb:…). */
  dtp: Map<string, DtpObs[]>;
  /** 802.11 networks by the MAC (aa:bb:…) of the access point serving or the station joining them. */
  wifi: Map<string, WifiNet[]>;
  pairs: PairTable;
  /** Address → subnet mask a DHCP server assigned with it. */
  dhcpMasks: Map<string, string>;
  /** VLANs (-1 untagged) where a DHCPv6 server answered (ADVERTISE or REPLY). */
  dhcp6Served: Set<number>;
  totals: Traffic;
  /** Items not kept because a bound was reached. */
  dropped: number;
}

export interface ObserverOptions {
  kb?: KnowledgeBase | null;
  /** The site's networks (--local-nets; default private and link-local), to tell Internet peers. */
  localNets?: readonly string[];
  /** Capture paths by file index (Analysis.paths), read when evidence is made. */
  paths?: () => readonly string[];
}

function tsOf(sec: number, nsec: number): number {
  return Math.round(sec * 1e6 + Math.floor(nsec / 1000)) / 1e6;
}

/** Keyed digests of default passwords and communities: digest → defaults with that password. */
/**
 * One index per credential list: hashing the few thousand defaults takes 0.02 s, and a monitor
 * makes an Observer per inventory window (the digest key is per process, so the index holds).
 */
const defaultIndexes = new WeakMap<readonly DefaultCredential[], DefaultIndex>();
function defaultIndex(creds: readonly DefaultCredential[]): DefaultIndex {
  let ix = defaultIndexes.get(creds);
  if (ix === undefined) defaultIndexes.set(creds, (ix = new DefaultIndex(creds)));
  return ix;
}

class DefaultIndex {
  readonly byDigest = new Map<string, DefaultCredential[]>();
  readonly communities = new Map<string, string>();

  constructor(creds: readonly DefaultCredential[]) {
    for (const c of creds) {
      if (c.password === '') continue;
      const d = secretDigest(c.password);
      const l = this.byDigest.get(d);
      if (l === undefined) this.byDigest.set(d, [c]);
      else l.push(c);
    }
    for (const c of DEFAULT_COMMUNITIES) this.communities.set(secretDigest(c), c);
  }

  match(protocol: string, user: string, digest: string): DefaultMatch | null {
    if (protocol === 'snmp') {
      const c = this.communities.get(digest);
      if (c !== undefined) return { products: [WELL_KNOWN_COMMUNITY], vendorKeys: [], count: 1 };
    }
    const list = this.byDigest.get(digest);
    if (list === undefined) return null;
    const u = user.toLowerCase();
    const hits = list.filter((c) => {
      if (c.services.length > 0 && !c.services.includes(protocol)) return false;
      if (protocol === 'snmp') return c.user === '' || c.services.includes('snmp');
      return c.user.toLowerCase() === u;
    });
    if (hits.length === 0) return null;
    const products = [...new Set(hits.map((h) => h.product))].sort();
    const vendorKeys = [...new Set(hits.map((h) => h.vendorKey))].sort().slice(0, MAX_DEFAULT_VENDORS);
    return { products: products.slice(0, MAX_DEFAULT_PRODUCTS), vendorKeys, count: products.length };
  }
}

const WEAK_VERSIONS = new Set(['SSLv2', 'SSLv3', 'TLSv10', 'TLSv11', 'DTLSv10']);

/**
 * The one empty map every host starts with for credentials, PHI, TLS weaknesses and clear-text
 * services; a host gets a map of its own at its first item. Tens of thousands of hosts have none,
 * and four empty Maps each cost more than the rest of the host. Never written to.
 */
const NO_ITEMS = new Map<string, never>();
/** Smallest RSA/DSA key NIST SP 800-131A allows. */
const MIN_KEY_BITS = 2048;
/** Certificate signatures by MD2, MD5 or SHA-1 (sha1WithRSAEncryption, ecdsa-with-SHA1, dsaWithSHA1 …). */
const WEAK_SIGNATURE = /(md2|md5|sha1)(?![0-9])/i;
const KRB_PORT = 88;
/** LLMNR (RFC 4795) and the NetBIOS name service (RFC 1002), and the name service's NB question type. */
const LLMNR_PORT = 5355;
const NBNS_PORT = 137;
const NBNS_TYPE_NB = 32;
/** Services named per weak KDC finding. */
const MAX_KRB_SERVICES = 8;
/*
 * Likewise the parts of a host that few hosts ever have (SMB1, Heartbleed, Zerologon, OS hints,
 * VLANs): shared, frozen (a write to one throws) and replaced by the host's own on its first
 * write (smb1Of …). 82,000 hosts of the benchmark capture held six empty objects and arrays each,
 * which the collector copied and traced for the whole run.
 */
const NO_VLANS: number[] = Object.freeze([]) as unknown as number[];
const NO_OS_HINTS: OsHint[] = Object.freeze([]) as unknown as OsHint[];
const NO_SMB1: HostObs['smb1'] = Object.freeze({ server: null, client: null, offered: null, dialects: Object.freeze([]) as unknown as string[] });
const NO_HEARTBLEED: HostObs['heartbleed'] = Object.freeze({ attempts: 0, leaked: 0, evidence: Object.freeze([]) as unknown as Evidence[] });
const NO_ZEROLOGON: ZerologonObs = Object.freeze({ refused: 0, succeeded: 0, firstAttempt: null, success: null, passwordSet: null, clients: Object.freeze([]) as unknown as string[] });

function smb1Of(h: HostObs): HostObs['smb1'] {
  if (h.smb1 === NO_SMB1) h.smb1 = { server: null, client: null, offered: null, dialects: [] };
  return h.smb1;
}

function heartbleedOf(h: HostObs): HostObs['heartbleed'] {
  if (h.heartbleed === NO_HEARTBLEED) h.heartbleed = { attempts: 0, leaked: 0, evidence: [] };
  return h.heartbleed;
}

export interface NtlmV1Obs {
  client: Evidence | null;
  server: Evidence | null;
  /** domain\\user of the attempts (bounded). */
  users: string[];
}

const NO_NTLMV1: NtlmV1Obs = { client: null, server: null, users: [] };
/** Accounts named per host's NTLMv1 observation. */
const MAX_NTLM_USERS = 8;

function ntlmV1Of(h: HostObs): NtlmV1Obs {
  if (h.ntlmV1 === NO_NTLMV1) h.ntlmV1 = { client: null, server: null, users: [] };
  return h.ntlmV1;
}

function wormableOf(h: HostObs): NonNullable<HostObs['wormable']> {
  return (h.wormable ??= { ms17010: null, doublePulsar: null, ms08067: null, conficker: null });
}

function zerologonOf(h: HostObs): ZerologonObs {
  if (h.zerologon === NO_ZEROLOGON) h.zerologon = { refused: 0, succeeded: 0, firstAttempt: null, success: null, passwordSet: null, clients: [] };
  return h.zerologon;
}
type ItemKind = 'phi' | 'tls' | 'ssh' | 'kerberos' | 'cleartext' | 'remoteAccess' | 'mining' | 'encryptedDns' | 'nameQueries' | 'vpn' | 'intel' | 'updates';

/** Collects observations from one analysis run. */
export class Observer {
  private readonly hosts = new Map<string, HostObs>();
  /** The same hosts by IPv4 number, filled as connections end (see connHost). */
  private readonly v4Hosts = new V4Table<HostObs>();
  private readonly pairs: PairTable;
  private readonly dhcpMasks = new Map<string, string>();
  private readonly dhcp6Served = new Set<number>();
  private readonly wifi = new Map<string, WifiNet[]>();
  private readonly dtp = new Map<string, DtpObs[]>();
  private readonly eap = new Map<string, EapMethodObs[]>();
  /** Supplicant MAC → the identity it last gave (Response/Identity). */
  private readonly eapIdentity = new Map<string, string>();
  private readonly totals = emptyTraffic();
  /** Connections that switched to TLS (STARTTLS) or SMB3 encryption, by uid. */
  private readonly encryptedConns = new Set<string>();
  /** Connections whose TLS session chose a NULL cipher (no encryption: its traffic is in clear), by uid. */
  private readonly nullCipherConns = new Set<string>();
  private readonly defaults: DefaultIndex | null;
  private readonly paths: () => readonly string[];
  private readonly local: LocalNets;
  /** The TLS server name or HTTP Host of connections from local to Internet hosts, by uid, until they end. */
  private readonly connNames = new Map<string, string>();
  /** Names local hosts looked up that resolved to an Internet address, by address (the first name wins). */
  private readonly dnsNames = new Map<string, string>();
  private dropped = 0;

  constructor(opts: ObserverOptions = {}) {
    this.defaults = opts.kb ? defaultIndex(opts.kb.defaultCredentials) : null;
    this.local = new LocalNets(opts.localNets);
    this.paths = opts.paths ?? (() => []);
    this.pairs = new PairTable(this.paths);
  }

  /** The engine's onEvent hook. */
  readonly onEvent = (ev: AppEvent, c: Conn | null, m: PacketMeta): void => {
    this.event(ev, c, m);
  };

  /** The engine's onConn hook. */
  readonly onConn = (c: Conn): void => {
    this.conn(c);
  };

  /** Addresses observed so far (bounded by MAX_HOSTS). */
  get hostCount(): number {
    return this.hosts.size;
  }

  result(): Observations {
    return { hosts: this.hosts, eap: this.eap, dtp: this.dtp, wifi: this.wifi, pairs: this.pairs, dhcpMasks: this.dhcpMasks, dhcp6Served: this.dhcp6Served, totals: this.totals, dropped: this.dropped };
  }

  private host(addr: string): HostObs | null {
    if (addr === '') return null;
    let h = this.hosts.get(addr);
    if (h !== undefined) return h;
    if (this.hosts.size >= MAX_HOSTS) {
      this.dropped++;
      return null;
    }
    h = {
      addr,
      macs: [],
      vlans: NO_VLANS,
      credentials: NO_ITEMS,
      phi: NO_ITEMS,
      smb1: NO_SMB1,
      smbCompression: null,
      smbUnsigned: null,
      tls: NO_ITEMS,
      ssh: NO_ITEMS,
      kerberos: NO_ITEMS,
      heartbleed: NO_HEARTBLEED,
      zerologon: NO_ZEROLOGON,
      ntlmV1: NO_NTLMV1,
      cleartext: NO_ITEMS,
      remoteAccess: NO_ITEMS,
      mining: NO_ITEMS,
      encryptedDns: NO_ITEMS,
      nameQueries: NO_ITEMS,
      dhcp6Solicit: null,
      p2p: NO_ITEMS,
      vpn: NO_ITEMS,
      intel: NO_ITEMS,
      updates: NO_ITEMS,
      inbound: NO_ITEMS,
      outbound: NO_ITEMS,
      rdp: null,
      rdpNoNla: null,
      slp: null,
      portMapping: null,
      dicomAccess: null,
      wormable: null,
      osHints: NO_OS_HINTS,
      software: [],
      traffic: emptyTraffic(),
      sentFile: '',
      sentPacket: 0,
      sentTs: 0,
    };
    this.hosts.set(addr, h);
    return h;
  }

  private evidence(fact: string, value: string, source: string, m: PacketMeta, ev?: AppEvent): Evidence {
    const packet = ev !== undefined && typeof ev.packet === 'number' && ev.packet > 0 ? ev.packet : m.packetNo;
    // An event that names its own packet and time (a session summed up when its connection ends)
    // is dated by them, not by the packet that ended it: the packet and the time must agree.
    let ts = tsOf(m.tsSec, m.tsNsec);
    if (ev !== undefined && packet === ev.packet) {
      if (typeof ev.tsSec === 'number') ts = tsOf(ev.tsSec, typeof ev.tsNsec === 'number' ? ev.tsNsec : 0);
      else if (typeof ev.ts_sec === 'number') ts = tsOf(ev.ts_sec, typeof ev.ts_nsec === 'number' ? ev.ts_nsec : 0);
    }
    return { fact, value, source, file: this.paths()[m.fileIndex] ?? '', packet, ts };
  }

  private connEvidence(fact: string, value: string, source: string, c: Conn): Evidence {
    return { fact, value, source, file: this.paths()[c.fileIndex] ?? '', packet: c.firstPacket, ts: tsOf(c.startSec, c.startNsec) };
  }

  private put(h: HostObs, kind: 'phi', key: string, make: () => PhiObs): void;
  private put(h: HostObs, kind: 'tls', key: string, make: () => TlsWeakness): void;
  private put(h: HostObs, kind: 'ssh', key: string, make: () => SshWeakness): void;
  private put(h: HostObs, kind: 'kerberos', key: string, make: () => KerberosWeakness): void;
  private put(h: HostObs, kind: 'cleartext', key: string, make: () => ServiceObs): void;
  private put(h: HostObs, kind: 'remoteAccess', key: string, make: () => RemoteAccessObs): void;
  private put(h: HostObs, kind: 'mining', key: string, make: () => MiningObs): void;
  private put(h: HostObs, kind: 'encryptedDns', key: string, make: () => EncryptedDnsObs): void;
  private put(h: HostObs, kind: 'nameQueries', key: string, make: () => NameQueryObs): void;
  private put(h: HostObs, kind: 'vpn', key: string, make: () => VpnWeakness): void;
  private put(h: HostObs, kind: 'intel', key: string, make: () => IntelObs): void;
  private put(h: HostObs, kind: 'updates', key: string, make: () => UpdateObs): void;
  private put(h: HostObs, kind: ItemKind, key: string, make: () => { count: number }): void {
    const map = h[kind] as Map<string, { count: number }>;
    const cur = map.get(key);
    if (cur !== undefined) {
      cur.count++;
      return;
    }
    if (map.size >= MAX_ITEMS_PER_HOST) {
      this.dropped++;
      return;
    }
    if (map === NO_ITEMS) {
      (h[kind] as Map<string, unknown>) = new Map([[key, make()]]);
      return;
    }
    map.set(key, make());
  }

  private event(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    const t = ev.type;
    let resp = c !== null ? formatAddr(c.r0, c.r1, c.r2, c.r3) : '';
    const orig = c !== null ? formatAddr(c.o0, c.o1, c.o2, c.o3) : '';
    if (c !== null && connTunneled(c)) {
      // Inside a SOCKS or HTTP CONNECT tunnel the responder is the proxy: what the tunnelled
      // protocol says of its server (banners, certificates, services, what it sent) is the remote
      // server's, which is not a device here. What the client sent is still the client's.
      if (ev.host === resp || ev.server === resp || ev.sender === resp) return;
      resp = '';
    }
    switch (t) {
      case 'intel.seen':
        this.intelSeen(ev, c, m, orig, resp);
        return;
      case 'files.file':
        this.updateFile(ev as FileEvent, m);
        return;
      case 'snmp.credential':
        // Only an agent that answered (or a trap receiver) serves SNMP; an unanswered request's
        // community is the sender's to fix (cleartext-credentials on the sender).
        if (typeof ev.server === 'string' && ev.answered !== false) this.service(ev.server, 'snmp', typeof ev.server_p === 'number' ? ev.server_p : 161, `SNMP v${String(ev.version ?? '1/2c')} (community in clear)`, 'snmp.version', ev, m);
        this.credential(ev, c, m, resp, orig);
        return;
      case 'credential':
      case 'mqtt.credential':
      case 'socks.credential':
      case 'dicom.credential':
        this.credential(ev, c, m, resp, orig);
        return;
      // Clinical messaging with no encryption of its own: the patient fields a message carried
      // (names only) and the service that received it.
      case 'hl7.message':
        if (ev.transport === 'http') this.clinicalMessage(ev, c, m, orig, resp, 'hl7', 'phi_segments', 'HL7 v2 over HTTP without TLS', 'hl7-http');
        else if (ev.transport === 'amqp') this.clinicalMessage(ev, c, m, orig, resp, 'hl7', 'phi_segments', 'HL7 v2 through an AMQP message broker without TLS', 'hl7-amqp');
        else this.clinicalMessage(ev, c, m, orig, resp, 'hl7', 'phi_segments', 'HL7 v2 over MLLP without TLS');
        return;
      case 'astm.message':
        this.clinicalMessage(ev, c, m, orig, resp, 'astm', 'phi_fields', 'ASTM E1381/E1394 (laboratory results and orders) without TLS');
        return;
      case 'poct1a.message':
        this.clinicalMessage(ev, c, m, orig, resp, 'poct1a', 'patient_fields', 'POCT1-A (point-of-care results) without TLS');
        return;
      // IntelliVue Data Export: the monitor serves vital signs, alarms and demographics in clear;
      // a poll result with demographics values is patient data sent by the monitor.
      case 'intellivue.association':
        if (typeof ev.server === 'string' && typeof ev.server_p === 'number') this.service(ev.server, 'intellivue', ev.server_p, 'IntelliVue Data Export (vital signs, alarms, patient demographics) without encryption', 'intellivue.association', ev, m);
        return;
      case 'intellivue.phi': {
        const fields = Array.isArray(ev.patient_fields) ? (ev.patient_fields as string[]) : [];
        const sender = typeof ev.sender === 'string' ? ev.sender : resp;
        if (fields.length > 0) this.phi('intellivue', sender, sender === orig ? resp : orig, [...new Set(fields)].sort(), 'intellivue.patient_fields', ev, m);
        return;
      }
      case 'dicom.phi': {
        const tags = Array.isArray(ev.tags) ? (ev.tags as string[]) : [];
        const sender = typeof ev.sender === 'string' ? ev.sender : ev.is_orig === true ? orig : resp;
        // A DICOM file that crossed in a file transfer (files/file.ts): say which, by its files.log id.
        const via = typeof ev.fuid === 'string' && typeof ev.command === 'string' && ev.command.endsWith(' file') ? `, in a DICOM file sent over ${ev.command.slice(0, -5)} (files.log ${ev.fuid})` : '';
        this.phi('dicom', sender, sender === orig ? resp : orig, [...new Set(tags)].sort(), 'dicom.phi', ev, m, via);
        return;
      }
      // LPD has no encryption: every document printed over it crosses the network readable.
      case 'lpd.request':
        if (c !== null && ev.command === 'receive_job') this.service(resp, 'lpd', c.rPort, 'LPD print jobs without encryption: documents, their names and owners readable', 'lpd.request', ev, m);
        return;
      // Raw printing has neither encryption nor authentication: documents and labels cross
      // readable, and whoever reaches the port can print, query and reconfigure the printer.
      case 'jetdirect.session':
        if (c !== null) this.service(resp, 'jetdirect', c.rPort, 'Raw (port 9100) printing without encryption or authentication: documents and labels readable, PJL and ZPL commands taken from anyone', 'jetdirect.session', ev, m);
        return;
      // Plain Fox carries station logins and every read and write of the building's control points.
      // AJP carries every forwarded request in clear: URIs, cookies, session ids, form bodies.
      case 'ajp.exchange':
        if (c !== null && (typeof ev.status_code === 'number' || ev.pong === true)) this.service(resp, 'ajp', c.rPort, 'AJP13 (Apache JServ) without TLS: every request the web server forwards to the servlet container — URIs, cookies, session ids, credentials, form bodies — readable, and a connector reachable from other hosts is open to Ghostcat (CVE-2020-1938) file reads', 'ajp.exchange', ev, m);
        return;
      // Redis without TLS: AUTH passwords, commands, keys and values readable; a server that
      // answered data commands on a connection that never authenticated has no password at all.
      case 'rsync.session':
        if (c !== null && typeof ev.server_version === 'string') this.rsync(ev, c, m);
        return;
      case 'redis.session':
        if (c !== null && typeof ev.server === 'string') this.redis(ev, c, m);
        return;
      // iSCSI without IPsec: the disks' blocks cross in clear; a target that let a Normal
      // session in without authentication serves its disks to anyone who reaches the port.
      case 'iscsi.session':
        // A session joined mid-way shows no login, but its SCSI commands crossed in clear all the same.
        if (c !== null && (ev.logged_in === true || (ev.commands as number) > 0)) this.iscsi(ev, c, m, resp);
        return;
      // DRDA without encryption (no TLS, no encrypted security mechanism): logins, SQL and
      // result rows readable. The login's clear password is a credential event of its own.
      // XMPP without STARTTLS: chats, presence and contact lists readable (and PLAIN logins, a
      // credential event of their own). Joined mid-way, stanzas in clear say the same.
      case 'xmpp.session':
        if (c !== null && ev.tls !== true && (ev.from !== '' || (ev.iq as number) + (ev.presence as number) + (ev.message as number) > 0)) this.service(resp, 'xmpp', c.rPort, 'XMPP (Jabber) without TLS: chat messages, presence and contact lists readable', 'xmpp.session', ev, m);
        return;
      case 'drda.session':
        if (c !== null && Array.isArray(ev.commands) && (ev.commands as string[]).some((x) => x === 'EXCSATRD' || x === 'ACCSECRD' || x === 'SECCHKRM' || x === 'ACCRDBRM') && !/^E|KERSEC|PLGIN/.test(String(ev.security_mechanism ?? ''))) this.service(resp, 'drda', c.rPort, 'DRDA (IBM Db2, Apache Derby) without encryption: SQL statements and result rows readable, and logins in clear unless an encrypted security mechanism is used', 'drda.session', ev, m);
        return;
      // A miner's login, or mid-way its first share or the pool's first job: on the miner.
      case 'quic.session':
      case 'dnscrypt.session':
        this.encryptedDns(ev, c, m, orig, resp);
        return;
      case 'stratum.mining':
        this.mining(ev, m);
        return;
      // A Bitcoin node's version message: on the node that sent it (a wallet or full node).
      case 'bittorrent.peer':
        this.p2p(String(ev.host), String(ev.transport), typeof ev.info_hash === 'string' ? ev.info_hash : null, typeof ev.client === 'string' ? ev.client : null, ev.transport === 'lsd' ? null : String(ev.peer), null, 'bittorrent.peer', ev, m);
        return;
      case 'bitcoin.version':
        this.bitcoinNode(ev, m);
        return;
      case 'niagara_fox.session':
        if (c !== null && typeof ev.app_name === 'string') this.service(resp, 'niagara_fox', c.rPort, 'Niagara Fox without TLS: station logins and building control (HVAC, pressure rooms, access) readable and alterable', 'niagara_fox.session', ev, m);
        return;
      // SCCP in clear: who calls whom, dialled digits and display texts readable; Unified CM sends
      // media keys only over TLS signalling, so these calls' audio is plain RTP.
      case 'sccp.session':
        if (c !== null && typeof ev.station_is_orig === 'boolean') this.service(ev.station_is_orig ? resp : orig, 'sccp', ev.station_is_orig ? c.rPort : c.oPort, 'Cisco SCCP (Skinny) call signalling without TLS: callers\' names and numbers, dialled digits and call setup readable, and the calls\' audio unencrypted RTP', 'sccp.session', ev, m);
        return;
      // XDMCP: a display manager that answered (Willing or Accept) hands out X sessions in clear.
      case 'xdmcp.session':
        if (c !== null && typeof ev.manager_orig === 'boolean' && (ev.hostname !== undefined || ev.outcome === 'accepted' || (Array.isArray(ev.messages) && ev.messages.includes('willing')))) {
          this.service(ev.manager_orig ? orig : resp, 'xdmcp', ev.manager_orig ? c.oPort : c.rPort, 'XDMCP without encryption: the X session that follows (the login, keystrokes, the screen) crosses the network in clear, and the display\'s authorization cookie with it', 'xdmcp.session', ev, m);
        }
        return;
      // Zabbix without TLS (TLSConnect/TLSAccept unencrypted, the default): the host's name, OS,
      // agent version and every monitored value readable, and whoever reaches the agent can ask it.
      case 'zabbix.transaction':
        if (c !== null && typeof ev.mode === 'string') this.service(resp, 'zabbix', c.rPort, 'Zabbix agent and server traffic without TLS: host names, OS and agent versions, item keys and monitored values readable, and passive checks answered to anyone the agent\'s Server= list does not stop', 'zabbix.transaction', ev, m);
        return;
      // A Checkmk agent that answered in plain text: its whole inventory (processes, users,
      // mounts, interfaces, packages) to anyone on the path, and to anyone who connects when OnlyFrom is empty.
      case 'checkmk.session':
        if (c !== null && ev.transport === 'plain') this.service(resp, 'checkmk', c.rPort, `Checkmk agent output in plain text: the host's name, OS, processes, users, mounts and interfaces readable${ev.open_to_all === true ? ', and OnlyFrom is empty: the agent answers anyone who connects' : ''}`, 'checkmk.session', ev, m);
        return;
      // MGCP has no security of its own (RFC 3435 §5 leaves it to IPsec): the gateway obeys any
      // command that reaches its port, and call setup crosses readable. The gateway is the side
      // whose endpoints an answered command addressed, or the sender of a Notify or RestartInProgress.
      case 'mgcp.transaction': {
        const gw = c !== null ? mgcpGatewayIsOrig(ev) : undefined;
        if (c !== null && gw !== undefined) this.service(gw ? orig : resp, 'mgcp', gw ? c.oPort : c.rPort, 'MGCP call control without IPsec: the gateway takes commands to ring, connect, tear down or restart its lines from anyone who reaches its port, and call setup and media addresses are readable', 'mgcp.transaction', ev, m);
        return;
      }
      // H.323 without H.235: who registers and calls whom, the units' names and the call setup
      // (and, in the H.245 it carries or points to, the media channels) readable and forgeable.
      // RAS is the gatekeeper's service; call signalling the answering endpoint's (1720).
      // An SLP agent that answers requests is a reachable slpd: on ESXi the OpenSLP of
      // CVE-2019-5544, CVE-2020-3992 and CVE-2021-21974 (ESXiArgs), anywhere the reflector of
      // CVE-2023-29552, surely so once it accepts another host's registration. vulnmatch.ts
      // turns these into CVE findings.
      case 'slp.message':
        if (c !== null) this.slp(ev, c, m, orig, resp);
        return;
      case 'h323.ras':
        if (c !== null && typeof ev.endpoint_is_orig === 'boolean' && ev.h235 !== true && typeof ev.reply === 'string') this.service(ev.endpoint_is_orig ? resp : orig, 'h323', ev.endpoint_is_orig ? c.rPort : c.oPort, 'H.323 RAS (H.225.0) without H.235 security: registrations, endpoint names, aliases and call admissions readable and forgeable', 'h323.ras', ev, m);
        return;
      case 'h323.call':
        if (c !== null && ev.h235 !== true && Array.isArray(ev.q931_messages) && ev.q931_messages.length > 0) this.service(resp, 'h323', c.rPort, 'H.323 call signalling (H.225.0/Q.931) without H.235 security: callers, called numbers and call setup readable, the media negotiated in clear', 'h323.call', ev, m);
        return;
      // C12.22 without its own encryption: meter tables, logons and passwords readable.
      case 'c1222.session':
        if (c !== null && Array.isArray(ev.security_modes) && ev.security_modes.some((x) => x === 'cleartext' || x === 'cleartext-with-auth')) this.service(resp, 'c1222', c.rPort, 'C12.22 meter messages in clear (EPSEM not encrypted): table reads and writes, logons and passwords readable', 'c1222.session', ev, m);
        return;
      case 'dicom.associate': {
        const scp = typeof ev.scp === 'string' ? ev.scp : resp;
        const port = typeof ev.scp_p === 'number' ? ev.scp_p : c?.rPort ?? 0;
        this.service(scp, 'dicom', port, this.clearDetail(c, 'DICOM association without TLS'), 'dicom.associate', ev, m);
        if (ev.accepted === true) this.dicomAccess(scp, port, ev, m);
        return;
      }
      case 'smb.dialect':
        this.smbDialect(ev, m, resp, orig);
        return;
      case 'ssh.ident':
      case 'ssh.kexinit':
      case 'ssh.session':
        if (c !== null) this.sshWeak(ev, c, m, orig, resp);
        return;
      case 'smb.native_os': {
        // SESSION_SETUP_ANDX is an SMB1 command: the session runs SMB1.
        const h = typeof ev.host === 'string' ? ev.host : ev.side === 'server' ? resp : orig;
        const side = ev.side === 'server' ? 'server' : 'client';
        const x = this.host(h);
        if (x !== null && x.smb1[side] === null) smb1Of(x)[side] = this.evidence('smb1', 'SMB1 SESSION_SETUP_ANDX', 'smb.native_os', m, ev);
        if (x !== null && typeof ev.os === 'string' && ev.os !== '') this.osHint(x, { source: 'smb.native_os', value: ev.os, evidence: this.evidence('os', ev.os, 'smb.native_os', m, ev) });
        return;
      }
      case 'smb.compressed': {
        const x = this.host(resp);
        if (x !== null && x.smbCompression === null) x.smbCompression = this.evidence('smb-compression', 'SMB2 COMPRESSION_TRANSFORM header', 'smb.compression_transform', m, ev);
        return;
      }
      case 'smb.encrypted':
      case 'ftp.starttls':
      case 'pop3.starttls':
      case 'imap.starttls':
      case 'smtp.starttls':
      case 'postgresql.starttls':
      case 'mysql.starttls':
      case 'ldap.starttls':
        if (c !== null && this.encryptedConns.size < MAX_MARKED_CONNS) this.encryptedConns.add(connUid(c));
        return;
      case 'teamviewer.session':
      case 'openvpn.session':
      case 'wireguard.session':
        this.remoteAccess(ev, c, m, orig, resp);
        return;
      case 'ike.session':
        // Unanswered at a site address: no IKE responder is there, so no tunnel either; such
        // initiations are probes (nmap's UDP scan and ike-version send one to every address),
        // and the weak proposal is the prober's. An unanswered one to the Internet still shows
        // a device configured to tunnel out.
        if (ev.answered !== true && c !== null && !this.local.isInternetWords(c.r0, c.r1, c.r2, c.r3)) return;
        this.remoteAccess(ev, c, m, orig, resp);
        this.ike(ev, m, orig, resp);
        return;
      case 'pptp.session':
        this.remoteAccess(ev, c, m, orig, resp);
        this.weakVpn(PPTP_WEAKNESS, `PPTP control connection (client vendor "${String(ev.client_vendor ?? '')}", server vendor "${String(ev.server_vendor ?? '')}"${ev.established === true ? ', call connected' : ''})`, ev.control_result !== undefined, 'pptp.version', ev, m, orig, resp);
        return;
      case 'ssl.client_hello':
        this.remoteAccess(ev, c, m, orig, resp);
        this.encryptedDns(ev, c, m, orig, resp);
        if (typeof ev.server_name === 'string') this.nameConn(c, ev.server_name);
        return;
      case 'dns.transaction':
        this.encryptedDns(ev, c, m, orig, resp);
        this.nameQuery(ev, c, m, orig, resp);
        if (c !== null && ev.netbios !== true && Array.isArray(ev.answers) && typeof ev.query === 'string') this.dnsAnswers(c, ev.query, ev.answers as string[]);
        return;
      case 'ssl.server_hello':
        this.serverHello(ev, c, m, resp);
        return;
      case 'ssl.certificate':
        this.remoteAccess(ev, c, m, orig, resp);
        this.certificate(ev, c, m, resp);
        return;
      case 'ssl.heartbeat': {
        if (ev.heartbleed !== true) return;
        const x = this.host(resp);
        if (x === null) return;
        const hb = heartbleedOf(x);
        if (ev.is_orig === true) hb.attempts++;
        else hb.leaked++;
        if (hb.evidence.length < 4) {
          const what = ev.is_orig === true ? `request claims ${String(ev.payload_length ?? '?')} payload bytes in a ${String(ev.record_length)}-byte record` : `response of ${String(ev.record_length)} bytes to an over-long request`;
          hb.evidence.push(this.evidence(ev.is_orig === true ? 'heartbleed-attempt' : 'heartbleed-response', what, 'ssl.heartbeat', m, ev));
        }
        return;
      }
      case 'dce_rpc.netlogon_authenticate': {
        if (ev.zero_credential !== true || c === null) return;
        const x = this.host(resp);
        if (x === null) return;
        const z = zerologonOf(x);
        const who = `${String(ev.operation)} from ${orig} as ${String(ev.account)} (computer ${String(ev.computer)}) with an all-zero ClientCredential${ev.zero_challenge === true ? ' after an all-zero ClientChallenge' : ''}: ${String(ev.status_name)}`;
        if (z.clients.length < MAX_ZEROLOGON_CLIENTS && !z.clients.includes(orig)) z.clients.push(orig);
        if (ev.status === 0) {
          z.succeeded++;
          if (z.success === null) z.success = this.evidence('zerologon-success', who, 'dce_rpc.netlogon_authenticate', m, { ...ev, packet: ev.response_packet });
        } else z.refused++;
        if (z.firstAttempt === null) {
          // The event comes with the response: the evidence is the request, at its own time.
          z.firstAttempt = this.evidence('zerologon-attempt', who, 'dce_rpc.netlogon_authenticate', m, ev);
          if (typeof ev.tsSec === 'number' && typeof ev.tsNsec === 'number') z.firstAttempt.ts = tsOf(ev.tsSec, ev.tsNsec);
        }
        return;
      }
      case 'dce_rpc.call': {
        // After an accepted all-zero authenticate, the exploit resets the DC's machine password.
        if (ev.operation !== 'NetrServerPasswordSet2' || c === null) return;
        const x = this.host(resp);
        if (x !== null && x.zerologon.succeeded > 0 && x.zerologon.passwordSet === null) zerologonOf(x).passwordSet = this.evidence('netlogon-password-set', `NetrServerPasswordSet2 from ${orig}`, 'dce_rpc.call', m, ev);
        return;
      }
      case 'upnp.action':
        if (c !== null) this.upnpAction(ev, m, orig, resp);
        return;
      case 'natpmp.transaction':
        this.natpmpTransaction(ev, m);
        return;
      case 'smb.exploit': {
        // A DoublePulsar command the implant answered: the server carries it.
        if (ev.implant !== true || typeof ev.server !== 'string') return;
        const x = this.host(ev.server);
        if (x === null) return;
        const o = wormableOf(x);
        if (o.doublePulsar === null) o.doublePulsar = this.evidence('doublepulsar-implant', `answered a DoublePulsar ${ev.exploit === 'doublepulsar-kill' ? 'kill' : 'exec'} command from ${String(ev.client)} with the multiplex id raised (${String(ev.implant_status)})`, ev.type, m, ev);
        return;
      }
      case 'smb.exploit_probe':
      case 'dce_rpc.exploit_probe': {
        // The server's own answer to an exploit's probe says what it is: unpatched, or implanted.
        if ((ev.verdict !== 'vulnerable' && ev.verdict !== 'implant') || typeof ev.server !== 'string') return;
        const x = this.host(ev.server);
        if (x === null) return;
        const o = wormableOf(x);
        const from = String(ev.client);
        if (ev.probe === 'ms17-010-check' && o.ms17010 === null) o.ms17010 = this.evidence('ms17010-unpatched', `answered the MS17-010 check (PeekNamedPipe on FID 0) from ${from} with STATUS_INSUFF_SERVER_RESOURCES`, ev.type, m, ev);
        else if (ev.probe === 'doublepulsar-ping' && o.doublePulsar === null) o.doublePulsar = this.evidence('doublepulsar-implant', `answered a DoublePulsar ping from ${from} with the multiplex id raised by 16`, ev.type, m, ev);
        else if (ev.probe === 'ms08-067-path' && ev.verdict === 'vulnerable' && o.ms08067 === null) o.ms08067 = this.evidence('ms08067-unpatched', `answered ${String(ev.operation)} with a climbing path from ${from} with success (${String(ev.status)})`, ev.type, m, ev);
        else if (ev.probe === 'ms08-067-path' && ev.verdict === 'implant' && o.conficker === null) o.conficker = this.evidence('conficker-patched', `answered ${String(ev.operation)} with a climbing path from ${from} with WERR_INVALID_PARAMETER`, ev.type, m, ev);
        return;
      }
      case 'ssdp.message':
        this.ssdpGateway(ev, m);
        return;
      case 'rdp.session': {
        if (c === null) return;
        const x = this.host(resp);
        if (x !== null && x.rdp === null) x.rdp = { port: c.rPort, evidence: this.evidence('rdp', `RDP served on tcp/${c.rPort}`, 'rdp.session', m, ev) };
        // The server's choice (MS-RDPBCGR 2.2.1.2.1 selectedProtocol; standard RDP security when
        // nothing was negotiated): anything but CredSSP (HYBRID) shows its logon screen to anyone.
        if (x !== null && x.rdpNoNla === null && (ev.security_protocol === 'RDP' || ev.security_protocol === 'SSL')) {
          const p = ev.security_protocol;
          x.rdpNoNla = { protocol: p, evidence: this.evidence('rdp-security', p === 'RDP' ? `standard RDP security on tcp/${c.rPort}` : `TLS without CredSSP on tcp/${c.rPort}`, 'rdp.security_protocol', m, ev) };
        }
        return;
      }
      case 'login.attempt': {
        const svc = ev.service === 'rlogin' ? 'rlogin' : 'telnet';
        if (c !== null) this.service(resp, svc, c.rPort, svc === 'rlogin' ? 'rlogin login' : 'Telnet login', 'login.attempt', ev, m);
        return;
      }
      case 'http.transaction': {
        if (c === null) return;
        const www = Array.isArray(ev.www_authenticate) ? (ev.www_authenticate as string[]) : [];
        if (ev.password_sent === true || www.length > 0 || typeof ev.auth_scheme === 'string') {
          const scheme = typeof ev.auth_scheme === 'string' ? ev.auth_scheme : www.length > 0 ? www[0].split(/\s/)[0] : 'auth';
          this.service(resp, 'http-auth', c.rPort, `HTTP ${scheme} authentication over plain HTTP`, ev.password_sent === true ? 'http.authorization' : 'http.www_authenticate', ev, m);
        }
        this.remoteAccess(ev, c, m, orig, resp);
        if (typeof ev.host === 'string') this.nameConn(c, ev.host);
        if (typeof ev.uri === 'string' && ev.uri.includes('_hash=')) {
          const ann = httpAnnounce(ev.uri);
          if (ann !== null) this.p2p(orig, 'http-tracker', ann.infoHash, ann.client, null, typeof ev.host === 'string' ? ev.host : resp, 'http.uri', ev, m);
        }
        if (ev.fhir_patient_data === true) this.fhir(ev, m, resp, orig);
        const dw = ev.dicomweb_patient_data_from;
        if (dw === 'server') this.phi('dicomweb', resp, orig, [String(ev.dicomweb)], 'http.dicomweb', ev, m);
        else if (dw === 'client') this.phi('dicomweb', orig, resp, [String(ev.dicomweb)], 'http.dicomweb', ev, m);
        return;
      }
      case 'snmp.pdu': {
        if (c === null || ev.is_orig === true) return;
        const v = String(ev.version ?? '');
        if (v === '1' || v === '2c') this.service(resp, 'snmp', c.rPort, `SNMP v${v} (community in clear)`, 'snmp.version', ev, m);
        // An agent answering (a Response, not discovery's Report) a v3 request of a named user
        // without authentication: the user is configured noAuthNoPriv, no better than a community.
        else if (v === '3' && ev.authenticated === false && ev.pdu_type === 'response' && typeof ev.user === 'string' && ev.user !== '') {
          this.service(resp, 'snmpv3', c.rPort, `SNMPv3 without authentication or privacy (noAuthNoPriv, user "${ev.user}")`, 'snmp.authenticated', ev, m);
        }
        return;
      }
      // Database sessions whose queries and results (patient records, in a hospital) cross in
      // clear: a MySQL login or a PostgreSQL startup seen in clear (with TLS both travel inside
      // it), a SQL Server session that did not negotiate encryption for more than the login.
      case 'mysql.command':
        if (c !== null && ev.cmd === 'login') this.service(resp, 'mysql', c.rPort, 'MySQL without TLS: logins, queries and results readable', 'mysql.login', ev, m);
        return;
      case 'postgresql.startup':
        if (c !== null) this.service(resp, 'postgresql', c.rPort, 'PostgreSQL without TLS: logins, queries and results readable', 'postgresql.startup', ev, m);
        return;
      case 'oracle.session':
        // The listener's answer to the Secure Network Services negotiation: no encryption chosen.
        if (c !== null && ev.encryption === 'none') this.service(resp, 'oracle', c.rPort, 'Oracle Net without Native Network Encryption: logins, queries and results readable', 'oracle.encryption', ev, m);
        return;
      case 'mssql.login':
        if (c !== null && (ev.session_encrypted === false || (ev.session_encrypted === undefined && ev.login_encrypted === false))) {
          this.service(resp, 'mssql', c.rPort, ev.login_encrypted === true ? 'SQL Server with encryption off: the login is encrypted, queries and results are not' : 'SQL Server without encryption: logins, queries and results readable', 'mssql.prelogin', ev, m);
        }
        return;
      // An NTLMv1 response (24 bytes, MS-NLMP 3.3.1) is DES under the NT hash: it cracks back to
      // the hash. On the client that sent it; on the server too when the carrier says it worked.
      case 'ntlm.auth':
        if (c !== null && ev.ntlm_v1 === true) {
          const user = `${typeof ev.domainname === 'string' && ev.domainname !== '' ? `${ev.domainname}\\` : ''}${typeof ev.username === 'string' ? ev.username : ''}`;
          const what = `NTLMv1 response${user !== '' ? ` for ${user}` : ''}${ev.success === true ? ', accepted' : ''}`;
          for (const [addr, side] of [[orig, 'client'], [resp, 'server']] as const) {
            if (side === 'server' && ev.success !== true) continue;
            const x = this.host(addr);
            if (x === null) continue;
            const o = ntlmV1Of(x);
            if (o[side] === null) o[side] = this.evidence('ntlm-v1', what, 'ntlm.ntlm_v1', m, ev);
            if (user !== '' && !o.users.includes(user) && o.users.length < MAX_NTLM_USERS) o.users.push(user);
          }
        }
        return;
      case 'krb.transaction':
        if (c !== null) this.kerberos(ev, c, m, orig, resp);
        return;
      case 'rfb.session':
        if (c !== null) this.service(resp, 'vnc', c.rPort, 'VNC (RFB)', 'rfb.session', ev, m);
        return;
      // Calls, camera pictures and faxes whose signalling, seen in clear, set up plain RTP or
      // T.38 (not SRTP): anyone on the path can record them. On the sender, with no port (media
      // ports change with every call). Media found by its packets alone is left out: its
      // signalling was not seen (SIP over TLS, most often with SRTP), so it may be encrypted.
      case 'rtp.stream':
        const by = typeof ev.source === 'string' ? SIGNALLED_MEDIA[ev.source] : undefined;
        if (c !== null && by !== undefined && ev.srtp !== true && (ev.kind === 'rtp' || ev.kind === 'udptl')) {
          const sender = ev.is_orig === true ? orig : resp;
          if (ev.kind === 'udptl') this.service(sender, 'fax', 0, `T.38 fax pages (UDPTL) of ${by}, unencrypted`, 'rtp.kind', ev, m);
          else this.service(sender, 'rtp', 0, `${typeof ev.media === 'string' ? ev.media : 'media'}${typeof ev.codec === 'string' ? ` (${ev.codec})` : ''} of ${by} as plain RTP, not SRTP`, 'rtp.srtp', ev, m);
        }
        return;
      // NFS served to AUTH_SYS calls (the server takes the client's word for the user id, and the
      // files cross in clear) or to Kerberos without privacy (krb5, krb5i: authenticated, still
      // readable): on the server that answered.
      case 'rpc.program':
        if (c !== null && ev.program === 'nfs' && typeof ev.replies === 'number' && ev.replies > 0) {
          const auth = Array.isArray(ev.auth) ? (ev.auth as string[]) : [];
          const server = ev.client_is_orig === false ? orig : resp;
          const port = ev.client_is_orig === false ? c.oPort : c.rPort;
          if (auth.includes('sys')) this.service(server, 'nfs', port, `NFS with AUTH_SYS (no Kerberos): file contents readable, and the server trusts the user id the client claims${typeof ev.auth_uid === 'number' ? ` (uid ${ev.auth_uid}${ev.auth_uid === 0 ? ', root' : ''})` : ''}`, 'rpc.auth', ev, m);
          else if (auth.includes('gss') && ev.gss_service !== 'privacy') this.service(server, 'nfs', port, 'NFS with Kerberos authentication but no privacy (krb5/krb5i): file contents readable', 'rpc.gss_service', ev, m);
        }
        return;
      // SRTP keys in an SDP that crossed in clear (SDES, RFC 4568 §8.3 requires the signalling to
      // be encrypted): whoever reads the SIP can decrypt the calls. On the device whose media the
      // keys protect, at the SIP port.
      case 'sip.media':
        if (c !== null && ev.crypto === true && typeof ev.host === 'string') this.service(ev.host, 'sdes', c.rPort, 'SRTP master keys (SDES a=crypto) in SIP without TLS', 'sip.sdp', ev, m);
        return;
      case 'ntlm.version': {
        const h = typeof ev.host === 'string' ? ev.host : ev.side === 'server' ? resp : orig;
        const x = this.host(h);
        if (x !== null && typeof ev.major === 'number') {
          this.osHint(x, { source: 'ntlm.version', value: String(ev.version ?? `${ev.major}.${ev.minor}.${ev.build}`), major: ev.major, minor: Number(ev.minor), build: Number(ev.build), evidence: this.evidence('os', String(ev.version ?? ''), 'ntlm.version', m, ev) });
        }
        return;
      }
      case 'software': {
        if (ev.proxied === true) return;
        const h = typeof ev.host === 'string' ? ev.host : '';
        const v = typeof ev.unparsed_version === 'string' ? ev.unparsed_version : '';
        const x = h !== '' && v !== '' ? this.host(h) : null;
        if (x !== null && !x.software.includes(v) && x.software.length < MAX_ITEMS_PER_HOST) x.software.push(v);
        return;
      }
      case 'wlan.mgmt':
        this.wlan(ev, m);
        return;
      case 'dtp.message':
        this.dtpMessage(ev, m);
        return;
      case 'eapol.message':
        this.eapolMessage(ev, m);
        return;
      case 'dhcp.message': {
        if (typeof ev.subnet_mask === 'string' && typeof ev.yiaddr === 'string' && ev.yiaddr !== '0.0.0.0' && this.dhcpMasks.size < MAX_HOSTS) this.dhcpMasks.set(ev.yiaddr, ev.subnet_mask);
        return;
      }
      case 'dhcpv6.message': {
        // A client asking for DHCPv6 where no server ever answers is what mitm6 waits for.
        if (c === null) return;
        if (ev.msg_type === 'ADVERTISE' || ev.msg_type === 'REPLY') {
          if (this.dhcp6Served.size < MAX_HOSTS) this.dhcp6Served.add(c.vlan);
        } else if (ev.msg_type === 'SOLICIT' && ev.is_orig === true && typeof ev.relay_hops === 'number' && ev.relay_hops === 0) {
          const x = this.host(orig);
          if (x === null) return;
          if (x.dhcp6Solicit === null) x.dhcp6Solicit = { vlan: c.vlan, count: 1, evidence: this.evidence('dhcpv6-solicit', `DHCPv6 SOLICIT to ${resp}${typeof ev.vendor_enterprise === 'number' ? ` (vendor class enterprise ${ev.vendor_enterprise})` : ''}`, 'dhcpv6.msg_type', m, ev) };
          else x.dhcp6Solicit.count++;
        }
        return;
      }
      default:
        return;
    }
  }

  private osHint(x: HostObs, h: OsHint): void {
    if (x.osHints.length >= 8 || x.osHints.some((o) => o.source === h.source && o.value === h.value)) return;
    if (x.osHints === NO_OS_HINTS) x.osHints = [];
    x.osHints.push(h);
  }

  private credential(ev: AppEvent, c: Conn | null, m: PacketMeta, resp: string, orig: string): void {
    const protocol = String(ev.protocol ?? ev.service ?? ev.type.split('.')[0]);
    const server = typeof ev.server === 'string' ? ev.server : typeof ev.host === 'string' ? ev.host : resp;
    const port = typeof ev.server_p === 'number' ? ev.server_p : typeof ev.host_p === 'number' ? ev.host_p : c?.rPort ?? 0;
    const client = typeof ev.client === 'string' ? ev.client : server === resp ? orig : resp;
    const user = typeof ev.user === 'string' ? ev.user.slice(0, 256) : '';
    const digest = typeof ev.secret === 'string' ? ev.secret : '';
    const x = this.host(server);
    if (x === null) return;
    const key = `${protocol}|${port}|${client}|${user}|${digest}`;
    const existing = x.credentials.get(key);
    const success = typeof ev.success === 'boolean' ? ev.success : null;
    if (existing !== undefined) {
      existing.count++;
      // Answered on another flow: the server took it after all.
      if (ev.answered !== false && existing.unanswered === true) delete existing.unanswered;
      if (success === true) existing.success = true;
      else if (success === false && existing.success === null) existing.success = false;
      return;
    }
    if (x.credentials.size >= MAX_ITEMS_PER_HOST) {
      this.dropped++;
      return;
    }
    let def = digest !== '' && this.defaults !== null ? this.defaults.match(protocol, user, digest) : null;
    if (def === null && ev.community_is_default === true) def = { products: [WELL_KNOWN_COMMUNITY], vendorKeys: [], count: 1 };
    // A default the protocol's own implementation sets (HSRP's "cisco"), named by the analyzer.
    if (def === null && typeof ev.default_product === 'string') def = { products: [ev.default_product], vendorKeys: [], count: 1 };
    const what = protocol === 'snmp' ? 'community' : 'password';
    const o: CredentialObs = {
      protocol,
      server,
      server_port: port,
      client,
      user,
      success,
      default: def,
      count: 1,
      evidence: this.evidence('cleartext-credential', `${protocol}${user !== '' ? ` user "${user}"` : ''}, ${what} <redacted>${def !== null ? ' (a vendor default)' : ''}`, `${ev.type === 'credential' ? protocol : ev.type.split('.')[0]}.${what}`, m, ev),
    };
    if (typeof ev.mechanism === 'string') o.mechanism = ev.mechanism;
    if (ev.answered === false) o.unanswered = true;
    if (x.credentials === NO_ITEMS) x.credentials = new Map();
    x.credentials.set(key, o);
  }

  /**
   * HL7 FHIR REST over plain HTTP: a resource holding patient data went by in clear. The
   * server sent it when it answered with a FHIR body (read, search); the client when it
   * created or updated one (a body sent with POST/PUT/PATCH that the server accepted as FHIR).
   */
  private fhir(ev: AppEvent, m: PacketMeta, resp: string, orig: string): void {
    const mimes = Array.isArray(ev.resp_mime_types) ? (ev.resp_mime_types as string[]) : [];
    const status = typeof ev.status_code === 'number' ? ev.status_code : 0;
    if (!mimes.some(isFhirMediaType) || status < 200 || status >= 300) return;
    const resource = String(ev.fhir_resource);
    const method = String(ev.method ?? '');
    const uri = String(ev.uri ?? '');
    const write = (method === 'POST' || method === 'PUT' || method === 'PATCH') && !uri.includes('_search');
    if (write && Number(ev.request_body_len) > 0) this.phi('fhir', orig, resp, [resource], 'http.fhir_resource', ev, m);
    if (Number(ev.response_body_len) > 0) this.phi('fhir', resp, orig, [resource], 'http.fhir_resource', ev, m);
  }

  private phi(protocol: PhiObs['protocol'], sender: string, peer: string, items: string[], source: string, ev: AppEvent, m: PacketMeta, via = ''): void {
    const x = this.host(sender);
    if (x === null) return;
    const key = `${protocol}|${peer}|${items.join(',')}`;
    this.put(x, 'phi', key, () => ({ protocol, items, peer, count: 1, evidence: this.evidence('phi', `${PHI_ITEMS[protocol]} ${items.join(', ')} (values not kept)${via}`, source, m, ev) }));
  }

  /** An HL7, ASTM or POCT1-A message: patient data in clear from its sender, a clear-text service on the responder. */
  private clinicalMessage(ev: AppEvent, c: Conn | null, m: PacketMeta, orig: string, resp: string, protocol: 'hl7' | 'astm' | 'poct1a', field: string, detail: string, service: string = protocol): void {
    const v = ev[field];
    const names = Array.isArray(v) ? (v as string[]) : [];
    const sender = typeof ev.sender === 'string' ? ev.sender : ev.is_orig === true ? orig : resp;
    if (names.length > 0) this.phi(protocol, sender, sender === orig ? resp : orig, [...new Set(names)].sort(), `${protocol}.${field}`, ev, m);
    if (c !== null) this.service(resp, service, c.rPort, this.clearDetail(c, detail), `${protocol}.message`, ev, m);
  }

  /** "… without TLS", or, in a NULL-cipher TLS session, "… inside TLS with a NULL cipher (no encryption)". */
  private clearDetail(c: Conn | null, detail: string): string {
    if (c === null || this.nullCipherConns.size === 0 || !this.nullCipherConns.has(connUid(c))) return detail;
    return detail.replace(/ without TLS$/, ' inside TLS with a NULL cipher (no encryption)');
  }

  /**
   * An 802.1X frame: a supplicant's identity, its answer with a weak method (the first per method
   * and authenticator), and the authenticator's verdict on it.
   */
  private eapolMessage(ev: AppEvent, m: PacketMeta): void {
    const src = typeof ev.mac_src === 'string' ? ev.mac_src : '';
    const dst = typeof ev.mac_dst === 'string' ? ev.mac_dst : '';
    const code = ev.eap_code;
    if (code === 'response') {
      if (ev.eap_type === 'identity' && typeof ev.identity === 'string') {
        if (this.eapIdentity.size >= MAX_EAP_IDENTITIES && !this.eapIdentity.has(src)) evictOldest(this.eapIdentity);
        this.eapIdentity.set(src, ev.identity);
        return;
      }
      const method = typeof ev.eap_type === 'string' ? ev.eap_type : '';
      if (!WEAK_EAP_METHODS.has(method)) return;
      let l = this.eap.get(src);
      if (l === undefined) {
        if (this.eap.size >= MAX_HOSTS) {
          this.dropped++;
          return;
        }
        l = [];
        this.eap.set(src, l);
      }
      const identity = typeof ev.leap_user === 'string' ? ev.leap_user : this.eapIdentity.get(src) ?? '';
      const known = l.find((o) => o.method === method && o.identity === identity);
      if (known !== undefined) {
        // A new attempt: its verdict is the one that counts.
        if (known.result !== 'success') known.result = null;
        return;
      }
      if (l.length >= MAX_WIFI_NETS) return;
      // The authenticator is the source of the request this answers; the supplicant sends to the PAE group address.
      l.push({ method, identity, authenticator: '', evidence: this.evidence('eap', `EAP-${method.toUpperCase()} response from ${src}${identity !== '' ? ` as "${identity}"` : ''}`, 'eapol.eap_type', m, ev), result: null, resultEvidence: null });
      return;
    }
    if (code !== 'success' && code !== 'failure') return;
    const l = this.eap.get(dst);
    if (l === undefined) return;
    for (const o of l) {
      if (o.result !== null) continue;
      o.result = code;
      o.authenticator = src;
      o.resultEvidence = this.evidence('eap', `EAP ${code} from ${src} to ${dst}`, 'eapol.eap_code', m, ev);
    }
  }

  /**
   * An accepted association addressed to a placeholder called AE title, or from a tool's default
   * calling one: the SCP checks neither whom it is nor who calls (dicom-open-access).
   */
  private dicomAccess(scp: string, port: number, ev: AppEvent, m: PacketMeta): void {
    const called = typeof ev.called_ae === 'string' ? ev.called_ae.trim() : '';
    const calling = typeof ev.calling_ae === 'string' ? ev.calling_ae.trim() : '';
    const anyCalled = DICOM_PLACEHOLDER_CALLED.has(called.toUpperCase());
    const defaultCalling = DICOM_TOOL_CALLING.has(calling.toUpperCase());
    if (!anyCalled && !defaultCalling) return;
    const x = this.host(scp);
    if (x === null) return;
    const o = (x.dicomAccess ??= { anyCalled: null, defaultCalling: null });
    const e = (): Evidence => this.evidence('dicom-association-accepted', `${JSON.stringify(calling)} -> ${JSON.stringify(called)} accepted on port ${port}`, 'dicom.associate', m, ev);
    if (anyCalled && o.anyCalled === null) o.anyCalled = { title: called, port, evidence: e() };
    if (defaultCalling && o.defaultCalling === null) o.defaultCalling = { title: calling, port, evidence: e() };
  }

  private portMappingOf(addr: string, protocol: string | null): PortMappingObs | null {
    const x = this.host(addr);
    if (x === null) return null;
    const o = (x.portMapping ??= { advertised: null, control: null, protocols: [], granted: [] });
    if (protocol !== null && !o.protocols.includes(protocol)) o.protocols.push(protocol);
    return o;
  }

  private granted(o: PortMappingObs, text: string, e: () => Evidence): void {
    if (o.granted.length < MAX_GRANTED_MAPPINGS && !o.granted.some((g) => g.text === text)) o.granted.push({ text, evidence: e() });
  }

  /** A UPnP action answered by a gateway's WAN connection service: what UPnP IGD lets the LAN do there. */
  private upnpAction(ev: AppEvent, m: PacketMeta, orig: string, resp: string): void {
    if (ev.result !== 'success' || typeof ev.service !== 'string' || !/:service:WAN(IP|PPP)Connection:|:service:WANIPv6FirewallControl:/.test(ev.service)) return;
    const o = this.portMappingOf(resp, 'UPnP IGD');
    if (o === null) return;
    const action = String(ev.action);
    if (o.control === null) o.control = this.evidence('upnp-control', `${action} from ${orig} answered`, 'upnp.action', m, ev);
    if (action !== 'AddPortMapping' && action !== 'AddAnyPortMapping' && action !== 'AddPinhole') return;
    const port = typeof ev.reserved_port === 'number' ? ev.reserved_port : ev.external_port;
    const text = `${action === 'AddPinhole' ? 'a pinhole' : `external port ${String(port ?? '?')}`} to ${String(ev.internal_client ?? orig)}${typeof ev.internal_port === 'number' ? `:${ev.internal_port}` : ''}${typeof ev.protocol === 'string' ? `/${ev.protocol}` : ''} for ${orig}`;
    this.granted(o, text, () => this.evidence('port-mapping', `${action}: ${text}`, 'upnp.action', m, ev));
  }

  /** A NAT-PMP or PCP answer from a gateway: the service is on; a successful mapping is granted. */
  private natpmpTransaction(ev: AppEvent, m: PacketMeta): void {
    if (ev.answered !== true || typeof ev.server !== 'string' || typeof ev.client !== 'string') return;
    const proto = ev.protocol === 'pcp' ? 'PCP' : 'NAT-PMP';
    const o = this.portMappingOf(ev.server, proto);
    if (o === null) return;
    if (o.control === null) o.control = this.evidence('natpmp-answer', `${proto} ${String(ev.opcode)} answered ${String(ev.result ?? '')}`.trim(), 'natpmp.transaction', m, ev);
    const op = String(ev.opcode);
    if (ev.result !== 'SUCCESS' || !(op === 'map_tcp' || op === 'map_udp' || op === 'map' || op === 'peer') || ev.lifetime === 0) return;
    const target = typeof ev.internal_ip === 'string' ? ev.internal_ip : ev.client;
    const text = `external port ${String(ev.external_port ?? '?')} to ${target}${typeof ev.internal_port === 'number' ? `:${ev.internal_port}` : ''}${typeof ev.transport === 'string' ? `/${ev.transport}` : ''} for ${ev.client}`;
    this.granted(o, text, () => this.evidence('port-mapping', `${proto} ${op}: ${text}`, 'natpmp.transaction', m, ev));
  }

  /** An SSDP announcement or search answer of an Internet Gateway Device (UPnP IGD's device and WAN service types). */
  private ssdpGateway(ev: AppEvent, m: PacketMeta): void {
    if (ev.method === 'M-SEARCH' || typeof ev.host !== 'string') return;
    const t = [ev.nt, ev.st].find((k) => typeof k === 'string' && /^urn:schemas-upnp-org:(device:InternetGatewayDevice|service:WAN(IP|PPP)Connection):\d+$/i.test(k));
    if (t === undefined) return;
    const o = this.portMappingOf(ev.host, null);
    if (o !== null && o.advertised === null) o.advertised = this.evidence('upnp-igd-announcement', `announces ${String(t)}`, 'ssdp.message', m, ev);
  }

  /** A DTP advertisement: the first of each trunk mode, status and VLAN per sender. */
  private dtpMessage(ev: AppEvent, m: PacketMeta): void {
    const mac = typeof ev.mac_src === 'string' ? ev.mac_src : '';
    const mode = typeof ev.trunk_mode === 'string' ? ev.trunk_mode : '';
    const status = typeof ev.trunk_status === 'string' ? ev.trunk_status : '';
    if (mac === '' || mode === '') return;
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : -1;
    let l = this.dtp.get(mac);
    if (l === undefined) {
      if (this.dtp.size >= MAX_HOSTS) {
        this.dropped++;
        return;
      }
      l = [];
      this.dtp.set(mac, l);
    }
    if (l.length >= MAX_WIFI_NETS || l.some((d) => d.mode === mode && d.status === status && d.vlan === vlan)) return;
    l.push({ mode, status, vlan, evidence: this.evidence('dtp', `DTP from ${mac}: trunk mode ${mode}, status ${status}${vlan >= 0 ? `, VLAN ${vlan}` : ''}`, 'dtp.trunk_mode', m, ev) });
  }

  /** A beacon or probe response (the AP's network) or a (re)association request (the network joined). */
  private wlan(ev: AppEvent, m: PacketMeta): void {
    const kind = ev.kind;
    const role = kind === 'beacon' || kind === 'probe_response' ? 'ap' : kind === 'assoc_request' || kind === 'reassoc_request' ? 'station' : null;
    if (role === null || typeof ev.transmitter !== 'string' || typeof ev.security !== 'string') return;
    const ssid = typeof ev.ssid === 'string' ? ev.ssid : '';
    let l = this.wifi.get(ev.transmitter);
    if (l === undefined) {
      if (this.wifi.size >= MAX_HOSTS) {
        this.dropped++;
        return;
      }
      l = [];
      this.wifi.set(ev.transmitter, l);
    }
    if (l.some((n) => n.role === role && n.ssid === ssid && n.security === ev.security)) return;
    if (l.length >= MAX_WIFI_NETS) {
      this.dropped++;
      return;
    }
    const pairwise = Array.isArray(ev.pairwise_ciphers) ? (ev.pairwise_ciphers as unknown[]).filter((c): c is string => typeof c === 'string') : [];
    const what = `${ssid === '' ? '(hidden network)' : ssid}: ${ev.security}${pairwise.length > 0 ? ` (${pairwise.join(', ')})` : ''}`;
    l.push({ role, ssid, security: ev.security, pairwise, evidence: this.evidence('wifi', what, `wlan.${String(kind)}`, m, ev) });
  }

  /**
   * A clear-text service on a host. `open`: this session found it open to anyone (no password, no
   * authentication), which outranks the authenticated sessions seen before it: its detail and
   * evidence replace theirs, and the finding turns high.
   */
  private service(addr: string, service: string, port: number, detail: string, source: string, ev: AppEvent, m: PacketMeta, open = false): void {
    const x = this.host(addr);
    if (x === null) return;
    const key = `${service}|${port}`;
    const cur = x.cleartext.get(key);
    if (cur !== undefined && open && cur.open !== true) {
      cur.detail = detail;
      cur.evidence = this.evidence('cleartext-service', detail, source, m, ev);
    }
    this.put(x, 'cleartext', key, () => ({ service, port, detail, count: 1, evidence: this.evidence('cleartext-service', detail, source, m, ev) }));
    if (open) {
      const now = x.cleartext.get(key);
      if (now !== undefined) now.open = true;
    }
  }

  private slp(ev: AppEvent, c: Conn, m: PacketMeta, orig: string, resp: string): void {
    const agentOrig = ev.agent_is_orig;
    if (typeof agentOrig !== 'boolean') return;
    const proto = c.proto === 6 ? 'tcp' : 'udp';
    const urls = Array.isArray(ev.urls) ? ev.urls.filter((u): u is string => typeof u === 'string') : [];
    // The evidence is the agent's answer, not the request it paired with.
    const at: AppEvent = typeof ev.reply_packet === 'number' ? { ...ev, packet: ev.reply_packet } : ev;
    if (ev.answered === true) {
      const x = this.host(agentOrig ? orig : resp);
      if (x === null) return;
      const s = (x.slp ??= { answered: null, esxi: null, registration: null, internet: null });
      const port = agentOrig ? c.oPort : c.rPort;
      s.answered ??= this.evidence('slp-answer', `${String(ev.reply ?? ev.function)} from ${proto}/${port}${ev.multicast === true ? ' to a multicast request' : ''}`, 'slp.reply', m, at);
      const asker = agentOrig ? resp : orig;
      if (ev.multicast !== true && !ipIsPrivate(asker)) s.internet ??= this.evidence('slp-internet', `answered ${asker}, an Internet address, on ${proto}/${port}`, 'slp.reply', m, at);
      const esxi = ownUrls(urls, agentOrig ? orig : resp).find((u) => /^service:vmwareinfrastructure:\/\//i.test(u));
      if (esxi !== undefined) s.esxi ??= this.evidence('slp-esxi', esxi, 'slp.urls', m, at);
    }
    // A registration acknowledged without error: the other side keeps what anyone registers.
    if (ev.function === 'SrvReg' && ev.reply === 'SrvAck' && ev.error === 0) {
      const x = this.host(agentOrig ? resp : orig);
      if (x === null) return;
      const s = (x.slp ??= { answered: null, esxi: null, registration: null, internet: null });
      s.registration ??= this.evidence('slp-registration', `accepted a registration of ${urls[0] ?? 'a service'} from ${agentOrig ? orig : resp} on ${proto}/${agentOrig ? c.rPort : c.oPort}`, 'slp.srvack', m, at);
    }
  }

  private redis(ev: AppEvent, c: Conn, m: PacketMeta): void {
    const port = typeof ev.server_p === 'number' ? ev.server_p : c.rPort;
    const open = typeof ev.unauthenticated_data === 'number' && ev.unauthenticated_data > 0;
    // A connection without AUTH outranks the authenticated ones seen before it.
    this.service(String(ev.server), 'redis', port, open ? REDIS_OPEN : REDIS_CLEAR, 'redis.session', ev, m, open);
  }

  /**
   * An rsync daemon: file lists and contents cross in clear; a module it opened to a client that
   * gave no password (no "auth users") is readable (or writable) by anyone who reaches the port.
   */
  private rsync(ev: AppEvent, c: Conn, m: PacketMeta): void {
    const port = typeof ev.server_p === 'number' ? ev.server_p : c.rPort;
    const open = ev.result === 'ok' && ev.auth_required !== true;
    const detail = open ? `${RSYNC_OPEN} (module "${String(ev.module)}"${ev.direction === 'upload' ? ', written to' : ev.direction === 'download' ? ', read' : ''} without a password)` : RSYNC_CLEAR;
    // An anonymous module outranks the password-protected sessions seen before it.
    this.service(String(ev.server), 'rsync', port, detail, 'rsync.session', ev, m, open);
  }

  private iscsi(ev: AppEvent, c: Conn, m: PacketMeta, target: string): void {
    const open = ev.session_type === 'Normal' && ev.auth_method === 'None';
    const name = typeof ev.target_name === 'string' ? ev.target_name : '';
    const detail = open ? `${ISCSI_OPEN} (target ${name}${(ev.writes as number) > 0 ? ', written to' : (ev.reads as number) > 0 ? ', read' : ''})` : ev.auth_method === 'CHAP' ? `${ISCSI_CLEAR}; CHAP${typeof ev.chap_user === 'string' ? ` (user ${ev.chap_user})` : ''} shows its challenge and response, from which the secret can be guessed offline` : ISCSI_CLEAR;
    // A target open to anyone outranks the authenticated sessions seen before it.
    this.service(target, 'iscsi', c.rPort, detail, 'iscsi.auth_method', ev, m, open);
  }

  /**
   * A ticket under DES or RC4: issued by a KDC (AS/TGS on port 88), or presented to a service
   * (an AP-REQ inside SMB, HTTP, LDAP …); and a client that offered only those types.
   */
  private kerberos(ev: AppEvent, c: Conn, m: PacketMeta, orig: string, resp: string): void {
    const server = c.rPort === KRB_PORT || c.oPort !== KRB_PORT ? resp : orig;
    const client = server === resp ? orig : resp;
    const x = ev.success === true ? this.host(server) : null;
    /** One weakness of the server, naming (bounded) the services or accounts it concerned. */
    const weak = (key: string, name: string, make: () => KerberosWeakness): void => {
      const cur = x!.kerberos.get(key);
      if (cur !== undefined && name !== '' && !cur.services.includes(name) && cur.services.length < MAX_KRB_SERVICES) cur.services.push(name);
      this.put(x!, 'kerberos', key, make);
    };
    if (x !== null && ev.weak_cipher === true && typeof ev.cipher === 'string') {
      const cipher = ev.cipher;
      const role = ev.request_type === 'AP' ? 'service' : 'kdc';
      const service = typeof ev.service === 'string' ? ev.service : '';
      weak(`${role}|${cipher}`, service, () => ({ role, cipher, services: service !== '' ? [service] : [], count: 1, evidence: this.evidence('kerberos-ticket', `${String(ev.request_type ?? '')} ticket${service !== '' ? ` for ${service}` : ''} under ${cipher}`, 'kerberos.cipher', m, ev) }));
    }
    if (x !== null && ev.request_type === 'AS' && ev.preauth === false) {
      const account = typeof ev.client === 'string' ? ev.client : '';
      weak('no-preauth', account, () => ({ role: 'no-preauth', cipher: typeof ev.cipher === 'string' ? ev.cipher : '', services: account !== '' ? [account] : [], count: 1, evidence: this.evidence('kerberos-as-rep', `AS-REP for ${account || 'an account'} without pre-authentication`, 'kerberos.preauth', m, ev) }));
    }
    const offered = Array.isArray(ev.request_ciphers) ? (ev.request_ciphers as unknown[]).filter((s): s is string => typeof s === 'string') : [];
    if (offered.length > 0 && offered.every(weakEtypeName)) {
      const x = this.host(client);
      if (x !== null) this.put(x, 'kerberos', 'client', () => ({ role: 'client', cipher: offered.join(', '), services: [], count: 1, evidence: this.evidence('kerberos-offer', `offered only ${offered.join(', ')}`, 'kerberos.request_ciphers', m, ev) }));
    }
  }

  private smbDialect(ev: AppEvent, m: PacketMeta, resp: string, orig: string): void {
    const server = ev.side === 'server';
    const h = typeof ev.host === 'string' ? ev.host : server ? resp : orig;
    const x = this.host(h);
    if (x === null) return;
    if (server) {
      if (ev.smb1 === true) {
        const d = typeof ev.dialect === 'string' ? ev.dialect : 'SMB1';
        if (x.smb1.server === null) smb1Of(x).server = this.evidence('smb1', `negotiated ${d}`, 'smb.dialect', m, ev);
        if (!x.smb1.dialects.includes(d) && x.smb1.dialects.length < 8) smb1Of(x).dialects.push(d);
        const peer = this.host(h === resp ? orig : resp);
        if (peer !== null && peer.smb1.client === null) smb1Of(peer).client = this.evidence('smb1', `negotiated ${d} with ${h}`, 'smb.dialect', m, ev);
      }
      if (ev.signing_required === false && x.smbUnsigned === null) {
        x.smbUnsigned = this.evidence('smb-signing', `${typeof ev.dialect === 'string' ? ev.dialect : String(ev.version ?? 'SMB')} negotiated, signing not required`, 'smb.signing_required', m, ev);
      }
      if (ev.compression_offered === true && x.smbCompression === null) {
        const algs = Array.isArray(ev.compression_algorithms) ? (ev.compression_algorithms as string[]).join(', ') : '';
        x.smbCompression = this.evidence('smb-compression', `SMB 3.1.1 compression offered${algs !== '' ? ` (${algs})` : ''}`, 'smb.compression_capabilities', m, ev);
      }
    } else if (ev.smb1 === true && x.smb1.offered === null) {
      const ds = Array.isArray(ev.dialects) ? (ev.dialects as string[]).filter((d) => !/^SMB 2|^SMB2|^SMB 3/i.test(d)).slice(0, 4).join(', ') : 'SMB1';
      smb1Of(x).offered = this.evidence('smb1-offered', `offered ${ds || 'SMB1'}`, 'smb.dialects', m, ev);
    }
  }

  private serverHello(ev: AppEvent, c: Conn | null, m: PacketMeta, resp: string): void {
    if (c === null) return;
    const x = this.host(resp);
    if (x === null) return;
    const v = String(ev.version_name ?? '');
    const cipher = String(ev.cipher_name ?? '');
    if (WEAK_VERSIONS.has(v)) this.put(x, 'tls', `version|${v}|${c.rPort}|${cipher}`, () => ({ kind: 'version' as const, value: v, cipher, port: c.rPort, count: 1, evidence: this.evidence('tls-version', `${v} with ${cipher}`, 'ssl.version', m, ev) }));
    if (cipher !== '') {
      const tr = cipherTraits(cipher);
      if (tr.null && ev.dtls !== true && v !== 'TLSv13' && this.nullCipherConns.size < MAX_MARKED_CONNS) this.nullCipherConns.add(connUid(c));
      const weak = [tr.null && 'NULL', tr.export && 'EXPORT', tr.rc4 && 'RC4', tr.des3 && '3DES', tr.des && 'DES', tr.anon && 'anonymous'].filter((s): s is string => typeof s === 'string');
      if (weak.length > 0) this.put(x, 'tls', `cipher|${cipher}|${c.rPort}`, () => ({ kind: 'cipher', value: `${cipher} (${weak.join(', ')})`, port: c.rPort, count: 1, evidence: this.evidence('tls-cipher', cipher, 'ssl.cipher', m, ev) }));
    }
  }

  /**
   * A program or update image received over a transfer nothing protects (HTTP, FTP, TFTP: no
   * encryption, no authentication of the sender), on its receiver: anyone on the path can swap it.
   */
  private updateFile(f: FileEvent, m: PacketMeta): void {
    if (f.source !== 'HTTP' && f.source !== 'FTP_DATA' && f.source !== 'TFTP') return;
    const name = f.filename ?? (typeof f.url === 'string' ? percentDecode(f.url.replace(/[?#].*$/, '').replace(/^.*\//, '')) : undefined);
    if (!isUpdateFile(f.mime_type, name)) return;
    const x = this.host(f.rx_host);
    if (x === null) return;
    const transport = f.source === 'FTP_DATA' ? 'FTP' : f.source;
    const what = `${name ?? '(unnamed)'} from ${f.tx_host} over ${transport} (${f.mime_type ?? 'type unknown'}, ${f.seen_bytes} bytes${f.sha256 !== undefined ? `, SHA-256 ${f.sha256}` : ''}; files.log ${f.fuid})`;
    this.put(x, 'updates', `${transport}|${name ?? f.fuid}`, () => {
      const o: UpdateObs = { name: name ?? '(unnamed)', transport, sender: f.tx_host, size: f.seen_bytes, count: 1, evidence: this.evidence('update-received', what, `files.${transport.toLowerCase()}`, m, f) };
      if (f.mime_type !== undefined) o.mime = f.mime_type;
      if (f.sha256 !== undefined) o.sha256 = f.sha256;
      return o;
    });
  }

  /**
   * A threat-intelligence match: on the host that talked to the listed address (the other end
   * of the connection), or for a name, hash or URL, on the connection's originator (the client
   * that looked it up, fetched it or was sent it).
   */
  private intelSeen(ev: AppEvent, c: Conn | null, m: PacketMeta, orig: string, resp: string): void {
    if (c === null) return;
    const who = ev.where === 'Conn::IN_ORIG' ? resp : orig;
    const x = this.host(who);
    if (x === null) return;
    const matched = String(ev.matched);
    const seen = `${String(ev.indicator)} (${String(ev.where)})`;
    const e = this.evidence('threat-intel', `${String(ev.indicator)} matched ${String(ev.matched_type)} ${matched} from ${(ev.sources as string[]).join(', ')} (${String(ev.where)})`, 'intel.seen', m, ev);
    const cur = x.intel.get(matched);
    if (cur !== undefined) {
      cur.count++;
      if (!cur.seen.includes(seen) && cur.seen.length < MAX_INTEL_SEEN) {
        cur.seen.push(seen);
        cur.evidence.push(e);
      }
      return;
    }
    this.put(x, 'intel', matched, () => {
      const o: IntelObs = { matched, type: String(ev.matched_type), seen: [seen], sources: ev.sources as string[], count: 1, evidence: [e] };
      if (typeof ev.desc === 'string') o.desc = ev.desc;
      return o;
    });
  }

  /** A remote-access tool the event shows (src/knowledge/remote-access.ts), on the side that runs it. */
  private remoteAccess(ev: AppEvent, c: Conn | null, m: PacketMeta, orig: string, resp: string): void {
    const sign = remoteAccessSign(ev, c?.rPort ?? 0);
    if (sign === null) return;
    const x = this.host(sign.orig ? orig : typeof ev.server === 'string' ? ev.server : resp);
    // Each tunnel a host opens is its own way in (one per product and port); a tool is one tool.
    const key = TUNNEL_PRODUCTS.has(sign.product) ? `${sign.product}|${c?.rPort ?? 0}` : sign.product;
    if (x !== null) this.put(x, 'remoteAccess', key, () => ({ product: sign.product, what: sign.what, count: 1, evidence: this.evidence('remote-access', `${sign.product}: ${sign.what}`, sign.source, m, ev) }));
  }

  /**
   * Encrypted DNS from a site host to a resolver on the Internet (a site's own resolver, however
   * reached, is not a way around it): one entry per protocol and resolver, its first sign the evidence.
   */
  private encryptedDns(ev: AppEvent, c: Conn | null, m: PacketMeta, orig: string, resp: string): void {
    if (c === null || resp === '' || !this.local.isInternetWords(c.r0, c.r1, c.r2, c.r3) || this.local.isInternetWords(c.o0, c.o1, c.o2, c.o3)) return;
    const sign = encryptedDnsSign(ev, resp, c.rPort);
    if (sign === null) return;
    const x = this.host(orig);
    if (x === null) return;
    const key = `${sign.protocol}|${resp}`;
    const e = this.evidence('encrypted-dns', `${sign.protocol}: ${sign.what}`, sign.source, m, ev);
    const cur = x.encryptedDns.get(key);
    // A session's event comes when its connection ends: the earliest sign is kept, whatever the order of the events.
    if (cur !== undefined && (e.ts < cur.evidence.ts || (e.ts === cur.evidence.ts && e.packet < cur.evidence.packet))) {
      cur.what = sign.what;
      cur.evidence = e;
    }
    this.put(x, 'encryptedDns', key, () => ({ protocol: sign.protocol, resolver: resp, what: sign.what, count: 1, evidence: e }));
  }

  /**
   * A name asked of the whole segment: an LLMNR query to its multicast group (RFC 4795 §2.1:
   * 224.0.0.252, ff02::1:3) or a NetBIOS name query broadcast (RFC 1002 §4.2.12, NB type). Any
   * host of the segment can answer either with its own address; a unicast query (to a WINS
   * server, or LLMNR's rare unicast) reaches one server and is left out, as are node-status
   * requests, which resolve nothing.
   */
  private nameQuery(ev: AppEvent, c: Conn | null, m: PacketMeta, orig: string, resp: string): void {
    if (c === null) return;
    let protocol: NameQueryObs['protocol'];
    let name: string;
    if (ev.netbios === true) {
      if (c.rPort !== NBNS_PORT || ev.opcode !== 0 || ev.qtype !== NBNS_TYPE_NB || !(resp === '255.255.255.255' || (resp.endsWith('.255') && !resp.includes(':')))) return;
      name = typeof ev.nbns_name === 'string' ? ev.nbns_name.trim() : '';
      // The suffix says what is sought beyond a host's name (<1c> a domain's controllers, <1b> its master browser).
      const suffix = typeof ev.nbns_suffix === 'number' ? ev.nbns_suffix : 0;
      if (name !== '' && suffix !== 0 && suffix !== 0x20) name += `<${suffix.toString(16).padStart(2, '0')}>`;
      protocol = 'NetBIOS';
    } else if (c.rPort === LLMNR_PORT && (resp === '224.0.0.252' || resp === 'ff02::1:3')) {
      name = typeof ev.query === 'string' ? ev.query : '';
      protocol = 'LLMNR';
    } else return;
    if (name === '' || name === '*') return;
    const x = this.host(orig);
    if (x === null) return;
    this.put(x, 'nameQueries', `${protocol}|${name.toLowerCase()}`, () => ({ protocol, name, count: 1, evidence: this.evidence('name-query', `${protocol} query for "${name}" to ${resp}`, protocol === 'LLMNR' ? 'dns.query' : 'dns.nbns_name', m, ev) }));
  }

  /** A host mining crypto-currency, one entry per pool it mined with. */
  private mining(ev: AppEvent, m: PacketMeta): void {
    const x = this.host(String(ev.miner ?? ''));
    if (x === null) return;
    const pool = `${String(ev.pool)}:${String(ev.pool_p)}`;
    const agent = String(ev.agent ?? '');
    const poolHost = String(ev.pool_host ?? '');
    const value = `${String(ev.method)} to ${pool}${poolHost !== '' ? ` (${poolHost})` : ''}${agent !== '' ? ` by ${agent}` : ''}`;
    this.put(x, 'mining', pool, () => ({ pool, dialect: String(ev.dialect), agent, poolHost, count: 1, evidence: this.evidence('cryptomining', value, `stratum.${String(ev.method)}`, m, ev) }));
  }

  /**
   * A site host taking part in BitTorrent (Internet peers are not the site's devices): one entry
   * per protocol, its first packet the evidence, the clients, torrents, transports, peers and
   * trackers gathered (bounded).
   */
  private p2p(addr: string, transport: string, infoHash: string | null, client: string | null, peer: string | null, tracker: string | null, source: string, ev: AppEvent, m: PacketMeta): void {
    if (addr === '' || this.local.isInternet(addr)) return;
    const x = this.host(addr);
    if (x === null) return;
    let o = x.p2p.get('BitTorrent');
    if (o === undefined) {
      const how = transport === 'http-tracker' ? `tracker announce to ${tracker ?? '?'}` : transport === 'lsd' ? 'Local Service Discovery announcement' : transport === 'dht' ? `DHT message to ${peer ?? '?'}` : transport === 'udp-tracker' ? `UDP tracker request to ${peer ?? '?'}` : `peer-wire handshake (${transport === 'utp' ? 'uTP' : 'TCP'}) with ${peer ?? '?'}`;
      const value = `BitTorrent ${how}${infoHash !== null ? `, torrent ${infoHash}` : ''}${client !== null ? `, ${client}` : ''}`;
      o = { protocol: 'BitTorrent', clients: [], infoHashes: [], transports: [], peers: new Set(), trackers: [], count: 0, evidence: this.evidence('p2p-file-sharing', value, source, m, ev) };
      if (x.p2p === NO_ITEMS) x.p2p = new Map();
      x.p2p.set('BitTorrent', o);
    }
    o.count++;
    if (client !== null && o.clients.length < MAX_P2P_LIST && !o.clients.includes(client)) o.clients.push(client);
    if (infoHash !== null && o.infoHashes.length < MAX_P2P_LIST && !o.infoHashes.includes(infoHash)) o.infoHashes.push(infoHash);
    if (!o.transports.includes(transport)) o.transports.push(transport);
    if (peer !== null && o.peers.size < MAX_P2P_PEERS) o.peers.add(peer);
    if (tracker !== null && transport === 'http-tracker' && o.trackers.length < MAX_P2P_LIST && !o.trackers.includes(tracker)) o.trackers.push(tracker);
  }

  /**
   * An SSH server's weak settings: the protocol its banner offers, the algorithms a session
   * negotiated (ssh.log's), the weak ones its KEXINIT lists. The server is the side that did not
   * send the client's messages.
   */
  private sshWeak(ev: AppEvent, c: Conn, m: PacketMeta, orig: string, resp: string): void {
    const serverIsResp = ev.type === 'ssh.session' || ev.is_orig !== true;
    if (ev.type !== 'ssh.session' && ev.client !== false) return;
    const server = serverIsResp ? resp : orig;
    const port = serverIsResp ? c.rPort : c.oPort;
    const x = this.host(server);
    if (x === null) return;
    const put = (kind: SshWeakness['kind'], found: [string, SshAlgorithmWeakness][], value: string, source: string): void => {
      if (found.length === 0) return;
      const items = found.map(([name, w]) => ({ name, why: w.why }));
      this.put(x, 'ssh', `${port}|${kind}|${found.map(([n, w]) => n || w.why).join('|')}`, () => ({ port, kind, items, broken: found.some(([, w]) => w.broken), count: 1, evidence: this.evidence('ssh-settings', value, source, m, ev) }));
    };
    if (ev.type === 'ssh.ident') {
      const w = typeof ev.proto_version === 'string' ? sshProtocolWeakness(ev.proto_version) : null;
      if (w !== null) put('protocol', [['', w]], String(ev.ident ?? ''), 'ssh.ident');
      return;
    }
    if (ev.type === 'ssh.session') {
      const found: [string, SshAlgorithmWeakness][] = [];
      if (ev.version === 1) found.push(['', { broken: true, why: 'protocol 1' }]);
      const check = (kind: SshAlgorithmKind, v: unknown): void => {
        const w = typeof v === 'string' ? sshAlgorithmWeakness(kind, v) : null;
        if (w !== null && typeof v === 'string') found.push([v, w]);
      };
      check('kex', ev.kex_alg);
      check('cipher', ev.cipher_alg);
      check('mac', ev.mac_alg);
      check('host_key', ev.host_key_alg);
      const used = [ev.kex_alg, ev.host_key_alg, ev.cipher_alg, ev.mac_alg].filter((a) => typeof a === 'string').join(', ');
      put('used', found, ev.version === 1 ? 'SSH-1 session' : `negotiated ${used}`, 'ssh.session');
      return;
    }
    const a = ev.algorithms as KexInit | undefined;
    if (a === undefined || !Array.isArray(a.kex)) return;
    const found = new Map<string, SshAlgorithmWeakness>();
    const scan = (kind: SshAlgorithmKind, names: readonly string[] | undefined): void => {
      for (const n of names ?? []) {
        if (found.size >= MAX_SSH_OFFERED || found.has(n)) continue;
        const w = sshAlgorithmWeakness(kind, n);
        if (w !== null) found.set(n, w);
      }
    };
    scan('kex', a.kex);
    scan('host_key', a.hostKey);
    scan('cipher', a.encS2C);
    scan('cipher', a.encC2S);
    scan('mac', a.macS2C);
    scan('mac', a.macC2S);
    put('offered', [...found], `KEXINIT offering ${[...found.keys()].join(', ')}`, 'ssh.kexinit');
  }

  /** A host running a Bitcoin node: one entry per network, counting its connections to peers. */
  private bitcoinNode(ev: AppEvent, m: PacketMeta): void {
    const x = this.host(String(ev.node ?? ''));
    if (x === null) return;
    const network = String(ev.network);
    const agent = typeof ev.user_agent === 'string' ? ev.user_agent.replace(/^\/|\/$/g, '') : '';
    const value = `version message (protocol ${String(ev.version)}${agent !== '' ? `, ${agent}` : ''}) to ${String(ev.peer)} on the Bitcoin ${network} network`;
    this.put(x, 'mining', `bitcoin|${network}`, () => ({ pool: `Bitcoin ${network} network`, dialect: 'bitcoin-p2p', agent, poolHost: '', count: 1, evidence: this.evidence('cryptocurrency-node', value, 'bitcoin.version', m, ev) }));
  }

  /** Weak IKE settings: on the initiator that offered them and the responder that accepted them. */
  private ike(ev: AppEvent, m: PacketMeta, orig: string, resp: string): void {
    const w = ikeWeakness(ev);
    if (w === null) return;
    const proposal = typeof ev.proposal_chosen === 'string' ? ev.proposal_chosen : Array.isArray(ev.proposals_offered) ? (ev.proposals_offered as string[]).join(', ') : '';
    const value = `IKEv${String(ev.version ?? '').slice(0, 1)}${ev.aggressive === true ? ' Aggressive Mode' : ''} ${proposal}: ${w.reasons.join('; ')}`;
    this.weakVpn(w, value, ev.answered === true, ev.proposal_chosen !== undefined ? 'ike.proposal_chosen' : 'ike.proposals_offered', ev, m, orig, resp);
  }

  /** A weak VPN negotiation: on the originator, and on the responder when it answered. */
  private weakVpn(w: WeakSettings, value: string, answered: boolean, source: string, ev: AppEvent, m: PacketMeta, orig: string, resp: string): void {
    const sides: ['initiator' | 'responder', string, string][] = [['initiator', orig, resp]];
    if (answered) sides.push(['responder', resp, orig]);
    for (const [role, self, peer] of sides) {
      const x = this.host(self);
      if (x !== null) this.put(x, 'vpn', `${role}|${peer}|${w.reasons.join('|')}`, () => ({ role, peer, reasons: w.reasons, severe: w.severe, count: 1, evidence: this.evidence('vpn-settings', value, source, m, ev) }));
    }
  }

  private certificate(ev: AppEvent, c: Conn | null, m: PacketMeta, resp: string): void {
    if (ev.is_orig === true || ev.index !== 0) return;
    const server = typeof ev.server === 'string' ? ev.server : resp;
    const x = this.host(server);
    if (x === null) return;
    const cert = (ev.cert ?? {}) as Record<string, unknown>;
    const subject = typeof cert.subject === 'string' ? cert.subject : '';
    const port = c?.rPort ?? 0;
    if (ev.self_signed === true) this.put(x, 'tls', `self-signed|${subject}|${port}`, () => ({ kind: 'self-signed', value: subject, port, count: 1, evidence: this.evidence('tls-certificate', `self-signed: ${subject}`, 'x509.self_signed', m, ev) }));
    if (ev.expired === true) {
      const until = typeof cert.not_valid_after === 'number' ? new Date(cert.not_valid_after * 1000).toISOString().slice(0, 10) : String(cert.not_valid_after ?? '');
      this.put(x, 'tls', `expired|${subject}|${port}`, () => ({ kind: 'expired', value: `${subject} (not valid after ${until})`, port, count: 1, evidence: this.evidence('tls-certificate', `expired ${until}: ${subject}`, 'x509.not_valid_after', m, ev) }));
    }
    // NIST SP 800-131A: RSA and DSA keys below 2048 bits, and SHA-1 or MD5 signatures on
    // certificates, are disallowed (a 1024-bit key or an MD5 signature can be forged or broken).
    const keyType = cert.key_type;
    const keyLen = cert.key_length;
    if ((keyType === 'rsa' || keyType === 'dsa') && typeof keyLen === 'number' && keyLen > 0 && keyLen < MIN_KEY_BITS) {
      const v = `${keyType.toUpperCase()} ${keyLen}-bit key: ${subject}`;
      this.put(x, 'tls', `key|${subject}|${port}`, () => ({ kind: 'key', value: v, port, count: 1, evidence: this.evidence('tls-certificate', v, 'x509.key_length', m, ev) }));
    }
    const sig = typeof cert.sig_alg === 'string' ? cert.sig_alg : '';
    if (WEAK_SIGNATURE.test(sig)) {
      const v = `${sig}: ${subject}`;
      this.put(x, 'tls', `signature|${subject}|${port}`, () => ({ kind: 'signature', value: v, port, count: 1, evidence: this.evidence('tls-certificate', v, 'x509.sig_alg', m, ev) }));
    }
  }

  private conn(c: Conn): void {
    const ob = this.connHost(c.o0, c.o1, c.o2, c.o3);
    const rb = this.connHost(c.r0, c.r1, c.r2, c.r3);
    const orig = ob !== null ? ob.addr : formatAddr(c.o0, c.o1, c.o2, c.o3);
    const resp = rb !== null ? rb.addr : formatAddr(c.r0, c.r1, c.r2, c.r3);
    const upgraded = c.uid !== '' && this.encryptedConns.size > 0 && this.encryptedConns.delete(c.uid);
    if (ob !== null) this.l2(ob, c.origMac, c.vlan);
    if (rb !== null) this.l2(rb, c.respMac, c.vlan);
    // Bare TCP attempts do not count (as in the inventory: a flood's forged sources).
    if (ob !== null && ob.sentPacket === 0 && c.origPkts > 0 && !c.bareAttempt) this.sent(ob, c);
    if (rb !== null && rb.sentPacket === 0 && c.respPkts > 0) this.sent(rb, c);
    if (rb !== null && c.respPkts > 0) this.inbound(c, rb, orig);
    if (ob !== null && c.respPkts > 0) this.outbound(c, ob, resp, upgraded);
    else if (this.connNames.size > 0 && c.uid !== '') this.connNames.delete(c.uid);
    const bytes = c.origBytes + c.respBytes;
    if (bytes <= 0) return;
    const service = c.service;
    const services = service === '' ? NO_SERVICES : service.indexOf(',') < 0 ? [service] : service.split(',');
    let cls = services.length > 0 ? CLS_CLEAR : CLS_UNKNOWN;
    if (upgraded) cls = CLS_ENCRYPTED;
    else for (const sv of services) if (ENCRYPTED_SERVICES.has(sv)) cls = CLS_ENCRYPTED;
    // TLS with a NULL cipher encrypts nothing.
    if (this.nullCipherConns.size > 0 && c.uid !== '' && this.nullCipherConns.delete(c.uid)) cls = CLS_CLEAR;
    addTraffic(this.totals, cls, bytes);
    if (ob !== null) addTraffic(ob.traffic, cls, bytes);
    if (rb !== null) addTraffic(rb.traffic, cls, bytes);
    // Clear-text mail/file services without STARTTLS, known at the connection's end.
    if (rb !== null && cls === CLS_CLEAR) {
      for (const s of services) {
        const d = CLEAR_AT_END[s];
        if (d !== undefined) this.put(rb, 'cleartext', `${s}|${c.rPort}`, () => ({ service: s, port: c.rPort, detail: d, count: 1, evidence: this.connEvidence('cleartext-service', d, 'conn.service', c) }));
      }
    }
    const aFirst = orig < resp;
    const o4 = v4Of(c.o0, c.o1, c.o2, c.o3);
    const r4 = v4Of(c.r0, c.r1, c.r2, c.r3);
    const proto = c.proto === PROTO_TCP ? 'tcp' : c.proto === PROTO_UDP ? 'udp' : 'icmp';
    const ts = tsOf(c.startSec, c.startNsec);
    const added = aFirst
      ? this.pairs.add(orig, resp, o4, r4, true, proto, c.rPort, service, bytes, c.fileIndex, c.firstPacket, ts)
      : this.pairs.add(resp, orig, r4, o4, orig === resp, proto, c.rPort, service, bytes, c.fileIndex, c.firstPacket, ts);
    if (!added) this.dropped++;
  }

  /**
   * A connection endpoint's host, IPv4 ones found by number (most connections' hosts are seen
   * before; the text and its Map lookup are then skipped).
   */
  private connHost(w0: number, w1: number, w2: number, w3: number): HostObs | null {
    const v4 = v4Of(w0, w1, w2, w3);
    if (v4 > 0) {
      const h = this.v4Hosts.get(v4);
      if (h !== undefined) return h;
    }
    const h = this.host(formatAddr(w0, w1, w2, w3));
    if (h !== null && v4 > 0) this.v4Hosts.set(v4, h);
    return h;
  }

  /**
   * A connection from an Internet address that a local host answered: a TCP handshake it
   * completed, or a datagram service (SNMP, BACnet, CoAP …) that replied.
   */
  private inbound(c: Conn, rb: HostObs, orig: string): void {
    const tcp = c.proto === PROTO_TCP;
    if (tcp ? !c.handshakeDone : c.proto !== PROTO_UDP || !INBOUND_UDP.has(c.service)) return;
    if (!this.local.hasWords(c.r0, c.r1, c.r2, c.r3) || !this.local.isInternetWords(c.o0, c.o1, c.o2, c.o3)) return;
    const proto = tcp ? 'tcp' : 'udp';
    const key = `${proto}/${c.rPort}`;
    let x = rb.inbound.get(key);
    if (x === undefined) {
      if (rb.inbound.size >= MAX_ITEMS_PER_HOST) {
        this.dropped++;
        return;
      }
      const service = c.service;
      x = { proto, port: c.rPort, service, clients: [], count: 0, evidence: this.connEvidence('inbound-connection', `${orig} → ${rb.addr} ${key}${service !== '' ? ` ${service}` : ''}`, 'conn', c) };
      if (rb.inbound === NO_ITEMS) rb.inbound = new Map();
      rb.inbound.set(key, x);
    } else if (x.service === '' && c.service !== '') x.service = c.service;
    x.count++;
    if (x.clients.length < MAX_INBOUND_CLIENTS && !x.clients.includes(orig)) x.clients.push(orig);
  }

  /** A name a local host used for the Internet host it connected to (TLS server name, HTTP Host). */
  private nameConn(c: Conn | null, name: string): void {
    if (c === null || name === '' || this.connNames.size >= MAX_MARKED_CONNS) return;
    if (!this.local.hasWords(c.o0, c.o1, c.o2, c.o3) || !this.local.isInternetWords(c.r0, c.r1, c.r2, c.r3)) return;
    // An HTTP Host may carry a port; an address literal names nothing the address does not.
    const host = name.toLowerCase().replace(/:\d{1,5}$/, '');
    if (host === '' || host.startsWith('[') || /^[\d.]+$/.test(host) || host.includes(':')) return;
    const uid = connUid(c);
    if (!this.connNames.has(uid)) this.connNames.set(uid, host.slice(0, 255));
  }

  /** Internet addresses a local host's lookup resolved to, named by the query (A/AAAA answers). */
  private dnsAnswers(c: Conn, query: string, answers: readonly string[]): void {
    if (query === '' || !this.local.hasWords(c.o0, c.o1, c.o2, c.o3)) return;
    for (const a of answers) {
      if (this.dnsNames.size >= MAX_DNS_NAMES) return;
      // CNAME targets and other names are not addresses; the first name an address got stays.
      if (this.dnsNames.has(a) || !this.local.isInternet(a)) continue;
      this.dnsNames.set(a, query.toLowerCase().slice(0, 255));
    }
  }

  /** A local host's connection to an Internet host that answered (TCP handshake, UDP reply). */
  private outbound(c: Conn, ob: HostObs, resp: string, upgraded: boolean): void {
    let name = this.connNames.size > 0 && c.uid !== '' ? this.connNames.get(c.uid) : undefined;
    if (name !== undefined) this.connNames.delete(c.uid);
    if (c.proto === PROTO_TCP ? !c.handshakeDone : c.proto !== PROTO_UDP) return;
    if (!this.local.hasWords(c.o0, c.o1, c.o2, c.o3) || !this.local.isInternetWords(c.r0, c.r1, c.r2, c.r3)) return;
    // A call's media and a transfer's data channel go where their control session said.
    if (c.service !== '' && CHANNEL_SERVICES.has(c.service)) return;
    // Without a TLS server name or HTTP Host, the name the address was looked up by.
    name ??= this.dnsNames.size > 0 ? this.dnsNames.get(resp) : undefined;
    const svc = this.pairs.svcName(c.proto === PROTO_TCP ? 'tcp' : 'udp', c.rPort, c.service);
    let x = ob.outbound.get(resp);
    if (x === undefined) {
      if (ob.outbound.size >= MAX_ITEMS_PER_HOST) {
        this.dropped++;
        return;
      }
      x = { addr: resp, names: null, services: svc, clear: false, count: 0, file: this.paths()[c.fileIndex] ?? '', packet: c.firstPacket, ts: tsOf(c.startSec, c.startNsec), firstName: name ?? '' };
      if (ob.outbound === NO_ITEMS) ob.outbound = new Map();
      ob.outbound.set(resp, x);
    } else if (typeof x.services === 'string') {
      if (x.services !== svc) x.services = [x.services, svc];
    } else if (x.services.length < MAX_OUTBOUND_SERVICES && !x.services.includes(svc)) x.services.push(svc);
    x.count++;
    if (name !== undefined) {
      if (x.names === null) x.names = [name];
      else if (x.names.length < MAX_OUTBOUND_NAMES && !x.names.includes(name)) x.names.push(name);
    }
    if (!x.clear && c.service !== '' && c.service.split(',').some((sv) => CLEAR_TO_INTERNET.has(sv)) && !upgraded) x.clear = true;
  }

  private sent(h: HostObs, c: Conn): void {
    h.sentFile = this.paths()[c.fileIndex] ?? '';
    h.sentPacket = c.firstPacket;
    h.sentTs = tsOf(c.startSec, c.startNsec);
  }

  /** A host's MAC addresses and VLANs (bounded). */
  private l2(h: HostObs, mac: number, vlan: number): void {
    if (mac !== 0) {
      const s = formatMac(mac);
      if (h.macs.length < 8 && !h.macs.includes(s)) h.macs.push(s);
    }
    if (vlan >= 0 && h.vlans.length < 16 && !h.vlans.includes(vlan)) {
      if (h.vlans === NO_VLANS) h.vlans = [];
      h.vlans.push(vlan);
    }
  }
}

const NO_SERVICES: readonly string[] = [];
/** Internet addresses named from DNS answers (the first lookups of a run). */
const MAX_DNS_NAMES = 20_000;
/** Names and services kept per Internet destination. */
const MAX_OUTBOUND_NAMES = 4;
const MAX_OUTBOUND_SERVICES = 8;
const RSYNC_CLEAR = 'rsync daemon: file lists and file contents cross without encryption (rsync has no encryption of its own), and its password check is a challenge answered with an unsalted hash that can be cracked offline';
const RSYNC_OPEN = 'rsync daemon serving a module to anyone who asks: file lists and contents cross without encryption, and no password was asked';
const ISCSI_CLEAR = 'iSCSI without IPsec: the disks\' blocks (image archives, databases, virtual machines) cross the network readable and alterable (iSCSI has no encryption of its own)';
const ISCSI_OPEN = 'iSCSI target that lets any initiator log in without authentication: whoever reaches the port can read and overwrite its disks, and the blocks cross the network in clear';
const REDIS_CLEAR = 'Redis without TLS: AUTH passwords, commands, keys and values readable';
const REDIS_OPEN = 'Redis without TLS and without authentication: it answered data commands on a connection that never authenticated (no requirepass or ACL password; anyone who reaches the port reads and changes the data, and can write files through CONFIG SET dir)';
/** Negotiated channels (media, data transfers): not destinations of their own. */
const CHANNEL_SERVICES = new Set(['rtp', 'rtcp', 'srtp', 'srtcp', 'udptl', 'ftp-data', 'tftp-data']);
/** Protocols whose content (logins, commands, files, clinical data) anyone on the Internet path reads. */
const CLEAR_TO_INTERNET = new Set(['http', 'ftp', 'telnet', 'rlogin', 'smtp', 'pop3', 'imap', 'mqtt', 'amqp', 'dicom', 'hl7', 'astm', 'tftp', 'snmp', 'ldap', 'mysql', 'postgresql', 'mssql', 'rfb', 'syslog', 'coap', 'modbus', 'bacnet', 'niagara_fox', 'redis', 'drda', 'xmpp', 'rsync']);
/** Internet clients named per exposed service. */
const MAX_INBOUND_CLIENTS = 8;


/** An IPv4(-mapped) address's number, or -1. */
function v4Of(w0: number, w1: number, w2: number, w3: number): number {
  return w0 === 0 && w1 === 0 && w2 === 0xffff ? w3 >>> 0 : -1;
}
const CLS_CLEAR = 0;
const CLS_ENCRYPTED = 1;
const CLS_UNKNOWN = 2;

function addTraffic(t: Traffic, cls: number, bytes: number): void {
  if (cls === CLS_CLEAR) {
    t.clear_bytes += bytes;
    t.clear_flows++;
  } else if (cls === CLS_ENCRYPTED) {
    t.encrypted_bytes += bytes;
    t.encrypted_flows++;
  } else {
    t.unknown_bytes += bytes;
    t.unknown_flows++;
  }
}

/** Services judged clear-text from conn.log alone when no STARTTLS happened. */
const CLEAR_AT_END: Record<string, string> = {
  ftp: 'FTP without AUTH TLS',
  pop3: 'POP3 without STLS',
  imap: 'IMAP without STARTTLS',
  smtp: 'SMTP without STARTTLS',
  telnet: 'Telnet',
  rlogin: 'rlogin',
};

