// DHCPv6 message parser (RFC 8415 §8 message formats, §11 DUIDs, §21 options; RFC 4704
// client FQDN). Relay-forward/relay-reply messages are unwrapped to the client message they
// carry (bounded depth). Pure: bytes in, fields or a status out; never reads out of bounds.
import { hexString, ipv6String, logString, u16, u32 } from '../dns/text.js';

export const DHCP6_SOLICIT = 1;
export const DHCP6_RELAY_FORW = 12;
export const DHCP6_RELAY_REPL = 13;
const DHCP6_MAX_TYPE = 36;
const RELAY_HEADER_LEN = 34;
/** RFC 8415 §19.1: HOP_COUNT_LIMIT is 8; deeper nesting is not a real relay chain. */
const MAX_RELAY_DEPTH = 8;
const MAX_OPTIONS = 256;

export const OPT6_CLIENTID = 1;
export const OPT6_SERVERID = 2;
export const OPT6_IA_NA = 3;
export const OPT6_IA_TA = 4;
export const OPT6_IAADDR = 5;
export const OPT6_ORO = 6;
export const OPT6_RELAY_MSG = 9;
export const OPT6_USER_CLASS = 15;
export const OPT6_VENDOR_CLASS = 16;
export const OPT6_VENDOR_OPTS = 17;
export const OPT6_DNS_SERVERS = 23;
export const OPT6_IA_PD = 25;
export const OPT6_IAPREFIX = 26;
export const OPT6_CLIENT_FQDN = 39;

const IA_NA_HEADER = 12;
const IA_TA_HEADER = 4;
const IAADDR_FIXED = 24;
const IAPREFIX_FIXED = 25;

const DUID_LLT = 1;
const DUID_EN = 2;
const DUID_LL = 3;
const HWTYPE_ETHERNET = 1;
const MAX_LABELS = 128;

/** RFC 8415 §7.3 and later registrations. */
export const DHCP6_MESSAGE_TYPES: Record<number, string> = {
  1: 'SOLICIT',
  2: 'ADVERTISE',
  3: 'REQUEST',
  4: 'CONFIRM',
  5: 'RENEW',
  6: 'REBIND',
  7: 'REPLY',
  8: 'RELEASE',
  9: 'DECLINE',
  10: 'RECONFIGURE',
  11: 'INFORMATION-REQUEST',
  12: 'RELAY-FORW',
  13: 'RELAY-REPL',
  14: 'LEASEQUERY',
  15: 'LEASEQUERY-REPLY',
};

export interface Duid {
  /** The whole DUID as hex (the stable client identity). */
  hex: string;
  type: number;
  /** Link-layer address of DUID-LLT/DUID-LL with Ethernet hardware type. */
  mac?: string;
  enterprise?: number;
}

export interface Dhcp6Message {
  msgType: number;
  xid: number;
  /** Relay hops unwrapped to reach this message. */
  relayHops: number;
  optionCodes: number[];
  clientId?: Duid;
  serverId?: Duid;
  /** Option Request Option codes, in order (a fingerprint like DHCPv4 option 55). */
  oro?: number[];
  vendorClass?: { enterprise: number; data: string[] };
  userClass?: string[];
  clientFqdn?: string;
  addresses: string[];
  prefixes: string[];
  dnsServers?: string[];
  truncatedOptions: boolean;
}

export type Dhcp6Status = 'short' | 'bad_type' | 'relay_too_deep';

export function parseDhcp6(buf: Uint8Array, off: number, len: number): Dhcp6Message | Dhcp6Status {
  let depth = 0;
  let o = off;
  let l = len;
  // Relay messages wrap the client's message in OPTION_RELAY_MSG (RFC 8415 §9).
  while (l >= 1 && (buf[o] === DHCP6_RELAY_FORW || buf[o] === DHCP6_RELAY_REPL)) {
    if (++depth > MAX_RELAY_DEPTH) return 'relay_too_deep';
    if (l < RELAY_HEADER_LEN) return 'short';
    const inner = findOption(buf, o + RELAY_HEADER_LEN, l - RELAY_HEADER_LEN, OPT6_RELAY_MSG);
    if (inner === null) return 'short';
    o = inner[0];
    l = inner[1];
  }
  if (l < 4) return 'short';
  const t = buf[o];
  if (t === 0 || t > DHCP6_MAX_TYPE) return 'bad_type';
  const m: Dhcp6Message = {
    msgType: t,
    xid: (buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3],
    relayHops: depth,
    optionCodes: [],
    addresses: [],
    prefixes: [],
    truncatedOptions: false,
  };
  walk(buf, o + 4, l - 4, m, true);
  return m;
}

function findOption(buf: Uint8Array, off: number, len: number, want: number): [number, number] | null {
  const end = off + len;
  let p = off;
  let n = 0;
  while (p + 4 <= end && n++ < MAX_OPTIONS) {
    const code = u16(buf, p);
    const ol = u16(buf, p + 2);
    if (p + 4 + ol > end) return null;
    if (code === want) return [p + 4, ol];
    p += 4 + ol;
  }
  return null;
}

/** Walks an option list; `top` records codes for the fingerprint, nested lists only addresses. */
function walk(buf: Uint8Array, off: number, len: number, m: Dhcp6Message, top: boolean): void {
  const end = off + len;
  let p = off;
  let n = 0;
  while (p < end) {
    if (p + 4 > end || n++ >= MAX_OPTIONS) {
      m.truncatedOptions = true;
      return;
    }
    const code = u16(buf, p);
    const ol = u16(buf, p + 2);
    const v = p + 4;
    if (v + ol > end) {
      m.truncatedOptions = true;
      return;
    }
    if (top) m.optionCodes.push(code);
    switch (code) {
      case OPT6_CLIENTID:
        if (top) m.clientId = duid(buf, v, ol);
        break;
      case OPT6_SERVERID:
        if (top) m.serverId = duid(buf, v, ol);
        break;
      case OPT6_ORO:
        if (top) {
          m.oro = [];
          for (let i = 0; i + 2 <= ol; i += 2) m.oro.push(u16(buf, v + i));
        }
        break;
      case OPT6_VENDOR_CLASS:
        if (top && ol >= 4) m.vendorClass = { enterprise: u32(buf, v), data: lengthPrefixed(buf, v + 4, ol - 4) };
        break;
      case OPT6_USER_CLASS:
        if (top) m.userClass = lengthPrefixed(buf, v, ol);
        break;
      case OPT6_CLIENT_FQDN:
        if (top && ol >= 1) m.clientFqdn = wireName(buf, v + 1, ol - 1);
        break;
      case OPT6_DNS_SERVERS:
        if (top) {
          m.dnsServers = [];
          for (let i = 0; i + 16 <= ol; i += 16) m.dnsServers.push(ipv6String(buf, v + i));
        }
        break;
      case OPT6_IA_NA:
      case OPT6_IA_PD:
        if (ol >= IA_NA_HEADER) walk(buf, v + IA_NA_HEADER, ol - IA_NA_HEADER, m, false);
        break;
      case OPT6_IA_TA:
        if (ol >= IA_TA_HEADER) walk(buf, v + IA_TA_HEADER, ol - IA_TA_HEADER, m, false);
        break;
      case OPT6_IAADDR:
        if (ol >= IAADDR_FIXED && m.addresses.length < MAX_OPTIONS) m.addresses.push(ipv6String(buf, v));
        break;
      case OPT6_IAPREFIX:
        if (ol >= IAPREFIX_FIXED && m.prefixes.length < MAX_OPTIONS) m.prefixes.push(`${ipv6String(buf, v + 9)}/${buf[v + 8]}`);
        break;
    }
    p = v + ol;
  }
}

/** RFC 8415 §11: DUID-LLT, DUID-EN, DUID-LL, DUID-UUID. */
function duid(buf: Uint8Array, off: number, len: number): Duid {
  const d: Duid = { hex: hexString(buf, off, len), type: len >= 2 ? u16(buf, off) : 0 };
  if (d.type === DUID_LLT && len === 14 && u16(buf, off + 2) === HWTYPE_ETHERNET) d.mac = hexString(buf, off + 8, 6, ':');
  else if (d.type === DUID_LL && len === 10 && u16(buf, off + 2) === HWTYPE_ETHERNET) d.mac = hexString(buf, off + 4, 6, ':');
  else if (d.type === DUID_EN && len >= 6) d.enterprise = u32(buf, off + 2);
  return d;
}

/** RFC 8415 §21.15/§21.16: a list of (2-byte length, opaque data). */
function lengthPrefixed(buf: Uint8Array, off: number, len: number): string[] {
  const out: string[] = [];
  let p = off;
  const end = off + len;
  while (p + 2 <= end && out.length < MAX_LABELS) {
    const l = u16(buf, p);
    if (p + 2 + l > end) break;
    out.push(logString(buf, p + 2, l));
    p += 2 + l;
  }
  return out;
}

function wireName(buf: Uint8Array, off: number, len: number): string {
  const labels: string[] = [];
  let p = off;
  const end = off + len;
  while (p < end && labels.length < MAX_LABELS) {
    const l = buf[p];
    if (l === 0 || l > 63 || p + 1 + l > end) break;
    labels.push(logString(buf, p + 1, l));
    p += 1 + l;
  }
  return labels.join('.');
}
