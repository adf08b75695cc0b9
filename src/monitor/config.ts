// Thresholds, windows and bounds of the detectors. docs/monitor.md gives the reasoning behind
// each default; change them there and here together.

export interface MonitorConfig {
  /** Days a device is observed before departures from its behaviour raise alerts (--baseline). */
  learningDays: number;
  /** An alert episode ends after this many seconds without a new observation. */
  quietGapSecs: number;
  /** Evidence items kept per alert. */
  maxEvidence: number;

  /** Zeek scan.zeek: distinct ports of one host probed by one source, per scan interval. */
  portScanThreshold: number;
  /** Zeek scan.zeek: distinct hosts probed on one port by one source, per scan interval. */
  addrScanThreshold: number;
  /** Zeek scan.zeek's scan_interval (a tumbling window). */
  scanIntervalSecs: number;
  /** Distinct IP protocols (other than TCP, UDP, ICMP) one source sends one host per scan interval: an IP protocol scan. */
  protoScanThreshold: number;
  /** CONNECTs one client sends one MQTT broker within floodWindowSecs that make a connection flood. */
  mqttConnectFlood: number;
  /** PUBLISH messages one client sends one MQTT broker within floodWindowSecs that make a publish flood. */
  mqttPublishFlood: number;
  /** Different paths one client asks one web server for that it answers 404 (forced browsing), per scan interval. */
  webNotFoundThreshold: number;
  /** Packets one host receives of one flood kind (SYN, no-SYN TCP, unanswered UDP, ICMP echo) that make a flood … */
  floodPackets: number;
  /** … at this many a second or more … */
  floodPps: number;
  /** … counted in tumbling windows of this many seconds. */
  floodWindowSecs: number;
  /** Files one client renames (or copies and deletes) on one SMB server to one new extension that make ransomware … */
  ransomwareFiles: number;
  /** … within this many seconds (a tumbling window). */
  ransomwareWindowSecs: number;
  /** Backup files one client deletes on one SMB server within ransomwareWindowSecs that make backup destruction. */
  backupDeleteFiles: number;
  /** Different addresses one sender asks ARP for that make an ARP sweep … */
  arpScanThreshold: number;
  /** … within this many seconds (a tumbling window). */
  arpScanWindowSecs: number;

  /** Failed logins from one client to one server over one protocol that make an alert … */
  bruteThreshold: number;
  /** Per-protocol thresholds overriding bruteThreshold (e.g. NTLM, whose clients retry by themselves). */
  bruteThresholds: Record<string, number>;
  /** … within this many seconds (fail2ban's maxretry/findtime). */
  bruteWindowSecs: number;
  /** Distinct SNMP communities one client tries on one agent that count as guessing. */
  snmpCommunityThreshold: number;
  /** An RDP connection shorter than this, with little sent by the server, counts as a failed logon. */
  rdpShortSecs: number;
  rdpShortRespBytes: number;

  /** Distinct internal hosts, never contacted before, that a medical/IoT device reaches … */
  fanoutThreshold: number;
  /** Different services one client gets RC4/DES service tickets for that make Kerberoasting … */
  kerberoastServices: number;
  /** … within this many seconds (AS-REP roasting's window too). */
  kerberoastWindowSecs: number;
  /** Different accounts one client gets AS-REPs without pre-authentication for (within kerberoastWindowSecs) that make AS-REP roasting. */
  asrepRoastAccounts: number;
  /** Different names one client asks AS tickets for without pre-authentication, never logging on with them (within kerberoastWindowSecs), that make Kerberos user enumeration. */
  krbEnumAccounts: number;
  /** … within this many seconds. */
  fanoutWindowSecs: number;
  /**
   * Seconds a connection waits for its source's category to become known (inventory lag).
   * Infinity when categories only exist at the end of the input (analyze: the inventory is built
   * after the last packet).
   */
  pendingTtlSecs: number;
  /**
   * Seconds a DCE/RPC call waits for proof that its source or target is a domain controller
   * (domain-attack: DCSync from a non-DC, coercion of a DC). Infinity: until the end of the input.
   */
  domainProofWaitSecs: number;

  /** Devices whose baselines raise new-peer/new-service/new-external/unusual-hours alerts. */
  baselineScope: 'medical_iot' | 'all';
  /** Bytes in one hour above this multiple of the learned busiest hour are a spike … */
  spikeFactor: number;
  /** … and never below this many bytes (small devices' hours vary a lot in relative terms). */
  spikeFloorBytes: number;
  /** UTC offset of the site in minutes, for hour-of-day baselines. */
  utcOffsetMinutes: number;

  /** A second MAC claiming an IP this soon after the first one was last seen is a flip. */
  arpFlipWindowSecs: number;
  /** DHCP servers allowed to answer; empty: the first server seen on a segment is the legitimate one. */
  dhcpServers: string[];
  /**
   * DHCP starvation: one Ethernet source asking (DISCOVER/REQUEST, not relayed) for this many
   * client hardware addresses other than its own within dhcpStarvationWindowSecs …
   */
  dhcpStarvationClients: number;
  /** … or this many different clients sending DISCOVERs on one link within it (tools that forge the Ethernet source too). */
  dhcpStarvationDiscovers: number;
  dhcpStarvationWindowSecs: number;
  /** IPv6 routers (link-local or global address, or MAC) allowed to send router advertisements; empty: the first router of a link and redundant ones that advertise the same prefixes. */
  ipv6Routers: string[];
  /** IPv4 routers (address or MAC) hosts may be redirected to (ICMP redirect) or that may advertise by ICMP router discovery; empty: redirects are judged by their sender's ARP binding only. */
  ipv4Routers: string[];
  /** Bridge MACs allowed to be the Spanning Tree root; empty: the first root a link's BPDUs name is its root. */
  stpRootBridges: string[];
  /** SNMP managers whose writes are expected (network management stations, printer management such as HP Web Jetadmin), as CIDRs; listed, any other host's accepted write is an alert too. */
  snmpManagers: string[];
  /** Hosts whose port mappings on the gateway (UPnP, NAT-PMP, PCP) are expected, as CIDRs: not judged by port-mapping. */
  portMappingAllow: string[];
  /** Masters of building and industrial controllers (building management servers, engineering stations), as CIDRs; listed, a Modbus/BACnet/S7comm/DNP3/IEC 104 command from any other host is an alert. Empty: a controller's first commander is its master. */
  icsMasters: string[];
  /** Directory clients whose bulk LDAP searches are expected (synchronisation, identity management), as CIDRs: not judged by ldap-recon. */
  ldapClients: string[];
  /** LDAP entries one client receives, from searches of 20 or more entries each, within ldapDumpWindowSecs that make a directory dump. */
  ldapDumpEntries: number;
  /** … within this many seconds. */
  ldapDumpWindowSecs: number;
  /** Destinations whose regular check-ins are known (vendor telemetry, monitoring): addresses or prefixes, and DNS names (a name covers its subdomains); not judged by c2-beacon. */
  beaconAllow: string[];
  /** c2-beacon: answered TCP connections from one host to one destination and port before the rhythm is judged. */
  beaconMinConns: number;
  /** … their median interval is at least this many seconds (faster is polling, not checking in) … */
  beaconMinIntervalSecs: number;
  /** … and their intervals and byte counts deviate from their medians by at most this fraction (median absolute deviation). */
  beaconJitter: number;
  /** Destinations bulk uploads to are expected (backup, cloud storage): addresses or prefixes, and DNS names (covering their subdomains); not judged by data-exfiltration. */
  exfilAllow: string[];
  /** data-exfiltration: bytes one internal host sends to one Internet address (at least 4 times what it receives) … */
  exfilBytes: number;
  /** … within this many seconds. */
  exfilWindowSecs: number;
  /** Distinct random-looking registered domains one client is answered NXDOMAIN for within 10 minutes that make a domain generation algorithm (dga). */
  dgaDomains: number;
  /** DNS secondaries allowed zone transfers, as CIDRs; listed, any other requester is judged at once. Empty: a requester that answers DNS queries itself is a secondary. */
  dnsSecondaries: string[];
  /** DICOM bulk query: a query/retrieve C-FIND whose keys all match anything that is sent this many matches. */
  dicomBulkQueryMatches: number;
  /** Voice VLANs besides those an LLDP-MED network policy or a CDP VoIP VLAN Reply names (where neither is seen): a host DHCPing on one and off it, no phone, is voice VLAN hopping. */
  voiceVlans: number[];
  /** Spanning Tree flood: this many different bridges sending BPDUs on one link within stpFloodWindowSecs … */
  stpFloodBridges: number;
  /** … or this many topology change notifications there within it. */
  stpFloodTcns: number;
  stpFloodWindowSecs: number;
  /** Forged-source flood: this many different internal addresses sending unanswered packets through one MAC within spoofFloodWindowSecs. */
  spoofFloodSources: number;
  spoofFloodWindowSecs: number;
  /** MAC flood: this many different group (multicast) Ethernet sources, which no station sends from, on one link within macFloodWindowSecs. */
  macFloodSources: number;
  macFloodWindowSecs: number;
  /**
   * MAC flood from unicast sources: this many new locally administered sources on one link within
   * macFloodWindowSecs (mausezahn -a rand keeps to unicast; VMs and phones' private Wi-Fi
   * addresses are locally administered too) …
   */
  macFloodLocalSources: number;
  /** … when at least this share of the link's frames from locally administered sources in that window were a new source's first: a flood's made-up sources send one frame each, a VM or a phone many. */
  macFloodLocalShare: number;
  /** CDP or LLDP flood: this many different devices announcing themselves on one link within neighborFloodWindowSecs. */
  neighborFloodSenders: number;
  neighborFloodWindowSecs: number;
  /** Different routers advertising on one link within raFloodWindowSecs that make a router-advertisement flood. */
  raFloodRouters: number;
  raFloodWindowSecs: number;
  /** Different queries carrying data (a part below the domain of at least dnsTunnelMinChars) to one domain from one client that make a DNS tunnel … */
  dnsTunnelQueries: number;
  /** … within this many seconds; */
  dnsTunnelWindowSecs: number;
  dnsTunnelMinChars: number;
  /** Domains whose long names are reputation lookups (antivirus), not tunnels. */
  dnsTunnelAllow: string[];
  /** Different names one host answers LLMNR/NBNS queries for with its own address that make poisoning … */
  poisonNames: number;
  /** … within this many seconds. */
  poisonWindowSecs: number;
  /** 802.11 deauthentication/disassociation frames in the name of one transmitter that make a flood … */
  deauthThreshold: number;
  /** … within this many seconds. */
  deauthWindowSecs: number;
  /**
   * The site's access points (BSSIDs). Set: any other access point announcing one of their
   * network names is a rogue. Empty: only a weaker copy of a network name is (an evil twin).
   */
  wifiAccessPoints: string[];
  /**
   * Raise the alerts the assessment also reports as findings (rogue-ap, remote-access): on in
   * monitor, which has no assessment of its own unless --db; off in analyze, so they are not
   * reported twice.
   */
  postureAlerts: boolean;

  /** Internal address ranges (CIDR); default RFC 1918, RFC 6598, loopback, link-local, RFC 4193. */
  internalNets: string[];
  /** Sources never reported as scanners (vulnerability scanners, monitoring systems), as CIDRs. */
  scanAllow: string[];
  /** Sources whose remote execution is expected (software distribution, administration servers), as CIDRs. */
  remoteExecAllow: string[];
  /** Backup and media servers (CIDRs) whose deletions of backup files are their own retention. */
  backupAllow: string[];
  /** Printer management stations (HP Web Jetadmin, Zebra's tools) whose PJL/ZPL configuration commands are expected, as CIDRs. */
  printerAdminAllow: string[];
  /** Redis Sentinels and administration hosts whose CONFIG SET, REPLICAOF and MODULE commands are expected, as CIDRs. */
  redisAdminAllow: string[];

  /** Bounds on tracked state (what happens past each: docs/monitor.md "Bounded state"). */
  maxSources: number;
  /** Failed-attempt references held by the scan detector over all sources (about 17 MiB when full). */
  maxScanProbes: number;
  maxDevices: number;
  maxPeersPerDevice: number;
  maxServicesPerDevice: number;
  maxOpenAlerts: number;
  maxKeptAlerts: number;
  maxArpEntries: number;
  maxPending: number;
}

export const DEFAULT_CONFIG: Readonly<MonitorConfig> = Object.freeze({
  learningDays: 7,
  quietGapSecs: 3600,
  maxEvidence: 10,

  portScanThreshold: 15,
  addrScanThreshold: 25,
  scanIntervalSecs: 300,
  protoScanThreshold: 10,
  arpScanThreshold: 50,
  webNotFoundThreshold: 50,
  mqttConnectFlood: 100,
  mqttPublishFlood: 5000,
  floodPackets: 1000,
  floodPps: 100,
  floodWindowSecs: 10,
  arpScanWindowSecs: 60,
  ransomwareFiles: 20,
  ransomwareWindowSecs: 120,
  backupDeleteFiles: 3,

  bruteThreshold: 5,
  bruteThresholds: { ntlm: 10 },
  bruteWindowSecs: 600,
  snmpCommunityThreshold: 5,
  rdpShortSecs: 30,
  rdpShortRespBytes: 32 * 1024,

  fanoutThreshold: 10,
  kerberoastServices: 10,
  kerberoastWindowSecs: 600,
  asrepRoastAccounts: 3,
  krbEnumAccounts: 10,
  fanoutWindowSecs: 600,
  pendingTtlSecs: 3600,
  domainProofWaitSecs: 300,

  baselineScope: 'medical_iot',
  spikeFactor: 10,
  spikeFloorBytes: 50 * 1024 * 1024,
  utcOffsetMinutes: 0,

  arpFlipWindowSecs: 600,
  dhcpServers: [],
  dhcpStarvationClients: 10,
  dhcpStarvationDiscovers: 300,
  dhcpStarvationWindowSecs: 60,
  ipv6Routers: [],
  ipv4Routers: [],
  stpRootBridges: [],
  voiceVlans: [],
  dicomBulkQueryMatches: 100,
  snmpManagers: [],
  portMappingAllow: [],
  ldapClients: [],
  beaconAllow: [],
  beaconMinConns: 10,
  beaconMinIntervalSecs: 5,
  beaconJitter: 0.2,
  dgaDomains: 20,
  exfilAllow: [],
  exfilBytes: 100_000_000,
  exfilWindowSecs: 3600,
  ldapDumpEntries: 1000,
  ldapDumpWindowSecs: 600,
  icsMasters: [],
  dnsSecondaries: [],
  stpFloodBridges: 20,
  stpFloodTcns: 100,
  stpFloodWindowSecs: 60,
  neighborFloodSenders: 100,
  macFloodSources: 50,
  macFloodWindowSecs: 10,
  macFloodLocalSources: 1000,
  macFloodLocalShare: 0.8,
  spoofFloodSources: 256,
  spoofFloodWindowSecs: 10,
  neighborFloodWindowSecs: 2,
  raFloodRouters: 10,
  raFloodWindowSecs: 60,
  dnsTunnelQueries: 30,
  dnsTunnelWindowSecs: 600,
  dnsTunnelMinChars: 24,
  // Antivirus and reputation services that ask DNS about file hashes and URLs: Sophos, McAfee
  // GTI, ESET, Kaspersky, Trend Micro, Spamhaus/SURBL-style blocklists.
  dnsTunnelAllow: ['sophosxl.net', 'avqs.mcafee.com', 'avts.mcafee.com', 'e5.sk', 'kaspersky-labs.com', 'trendmicro.com', 'spamhaus.org', 'surbl.org', 'uribl.com'],
  poisonNames: 3,
  poisonWindowSecs: 600,
  deauthThreshold: 30,
  deauthWindowSecs: 60,
  wifiAccessPoints: [],
  postureAlerts: true,

  internalNets: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128'],
  scanAllow: [],
  remoteExecAllow: [],
  backupAllow: [],
  printerAdminAllow: [],
  redisAdminAllow: [],

  maxSources: 10_000,
  maxScanProbes: 131_072,
  maxDevices: 20_000,
  maxPeersPerDevice: 256,
  maxServicesPerDevice: 64,
  maxOpenAlerts: 10_000,
  maxKeptAlerts: 10_000,
  maxArpEntries: 65_536,
  maxPending: 4096,
});

export function monitorConfig(over: Partial<MonitorConfig> = {}): MonitorConfig {
  const c: MonitorConfig = { ...DEFAULT_CONFIG, ...over } as MonitorConfig;
  for (const [k, v] of Object.entries(c)) {
    if ((k === 'pendingTtlSecs' || k === 'domainProofWaitSecs') && v === Infinity) continue;
    if (typeof v === 'number' && (!Number.isFinite(v) || (v < 0 && k !== 'utcOffsetMinutes'))) throw new RangeError(`monitor option ${k} must be a non-negative number (got ${v})`);
  }
  return c;
}
