// The VTP frame analyzer: the decoder hands 802.3 SNAP frames on with the SNAP protocol id as
// their ethertype, so VTP (OUI 00:00:0c, PID 0x2003) arrives as 0x2003. One event per message.
// A VTP server's summary at a higher configuration revision makes every switch of the domain
// replace its VLAN database with the subset that follows: how an administrator adds a VLAN
// everywhere, and how a stray switch or an attacker deletes them all.
import type { FrameContext } from '../types.js';
import { frameEvent } from '../frame-event.js';
import { parseVtp } from './parse.js';

export function vtpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const ev = frameEvent(ctx, 'vtp', 'vtp.message', parseVtp(buf, off, len));
  if (ev !== null) ctx.emit(ev);
}
