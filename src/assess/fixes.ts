// What to do about a clear-text protocol, per protocol: the remediation a cleartext-protocol,
// cleartext-credentials or phi-cleartext finding carries instead of the risks table's generic
// list (risks.ts), so that "Clear-text SNMP served on port 161" says SNMPv3 and who may still
// query it, not every protocol's encrypted form. Keys are the rules' service/protocol ids.

const HTTPS_ONLY = 'Serve the web interface over HTTPS only (redirect port 80, send HSTS) and use its own accounts, not shared ones.';

const RAW_PRINT = 'Send print jobs through the print server and accept the printer\'s raw port (9100) only from it; print over IPPS (IPP over TLS) where the printer offers it, turn off the raw, LPD and FTP printing it does not need, and set a PJL password and disable PJL file system access (HP: "PJL Access Commands" and "File System External Access" off; Zebra: set a ^KP password): wristbands, labels and letters carry patient data.';

/** How to stop serving the protocol in clear (cleartext-protocol, cleartext-credentials). */
const SERVICE_FIXES: Record<string, string> = {
  telnet: 'Turn Telnet off and manage the device over SSH; if it offers nothing else, allow Telnet only from a management jump host.',
  rlogin: 'Turn rlogin/rsh off (they trust host names and carry everything in clear) and use SSH.',
  ftp: 'Use SFTP or FTPS (explicit TLS, RFC 4217) instead of FTP; where the device can only export over FTP (many imaging and lab devices do), allow it only to and from the host that collects the files.',
  http: HTTPS_ONLY,
  'http-auth': HTTPS_ONLY,
  snmp: 'Move to SNMPv3 with authPriv (SHA and AES); until then use long, unique community strings, make them read-only, and accept SNMP only from the monitoring server.',
  vrrp: 'Remove the VRRP text password (authentication type 1 sends it to every host on the link with each advertisement, and RFC 3768 dropped it as no protection); keep the routers\' VRRP on a link hosts cannot inject into, or use VRRPv3 with the interface secured otherwise (keepalived: delete `authentication`; most vendors: `no vrrp authentication`).',
  hsrp: 'Authenticate the HSRP group with MD5 (`standby <group> authentication md5 key-chain …`; the text string, Cisco\'s default "cisco" when none is set, goes to every host on the link and lets anyone join the group and take the gateway address), on every router of the group at once.',
  snmpv3: 'Give every SNMPv3 user authPriv (SHA-2 authentication, AES privacy) and remove the noAuthNoPriv users and the views they reach; accept SNMP only from the monitoring server.',
  vnc: 'Tunnel VNC through SSH or a VPN, or use a VNC server with TLS, and allow it only from the support jump host.',
  pop3: 'Offer POP3 only over TLS (POP3S on 995, or STLS before login, RFC 2595) and refuse plain-text login without it.',
  imap: 'Offer IMAP only over TLS (IMAPS on 993, or STARTTLS before login with LOGINDISABLED advertised until then, RFC 3501).',
  smtp: 'Require STARTTLS before AUTH (RFC 3207, RFC 4954), or take submissions over implicit TLS on port 465 (RFC 8314).',
  ldap: 'Bind over LDAPS (636) or StartTLS only, and require LDAP signing and channel binding (Windows domain controllers: "LDAP server signing requirements" and LdapEnforceChannelBinding).',
  mqtt: 'Use MQTT over TLS (8883) with per-device credentials or client certificates, and turn the plain listener on 1883 off.',
  lpd: 'Print over IPPS (IPP over TLS, port 631) or through the print server\'s encrypted path, turn the printer\'s LPD (515) and raw (9100) services off where it allows, and accept them only from the print server: printed results, labels and discharge letters carry patient data.',
  jetdirect: RAW_PRINT,
  pjl: RAW_PRINT,
  ajp: "Bind the servlet container's AJP connector to 127.0.0.1 or the web server's own address (Tomcat: address= on the AJP Connector), require its shared secret (Tomcat 9.0.31, 8.5.51, 7.0.100 and later: secretRequired=\"true\" with secret=; mod_jk: worker secret; mod_proxy_ajp: secret=), or remove the connector if no web server uses it; where the web server and the container are on different hosts, carry AJP inside an IPsec or TLS tunnel or proxy over HTTPS instead. Update Tomcat to 9.0.31/8.5.51/7.0.100 or later for CVE-2020-1938 (Ghostcat).",
  niagara_fox: 'Turn Foxs (Fox over TLS, 4911) and HTTPS on and plain Fox (1911) and HTTP off on every station and the Supervisor (Niagara 4: FoxService "Foxs Only", a certificate of your own instead of the default one); reach stations only from the Supervisor and engineering workstations, over the building-automation VLAN, never from the Internet.',
  c1222: 'Configure the meters and the head-end for C12.22 security mode 2 (ciphertext with authentication, AES-128 EAX) with per-meter keys, and change the C12.18/C12.19 passwords from their defaults.',
  h323: 'Turn on H.235 security on the gatekeeper and the endpoints (authenticated RAS, H.245 over TLS, SRTP media), or move the video units to SIP over TLS with SRTP; keep the codecs on a video VLAN that reaches only the gatekeeper and the MCU, and use the gatekeeper with H.460.18/19 firewall traversal (or a video border controller) rather than opening 1719/1720 to the Internet.',
  sccp: 'Give the phones, gateways and media resources encrypted device security profiles (Unified CM in mixed mode, with its CTL/ITL certificate trust lists), so that they register over TLS on port 2443 and their calls use SRTP; keep plain SCCP (2000) to the voice VLAN for the devices that cannot, and reach the call managers only from there.',
  xdmcp: 'Turn XDMCP off on the display manager (gdm/lightdm/xdm: [xdmcp] Enable=false) and block UDP 177 and TCP 6000-6063 at the segment; reach the host over SSH with X11 forwarding, or a remote desktop that encrypts (RDP over TLS, VNC inside SSH or TLS).',
  zabbix: 'Encrypt Zabbix traffic with TLS on every agent, proxy and server, by pre-shared key or certificates (agent: TLSConnect=psk|cert and TLSAccept=psk|cert with TLSPSKIdentity/TLSPSKFile or TLSCAFile/TLSCertFile/TLSKeyFile; the host\'s and proxy\'s encryption settings in the frontend to match), and refuse unencrypted connections; list only the Zabbix server and proxies in Server= and ServerActive=, and let the firewall reach the agent port (10050) only from them.',
  checkmk: 'Register the agent with its site for TLS (agent controller: cmk-agent-ctl register, Checkmk 2.1 and later), or have the site pull the output over SSH or the agent\'s encryption; set only_from (OnlyFrom) to the monitoring server\'s address and let the firewall reach port 6556 only from it.',
  mgcp: "Protect MGCP between the gateways and the call agents with IPsec (RFC 3435 §5: the protocol has no security of its own; Cisco: crypto maps or tunnel protection between the gateway and each Unified CM node), and until then keep it on the voice VLAN with ACLs that let only the call agents reach the gateways' port 2427 (and only the gateways reach the agents' 2427/2727). Turning on SRTP for MGCP gateway calls does not suffice by itself: its media keys travel in the MGCP messages, readable without IPsec.",
  amqp: "Accept AMQP only over TLS (AMQPS on 5671, RabbitMQ listeners.ssl) and close the plain listener on 5672; remove or restrict the guest account (RabbitMQ's loopback_users) and give each client its own user.",
  socks: 'Retire the clear-text SOCKS proxy, or reach it only through SSH dynamic forwarding or a TLS tunnel.',
  iscsi: "Put iSCSI on a storage network of its own (a dedicated VLAN that only the storage array and its initiators reach, never routed to workstations or medical devices) and protect it with IPsec where it must cross other networks; require mutual CHAP with long random secrets on every target (no target may accept AuthMethod=None), restrict each target to its initiators' names and addresses (ACLs), and keep TCP 3260 off every other segment.",
  rsync: "Carry rsync over SSH (rsync -e ssh, with a key restricted to the one command by rrsync or a forced command) instead of the daemon, or tunnel the daemon through SSH or a VPN; where the daemon must stay, give every module 'auth users' and a secrets file with strong passwords, set 'hosts allow' to the hosts that use it, make modules 'read only' unless they must take uploads, and keep it off the Internet (TCP 873).",
  redis: "Serve Redis over TLS only (tls-port 6379, port 0; TLS between replicas and Sentinel too); require a password for the default user (requirepass) or, better, ACL users with their own passwords and command permissions; keep protected-mode yes and bind to the addresses of the application hosts that use it; disable or rename CONFIG, SLAVEOF/REPLICAOF, MODULE, DEBUG and FLUSHALL for application users (ACL -@dangerous, rename-command), leave enable-protected-configs, enable-module-command and enable-debug-command at no, and run a Redis build fixed for CVE-2022-0543.",
  mysql: 'Require TLS for every client connection (require_secure_transport=ON) and do not allow the clear-text password plugin without it.',
  postgresql: 'Require TLS (ssl=on and hostssl lines in pg_hba.conf) and authenticate with scram-sha-256 instead of password or md5.',
  smb: 'Stop sending plain-text passwords to SMB servers (Windows: EnablePlainTextPassword=0) and use SMB 2/3 with Kerberos or NTLMv2.',
  oracle: "Require Native Network Encryption on the database server (sqlnet.ora: SQLNET.ENCRYPTION_SERVER=REQUIRED with AES256, SQLNET.CRYPTO_CHECKSUM_SERVER=REQUIRED with SHA256), or move the listener to TCPS (TLS).",
  mssql: 'Force encryption on the SQL Server instance (Force Encryption = Yes, with a trusted certificate) so logins, queries and results travel inside TLS.',
  xmpp: "Require TLS on the XMPP server (ejabberd: starttls_required: true on the c2s listener; Openfire: 'Client Connection Security' required; Prosody: c2s_require_encryption = true) and offer only SCRAM or external authentication, so chats, contact lists and logins never cross in clear.",
  drda: 'Turn on TLS for the database (Db2: SSL_SVCENAME with a server certificate, clients connecting with sslConnection=true; Derby: startNetworkServer -ssl basic or peerAuthentication) and require an encrypted security mechanism (Db2 AUTHENTICATION SERVER_ENCRYPT or SERVER_ENCRYPT_AES; Derby: derby.drda.securityMechanism=ENCRYPTED_USER_AND_PASSWORD_SECURITY); accept the port only from the application servers that use it.',
  tds: 'Force encryption on the SQL Server instance (Force Encryption = Yes, with a trusted certificate) so logins travel inside TLS.',
  rtsp: 'Stream over RTSPS or a VPN, use digest authentication rather than Basic, and give each camera its own password.',
  rtp: 'Turn on SRTP on the phones, cameras and call servers (keys by DTLS-SRTP, or SDES only over SIP/TLS), and keep voice and video on their own VLAN so that workstations cannot capture it.',
  fax: 'Faxes carry referrals and results: send them over T.38 with TLS or SRTP where the gateway supports it, or replace fax with secure messaging (Direct, the HIE); keep fax gateways on the voice VLAN.',
  nfs: 'Export the share with sec=krb5p (Kerberos with privacy) so that users are authenticated and files encrypted; until then list the exact clients in /etc/exports (no wildcards), keep root_squash, and keep NFS on a storage VLAN reachable only from the hosts that mount it.',
  sdes: 'Carry SIP over TLS (SIPS, port 5061) wherever SDES keys are used, or move to DTLS-SRTP, which never puts keys in the signalling.',
  opcua: 'Offer only OPC UA endpoints with SignAndEncrypt (Basic256Sha256 or newer) and remove the SecurityPolicy None endpoint.',
  irc: 'IRC has no place on a clinical network and is a classic botnet control channel: find out which program on the device speaks it, and block outbound IRC (6660-6669, 7000, and this port) at the firewall; where a chat service is sanctioned, use its TLS port (6697).',
  hl7: 'Carry HL7 over TLS (MLLP over TLS, or the interface engine\'s VPN tunnel), and accept the MLLP port only from the interface engine.',
  'hl7-http': 'Serve the HL7 over HTTP endpoint over HTTPS only (HL7 over HTTP requires TLS where messages carry patient data), with client certificates or per-interface credentials, and accept it only from the interface engine.',
  'hl7-amqp': 'Carry the broker\'s traffic over AMQPS (TLS, port 5671) and close its plain listener, so HL7 messages with patient data are never readable in transit; give each interface its own broker user.',
  dicom: 'Turn on DICOM TLS (PS3.15 Annex B, port 2762) on the systems that support it; for those that do not, accept DICOM only from the known AE peers.',
  astm: 'ASTM E1381/LIS01 has no security of its own: keep the analyzer and the LIS on a point-to-point laboratory link or segment, or tunnel the link through TLS.',
  intellivue: 'IntelliVue Data Export has no encryption or authentication: keep the monitors and the systems that read them (central station, data gateway) on the patient-monitoring network or VLAN, and allow UDP 24005/24105 to each monitor only from those systems.',
  poct1a: 'POCT1-A has no security of its own: connect point-of-care devices to the data manager through TLS (the vendor\'s secure docking or a TLS tunnel) or a segment holding only the devices and the data manager, and accept its port only from them.',
};

/** How to protect patient data in transit, per protocol (phi-cleartext). */
const PHI_FIXES: Record<string, string> = {
  hl7: 'Carry HL7 over TLS (MLLP over TLS, or a VPN tunnel to the interface engine) or confine the flow to a dedicated clinical segment; HIPAA §164.312(e) expects transmission security.',
  dicom: 'Send DICOM over TLS (PS3.15 Annex B secure transport, port 2762) or confine the flow to the imaging segment between modality and PACS; HIPAA §164.312(e) expects transmission security.',
  astm: 'ASTM instrument links (LIS01/LIS02) have no security of their own: use a point-to-point laboratory link or segment, or a TLS tunnel to the LIS; HIPAA §164.312(e) expects transmission security.',
  poct1a: 'Send point-of-care observations over TLS (the vendor\'s secure connection, or a TLS tunnel to the data manager) or keep devices and data manager on a segment of their own; HIPAA §164.312(e) expects transmission security.',
  intellivue: 'Keep IntelliVue Data Export inside the patient-monitoring network (its VLAN, or a firewall allowing UDP 24105 only between each monitor and the central station or data gateway): the protocol itself has no encryption; HIPAA §164.312(e) expects transmission security.',
  dicomweb: 'Serve DICOMweb (QIDO-RS, WADO-RS, STOW-RS) over HTTPS only, as PS3.18 recommends, with the PACS or viewer\'s plain-HTTP port closed or bound to localhost behind a TLS proxy; HIPAA §164.312(e) expects transmission security.',
  fhir: 'Serve FHIR over HTTPS only (FHIR R4 security: TLS is required) and turn the plain-HTTP endpoint off; HIPAA §164.312(e) expects transmission security.',
};

/** The remediation of a clear-text service, or undefined for the risks table's generic one. */
export function serviceFix(service: string): string | undefined {
  return SERVICE_FIXES[service];
}

/** The remediation of credentials seen in clear on `protocol`: its fix, then change what leaked. */
/** " on port N" for a credential's server port, nothing for protocols without ports (VRRP rides on IP). */
export function onPort(port: number): string {
  return port > 0 ? ` on port ${port}` : '';
}

export function credentialFix(protocol: string): string | undefined {
  const fix = SERVICE_FIXES[protocol];
  if (fix === undefined) return undefined;
  return `${fix} Then change the ${protocol === 'snmp' ? 'community strings' : 'passwords'} that crossed in clear.`;
}

/** The encrypted form a client can choose instead, per protocol (outsideCredentialFix). */
const CLIENT_TLS: Record<string, string> = {
  ftp: 'SFTP or FTPS', http: 'HTTPS', pop3: 'POP3S (995) or STLS', imap: 'IMAPS (993) or STARTTLS', smtp: 'submission over TLS (465) or STARTTLS', ldap: 'LDAPS or StartTLS', mqtt: 'MQTT over TLS (8883)', amqp: 'AMQPS (5671)', mysql: 'TLS (--ssl-mode=REQUIRED)', postgresql: 'TLS (sslmode=verify-full)', telnet: 'SSH', rlogin: 'SSH', rtsp: 'RTSPS', irc: 'IRC over TLS (6697)', tds: 'encrypted connections (Encrypt=True)',
};

/**
 * The remediation of credentials a local device sent in clear to a server outside the
 * network: the server is not the site's to change, the client and the firewall are.
 */
export function outsideCredentialFix(protocol: string, port: number): string {
  const tls = CLIENT_TLS[protocol];
  const secret = protocol === 'snmp' ? 'community strings' : 'passwords';
  return `${tls !== undefined ? `Set the client to use ${tls} for this server` : 'Set the client to reach this server only through an encrypted channel (its TLS form or a VPN)'}, block outbound clear-text connections to port ${port} at the site's firewall, and change the ${secret} that crossed in clear.`;
}

/**
 * The remediation of credentials a device sent where nobody answered (SNMP requests no agent
 * took): a scanner's or manager's configuration, or someone guessing.
 */
export function unansweredCredentialFix(protocol: string): string {
  const secret = protocol === 'snmp' ? 'community strings' : 'passwords';
  const v3 = protocol === 'snmp' ? ' Configure network management and vulnerability scanners for SNMPv3 with authPriv (SHA and AES), with no v1/v2c communities to fall back on,' : ' Configure the sender for the protocol\'s encrypted form,';
  return `Find out why this device sends ${secret} to addresses that do not answer: if it is not a sanctioned scanner or management station, someone is guessing (isolate it and check it).${v3} and change the ${secret} that crossed in clear wherever they are valid.`;
}

/** The remediation of patient data seen in clear on `protocol`, or undefined. */
export function phiFix(protocol: string): string | undefined {
  return PHI_FIXES[protocol];
}
