// HL7 v2 inside HTTP (HL7's "HL7 over HTTP" profile, as HAPI and interface engines' HTTP
// listeners implement it): a request body of Content-Type x-application/hl7-v2+er7 (or
// application/hl7-v2, or text/plain starting with "MSH") is one ER7 message, the response body
// its acknowledgement. The HTTP
// analyzer keeps the body's first bytes; each side's message becomes an hl7.message event of the
// HTTP connection (transport "http"), read exactly as an MLLP message is.
import type { AnalyzerContext } from '../types.js';
import { BodyBytes, type BodyTap, type BodyTapSpec } from '../http/bodytap.js';
import { hl7Event } from './analyzer.js';
import { parseMessage, type Hl7Message } from './parse.js';

/** Bytes of a body kept, as for one MLLP message. */
const MAX_BODY = 64 * 1024;

interface Hl7Summary {
  message: Hl7Message;
  truncated: boolean;
  packet: number;
}

/** "MSH" and a field separator: the first bytes of every ER7 message (HL7 v2 §2.5). */
const MSH = [0x4d, 0x53, 0x48];

class Hl7Tap implements BodyTap {
  private readonly body = new BodyBytes(MAX_BODY);
  private total = 0;
  /** A text/plain body is kept only while it starts like an HL7 message (interface engines' HTTP listeners often send that type). */
  private rejected = false;

  constructor(private readonly sniff: boolean) {}

  add(b: Uint8Array, off: number, n: number): void {
    if (this.rejected) return;
    if (this.sniff && this.total < MSH.length) {
      for (let i = 0; i < n && this.total + i < MSH.length; i++) {
        if (b[off + i] !== MSH[this.total + i]) {
          this.rejected = true;
          return;
        }
      }
    }
    this.total += n;
    this.body.add(b, off, n);
  }

  summary(ctx: AnalyzerContext): Hl7Summary | null {
    if (this.body.len === 0 || this.rejected) return null;
    const m = parseMessage(this.body.buf, 0, this.body.len);
    if (typeof m === 'string') {
      if (!this.sniff) ctx.weird('hl7.http_body_not_hl7');
      return null;
    }
    ctx.confirm('hl7');
    return { message: m, truncated: this.total > MAX_BODY, packet: ctx.packet.packetNo };
  }
}

function emit(ctx: AnalyzerContext, s: Hl7Summary, isOrig: boolean): void {
  const ev = hl7Event(ctx, s.message, isOrig, s.truncated, s.packet);
  ev.transport = 'http';
  ctx.emit(ev);
}

function tapFor(mediaType: string): BodyTapSpec {
  const sniff = mediaType === 'text/plain';
  return {
    mediaType,
    create: () => new Hl7Tap(sniff),
    transaction(ctx, _tx, request, response) {
      if (request !== null) emit(ctx, request as Hl7Summary, true);
      if (response !== null) emit(ctx, response as Hl7Summary, false);
    },
  };
}

/**
 * The media types HL7 over HTTP uses for ER7 (pipe-delimited) messages, and text/plain, which
 * interface engines' HTTP listeners (Mirth Connect's default) send and accept: a text/plain body
 * counts only when it starts with "MSH".
 */
export const HL7_TAPS: readonly BodyTapSpec[] = ['x-application/hl7-v2+er7', 'application/hl7-v2', 'application/hl7-v2+er7', 'text/plain'].map(tapFor);
