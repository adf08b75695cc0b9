// The LLDP frame analyzer: one neighbour event per advertisement; damage becomes weirds.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { parseLldp } from './parse.js';
import type { LldpNeighbor } from './events.js';

export function lldpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseLldp(buf, off, len);
  for (const p of r.problems) ctx.weird(`lldp.${p}`);
  if (r.chassis_id === undefined && r.system_name === undefined) return;
  const { problems: _p, ...info } = r;
  const ev: LldpNeighbor = { ...info, type: 'lldp.neighbor', mac_src: formatMac(m.srcMac), packet: m.packetNo };
  if (m.vlan >= 0) ev.vlan = m.vlan;
  ctx.emit(ev);
}
