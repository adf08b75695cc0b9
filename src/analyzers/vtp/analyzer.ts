// The VTP frame analyzer: the decoder hands 802.3 SNAP frames on with the SNAP protocol id as
// their ethertype, so VTP (OUI 00:00:0c, PID 0x2003) arrives as 0x2003. One event per message.
// A VTP server's summary at a higher configuration revision makes every switch of the domain
// replace its VLAN database with the subset that follows: how an administrator adds a VLAN
// everywhere, and how a stray switch or an attacker deletes them all.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { parseVtp } from './parse.js';
import type { VtpMessage } from './events.js';

export function vtpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseVtp(buf, off, len);
  if (r === 'bad') {
    ctx.weird('vtp.bad_header');
    return;
  }
  for (const p of r.problems) ctx.weird(`vtp.${p}`);
  const { problems: _p, ...info } = r;
  const ev: VtpMessage = { type: 'vtp.message', mac_src: formatMac(m.srcMac), ...info, packet: m.packetNo };
  if (m.vlan >= 0) ev.vlan = m.vlan;
  ctx.emit(ev);
}
