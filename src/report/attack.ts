// MITRE ATT&CK (Enterprise, v15) techniques of a finding, for SIEMs that file detections by
// technique (OCSF finding_info.attacks). Behaviour rules map to the technique they detect, by the
// kind their detail names where one rule covers several (a ping sweep is Remote System
// Discovery, a port scan Network Service Discovery); technique ids a detail cites itself
// (domain-attack, remote-execution, weak-kerberos …) are added when this table knows them.
import type { Finding } from './model.js';

export interface Technique {
  uid: string;
  name: string;
  tactic: { uid: string; name: string };
}

const DISCOVERY = { uid: 'TA0007', name: 'Discovery' };
const CREDENTIAL_ACCESS = { uid: 'TA0006', name: 'Credential Access' };
const LATERAL_MOVEMENT = { uid: 'TA0008', name: 'Lateral Movement' };
const EXECUTION = { uid: 'TA0002', name: 'Execution' };
const IMPACT = { uid: 'TA0040', name: 'Impact' };
const COMMAND_AND_CONTROL = { uid: 'TA0011', name: 'Command and Control' };

const TECHNIQUES: Readonly<Record<string, Omit<Technique, 'uid'>>> = {
  'T1003.006': { name: 'OS Credential Dumping: DCSync', tactic: CREDENTIAL_ACCESS },
  T1018: { name: 'Remote System Discovery', tactic: DISCOVERY },
  T1021: { name: 'Remote Services', tactic: LATERAL_MOVEMENT },
  'T1027.009': { name: 'Obfuscated Files or Information: Embedded Payloads', tactic: { uid: 'TA0005', name: 'Defense Evasion' } },
  T1040: { name: 'Network Sniffing', tactic: CREDENTIAL_ACCESS },
  T1046: { name: 'Network Service Discovery', tactic: DISCOVERY },
  'T1069.002': { name: 'Permission Groups Discovery: Domain Groups', tactic: DISCOVERY },
  T1047: { name: 'Windows Management Instrumentation', tactic: EXECUTION },
  T1048: { name: 'Exfiltration Over Alternative Protocol', tactic: { uid: 'TA0010', name: 'Exfiltration' } },
  'T1048.003': { name: 'Exfiltration Over Alternative Protocol: Exfiltration Over Unencrypted Non-C2 Protocol', tactic: { uid: 'TA0010', name: 'Exfiltration' } },
  'T1053.005': { name: 'Scheduled Task/Job: Scheduled Task', tactic: EXECUTION },
  T1068: { name: 'Exploitation for Privilege Escalation', tactic: { uid: 'TA0004', name: 'Privilege Escalation' } },
  T1071: { name: 'Application Layer Protocol', tactic: COMMAND_AND_CONTROL },
  'T1071.004': { name: 'Application Layer Protocol: DNS', tactic: COMMAND_AND_CONTROL },
  'T1087.002': { name: 'Account Discovery: Domain Account', tactic: DISCOVERY },
  T1110: { name: 'Brute Force', tactic: CREDENTIAL_ACCESS },
  T1187: { name: 'Forced Authentication', tactic: CREDENTIAL_ACCESS },
  T1190: { name: 'Exploit Public-Facing Application', tactic: { uid: 'TA0001', name: 'Initial Access' } },
  T1210: { name: 'Exploitation of Remote Services', tactic: LATERAL_MOVEMENT },
  T1213: { name: 'Data from Information Repositories', tactic: { uid: 'TA0009', name: 'Collection' } },
  T1219: { name: 'Remote Access Software', tactic: COMMAND_AND_CONTROL },
  T1482: { name: 'Domain Trust Discovery', tactic: DISCOVERY },
  T1486: { name: 'Data Encrypted for Impact', tactic: IMPACT },
  T1489: { name: 'Service Stop', tactic: IMPACT },
  T1490: { name: 'Inhibit System Recovery', tactic: IMPACT },
  T1496: { name: 'Resource Hijacking', tactic: IMPACT },
  T1498: { name: 'Network Denial of Service', tactic: IMPACT },
  'T1498.001': { name: 'Network Denial of Service: Direct Network Flood', tactic: IMPACT },
  'T1499.001': { name: 'Endpoint Denial of Service: OS Exhaustion Flood', tactic: IMPACT },
  'T1499.002': { name: 'Endpoint Denial of Service: Service Exhaustion Flood', tactic: IMPACT },
  T1552: { name: 'Unsecured Credentials', tactic: CREDENTIAL_ACCESS },
  T1567: { name: 'Exfiltration Over Web Service', tactic: { uid: 'TA0010', name: 'Exfiltration' } },
  'T1568.002': { name: 'Dynamic Resolution: Domain Generation Algorithms', tactic: COMMAND_AND_CONTROL },
  'T1557': { name: 'Adversary-in-the-Middle', tactic: CREDENTIAL_ACCESS },
  'T1557.001': { name: 'Adversary-in-the-Middle: LLMNR/NBT-NS Poisoning and SMB Relay', tactic: CREDENTIAL_ACCESS },
  'T1557.002': { name: 'Adversary-in-the-Middle: ARP Cache Poisoning', tactic: CREDENTIAL_ACCESS },
  'T1557.003': { name: 'Adversary-in-the-Middle: DHCP Spoofing', tactic: CREDENTIAL_ACCESS },
  'T1558.003': { name: 'Steal or Forge Kerberos Tickets: Kerberoasting', tactic: CREDENTIAL_ACCESS },
  'T1558.004': { name: 'Steal or Forge Kerberos Tickets: AS-REP Roasting', tactic: CREDENTIAL_ACCESS },
  'T1569.002': { name: 'System Services: Service Execution', tactic: EXECUTION },
  T1570: { name: 'Lateral Tool Transfer', tactic: LATERAL_MOVEMENT },
  T1574: { name: 'Hijack Execution Flow', tactic: { uid: 'TA0003', name: 'Persistence' } },
  'T1590.002': { name: 'Gather Victim Network Information: DNS', tactic: { uid: 'TA0043', name: 'Reconnaissance' } },
  T1599: { name: 'Network Boundary Bridging', tactic: { uid: 'TA0005', name: 'Defense Evasion' } },
  'T1599.001': { name: 'Network Boundary Bridging: Network Address Translation Traversal', tactic: { uid: 'TA0005', name: 'Defense Evasion' } },
  'T1595.002': { name: 'Active Scanning: Vulnerability Scanning', tactic: { uid: 'TA0043', name: 'Reconnaissance' } },
  'T1602.002': { name: 'Data from Configuration Repository: Network Device Configuration Dump', tactic: { uid: 'TA0009', name: 'Collection' } },
};

/** The technique a behaviour rule detects, from the rule and (where it covers several) its detail. */
function ruleTechnique(f: Finding): string | null {
  switch (f.rule) {
    case 'scan':
      if (/web scanner|forced browsing/.test(f.detail)) return 'T1595.002';
      return /ARP sweep|ping sweep/.test(f.detail) ? 'T1018' : 'T1046';
    case 'dos-flood':
      if (/SYN flood|router advertisement flood|Spanning Tree BPDU flood|CDP flood|LLDP flood/.test(f.detail)) return 'T1499.001';
      return /\bMQTT\b/.test(f.detail) ? 'T1499.002' : 'T1498.001';
    case 'brute-force':
      return 'T1110';
    case 'lateral-movement':
      return 'T1021';
    case 'arp-spoofing':
      return 'T1557.002';
    case 'rogue-dhcp':
    case 'dhcp-starvation':
    case 'dhcp-route-injection':
      return 'T1557.003';
    case 'nd-spoofing':
    case 'rogue-router':
    case 'icmp-redirect':
    case 'stp-root-claim':
    case 'gateway-takeover':
    case 'dns-spoofing':
      return 'T1557';
    // Hopping out of the VLAN the switch put the host in bridges the segmentation boundary
    // (ATT&CK's Network Boundary Bridging).
    // A switch whose MAC table is full floods every frame to every port: the point is sniffing.
    case 'mac-flood':
      return 'T1040';
    // Deleting a VTP domain's VLANs takes every device on them off the network.
    case 'vtp-takeover':
      return 'T1498';
    case 'dicom-bulk-query':
      return 'T1213';
    case 'zone-transfer':
      return 'T1590.002';
    // What the searches looked for cites its own techniques; a dump of accounts is Account Discovery.
    case 'ldap-recon':
      return 'T1087.002';
    case 'c2-beacon':
      return 'T1071';
    case 'dga':
      return 'T1568.002';
    case 'data-exfiltration':
      return /T1567/.test(f.detail) ? 'T1567' : 'T1048';
    // A configuration copy dumps the device's configuration; other writes change it.
    case 'snmp-write':
      if (/configuration copy|configuration write|configuration load/.test(f.detail)) return 'T1602.002';
      return /ifAdminStatus/.test(f.detail) ? 'T1489' : null;
    // A port mapping changes the gateway's NAT so the Internet reaches inside.
    case 'port-mapping':
      return 'T1599.001';
    case 'switch-spoofing':
    case 'vlan-hopping':
    case 'voice-vlan-hopping':
      return 'T1599';
    case 'name-poisoning':
    case 'poisonable-name-resolution':
      return 'T1557.001';
    case 'dns-tunnel':
    case 'encrypted-dns':
      return 'T1071.004';
    case 'cryptomining':
      return 'T1496';
    case 'ransomware':
      return 'T1486';
    case 'backup-deletion':
      return 'T1490';
    case 'remote-access':
      return 'T1219';
    case 'ghostcat':
    case 'exploit-attempt':
      return 'T1190';
    case 'redis-attack':
    case 'exploit-probe':
    case 'wormable-exploit':
      return 'T1210';
    case 'dicom-polyglot':
      return 'T1027.009';
    default:
      return null;
  }
}

const CITED = /\bT1\d{3}(?:\.\d{3})?\b/g;

/** The ATT&CK techniques of a finding, in id order (empty when none applies). */
export function attackTechniques(f: Finding): Technique[] {
  const ids = new Set<string>();
  const own = ruleTechnique(f);
  if (own !== null) ids.add(own);
  for (const m of `${f.title} ${f.detail}`.matchAll(CITED)) if (TECHNIQUES[m[0]] !== undefined) ids.add(m[0]);
  return [...ids].sort().map((uid) => ({ uid, ...TECHNIQUES[uid] }));
}
