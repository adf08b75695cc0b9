// The DTP frame analyzer: the decoder hands 802.3 SNAP frames on with the SNAP protocol id as
// their ethertype, so DTP (OUI 00:00:0c, PID 0x2004) arrives as 0x2004. One event per
// advertisement. A switch port in a dynamic mode sends one every 30 s (every second while it
// negotiates); a port that sends them at all will become a trunk for a neighbour that asks,
// which is what an attacker's "switch spoofing" does.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { parseDtp } from './parse.js';
import type { DtpMessage } from './events.js';

export function dtpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseDtp(buf, off, len);
  if (r === 'bad') {
    ctx.weird('dtp.bad_header');
    return;
  }
  for (const p of r.problems) ctx.weird(`dtp.${p}`);
  const { problems: _p, ...info } = r;
  const ev: DtpMessage = { type: 'dtp.message', mac_src: formatMac(m.srcMac), ...info, packet: m.packetNo };
  if (m.vlan >= 0) ev.vlan = m.vlan;
  ctx.emit(ev);
}
