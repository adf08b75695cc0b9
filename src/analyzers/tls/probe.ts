// Cheap recognition of TLS on any port from the first payload of a direction: a TLS record header
// (RFC 5246 §6.2.1) carrying a ClientHello or ServerHello, an SSLv2-compatible CLIENT-HELLO
// (RFC 6101 appendix E.2), or over UDP a DTLS record header (RFC 6347 §4.1) in epoch 0.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import {
  CT_HANDSHAKE,
  DTLS_RECORD_HEADER,
  HS_CLIENT_HELLO,
  HS_HELLO_VERIFY_REQUEST,
  HS_SERVER_HELLO,
  TLS_RECORD_HEADER,
  countTilingRecords,
  isSslv2ClientHello,
  isTlsRecord,
  parseDtlsRecordHeader,
} from './parse.js';

const PROTO_UDP = 17;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto === PROTO_UDP) {
    const h = parseDtlsRecordHeader(buf, off, len);
    if (typeof h === 'string') return PROBE_NO;
    // Whole DTLS records filling the datagram exactly: DTLS even mid-session (epoch > 0).
    const tiled = countTilingRecords(buf, off, len, true) > 0;
    if (h.epoch !== 0 || h.type !== CT_HANDSHAKE || len <= DTLS_RECORD_HEADER) return tiled ? PROBE_YES : PROBE_NO;
    const t = buf[off + DTLS_RECORD_HEADER];
    return t === HS_CLIENT_HELLO || t === HS_SERVER_HELLO || t === HS_HELLO_VERIFY_REQUEST ? PROBE_YES : PROBE_NO;
  }
  if (isSslv2ClientHello(buf, off, len)) return PROBE_YES;
  if (!isTlsRecord(buf, off, len)) return PROBE_NO;
  // A segment made of whole records is TLS caught mid-session (application data, alerts).
  if (buf[off] !== CT_HANDSHAKE) return countTilingRecords(buf, off, len, false) > 0 ? PROBE_YES : PROBE_MAYBE;
  if (len <= TLS_RECORD_HEADER) return PROBE_MAYBE;
  const t = buf[off + TLS_RECORD_HEADER];
  return t === HS_CLIENT_HELLO || t === HS_SERVER_HELLO ? PROBE_YES : PROBE_MAYBE;
}
