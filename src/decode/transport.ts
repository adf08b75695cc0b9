// TCP (RFC 9293 §3.1, options per RFC 7323/2018), UDP (RFC 768), ICMP (RFC 792) and ICMPv6
// (RFC 4443) headers into the packet record. `end` is where the IP payload stops in the buffer
// (captured bytes), `stated` its length according to the IP header.
import type { Weirds } from './weird.js';
import { MAX_TCP_OPTS, type PacketMeta } from './packet.js';

export const L4_DROP = 0;
export const L4_OK = 1;

const TCP_MIN_HDR = 20;
const UDP_HDR = 8;
const ICMP_MIN_HDR = 4;
const TCPOPT_EOL = 0;
const TCPOPT_NOP = 1;
const TCPOPT_MSS = 2;
const TCPOPT_WSCALE = 3;
const TCPOPT_SACK_OK = 4;
const TCPOPT_TIMESTAMP = 8;

export function decodeTcp(m: PacketMeta, w: Weirds, off: number, end: number, stated: number): number {
  const b = m.buf;
  const v = m.view;
  if (end - off < TCP_MIN_HDR || stated < TCP_MIN_HDR) {
    w.add('tcp.truncated_header');
    return L4_DROP;
  }
  const hl = (b[off + 12] >> 4) * 4;
  if (hl < TCP_MIN_HDR) {
    w.add('tcp.bad_header_len');
    return L4_DROP;
  }
  if (hl > stated || off + hl > end) {
    w.add('tcp.truncated_options');
    return L4_DROP;
  }
  m.l4Off = off;
  m.srcPort = v.getUint16(off, false);
  m.dstPort = v.getUint16(off + 2, false);
  m.seq = v.getUint32(off + 4, false);
  m.ack = v.getUint32(off + 8, false);
  m.tcpFlags = b[off + 13];
  m.window = v.getUint16(off + 14, false);
  m.tcpHdrLen = hl;
  m.mss = -1;
  m.wscale = -1;
  m.sackOk = false;
  m.tsVal = -1;
  m.tsEcr = -1;
  m.optCount = 0;
  if (hl > TCP_MIN_HDR) parseTcpOptions(m, w, off + TCP_MIN_HDR, off + hl);
  m.payloadOff = off + hl;
  m.payloadLen = stated - hl;
  const cap = end - off - hl;
  m.capPayloadLen = cap < m.payloadLen ? cap : m.payloadLen;
  return L4_OK;
}

function parseTcpOptions(m: PacketMeta, w: Weirds, p: number, end: number): void {
  const b = m.buf;
  let n = 0;
  while (p < end) {
    const kind = b[p];
    if (n < MAX_TCP_OPTS) m.optKinds[n++] = kind;
    if (kind === TCPOPT_EOL) break;
    if (kind === TCPOPT_NOP) {
      p++;
      continue;
    }
    if (p + 1 >= end) {
      w.add('tcp.truncated_options');
      break;
    }
    const len = b[p + 1];
    if (len < 2 || p + len > end) {
      w.add('tcp.bad_option_len');
      break;
    }
    if (kind === TCPOPT_MSS && len === 4) m.mss = (b[p + 2] << 8) | b[p + 3];
    else if (kind === TCPOPT_WSCALE && len === 3) m.wscale = b[p + 2];
    else if (kind === TCPOPT_SACK_OK) m.sackOk = true;
    else if (kind === TCPOPT_TIMESTAMP && len === 10) {
      m.tsVal = m.view.getUint32(p + 2, false);
      m.tsEcr = m.view.getUint32(p + 6, false);
    }
    p += len;
  }
  m.optCount = n;
}

export function decodeUdp(m: PacketMeta, w: Weirds, off: number, end: number, stated: number): number {
  if (end - off < UDP_HDR || stated < UDP_HDR) {
    w.add('udp.truncated_header');
    return L4_DROP;
  }
  const v = m.view;
  m.l4Off = off;
  m.srcPort = v.getUint16(off, false);
  m.dstPort = v.getUint16(off + 2, false);
  let ulen = v.getUint16(off + 4, false);
  if (ulen < UDP_HDR || ulen > stated) {
    // Zero length happens with IPv6 jumbograms; otherwise trust the IP length, as Zeek does.
    if (ulen !== 0) w.add('udp.bad_length');
    ulen = stated;
  }
  m.payloadOff = off + UDP_HDR;
  m.payloadLen = ulen - UDP_HDR;
  const cap = end - off - UDP_HDR;
  m.capPayloadLen = cap < m.payloadLen ? cap : m.payloadLen;
  return L4_OK;
}

export function decodeIcmp(m: PacketMeta, w: Weirds, off: number, end: number, stated: number): number {
  if (end - off < ICMP_MIN_HDR || stated < ICMP_MIN_HDR) {
    w.add(m.proto === 58 ? 'icmp6.truncated_header' : 'icmp.truncated_header');
    return L4_DROP;
  }
  m.l4Off = off;
  m.icmpType = m.buf[off];
  m.icmpCode = m.buf[off + 1];
  // ICMP payload as Zeek counts it: everything after the 8-byte header.
  const hdr = stated >= 8 ? 8 : stated;
  m.payloadOff = off + hdr;
  m.payloadLen = stated - hdr;
  const cap = end - off - hdr;
  m.capPayloadLen = cap < 0 ? 0 : cap < m.payloadLen ? cap : m.payloadLen;
  return L4_OK;
}
