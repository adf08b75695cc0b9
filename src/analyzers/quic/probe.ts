// Cheap recognition of QUIC on any port from a direction's first datagram: a long header
// (RFC 8999 §5.1) of a QUIC version wardline knows (or a greased one forcing version
// negotiation) whose client Initial fills the 1200 bytes RFC 9000 §14.1 requires; or Google
// QUIC's public header with a 'Q0nn' version.
import { PROBE_CERTAIN, PROBE_NO, PROBE_YES } from '../types.js';
import { MIN_CLIENT_INITIAL_DATAGRAM, PT_INITIAL, anyVersionInfo, parseLongHeader, versionInfo } from './parse.js';

const PROTO_UDP = 17;
/** gQUIC public flags (Q024–Q043): version present, 8-byte connection id, long-header bit clear. */
const GQUIC_FLAG_VERSION = 0x01;
const GQUIC_FLAG_CID = 0x08;
const GQUIC_HEADER = 13;
/** RFC 9000 §7.2: a client's first Destination Connection ID is at least 8 bytes long. */
const MIN_CLIENT_DCID = 8;

function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** A Google QUIC version ('Q' + three digits, no TLS) of the datagram's header, or null. */
export function gquicVersion(b: Uint8Array, off: number, len: number): number | null {
  if (len < GQUIC_HEADER) return null;
  const f = b[off];
  // Q046 and later use the IETF long-header layout; before, a public header with the version after the CID.
  const at = (f & 0x80) !== 0 ? off + 1 : (f & (GQUIC_FLAG_VERSION | GQUIC_FLAG_CID)) === (GQUIC_FLAG_VERSION | GQUIC_FLAG_CID) && f < 0x40 ? off + 9 : -1;
  if (at < 0) return null;
  const v = be32(b, at);
  return versionInfo(v)?.gquic === true ? v : null;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  if (proto !== PROTO_UDP || len === 0) return PROBE_NO;
  if (gquicVersion(buf, off, len) !== null) return PROBE_YES;
  if ((buf[off] & 0x80) === 0 || len < 7) return PROBE_NO;
  // The version first: most datagrams with a high first bit are not QUIC at all.
  if (anyVersionInfo(be32(buf, off + 1)) === null) return PROBE_NO;
  const h = parseLongHeader(buf, off, off + len);
  if (h === null) return PROBE_NO;
  // A client opens with an Initial in a padded datagram; a server answer seen first (the
  // client's lost) is any long-header packet of a known version.
  if (isOrig && (h.type !== PT_INITIAL || len < MIN_CLIENT_INITIAL_DATAGRAM)) return PROBE_NO;
  // A client Initial naming a real QUIC version (a 32-bit value as telling as a magic number)
  // with a first Destination Connection ID of at least 8 bytes (RFC 9000 §7.2) and a Length
  // that fits the padded datagram is no coincidence: it outranks the probes of header-only
  // protocols (NTP's first byte, say) that a random QUIC byte can satisfy. The analyzer's
  // decryption is the proof; the probe stays cheap.
  if (isOrig && versionInfo(h.version) !== null && h.dcid.length >= MIN_CLIENT_DCID) return PROBE_CERTAIN;
  return PROBE_YES;
}
