// IPP inside HTTP: the HTTP analyzer keeps the first bytes of an application/ipp body (the
// attributes come first; document data follows the end-of-attributes tag) and asks for a
// summary when the message ends; the request's and the response's summaries become one
// ipp.transaction event with the HTTP transaction.
import { respHost } from '../connid.js';
import type { AnalyzerContext } from '../types.js';
import { BodyBytes, type BodyTap, type BodyTapSpec, type TapTx } from '../http/bodytap.js';
import type { IppTransactionEvent } from './events.js';
import { operationName, parseIpp, statusName } from './parse.js';

/** Body bytes kept: a Get-Printer-Attributes answer is 5–15 KB; what identifies a printer comes early. */
const MAX_BODY = 64 * 1024;

export interface IppSummary {
  version: string;
  code: number;
  attrs: Map<string, string>;
}

export class IppTap implements BodyTap {
  private readonly body = new BodyBytes(MAX_BODY);

  add(b: Uint8Array, off: number, n: number): void {
    this.body.add(b, off, n);
  }

  /** The parsed message, or null (with a weird) when the body is no IPP. */
  summary(ctx: AnalyzerContext): IppSummary | null {
    if (this.body.len === 0) return null;
    const m = parseIpp(this.body.buf, 0, this.body.len);
    if (m === null) {
      ctx.weird('ipp.bad_message');
      return null;
    }
    ctx.confirm('ipp');
    return { version: `${m.major}.${m.minor}`, code: m.code, attrs: m.attrs };
  }
}

const REQUEST_FIELDS: [string, keyof IppTransactionEvent][] = [
  ['requesting-user-name', 'requesting_user_name'],
  ['printer-uri', 'printer_uri'],
  ['document-format', 'document_format'],
];
const RESPONSE_FIELDS: [string, keyof IppTransactionEvent][] = [
  ['status-message', 'status_message'],
  ['printer-make-and-model', 'printer_make_and_model'],
  ['printer-device-id', 'printer_device_id'],
  ['printer-info', 'printer_info'],
  ['printer-location', 'printer_location'],
  ['printer-name', 'printer_name'],
  ['printer-firmware-string-version', 'printer_firmware'],
];

export function ippTransaction(ctx: AnalyzerContext, tx: TapTx, req: IppSummary | null, resp: IppSummary | null): IppTransactionEvent {
  const c = ctx.conn;
  const ev: IppTransactionEvent = { type: 'ipp.transaction', tsSec: tx.tsSec, tsNsec: tx.tsNsec, packet: tx.packet, host: respHost(c), host_p: c.rPort };
  const v = req?.version ?? resp?.version;
  if (v !== undefined) ev.version = v;
  if (req !== null) {
    ev.operation = operationName(req.code);
    for (const [k, f] of REQUEST_FIELDS) {
      const x = req.attrs.get(k);
      if (x !== undefined && x !== '') ev[f] = x;
    }
  }
  if (resp !== null) {
    ev.status = statusName(resp.code);
    for (const [k, f] of RESPONSE_FIELDS) {
      const x = resp.attrs.get(k);
      if (x !== undefined && x !== '') ev[f] = x;
    }
  }
  return ev;
}

/** IPP travels as HTTP POST bodies of this type (RFC 8010 §4). */
export const IPP_TAP: BodyTapSpec = {
  mediaType: 'application/ipp',
  create: () => new IppTap(),
  transaction(ctx, tx, request, response) {
    ctx.emit(ippTransaction(ctx, tx, request as IppSummary | null, response as IppSummary | null));
  },
};
