// The multicast membership analyzer: IGMP (IPv4 protocol 2) and MLD (ICMPv6 130–132, 143). A
// router (or a switch's IGMP-snooping querier) asks the link which groups have listeners; hosts
// answer with the groups they joined: a host in ff02::2 or 224.0.0.5 is a router speaking to
// other routers, one in ff02::1:2 a DHCPv6 server or relay. Membership repeats every query
// interval (125 s by default): each sender's distinct message is reported once per run.
import { formatAddr, formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import type { MembershipEvent } from './events.js';
import { parseIgmp, parseMld, type MembershipInfo } from './parse.js';

function emit(ctx: FrameContext, r: MembershipInfo): void {
  const m = ctx.packet;
  const mac = formatMac(m.srcMac);
  const src = formatAddr(m.src[0], m.src[1], m.src[2], m.src[3]);
  const key = `mcast|${mac}|${src}|${r.protocol}${r.version}|${r.msg_type}|${r.group ?? ''}|${(r.records ?? []).map((g) => `${g.group}:${g.record}:${(g.sources ?? []).join(',')}`).join(';')}`;
  if (!ctx.once(key)) return;
  if (r.bad !== undefined) ctx.weird(`${r.protocol}.${r.bad}`);
  const ev: MembershipEvent = { ...r, type: 'multicast.membership', src, dst: formatAddr(m.dst[0], m.dst[1], m.dst[2], m.dst[3]), mac_src: mac, packet: m.packetNo };
  if (m.vlan >= 0) ev.vlan = m.vlan;
  ctx.emit(ev);
}

export function igmpPacket(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const r = parseIgmp(buf, off, len);
  if (r === 'bad') {
    ctx.weird('igmp.bad_message');
    return;
  }
  emit(ctx, r);
}

export function mldPacket(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const r = parseMld(buf, off, len);
  if (r === 'bad') {
    ctx.weird('mld.bad_message');
    return;
  }
  emit(ctx, r);
}
