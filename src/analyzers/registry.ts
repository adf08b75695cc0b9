// Every analyzer wardline runs: one import and one entry each.
import type { AnalyzerSpec, FrameAnalyzerSpec, PacketAnalyzerSpec } from './types.js';
import { AMQP } from './amqp/index.js';
import { ARP } from './arp/index.js';
import { ASTM } from './astm/index.js';
import { POCT1A } from './poct1a/index.js';
import { BACNET } from './bacnet/index.js';
import { CDP } from './cdp/index.js';
import { DTP } from './dtp/index.js';
import { VTP } from './vtp/index.js';
import { EAPOL } from './eapol/index.js';
import { IGMP, MLD } from './multicast/index.js';
import { PVST, STP } from './stp/index.js';
import { COAP } from './coap/index.js';
import { DHCP } from './dhcp/index.js';
import { DICOM } from './dicom/index.js';
import { DNS } from './dns/index.js';
import { DNP3_TCP, DNP3_UDP } from './dnp3/index.js';
import { DNSCRYPT_TCP, DNSCRYPT_UDP } from './dnscrypt/index.js';
import { CIP_IO, ENIP } from './enip/index.js';
import { FTP } from './ftp/index.js';
import { H323 } from './h323/index.js';
import { HL7 } from './hl7/index.js';
import { HTTP } from './http/index.js';
import { IEC104 } from './iec104/index.js';
import { IMAP } from './imap/index.js';
import { ISCSI } from './iscsi/index.js';
import { KNX } from './knx/index.js';
import { LPD } from './lpd/index.js';
import { JETDIRECT } from './jetdirect/index.js';
import { AJP } from './ajp/index.js';
import { FOX } from './fox/index.js';
import { CHECKMK } from './checkmk/index.js';
import { ZABBIX } from './zabbix/index.js';
import { SYNCHROPHASOR } from './synchrophasor/index.js';
import { C1222 } from './c1222/index.js';
import { CAPWAP } from './capwap/index.js';
import { XDMCP } from './xdmcp/index.js';
import { MEGACO } from './megaco/index.js';
import { MGCP } from './mgcp/index.js';
import { KRB } from './krb/index.js';
import { LDAP } from './ldap/index.js';
import { LLDP } from './lldp/index.js';
import { WLAN } from './wlan/index.js';
import { MODBUS } from './modbus/index.js';
import { MQTT } from './mqtt/index.js';
import { NDP } from './ndp/index.js';
import { ICMP } from './icmp/index.js';
import { VRRP } from './vrrp/index.js';
import { IP_PROTOCOLS } from './ipproto/index.js';
import { MYSQL } from './mysql/index.js';
import { OPCUA } from './opcua/index.js';
import { NBDGM } from './nbdgm/index.js';
import { NTLM } from './ntlm/index.js';
import { NTP } from './ntp/index.js';
import { HSRP } from './hsrp/index.js';
import { NATPMP } from './natpmp/index.js';
import { POP3 } from './pop3/index.js';
import { POSTGRESQL } from './postgresql/index.js';
import { PROFINET } from './profinet/index.js';
import { RADIUS } from './radius/index.js';
import { RDP } from './rdp/index.js';
import { REDIS } from './redis/index.js';
import { STRATUM } from './stratum/index.js';
import { BITCOIN } from './bitcoin/index.js';
import { BITTORRENT } from './bittorrent/index.js';
import { RSYNC } from './rsync/index.js';
import { DRDA } from './drda/index.js';
import { XMPP } from './xmpp/index.js';
import { FLOWEXPORT } from './flowexport/index.js';
import { INTELLIVUE } from './intellivue/index.js';
import { IRC } from './irc/index.js';
import { ORACLE } from './oracle/index.js';
import { QUIC } from './quic/index.js';
import { RDPEUDP } from './rdpeudp/index.js';
import { RFB } from './rfb/index.js';
import { RLOGIN } from './rlogin/index.js';
import { RPC } from './rpc/index.js';
import { RTP } from './rtp/index.js';
import { RTSP } from './rtsp/index.js';
import { S7COMM } from './s7comm/index.js';
import { SCCP } from './sccp/index.js';
import { SIP } from './sip/index.js';
import { SLP } from './slp/index.js';
import { SMB } from './smb/index.js';
import { SMTP } from './smtp/index.js';
import { SNMP } from './snmp/index.js';
import { SOCKS } from './socks/index.js';
import { SSDP } from './ssdp/index.js';
import { WSD } from './wsd/index.js';
import { SSH } from './ssh/index.js';
import { SYSLOG } from './syslog/index.js';
import { TDS } from './tds/index.js';
import { TELNET } from './telnet/index.js';
import { TFTP } from './tftp/index.js';
import { FTP_DATA } from './ftp/data.js';
import { STUN } from './stun/index.js';
import { OPENVPN } from './openvpn/index.js';
import { IKE } from './ike/index.js';
import { PPTP } from './pptp/index.js';
import { WIREGUARD } from './wireguard/index.js';
import { TEAMVIEWER } from './teamviewer/index.js';
import { TLS } from './tls/index.js';
import { UBDP } from './ubdp/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  AJP,
  AMQP,
  ASTM,
  POCT1A,
  BACNET,
  C1222,
  CAPWAP,
  CHECKMK,
  COAP,
  DHCP,
  DICOM,
  DNP3_TCP, DNP3_UDP,
  DNSCRYPT_UDP, DNSCRYPT_TCP,
  DNS,
  ENIP, CIP_IO,
  FOX,
  FTP,
  H323,
  HL7,
  HTTP,
  IEC104,
  IKE,
  ISCSI,
  IMAP,
  INTELLIVUE,
  IRC,
  KNX,
  KRB,
  LDAP,
  JETDIRECT,
  LPD,
  MEGACO,
  MGCP,
  MODBUS,
  MQTT,
  MYSQL,
  OPCUA,
  OPENVPN,
  ORACLE,
  NBDGM,
  NTLM,
  NTP,
  HSRP,
  NATPMP,
  POP3,
  POSTGRESQL,
  PPTP,
  QUIC,
  RADIUS,
  RDP,
  REDIS,
  RDPEUDP,
  RFB,
  RLOGIN,
  RPC,
  RTP,
  RTSP,
  S7COMM,
  SCCP,
  SIP,
  SLP,
  SMB,
  SMTP,
  SNMP,
  SOCKS,
  SSDP,
  STRATUM,
  BITCOIN,
  BITTORRENT,
  RSYNC,
  DRDA,
  XMPP,
  FLOWEXPORT,
  WSD,
  ZABBIX,
  SSH,
  STUN,
  SYNCHROPHASOR,
  SYSLOG,
  TDS,
  TEAMVIEWER,
  TELNET,
  TFTP,
  FTP_DATA,
  TLS,
  UBDP,
  WIREGUARD,
  XDMCP,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
  ARP,
  CDP,
  DTP,
  VTP,
  EAPOL,
  LLDP,
  PROFINET,
  STP,
  PVST,
  WLAN,
];

export const PACKET_ANALYZERS: PacketAnalyzerSpec[] = [NDP, ICMP, VRRP, IGMP, MLD, IP_PROTOCOLS];
