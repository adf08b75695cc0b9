// Services by what it means for Internet hosts to reach them (the internet-exposure finding and
// its monitor alert): remote administration and file sharing, databases, clinical, industrial,
// clear-text management, or other.

/**
 * Datagram services whose reply to an Internet address exposes the device (answering SNMP,
 * building and industrial protocols, CoAP, TFTP). Media and signalling (RTP, SIP, STUN) reach
 * phones from the Internet through NAT by design and are left out.
 */
export const INBOUND_UDP: ReadonlySet<string> = new Set(['snmp', 'bacnet', 'coap', 'enip', 'cip', 'knx', 'dnp3_udp', 'tftp', 'profinet', 'opcua']);

/** Remote administration and file sharing, by conn.log service. */
const ADMIN_SERVICES = new Set(['rdp', 'smb', 'telnet', 'rlogin', 'rfb', 'dce_rpc', 'teamviewer']);
/** Databases. */
const DATABASE_SERVICES = new Set(['mysql', 'postgresql', 'mssql', 'oracle', 'redis']);
/** Clinical messaging and imaging. */
const CLINICAL_SERVICES = new Set(['dicom', 'hl7', 'astm', 'poct1a', 'intellivue']);
/** Industrial and building control. */
const ICS_SERVICES = new Set(['modbus', 'bacnet', 'enip', 'cip', 's7comm', 's7comm-plus', 'dnp3_tcp', 'dnp3_udp', 'iec104', 'opcua', 'knx', 'profinet', 'niagara_fox', 'synchrophasor', 'c1222']);
/** Management and file transfer in clear. */
const CLEAR_MGMT_SERVICES = new Set(['snmp', 'ftp', 'tftp']);

export type ExposureKind = 'admin' | 'database' | 'clinical' | 'ics' | 'management' | 'other';

/**
 * The well-known ports of the services whose reach from outside matters, with their names and
 * kinds: what a connection without an analyzer's verdict is taken for (exposureKind), and what a
 * port a host asks its gateway to open is (the monitor's port-mapping). SSH, MQTT and raw printing
 * are named but of no kind: reaching them from the Internet is often deliberate.
 */
export const SERVICE_PORTS: ReadonlyMap<number, { name: string; kind: ExposureKind }> = new Map(
  (
    [
      [21, 'FTP', 'management'], [22, 'SSH', 'other'], [23, 'Telnet', 'admin'], [69, 'TFTP', 'management'], [102, 'S7comm', 'ics'],
      [104, 'DICOM', 'clinical'], [135, 'Windows RPC', 'admin'], [139, 'NetBIOS sessions', 'admin'], [161, 'SNMP', 'management'],
      [445, 'SMB', 'admin'], [502, 'Modbus', 'ics'], [513, 'rlogin', 'admin'], [1153, 'C12.22', 'ics'], [1433, 'SQL Server', 'database'],
      [1521, 'Oracle', 'database'], [1883, 'MQTT', 'other'], [1911, 'Niagara Fox', 'ics'], [2404, 'IEC 60870-5-104', 'ics'],
      [2575, 'HL7', 'clinical'], [2761, 'DICOM over TLS', 'clinical'], [3306, 'MySQL', 'database'], [3389, 'RDP', 'admin'],
      [4242, 'DICOM', 'clinical'], [4712, 'Synchrophasor', 'ics'], [4840, 'OPC UA', 'ics'], [5432, 'PostgreSQL', 'database'],
      [5900, 'VNC', 'admin'], [5901, 'VNC', 'admin'], [5902, 'VNC', 'admin'], [5903, 'VNC', 'admin'], [5985, 'WinRM', 'admin'],
      [5986, 'WinRM', 'admin'], [6379, 'Redis', 'database'], [9100, 'raw printing', 'other'], [11112, 'DICOM', 'clinical'],
      [20000, 'DNP3', 'ics'], [27017, 'MongoDB', 'database'], [44818, 'EtherNet/IP', 'ics'], [47808, 'BACnet', 'ics'],
    ] as const
  ).map(([port, name, kind]) => [port, { name, kind }]),
);

/** What kind of service a conn.log service (or, without one, a port) is. */
export function exposureKind(service: string, port: number): ExposureKind {
  if (service === '') return SERVICE_PORTS.get(port)?.kind ?? 'other';
  const services = service.split(',');
  const has = (set: ReadonlySet<string>): boolean => services.some((s) => set.has(s));
  if (has(ADMIN_SERVICES)) return 'admin';
  if (has(CLINICAL_SERVICES)) return 'clinical';
  if (has(ICS_SERVICES)) return 'ics';
  if (has(DATABASE_SERVICES)) return 'database';
  if (has(CLEAR_MGMT_SERVICES)) return 'management';
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

