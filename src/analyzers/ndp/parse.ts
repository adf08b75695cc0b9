// IPv6 Neighbor Discovery parser (RFC 4861 §4): Router Solicitation and Advertisement, Neighbor
// Solicitation and Advertisement, Redirect, from the ICMPv6 header on, with the options a
// monitor and an inventory need: link-layer addresses (§4.6.1), prefixes (§4.6.2), MTU
// (§4.6.4), route information and router preference (RFC 4191), recursive DNS servers and
// search lists (RFC 8106), the captive-portal URI (RFC 8910) and the SEND options' presence
// (RFC 3971). Pure: no state, bounded by the message and a cap on repeated options.
import { macAt, printable } from '../l2text.js';
import { ipv6String, u16, u32 } from '../dns/text.js';
import { readName } from '../dns/parse.js';

export const ND_ROUTER_SOLICIT = 133;
export const ND_ROUTER_ADVERT = 134;
export const ND_NEIGHBOR_SOLICIT = 135;
export const ND_NEIGHBOR_ADVERT = 136;
export const ND_REDIRECT = 137;

export const ND_TYPES: Record<number, string> = {
  133: 'router_solicitation',
  134: 'router_advertisement',
  135: 'neighbor_solicitation',
  136: 'neighbor_advertisement',
  137: 'redirect',
};

/** Where each message's options start (RFC 4861 §4.1–4.5: the fixed part after the ICMPv6 header). */
const OPTIONS_AT: Record<number, number> = { 133: 8, 134: 16, 135: 24, 136: 24, 137: 40 };

const OPT_SLLA = 1;
const OPT_TLLA = 2;
const OPT_PREFIX = 3;
const OPT_MTU = 5;
const OPT_CGA = 11;
const OPT_RSA_SIG = 12;
const OPT_ROUTE = 24;
const OPT_RDNSS = 25;
const OPT_DNSSL = 31;
const OPT_CAPTIVE_PORTAL = 37;

/** Prefixes, routes, DNS servers or search domains kept per message (a flood's RAs carry up to 17 prefixes each). */
export const MAX_ITEMS = 32;

/** RFC 4191 §2.1 preference bits: 01 high, 00 medium, 11 low, 10 reserved (treated as medium). */
const PREFERENCE = ['medium', 'high', 'medium', 'low'];

export interface NdPrefix {
  prefix: string;
  /** On-link flag (L) and autonomous address-configuration flag (A). */
  onLink: boolean;
  autonomous: boolean;
  validLifetime: number;
  preferredLifetime: number;
}

export interface NdMessage {
  msgType: number;
  code: number;
  /** NS/NA/Redirect target address. */
  target?: string;
  /** Redirect: the destination the redirect is for. */
  destination?: string;
  /** The Source (RS, RA, NS, Redirect) or Target (NA) Link-Layer Address option, Ethernet-sized. */
  lladdr?: string;
  /** RA */
  curHopLimit?: number;
  managed?: boolean;
  other?: boolean;
  preference?: string;
  routerLifetime?: number;
  reachableTime?: number;
  retransTimer?: number;
  prefixes: NdPrefix[];
  mtu?: number;
  routes: string[];
  rdnss: string[];
  dnssl: string[];
  captivePortal?: string;
  /** NA flags (§4.4). */
  router?: boolean;
  solicited?: boolean;
  override?: boolean;
  /** SEND (RFC 3971): a CGA or RSA Signature option is present (a nonce alone is RFC 7527's DAD). */
  secured: boolean;
  /** An option with length 0, or running past the message (§4.6: the packet is discarded). */
  badOption: boolean;
}

export type NdStatus = 'truncated';

/** Parses an ND message starting at the ICMPv6 type octet; `len` is the captured ICMPv6 length. */
export function parseNd(buf: Uint8Array, off: number, len: number): NdMessage | NdStatus {
  const t = buf[off];
  const at = OPTIONS_AT[t];
  if (at === undefined || len < at) return 'truncated';
  const m: NdMessage = { msgType: t, code: buf[off + 1], prefixes: [], routes: [], rdnss: [], dnssl: [], secured: false, badOption: false };
  const b = off + 4;
  if (t === ND_ROUTER_ADVERT) {
    m.curHopLimit = buf[b];
    const f = buf[b + 1];
    m.managed = (f & 0x80) !== 0;
    m.other = (f & 0x40) !== 0;
    m.preference = PREFERENCE[(f >> 3) & 3];
    m.routerLifetime = u16(buf, b + 2);
    m.reachableTime = u32(buf, b + 4);
    m.retransTimer = u32(buf, b + 8);
  } else if (t === ND_NEIGHBOR_SOLICIT || t === ND_NEIGHBOR_ADVERT || t === ND_REDIRECT) {
    if (t === ND_NEIGHBOR_ADVERT) {
      const f = buf[b];
      m.router = (f & 0x80) !== 0;
      m.solicited = (f & 0x40) !== 0;
      m.override = (f & 0x20) !== 0;
    }
    m.target = ipv6String(buf, b + 4);
    if (t === ND_REDIRECT) m.destination = ipv6String(buf, b + 20);
  }
  options(buf, off + at, off + len, m);
  return m;
}

function options(buf: Uint8Array, start: number, end: number, m: NdMessage): void {
  let p = start;
  // Every option is at least 8 octets, so the walk ends within (end - start) / 8 steps.
  while (p + 2 <= end) {
    const type = buf[p];
    const olen = buf[p + 1] * 8;
    if (olen === 0 || p + olen > end) {
      m.badOption = true;
      return;
    }
    const v = p + 2;
    switch (type) {
      case OPT_SLLA:
      case OPT_TLLA:
        // Ethernet's 6-octet address in an 8-octet option (RFC 2464 §8); other links' sizes are skipped.
        if (olen === 8 && m.lladdr === undefined) m.lladdr = macAt(buf, v);
        break;
      case OPT_PREFIX:
        if (olen === 32 && m.prefixes.length < MAX_ITEMS) {
          const plen = buf[v];
          m.prefixes.push({
            prefix: `${ipv6String(buf, p + 16)}/${plen}`,
            onLink: (buf[v + 1] & 0x80) !== 0,
            autonomous: (buf[v + 1] & 0x40) !== 0,
            validLifetime: u32(buf, v + 2),
            preferredLifetime: u32(buf, v + 6),
          });
        }
        break;
      case OPT_MTU:
        if (olen === 8) m.mtu = u32(buf, v + 2);
        break;
      case OPT_ROUTE:
        // Prefix length, preference, lifetime, then 0, 8 or 16 octets of prefix (RFC 4191 §2.3).
        if (olen >= 8 && olen <= 24 && m.routes.length < MAX_ITEMS) {
          const plen = buf[v];
          const pre = new Uint8Array(16);
          pre.set(buf.subarray(p + 8, p + olen));
          m.routes.push(`${ipv6String(pre, 0)}/${plen > 128 ? 128 : plen}`);
        }
        break;
      case OPT_RDNSS:
        for (let a = p + 8; a + 16 <= p + olen && m.rdnss.length < MAX_ITEMS; a += 16) m.rdnss.push(ipv6String(buf, a));
        break;
      case OPT_DNSSL: {
        // Uncompressed names, padded with zero octets to the option's end (RFC 8106 §5.2).
        let q = p + 8;
        const oend = p + olen;
        while (q < oend && buf[q] !== 0 && m.dnssl.length < MAX_ITEMS) {
          const n = readName(buf, q, oend, q);
          if (n === null) break;
          m.dnssl.push(n.text);
          q = n.next;
        }
        break;
      }
      case OPT_CAPTIVE_PORTAL:
        m.captivePortal = printable(buf, v, p + olen, 256);
        break;
      case OPT_CGA:
      case OPT_RSA_SIG:
        m.secured = true;
        break;
      default:
        break;
    }
    p += olen;
  }
}
