// Bodies worth reading inside HTTP: the HTTP analyzer measures and skips bodies, except those of
// a media type a protocol carried over HTTP has registered here (application/ipp for IPP,
// application/soap+xml for DPWS metadata). Their first bytes are kept (bounded) while the
// message goes by, summarised when it ends, and the request's and the response's summaries
// become that protocol's event with the HTTP transaction.
import type { AnalyzerContext } from '../types.js';

/** The HTTP transaction a body belongs to: when it began, and what it said beside its bodies. */
export interface TapTx {
  tsSec: number;
  tsNsec: number;
  packet: number;
  uri?: string;
  statusCode?: number;
  /** The SOAPACTION header's service and action (UPnP control). */
  soapAction?: { service: string; action: string };
}

const NO_BYTES = new Uint8Array(0);

/**
 * A bounded, growing copy of a body's first bytes (nothing allocated until the first bytes come).
 * `max` may be raised once the first bytes say more are worth keeping (a DICOM file's header).
 */
export class BodyBytes {
  buf = NO_BYTES;
  len = 0;
  constructor(public max: number) {}

  add(b: Uint8Array, off: number, n: number): void {
    const take = Math.min(n, this.max - this.len);
    if (take <= 0) return;
    if (this.len + take > this.buf.length) {
      const nb = new Uint8Array(Math.min(this.max, Math.max(4096, this.buf.length * 2, this.len + take)));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.buf.set(b.subarray(off, off + take), this.len);
    this.len += take;
  }
}

/** One body being kept. */
export interface BodyTap {
  add(b: Uint8Array, off: number, n: number): void;
  /** The message ended: what the body said, or null (with a weird) when it was not the protocol. */
  summary(ctx: AnalyzerContext, isOrig: boolean): unknown;
}

/** A protocol carried in HTTP bodies of one media type. */
export interface BodyTapSpec {
  mediaType: string;
  create(): BodyTap;
  /** Called once per HTTP transaction with a summary on either side (null for the other). */
  transaction(ctx: AnalyzerContext, tx: TapTx, request: unknown, response: unknown): void;
}
