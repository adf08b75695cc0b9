// Event → log record mappers, one entry per event type (the equivalent of Zeek's protocol
// scripts). Analyzers stay free of logging; each protocol's log.ts decides what its lines hold,
// and this table gathers them.
import { formatTime } from '../report/logwriter.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from './types.js';
import { SOFTWARE_LOGS } from './software.js';
import { ARP_LOGS } from './arp/log.js';
import { NDP_LOGS } from './ndp/log.js';
import { ICMP_LOGS } from './icmp/log.js';
import { STP_LOGS } from './stp/log.js';
import { HSRP_LOGS } from './hsrp/log.js';
import { NATPMP_LOGS } from './natpmp/log.js';
import { VRRP_LOGS } from './vrrp/log.js';
import { BACNET_LOGS } from './bacnet/log.js';
import { CDP_LOGS } from './cdp/log.js';
import { DTP_LOGS } from './dtp/log.js';
import { VTP_LOGS } from './vtp/log.js';
import { EAPOL_LOGS } from './eapol/log.js';
import { MULTICAST_LOGS } from './multicast/log.js';
import { COAP_LOGS } from './coap/log.js';
import { DCE_RPC_LOGS } from './dcerpc/log.js';
import { DHCP_LOGS } from './dhcp/log.js';
import { DICOM_LOGS } from './dicom/log.js';
import { DNP3_LOGS } from './dnp3/log.js';
import { DNS_LOGS } from './dns/log.js';
import { ENIP_LOGS } from './enip/log.js';
import { AMQP_LOGS } from './amqp/log.js';
import { LPD_LOGS } from './lpd/log.js';
import { JETDIRECT_LOGS } from './jetdirect/log.js';
import { AJP_LOGS } from './ajp/log.js';
import { FOX_LOGS } from './fox/log.js';
import { REDIS_LOGS } from './redis/log.js';
import { STRATUM_LOGS } from './stratum/log.js';
import { BITCOIN_LOGS } from './bitcoin/log.js';
import { BITTORRENT_LOGS } from './bittorrent/log.js';
import { RSYNC_LOGS } from './rsync/log.js';
import { DRDA_LOGS } from './drda/log.js';
import { XMPP_LOGS } from './xmpp/log.js';
import { FLOWEXPORT_LOGS } from './flowexport/log.js';
import { CHECKMK_LOGS } from './checkmk/log.js';
import { ZABBIX_LOGS } from './zabbix/log.js';
import { SYNCHROPHASOR_LOGS } from './synchrophasor/log.js';
import { C1222_LOGS } from './c1222/log.js';
import { CAPWAP_LOGS } from './capwap/log.js';
import { XDMCP_LOGS } from './xdmcp/log.js';
import { MEGACO_LOGS } from './megaco/log.js';
import { MGCP_LOGS } from './mgcp/log.js';
import { FILES_LOGS } from './files/log.js';
import { INTEL_LOGS } from '../intel/log.js';
import { FTP_LOGS } from './ftp/log.js';
import { H323_LOGS } from './h323/log.js';
import { HL7_LOGS } from './hl7/log.js';
import { ASTM_LOGS } from './astm/log.js';
import { POCT1A_LOGS } from './poct1a/log.js';
import { HTTP_LOGS } from './http/log.js';
import { IEC104_LOGS } from './iec104/log.js';
import { IMAP_LOGS } from './imap/log.js';
import { IPP_LOGS } from './ipp/log.js';
import { KRB_LOGS } from './krb/log.js';
import { LDAP_LOGS } from './ldap/log.js';
import { LLDP_LOGS } from './lldp/log.js';
import { WLAN_LOGS } from './wlan/log.js';
import { KNX_LOGS } from './knx/log.js';
import { LOGIN_LOGS } from './telnet/log.js';
import { MODBUS_LOGS } from './modbus/log.js';
import { MQTT_LOGS } from './mqtt/log.js';
import { MYSQL_LOGS } from './mysql/log.js';
import { OPCUA_LOGS } from './opcua/log.js';
import { NTLM_LOGS } from './ntlm/log.js';
import { NTP_LOGS } from './ntp/log.js';
import { POP3_LOGS } from './pop3/log.js';
import { POSTGRESQL_LOGS } from './postgresql/log.js';
import { PROFINET_LOGS } from './profinet/log.js';
import { RADIUS_LOGS } from './radius/log.js';
import { RDP_LOGS } from './rdp/log.js';
import { INTELLIVUE_LOGS } from './intellivue/log.js';
import { IRC_LOGS } from './irc/log.js';
import { ORACLE_LOGS } from './oracle/log.js';
import { QUIC_LOGS } from './quic/log.js';
import { RDPEUDP_LOGS } from './rdpeudp/log.js';
import { STUN_LOGS } from './stun/log.js';
import { OPENVPN_LOGS } from './openvpn/log.js';
import { IKE_LOGS } from './ike/log.js';
import { PPTP_LOGS } from './pptp/log.js';
import { WIREGUARD_LOGS } from './wireguard/log.js';
import { DNSCRYPT_LOGS } from './dnscrypt/log.js';
import { ISCSI_LOGS } from './iscsi/log.js';
import { RTP_LOGS } from './rtp/log.js';
import { RPC_LOGS } from './rpc/log.js';
import { RFB_LOGS } from './rfb/log.js';
import { RTSP_LOGS } from './rtsp/log.js';
import { S7COMM_LOGS } from './s7comm/log.js';
import { SCCP_LOGS } from './sccp/log.js';
import { SIP_LOGS } from './sip/log.js';
import { SMB_LOGS } from './smb/log.js';
import { SMTP_LOGS } from './smtp/log.js';
import { SNMP_LOGS } from './snmp/log.js';
import { SOCKS_LOGS } from './socks/log.js';
import { SSDP_LOGS } from './ssdp/log.js';
import { SLP_LOGS } from './slp/log.js';
import { WSD_LOGS } from './wsd/log.js';
import { UPNP_LOGS } from './upnp/log.js';
import { SSH_LOGS } from './ssh/log.js';
import { SYSLOG_LOGS } from './syslog/log.js';
import { TDS_LOGS } from './tds/log.js';
import { TFTP_LOGS } from './tftp/log.js';
import { TLS_LOGS } from './tls/log.js';
import { UBDP_LOGS } from './ubdp/log.js';





export interface LogOut {
  log: string;
  record: object;
}

/** Per-run state a mapper may use, e.g. to log something once per run. */
/** Keys remembered by LogRun.once(); past it every new key counts as new (a line logged again). */
const MAX_ONCE_KEYS = 200_000;

/** 31 bits of an xor-multiply hash of a string's UTF-16 units (FNV-1a's, or murmur2's multiplier), finished with murmur3's fmix32. */
function hash31(key: string, seed: number, mul: number): number {
  let h = seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), mul);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}

export class LogRun {
  /**
   * The keys offered so far, as two independent 31-bit hashes (first → second, small integers
   * V8 stores unboxed): about 30 bytes a key instead of the key itself (software keys hold whole
   * user agents, x509 keys a 64-digit fingerprint; 130 bytes each on average on the benchmark).
   * Two keys agreeing on all 62 bits, about one chance in 10^8 with the table full, would cost
   * one log line.
   */
  private readonly seen = new Map<number, number | number[]>();
  private size = 0;
  /** True the first time `key` is offered in this run (bounded memory). */
  once(key: string): boolean {
    const h1 = hash31(key, 0x811c9dc5, 0x01000193);
    const h2 = hash31(key, 0x2f6b1d03, 0x5bd1e995);
    const v = this.seen.get(h1);
    if (v === h2 || (typeof v === 'object' && v.includes(h2))) return false;
    if (this.size >= MAX_ONCE_KEYS) return true;
    this.size++;
    if (v === undefined) this.seen.set(h1, h2);
    else if (typeof v === 'number') this.seen.set(h1, [v, h2]);
    else v.push(h2);
    return true;
  }
}

/** `c` is null for link-layer (frame) events. */
export type LogMapper = (ev: AppEvent, c: Conn | null, m: PacketMeta, run: LogRun) => LogOut | null;

/** Zeek's known_hosts and known_services (src/flow/known.ts): each record once per run. */
const KNOWN_LOGS: Record<string, LogMapper> = {
  'known.host': (ev, _c, _m, run) => (run.once(`known.host|${String(ev.host)}`) ? { log: 'known_hosts', record: { ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)), host: ev.host } } : null),
  'known.service': (ev, _c, _m, run) => {
    const services = ev.service as string[];
    if (!run.once(`known.service|${String(ev.host)}|${String(ev.port_num)}|${String(ev.port_proto)}|${services.join(',')}`)) return null;
    return { log: 'known_services', record: { ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)), host: ev.host, port_num: ev.port_num, port_proto: ev.port_proto, service: services } };
  },
};

export const LOG_MAPPERS: Record<string, LogMapper> = {
  ...KNOWN_LOGS,
  ...SOFTWARE_LOGS,
  ...ARP_LOGS,
  ...NDP_LOGS,
  ...ICMP_LOGS,
  ...STP_LOGS,
  ...HSRP_LOGS,
  ...NATPMP_LOGS,
  ...VRRP_LOGS,
  ...BACNET_LOGS,
  ...CDP_LOGS,
  ...DTP_LOGS,
  ...VTP_LOGS,
  ...EAPOL_LOGS,
  ...MULTICAST_LOGS,
  ...COAP_LOGS,
  ...DCE_RPC_LOGS,
  ...DHCP_LOGS,
  ...DICOM_LOGS,
  ...DNP3_LOGS,
  ...DNS_LOGS,
  ...ENIP_LOGS,
  ...AMQP_LOGS,
  ...JETDIRECT_LOGS,
  ...AJP_LOGS,
  ...FOX_LOGS,
  ...REDIS_LOGS,
  ...STRATUM_LOGS,
  ...BITCOIN_LOGS,
  ...BITTORRENT_LOGS,
  ...RSYNC_LOGS,
  ...DRDA_LOGS,
  ...XMPP_LOGS,
  ...FLOWEXPORT_LOGS,
  ...CHECKMK_LOGS,
  ...ZABBIX_LOGS,
  ...SYNCHROPHASOR_LOGS,
  ...C1222_LOGS,
  ...CAPWAP_LOGS,
  ...XDMCP_LOGS,
  ...LPD_LOGS,
  ...MEGACO_LOGS,
  ...MGCP_LOGS,
  ...FTP_LOGS,
  ...H323_LOGS,
  ...HL7_LOGS,
  ...ASTM_LOGS,
  ...POCT1A_LOGS,
  ...HTTP_LOGS,
  ...FILES_LOGS,
  ...INTEL_LOGS,
  ...IEC104_LOGS,
  ...IMAP_LOGS,
  ...INTELLIVUE_LOGS,
  ...IRC_LOGS,
  ...IPP_LOGS,
  ...UPNP_LOGS,
  ...KRB_LOGS,
  ...LDAP_LOGS,
  ...LLDP_LOGS,
  ...WLAN_LOGS,
  ...LOGIN_LOGS,
  ...MODBUS_LOGS,
  ...MQTT_LOGS,
  ...MYSQL_LOGS,
  ...OPCUA_LOGS,
  ...ORACLE_LOGS,
  ...NTLM_LOGS,
  ...NTP_LOGS,
  ...KNX_LOGS,
  ...POP3_LOGS,
  ...POSTGRESQL_LOGS,
  ...PROFINET_LOGS,
  ...QUIC_LOGS,
  ...RADIUS_LOGS,
  ...RDP_LOGS,
  ...RDPEUDP_LOGS,
  ...RFB_LOGS,
  ...RTSP_LOGS,
  ...S7COMM_LOGS,
  ...SCCP_LOGS,
  ...SIP_LOGS,
  ...SMB_LOGS,
  ...SMTP_LOGS,
  ...SNMP_LOGS,
  ...SOCKS_LOGS,
  ...SSDP_LOGS,
  ...SLP_LOGS,
  ...WSD_LOGS,
  ...SSH_LOGS,
  ...STUN_LOGS,
  ...OPENVPN_LOGS,
  ...IKE_LOGS,
  ...PPTP_LOGS,
  ...WIREGUARD_LOGS,
  ...DNSCRYPT_LOGS,
  ...ISCSI_LOGS,
  ...RTP_LOGS,
  ...RPC_LOGS,
  ...SYSLOG_LOGS,
  ...TDS_LOGS,
  ...TFTP_LOGS,
  ...TLS_LOGS,
  ...UBDP_LOGS,
};
