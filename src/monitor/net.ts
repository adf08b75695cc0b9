// Address ranges for "internal" and allow-lists: IPv4 and IPv6 CIDRs matched against the four
// address words the flow table keeps (IPv4 as ::ffff:a.b.c.d) or against address strings.

interface Range {
  v4: boolean;
  /** Network words and mask words (IPv4: only w[3] and m[3] are used). */
  w: [number, number, number, number];
  m: [number, number, number, number];
}

function maskWords(bits: number, total: number): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  const start = total === 32 ? 3 : 0;
  let left = bits;
  for (let i = start; i < 4; i++) {
    const b = Math.min(32, Math.max(0, left));
    out[i] = b === 0 ? 0 : b === 32 ? 0xffffffff : (0xffffffff << (32 - b)) >>> 0;
    left -= 32;
  }
  return out;
}

export function parseV4(s: string): number | null {
  const p = s.split('.');
  if (p.length !== 4) return null;
  let v = 0;
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x)) return null;
    const n = Number(x);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v >>> 0;
}

/** Four 32-bit words of an address string (IPv4 mapped), or null when it is not an address. */
export function addrWords(s: string): [number, number, number, number] | null {
  const v4 = parseV4(s);
  if (v4 !== null) return [0, 0, 0xffff, v4];
  if (!s.includes(':')) return null;
  let str = s;
  const pct = str.indexOf('%');
  if (pct >= 0) str = str.slice(0, pct);
  const lastColon = str.lastIndexOf(':');
  if (str.indexOf('.', lastColon) >= 0) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
    const v = parseV4(str.slice(lastColon + 1));
    if (v === null) return null;
    str = `${str.slice(0, lastColon + 1)}${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
  }
  const halves = str.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = parse(halves[0]);
  const b = halves.length === 2 ? parse(halves[1]) : [];
  if (a === null || b === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    if (a.length + b.length > 7) return null;
    groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    if (a.length !== 8) return null;
    groups = a;
  }
  return [((groups[0] << 16) | groups[1]) >>> 0, ((groups[2] << 16) | groups[3]) >>> 0, ((groups[4] << 16) | groups[5]) >>> 0, ((groups[6] << 16) | groups[7]) >>> 0];
}

/**
 * Whether an address (four words, IPv4 mapped) can be an Internet host's: not unspecified,
 * loopback, link-local, unique-local, multicast, reserved or broadcast (IPv4 0/8, 127/8,
 * 169.254/16, 224/4, 240/4; IPv6 ::/127, fe80::/10, fc00::/7, ff00::/8).
 */
export function globallyRoutable(w0: number, w1: number, w2: number, w3: number): boolean {
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) {
    const a = w3 >>> 24;
    return !(a === 0 || a === 127 || a >= 224 || (a === 169 && ((w3 >>> 16) & 0xff) === 254));
  }
  const top = w0 >>> 16;
  return !((w0 === 0 && w1 === 0 && w2 === 0 && w3 <= 1) || (top & 0xffc0) === 0xfe80 || (top & 0xfe00) === 0xfc00 || (top & 0xff00) === 0xff00);
}

export class NetSet {
  private readonly ranges: Range[] = [];

  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) this.add(c);
  }

  add(cidr: string): void {
    const slash = cidr.indexOf('/');
    const addr = slash < 0 ? cidr : cidr.slice(0, slash);
    const w = addrWords(addr);
    if (w === null) throw new RangeError(`not an address range: ${cidr}`);
    const v4 = parseV4(addr) !== null;
    const total = v4 ? 32 : 128;
    const bits = slash < 0 ? total : Number(cidr.slice(slash + 1));
    if (!Number.isInteger(bits) || bits < 0 || bits > total) throw new RangeError(`bad prefix length in ${cidr}`);
    const m = maskWords(bits, total);
    this.ranges.push({ v4, w: [(w[0] & m[0]) >>> 0, (w[1] & m[1]) >>> 0, (w[2] & m[2]) >>> 0, (w[3] & m[3]) >>> 0], m });
  }

  /** Whether the address given as four words lies in one of the ranges. */
  has(w0: number, w1: number, w2: number, w3: number): boolean {
    const mapped = w0 === 0 && w1 === 0 && w2 === 0xffff;
    for (const r of this.ranges) {
      if (r.v4) {
        if (mapped && ((w3 & r.m[3]) >>> 0) === r.w[3]) return true;
      } else if (((w0 & r.m[0]) >>> 0) === r.w[0] && ((w1 & r.m[1]) >>> 0) === r.w[1] && ((w2 & r.m[2]) >>> 0) === r.w[2] && ((w3 & r.m[3]) >>> 0) === r.w[3]) {
        return true;
      }
    }
    return false;
  }

  hasAddr(s: string): boolean {
    // Most lists (authorised scanners) are empty: no address to parse then.
    if (this.ranges.length === 0) return false;
    const w = addrWords(s);
    return w !== null && this.has(w[0], w[1], w[2], w[3]);
  }
}

/** The segment an address belongs to when no VLAN says otherwise: its IPv4 /24 or IPv6 /64. */
export function segmentOf(ip: string, vlan: number): string {
  if (vlan >= 0) return `vlan:${vlan}`;
  const v4 = parseV4(ip);
  if (v4 !== null) return `${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.0/24`;
  const w = addrWords(ip);
  if (w === null) return ip;
  const h = (x: number): string => (x >>> 16).toString(16) + ':' + (x & 0xffff).toString(16);
  return `${h(w[0])}:${h(w[1])}::/64`;
}
