// HL7 v2 inside HTTP (HL7's "HL7 over HTTP" profile, as HAPI and interface engines' HTTP
// listeners implement it): a request body of Content-Type x-application/hl7-v2+er7 (or
// application/hl7-v2) is one ER7 message, the response body its acknowledgement. The HTTP
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

class Hl7Tap implements BodyTap {
  private readonly body = new BodyBytes(MAX_BODY);
  private total = 0;

  add(b: Uint8Array, off: number, n: number): void {
    this.total += n;
    this.body.add(b, off, n);
  }

  summary(ctx: AnalyzerContext): Hl7Summary | null {
    if (this.body.len === 0) return null;
    const m = parseMessage(this.body.buf, 0, this.body.len);
    if (typeof m === 'string') {
      ctx.weird('hl7.http_body_not_hl7');
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
  return {
    mediaType,
    create: () => new Hl7Tap(),
    transaction(ctx, _tx, request, response) {
      if (request !== null) emit(ctx, request as Hl7Summary, true);
      if (response !== null) emit(ctx, response as Hl7Summary, false);
    },
  };
}

/** The media types HL7 over HTTP uses for ER7 (pipe-delimited) messages. */
export const HL7_TAPS: readonly BodyTapSpec[] = ['x-application/hl7-v2+er7', 'application/hl7-v2', 'application/hl7-v2+er7'].map(tapFor);
