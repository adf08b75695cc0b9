// Services by what it means for Internet hosts to reach them (the internet-exposure finding and
// its monitor alert): remote administration and file sharing, databases, clinical, industrial,
// clear-text management, or other.

/**
 * Datagram services whose reply to an Internet address exposes the device (answering SNMP,
 * building and industrial protocols, CoAP, TFTP). Media and signalling (RTP, SIP, STUN) reach
 * phones from the Internet through NAT by design and are left out.
 */
export const INBOUND_UDP: ReadonlySet<string> = new Set(['snmp', 'bacnet', 'coap', 'enip', 'cip', 'knx', 'dnp3_udp', 'tftp', 'profinet', 'opcua']);

/** Remote administration and file sharing, by conn.log service and by well-known port. */
const ADMIN_SERVICES = new Set(['rdp', 'smb', 'telnet', 'rlogin', 'rfb', 'dce_rpc', 'teamviewer']);
const ADMIN_PORTS = new Set([23, 135, 139, 445, 513, 3389, 5900, 5901, 5902, 5903, 5985, 5986]);
/** Databases. */
const DATABASE_SERVICES = new Set(['mysql', 'postgresql', 'mssql', 'oracle', 'redis']);
const DATABASE_PORTS = new Set([1433, 1521, 3306, 5432, 6379]);
/** Clinical messaging and imaging. */
const CLINICAL_SERVICES = new Set(['dicom', 'hl7', 'astm', 'poct1a', 'intellivue']);
const CLINICAL_PORTS = new Set([104, 2575, 2761, 4242, 11112]);
/** Industrial and building control. */
const ICS_SERVICES = new Set(['modbus', 'bacnet', 'enip', 'cip', 's7comm', 's7comm-plus', 'dnp3_tcp', 'dnp3_udp', 'iec104', 'opcua', 'knx', 'profinet', 'niagara_fox', 'synchrophasor', 'c1222']);
const ICS_PORTS = new Set([102, 502, 1153, 1911, 2404, 4712, 4840, 20000, 44818, 47808]);
/** Management and file transfer in clear. */
const CLEAR_MGMT_SERVICES = new Set(['snmp', 'ftp', 'tftp']);
const CLEAR_MGMT_PORTS = new Set([21, 69, 161]);

export type ExposureKind = 'admin' | 'database' | 'clinical' | 'ics' | 'management' | 'other';

/** What kind of service a conn.log service (or, without one, a port) is. */
export function exposureKind(service: string, port: number): ExposureKind {
  const services = service === '' ? [] : service.split(',');
  const has = (set: ReadonlySet<string>, ports: ReadonlySet<number>): boolean => services.some((s) => set.has(s)) || (services.length === 0 && ports.has(port));
  if (has(ADMIN_SERVICES, ADMIN_PORTS)) return 'admin';
  if (has(CLINICAL_SERVICES, CLINICAL_PORTS)) return 'clinical';
  if (has(ICS_SERVICES, ICS_PORTS)) return 'ics';
  if (has(DATABASE_SERVICES, DATABASE_PORTS)) return 'database';
  if (has(CLEAR_MGMT_SERVICES, CLEAR_MGMT_PORTS)) return 'management';
  return 'other';
}

export const KIND_TEXT: Record<ExposureKind, string> = {
  admin: 'remote administration or file sharing',
  database: 'a database',
  clinical: 'clinical messaging or imaging',
  ics: 'industrial or building control',
  management: 'management or file transfer in clear text',
  other: '',
};

