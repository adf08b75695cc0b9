// Which handler reads which analyzer event. Events not listed say nothing about identity.
import type { ObserveCtx } from './observe-ctx.js';
import { arpBinding, cdpNeighbor, dhcp6Message, dhcpMessage, lldpNeighbor, profinetDcp, profinetRt, radiusBinding, wlanMgmt } from './observe-link.js';
import { dnsTransaction, mdnsRecords, nbnsName, netbiosDatagram } from './observe-names.js';
import { dceRpcCall, krbHost, ntlmAuth, ntlmServerNames, ntlmVersion, rdpSession, smbDialect, smbNativeOs, smbNetbiosSession } from './observe-windows.js';
import { astmMessage, dicomAssociate, hl7Message, intellivueAssociation, intellivueIdentity, poct1aMessage } from './observe-medical.js';
import { bacnetMessage, dnp3Transaction, enipMessage, iec104Apdu, knxMessage, modbusMessage, opcuaSession, s7commMessage } from './observe-ics.js';
import { coapTransaction, httpTransaction, ippTransaction, mqttConnect, oracleSession, rpcProgram, remoteAccessSoftware, rtspTransaction, snmpSystem, software, ssdpMessage, sshIdent, sslCertificate, sslClientHello, tftpRequest } from './observe-apps.js';
import { wsdMessage } from './observe-wsd.js';

export const HANDLERS: Readonly<Record<string, (x: ObserveCtx) => void>> = {
  'arp.binding': arpBinding,
  'dhcp.message': dhcpMessage,
  'dhcpv6.message': dhcp6Message,
  'lldp.neighbor': lldpNeighbor,
  'cdp.neighbor': cdpNeighbor,
  'profinet.dcp': profinetDcp,
  'profinet.rt': profinetRt,
  'radius.binding': radiusBinding,
  'wlan.mgmt': wlanMgmt,
  'dns.transaction': dnsTransaction,
  'mdns.records': mdnsRecords,
  'nbns.name': nbnsName,
  'netbios.datagram': netbiosDatagram,
  'ntlm.version': ntlmVersion,
  'ntlm.server_names': ntlmServerNames,
  'ntlm.auth': ntlmAuth,
  'krb.host': krbHost,
  'dce_rpc.call': dceRpcCall,
  'smb.native_os': smbNativeOs,
  'smb.netbios_session': smbNetbiosSession,
  'smb.dialect': smbDialect,
  'rdp.session': rdpSession,
  'dicom.associate': dicomAssociate,
  'hl7.message': hl7Message,
  'astm.message': astmMessage,
  'poct1a.message': poct1aMessage,
  'oracle.session': oracleSession,
  'rpc.program': rpcProgram,
  'intellivue.identity': intellivueIdentity,
  'intellivue.association': intellivueAssociation,
  'enip.message': enipMessage,
  'bacnet.message': bacnetMessage,
  'knx.message': knxMessage,
  'teamviewer.session': remoteAccessSoftware,
  'modbus.message': modbusMessage,
  's7comm.message': s7commMessage,
  'iec104.apdu': iec104Apdu,
  'dnp3.transaction': dnp3Transaction,
  'opcua.session': opcuaSession,
  'http.transaction': httpTransaction,
  'ipp.transaction': ippTransaction,
  software,
  'ssh.ident': sshIdent,
  'snmp.system': snmpSystem,
  'ssdp.message': ssdpMessage,
  'wsd.message': wsdMessage,
  'ssl.client_hello': sslClientHello,
  'ssl.certificate': sslCertificate,
  'mqtt.connect': mqttConnect,
  'coap.transaction': coapTransaction,
  'rtsp.transaction': rtspTransaction,
  'tftp.request': tftpRequest,
};
