// The ARP frame analyzer: one event per ARP packet, a binding event for every sender address
// pair worth believing (not a probe, not a zero or broadcast MAC), and a weird plus an
// `arp.bad` event for a malformed header.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { OP_REPLY, OP_REQUEST, parseArp } from './parse.js';
import type { ArpBad, ArpBinding, ArpEvent } from './events.js';

const ZERO_MAC = '00:00:00:00:00:00';
const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

export function arpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseArp(buf, off, len);
  if (r === 'truncated') {
    ctx.weird('arp.truncated');
    return;
  }
  const macSrc = formatMac(m.srcMac);
  const macDst = formatMac(m.dstMac);
  if ('bad' in r) {
    ctx.weird('arp.corrupt_header');
    const ev: ArpBad = { ...r, type: 'arp.bad', mac_src: macSrc, mac_dst: macDst, packet: m.packetNo };
    ctx.emit(ev);
    return;
  }
  const ev: ArpEvent = { ...r, type: 'arp.message', mac_src: macSrc, mac_dst: macDst, packet: m.packetNo };
  ctx.emit(ev);
  if (r.probe || r.sha === ZERO_MAC || r.sha === BROADCAST_MAC) return;
  if (r.op !== OP_REQUEST && r.op !== OP_REPLY) return;
  const b: ArpBinding = { type: 'arp.binding', ip: r.spa, mac: r.sha, source: r.op === OP_REPLY ? 'arp.reply' : 'arp.request', packet: m.packetNo };
  ctx.emit(b);
}
