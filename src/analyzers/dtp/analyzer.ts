// The DTP frame analyzer: the decoder hands 802.3 SNAP frames on with the SNAP protocol id as
// their ethertype, so DTP (OUI 00:00:0c, PID 0x2004) arrives as 0x2004. One event per
// advertisement. A switch port in a dynamic mode sends one every 30 s (every second while it
// negotiates); a port that sends them at all will become a trunk for a neighbour that asks,
// which is what an attacker's "switch spoofing" does.
import type { FrameContext } from '../types.js';
import { frameEvent } from '../frame-event.js';
import { parseDtp } from './parse.js';

export function dtpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const ev = frameEvent(ctx, 'dtp', 'dtp.message', parseDtp(buf, off, len));
  if (ev !== null) ctx.emit(ev);
}
