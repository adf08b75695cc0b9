// Address classes the inventory needs to decide what can be a device and where it sits:
// IPv4 special-purpose blocks (RFC 6890 / IANA IPv4 Special-Purpose Address Registry), IPv6
// (RFC 4291 §2.4: multicast ff00::/8, link-local fe80::/10, unspecified ::), MAC group and
// broadcast addresses (IEEE 802-2014 §8.2).
import { macKind } from '../knowledge/vendor.js';

/** IPv4 as a 32-bit number from a dotted quad, or -1 (a char loop: this runs per event). */
export function parseV4(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}

/** 224.0.0.0/4 multicast and 240.0.0.0/4 reserved (with 255.255.255.255) start here. */
const V4_MULTICAST_FIRST = 224;

/** True for an IPv4 address that is never one host: 0.0.0.0/8, multicast, 240/4 and broadcast. */
export function v4NotHost(v: number): boolean {
  const a = Math.floor(v / 16777216);
  return a === 0 || a >= V4_MULTICAST_FIRST;
}

/** RFC 1918 private, RFC 6598 shared (CGNAT), link-local and loopback: not globally routed. */
export function v4Local(v: number): boolean {
  const a = Math.floor(v / 16777216);
  const b = Math.floor(v / 65536) & 255;
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128);
}

/** Whether an address string (dotted quad or RFC 5952 IPv6) can be one host. */
export function ipIsHost(ip: string): boolean {
  if (ip.length === 0) return false;
  if (ip.includes(':')) {
    const l = ip.toLowerCase();
    return l !== '::' && !l.startsWith('ff');
  }
  const v = parseV4(ip);
  return v >= 0 && !v4NotHost(v);
}

/**
 * Private address space, as Zeek's Site::private_address_space (RFC 1918, RFC 6598, loopback,
 * link-local, IPv6 ULA fc00::/7, link-local and ::1): the hosts Zeek treats as local by default.
 */
export function ipIsPrivate(ip: string): boolean {
  if (!ip.includes(':')) {
    const v = parseV4(ip);
    return v >= 0 && v4Local(v);
  }
  const l = ip.toLowerCase();
  return l === '::1' || l.startsWith('fc') || l.startsWith('fd') || v6LinkLocal(l);
}

/**
 * IPv6 link-local (fe80::/10): always on the segment of the interface that uses it. The first
 * group must have all four digits (fe8x–febx), so 0fe8:: is not one.
 */
export function v6LinkLocal(ip: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(ip);
}

/** The subnet an address is counted in for router detection: /24 for IPv4, /64 for IPv6. */
export function subnetOf(ip: string): string {
  if (!ip.includes(':')) return ip.slice(0, ip.lastIndexOf('.'));
  const full = expandV6(ip);
  return full.slice(0, 4).join(':');
}

function expandV6(ip: string): string[] {
  const [head, tail] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  return [...h, ...Array.from({ length: Math.max(0, fill) }, () => '0'), ...t];
}

/** A MAC that can be one device's: unicast (universally or locally administered), not zero. */
export function macIsDevice(mac: number): boolean {
  if (mac === 0) return false;
  const k = macKind(mac);
  return k === 'universal' || k === 'local';
}

/** 48-bit MAC number from "aa:bb:cc:dd:ee:ff" (or with '-'), or -1. */
export function parseMacString(s: string): number {
  if (!/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/.test(s)) return -1;
  return parseInt(s.replace(/[:-]/g, ''), 16);
}

/** Sort key that orders IPv4 numerically before IPv6, for stable, readable address lists. */
export function compareIp(a: string, b: string): number {
  const va = parseV4(a);
  const vb = parseV4(b);
  if (va >= 0 && vb >= 0) return va - vb;
  if (va >= 0) return -1;
  if (vb >= 0) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
