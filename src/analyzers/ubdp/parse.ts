// Ubiquiti Discovery Protocol (UBDP), UDP 10001: how UniFi access points, switches, gateways and
// cameras, airMAX radios and EdgeRouters announce themselves and answer discovery queries.
// Ubiquiti publishes no specification; the layout is the one tshark 4.0's dissector and Nmap
// 7.93's ubiquiti-discovery script read:
//   version (1) | command (1) | length (2, big-endian, the bytes after these four) | TLVs
// Version 1 has command 0; version 2 uses 0x06 (a device's periodic announcement), 0x08 (a
// query), 0x09 and 0x0b (answers). A message without TLVs is a query (`01 00 00 00` from the
// UniFi controller or a scanner); the device answers from port 10001 to the asker.
// Each TLV is type (1) | length (2, big-endian) | value.
// Pure functions over (buffer, offset, length): no state, no I/O.
import { ipv4At, macAt, printable } from '../l2text.js';

export const UBDP_PORT = 10001;
export const HEADER_LEN = 4;
export const TLV_HEADER_LEN = 3;
export const VERSION_1 = 0x01;
export const VERSION_2 = 0x02;

/** Version 2's command codes (tshark and Nmap know these four). */
export const V2_ANNOUNCE = 0x06;
export const V2_QUERY = 0x08;
const V2_COMMANDS = new Set([V2_ANNOUNCE, V2_QUERY, 0x09, 0x0b]);

/** TLV types. */
export const T_HW_MAC = 0x01;
export const T_MAC_IP = 0x02;
export const T_FIRMWARE = 0x03;
/** 0x06–0x09: user name, salt, challenges of the (old) authenticated exchange: never kept. */
export const T_MGMT_PORT = 0x0f;
export const T_UPTIME = 0x0a;
export const T_HOSTNAME = 0x0b;
export const T_PRODUCT = 0x0c;
export const T_ESSID = 0x0d;
export const T_WMODE = 0x0e;
export const T_SYSTEM_ID = 0x10;
export const T_COUNTER = 0x12;
export const T_MAC = 0x13;
export const T_MODEL = 0x14;
export const T_MODEL_SHORT = 0x15;
export const T_FW_VERSION = 0x16;
export const T_IS_DEFAULT = 0x17;
export const T_LOCATING = 0x18;
export const T_DHCPC = 0x19;
export const T_DHCPC_BOUND = 0x1a;
export const T_PLATFORM_VERSION = 0x1b;

/**
 * The value sizes of the fixed-size types (0x17 and 0x18 are a byte on current firmware, four on
 * some older; Nmap reads both). A TLV of one of these types with another size is not UBDP.
 */
const FIXED: Readonly<Record<number, readonly number[]>> = {
  [T_HW_MAC]: [6],
  [T_MAC_IP]: [10],
  [T_UPTIME]: [4],
  [T_WMODE]: [1],
  [T_SYSTEM_ID]: [2],
  [T_COUNTER]: [4],
  [T_MAC]: [6],
  [T_MGMT_PORT]: [4],
  [T_IS_DEFAULT]: [1, 4],
  [T_LOCATING]: [1, 4],
  [T_DHCPC]: [1],
  [T_DHCPC_BOUND]: [1],
};

/** Types this parser reads or deliberately skips; any other is counted as unknown. */
const KNOWN = new Set([T_HW_MAC, T_MAC_IP, T_FIRMWARE, 0x06, 0x07, 0x08, 0x09, T_UPTIME, T_HOSTNAME, T_PRODUCT, T_ESSID, T_WMODE, T_MGMT_PORT, T_SYSTEM_ID, T_COUNTER, T_MAC, T_MODEL, T_MODEL_SHORT, T_FW_VERSION, T_IS_DEFAULT, T_LOCATING, T_DHCPC, T_DHCPC_BOUND, T_PLATFORM_VERSION]);

/** A datagram carries a few dozen TLVs at most (the real announcements here have 14 and 28). */
export const MAX_TLVS = 64;
export const MAX_ADDRESSES = 16;
const MAX_TEXT = 256;

export interface Header {
  version: number;
  command: number;
  /** The stated length of the TLV list. */
  length: number;
}

function u16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

/** The header, when `b` starts with a version 1 or 2 header whose TLV list fits in `len`. */
export function parseHeader(b: Uint8Array, off: number, len: number): Header | null {
  if (len < HEADER_LEN) return null;
  const version = b[off];
  const command = b[off + 1];
  if (version === VERSION_1) {
    if (command !== 0) return null;
  } else if (version !== VERSION_2 || !V2_COMMANDS.has(command)) return null;
  const length = u16(b, off + 2);
  if (HEADER_LEN + length > len) return null;
  return { version, command, length };
}

export interface WalkResult {
  /** TLVs in the list. */
  tlvs: number;
  /** Of which of a type this parser reads (or deliberately skips). */
  known: number;
}

/**
 * Walks the TLV list of `length` bytes at `p`: null unless it ends exactly there, within
 * MAX_TLVS, with every fixed-size type at its size. The probe's structural check.
 */
export function walkTlvs(b: Uint8Array, p: number, length: number): WalkResult | null {
  const end = p + length;
  let tlvs = 0;
  let known = 0;
  while (p < end) {
    if (p + TLV_HEADER_LEN > end || tlvs >= MAX_TLVS) return null;
    const t = b[p];
    const n = u16(b, p + 1);
    p += TLV_HEADER_LEN;
    if (p + n > end) return null;
    const sizes = FIXED[t];
    if (sizes !== undefined && !sizes.includes(n)) return null;
    if (KNOWN.has(t)) known++;
    tlvs++;
    p += n;
  }
  return { tlvs, known };
}

/** What one announcement says of its sender. Absent fields were not in the message. */
export interface Announcement {
  hostname?: string;
  /** 0x0c: the platform's short code (UGW3, U7PG2, US24P250, LM5 …). */
  product?: string;
  /** 0x14 (long, version 1) or else 0x15 (version 2, often the short code again). */
  model?: string;
  /** 0x03: the detailed firmware string (UniFiSecurityGateway.ER-e120.v4.3.33.4936086.161203.2031). */
  firmware?: string;
  /** 0x16: the firmware version alone. */
  firmware_version?: string;
  /** 0x1b: the platform (required) firmware version. */
  platform_version?: string;
  essid?: string;
  wireless_mode?: number;
  /** Seconds since boot. */
  uptime?: number;
  /** 0x17: still in its factory-default state (not adopted by a controller, not configured). */
  is_default?: boolean;
  locating?: boolean;
  dhcp_client?: boolean;
  dhcp_bound?: boolean;
  system_id?: number;
  counter?: number;
  /** 0x0f: the web management port (the low 16 bits, as Nmap reads it). */
  mgmt_port?: number;
  /** The sender's interface MACs (0x01, 0x02, 0x13), each once, in order. */
  macs: string[];
  /** The sender's IPv4 addresses (0x02), each once, in order. */
  addresses: string[];
  /** TLVs of types not read here. */
  unknown_tlvs: number;
  /** The list ran past its stated end (what came before was read). */
  truncated: boolean;
}

function text(b: Uint8Array, p: number, n: number): string {
  return printable(b, p, p + n, MAX_TEXT);
}

function pushOnce(list: string[], v: string): void {
  if (list.length < MAX_ADDRESSES && !list.includes(v)) list.push(v);
}

/** Reads the TLV list of `length` bytes at `p` (after a header parseHeader accepted). */
export function parseAnnouncement(b: Uint8Array, p: number, length: number): Announcement {
  const a: Announcement = { macs: [], addresses: [], unknown_tlvs: 0, truncated: false };
  const end = p + length;
  let longModel = false;
  for (let i = 0; p < end; i++) {
    if (i >= MAX_TLVS || p + TLV_HEADER_LEN > end) {
      a.truncated = true;
      break;
    }
    const t = b[p];
    const n = u16(b, p + 1);
    const v = p + TLV_HEADER_LEN;
    if (v + n > end) {
      a.truncated = true;
      break;
    }
    p = v + n;
    const sizes = FIXED[t];
    // A fixed-size type at another size is damage: skipped, as an unknown one.
    if (sizes !== undefined && !sizes.includes(n)) {
      a.unknown_tlvs++;
      continue;
    }
    switch (t) {
      case T_HW_MAC:
      case T_MAC:
        pushOnce(a.macs, macAt(b, v));
        break;
      case T_MAC_IP:
        pushOnce(a.macs, macAt(b, v));
        pushOnce(a.addresses, ipv4At(b, v + 6));
        break;
      case T_FIRMWARE:
        a.firmware ??= text(b, v, n);
        break;
      case T_UPTIME:
        a.uptime ??= u32(b, v);
        break;
      case T_HOSTNAME:
        a.hostname ??= text(b, v, n);
        break;
      case T_PRODUCT:
        a.product ??= text(b, v, n);
        break;
      case T_ESSID:
        a.essid ??= text(b, v, n);
        break;
      case T_WMODE:
        a.wireless_mode ??= b[v];
        break;
      case T_MGMT_PORT:
        a.mgmt_port ??= u16(b, v + 2);
        break;
      case T_SYSTEM_ID:
        a.system_id ??= u16(b, v);
        break;
      case T_COUNTER:
        a.counter ??= u32(b, v);
        break;
      case T_MODEL:
        // The long model wins over a short one read before it.
        if (!longModel) a.model = text(b, v, n);
        longModel = true;
        break;
      case T_MODEL_SHORT:
        a.model ??= text(b, v, n);
        break;
      case T_FW_VERSION:
        a.firmware_version ??= text(b, v, n);
        break;
      case T_IS_DEFAULT:
        a.is_default ??= nonZero(b, v, n);
        break;
      case T_LOCATING:
        a.locating ??= nonZero(b, v, n);
        break;
      case T_DHCPC:
        a.dhcp_client ??= b[v] !== 0;
        break;
      case T_DHCPC_BOUND:
        a.dhcp_bound ??= b[v] !== 0;
        break;
      case T_PLATFORM_VERSION:
        a.platform_version ??= text(b, v, n);
        break;
      default:
        if (!KNOWN.has(t)) a.unknown_tlvs++;
    }
  }
  return a;
}

/** A flag of one byte, or four on older firmware (either byte order): set when any byte is. */
function nonZero(b: Uint8Array, p: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[p + i] !== 0) return true;
  return false;
}
