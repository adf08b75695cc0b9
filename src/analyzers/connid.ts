// The leading fields every per-connection protocol log shares, in Zeek's order and spelling:
// ts, uid, id.orig_h, id.orig_p, id.resp_h, id.resp_p.
import { formatAddr, type PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import { connUid } from '../flow/uid.js';
import { formatTime } from '../report/logwriter.js';
import type { LogMapper } from './logs.js';
import { REDACTED } from './secret.js';

/**
 * Confirms a connection's service and dates its one summary event (reported when the connection
 * ends) by the packet that first showed the protocol.
 */
export function confirmSummary(ctx: { packet: PacketMeta; confirm(service: string): void }, ev: { tsSec: number; tsNsec: number; packet: number }, service: string): void {
  const p = ctx.packet;
  ev.tsSec = p.tsSec;
  ev.tsNsec = p.tsNsec;
  ev.packet = p.packetNo;
  ctx.confirm(service);
}

export function connFields(c: Conn, m: PacketMeta): Record<string, unknown> {
  return connHeader(c, m.tsSec, m.tsNsec);
}

/** The same leading fields for a record dated otherwise than by the current packet (an event's own time). */
export function connHeader(c: Conn, tsSec: number, tsNsec: number): Record<string, unknown> {
  return {
    ts: Number(formatTime(tsSec, tsNsec)),
    uid: connUid(c),
    'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
    'id.orig_p': c.oPort,
    'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
    'id.resp_p': c.rPort,
  };
}

/** The originator's and responder's addresses as text (for software and inventory events). */
export function origHost(c: Conn): string {
  return formatAddr(c.o0, c.o1, c.o2, c.o3);
}

export function respHost(c: Conn): string {
  return formatAddr(c.r0, c.r1, c.r2, c.r3);
}

/** Copies the defined, non-empty values of `src` onto `dst` (Zeek omits unset fields). */
export function putSet(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(src)) {
    const v = src[k];
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    dst[k] = v;
  }
  return dst;
}

/**
 * The log mapper of a per-flow summary event (dated by its own tsSec/tsNsec): the leading
 * fields, then those of `fields` that are set (unset, '' and empty lists left out, as Zeek does).
 * A `password` field is never a value of the event: it reads "<redacted>" when the event says
 * one went by (`has_password`). Counters named in `zeroless` are left out at 0.
 */
export function summaryMapper(log: string, fields: readonly string[], zeroless?: ReadonlySet<string>): LogMapper {
  return (ev, c) => {
    if (c === null) return null;
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const f of fields) {
      const v = f === 'password' ? (ev.has_password === true ? REDACTED : undefined) : ev[f];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      if (v === 0 && zeroless?.has(f) === true) continue;
      r[f] = v;
    }
    return { log, record: r };
  };
}

