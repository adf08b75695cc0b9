// The event of a link-layer (frame) analyzer built from its pure parser's result: the parser's
// damage as weirds named after the protocol, then its fields with the frame's source MAC, packet
// number and 802.1Q VLAN. CDP, DTP, VTP and EAPOL share it.
import { formatMac } from '../decode/packet.js';
import type { FrameContext } from './types.js';

export type FrameEvent<T, K extends string> = Omit<T, 'problems'> & { type: K; mac_src: string; packet: number; vlan?: number; [k: string]: unknown };

/** null (and the weird `<proto>.bad_header`) when the parser said the frame is not one of its protocol's. */
export function frameEvent<T extends { problems: string[] }, K extends string>(ctx: FrameContext, proto: string, type: K, r: T | 'bad'): FrameEvent<T, K> | null {
  if (r === 'bad') {
    ctx.weird(`${proto}.bad_header`);
    return null;
  }
  for (const p of r.problems) ctx.weird(`${proto}.${p}`);
  const m = ctx.packet;
  const { problems: _p, ...info } = r;
  const ev = { ...info, type, mac_src: formatMac(m.srcMac), packet: m.packetNo } as FrameEvent<T, K>;
  if (m.vlan >= 0) ev.vlan = m.vlan;
  return ev;
}
