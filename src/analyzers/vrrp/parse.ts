// VRRP advertisements: version 2 (RFC 3768, IPv4, with its authentication types) and version 3
// (RFC 5798, IPv4 or IPv6, centisecond intervals, no authentication), from the VRRP header on (IP
// protocol 112). Pure: no state, bounded by the datagram.
import { ipv4String, ipv6String } from '../dns/text.js';

export const IPPROTO_VRRP = 112;
const ADVERTISEMENT = 1;
/** Addresses kept per advertisement (RFC 5798 allows 255; a virtual router has a few). */
export const MAX_VRRP_ADDRESSES = 16;
export const AUTH_TYPES = ['none', 'text', 'ah'];

export interface VrrpAdvert {
  version: number;
  vrid: number;
  priority: number;
  addresses: string[];
  /** Seconds. */
  interval: number;
  /** Version 2: 0 none, 1 simple text password (RFC 2338, removed in RFC 3768), 2 IP AH. */
  authType?: number;
  /** Version 2 simple text: the password up to its first NUL (compared, never logged). */
  authText?: Uint8Array;
  /** Why a router would discard it (RFC 5798 §7.1 and RFC 3768 §7.1), or undefined. */
  invalid?: string;
}

/** Parses a VRRP packet; 'bad' when it is not an advertisement of version 2 or 3. `v6`: carried by IPv6. */
export function parseVrrp(b: Uint8Array, off: number, len: number, v6: boolean): VrrpAdvert | 'bad' {
  if (len < 8 || off + len > b.length) return 'bad';
  const version = b[off] >> 4;
  if ((version !== 2 && version !== 3) || (b[off] & 0x0f) !== ADVERTISEMENT) return 'bad';
  const count = b[off + 3];
  const alen = v6 ? 16 : 4;
  const r: VrrpAdvert = { version, vrid: b[off + 1], priority: b[off + 2], addresses: [], interval: 0 };
  if (version === 2) {
    r.authType = b[off + 4];
    r.interval = b[off + 5];
  } else r.interval = (((b[off + 4] & 0x0f) << 8) | b[off + 5]) / 100;
  const need = 8 + count * alen + (version === 2 ? 8 : 0);
  if (count === 0) r.invalid = 'no_addresses';
  else if (len < need) r.invalid = 'truncated';
  else if (version === 2 && v6) r.invalid = 'v2_over_ipv6';
  for (let i = 0, p = off + 8; i < count && i < MAX_VRRP_ADDRESSES && p + alen <= off + len; i++, p += alen) r.addresses.push(v6 ? ipv6String(b, p) : ipv4String(b, p));
  if (version === 2 && r.authType === 1 && len >= need) {
    const a = off + 8 + count * alen;
    let n = 0;
    while (n < 8 && b[a + n] !== 0) n++;
    r.authText = b.slice(a, a + n);
  }
  return r;
}
