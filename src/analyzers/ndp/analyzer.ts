// The Neighbor Discovery analyzer: one event per ND message (ICMPv6 types 133–137), checked the
// way RFC 4861 tells a host to check it (§6.1, §7.1, §8.1), and a binding event for every
// link-layer address a valid message asserts for an address.
import { formatAddr, formatMac, type PacketMeta } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { ND_NEIGHBOR_ADVERT, ND_NEIGHBOR_SOLICIT, ND_ROUTER_ADVERT, ND_ROUTER_SOLICIT, ND_TYPES, parseNd, type NdMessage } from './parse.js';
import type { NdBinding, NdEvent } from './events.js';

/** The hop limit every ND message leaves its sender with; a router forwarding it lowers it. */
const ND_HOP_LIMIT = 255;
const UNSPECIFIED = '::';
const ZERO_MAC = '00:00:00:00:00:00';

/** A target address's text in ff00::/8 (RFC 5952 text: four hex digits before the first colon). */
function isMulticast(a: string): boolean {
  return /^ff[0-9a-f]{2}:/i.test(a);
}

/**
 * RFC 4861's validity checks beyond the ICMPv6 checksum, which captures often leave unverifiable
 * (offload). The packet's own addresses are tested on the decoder's words: fe80::/10 is the top
 * ten bits 0x3fa, ff00::/8 the top octet 0xff.
 */
function invalid(r: NdMessage, m: PacketMeta, src: string): string | undefined {
  if (m.ttl !== ND_HOP_LIMIT) return `hop_limit_${m.ttl}`;
  if (r.code !== 0) return `code_${r.code}`;
  if (r.badOption) return 'bad_option_length';
  if (r.msgType === ND_ROUTER_ADVERT && m.src[0] >>> 22 !== 0x3fa) return 'ra_source_not_link_local';
  if (r.msgType === ND_NEIGHBOR_SOLICIT && r.target !== undefined && isMulticast(r.target)) return 'ns_target_multicast';
  if (r.msgType === ND_NEIGHBOR_ADVERT && r.solicited === true && m.dst[0] >>> 24 === 0xff) return 'na_solicited_to_multicast';
  if (src === UNSPECIFIED && r.lladdr !== undefined && r.msgType !== ND_NEIGHBOR_ADVERT) return 'lladdr_from_unspecified';
  return undefined;
}

export function ndpPacket(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseNd(buf, off, len);
  if (r === 'truncated') {
    ctx.weird('ndp.truncated');
    return;
  }
  const s = m.src;
  const d = m.dst;
  const src = formatAddr(s[0], s[1], s[2], s[3]);
  const dst = formatAddr(d[0], d[1], d[2], d[3]);
  const ev: NdEvent = { type: 'ndp.message', msg_type: ND_TYPES[r.msgType], src, dst, mac_src: formatMac(m.srcMac), mac_dst: formatMac(m.dstMac), hop_limit: m.ttl, packet: m.packetNo };
  if (r.target !== undefined) ev.target = r.target;
  if (r.destination !== undefined) ev.destination = r.destination;
  if (r.lladdr !== undefined) ev.lladdr = r.lladdr;
  if (r.msgType === ND_NEIGHBOR_ADVERT) {
    ev.router = r.router;
    ev.solicited = r.solicited;
    ev.override = r.override;
  }
  if (r.msgType === ND_ROUTER_ADVERT) {
    ev.cur_hop_limit = r.curHopLimit;
    ev.managed = r.managed;
    ev.other = r.other;
    ev.preference = r.preference;
    ev.router_lifetime = r.routerLifetime;
    ev.reachable_time = r.reachableTime;
    ev.retrans_timer = r.retransTimer;
  }
  if (r.prefixes.length > 0) {
    ev.prefixes = r.prefixes.map((p) => p.prefix);
    ev.prefix_info = r.prefixes.map((p) => `${p.onLink ? 'L' : ''}${p.autonomous ? 'A' : ''}${p.onLink || p.autonomous ? '' : '-'} ${p.validLifetime}/${p.preferredLifetime}`);
  }
  if (r.mtu !== undefined) ev.mtu = r.mtu;
  if (r.routes.length > 0) ev.routes = r.routes;
  if (r.rdnss.length > 0) ev.rdnss = r.rdnss;
  if (r.dnssl.length > 0) ev.dnssl = r.dnssl;
  if (r.captivePortal !== undefined) ev.captive_portal = r.captivePortal;
  if (r.secured) ev.secured = true;
  // Carried in an IP tunnel (6in4, Teredo, GRE with IPv6 inside): its link is the tunnel's, not
  // an Ethernet segment's, so it binds nothing and makes no router of the segment (Teredo
  // servers answer their clients' solicitations with advertisements from afar). A tunnel that
  // carries whole Ethernet frames (VXLAN, ERSPAN, GRE bridging) carries the segment itself.
  if (m.tunnelDepth !== m.etherDepth) ev.tunneled = true;
  const bad = invalid(r, m, src);
  if (bad !== undefined) {
    ev.bad = bad;
    ctx.weird(`ndp.${bad.startsWith('hop_limit') ? 'hop_limit_not_255' : bad}`);
  }
  ctx.emit(ev);
  if (bad !== undefined || ev.tunneled === true || r.lladdr === undefined || r.lladdr === ZERO_MAC || (parseInt(r.lladdr.slice(0, 2), 16) & 1) === 1) return;
  let ip: string;
  let source: NdBinding['source'];
  if (r.msgType === ND_NEIGHBOR_ADVERT) {
    ip = r.target ?? UNSPECIFIED;
    source = 'ndp.na';
  } else if (r.msgType === ND_NEIGHBOR_SOLICIT || r.msgType === ND_ROUTER_SOLICIT || r.msgType === ND_ROUTER_ADVERT) {
    ip = src;
    source = r.msgType === ND_NEIGHBOR_SOLICIT ? 'ndp.ns' : r.msgType === ND_ROUTER_SOLICIT ? 'ndp.rs' : 'ndp.ra';
  } else {
    // A redirect's link-layer option is the better next hop's, not its sender's.
    return;
  }
  if (ip === UNSPECIFIED || isMulticast(ip)) return;
  const b: NdBinding = { type: 'ndp.binding', ip, mac: r.lladdr, source, override: r.msgType !== ND_NEIGHBOR_ADVERT || r.override === true, packet: m.packetNo };
  ctx.emit(b);
}
