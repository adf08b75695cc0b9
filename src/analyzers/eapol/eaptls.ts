// EAP-TLS, PEAP, EAP-TTLS, EAP-FAST and TEAP carry a TLS handshake in EAP fragments (RFC 5216
// §3.1: flags L — a 4-octet total length follows —, M — more fragments —, S — start). Until the
// ChangeCipherSpec, TLS 1.2 and earlier send the handshake in clear: the server's certificate
// (the RADIUS server's), and with EAP-TLS the device's own client certificate, whose subject
// usually names the device ("host/<machine>", a serial number). This reassembles each direction
// per supplicant and reads the negotiated version and cipher and each side's first certificate.
// Bounded: 1,024 handshakes at a time, 64 KiB each.
import { evictOldest } from '../../util/evict.js';
import { cipherName, versionName } from '../tls/names.js';
import { CT_CHANGE_CIPHER_SPEC, CT_HANDSHAKE, HS_CERTIFICATE, HS_SERVER_HELLO, handshakeHeader, parseCertificateList, parseRecordHeader, parseServerHello } from '../tls/parse.js';
import { parseCertificateCached, type X509Info } from '../tls/x509.js';

const MAX_HANDSHAKES = 1024;
const MAX_BYTES = 64 * 1024;
const FLAG_LENGTH = 0x80;
const FLAG_START = 0x20;

/** What a direction's handshake showed, once: the ServerHello's choice, and its first certificate. */
export interface EapTlsFacts {
  version?: string;
  cipher?: string;
  certificate?: X509Info;
}

class Direction {
  /** TLS record bytes not yet parsed, and handshake bytes not yet a whole message. */
  records: Uint8Array = new Uint8Array(0);
  handshake: Uint8Array = new Uint8Array(0);
  /** Past the ChangeCipherSpec (or too much): nothing more is read. */
  done = false;
  sawCertificate = false;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class EapTlsHandshakes {
  private readonly dirs = new Map<string, Direction>();

  /**
   * One EAP packet's TLS data: `buf[off]` is the method's flags octet, up to `end`. `key` names
   * the supplicant and direction. Returns what completed in it, or null.
   */
  data(key: string, buf: Uint8Array, off: number, end: number): EapTlsFacts | null {
    if (end - off < 1) return null;
    const flags = buf[off];
    let p = off + 1;
    if ((flags & FLAG_LENGTH) !== 0) p += 4;
    let d = this.dirs.get(key);
    if (d === undefined || (flags & FLAG_START) !== 0) {
      if (d === undefined && this.dirs.size >= MAX_HANDSHAKES) evictOldest(this.dirs);
      d = new Direction();
      this.dirs.set(key, d);
    }
    if (d.done || p >= end) return null;
    if (d.records.length + (end - p) > MAX_BYTES) {
      d.done = true;
      return null;
    }
    d.records = concat(d.records, buf.subarray(p, end));
    const out: EapTlsFacts = {};
    // Whole records (the TLS analyzer's record reader): handshake payloads go on to the message buffer.
    let r = 0;
    const rec = d.records;
    for (;;) {
      const hdr = parseRecordHeader(rec, r, rec.length - r, false);
      if (hdr === 'bad') {
        d.done = true;
        break;
      }
      if (hdr === 'need_more' || rec.length - r - hdr.headerLen < hdr.length) break;
      if (hdr.type === CT_CHANGE_CIPHER_SPEC) {
        d.done = true;
        break;
      }
      const body = r + hdr.headerLen;
      if (hdr.type === CT_HANDSHAKE) d.handshake = concat(d.handshake, rec.subarray(body, body + hdr.length));
      r = body + hdr.length;
    }
    d.records = d.done ? new Uint8Array(0) : rec.slice(r);
    // Whole handshake messages, read by the TLS analyzer's parsers.
    let h = 0;
    const hs = d.handshake;
    for (;;) {
      const m = handshakeHeader(hs, h, hs.length - h);
      if (m === null || hs.length - h - 4 < m.length) break;
      const body = h + 4;
      if (m.type === HS_SERVER_HELLO) {
        const sh = parseServerHello(hs, body, m.length);
        if (sh !== 'bad') {
          out.version = versionName(sh.selectedVersion ?? sh.version);
          out.cipher = cipherName(sh.cipher);
        }
      } else if (m.type === HS_CERTIFICATE && !d.sawCertificate) {
        // TLS 1.2 and earlier: the sender's own certificate comes first.
        const certs = parseCertificateList(hs, body, m.length, 1);
        const x = certs === 'bad' || certs.length === 0 ? null : parseCertificateCached(certs[0]);
        if (x !== null) {
          out.certificate = x;
          d.sawCertificate = true;
        }
      }
      h = body + m.length;
    }
    d.handshake = hs.slice(h);
    return out.version !== undefined || out.certificate !== undefined ? out : null;
  }
}
