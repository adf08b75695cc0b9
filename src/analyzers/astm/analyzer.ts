// Per-flow ASTM state, per direction: LIS01-A2 frames (checksums verified, repeated frames after
// a NAK or a lost ACK dropped) or unframed records, assembled into LIS02-A2 records and messages
// (Header to Terminator); one event per message. Record text is bounded and only what the log
// keeps is kept: counts, test codes, the names of filled patient fields.
import { formatAddr } from '../../decode/packet.js';
import { secretDigest } from '../secret.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import {
  ACK,
  CR,
  DEFAULT_DELIMITERS,
  ENQ,
  EOT,
  ETB,
  ETX,
  LF,
  MAX_FRAME,
  NAK,
  STX,
  frameChecksum,
  headerDelimiters,
  hexValue,
  looksLikeHeader,
  parseHeader,
  patientFields,
  RECORD_TYPES,
  testId,
  type Delimiters,
  type Header,
} from './parse.js';

/** Longest record kept (a record may span many 240-character frames). */
const MAX_RECORD = 64 * 1024;
/** Records of one message examined; the rest are only counted as the truncation. */
const MAX_RECORDS = 10_000;
/** Test codes kept per message. */
const MAX_TESTS = 16;
/** Messages per flow that are reported (an interface connection stays up for days). */
const MAX_MESSAGES = 100_000;
/** Bytes that are neither control characters nor frames tolerated before the flow is given up. */
const MAX_JUNK = 4096;

const enum F {
  /** Between frames: ENQ, EOT, ACK, NAK, or STX starting a frame. */
  IDLE,
  /** After STX: the frame number. */
  FN,
  /** Frame text, up to ETB or ETX. */
  TEXT,
  /** The two checksum digits. */
  C1,
  C2,
  /** CR LF after the checksum. */
  TAIL,
}

class Message {
  header: Header | null = null;
  d: Delimiters = DEFAULT_DELIMITERS;
  packet = 0;
  types: string[] = [];
  patients = 0;
  orders = 0;
  results = 0;
  queries = 0;
  comments = 0;
  records = 0;
  tests: string[] = [];
  phi: string[] = [];
  checksumErrors = 0;
  truncated = false;
}

class Side {
  /** The first bytes decided between framed and bare records. */
  decided = false;
  framed = false;
  state = F.IDLE;
  /** Frame bytes (FN … ETX/ETB) for the checksum. */
  frame = new Uint8Array(256);
  frameLen = 0;
  frameTooLong = false;
  sum = 0;
  c1 = 0;
  /** Frame number of the last frame accepted, -1 at the start of a transfer. */
  lastFn = -1;
  /** Record text assembled from frames or lines. */
  rec = '';
  recTooLong = false;
  msg: Message | null = null;
  junk = 0;
  /** Packet of the first byte of the record being assembled. */
  recPacket = 0;
}

export class AstmAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private messages = 0;
  private confirmed = false;
  private broken = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken || len <= 0) return;
    const s = this.sides[isOrig ? 0 : 1];
    const end = off + len;
    let p = off;
    if (!s.decided) {
      // The first bytes decide: LIS01-A2 control characters and frames, or bare records.
      s.decided = true;
      const b = buf[p];
      s.framed = b === ENQ || b === STX || b === ACK || b === NAK || b === EOT;
      if (!s.framed && !looksLikeHeader(buf, p, len)) {
        this.give(ctx, 'astm.not_astm');
        return;
      }
    }
    if (!s.framed) {
      this.lines(ctx, isOrig, s, buf, p, end);
      return;
    }
    while (p < end) {
      const b = buf[p];
      switch (s.state) {
        case F.IDLE:
          p++;
          if (b === STX) {
            s.state = F.FN;
            s.frameLen = 0;
            s.frameTooLong = false;
            if (s.rec === '') s.recPacket = ctx.packet.packetNo;
          } else if (b === ENQ) {
            // A new transfer: frame numbering starts again at 1.
            s.lastFn = -1;
          } else if (b === EOT) {
            s.lastFn = -1;
            // A sender may end the transfer without a Terminator record.
            if (s.msg !== null && s.rec === '') this.finish(ctx, isOrig, s, false);
          } else if (b === ACK || b === NAK || b === CR || b === LF) {
            // Replies to the other side's frames, and line ends some senders add.
          } else if (++s.junk > MAX_JUNK) {
            this.give(ctx, 'astm.not_lis01');
            return;
          }
          break;
        case F.FN:
          if (b < 0x30 || b > 0x37) {
            ctx.weird('astm.bad_frame_number');
            s.state = F.IDLE;
            break;
          }
          this.frameByte(s, b);
          s.state = F.TEXT;
          p++;
          break;
        case F.TEXT: {
          let q = p;
          while (q < end && buf[q] !== ETX && buf[q] !== ETB && buf[q] !== STX) q++;
          for (let i = p; i < q; i++) this.frameByte(s, buf[i]);
          p = q;
          if (q === end) break;
          if (buf[q] === STX) {
            // A new frame began before this one ended: the rest of it was lost.
            ctx.weird('astm.unterminated_frame');
            s.state = F.IDLE;
            break;
          }
          this.frameByte(s, buf[q]);
          p++;
          s.state = F.C1;
          break;
        }
        case F.C1:
          s.c1 = hexValue(b);
          s.state = F.C2;
          p++;
          break;
        case F.C2: {
          const c2 = hexValue(b);
          p++;
          s.state = F.TAIL;
          this.frameDone(ctx, isOrig, s, s.c1 >= 0 && c2 >= 0 && ((s.c1 << 4) | c2) === frameChecksum(s.frame, 0, Math.min(s.frameLen, s.frame.length)));
          break;
        }
        case F.TAIL:
          if (b === CR || b === LF) p++;
          else s.state = F.IDLE;
          if (b === LF) s.state = F.IDLE;
          break;
      }
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    const s = this.sides[isOrig ? 0 : 1];
    // Bytes of a frame or record were lost: that record is dropped, the message kept.
    if (s.state !== F.IDLE || s.rec !== '') ctx.weird('astm.content_gap');
    s.state = F.IDLE;
    s.rec = '';
    s.recTooLong = false;
    s.lastFn = -1;
  }

  end(ctx: AnalyzerContext): void {
    for (let i = 0; i < 2; i++) {
      const s = this.sides[i];
      if (!s.framed && s.rec !== '') this.record(ctx, i === 0, s, s.rec);
      if (s.msg !== null) this.finish(ctx, i === 0, s, false);
    }
  }

  private give(ctx: AnalyzerContext, weird: string): void {
    ctx.weird(weird);
    this.broken = true;
  }

  private frameByte(s: Side, b: number): void {
    if (s.frameLen >= MAX_FRAME) {
      s.frameTooLong = true;
      return;
    }
    if (s.frameLen === s.frame.length) {
      const nb = new Uint8Array(Math.min(MAX_FRAME, s.frame.length * 2));
      nb.set(s.frame);
      s.frame = nb;
    }
    s.frame[s.frameLen++] = b;
  }

  /** A whole frame (FN, text, ETB/ETX) arrived with a good or bad checksum. */
  private frameDone(ctx: AnalyzerContext, isOrig: boolean, s: Side, good: boolean): void {
    if (s.frameTooLong) ctx.weird('astm.frame_too_long');
    if (!good) {
      // The receiver NAKs it and the sender repeats it: only the repetition counts.
      ctx.weird('astm.bad_checksum');
      if (s.msg !== null) s.msg.checksumErrors++;
      else s.junk++;
      return;
    }
    const fn = s.frame[0] - 0x30;
    // The same frame number again is the sender repeating a frame whose ACK it did not get.
    if (fn === s.lastFn) return;
    s.lastFn = fn;
    const last = s.frame[s.frameLen - 1] === ETX;
    const text = Buffer.from(s.frame.buffer, s.frame.byteOffset + 1, Math.max(0, s.frameLen - 2)).toString('latin1');
    this.appendText(ctx, isOrig, s, text, last);
  }

  /** Frame text: records end at CR; an ETX ends the record in progress too. */
  private appendText(ctx: AnalyzerContext, isOrig: boolean, s: Side, text: string, last: boolean): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) !== CR) continue;
      this.addToRecord(s, text.slice(start, i));
      this.takeRecord(ctx, isOrig, s);
      start = i + 1;
    }
    if (start < text.length) this.addToRecord(s, text.slice(start));
    if (last && s.rec !== '') this.takeRecord(ctx, isOrig, s);
  }

  private addToRecord(s: Side, t: string): void {
    if (s.rec.length + t.length > MAX_RECORD) {
      s.recTooLong = true;
      s.rec += t.slice(0, Math.max(0, MAX_RECORD - s.rec.length));
    } else s.rec += t;
  }

  private takeRecord(ctx: AnalyzerContext, isOrig: boolean, s: Side): void {
    const r = s.rec;
    if (s.recTooLong) ctx.weird('astm.record_too_long');
    s.rec = '';
    s.recTooLong = false;
    if (r.trim() !== '') this.record(ctx, isOrig, s, r);
  }

  /** Unframed records: lines ending in CR, LF or CR LF. */
  private lines(ctx: AnalyzerContext, isOrig: boolean, s: Side, buf: Uint8Array, p: number, end: number): void {
    while (p < end) {
      let q = p;
      while (q < end && buf[q] !== CR && buf[q] !== LF) q++;
      if (s.rec === '' && q > p) s.recPacket = ctx.packet.packetNo;
      this.addToRecord(s, Buffer.from(buf.buffer, buf.byteOffset + p, q - p).toString('latin1'));
      if (q === end) return;
      p = q + 1;
      this.takeRecord(ctx, isOrig, s);
    }
  }

  private record(ctx: AnalyzerContext, isOrig: boolean, s: Side, rec: string): void {
    const t = rec[0].toUpperCase();
    if (t === 'H') {
      const d = headerDelimiters(rec);
      if (d === null) {
        ctx.weird('astm.bad_header');
        return;
      }
      if (s.msg !== null) this.finish(ctx, isOrig, s, false);
      const m = new Message();
      m.d = d;
      m.header = parseHeader(rec, d);
      m.packet = s.recPacket || ctx.packet.packetNo;
      s.msg = m;
      m.types.push('H');
      m.records = 1;
      if (!this.confirmed) {
        this.confirmed = true;
        ctx.confirm('astm');
      }
      return;
    }
    const m = s.msg;
    if (m === null) {
      // Records before any header: a capture that began mid-message.
      ctx.weird('astm.record_without_header');
      return;
    }
    if (++m.records > MAX_RECORDS) {
      m.truncated = true;
      if (t === 'L') this.finish(ctx, isOrig, s, true);
      return;
    }
    const label = RECORD_TYPES.includes(t) ? t : '?';
    if (!m.types.includes(label)) m.types.push(label);
    switch (t) {
      case 'P':
        m.patients++;
        for (const f of patientFields(rec, m.d)) if (!m.phi.includes(f)) m.phi.push(f);
        break;
      case 'O':
        m.orders++;
        this.test(m, rec);
        break;
      case 'R':
        m.results++;
        this.test(m, rec);
        break;
      case 'Q':
        m.queries++;
        break;
      case 'C':
        m.comments++;
        break;
      case 'L':
        this.finish(ctx, isOrig, s, true);
        break;
      default:
        if (label === '?') ctx.weird('astm.unknown_record_type');
    }
  }

  private test(m: Message, rec: string): void {
    if (m.tests.length >= MAX_TESTS) return;
    const id = testId(rec, m.d);
    if (id !== '' && !m.tests.includes(id)) m.tests.push(id);
  }

  private finish(ctx: AnalyzerContext, isOrig: boolean, s: Side, terminated: boolean): void {
    const m = s.msg;
    s.msg = null;
    if (m === null || m.header === null) return;
    if (!terminated) ctx.weird('astm.unterminated_message');
    if (++this.messages > MAX_MESSAGES) return;
    const h = m.header;
    const c = ctx.conn;
    const sender = isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3);
    if (h.password !== '') {
      // LIS02-A2 6.4: a password in the header, in clear. Only its keyed digest is passed on.
      ctx.emit({ type: 'credential', protocol: 'astm', user: h.senderId, secret: secretDigest(h.password), server: isOrig ? formatAddr(c.r0, c.r1, c.r2, c.r3) : formatAddr(c.o0, c.o1, c.o2, c.o3), server_p: isOrig ? c.rPort : c.oPort, client: sender, packet: m.packet });
    }
    ctx.emit({
      type: 'astm.message',
      is_orig: isOrig,
      sender,
      framing: s.framed ? 'lis01' : 'raw',
      control_id: h.controlId,
      sender_id: h.senderId,
      receiver_id: h.receiverId,
      processing_id: h.processingId,
      version: h.version,
      message_time: h.time,
      record_types: m.types,
      patients: m.patients,
      orders: m.orders,
      results: m.results,
      queries: m.queries,
      comments: m.comments,
      tests: m.tests,
      phi_fields: m.phi,
      password_sent: h.password !== '',
      terminated,
      checksum_errors: m.checksumErrors,
      truncated: m.truncated,
      packet: m.packet,
    });
  }
}
