// The behaviour rules: one row each with the severity, title and remediation an alert (and the
// finding made from it) carries. Detectors only say which rule fired and why; the table says
// how bad it is, as nDPI's risk table does for its dissectors.
import type { Severity } from '../report/model.js';

export interface RuleInfo {
  severity: Severity;
  title: string;
  remediation: string;
}

export const RULES = {
  scan: {
    severity: 'medium',
    title: 'Network scan',
    remediation: 'Identify the scanning host; if it is not an authorised scanner, isolate it and check it for compromise. List authorised scanners in scanAllow.',
  },
  'brute-force': {
    severity: 'high',
    title: 'Repeated failed logins (password guessing)',
    remediation: 'Block or isolate the source, check the target account for a later successful login, enforce lockout and strong or certificate-based authentication.',
  },
  'lateral-movement': {
    severity: 'high',
    title: 'Medical/IoT device used as a stepping stone',
    remediation: 'A medical or IoT device should not open remote-administration sessions or reach many internal hosts: isolate it, review its integrity with the vendor, and restrict its segment to the flows it needs.',
  },
  cryptomining: {
    severity: 'high',
    title: 'Crypto-currency mining',
    remediation: 'Treat the host as compromised: isolate it, find how the miner got there and close that way in, remove the miner and rebuild the host from a known-good image (a medical device with its vendor); block the pool and outbound Stratum for devices that do not need the Internet.',
  },
  ransomware: {
    severity: 'critical',
    title: 'Ransomware encrypting a file share',
    remediation: "Cut the client off the network now (its switch port, or the EDR's network containment) and disable the account its SMB session uses; make the share read-only or take it offline until the client is clean. Find the ransomware on the client (its files, the process that holds the session) and how it arrived, then restore the changed files from backups the client could not reach (offline or immutable), checking that no other host is encrypting. Limit write access to shares to the users and hosts that need it, and keep medical and IoT devices off general file shares.",
  },
  'backup-deletion': {
    severity: 'high',
    title: 'Backup files deleted over SMB',
    remediation: "Find out at once who deleted the backups: if not the backup software's own retention on its own server, treat the client as compromised (ransomware operators destroy backups first, then encrypt) — cut it off and disable the account its session uses. Check that other copies are intact (offline, immutable or off-site), make the backup repository writable only by the backup server's service account (not a general share), and turn on the backup product's immutability or recycle-bin protection.",
  },
  'p2p-file-sharing': {
    severity: 'medium',
    title: 'Peer-to-peer file sharing',
    remediation: 'Find out who installed the BitTorrent client and why; remove it unless it is sanctioned and check the host for malware that came with its downloads and for data it shared (bittorrent.log: torrents and peers). Block BitTorrent at the edge with an application-aware firewall (any port, TCP and UDP) and allow the host only the Internet destinations it needs.',
  },
  'threat-intel': {
    severity: 'high',
    title: 'Threat-intelligence indicator seen',
    remediation: 'Find out why the host reached or received what the feed lists (the evidence says where: a DNS query, a connection, a file\'s hash): block the indicator at the firewall, DNS resolver or proxy and check the host for compromise.',
  },
  'remote-execution': {
    severity: 'high',
    title: 'Program copied to or started on another host (PsExec-style remote execution)',
    remediation: 'Confirm with the source host\'s owner that this was an administrator\'s or a deployment tool\'s action; if not, isolate both hosts, block SMB (445) and RPC (135) between workstations and to medical devices, and check the target for the copied file and new services or tasks. List deployment and administration servers in remoteExecAllow.',
  },
  'printer-attack': {
    severity: 'medium',
    title: "Printer attacked over its raw port (PJL/ZPL file access, settings, passwords, display)",
    remediation: "Find out who ran the commands from the source host; if not a printer administrator's tool, isolate the host. On the printer: set a PJL password and turn PJL file system access and PJL Access Commands off (HP: \"File System External Access\"), set a ZPL password (^KP) on label printers, restore its settings, check its stored jobs and files, and accept port 9100 only from the print server. List printer management stations in printerAdminAllow.",
  },
  'redis-attack': {
    severity: 'high',
    title: 'Redis attacked through its administration commands (file write, rogue master, module load, Lua escape)',
    remediation: "Find out who sent the commands from the source host; if not a Sentinel or an administrator, isolate the host and treat the Redis server as compromised: look for new cron jobs, SSH authorized_keys and web files written by the redis user, loaded modules (MODULE LIST) and a changed replication master (ROLE), and put dir, dbfilename and replicaof back. Then require passwords (requirepass or ACL users), keep protected-mode on and the port reachable only from the application hosts, deny CONFIG, SLAVEOF/REPLICAOF, MODULE and DEBUG to application users (ACL -@dangerous), and run a build fixed for CVE-2022-0543. List Sentinels and administration hosts in redisAdminAllow.",
  },
  ghostcat: {
    severity: 'high',
    title: 'Ghostcat (CVE-2020-1938) file read over AJP',
    remediation: "Find out who sent the request from the source host; if not your own vulnerability scanner, isolate the host. On the servlet container: update Tomcat to 9.0.31, 8.5.51, 7.0.100 or later (JBoss/WildFly and other Tomcat-based products: their fixes for CVE-2020-1938); bind the AJP connector to 127.0.0.1 or the web server's address (address=), require its secret (Tomcat 9.0.31+: secretRequired with secret; mod_jk secret, mod_proxy_ajp secret=), or remove the connector if no web server uses it; then treat what the web application's files hold (WEB-INF/web.xml, database passwords in its configuration) as disclosed.",
  },
  'domain-attack': {
    severity: 'critical',
    title: 'Active Directory attack technique (DCSync, coerced authentication, PrintNightmare, Kerberoasting, user enumeration)',
    remediation: 'Isolate the source host and treat the credentials it used as compromised. DCSync: reset the krbtgt password twice and the dumped accounts, and restrict replication rights to domain controllers. Coercion: enable EPA and SMB/LDAP signing, disable the Print Spooler on domain controllers, patch MS-EFSR (KB5005413). PrintNightmare: apply the CVE-2021-34527 updates and disable the spooler where not needed. Kerberoasting: give the service accounts long random passwords (group managed service accounts) and AES-only keys, and watch them for logons. AS-REP roasting: require Kerberos pre-authentication on every account (clear "Do not require Kerberos preauthentication") and change the passwords of those that lacked it. User enumeration: find out who ran it from the source host; the names the KDC confirmed are the ones a spray or roast will try next, so check they have strong passwords and pre-authentication, and watch the domain controllers for 4768/4771 events on them.',
  },
  'new-peer': {
    severity: 'low',
    title: 'New internal peer outside the learned baseline',
    remediation: 'Confirm the new connection is expected (new server, software update); otherwise investigate the device.',
  },
  'new-service': {
    severity: 'low',
    title: 'Device offers a service it never offered before',
    remediation: 'Check whether the service was enabled on purpose; close it if not.',
  },
  'new-external-destination': {
    severity: 'medium',
    title: 'Medical/IoT device contacts a new external destination',
    remediation: 'Confirm the destination (vendor cloud, update server); block egress the device does not need.',
  },
  'unusual-hours': {
    severity: 'low',
    title: 'Activity at an hour of day never seen during learning',
    remediation: 'Confirm the activity is expected (maintenance window, new shift pattern).',
  },
  'traffic-spike': {
    severity: 'medium',
    title: 'Traffic volume far above the learned maximum',
    remediation: 'Look for bulk transfers the device should not make (exfiltration, backup misconfiguration, worm traffic).',
  },
  'exploit-probe': {
    severity: 'high',
    title: 'Probe for a wormable exploit (EternalBlue MS17-010 check, DoublePulsar ping, BlueKeep MS_T120)',
    remediation: "Treat the client as infected or in an attacker's hands unless it is a sanctioned scanner (list those in scanAllow): isolate it and look for the worm or tool that sent the probes. On every server it probed: install MS17-010 (or the cumulative update that carries it) and turn SMBv1 off (`Set-SmbServerConfiguration -EnableSMB1Protocol $false`; `server min protocol = SMB2` on Samba); a server that answered as unpatched is exploitable now — take it off the network until patched —, and one that answered the DoublePulsar ping as implanted is compromised: rebuild it. For BlueKeep: install CVE-2019-0708's update on Windows 7, Server 2008 and 2008 R2 (and XP/2003 from Microsoft's out-of-band release), require Network Level Authentication, and keep 3389 closed to all but the administrators' hosts. Medical devices that cannot be patched belong behind a firewall that blocks 139/445 and 3389 from everything but the hosts that need them.",
  },
  'wormable-exploit': {
    severity: 'critical',
    title: 'Wormable exploit sent, or its implant commanded (EternalBlue MS17-010, DoublePulsar)',
    remediation: "Isolate the client now: a host that sends EternalBlue runs a worm (WannaCry, NotPetya and their successors) or an attacker's tool; find it, take it off the network and rebuild it. Treat the server as compromised unless it is known patched — install MS17-010 (or a cumulative update that carries it), look for the DoublePulsar implant (the monitor's exploit-probe answers, or Microsoft's and the vendors' tools) and for new services, accounts and scheduled tasks — and turn SMBv1 off (`Set-SmbServerConfiguration -EnableSMB1Protocol $false`; `server min protocol = SMB2` on Samba). Medical devices that cannot be patched belong behind a firewall that blocks 139/445 from everything but the hosts that need them; check the others on the same segment, which the worm reaches next.",
  },
  'dicom-polyglot': {
    severity: 'high',
    title: 'DICOM file carrying an executable in its preamble (PE/DICOM polyglot, CVE-2019-11687)',
    remediation: "Treat the file as malware: find it by its hash (the evidence) on the receiver, the sender and the PACS or share it went to, quarantine every copy, and do not open it outside the imaging viewer's sandbox — on Windows it runs as a program, and the malware inside is protected health information that backups and archives keep. Check the sender for compromise: a workstation, modality or web server that hands out such files is infected or in an attacker's hands. Have the PACS and the modalities' import paths reject Part 10 files whose preamble is neither zeros nor a TIFF header (the mitigation PS3.10 and NEMA's advisory suggest), and scan imported studies with antivirus that understands DICOM.",
  },
  'exploit-attempt': {
    severity: 'high',
    title: 'Web exploitation attempt (injection, traversal, known exploits)',
    remediation: "Find out who sent the requests from the source host; if it is not a sanctioned vulnerability scanner (list those in scanAllow), isolate it and check it for compromise. On the target: patch the web server and the application for the CVEs named (Log4j 2.17.1+, bash after CVE-2014-6271, Spring Framework 5.3.18+, PHPUnit without eval-stdin.php in the web root, Apache 2.4.51+), look in its logs for the requests the server answered with success and for files or processes they left, and put its administration interface behind a firewall or VPN that only its users reach (a medical device's web interface is no Internet service).",
  },
  'dos-flood': {
    severity: 'high',
    title: 'Denial-of-service flood',
    remediation: "Find the source: one internal host flooding is compromised or misconfigured (a stress-test tool, a looping script), so isolate it; forged or Internet sources are filtered where the traffic enters (rate limits and SYN cookies on the firewall, the ISP's scrubbing for volumetric floods). Put medical devices behind firewall rules that let only their own peers reach them (wardline policy writes those from the observed traffic), so a flood from elsewhere never gets to them, and check that the target recovered (a pump or monitor may need a restart, and its clinical users may have lost data while it was unreachable).",
  },
  'arp-spoofing': {
    severity: 'high',
    title: 'IP address claimed by a second MAC (ARP spoofing)',
    remediation: 'Find the port of the new MAC; enable dynamic ARP inspection / port security on the switch.',
  },
  'nd-spoofing': {
    severity: 'high',
    title: 'IPv6 address claimed by a second MAC (Neighbor Discovery spoofing)',
    remediation: 'Find the port of the new MAC; enable IPv6 ND inspection and source guard (SAVI) on the switch, as dynamic ARP inspection does for IPv4.',
  },
  'rogue-router': {
    severity: 'high',
    title: 'Unexpected router advertising',
    remediation: 'Find and disconnect the device (a consumer router, a host sharing its connection, an attack tool); enable RA Guard (RFC 6105) on the switch ports of hosts so only the routers\' ports may send IPv6 router advertisements, and turn ICMP router discovery (RFC 1256) off on IPv4 hosts; list legitimate routers in ipv6Routers and ipv4Routers.',
  },
  'stp-root-claim': {
    severity: 'high',
    title: 'Spanning Tree root taken over (a bridge claims a better root)',
    remediation: "Find the port the BPDUs came in on and shut it if no switch belongs there. Enable BPDU Guard (or BPDU filtering) on every access port, so a host or a consumer switch plugged into a wall port cannot speak Spanning Tree, and Root Guard on the designated ports towards access switches; set the core switches' bridge priorities low (0 and 4096) so no other switch can win, and list them in stpRootBridges.",
  },
  'switch-spoofing': {
    severity: 'high',
    title: 'Trunk requested by a host (DTP switch spoofing)',
    remediation: "Find the switch port the DTP frames came in on and shut it if no switch belongs there; check whether it became a trunk (`show interfaces trunk`). Configure every access port as `switchport mode access` with `switchport nonegotiate` so that it never negotiates a trunk, and trunk ports as `switchport mode trunk` with `switchport nonegotiate`; put unused ports in an unused VLAN, shut down.",
  },
  'vlan-hopping': {
    severity: 'high',
    title: 'Double-tagged frames from a host (VLAN hopping)',
    remediation: "Find the switch port of the MAC and shut it if the host is not known; check what it reached in the inner VLAN. Make the native VLAN of every trunk an unused VLAN that no access port belongs to (or tag the native VLAN: `vlan dot1q tag native`), so that no host's untagged traffic can ride a trunk untagged, and keep access ports out of VLAN 1.",
  },
  'mac-clone': {
    severity: 'medium',
    title: "A device's MAC used by another system (its DHCP fingerprint changed)",
    remediation: "Find the switch port the MAC is on now and what is plugged in there; if it is not the device (a laptop where a pump gateway or printer should be), disconnect it and look for the device. MAC authentication (MAB) trusts the MAC alone: add profiling to it (the NAC's DHCP and CDP/LLDP profile must match the device type, and a change ends the session), use 802.1X where the device supports it, bind the MAC to its port (port security, sticky MACs) for devices that never move, and keep medical devices' firewall rules narrow so an impostor gains little.",
  },
  'zone-transfer': {
    severity: 'medium',
    title: 'DNS zone transfer to a host that is not a secondary',
    remediation: "Find who asked and why; if the zone was sent, treat its names and addresses as known to whoever asked. Restrict transfers to the secondaries (BIND `allow-transfer { <secondaries>; };` with TSIG keys; Windows DNS: Zone Transfers → only to the servers listed on the Name Servers tab, or none for Active Directory-integrated zones, which replicate through AD), and list the secondaries in dnsSecondaries so any other requester stands out.",
  },
  'ics-command': {
    severity: 'high',
    title: 'Building or industrial controller commanded by another master (Modbus, BACnet, S7comm, DNP3)',
    remediation: "Find the host and whether it is a sanctioned engineering station; with the facilities team, check the controller's setpoints, outputs and program against the building management system's record and put back what changed (an operating room's temperature and pressure, a pharmacy refrigerator, a medical gas alarm). Put controllers on their own segment behind a firewall that admits only the building management servers and engineering stations, on the protocol's port only (Modbus 502, BACnet 47808, S7 102, DNP3 20000); turn on what the controller offers (BACnet/SC, S7 access protection, DNP3 Secure Authentication), and list the masters in icsMasters so any other commander stands out.",
  },
  'snmp-write': {
    severity: 'high',
    title: 'Device changed over SNMP (configuration copy, interface shut, or an unlisted manager)',
    remediation: "Find the host that wrote and whether it is a management station; on the agent, check what changed (`show archive log config`, the interface states, the configuration's last change) and, after a configuration copy, treat every password and key in that configuration as disclosed: change them. Take the read-write community off devices that do not need SNMP writes (`no snmp-server community private RW`), move to SNMPv3 with authPriv users, and bind SNMP access to the management stations with an ACL (`snmp-server community … RO 10` / an SNMP view); list the stations in snmpManagers so any other writer stands out.",
  },
  'port-mapping': {
    severity: 'medium',
    title: 'Host asked the Internet gateway to open a port to it (UPnP, NAT-PMP or PCP port mapping)',
    remediation: "Find what on the host asked (the process with the connection to the gateway's control URL) and whether it is sanctioned; if not, treat the host as compromised — malware maps ports to be reachable or to proxy others' traffic — and check the gateway's mapping table (its UPnP / NAT-PMP status page, or `upnpc -l`) for what is still open, and remove it. Turn UPnP IGD, NAT-PMP and PCP off on the gateway or firewall (they let any host on the LAN open inbound ports with no authentication); publish services only through reviewed firewall rules, and list hosts whose mappings are expected in portMappingAllow.",
  },
  'data-exfiltration': {
    severity: 'medium',
    title: 'Bulk upload to an Internet host (data exfiltration)',
    remediation: "Find what on the host sent the data (the process with the connection, the files it read) and whether the destination is a sanctioned backup or cloud service — if so, list it in exfilAllow. If not, treat what the host could read as stolen: isolate it, preserve its disk and memory, block the destination, and start the breach process (patient data leaving is reportable). Give medical and IoT devices an egress allow list of their vendor services, and send servers' Internet traffic through a proxy that logs uploads.",
  },
  'dga': {
    severity: 'medium',
    title: 'Random-looking domains that do not exist (domain generation algorithm)',
    remediation: "Treat the host as infected: isolate it, find the process making the lookups (Sysmon event 22, the EDR's DNS events) and collect its memory and disk before cleaning or reimaging. Block the domain that resolved at the resolver and the firewall, and sinkhole the rest (a response policy zone); on the resolver, log queries so the next one is found by its source. If the client is itself a resolver, its log names the host that asked.",
  },
  'c2-beacon': {
    severity: 'medium',
    title: 'Regular check-ins to an Internet host (command-and-control beaconing)',
    remediation: "Find the process on the host that makes the connections (netstat/Get-NetTCPConnection at the next check-in, the EDR's network events) and what the destination is: a vendor's telemetry or update service is expected — list it in beaconAllow —, anything else is treated as an implant: isolate the host, collect its memory and disk, and block the destination at the firewall and proxy. Medical and IoT devices should reach only the vendor services their documentation names, through an egress allow list.",
  },
  'ldap-recon': {
    severity: 'medium',
    title: 'Directory reconnaissance over LDAP (a dump, or the searches of AD attack tools)',
    remediation: "Find out who ran the searches from the client host and with which account (the bind before them in ldap.log): if not a sanctioned administrator or audit, isolate the host and reset the account's password. What was asked for is what to harden next: give accounts with service principal names long random passwords (group managed service accounts) and AES-only keys, require Kerberos pre-authentication everywhere, remove unneeded delegation, and make sure only administrators can read LAPS passwords. Require LDAP signing and channel binding so searches are not sent in clear, and list directory synchronisation servers in ldapClients.",
  },
  'dicom-bulk-query': {
    severity: 'high',
    title: "A DICOM archive's patient list enumerated (bulk query)",
    remediation: "Find who ran the query (the client's host and AE title) and whether it retrieved studies afterwards (C-MOVE or C-GET from the same host): if it is not a sanctioned migration or research export, treat the patients' records as disclosed. Let the archive answer queries only from known AE titles bound to their hosts' addresses (the PACS's AE title and IP allow list), and limit how many matches one query may return; put the archive behind a firewall that admits only the modalities and viewers that need it, and require DICOM TLS with client certificates where the PACS supports it.",
  },
  'voice-vlan-hopping': {
    severity: 'high',
    title: 'A host on the voice VLAN (voice VLAN hopping)',
    remediation: "Find the switch port of the MAC (a phone's port, or a wall port with a voice VLAN) and shut it if the host is not known; check what it reached on the voice VLAN (call servers, phones' web and provisioning pages). Grant the voice VLAN only to authenticated phones: 802.1X or MAB in multi-domain mode (`authentication host-mode multi-domain`), which puts an authenticated phone, and nothing else, in the voice domain; a switch that trusts CDP or LLDP-MED alone is fooled by a spoofed announcement. Configure a voice VLAN only on ports that have a phone, filter the voice VLAN to what phones need (SIP, RTP, provisioning from the call servers) with an ACL or the firewall, and keep medical devices off it.",
  },
  'vtp-takeover': {
    severity: 'high',
    title: 'VTP domain taken over (a higher revision from another updater)',
    remediation: "Find the switch port the VTP summary came in on and shut it; restore the VLAN database on the domain's server from its saved configuration and check that every switch has its VLANs back (`show vlan brief`, `show vtp status`). Set a VTP password (VTP version 3 with a hidden password and a primary server, which only `vtp primary` can change) or run VTP in transparent or off mode, so that no switch takes its VLANs from an advertisement; reset the configuration revision of any switch before it joins the network (change its domain name and back), and filter VTP from access ports (`switchport mode access` with `switchport nonegotiate`).",
  },
  'mac-flood': {
    severity: 'high',
    title: 'MAC flood (the switches\' MAC tables filled with made-up addresses)',
    remediation: "Find the port the frames came in on (the switch's MAC table fills from it: `show mac address-table count`, the port with thousands of addresses) and shut it. Enable port security on access ports (`switchport port-security maximum 3`, violation restrict or shutdown), so that a port learns a few addresses and drops frames from others, and storm control; a switch that flooded frames while its table was full let the port see other devices' traffic, so treat what crossed in clear then (passwords, patient data) as exposed.",
  },
  'dhcp-route-injection': {
    severity: 'high',
    title: 'DHCP routes that divert traffic (option 121: TunnelVision)',
    remediation: "Find the DHCP server that sent them (its MAC's switch port) and disconnect it if it is not the site's; if it is, remove the wide or Internet routes from its option 121. Enable DHCP snooping so only the site's servers' ports may answer clients. On VPN clients, use a VPN that firewalls traffic outside its tunnel (kill switch) or runs in a network namespace, or ignore DHCP option 121 where the network does not need it (CVE-2024-3661).",
  },
  'dns-spoofing': {
    severity: 'high',
    title: 'Forged DNS answers (an on-path host racing the resolver)',
    remediation: "Find the switch port of the MAC that sent the forged answers and disconnect it; on the client, flush the DNS cache (`ipconfig /flushdns`) and check what it connected to at the forged address (credentials typed into a copy of a clinical web application). Enable DHCP snooping and dynamic ARP inspection so a host cannot sit in the path, port security against MAC flooding, and DNSSEC validation or DNS over TLS to the site's resolvers for clients that support it.",
  },
  'gateway-takeover': {
    severity: 'high',
    title: 'Gateway address taken over (HSRP active or VRRP master role claimed by another router)',
    remediation: "Find the port of the MAC that claimed the role and shut it if it is no router of the group; authenticate HSRP groups with MD5 (HSRP's text authentication, \"cisco\" by default, and VRRPv2's text password are sent in clear and let anyone join), filter HSRP (UDP 1985/2029 to 224.0.0.2/224.0.0.102) and VRRP (IP protocol 112 to 224.0.0.18) from access ports, and list the group's routers in ipv4Routers.",
  },
  'icmp-redirect': {
    severity: 'high',
    title: 'Forged or unexpected ICMP redirect (traffic rerouted through another host)',
    remediation: "Find the sender's switch port (the Ethernet source of the redirect) and disconnect it if it is not a router; on the victim, flush the redirected route (`route -f` restarts Windows' table, `ip route flush cache` on Linux) and check what went through the other host. Stop hosts from accepting redirects (Windows: EnableICMPRedirect = 0; Linux: net.ipv4.conf.all.accept_redirects = 0), stop routers from sending them (`no ip redirects`), and list the site's routers in ipv4Routers.",
  },
  'dhcp-starvation': {
    severity: 'high',
    title: "DHCP starvation (the address pool taken by made-up clients)",
    remediation: "Find the switch port the requests come from (the Ethernet source, or the port whose MAC table fills up) and shut it; release the made-up leases on the DHCP server (their client addresses are in dhcp.log). Enable DHCP snooping with a rate limit on access ports and port security (a few MACs per port), so that one port can neither claim the pool nor flood the switch's MAC table; a starved pool is often the prelude to a rogue DHCP server.",
  },
  'rogue-dhcp': {
    severity: 'high',
    title: 'Unexpected DHCP server answering',
    remediation: 'Find and disconnect the server; enable DHCP snooping on the switches; list legitimate servers in dhcpServers.',
  },
  'dns-tunnel': {
    severity: 'high',
    title: 'Data carried in DNS queries (DNS tunnel or exfiltration)',
    remediation: 'Find the program on the host that sends the queries (iodine, dnscat2, malware) and isolate the host; let clients resolve only through the site\'s resolvers and block DNS to anywhere else at the firewall; put a DNS firewall (RPZ) on the resolvers to refuse names of this shape; check what the host could read (patient data) and treat it as possibly leaked.',
  },
  'name-poisoning': {
    severity: 'high',
    title: 'LLMNR/NetBIOS name poisoning',
    remediation: 'Isolate the host and find the tool (Responder, Inveigh); turn off LLMNR (Group Policy: Turn off multicast name resolution) and NetBIOS over TCP/IP on Windows hosts so nothing asks by broadcast, and require SMB signing so captured exchanges cannot be relayed.',
  },
  'wifi-deauth': {
    severity: 'high',
    title: '802.11 deauthentication flood',
    remediation: 'Require 802.11w Protected Management Frames (mandatory with WPA3) so stations ignore forged deauthentication; locate the transmitter with the wireless controller\'s intrusion detection (signal strength); keep life-critical devices on wired connections where they can be.',
  },
  'rogue-ap': {
    severity: 'high',
    title: 'Rogue or evil-twin Wi-Fi access point',
    remediation: 'Locate the access point with the wireless controller (rogue AP detection, signal strength) and remove it or bring it under management; require WPA2/WPA3-Enterprise so a copy without the network\'s credentials cannot serve its stations; list the site\'s access points in wifiAccessPoints.',
  },
  'internet-exposure': {
    severity: 'high',
    title: 'Internet host reached an internal device',
    remediation: 'Close the port to the Internet at the perimeter firewall (remove the port forward, public address or rule that lets it through) and check the device for compromise; give vendors and remote users a VPN or a managed remote-access gateway with multi-factor authentication instead.',
  },
  'remote-access': {
    severity: 'medium',
    title: 'Remote-access software in use',
    remediation: 'Confirm the tool is sanctioned and remove it where it is not; give vendors and staff remote access through the hospital\'s managed gateway (VPN or jump host with MFA, per-session approval and recording) and block the tools\' relay domains for devices that must not use them (CISA AA23-025A).',
  },
  'encrypted-dns': {
    severity: 'medium',
    title: "Encrypted DNS that bypasses the site's resolvers",
    remediation: "Block DNS over TLS and QUIC (TCP/UDP 853), DNSCrypt and the public DNS-over-HTTPS resolvers at the firewall or proxy and outbound port 53 except from the site's resolvers; turn off browsers' own DoH and Android Private DNS by policy. On a medical, IoT or server host, find the software that does it.",
  },
  'new-device': {
    severity: 'medium',
    title: 'New device on a medical segment',
    remediation: 'Confirm the device was commissioned; unknown devices on clinical segments should be removed or quarantined.',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return ORDER.indexOf(s);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** One level up (medical/IoT sources make a behaviour worse), capped at critical. */
export function raiseSeverity(s: Severity): Severity {
  return ORDER[Math.min(ORDER.length - 1, severityRank(s) + 1)];
}
