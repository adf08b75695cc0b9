// The CDP frame analyzer: the decoder hands 802.3 SNAP frames on with the SNAP protocol id as
// their ethertype, so CDP (OUI 00:00:0c, PID 0x2000) arrives as 0x2000. One neighbour event per
// advertisement; the software version also becomes a software event for its management address.
import type { FrameContext } from '../types.js';
import { frameEvent } from '../frame-event.js';
import { parseCdp } from './parse.js';
import type { CdpNeighbor } from './events.js';

export function cdpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const r = parseCdp(buf, off, len);
  const ev: CdpNeighbor | null = frameEvent(ctx, 'cdp', 'cdp.neighbor', r);
  if (r === 'bad' || ev === null) return;
  ctx.emit(ev);
  const host = r.mgmt_addresses?.[0] ?? r.addresses?.[0];
  const first = r.software_version?.split('\n').find((l) => /Version/i.test(l)) ?? r.software_version?.split('\n')[0];
  if (host !== undefined && first !== undefined && first !== '') ctx.emit({ type: 'software', host, software_type: 'CDP::OS', unparsed_version: first.trim() });
}
