// DHCPv4 message parser: the BOOTP header (RFC 2131 §2, Figure 1) and the options that
// identify a device or its lease (RFC 2132, RFC 3046 relay agent information, RFC 4702 client
// FQDN, RFC 3396 concatenation of repeated options, RFC 2131 §4.1 option overload into the
// `file`/`sname` fields). Pure: bytes in, fields or a status out; never reads out of bounds.
import { hexString, ipv4String, logString, u16, u32 } from '../dns/text.js';

export const BOOTP_HEADER_LEN = 236;
export const DHCP_MAGIC_COOKIE = 0x63825363;
const OPTIONS_OFF = BOOTP_HEADER_LEN + 4;
const CHADDR_OFF = 28;
const SNAME_OFF = 44;
const SNAME_LEN = 64;
const FILE_OFF = 108;
const FILE_LEN = 128;

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;

export const OPT_PAD = 0;
export const OPT_SUBNET_MASK = 1;
export const OPT_ROUTER = 3;
export const OPT_DNS_SERVERS = 6;
/** Classless static routes: RFC 3442, and Microsoft's pre-standard copy of it. */
export const OPT_CLASSLESS_ROUTES = 121;
export const OPT_MS_CLASSLESS_ROUTES = 249;
const MAX_ROUTES = 64;
export const OPT_HOST_NAME = 12;
export const OPT_DOMAIN_NAME = 15;
export const OPT_VENDOR_SPECIFIC = 43;
export const OPT_REQUESTED_ADDR = 50;
export const OPT_LEASE_TIME = 51;
export const OPT_OVERLOAD = 52;
export const OPT_MESSAGE_TYPE = 53;
export const OPT_SERVER_ID = 54;
export const OPT_PARAM_REQUEST_LIST = 55;
export const OPT_MESSAGE = 56;
export const OPT_MAX_MESSAGE_SIZE = 57;
export const OPT_VENDOR_CLASS = 60;
export const OPT_CLIENT_ID = 61;
export const OPT_USER_CLASS = 77;
export const OPT_CLIENT_FQDN = 81;
export const OPT_RELAY_AGENT_INFO = 82;
export const OPT_END = 255;

/** RFC 4702 §2.1: the E bit says the domain name is in DNS wire format. */
const FQDN_FLAG_E = 0x04;
/** RFC 3046 §3: relay agent sub-options logged by Zeek's sub-opts policy (RFC 3993 for 6). */
export const RELAY_CIRCUIT_ID = 1;
export const RELAY_REMOTE_ID = 2;
export const RELAY_SUBSCRIBER_ID = 6;
const ARP_HTYPE_ETHERNET = 1;
/** An option appearing more often than this is not a real client (RFC 3396 allows splitting). */
const MAX_OPTIONS = 512;
const MAX_LABELS = 128;

/** DHCP message types (RFC 2132 §9.6, RFC 3203, RFC 4388, RFC 6926), as Zeek names them. */
export const DHCP_MESSAGE_TYPES: Record<number, string> = {
  1: 'DISCOVER',
  2: 'OFFER',
  3: 'REQUEST',
  4: 'DECLINE',
  5: 'ACK',
  6: 'NAK',
  7: 'RELEASE',
  8: 'INFORM',
  9: 'FORCERENEW',
  10: 'LEASEQUERY',
  11: 'LEASEUNASSIGNED',
  12: 'LEASEUNKNOWN',
  13: 'LEASEACTIVE',
  14: 'BULKLEASEQUERY',
  15: 'LEASEQUERYDONE',
  16: 'ACTIVELEASEQUERY',
  17: 'LEASEQUERYSTATUS',
  18: 'TLS',
};

export interface DhcpClientId {
  hwtype: number;
  /** MAC form for Ethernet (hwtype 1, 6 bytes), else the escaped bytes (Zeek shows the string). */
  hwaddr: string;
}

export interface DhcpRelayInfo {
  circuit_id?: string;
  agent_remote_id?: string;
  subscriber_id?: string;
  /** Every sub-option code, in order. */
  codes: number[];
}

export interface DhcpMessage {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** Client hardware address as a MAC (hlen 6), '' when not a MAC. */
  chaddr: string;
  /** Option 53, 0 when absent (plain BOOTP). */
  msgType: number;
  /** Option codes in wire order (a device fingerprint of its own), pads and END excluded. */
  optionCodes: number[];
  hostName?: string;
  domainName?: string;
  requestedAddr?: string;
  leaseTime?: number;
  serverId?: string;
  paramList?: number[];
  message?: string;
  maxMessageSize?: number;
  vendorClass?: string;
  clientId?: DhcpClientId;
  userClass?: string;
  clientFqdn?: string;
  fqdnFlags?: number;
  relay?: DhcpRelayInfo;
  /** Option 43 as hex: its layout is vendor-defined. */
  vendorSpecific?: string;
  subnetMask?: string;
  routers?: string[];
  dnsServers?: string[];
  /** Option 121 (else 249): "destination/width via router", in order; a client that takes them ignores option 3. */
  classlessRoutes?: string[];
  /** Damage seen while parsing options (a Suricata-style flag). */
  truncatedOptions: boolean;
}

export type DhcpStatus = 'short' | 'no_cookie' | 'bad_op';

/** Parses one DHCPv4 datagram. */
export function parseDhcp(buf: Uint8Array, off: number, len: number): DhcpMessage | DhcpStatus {
  if (len < OPTIONS_OFF) return 'short';
  const op = buf[off];
  if (op !== BOOTREQUEST && op !== BOOTREPLY) return 'bad_op';
  if (u32(buf, off + BOOTP_HEADER_LEN) !== DHCP_MAGIC_COOKIE) return 'no_cookie';
  const hlen = buf[off + 2];
  const m: DhcpMessage = {
    op,
    htype: buf[off + 1],
    hlen,
    hops: buf[off + 3],
    xid: u32(buf, off + 4),
    secs: u16(buf, off + 8),
    flags: u16(buf, off + 10),
    ciaddr: ipv4String(buf, off + 12),
    yiaddr: ipv4String(buf, off + 16),
    siaddr: ipv4String(buf, off + 20),
    giaddr: ipv4String(buf, off + 24),
    chaddr: hlen === 6 ? hexString(buf, off + CHADDR_OFF, 6, ':') : '',
    msgType: 0,
    optionCodes: [],
    truncatedOptions: false,
  };
  const raw = new Map<number, Uint8Array[]>();
  const overload = scanOptions(buf, off + OPTIONS_OFF, len - OPTIONS_OFF, raw, m);
  // RFC 2131 §4.1: with option 52, `file` then `sname` carry further options.
  if (overload & 1) scanOptions(buf, off + FILE_OFF, FILE_LEN, raw, m);
  if (overload & 2) scanOptions(buf, off + SNAME_OFF, SNAME_LEN, raw, m);
  decodeOptions(raw, m);
  return m;
}

/** Collects option values by code (repeated codes are concatenated, RFC 3396); returns overload. */
function scanOptions(buf: Uint8Array, off: number, len: number, raw: Map<number, Uint8Array[]>, m: DhcpMessage): number {
  const end = off + len;
  let p = off;
  let overload = 0;
  while (p < end) {
    const code = buf[p];
    if (code === OPT_PAD) {
      p++;
      continue;
    }
    if (code === OPT_END) return overload;
    if (p + 2 > end) {
      m.truncatedOptions = true;
      return overload;
    }
    const olen = buf[p + 1];
    if (p + 2 + olen > end) {
      m.truncatedOptions = true;
      return overload;
    }
    if (m.optionCodes.length >= MAX_OPTIONS) {
      m.truncatedOptions = true;
      return overload;
    }
    m.optionCodes.push(code);
    const v = buf.subarray(p + 2, p + 2 + olen);
    const l = raw.get(code);
    if (l === undefined) raw.set(code, [v]);
    else l.push(v);
    if (code === OPT_OVERLOAD && olen >= 1) overload = v[0] & 3;
    p += 2 + olen;
  }
  return overload;
}

function joined(parts: Uint8Array[] | undefined): Uint8Array | undefined {
  if (parts === undefined) return undefined;
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}

function addrList(v: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= v.length; i += 4) out.push(ipv4String(v, i));
  return out;
}

function decodeOptions(raw: Map<number, Uint8Array[]>, m: DhcpMessage): void {
  let v = joined(raw.get(OPT_MESSAGE_TYPE));
  if (v !== undefined && v.length >= 1) m.msgType = v[0];
  v = joined(raw.get(OPT_HOST_NAME));
  if (v !== undefined) m.hostName = logString(v, 0, v.length);
  v = joined(raw.get(OPT_DOMAIN_NAME));
  if (v !== undefined) m.domainName = logString(v, 0, v.length);
  v = joined(raw.get(OPT_REQUESTED_ADDR));
  if (v !== undefined && v.length >= 4) m.requestedAddr = ipv4String(v, 0);
  v = joined(raw.get(OPT_LEASE_TIME));
  if (v !== undefined && v.length >= 4) m.leaseTime = u32(v, 0);
  v = joined(raw.get(OPT_SERVER_ID));
  if (v !== undefined && v.length >= 4) m.serverId = ipv4String(v, 0);
  v = joined(raw.get(OPT_PARAM_REQUEST_LIST));
  if (v !== undefined) m.paramList = Array.from(v);
  v = joined(raw.get(OPT_MESSAGE));
  if (v !== undefined) m.message = logString(v, 0, v.length);
  v = joined(raw.get(OPT_MAX_MESSAGE_SIZE));
  if (v !== undefined && v.length >= 2) m.maxMessageSize = u16(v, 0);
  v = joined(raw.get(OPT_VENDOR_CLASS));
  if (v !== undefined) m.vendorClass = logString(v, 0, v.length);
  v = joined(raw.get(OPT_USER_CLASS));
  if (v !== undefined) m.userClass = logString(v, 0, v.length);
  v = joined(raw.get(OPT_CLIENT_ID));
  if (v !== undefined && v.length >= 1) {
    const hwtype = v[0];
    const rest = v.length - 1;
    m.clientId = {
      hwtype,
      hwaddr: hwtype === ARP_HTYPE_ETHERNET && rest === 6 ? hexString(v, 1, 6, ':') : logString(v, 1, rest),
    };
  }
  v = joined(raw.get(OPT_CLIENT_FQDN));
  if (v !== undefined && v.length >= 3) {
    m.fqdnFlags = v[0];
    m.clientFqdn = v[0] & FQDN_FLAG_E ? wireName(v, 3) : logString(v, 3, v.length - 3);
  }
  v = joined(raw.get(OPT_RELAY_AGENT_INFO));
  if (v !== undefined) m.relay = relayInfo(v);
  v = joined(raw.get(OPT_VENDOR_SPECIFIC));
  if (v !== undefined) m.vendorSpecific = hexString(v, 0, v.length);
  v = joined(raw.get(OPT_SUBNET_MASK));
  if (v !== undefined && v.length >= 4) m.subnetMask = ipv4String(v, 0);
  v = joined(raw.get(OPT_ROUTER));
  if (v !== undefined) m.routers = addrList(v);
  v = joined(raw.get(OPT_DNS_SERVERS));
  if (v !== undefined) m.dnsServers = addrList(v);
  v = joined(raw.get(OPT_CLASSLESS_ROUTES)) ?? joined(raw.get(OPT_MS_CLASSLESS_ROUTES));
  if (v !== undefined) m.classlessRoutes = classlessRoutes(v);
}

/**
 * RFC 3442 §3: each route is the prefix width, the significant octets of the destination
 * (width / 8 rounded up), then the router's address. A width over 32 or a short route ends it.
 */
function classlessRoutes(v: Uint8Array): string[] {
  const out: string[] = [];
  let p = 0;
  while (p < v.length && out.length < MAX_ROUTES) {
    const width = v[p];
    const n = (width + 7) >> 3;
    if (width > 32 || p + 1 + n + 4 > v.length) break;
    const d = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) d[i] = v[p + 1 + i];
    out.push(`${d.join('.')}/${width} via ${ipv4String(v, p + 1 + n)}`);
    p += 1 + n + 4;
  }
  return out;
}

/** RFC 3046 §2.0: a list of (code, length, value) sub-options. */
function relayInfo(v: Uint8Array): DhcpRelayInfo {
  const r: DhcpRelayInfo = { codes: [] };
  let p = 0;
  while (p + 2 <= v.length) {
    const code = v[p];
    const l = v[p + 1];
    if (p + 2 + l > v.length) break;
    r.codes.push(code);
    const s = logString(v, p + 2, l);
    if (code === RELAY_CIRCUIT_ID) r.circuit_id = s;
    else if (code === RELAY_REMOTE_ID) r.agent_remote_id = s;
    else if (code === RELAY_SUBSCRIBER_ID) r.subscriber_id = s;
    p += 2 + l;
  }
  return r;
}

/** An uncompressed DNS wire name (RFC 4702 §2.3.1 forbids compression here). */
function wireName(v: Uint8Array, off: number): string {
  const labels: string[] = [];
  let p = off;
  while (p < v.length && labels.length < MAX_LABELS) {
    const l = v[p];
    if (l === 0 || l > 63 || p + 1 + l > v.length) break;
    labels.push(logString(v, p + 1, l));
    p += 1 + l;
  }
  return labels.join('.');
}
