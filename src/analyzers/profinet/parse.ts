// PROFINET parser (IEC 61158-6-10, ethertype 0x8892): the FrameID that opens every PROFINET
// real-time frame (§4.2.2.2: which range means cyclic RT_CLASS_1/2/3 data, alarms, PTCP or
// DCP) and the Discovery and basic Configuration Protocol (DCP, §4.3): a header of ServiceID,
// ServiceType, Xid, ResponseDelay and DCPDataLength, then blocks of Option, Suboption and
// DCPBlockLength, each padded to an even length. Which prefix a block's value has depends on the
// PDU: BlockInfo (2 octets) in Identify/Get responses and Hello, BlockQualifier (2 octets) in a
// Set request, none in Identify filters; a Get request is a bare list of Option/Suboption pairs.
// Pure; damage is reported in `problems`.
import { ipv4At, macAt, printable } from '../l2text.js';

export const FRAME_ID_HELLO = 0xfefc;
export const FRAME_ID_GET_SET = 0xfefd;
export const FRAME_ID_IDENTIFY_REQUEST = 0xfefe;
export const FRAME_ID_IDENTIFY_RESPONSE = 0xfeff;
const FRAME_ID_ALARM_HIGH = 0xfc01;
const FRAME_ID_ALARM_LOW = 0xfe01;

/** FrameID ranges (IEC 61158-6-10 Table "FrameID"; Wireshark's pn_rt names them the same). */
const PTCP_SYNC_LAST = 0x00ff;
const RTC3_FIRST = 0x0100;
const RTC3_LAST = 0x0fff;
const RESERVED_LAST = 0x7fff;
const RTC1_FIRST = 0x8000;
const RTC1_LAST = 0xbfff;
const RTC1_LEGACY_FIRST = 0xc000;
const RTC1_LEGACY_LAST = 0xfbff;
const PTCP_FIRST = 0xff00;
const PTCP_LAST = 0xff5f;

const SERVICE_GET = 3;
const SERVICE_SET = 4;
const SERVICE_IDENTIFY = 5;
const SERVICE_HELLO = 6;
const SERVICE_NAMES: Record<number, string> = { [SERVICE_GET]: 'get', [SERVICE_SET]: 'set', [SERVICE_IDENTIFY]: 'identify', [SERVICE_HELLO]: 'hello' };
/** ServiceType: bit 0 response, bit 2 "request not supported" (§4.3.1.3.3). */
const TYPE_RESPONSE = 0x01;
const TYPE_UNSUPPORTED = 0x04;

const OPT_IP = 1;
const OPT_DEVICE = 2;
const OPT_DHCP = 3;
const OPT_CONTROL = 5;
const OPT_DEVICE_INITIATIVE = 6;
const OPT_ALL = 0xff;
const IP_MAC = 1;
const IP_PARAMETER = 2;
const IP_FULL_SUITE = 3;
const DEV_VENDOR = 1;
const DEV_NAME_OF_STATION = 2;
const DEV_ID = 3;
const DEV_ROLE = 4;
const DEV_OPTIONS = 5;
const DEV_ALIAS = 6;
const DEV_INSTANCE = 7;
const DEV_OEM_ID = 8;
const CTL_START = 1;
const CTL_STOP = 2;
const CTL_SIGNAL = 3;
const CTL_RESPONSE = 4;
const CTL_FACTORY_RESET = 5;
const CTL_RESET_TO_FACTORY = 6;
/** IP BlockInfo: bits 0-1 how the address was set, bit 7 an address conflict (§4.3.1.4.4). */
const IP_INFO_MASK = 0x03;
const IP_INFO_CONFLICT = 0x80;
const IP_INFO_NAMES = ['none', 'static', 'dhcp', 'reserved'];
/** Set request BlockQualifier bit 0: keep the value over a power cycle. */
const QUALIFIER_PERMANENT = 0x0001;
/** DeviceRoleDetails bits. */
const ROLE_NAMES = ['io-device', 'io-controller', 'io-multidevice', 'io-supervisor'];

const DCP_HEADER = 10;
const BLOCK_HEADER = 4;
const PREFIX = 2;
const MAX_BLOCKS = 64;
const MAX_LIST = 32;
const MAX_NAME = 240;

export type FrameKind = 'dcp' | 'rtc3' | 'rtc1' | 'rtc1_legacy' | 'reserved' | 'alarm_high' | 'alarm_low' | 'ptcp' | 'other';

/** What a FrameID says the frame is. */
export function frameKind(id: number): FrameKind {
  if (id >= FRAME_ID_HELLO && id <= FRAME_ID_IDENTIFY_RESPONSE) return 'dcp';
  if (id <= PTCP_SYNC_LAST || (id >= PTCP_FIRST && id <= PTCP_LAST)) return 'ptcp';
  if (id >= RTC3_FIRST && id <= RTC3_LAST) return 'rtc3';
  if (id <= RESERVED_LAST) return 'reserved';
  if (id >= RTC1_FIRST && id <= RTC1_LAST) return 'rtc1';
  if (id >= RTC1_LEGACY_FIRST && id <= RTC1_LEGACY_LAST) return 'rtc1_legacy';
  if (id === FRAME_ID_ALARM_HIGH) return 'alarm_high';
  if (id === FRAME_ID_ALARM_LOW) return 'alarm_low';
  return 'other';
}

export interface DcpInfo {
  frame_id: number;
  /** identify request, identify response, get, set, hello. */
  frame: string;
  service: string;
  /** request, response, unsupported (a response saying the request is not supported). */
  service_type: string;
  xid: number;
  /** Identify request: the spread of the responses, in 10 ms units. */
  response_delay?: number;
  name_of_station?: string;
  type_of_station?: string;
  vendor_id?: number;
  device_id?: number;
  device_role?: string[];
  device_instance?: number;
  oem_vendor_id?: number;
  oem_device_id?: number;
  alias?: string;
  /** The Option/Suboption pairs the station supports (Device Options block). */
  device_options?: string[];
  mac?: string;
  ip?: string;
  netmask?: string;
  gateway?: string;
  dns?: string[];
  /** How the IP parameter was set (static, dhcp, none) and whether a conflict was detected. */
  ip_source?: string;
  ip_conflict?: boolean;
  /** Identify request: the filter blocks (`all` or the options the station must match). */
  filter?: string[];
  /** Get request: the options asked for. */
  requested?: string[];
  /** Set request: what it changes (name_of_station, ip, factory_reset, signal …). */
  set?: boolean;
  set_options?: string[];
  /** Set request: at least one value is to be kept permanently. */
  set_permanent?: boolean;
  /** Set/Get response: the options that failed, as `option:error`. */
  errors?: string[];
  /** Named damage: truncated_header, truncated_block, bad_data_length, too_many_blocks. */
  problems: string[];
}

const DEVICE_SUBOPTIONS: Record<number, string> = {
  [DEV_VENDOR]: 'type_of_station',
  [DEV_NAME_OF_STATION]: 'name_of_station',
  [DEV_ID]: 'device_id',
  [DEV_ROLE]: 'device_role',
  [DEV_OPTIONS]: 'device_options',
  [DEV_ALIAS]: 'alias',
  [DEV_INSTANCE]: 'device_instance',
  [DEV_OEM_ID]: 'oem_device_id',
};
const CONTROL_SUBOPTIONS: Record<number, string> = {
  [CTL_START]: 'start',
  [CTL_STOP]: 'stop',
  [CTL_SIGNAL]: 'signal',
  [CTL_RESPONSE]: 'response',
  [CTL_FACTORY_RESET]: 'factory_reset',
  [CTL_RESET_TO_FACTORY]: 'reset_to_factory',
};

/** The name of an Option/Suboption pair as the logs show it. */
export function optionName(opt: number, sub: number): string {
  switch (opt) {
    case OPT_IP:
      return sub === IP_MAC ? 'mac' : sub === IP_PARAMETER ? 'ip' : sub === IP_FULL_SUITE ? 'ip_suite' : `ip/${sub}`;
    case OPT_DEVICE:
      return DEVICE_SUBOPTIONS[sub] ?? `device/${sub}`;
    case OPT_DHCP:
      return `dhcp/${sub}`;
    case OPT_CONTROL:
      return CONTROL_SUBOPTIONS[sub] ?? `control/${sub}`;
    case OPT_DEVICE_INITIATIVE:
      return 'device_initiative';
    case OPT_ALL:
      return 'all';
    default:
      return `${opt}/${sub}`;
  }
}

function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

function frameName(frameId: number, service: number): string {
  if (frameId === FRAME_ID_IDENTIFY_REQUEST) return 'identify request';
  if (frameId === FRAME_ID_IDENTIFY_RESPONSE) return 'identify response';
  if (frameId === FRAME_ID_HELLO) return 'hello';
  return service === SERVICE_SET ? 'set' : 'get';
}

/** `off`/`len`: the PROFINET frame from its FrameID on (the frame padding may follow the PDU). */
export function parseDcp(buf: Uint8Array, off: number, len: number): DcpInfo | null {
  if (len < 2) return null;
  const frameId = u16(buf, off);
  if (frameKind(frameId) !== 'dcp') return null;
  const out: DcpInfo = { frame_id: frameId, frame: '', service: '', service_type: '', xid: 0, problems: [] };
  const h = off + 2;
  const frameEnd = off + len;
  if (frameEnd - h < DCP_HEADER) {
    out.frame = frameName(frameId, -1);
    out.problems.push('truncated_header');
    return out;
  }
  const service = buf[h];
  const stype = buf[h + 1];
  out.service = SERVICE_NAMES[service] ?? `service_${service}`;
  out.frame = frameName(frameId, service);
  const response = (stype & TYPE_RESPONSE) !== 0;
  out.service_type = (stype & TYPE_UNSUPPORTED) !== 0 ? 'unsupported' : response ? 'response' : 'request';
  out.xid = ((buf[h + 2] << 24) | (buf[h + 3] << 16) | (buf[h + 4] << 8) | buf[h + 5]) >>> 0;
  if (frameId === FRAME_ID_IDENTIFY_REQUEST) out.response_delay = u16(buf, h + 6);
  const dataLen = u16(buf, h + 8);
  let end = h + DCP_HEADER + dataLen;
  if (end > frameEnd) {
    out.problems.push('bad_data_length');
    end = frameEnd;
  }
  const p0 = h + DCP_HEADER;
  if (service === SERVICE_GET && !response) {
    // A Get request names options, two octets each, without lengths.
    for (let p = p0; p + 2 <= end && (out.requested ??= []).length < MAX_LIST; p += 2) out.requested.push(optionName(buf[p], buf[p + 1]));
    return out;
  }
  // Responses and Hello carry BlockInfo, a Set request a BlockQualifier, Identify filters nothing.
  const setRequest = service === SERVICE_SET && !response;
  const prefixed = response || service === SERVICE_HELLO || setRequest;
  if (setRequest) out.set = true;
  let p = p0;
  for (let i = 0; p < end; i++) {
    if (i === MAX_BLOCKS) {
      out.problems.push('too_many_blocks');
      break;
    }
    if (end - p < BLOCK_HEADER) {
      out.problems.push('truncated_block');
      break;
    }
    const opt = buf[p];
    const sub = buf[p + 1];
    const bl = u16(buf, p + 2);
    const v = p + BLOCK_HEADER;
    const vEnd = v + bl;
    if (vEnd > end) {
      out.problems.push('truncated_block');
      break;
    }
    block(buf, opt, sub, v, vEnd, prefixed, setRequest, frameId === FRAME_ID_IDENTIFY_REQUEST, out);
    // Blocks start on even offsets: an odd length is followed by one octet of padding.
    p = vEnd + (bl & 1);
  }
  return out;
}

function pushBounded(list: string[], v: string): void {
  if (list.length < MAX_LIST) list.push(v);
}

function block(buf: Uint8Array, opt: number, sub: number, v: number, end: number, prefixed: boolean, setRequest: boolean, filter: boolean, out: DcpInfo): void {
  const name = optionName(opt, sub);
  if (filter) pushBounded((out.filter ??= []), name);
  // The Control option's Response block (a Set/Get response) has neither BlockInfo nor qualifier.
  if (opt === OPT_CONTROL && sub === CTL_RESPONSE) {
    if (end - v >= 3 && buf[v + 2] !== 0) pushBounded((out.errors ??= []), `${optionName(buf[v], buf[v + 1])}:${buf[v + 2]}`);
    return;
  }
  let d = v;
  let info = -1;
  if (prefixed) {
    if (end - v < PREFIX) return;
    info = u16(buf, v);
    d = v + PREFIX;
  }
  // Start and Stop only bracket a Set transaction; they change nothing themselves.
  if (setRequest && !(opt === OPT_CONTROL && (sub === CTL_START || sub === CTL_STOP))) {
    pushBounded((out.set_options ??= []), name);
    if ((info & QUALIFIER_PERMANENT) !== 0) out.set_permanent = true;
  }
  const n = end - d;
  switch (opt) {
    case OPT_IP:
      if (sub === IP_MAC && n >= 6) out.mac = macAt(buf, d);
      else if ((sub === IP_PARAMETER || sub === IP_FULL_SUITE) && n >= 12) {
        out.ip = ipv4At(buf, d);
        out.netmask = ipv4At(buf, d + 4);
        out.gateway = ipv4At(buf, d + 8);
        if (sub === IP_FULL_SUITE) {
          for (let q = d + 12; q + 4 <= end && (out.dns ??= []).length < 4; q += 4) if (u16(buf, q) !== 0 || u16(buf, q + 2) !== 0) out.dns.push(ipv4At(buf, q));
        }
        if (info >= 0 && !setRequest) {
          out.ip_source = IP_INFO_NAMES[info & IP_INFO_MASK];
          if ((info & IP_INFO_CONFLICT) !== 0) out.ip_conflict = true;
        }
      }
      break;
    case OPT_DEVICE:
      device(buf, sub, d, end, out);
      break;
    default:
      break;
  }
}

function device(buf: Uint8Array, sub: number, d: number, end: number, out: DcpInfo): void {
  const n = end - d;
  switch (sub) {
    case DEV_VENDOR:
      out.type_of_station = printable(buf, d, end, MAX_NAME);
      break;
    case DEV_NAME_OF_STATION:
      out.name_of_station = printable(buf, d, end, MAX_NAME);
      break;
    case DEV_ALIAS:
      out.alias = printable(buf, d, end, MAX_NAME);
      break;
    case DEV_ID:
      if (n >= 4) {
        out.vendor_id = u16(buf, d);
        out.device_id = u16(buf, d + 2);
      }
      break;
    case DEV_OEM_ID:
      if (n >= 4) {
        out.oem_vendor_id = u16(buf, d);
        out.oem_device_id = u16(buf, d + 2);
      }
      break;
    case DEV_ROLE:
      if (n >= 1) {
        const roles: string[] = [];
        for (let i = 0; i < ROLE_NAMES.length; i++) if (buf[d] & (1 << i)) roles.push(ROLE_NAMES[i]);
        out.device_role = roles;
      }
      break;
    case DEV_INSTANCE:
      if (n >= 2) out.device_instance = u16(buf, d);
      break;
    case DEV_OPTIONS: {
      const list: string[] = [];
      for (let q = d; q + 2 <= end && list.length < MAX_LIST; q += 2) list.push(optionName(buf[q], buf[q + 1]));
      out.device_options = list;
      break;
    }
    default:
      break;
  }
}
