// KNXnet/IP (KNX Standard 03.08.02 Core, 03.08.04 Tunnelling, 03.08.05 Routing; ISO/IEC 14543-3):
// the 6-byte header, host protocol address information (HPAI), the description information
// blocks (DIB) of search and description responses, and the cEMI L_Data frames that tunnelling
// requests and routing indications carry. Pure functions over (buffer, offset, length).
import { escapeBytes } from '../l2text.js';

export const KNX_PORT = 3671;
export const HEADER_LEN = 6;
/** Protocol versions 1.0 and 2.0 of the header. */
const VERSIONS = new Set([0x10, 0x20]);

export const SEARCH_REQUEST = 0x0201;
export const SEARCH_RESPONSE = 0x0202;
export const DESCRIPTION_RESPONSE = 0x0204;
export const CONNECT_REQUEST = 0x0205;
export const CONNECT_RESPONSE = 0x0206;
export const SEARCH_RESPONSE_EXT = 0x020c;
export const TUNNELLING_REQUEST = 0x0420;
export const DEVICE_CONFIGURATION_REQUEST = 0x0310;
export const ROUTING_INDICATION = 0x0530;
export const SECURE_WRAPPER = 0x0950;

export const SERVICES: Readonly<Record<number, string>> = {
  0x0201: 'search_request',
  0x0202: 'search_response',
  0x0203: 'description_request',
  0x0204: 'description_response',
  0x0205: 'connect_request',
  0x0206: 'connect_response',
  0x0207: 'connectionstate_request',
  0x0208: 'connectionstate_response',
  0x0209: 'disconnect_request',
  0x020a: 'disconnect_response',
  0x020b: 'search_request_ext',
  0x020c: 'search_response_ext',
  0x0310: 'device_configuration_request',
  0x0311: 'device_configuration_ack',
  0x0420: 'tunnelling_request',
  0x0421: 'tunnelling_ack',
  0x0422: 'tunnelling_feature_get',
  0x0423: 'tunnelling_feature_response',
  0x0424: 'tunnelling_feature_set',
  0x0425: 'tunnelling_feature_info',
  0x0530: 'routing_indication',
  0x0531: 'routing_lost_message',
  0x0532: 'routing_busy',
  0x0533: 'routing_system_broadcast',
  0x0740: 'remote_diag_request',
  0x0741: 'remote_diag_response',
  0x0742: 'remote_basic_config_request',
  0x0743: 'remote_reset_request',
  0x0950: 'secure_wrapper',
  0x0951: 'secure_session_request',
  0x0952: 'secure_session_response',
  0x0953: 'secure_session_authenticate',
  0x0954: 'secure_session_status',
  0x0955: 'secure_timer_notify',
};

const MEDIA: Readonly<Record<number, string>> = { 0x01: 'TP0', 0x02: 'TP1', 0x04: 'PL110', 0x08: 'PL132', 0x10: 'RF', 0x20: 'IP' };
const FAMILIES: Readonly<Record<number, string>> = {
  0x02: 'core',
  0x03: 'device_management',
  0x04: 'tunnelling',
  0x05: 'routing',
  0x06: 'remote_logging',
  0x07: 'remote_configuration',
  0x08: 'object_server',
  0x09: 'security',
};

const DIB_DEVICE_INFO = 0x01;
const DIB_SUPP_SVC_FAMILIES = 0x02;
const DIB_MFR_DATA = 0xfe;
const DEVICE_INFO_LEN = 54;
const FRIENDLY_NAME_LEN = 30;
const MAX_DIBS = 16;
const MAX_FAMILIES = 16;

export interface Header {
  service: number;
  /** Total length announced (header included). */
  total: number;
}

function u16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

/** The header, when `b` starts with one whose total length fits in `len`. */
export function parseHeader(b: Uint8Array, off: number, len: number): Header | null {
  if (len < HEADER_LEN || b[off] !== HEADER_LEN || !VERSIONS.has(b[off + 1])) return null;
  const service = u16(b, off + 2);
  const total = u16(b, off + 4);
  if (total < HEADER_LEN || total > len) return null;
  return { service, total };
}

/** An individual address area.line.device (4/4/8 bits). */
export function individualAddress(v: number): string {
  return `${v >> 12}.${(v >> 8) & 0x0f}.${v & 0xff}`;
}

/** A group address main/middle/sub (5/3/8 bits, the three-level form ETS shows). */
export function groupAddress(v: number): string {
  return `${v >> 11}/${(v >> 8) & 0x07}/${v & 0xff}`;
}

export interface Hpai {
  protocol: 'udp' | 'tcp' | string;
  ip: string;
  port: number;
}

/** "192.168.10.20:3671/udp". */
export function hpaiText(h: Hpai): string {
  return `${h.ip}:${h.port}/${h.protocol}`;
}

/** A host protocol address information block at `p` (8 bytes). */
export function parseHpai(b: Uint8Array, p: number, end: number): Hpai | null {
  if (p + 8 > end || b[p] !== 8) return null;
  const proto = b[p + 1];
  return { protocol: proto === 1 ? 'udp' : proto === 2 ? 'tcp' : `0x${proto.toString(16)}`, ip: `${b[p + 2]}.${b[p + 3]}.${b[p + 4]}.${b[p + 5]}`, port: u16(b, p + 6) };
}

export interface DeviceInfo {
  medium: string;
  prog_mode: boolean;
  knx_address: string;
  project_id: number;
  /** 12 hex digits; the first four are the KNX manufacturer code. */
  serial: string;
  multicast: string;
  mac: string;
  friendly_name?: string;
  families?: string[];
  manufacturer_id?: number;
}

function hexOf(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += b[p + i].toString(16).padStart(2, '0');
  return s;
}

/** The description information blocks from `p` to `end` (search and description responses). */
export function parseDibs(b: Uint8Array, p: number, end: number): DeviceInfo | null {
  let info: DeviceInfo | null = null;
  const families: string[] = [];
  let mfr: number | undefined;
  for (let n = 0; n < MAX_DIBS && p + 2 <= end; n++) {
    const len = b[p];
    const type = b[p + 1];
    if (len < 2 || p + len > end) return null;
    if (type === DIB_DEVICE_INFO && len === DEVICE_INFO_LEN) {
      const nameEnd = p + 24 + FRIENDLY_NAME_LEN;
      let stop = p + 24;
      while (stop < nameEnd && b[stop] !== 0) stop++;
      const name = escapeBytes(b, p + 24, stop, true).trim();
      info = {
        medium: MEDIA[b[p + 2]] ?? `0x${b[p + 2].toString(16)}`,
        prog_mode: (b[p + 3] & 0x01) !== 0,
        knx_address: individualAddress(u16(b, p + 4)),
        project_id: u16(b, p + 6),
        serial: hexOf(b, p + 8, 6),
        multicast: `${b[p + 14]}.${b[p + 15]}.${b[p + 16]}.${b[p + 17]}`,
        mac: Array.from(b.subarray(p + 18, p + 24), (x) => x.toString(16).padStart(2, '0')).join(':'),
      };
      if (name !== '') info.friendly_name = name;
    } else if (type === DIB_SUPP_SVC_FAMILIES) {
      for (let q = p + 2; q + 1 < p + len && families.length < MAX_FAMILIES; q += 2) families.push(`${FAMILIES[b[q]] ?? `0x${b[q].toString(16)}`} v${b[q + 1]}`);
    } else if (type === DIB_MFR_DATA && len >= 4) {
      mfr = u16(b, p + 2);
    }
    p += len;
  }
  if (info === null) return null;
  if (families.length > 0) info.families = families;
  if (mfr !== undefined) info.manufacturer_id = mfr;
  return info;
}

/** cEMI message codes of the data link layer (KNX 03.06.03 §4.1.4). */
const CEMI_CODES: Readonly<Record<number, string>> = {
  0x11: 'L_Data.req',
  0x2e: 'L_Data.con',
  0x29: 'L_Data.ind',
  0x10: 'L_Raw.req',
  0x2d: 'L_Raw.ind',
  0x2f: 'L_Raw.con',
  0x2b: 'L_Busmon.ind',
  0xfc: 'M_PropRead.req',
  0xfb: 'M_PropRead.con',
  0xf6: 'M_PropWrite.req',
  0xf5: 'M_PropWrite.con',
  0xf1: 'M_Reset.req',
  0xf0: 'M_Reset.ind',
};

/** Application-layer services (APCI, 10 bits; KNX 03.03.07), by their 4 high bits or in full for the escape range. */
const APCI: Readonly<Record<number, string>> = {
  0x000: 'GroupValueRead',
  0x040: 'GroupValueResponse',
  0x080: 'GroupValueWrite',
  0x0c0: 'IndividualAddressWrite',
  0x100: 'IndividualAddressRead',
  0x140: 'IndividualAddressResponse',
  0x180: 'ADC_Read',
  0x1c0: 'ADC_Response',
  0x200: 'MemoryRead',
  0x240: 'MemoryResponse',
  0x280: 'MemoryWrite',
  0x2c0: 'UserMessage',
  0x300: 'DeviceDescriptorRead',
  0x340: 'DeviceDescriptorResponse',
  0x380: 'Restart',
};
const APCI_ESCAPE: Readonly<Record<number, string>> = {
  0x3d1: 'AuthorizeRequest',
  0x3d2: 'AuthorizeResponse',
  0x3d3: 'KeyWrite',
  0x3d4: 'KeyResponse',
  0x3d5: 'PropertyValueRead',
  0x3d6: 'PropertyValueResponse',
  0x3d7: 'PropertyValueWrite',
  0x3d8: 'PropertyDescriptionRead',
  0x3d9: 'PropertyDescriptionResponse',
  0x3dc: 'IndividualAddressSerialNumberRead',
  0x3dd: 'IndividualAddressSerialNumberResponse',
  0x3de: 'IndividualAddressSerialNumberWrite',
  0x3e0: 'DomainAddressWrite',
  0x3e1: 'DomainAddressRead',
  0x3f1: 'SecureService',
};

/** Services that change a device: group writes switch and set the building, the rest reprogram it. */
export const COMMANDS: ReadonlySet<string> = new Set([
  'GroupValueWrite',
  'IndividualAddressWrite',
  'MemoryWrite',
  'Restart',
  'KeyWrite',
  'PropertyValueWrite',
  'IndividualAddressSerialNumberWrite',
  'DomainAddressWrite',
  'M_PropWrite.req',
  'M_Reset.req',
]);

export interface Cemi {
  code: string;
  src?: string;
  dst?: string;
  dst_group?: boolean;
  apci?: string;
}

/** A cEMI frame at `p`: the message code and, for L_Data, addresses and application service. */
export function parseCemi(b: Uint8Array, p: number, end: number): Cemi | null {
  if (p + 2 > end) return null;
  const mc = b[p];
  const c: Cemi = { code: CEMI_CODES[mc] ?? `0x${mc.toString(16)}` };
  if (mc !== 0x11 && mc !== 0x29 && mc !== 0x2e) return c;
  const q = p + 2 + b[p + 1];
  // ctrl1, ctrl2, source, destination, NPDU length, TPCI/APCI.
  if (q + 7 > end) return c;
  const ctrl2 = b[q + 1];
  c.src = individualAddress(u16(b, q + 2));
  const dst = u16(b, q + 4);
  c.dst_group = (ctrl2 & 0x80) !== 0;
  c.dst = c.dst_group ? groupAddress(dst) : individualAddress(dst);
  const npduLen = b[q + 6];
  // A data PDU (TPCI bit 7 clear) carries an APCI in the low 2 bits of the TPCI byte and the next.
  if (npduLen >= 1 && q + 9 <= end && (b[q + 7] & 0x80) === 0) {
    const apci = ((b[q + 7] & 0x03) << 8) | b[q + 8];
    const high = apci & 0x3c0;
    c.apci = high === 0x3c0 ? (APCI_ESCAPE[apci] ?? `0x${apci.toString(16)}`) : APCI[high];
  }
  return c;
}
