// DPWS inside HTTP (DPWS 1.1 §4.1: SOAP 1.2 over HTTP, media type application/soap+xml): the
// HTTP analyzer keeps the first bytes of such bodies (http/bodytap.ts); a WS-Transfer
// GetResponse carrying device metadata (or a directed discovery message) becomes a wsd.message
// event for the side that sent it. Other SOAP traffic (WS-Print, WS-Scan, ONVIF services) is
// left alone.
import { origHost, respHost } from '../connid.js';
import type { AnalyzerContext } from '../types.js';
import { BodyBytes, type BodyTap, type BodyTapSpec } from '../http/bodytap.js';
import { parseWsd, type WsdMessage } from './parse.js';
import type { WsdEvent } from './events.js';

/** Body bytes kept: wsdd's metadata is 2 KB, a printer's with hosted services 5–10 KB. */
const MAX_BODY = 32 * 1024;

export class SoapTap implements BodyTap {
  private readonly body = new BodyBytes(MAX_BODY);

  add(b: Uint8Array, off: number, n: number): void {
    this.body.add(b, off, n);
  }

  summary(ctx: AnalyzerContext): WsdMessage[] | null {
    if (this.body.len === 0) return null;
    const r = parseWsd(this.body.buf, 0, this.body.len);
    if (r === 'bad') {
      ctx.weird('wsd.bad_soap_body');
      return null;
    }
    if (typeof r !== 'object') return null;
    if (r.truncated) ctx.weird('wsd.truncated_message');
    return r.messages;
  }
}

/** One wsd.message event per parsed message, for the side that sent it (UDP datagrams and SOAP bodies alike). */
export function emitWsd(ctx: AnalyzerContext, msgs: WsdMessage[], isOrig: boolean): void {
  const c = ctx.conn;
  const m = ctx.packet;
  const host = isOrig ? origHost(c) : respHost(c);
  for (const msg of msgs) {
    const ev = msg as WsdEvent;
    ev.type = 'wsd.message';
    ev.tsSec = m.tsSec;
    ev.tsNsec = m.tsNsec;
    ev.packet = m.packetNo;
    ev.host = host;
    ev.is_orig = isOrig;
    ctx.emit(ev);
  }
}

export const SOAP_TAP: BodyTapSpec = {
  mediaType: 'application/soap+xml',
  create: () => new SoapTap(),
  transaction(ctx, _tx, request, response) {
    if (request !== null) emitWsd(ctx, request as WsdMessage[], true);
    if (response !== null) emitWsd(ctx, response as WsdMessage[], false);
  },
};
