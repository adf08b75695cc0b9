// The one risks table (as nDPI's risk table): every finding rule's id, default severity, the
// points it adds to a device's exposure score, a title and what to do about it. Rules only set
// a finding with its evidence; severity, score and remediation come from here (docs/risk.md).
import type { Severity } from '../report/model.js';

export interface RiskDef {
  id: string;
  severity: Severity;
  /** Points added to a device's exposure score when it has at least one such finding. */
  points: number;
  title: string;
  remediation: string;
}

export const RISKS: readonly RiskDef[] = [
  {
    id: 'eol-os',
    severity: 'high',
    points: 20,
    title: 'Operating system past its end of support',
    remediation: 'Upgrade to a supported OS release, or get the manufacturer\'s supported upgrade path (medical devices: ask the vendor per FDA premarket cybersecurity guidance); until then isolate the device in its own segment and allow only the flows it needs (wardline policy writes those rules from the observed traffic).',
  },
  {
    id: 'known-exploited-vulnerability',
    severity: 'critical',
    points: 25,
    title: 'Known exploited vulnerability (CISA KEV)',
    remediation: 'Apply the vendor fix by the KEV due date (CISA BOD 22-01); if no fix can be applied, follow the vendor mitigations or take the device off the network.',
  },
  {
    id: 'vulnerability',
    severity: 'high',
    points: 0,
    title: 'Vulnerable software or firmware version',
    remediation: 'Apply the vendor update that fixes the CVE; where the device cannot be patched, restrict the exposed service to the hosts that need it.',
  },
  {
    id: 'medical-advisory',
    severity: 'high',
    points: 10,
    title: 'Covered by a CISA ICS medical advisory',
    remediation: 'Follow the advisory\'s vendor fixes and mitigations for this product and version; contact the manufacturer for the validated update.',
  },
  {
    id: 'cleartext-credentials',
    severity: 'high',
    points: 10,
    title: 'Credentials sent in clear text',
    remediation: 'Switch the service to its encrypted form (SFTP/FTPS, HTTPS, POP3S/IMAPS, LDAPS or StartTLS, SNMPv3 with authPriv, MQTT over TLS) and change the exposed passwords.',
  },
  {
    id: 'default-credentials',
    severity: 'critical',
    points: 20,
    title: 'Vendor default credentials in use',
    remediation: 'Change the default password or community now (unique per device, stored in a password manager), and disable accounts that are not needed.',
  },
  {
    id: 'phi-cleartext',
    severity: 'high',
    points: 15,
    title: 'Patient data sent unencrypted',
    remediation: 'Carry HL7 over TLS (MLLP/TLS or a VPN tunnel), DICOM over TLS (DICOM PS3.15 secure transport), FHIR over HTTPS (FHIR R4 security: TLS is required) and ASTM instrument links (LIS01/LIS02 have no security of their own) through a TLS tunnel or a point-to-point laboratory segment, or confine the flow to a dedicated clinical segment; HIPAA §164.312(e) expects transmission security.',
  },
  {
    id: 'smbv1',
    severity: 'high',
    points: 8,
    title: 'SMBv1 in use',
    remediation: 'Disable SMBv1 (Windows: Set-SmbServerConfiguration -EnableSMB1Protocol $false; remove the SMB1 feature) and move clients to SMB 2/3; for devices that need it, ask the vendor for an update.',
  },
  {
    id: 'smb-signing',
    severity: 'medium',
    points: 3,
    title: 'SMB signing not required',
    remediation: 'Require SMB signing on the server (Group Policy "Microsoft network server: Digitally sign communications (always)"; Samba: server signing = mandatory), or SMB 3 encryption for its shares; domain controllers require it by default, keep it so. Together with turning off LLMNR/NetBIOS name resolution this stops NTLM relaying.',
  },
  {
    id: 'weak-ssh',
    severity: 'medium',
    points: 5,
    title: 'Weak SSH: protocol 1 or deprecated key exchange, cipher, MAC or host key',
    remediation: "Update the SSH server (a medical device's or appliance's through its vendor) and restrict it to current algorithms: OpenSSH `Protocol 2` (the only one since 7.4), `KexAlgorithms curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group16-sha512,diffie-hellman-group14-sha256`, `Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes128-ctr`, `MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com`, host keys Ed25519, ECDSA or RSA with rsa-sha2 signatures (Dropbear and embedded servers have the same switches at build or configuration time); then check with ssh -Q or ssh-audit. Where the device cannot be changed, allow SSH to it only from the administrators' hosts.",
  },
  {
    id: 'weak-tls',
    severity: 'medium',
    points: 5,
    title: 'Weak TLS: old protocol version, weak cipher or untrusted certificate',
    remediation: 'Allow only TLS 1.2 and 1.3 with AEAD ciphers (RFC 8996, NIST SP 800-52r2); replace self-signed or expired certificates with ones from the organisation\'s CA.',
  },
  {
    id: 'weak-vpn',
    severity: 'medium',
    points: 5,
    title: 'Weak VPN settings',
    remediation: "Replace PPTP with IPsec (IKEv2) or a TLS VPN. Move an IPsec tunnel to IKEv2 with AES-GCM (or AES-CBC with HMAC-SHA-256), PRF-HMAC-SHA-256 or stronger and Diffie-Hellman group 19, 20 or 14 at least (RFC 8247, NIST SP 800-77r1), on both gateways; turn IKEv1 Aggressive Mode off, and if it was used with a pre-shared key, replace that key (it can be cracked from a recording) or move to certificates. A medical device whose VPN cannot be changed needs its vendor's update or a gateway in front of it that terminates a strong tunnel.",
  },
  {
    id: 'weak-kerberos',
    severity: 'medium',
    points: 5,
    title: 'Weak Kerberos: RC4 or DES encryption, or no pre-authentication',
    remediation: "Make AES the only Kerberos encryption type: set msDS-SupportedEncryptionTypes to AES on service accounts and computers, then turn RC4 and DES off (policy \"Network security: Configure encryption types allowed for Kerberos\") once no client needs them; give service accounts long random passwords (group managed service accounts). Devices that cannot do AES need a vendor update or an account and segment of their own.",
  },
  {
    id: 'weak-ntlm',
    severity: 'high',
    points: 8,
    title: 'NTLMv1 authentication',
    remediation: 'Send NTLMv2 only and refuse LM and NTLMv1 (Group Policy "Network security: LAN Manager authentication level" = Send NTLMv2 response only. Refuse LM & NTLM, LmCompatibilityLevel 5, on clients, servers and domain controllers; audit first with "Restrict NTLM: Audit NTLM authentication"); devices that can only do NTLMv1 need a vendor update or accounts of their own with no rights elsewhere. Change the passwords of the accounts named.',
  },
  {
    id: 'rdp-security',
    severity: 'high',
    points: 5,
    title: 'RDP without Network Level Authentication',
    remediation: 'Require Network Level Authentication and the TLS security layer (Group Policy: "Require user authentication for remote connections by using Network Level Authentication" and "Require use of specific security layer for remote connections: SSL"), with a certificate from the organisation\'s CA; allow RDP to the device only from the administration jump host.',
  },
  {
    id: 'weak-wifi',
    severity: 'high',
    points: 8,
    title: 'Wi-Fi network with weak or no encryption',
    remediation: 'Protect the network with WPA2/WPA3-Enterprise (802.1X, EAP-TLS) or at least WPA2-Personal with CCMP only and a long, unique passphrase; retire WEP and TKIP. Devices that cannot do better (older infusion pumps, monitors) get an SSID and VLAN of their own with firewall rules for only the flows they need (wardline policy).',
  },
  {
    id: 'weak-eap',
    severity: 'high',
    points: 8,
    title: '802.1X with a method that gives the password away',
    remediation: 'Move the device to EAP-TLS (a certificate per device, from the hospital\'s CA), or to PEAP/EAP-TTLS with the server certificate validated, and remove EAP-MD5, LEAP and unprotected EAP-GTC from the authentication server\'s policy; a device that can do nothing better gets MAC Authentication Bypass into a VLAN of its own with firewall rules for only its flows (wardline policy), not a password method. Change the password the device used: its exchanges were seen.',
  },
  {
    id: 'trunk-negotiation',
    severity: 'medium',
    points: 3,
    title: 'Switch port negotiates trunking (DTP)',
    remediation: 'Configure every access port as `switchport mode access` with `switchport nonegotiate` (and trunks as `switchport mode trunk` with `switchport nonegotiate`), so that no port becomes a trunk because a device asked; put unused ports in an unused VLAN and shut them down, and make each trunk\'s native VLAN one that no access port uses.',
  },
  {
    id: 'gateway-port-mapping',
    severity: 'medium',
    points: 4,
    title: 'Internet gateway lets LAN hosts open ports (UPnP IGD, NAT-PMP, PCP)',
    remediation: "Turn the port-mapping services off on the gateway (routers and firewalls: the \"UPnP\" and \"NAT-PMP\" switches in the NAT or services settings; miniupnpd: `enable_upnp=no`, `enable_natpmp=no`), then list its port forwards and pinholes and remove every one nobody can account for. Publish a service only by a reviewed firewall rule, and find the hosts that asked for mappings (the monitor's port-mapping alerts): whatever opened a port unasked is a compromise until shown otherwise.",
  },
  {
    id: 'dicom-open-access',
    severity: 'medium',
    points: 4,
    title: 'DICOM service accepts any application entity title',
    remediation: "Configure the DICOM service to accept associations only for its own called AE title and only from the calling AE titles of the modalities, workstations and archives it serves, each tied to its IP address (PACS: the known-modalities list with AE title, host and port — Orthanc's `DicomCheckCalledAet`, `DicomCheckModalityHost` and `DicomAlwaysAllowEcho/Find/Store` set to false, dcm4chee's AE list, dcmtk's `--refuse`-free configuration with an access list); where the product cannot, put it behind a firewall that admits only those hosts on the DICOM port (wardline policy writes the rules from the traffic seen), and prefer DICOM TLS with client certificates.",
  },
  {
    id: 'rogue-ap',
    severity: 'high',
    points: 10,
    title: 'Access point announces a network with weaker protection than the others',
    remediation: 'Find the access point (its MAC, channel and signal) and remove it if it is not the hospital\'s; if it is, configure it like the others. Turn on the wireless controller\'s rogue-AP detection and containment, and use 802.1X with server certificate validation so that stations refuse an impostor network.',
  },
  {
    id: 'cryptomining',
    severity: 'high',
    points: 25,
    title: 'Crypto-currency mining',
    remediation: 'Treat the device as compromised: isolate it, find how the miner got there (an exposed service, a default password, a vulnerable web application) and close that way in, then remove the miner and rebuild the device from a known-good image (a medical device with its vendor). Block the pools it reached at the firewall, and outbound Stratum (it runs on any port: ports 3333, 4444, 5555, 7777, 9999, 14444 and the pool names in stratum.log) for every device that does not need the Internet.',
  },
  {
    id: 'p2p-file-sharing',
    severity: 'medium',
    points: 10,
    title: 'Peer-to-peer file sharing',
    remediation: "Find out who installed the client and why; remove it unless it is sanctioned, and check the device for malware that came with what it downloaded and for data it shared (bittorrent.log lists the torrents by info hash and the peers). Block BitTorrent at the edge with an application-aware firewall (it runs on any port: TCP and UDP, 6881-6889 traditionally, DHT on UDP, trackers on HTTP and UDP) and allow each device only the Internet destinations it needs (wardline policy writes those rules from the observed traffic).",
  },
  {
    id: 'encrypted-dns',
    severity: 'medium',
    points: 5,
    title: 'Encrypted DNS that bypasses the site\'s resolvers',
    remediation: "Make the site's resolvers the only way out for DNS: block DNS over TLS and DNS over QUIC (TCP and UDP 853), DNSCrypt (dnscrypt.log: the resolvers and ports used) and the public DNS-over-HTTPS resolvers at the firewall or web proxy, and block outbound port 53 except from the site's resolvers. Turn off the browsers' own DoH by policy (Firefox and Chrome enterprise policies; the canary domain use-application-dns.net answered NXDOMAIN by the site's resolver) and Android's Private DNS on managed phones. If encrypted DNS is wanted, offer it from the site's own resolver. On a medical, IoT or server device, find the software that does it: it should not be there.",
  },
  {
    id: 'poisonable-name-resolution',
    severity: 'medium',
    points: 3,
    title: 'Name resolution open to poisoning (LLMNR/NetBIOS broadcast, unanswered DHCPv6)',
    remediation: "Turn off LLMNR (Group Policy: Computer Configuration > Administrative Templates > Network > DNS Client > Turn off multicast name resolution) and NetBIOS over TCP/IP (DHCP option 001 'Microsoft Disable Netbios Option', or per adapter), and WPAD where no proxy auto-configuration is used (publish a wpad record that points nowhere, or disable WinHTTP auto-proxy); make sure the names the device asked for resolve in DNS. Where IPv6 is not used, stop hosts from taking DHCPv6 and router advertisements from anyone (Windows Defender Firewall: block the Core Networking DHCPv6-In and Router Advertisement rules, or Group Policy preferring IPv4), and turn on DHCPv6 Guard and RA Guard on the switches. Require SMB signing and LDAP signing and channel binding so a captured logon cannot be relayed. On a medical device that cannot be reconfigured, ask the manufacturer, and keep it on a segment with no workstations, where no attacker is positioned to answer.",
  },
  {
    id: 'threat-intel',
    severity: 'high',
    points: 25,
    title: 'Threat-intelligence indicator seen',
    remediation: 'Find out why the device reached or received what the feed lists (intel.log shows where: a DNS query, a connection, a file\'s hash): block the indicator at the firewall, DNS resolver or proxy, check the device for compromise (for a medical device, with its vendor), and tell the feed\'s owner if the listing is wrong.',
  },
  {
    id: 'insecure-update',
    severity: 'medium',
    points: 10,
    title: 'Software or firmware received without encryption or authentication',
    remediation: 'Deliver updates over an authenticated, encrypted channel (HTTPS with certificate validation, SFTP) and make the device verify the vendor\'s signature before installing; until then, compare the image\'s hash with the vendor\'s published one, serve updates only from a server on the device\'s own segment, and allow TFTP/FTP/HTTP to the device only from that server (FDA premarket cybersecurity guidance, 2023: authenticated, integrity-protected updates).',
  },
  {
    id: 'internet-exposure',
    severity: 'high',
    points: 15,
    title: 'Reachable from the Internet',
    remediation: 'Close the port to the Internet at the perimeter firewall (remove the port forward, public address or rule that lets it through); give remote users and vendors access through a VPN or a managed remote-access gateway with multi-factor authentication instead. Check the device for compromise: exposed services are scanned and tried within hours.',
  },
  {
    id: 'internet-communication',
    severity: 'medium',
    points: 5,
    title: 'Connects to the Internet',
    remediation: 'Ask the vendor which Internet endpoints the device needs (updates, remote service, cloud) and allow only those, through a proxy or one firewall rule per endpoint, blocking the rest; move any clear-text exchange to TLS or a VPN. wardline policy writes the device\'s outbound rules from what it was seen reaching.',
  },
  {
    id: 'remote-access',
    severity: 'medium',
    points: 8,
    title: 'Remote-access software in use',
    remediation: 'Confirm the tool is sanctioned and remove it where it is not (application allow-listing); give vendors and staff remote access through the hospital\'s managed gateway (VPN or jump host with MFA, per-session approval and recording) instead, and block the tools\' relay domains at the DNS or web proxy for devices that must not use them (CISA AA23-025A).',
  },
  {
    id: 'cleartext-protocol',
    severity: 'medium',
    points: 5,
    title: 'Clear-text protocol served',
    remediation: 'Replace the service with its encrypted counterpart (SSH for Telnet/rlogin, SFTP/FTPS, HTTPS, SNMPv3, VNC over SSH/TLS, POP3S/IMAPS/SMTP with STARTTLS, HL7 and DICOM over TLS, ASTM through a TLS tunnel), or restrict it to a management segment.',
  },
  {
    id: 'segment-mixed',
    severity: 'medium',
    points: 10,
    title: 'Medical/IoT device shares a segment with IT workstations',
    remediation: 'Move medical and IoT devices into their own VLAN/subnet and allow only the flows they need (firewall rules from the observed traffic: wardline policy).',
  },
];

export const RISK_BY_ID: ReadonlyMap<string, RiskDef> = new Map(RISKS.map((r) => [r.id, r]));

export function risk(id: string): RiskDef {
  const r = RISK_BY_ID.get(id);
  if (r === undefined) throw new Error(`no risk ${id} in the risks table`);
  return r;
}

const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return ORDER.indexOf(s);
}

/** One step down (for findings whose version could not be confirmed). */
export function lowerSeverity(s: Severity): Severity {
  return ORDER[Math.max(0, ORDER.indexOf(s) - 1)];
}

/** CVSS v3 qualitative rating (FIRST CVSS v3.1 specification §5). */
export function cvssSeverity(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
