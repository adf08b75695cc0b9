// HL7 v2 inside HTTP (HL7's "HL7 over HTTP" profile, as HAPI and interface engines' HTTP
// listeners implement it): a request body of Content-Type x-application/hl7-v2+er7 (or
// application/hl7-v2, or text/plain starting with "MSH") is one ER7 message, the response body
// its acknowledgement. The HTTP
// analyzer keeps the body's first bytes; each side's message becomes an hl7.message event of the
// HTTP connection (transport "http"), read exactly as an MLLP message is. Hl7Body is also how the
// AMQP analyzer reads HL7 messages carried through a broker (transport "amqp").
import type { AnalyzerContext } from '../types.js';
import { BodyBytes, type BodyTap, type BodyTapSpec } from '../http/bodytap.js';
import { hl7Events } from './analyzer.js';
import { parseFrame, type Hl7Frame } from './parse.js';

/** Bytes of a body kept, as for one MLLP message. */
const MAX_BODY = 64 * 1024;

/** A body's message, or each message of a batch (FHS/BHS … BTS/FTS) with its batch id. */
export interface Hl7Summary extends Hl7Frame {
  truncated: boolean;
  packet: number;
}

/** Messages read from one body's batch (the body itself is bounded by MAX_BODY). */
const MAX_BATCH_MESSAGES = 1000;

/** The media types of HL7 v2 ER7 messages (HL7 over HTTP's; interface engines reuse them on brokers). */
export const HL7_MEDIA_TYPES: readonly string[] = ['x-application/hl7-v2+er7', 'application/hl7-v2', 'application/hl7-v2+er7'];

/** "MSH", or a batch's "BHS" or "FHS": the first bytes of every ER7 message or batch (HL7 v2 §2.5, §2.10.3). */
const HEADS = ['MSH', 'BHS', 'FHS'];

function startsWith(buf: Uint8Array, k: number, head: string): boolean {
  for (let j = 0; j < k; j++) if (buf[j] !== head.charCodeAt(j)) return false;
  return true;
}

/**
 * One body that may be an HL7 message: its first bytes kept (bounded). A sniffed body (a
 * text/plain or untyped one) is kept only while it starts like an HL7 message (interface
 * engines' HTTP listeners and broker clients often send those types).
 */
export class Hl7Body implements BodyTap {
  private readonly body = new BodyBytes(MAX_BODY);
  private total = 0;
  private rejected = false;

  constructor(
    private readonly sniff: boolean,
    private readonly transport: 'http' | 'amqp' = 'http',
  ) {}

  add(b: Uint8Array, off: number, n: number): void {
    if (this.rejected) return;
    const before = this.total;
    this.total += n;
    this.body.add(b, off, n);
    // A sniffed body is kept only while its first three bytes can still start an HL7 message or batch.
    if (this.sniff && before < 3 && !HEADS.some((h) => startsWith(this.body.buf, Math.min(3, this.body.len), h))) this.rejected = true;
  }

  summary(ctx: AnalyzerContext): Hl7Summary | null {
    if (this.body.len === 0 || this.rejected) return null;
    const f = parseFrame(this.body.buf, 0, this.body.len, MAX_BATCH_MESSAGES);
    if (typeof f === 'string') {
      if (!this.sniff) ctx.weird(`hl7.${this.transport}_body_not_hl7`);
      return null;
    }
    ctx.confirm('hl7');
    return { ...f, truncated: this.total > MAX_BODY, packet: ctx.packet.packetNo };
  }
}

function emit(ctx: AnalyzerContext, s: Hl7Summary, isOrig: boolean): void {
  for (const ev of hl7Events(ctx, s, isOrig, s.truncated, s.packet)) {
    ev.transport = 'http';
    ctx.emit(ev);
  }
}

function tapFor(mediaType: string): BodyTapSpec {
  const sniff = mediaType === 'text/plain';
  return {
    mediaType,
    create: () => new Hl7Body(sniff),
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
export const HL7_TAPS: readonly BodyTapSpec[] = [...HL7_MEDIA_TYPES, 'text/plain'].map(tapFor);
