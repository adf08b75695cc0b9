// Per-flow HL7/MLLP state: finds each framed message per direction, keeps at most the first
// 64 KiB of it (headers and segment ids sit at the start; large embedded documents are
// skipped), and emits one event per message.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import { MLLP_END, MLLP_END2, MLLP_START, parseFrame, type Hl7Frame, type Hl7Message } from './parse.js';
import type { Hl7MessageEvent } from './events.js';

const MAX_KEPT = 64 * 1024;
/** Bytes of non-MLLP data tolerated between messages before the flow is given up. */
const MAX_JUNK = 4096;
/** Messages per flow that are reported (a long-lived interface connection sends many). */
const MAX_MESSAGES = 100_000;

class Side {
  inMsg = false;
  /** A gap lost this side's place: bytes before the next start block are the lost message's. */
  lost = false;
  buf = new Uint8Array(4096);
  len = 0;
  truncated = false;
  /** Saw FS; the next byte should be CR. */
  sawFs = false;
  junk = 0;
  startPacket = 0;
}

export class Hl7Analyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private messages = 0;
  private broken = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    const s = this.sides[isOrig ? 0 : 1];
    const end = off + len;
    let p = off;
    while (p < end) {
      if (!s.inMsg) {
        const b = buf[p++];
        if (b === MLLP_START) {
          s.inMsg = true;
          s.lost = false;
          s.len = 0;
          s.truncated = false;
          s.sawFs = false;
          s.startPacket = ctx.packet.packetNo;
        } else if (b !== MLLP_END2 && b !== 0x0a && !s.lost && ++s.junk > MAX_JUNK) {
          ctx.weird('hl7.not_mllp');
          this.broken = true;
          return;
        }
        continue;
      }
      if (s.sawFs) {
        // FS must be followed by CR; tolerate its absence but say so.
        if (buf[p] === MLLP_END2) p++;
        else ctx.weird('hl7.missing_end_cr');
        this.message(ctx, isOrig, s);
        continue;
      }
      let q = p;
      while (q < end && buf[q] !== MLLP_END) q++;
      this.keep(s, buf, p, q - p);
      p = q;
      if (q < end) {
        p++;
        s.sawFs = true;
      }
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    const s = this.sides[isOrig ? 0 : 1];
    if (s.inMsg) {
      ctx.weird('hl7.content_gap');
      // The message being read lost bytes (a lost segment, or a capture's snap length, which
      // keeps a message's first bytes only): what came before the gap is read as a truncated
      // message, its header naming the sender. The field the gap cut is dropped whole, so no
      // value is logged cut short. Then wait for the next start block.
      if (!s.sawFs) {
        // MSH-1 (FHS-1, BHS-1) declares the field separator: the fourth byte.
        const sep = s.len >= 4 ? s.buf[3] : 0x7c;
        let n = s.len;
        while (n > 0 && s.buf[n - 1] !== sep && s.buf[n - 1] !== MLLP_END2) n--;
        s.len = n > 0 ? n - 1 : 0;
        s.truncated = true;
      }
      if (s.len > 0) this.message(ctx, isOrig, s);
    }
    s.inMsg = false;
    s.sawFs = false;
    s.len = 0;
    // The rest of a message the gap cut is no junk: skipped until the next start block.
    s.lost = true;
  }

  end(ctx: AnalyzerContext): void {
    for (let i = 0; i < 2; i++) {
      const s = this.sides[i];
      if (s.inMsg && s.sawFs) this.message(ctx, i === 0, s);
      else if (s.inMsg && s.len > 0) ctx.weird('hl7.unterminated_message');
    }
  }

  private keep(s: Side, buf: Uint8Array, off: number, n: number): void {
    const take = Math.min(n, MAX_KEPT - s.len);
    if (take < n) s.truncated = true;
    if (take <= 0) return;
    if (s.len + take > s.buf.length) {
      const nb = new Uint8Array(Math.min(MAX_KEPT, Math.max(s.len + take, s.buf.length * 2)));
      nb.set(s.buf.subarray(0, s.len));
      s.buf = nb;
    }
    s.buf.set(buf.subarray(off, off + take), s.len);
    s.len += take;
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, s: Side): void {
    s.inMsg = false;
    s.sawFs = false;
    s.junk = 0;
    const f = parseFrame(s.buf, 0, s.len, MAX_MESSAGES);
    if (f === 'bad') {
      ctx.weird('hl7.no_msh');
      return;
    }
    ctx.confirm('hl7');
    for (const ev of hl7Events(ctx, f, isOrig, s.truncated, s.startPacket)) {
      if (++this.messages > MAX_MESSAGES) return;
      ctx.emit(ev);
    }
  }
}

/** An hl7.message event per message of a block or body, with its batch id when it came in a batch. */
export function hl7Events(ctx: AnalyzerContext, f: Hl7Frame, isOrig: boolean, truncated: boolean, packet: number): Hl7MessageEvent[] {
  return f.messages.map((m, i) => {
    const ev = hl7Event(ctx, m, isOrig, truncated, packet);
    const batch = f.batchIds[i];
    if (batch !== null) ev.batch_id = batch;
    return ev;
  });
}

/** The hl7.message event of a parsed message sent by the originator (isOrig) or the responder. */
export function hl7Event(ctx: AnalyzerContext, m: Hl7Message, isOrig: boolean, truncated: boolean, packet: number): Hl7MessageEvent {
  const c = ctx.conn;
  const ev: Hl7MessageEvent = {
    type: 'hl7.message',
    is_orig: isOrig,
    sender: isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3),
    sending_application: m.sendingApplication,
    sending_facility: m.sendingFacility,
    receiving_application: m.receivingApplication,
    receiving_facility: m.receivingFacility,
    message_type: m.messageType,
    control_id: m.controlId,
    processing_id: m.processingId,
    version: m.version,
    device_ids: m.deviceIds,
    phi_segments: m.phiSegments,
    segments: m.segments,
    truncated,
    packet,
  };
  if (m.ackCode !== undefined) ev.ack_code = m.ackCode;
  if (m.ackControlId !== undefined) ev.ack_control_id = m.ackControlId;
  return ev;
}
