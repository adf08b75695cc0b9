// The ICMP router-control analyzer: one event per redirect, router advertisement or router
// solicitation (ICMP types 5, 9, 10 on IPv4), checked the way its receiver checks it.
import { formatAddr, formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { ICMP_REDIRECT, ICMP_ROUTER_ADVERT, ICMP_TYPES, REDIRECT_FOR, parseIcmp, type IcmpMessage } from './parse.js';
import type { IcmpEvent } from './events.js';

/** RFC 3344 §2.1: a mobility agent's advertisement that routes no ordinary traffic has code 16. */
const RA_CODE_MOBILE_ONLY = 16;

/** A gateway no host can send through: unspecified, loopback, multicast or the limited broadcast. */
function unusableGateway(a: string): boolean {
  const first = Number(a.slice(0, a.indexOf('.')));
  return a === '0.0.0.0' || a === '255.255.255.255' || first === 127 || (first >= 224 && first <= 239);
}

function invalid(r: IcmpMessage, dst: string): string | undefined {
  if (r.invalid !== undefined) return r.invalid;
  if (r.msgType === ICMP_REDIRECT) {
    if (r.code > 3) return `code_${r.code}`;
    if (r.gateway !== undefined && unusableGateway(r.gateway)) return 'unusable_gateway';
    // A redirect goes to the source of the datagram it is about (RFC 1812 §5.2.7.2).
    if (r.origSrc !== undefined && r.origSrc !== dst) return 'quoted_source_mismatch';
    return undefined;
  }
  if (r.msgType === ICMP_ROUTER_ADVERT) return r.code !== 0 && r.code !== RA_CODE_MOBILE_ONLY ? `code_${r.code}` : undefined;
  return r.code !== 0 ? `code_${r.code}` : undefined;
}

export function icmpPacket(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseIcmp(buf, off, len);
  if (r === 'truncated') {
    ctx.weird('icmp.truncated');
    return;
  }
  const s = m.src;
  const d = m.dst;
  const src = formatAddr(s[0], s[1], s[2], s[3]);
  const dst = formatAddr(d[0], d[1], d[2], d[3]);
  const ev: IcmpEvent = { type: 'icmp.message', msg_type: ICMP_TYPES[r.msgType], src, dst, mac_src: formatMac(m.srcMac), mac_dst: formatMac(m.dstMac), ttl: m.ttl, code: r.code, packet: m.packetNo };
  if (r.msgType === ICMP_REDIRECT) {
    if (r.code < REDIRECT_FOR.length) ev.redirect_for = REDIRECT_FOR[r.code];
    ev.gateway = r.gateway;
    if (r.origSrc !== undefined) {
      ev.orig_src = r.origSrc;
      ev.orig_dst = r.origDst;
      ev.orig_proto = r.origProto;
      if (r.origSport !== undefined) {
        ev.orig_sport = r.origSport;
        ev.orig_dport = r.origDport;
      }
    }
  } else if (r.msgType === ICMP_ROUTER_ADVERT) {
    ev.lifetime = r.lifetime;
    ev.routers = r.routers;
    ev.preferences = r.preferences;
  }
  // Carried in an IP tunnel: its link is the tunnel's. Ethernet-carrying tunnels carry the segment.
  if (m.tunnelDepth !== m.etherDepth) ev.tunneled = true;
  const bad = invalid(r, dst);
  if (bad !== undefined) {
    ev.bad = bad;
    ctx.weird(`icmp.${ev.msg_type}_${bad.startsWith('code_') ? 'bad_code' : bad}`);
  }
  ctx.emit(ev);
}
