// Which addresses are the site's own: the inventory lists devices there (RFC 1918, RFC 6598
// shared space, link-local, RFC 4193 unique-local and IPv6 link-local by default, or the
// networks given with --local-nets), not every Internet host a device talked to.

interface Net {
  v6: boolean;
  words: number[];
  bits: number;
}

const DEFAULT_LOCAL = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'];

function parseV6(a: string): number[] | null {
  const [head, tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  if (tail === undefined && h.length !== 8) return null;
  const groups = tail === undefined ? h : [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  if (groups.length !== 8) return null;
  const g = groups.map((x) => parseInt(x, 16));
  if (g.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffff)) return null;
  return [((g[0] << 16) | g[1]) >>> 0, ((g[2] << 16) | g[3]) >>> 0, ((g[4] << 16) | g[5]) >>> 0, ((g[6] << 16) | g[7]) >>> 0];
}

function parseV4(a: string): number | null {
  const p = a.split('.');
  if (p.length !== 4) return null;
  let v = 0;
  for (const x of p) {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 0 || n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

export function parseNet(cidr: string): Net {
  const [addr, len] = cidr.trim().split('/');
  const v6 = addr.includes(':');
  const words = v6 ? parseV6(addr) : [parseV4(addr) ?? NaN];
  const bits = len === undefined ? (v6 ? 128 : 32) : Number(len);
  if (words === null || words.some((w) => Number.isNaN(w)) || !Number.isInteger(bits) || bits < 0 || bits > (v6 ? 128 : 32)) {
    throw new Error(`not a network: ${cidr}`);
  }
  return { v6, words, bits };
}

/** A predicate for "this address is local", from CIDR strings (default: private and link-local ranges). */
export function localNets(cidrs: readonly string[] = DEFAULT_LOCAL): (addr: string) => boolean {
  const nets = new LocalNets(cidrs);
  return (addr: string): boolean => nets.has(addr);
}

/** An address as the flow table holds it (IPv4 as ::ffff:a.b.c.d), or null. */
function wordsOf(addr: string): number[] | null {
  if (addr.includes(':')) return parseV6(addr);
  const v = parseV4(addr);
  return v === null ? null : [0, 0, 0xffff, v];
}

/** Whether address words (the flow table's form: IPv4 as ::ffff:a.b.c.d) lie in a network. */
function inNetWords(n: Net, w0: number, w1: number, w2: number, w3: number): boolean {
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) {
    if (n.v6) return false;
    const mask = n.bits === 0 ? 0 : (0xffffffff << (32 - n.bits)) >>> 0;
    return ((w3 & mask) >>> 0) === ((n.words[0] & mask) >>> 0);
  }
  if (!n.v6) return false;
  return wordIn(w0, n, 0) && wordIn(w1, n, 1) && wordIn(w2, n, 2) && wordIn(w3, n, 3);
}

/** Whether word `k` of an IPv6 address agrees with network `n` over the prefix bits it covers. */
function wordIn(w: number, n: Net, k: number): boolean {
  const take = Math.min(32, Math.max(0, n.bits - 32 * k));
  if (take === 0) return true;
  const mask = take === 32 ? 0xffffffff : (0xffffffff << (32 - take)) >>> 0;
  return ((w & mask) >>> 0) === ((n.words[k] & mask) >>> 0);
}

/**
 * The site's own networks (default: private and link-local ranges) for addresses in the flow
 * table's form, without formatting them: what tells an Internet peer from a local one.
 */
export class LocalNets {
  private readonly nets: Net[];
  constructor(cidrs: readonly string[] = DEFAULT_LOCAL) {
    this.nets = cidrs.map(parseNet);
  }

  /** An Internet address given as text (see isInternetWords); false for text that is no address. */
  isInternet(addr: string): boolean {
    const w = wordsOf(addr);
    return w !== null && this.isInternetWords(w[0], w[1], w[2], w[3]);
  }

  /** Whether an address given as text is in the site's networks. */
  has(addr: string): boolean {
    const w = wordsOf(addr);
    return w !== null && this.hasWords(w[0], w[1], w[2], w[3]);
  }

  hasWords(w0: number, w1: number, w2: number, w3: number): boolean {
    for (const n of this.nets) if (inNetWords(n, w0, w1, w2, w3)) return true;
    return false;
  }

  /**
   * An Internet address: not one of the site's networks, and globally routable — not loopback,
   * unspecified, link-local, multicast, reserved or broadcast (IPv4 0/8, 127/8, 169.254/16,
   * 224/4, 240/4; IPv6 ::/127, fe80::/10, fc00::/7, ff00::/8).
   */
  isInternetWords(w0: number, w1: number, w2: number, w3: number): boolean {
    if (w0 === 0 && w1 === 0 && w2 === 0xffff) {
      const a = w3 >>> 24;
      if (a === 0 || a === 127 || a >= 224 || (a === 169 && ((w3 >>> 16) & 0xff) === 254)) return false;
    } else {
      const top = w0 >>> 16;
      if ((w0 === 0 && w1 === 0 && w2 === 0 && w3 <= 1) || (top & 0xffc0) === 0xfe80 || (top & 0xfe00) === 0xfc00 || (top & 0xff00) === 0xff00) return false;
    }
    return !this.hasWords(w0, w1, w2, w3);
  }
}
