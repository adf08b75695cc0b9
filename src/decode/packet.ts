// The one decoded-packet record, preallocated and refilled for every packet: offsets into the
// capture buffer and numbers, never strings. Addresses are four 32-bit words; IPv4 is stored
// IPv4-mapped (::ffff:a.b.c.d) so every flow key has one shape.

export const IPPROTO_ICMP = 1;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_GRE = 47;
export const IPPROTO_ICMPV6 = 58;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

/** Up to this many TCP option kinds are kept in order (p0f's option layout). */
export const MAX_TCP_OPTS = 40;

const NO_BYTES = new Uint8Array(0);

export class PacketMeta {
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  fileIndex = 0;
  packetNo = 0;
  tsSec = 0;
  tsNsec = 0;
  /** Timestamp as float seconds, for timers and durations. */
  ts = 0;
  /**
   * TCP: the relative sequence number of the payload's first byte, set by the flow table before
   * it hands the payload on (0 for UDP). A field, not an argument: a double argument to a call
   * that is not inlined is boxed, once per packet.
   */
  relSeq = 0;
  caplen = 0;
  wirelen = 0;
  linkType = 0;
  /** End of the captured frame in `buf` (before any reassembly switched buffers). */
  frameEnd = 0;

  // Layer 2
  /**
   * Where the frame's source and destination MAC addresses lie (-1: none) and in which buffer
   * (reassembly may switch `buf` later): read on demand, since few packets need them.
   */
  macBuf: Uint8Array = NO_BYTES;
  srcMacOff = -1;
  dstMacOff = -1;
  vlan = -1; // outer 802.1Q id, -1 when untagged
  vlanInner = -1;
  /** The outer tag's type (0x8100 802.1Q, 0x88a8 802.1ad, 0x9100), 0 when untagged. */
  vlanTpid = 0;
  /** The Ethernet source is a group (multicast) address, which no station sends from. */
  srcGroup = false;
  /** The Ethernet source is a locally administered unicast address (VMs, containers, private Wi-Fi MACs, flooders). */
  srcLocal = false;
  ethType = 0;
  /**
   * An 802.11 management frame (ETH_WLAN_MGMT) whose Frame Control bytes arrived swapped (CAPWAP
   * from Cisco access points): its readers swap them back.
   */
  wlanFcSwapped = false;

  // Layer 3
  l3Off = 0;
  ipVersion = 0; // 0 = not IP
  ipHdrLen = 0;
  /** IP total length as stated (IPv6: payload length + 40). Used for ip_bytes. */
  ipTotalLen = 0;
  ttl = 0;
  ipId = 0;
  df = false;
  tos = 0;
  ipFlowLabel = 0;
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  /** Set when the packet is a reassembled IP datagram (buf then points at scratch memory). */
  reassembled = false;
  tunnelDepth = 0;
  /**
   * tunnelDepth where the innermost Ethernet header was read: equal to tunnelDepth when the IP
   * packet sits on an Ethernet link (the captured one, or one a VXLAN/ERSPAN/GRE tunnel carries
   * whole), smaller when an IP tunnel (6in4, Teredo, GRE with IP) carries it without its link.
   */
  etherDepth = 0;

  // Layer 4
  proto = -1;
  l4Off = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  seq = 0;
  ack = 0;
  window = 0;
  tcpHdrLen = 0;
  mss = -1;
  wscale = -1;
  sackOk = false;
  tsVal = -1;
  tsEcr = -1;
  readonly optKinds = new Uint8Array(MAX_TCP_OPTS);
  optCount = 0;
  icmpType = -1;
  icmpCode = -1;

  /** Payload as stated by the headers, and how much of it was captured. */
  payloadOff = 0;
  payloadLen = 0;
  capPayloadLen = 0;

  /** Source MAC as a 48-bit number, 0 when the frame has none. */
  get srcMac(): number {
    return this.srcMacOff < 0 ? 0 : readMac(this.macBuf, this.srcMacOff);
  }

  /** Destination MAC as a 48-bit number, 0 when the frame has none. */
  get dstMac(): number {
    return this.dstMacOff < 0 ? 0 : readMac(this.macBuf, this.dstMacOff);
  }

  reset(): void {
    this.srcMacOff = -1;
    this.dstMacOff = -1;
    this.vlan = -1;
    this.vlanInner = -1;
    this.vlanTpid = 0;
    this.srcGroup = false;
    this.srcLocal = false;
    this.ethType = 0;
    this.wlanFcSwapped = false;
    this.ipVersion = 0;
    this.proto = -1;
    this.reassembled = false;
    this.tunnelDepth = 0;
    this.etherDepth = 0;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.payloadLen = 0;
    this.capPayloadLen = 0;
    this.icmpType = -1;
    this.icmpCode = -1;
  }
}

export function readMac(b: Uint8Array, o: number): number {
  return b[o] * 1099511627776 + b[o + 1] * 4294967296 + ((b[o + 2] << 24) >>> 0) + (b[o + 3] << 16) + (b[o + 4] << 8) + b[o + 5];
}

export function isV4Mapped(a: Uint32Array | number[], i = 0): boolean {
  return a[i] === 0 && a[i + 1] === 0 && a[i + 2] === 0xffff;
}

/** Formats an address from four words (IPv4-mapped → dotted quad; IPv6 per RFC 5952). */
export function formatAddr(w0: number, w1: number, w2: number, w3: number): string {
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return formatV4(w3);
  // IPv6 text is cached too (one direct-mapped entry per hash bucket, words compared): every
  // connection end formats its addresses for several consumers.
  const h = (Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca6b) ^ Math.imul(w3, 0xc2b2ae35), 0x27d4eb2f) >>> 20) & (V6_CACHE - 1);
  const k = h * 4;
  if (v6Words[k] === w0 >>> 0 && v6Words[k + 1] === w1 >>> 0 && v6Words[k + 2] === w2 >>> 0 && v6Words[k + 3] === w3 >>> 0 && v6Text[h] !== undefined) return v6Text[h];
  const s = formatV6(w0, w1, w2, w3);
  v6Words[k] = w0;
  v6Words[k + 1] = w1;
  v6Words[k + 2] = w2;
  v6Words[k + 3] = w3;
  v6Text[h] = s;
  return s;
}

const V6_CACHE = 4096;
const v6Words = new Uint32Array(V6_CACHE * 4);
const v6Text: (string | undefined)[] = new Array(V6_CACHE).fill(undefined);

function formatV6(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  // Longest run of two or more zero groups becomes "::" (first one on ties).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number, b: number): string => g.slice(a, b).map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/**
 * MAC text, cached in a direct-mapped table like formatV4's: every consumer of a connection's end
 * formats both MACs, and a Map keyed by a 48-bit number boxed the key on every probe.
 */
const MAC_BITS_CACHE = 14;
const macKeys = new Float64Array(1 << MAC_BITS_CACHE).fill(-1);
const macText: (string | undefined)[] = new Array(1 << MAC_BITS_CACHE).fill(undefined);

export function formatMac(m: number): string {
  const hi = Math.floor(m / 4294967296);
  const lo = m >>> 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (32 - MAC_BITS_CACHE);
  const c = macText[h];
  if (c !== undefined && macKeys[h] === m) return c;
  const s = `${HEX2[(hi >>> 8) & 255]}:${HEX2[hi & 255]}:${HEX2[lo >>> 24]}:${HEX2[(lo >>> 16) & 255]}:${HEX2[(lo >>> 8) & 255]}:${HEX2[lo & 255]}`;
  macKeys[h] = m;
  macText[h] = s;
  return s;
}

/**
 * Dotted quad of an IPv4 address held as a 32-bit number, cached (logs and every consumer of a
 * connection's end repeat addresses) in a direct-mapped table: a probe is an array read, and a
 * busy network's addresses replace each other a bucket at a time instead of all at once.
 */
export function formatV4(v: number): string {
  const u = v >>> 0;
  const h = Math.imul(u, 0x9e3779b1) >>> (32 - V4_BITS);
  const s = v4Text[h];
  if (s !== undefined && v4Keys[h] === u) return s;
  const t = `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
  v4Keys[h] = u;
  v4Text[h] = t;
  return t;
}

const V4_BITS = 16;
const v4Keys = new Uint32Array(1 << V4_BITS);
const v4Text: (string | undefined)[] = new Array(1 << V4_BITS).fill(undefined);
