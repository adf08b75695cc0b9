// Test helper (not itself a test): real TLS bytes cut out of corpus captures — records, handshake
// messages and certificates — for the parser and fuzz tests.
import { captureFlows, type FlowBytes } from '../../testutil/streams.js';
import { corpus } from '../../testutil/corpus.js';
import { CT_HANDSHAKE, HANDSHAKE_HEADER, HS_CERTIFICATE, handshakeHeader, parseCertificateList, parseRecordHeader } from './parse.js';

export interface RecordBytes {
  type: number;
  /** The whole record, header included. */
  raw: Uint8Array;
  body: Uint8Array;
}

/** TLS records of one direction's stream, in order, until the first one that does not parse. */
export function records(stream: Uint8Array, allowV2 = true): RecordBytes[] {
  const out: RecordBytes[] = [];
  let o = 0;
  while (o < stream.length) {
    const h = parseRecordHeader(stream, o, stream.length - o, allowV2 && out.length === 0);
    if (typeof h === 'string' || o + h.headerLen + h.length > stream.length) break;
    out.push({ type: h.type, raw: stream.slice(o, o + h.headerLen + h.length), body: stream.slice(o + h.headerLen, o + h.headerLen + h.length) });
    o += h.headerLen + h.length;
  }
  return out;
}

/** Plaintext handshake messages (header included) of one direction, up to its first non-handshake record. */
export function handshakes(stream: Uint8Array): { type: number; raw: Uint8Array; body: Uint8Array }[] {
  const recs = records(stream, false);
  const parts: Uint8Array[] = [];
  for (const r of recs) {
    if (r.type !== CT_HANDSHAKE) break;
    parts.push(r.body);
  }
  const all = Uint8Array.from(Buffer.concat(parts));
  const out: { type: number; raw: Uint8Array; body: Uint8Array }[] = [];
  let o = 0;
  for (;;) {
    const h = handshakeHeader(all, o, all.length - o);
    if (h === null || o + HANDSHAKE_HEADER + h.length > all.length) break;
    out.push({ type: h.type, raw: all.slice(o, o + HANDSHAKE_HEADER + h.length), body: all.slice(o + HANDSHAKE_HEADER, o + HANDSHAKE_HEADER + h.length) });
    o += HANDSHAKE_HEADER + h.length;
  }
  return out;
}

/** The stream from its first TLS handshake record on (after STARTTLS, say). */
export function fromTls(stream: Uint8Array): Uint8Array {
  for (let i = 0; i + 5 < stream.length; i++) {
    if (stream[i] === CT_HANDSHAKE && stream[i + 1] === 3 && records(stream.subarray(i), false).length > 0) return stream.subarray(i);
  }
  return new Uint8Array(0);
}

/** The DER certificates of the first Certificate message a server sent. */
export function serverCertificates(flow: FlowBytes): Uint8Array[] {
  const m = handshakes(fromTls(flow.resp)).find((x) => x.type === HS_CERTIFICATE);
  if (m === undefined) return [];
  const certs = parseCertificateList(m.body, 0, m.body.length, 16);
  return certs === 'bad' ? [] : certs.map((c) => c.slice());
}

const cache = new Map<string, FlowBytes[]>();

/** Flows of a corpus capture (path relative to the corpus root), cached per test process. */
export async function flowsOf(...path: string[]): Promise<FlowBytes[]> {
  const p = corpus(...path);
  let f = cache.get(p);
  if (f === undefined) {
    f = await captureFlows(p);
    cache.set(p, f);
  }
  return f;
}

/** Zeek's ASCII log escapes: "\\" for a backslash, "\xNN" for other bytes. */
export function zeekUnescape(s: string): string {
  return s.replace(/\\(\\|x[0-9a-fA-F]{2})/g, (_m, e: string) => (e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16))));
}
