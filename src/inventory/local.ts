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

function inNet(words: number[], v6: boolean, n: Net): boolean {
  if (v6 !== n.v6) return false;
  let bits = n.bits;
  for (let k = 0; k < words.length && bits > 0; k++) {
    const take = Math.min(32, bits);
    const mask = take === 32 ? 0xffffffff : (0xffffffff << (32 - take)) >>> 0;
    if (((words[k] & mask) >>> 0) !== ((n.words[k] & mask) >>> 0)) return false;
    bits -= take;
  }
  return true;
}

/** A predicate for "this address is local", from CIDR strings (default: private and link-local ranges). */
export function localNets(cidrs: readonly string[] = DEFAULT_LOCAL): (addr: string) => boolean {
  const nets = cidrs.map(parseNet);
  return (addr: string): boolean => {
    const v6 = addr.includes(':');
    const words = v6 ? parseV6(addr) : [parseV4(addr) ?? NaN];
    if (words === null || Number.isNaN(words[0])) return false;
    return nets.some((n) => inNet(words, v6, n));
  };
}
