// The PROFINET frame analyzer: one `profinet.dcp` event per DCP PDU (damage becomes weirds),
// and one `profinet.rt` event for the first frame of each cyclic real-time stream or alarm
// channel (source MAC and FrameID) in a run. Cyclic frames arrive every few milliseconds per
// stream, so only a stream's first is an event; the rest cost one map look-up.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { frameKind, parseDcp } from './parse.js';
import type { ProfinetDcp, ProfinetRt } from './events.js';

/** Streams remembered per run; past this, new streams are not reported (bounded memory). */
const MAX_STREAMS = 4096;

/** Streams seen in one run: frame analyzers are shared, so the state hangs off the run's context. */
interface RtState {
  /** Source MAC → FrameIDs seen from it. */
  streams: Map<number, number[]>;
  count: number;
}

const runs = new WeakMap<FrameContext, RtState>();

export function profinetFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  if (len < 2) {
    ctx.weird('profinet.truncated_frame_id');
    return;
  }
  const frameId = (buf[off] << 8) | buf[off + 1];
  const kind = frameKind(frameId);
  if (kind === 'dcp') {
    dcp(ctx, buf, off, len);
    return;
  }
  if (kind === 'ptcp' || kind === 'other') return;
  const m = ctx.packet;
  const src = m.srcMac;
  let st = runs.get(ctx);
  if (st === undefined) {
    st = { streams: new Map(), count: 0 };
    runs.set(ctx, st);
  }
  let ids = st.streams.get(src);
  if (ids !== undefined && ids.includes(frameId)) return;
  if (st.count >= MAX_STREAMS) return;
  st.count++;
  if (ids === undefined) {
    ids = [];
    st.streams.set(src, ids);
  }
  ids.push(frameId);
  const ev: ProfinetRt = { type: 'profinet.rt', src_mac: formatMac(src), dst_mac: formatMac(m.dstMac), frame_id: frameId, rt_class: kind, packet: m.packetNo };
  if (m.vlan >= 0) ev.vlan = m.vlan;
  ctx.emit(ev);
}

function dcp(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const r = parseDcp(buf, off, len);
  if (r === null) return;
  for (const p of r.problems) ctx.weird(`profinet.dcp_${p}`);
  if (r.service === '') return;
  const m = ctx.packet;
  const { problems: _p, frame_id: _f, ...info } = r;
  const ev: ProfinetDcp = { ...info, type: 'profinet.dcp', src_mac: formatMac(m.srcMac), dst_mac: formatMac(m.dstMac), packet: m.packetNo };
  if (m.vlan >= 0) ev.vlan = m.vlan;
  ctx.emit(ev);
}
