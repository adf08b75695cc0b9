// RTP and RTCP packet headers (RFC 3550 §5.1, §6.4–6.6) and the static payload types of the
// audio/video profile (RFC 3551 §6). Pure: bytes → fields, no state. RTCP shares RTP's flows when
// multiplexed (RFC 5761 §4: RTCP packet types 200–204 fall where RTP payload types 72–76 would
// be, which no profile assigns), so the packet type byte tells them apart.

export const RTP_VERSION = 2;
export const RTP_HEADER_LEN = 12;
/** RTCP packet types (RFC 3550 §12.1): sender report … application-defined. */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
/** RFC 4585/5104 feedback, RFC 3611 extended reports: valid in a compound after SR/RR. */
const RTCP_TYPE_MIN = 192;
const RTCP_TYPE_MAX = 223;
/** RTP payload types RFC 5761 §4 sets aside so that RTCP can share the port. */
const PT_RTCP_CONFLICT_MIN = 72;
const PT_RTCP_CONFLICT_MAX = 76;
/** SDES items (RFC 3550 §6.5): CNAME identifies the sender's endpoint, TOOL its application. */
const SDES_END = 0;
const SDES_CNAME = 1;
const SDES_TOOL = 6;
/** SRTCP's E flag and index, an optional MKI and the authentication tag (RFC 3711 §3.4). */
const SRTCP_MAX_TRAILER = 4 + 4 + 16;
/** Packets of one compound RTCP datagram walked (a compound holds a handful). */
const MAX_RTCP_PACKETS = 16;

/** The fixed RTP header of one packet, or null when the bytes are not one. Reused by the caller. */
export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  /** Bytes of media after the header, CSRCs, extension and padding. */
  payloadLen: number;
}

/**
 * Reads an RTP header into `out`: version 2, not an RTCP packet type, the CSRC list, the header
 * extension and the padding inside the datagram. False when the bytes cannot be RTP.
 */
export function readRtp(buf: Uint8Array, off: number, len: number, out: RtpHeader): boolean {
  if (len < RTP_HEADER_LEN) return false;
  const b0 = buf[off];
  if (b0 >> 6 !== RTP_VERSION) return false;
  const pt = buf[off + 1] & 0x7f;
  if (pt >= PT_RTCP_CONFLICT_MIN && pt <= PT_RTCP_CONFLICT_MAX) return false;
  let hdr = RTP_HEADER_LEN + (b0 & 0x0f) * 4;
  if (hdr > len) return false;
  if ((b0 & 0x10) !== 0) {
    if (hdr + 4 > len) return false;
    hdr += 4 + ((buf[off + hdr + 2] << 8) | buf[off + hdr + 3]) * 4;
    if (hdr > len) return false;
  }
  let pad = 0;
  if ((b0 & 0x20) !== 0) {
    pad = buf[off + len - 1];
    if (pad === 0 || hdr + pad > len) return false;
  }
  out.payloadType = pt;
  out.marker = (buf[off + 1] & 0x80) !== 0;
  out.seq = (buf[off + 2] << 8) | buf[off + 3];
  out.timestamp = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  out.ssrc = ((buf[off + 8] << 24) | (buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11]) >>> 0;
  out.payloadLen = len - hdr - pad;
  return true;
}

/** True when the datagram starts like an RTCP packet (version 2, packet type 192–223). */
export function looksRtcp(buf: Uint8Array, off: number, len: number): boolean {
  if (len < 8 || buf[off] >> 6 !== RTP_VERSION) return false;
  const pt = buf[off + 1];
  return pt >= RTCP_TYPE_MIN && pt <= RTCP_TYPE_MAX;
}

/** What one compound RTCP datagram carried. */
export interface RtcpCompound {
  /** The packet types, in order. */
  types: number[];
  /** SSRC of the first packet's sender. */
  ssrc: number;
  cname?: string;
  tool?: string;
}

/**
 * Walks a compound RTCP datagram (RFC 3550 §6.1): each packet version 2 with an RTCP type, its
 * length in 32-bit words minus one, the packets filling the datagram exactly, the first an SR or
 * RR (or, in reduced-size RTCP of RFC 5506, any RTCP type). SRTCP appends an index and tag after
 * the last packet (RFC 3711 §3.4), so `trailer` bytes may follow when the caller allows them.
 * Null when the bytes are not RTCP.
 */
export function parseRtcp(buf: Uint8Array, off: number, len: number, allowTrailer = false): RtcpCompound | null {
  if (len < 8) return null;
  const end = off + len;
  let p = off;
  const types: number[] = [];
  let cname: string | undefined;
  let tool: string | undefined;
  while (p + 4 <= end && types.length < MAX_RTCP_PACKETS) {
    if (buf[p] >> 6 !== RTP_VERSION) break;
    const pt = buf[p + 1];
    if (pt < RTCP_TYPE_MIN || pt > RTCP_TYPE_MAX) break;
    const plen = (((buf[p + 2] << 8) | buf[p + 3]) + 1) * 4;
    if (p + plen > end) return null;
    if (pt === RTCP_SDES && (cname === undefined || tool === undefined)) {
      const items = sdesItems(buf, p, plen, buf[p] & 0x1f);
      cname ??= items.cname;
      tool ??= items.tool;
    }
    types.push(pt);
    p += plen;
  }
  if (types.length === 0) return null;
  if (p !== end && !(allowTrailer && end - p <= SRTCP_MAX_TRAILER)) return null;
  const ssrc = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  const r: RtcpCompound = { types, ssrc };
  if (cname !== undefined) r.cname = cname;
  if (tool !== undefined) r.tool = tool;
  return r;
}

/** CNAME and TOOL of an SDES packet's first chunk (RFC 3550 §6.5). */
function sdesItems(buf: Uint8Array, p: number, plen: number, count: number): { cname?: string; tool?: string } {
  const out: { cname?: string; tool?: string } = {};
  if (count === 0) return out;
  let q = p + 8;
  const end = p + plen;
  while (q + 2 <= end) {
    const type = buf[q];
    if (type === SDES_END) break;
    const n = buf[q + 1];
    if (q + 2 + n > end) break;
    if (type === SDES_CNAME || type === SDES_TOOL) {
      const s = printable(buf, q + 2, n);
      if (s !== '') {
        if (type === SDES_CNAME) out.cname = s;
        else out.tool = s;
      }
    }
    q += 2 + n;
  }
  return out;
}

/** Printable ASCII of an SDES item, or '' when it is not text. */
function printable(buf: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[off + i];
    if (c < 0x20 || c > 0x7e) return '';
    s += String.fromCharCode(c);
  }
  return s;
}

/** A payload type's encoding and media (RFC 3551 §6, Tables 4 and 5); dynamic types (96–127) are named by SDP. */
export const STATIC_PAYLOAD_TYPES: Readonly<Record<number, readonly [string, 'audio' | 'video' | 'audio/video']>> = {
  0: ['PCMU', 'audio'],
  3: ['GSM', 'audio'],
  4: ['G723', 'audio'],
  5: ['DVI4', 'audio'],
  6: ['DVI4', 'audio'],
  7: ['LPC', 'audio'],
  8: ['PCMA', 'audio'],
  9: ['G722', 'audio'],
  10: ['L16', 'audio'],
  11: ['L16', 'audio'],
  12: ['QCELP', 'audio'],
  13: ['CN', 'audio'],
  14: ['MPA', 'audio'],
  15: ['G728', 'audio'],
  16: ['DVI4', 'audio'],
  17: ['DVI4', 'audio'],
  18: ['G729', 'audio'],
  25: ['CelB', 'video'],
  26: ['JPEG', 'video'],
  28: ['nv', 'video'],
  31: ['H261', 'video'],
  32: ['MPV', 'video'],
  33: ['MP2T', 'audio/video'],
  34: ['H263', 'video'],
};

/** Payload types a sender may use: the static ones above and the dynamic range. */
export function knownPayloadType(pt: number): boolean {
  return STATIC_PAYLOAD_TYPES[pt] !== undefined || (pt >= 96 && pt <= 127);
}
