// MAC address → vendor, from the IEEE registries (authoritative names) and Wireshark's manuf
// (short names, and assignments newer than the IEEE copy). The longest matching prefix wins:
// a 36-bit MA-S/IAB block before a 28-bit MA-M block before a 24-bit MA-L OUI.
//
// IEEE 802-2014 §8.2: the first octet's least significant bit is the I/G (group) bit and the next
// one the U/L (locally administered) bit. A locally administered address is assigned by no
// registry: today it is mostly a randomised "private" address (iOS, Android, Windows), so it has
// no vendor. A group address keeps the OUI of the organisation that defined it (01:00:5E… is
// IANA's 00:00:5E), so it is looked up with the I/G bit cleared.
import type { IeeeRegistries, Registry } from './ieee.js';
import { MAC_BITS } from './ieee.js';
import type { ManufIndex } from './manuf.js';

export interface Vendor {
  name: string;
  short?: string;
  registry: Registry;
  /** Length of the matched prefix in bits. */
  bits: number;
  /** 'manuf' when Wireshark's newer list knows a more specific assignment than the IEEE copy. */
  source: 'ieee' | 'manuf';
}

export type MacKind = 'universal' | 'local' | 'multicast' | 'broadcast' | 'invalid';

const FIRST_OCTET = 2 ** 40;
const IG_BIT = 0x01;
const UL_BIT = 0x02;
const BROADCAST = 2 ** MAC_BITS - 1;
const OUI_SHIFT = 2 ** 24;
/** The two MA-L blocks the IEEE used for Individual Address Blocks (36-bit IAB assignments). */
const IAB_OUIS = new Set([0x0050c2, 0x40d855]);

export function macKind(mac: number): MacKind {
  if (!Number.isInteger(mac) || mac < 0 || mac > BROADCAST) return 'invalid';
  if (mac === BROADCAST) return 'broadcast';
  const first = Math.floor(mac / FIRST_OCTET);
  if (first & IG_BIT) return 'multicast';
  if (first & UL_BIT) return 'local';
  return 'universal';
}

function registryFor(bits: number, mac: number): Registry | null {
  if (bits === 24) return 'MA-L';
  if (bits === 28) return 'MA-M';
  if (bits === 36) return IAB_OUIS.has(Math.floor(mac / OUI_SHIFT)) ? 'IAB' : 'MA-S';
  return null;
}

export class VendorIndex {
  constructor(
    private readonly ieee: IeeeRegistries,
    private readonly manuf: ManufIndex,
  ) {}

  /** Vendor of a 48-bit MAC address, or null (unassigned, locally administered, broadcast). */
  vendorOf(mac: number): Vendor | null {
    const kind = macKind(mac);
    if (kind === 'invalid' || kind === 'broadcast' || kind === 'local') return null;
    const key = kind === 'multicast' ? mac - IG_BIT * FIRST_OCTET : mac;
    const ie = this.ieee.lookup(key);
    const mf = this.manuf.lookup(key);
    // manuf lists a few group ranges under their own (multicast) prefix, e.g. PROFINET's 01:0E:CF.
    const group = kind === 'multicast' ? this.manuf.lookup(mac) : null;
    if (mf !== null && (ie === null || mf.bits > ie.bits)) {
      const registry = registryFor(mf.bits, key);
      if (registry !== null) {
        return { name: mf.long ?? mf.short, short: group?.short ?? mf.short, registry, bits: mf.bits, source: 'manuf' };
      }
    }
    if (ie !== null) {
      const short = group?.short ?? (mf !== null && mf.bits === ie.bits ? mf.short : undefined);
      const v: Vendor = { name: ie.name, registry: ie.registry, bits: ie.bits, source: 'ieee' };
      if (short !== undefined) v.short = short;
      return v;
    }
    return null;
  }
}

/** Parses "00:1b:c5:00:00:01" (or '-' / '.' separated, or bare hex) into a 48-bit number. */
export function parseMac(text: string): number | null {
  const hex = text.replace(/[:.-]/g, '');
  if (!/^[0-9A-Fa-f]{12}$/.test(hex)) return null;
  return parseInt(hex, 16);
}
