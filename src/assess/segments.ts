// Network segments inferred from what the wire shows: the 802.1Q VLAN a device's frames carry,
// else its IPv4 subnet (the mask a DHCP server assigned with the address, /24 when none was
// seen) or IPv6 /64. Only local devices count (a MAC-identified device or a private address);
// a device on several VLANs or subnets (a router) is in each. A segment is mixed when it holds
// medical or IoT devices together with IT workstations or servers.
import { IOT_CATEGORIES, IT_CATEGORIES, MEDICAL_CATEGORIES, type Device, type Segment } from '../report/model.js';
import type { Observations } from './observe.js';

const DEFAULT_V4_PREFIX = 24;
const V6_PREFIX = 64;

function v4(addr: string): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (m === null) return null;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return null;
  return ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

function v4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function maskPrefix(mask: string): number | null {
  const n = v4(mask);
  if (n === null) return null;
  let p = 0;
  while (p < 32 && (n & (0x80000000 >>> p)) !== 0) p++;
  // Only contiguous masks of a plausible size.
  if (((n << p) >>> 0) !== 0 || p < 8 || p > 30) return null;
  return p;
}

/** Private, shared or link-local: an address of the local network rather than the Internet. */
export function isLocalAddress(addr: string): boolean {
  const n = v4(addr);
  if (n !== null) {
    const a = n >>> 24;
    const b = (n >>> 16) & 255;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const l = addr.toLowerCase();
  return /^f[cd][0-9a-f]{2}:/.test(l) || /^fe[89ab][0-9a-f]:/.test(l);
}

function isUsableV4(n: number): boolean {
  const a = n >>> 24;
  return n !== 0 && n !== 0xffffffff && a < 224 && a !== 127 && a !== 0;
}

/** The subnet an address is in, as CIDR text. */
export function subnetOf(addr: string, dhcpMask?: string): string | null {
  const n = v4(addr);
  if (n !== null) {
    if (!isUsableV4(n)) return null;
    const p = (dhcpMask !== undefined ? maskPrefix(dhcpMask) : null) ?? DEFAULT_V4_PREFIX;
    const net = p === 0 ? 0 : (n & (0xffffffff << (32 - p))) >>> 0;
    return `${v4Text(net)}/${p}`;
  }
  if (!addr.includes(':')) return null;
  const l = addr.toLowerCase();
  if (l.startsWith('fe80:') || l.startsWith('ff') || l === '::' || l === '::1') return null;
  const full = expandV6(l);
  if (full === null) return null;
  return `${full.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/${V6_PREFIX}`;
}

function expandV6(a: string): string[] | null {
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  if (tail.length > 0 && tail[tail.length - 1].includes('.')) return null;
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const g = [...head, ...Array(Math.max(0, fill)).fill('0'), ...tail];
  return g.length === 8 ? g.map((x) => x.padStart(4, '0')) : null;
}

export function isMedical(d: Device): boolean {
  return d.medical || MEDICAL_CATEGORIES.has(d.category);
}

/** Segments of the local devices, sorted by id. */
export function inferSegments(devices: readonly Device[], obs: Observations): Segment[] {
  const segs = new Map<string, { cidr?: string; vlan?: number; devices: Set<string> }>();
  const add = (id: string, base: { cidr?: string; vlan?: number }, dev: string): void => {
    let s = segs.get(id);
    if (s === undefined) {
      s = { ...base, devices: new Set() };
      segs.set(id, s);
    }
    s.devices.add(dev);
  };
  for (const d of devices) {
    const local = d.id.startsWith('mac:') || d.ips.some(isLocalAddress);
    if (!local) continue;
    const vlans = new Set<number>(d.vlans ?? []);
    for (const ip of d.ips) for (const v of obs.hosts.get(ip)?.vlans ?? []) vlans.add(v);
    if (vlans.size > 0) {
      for (const v of [...vlans].sort((a, b) => a - b)) add(`vlan:${v}`, { vlan: v }, d.id);
      continue;
    }
    for (const ip of d.ips) {
      const cidr = subnetOf(ip, obs.dhcpMasks.get(ip));
      if (cidr !== null) add(cidr, { cidr }, d.id);
    }
  }
  const byId = new Map(devices.map((d) => [d.id, d]));
  const out: Segment[] = [];
  for (const [id, s] of [...segs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const ds = [...s.devices].sort();
    const medical = ds.filter((x) => isMedical(byId.get(x)!));
    const iot = ds.filter((x) => IOT_CATEGORIES.has(byId.get(x)!.category) && !medical.includes(x));
    const it = ds.filter((x) => IT_CATEGORIES.has(byId.get(x)!.category));
    const where = s.vlan !== undefined ? { vlan: s.vlan } : { cidr: s.cidr };
    out.push({ id, ...where, devices: ds, medical_devices: medical, it_devices: it, iot_devices: iot, mixed: medical.length + iot.length > 0 && it.length > 0 });
  }
  return out;
}
