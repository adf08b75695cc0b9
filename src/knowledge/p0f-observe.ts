// Builds p0f's view of a SYN or SYN+ACK from a decoded packet: option layout, quirks and the
// fields p0f's signatures compare (p0f README section 5, "TCP signatures"). TCP options are read
// again from the header bytes because p0f's quirks depend on details the decoder does not keep
// (padding after EOL, option length bytes, the peer timestamp). Quirk definitions:
//   IPv4 (RFC 791): df = DF set; id+ = DF set and IP ID non-zero; id- = DF clear and IP ID zero;
//     0+ = the reserved ("must be zero") flag bit set; ecn = ECT/CE bits in the TOS byte.
//   IPv6 (RFC 8200): flow = non-zero flow label; ecn = ECT/CE bits in the traffic class.
//   TCP (RFC 9293, RFC 3168, RFC 3540): ecn also for ECE, CWR or the NS bit; seq- = sequence number
//     zero; ack+ = acknowledgment number non-zero without ACK (as p0f computes it, see
//     P0F_ACK_BITS); ack- = zero with ACK; uptr+ = urgent pointer non-zero without URG; urgf+ = URG set; pushf+ = PSH set.
//   Options (RFC 7323, RFC 2018): ts1- = own timestamp zero; ts2+ = peer timestamp non-zero on a
//     SYN; opt+ = non-zero bytes after EOL; exws = window scale above 14; bad = an option with a
//     wrong length byte, one that runs past the header, or more than p0f's 24 options.
import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, type PacketMeta } from '../decode/packet.js';
import { MAX_TCP_OPT, TCPOPT_EOL, TCPOPT_MSS, TCPOPT_NOP, TCPOPT_SACK, TCPOPT_SOK, TCPOPT_TS, TCPOPT_WS } from './p0f.js';
import { formatLayout, type TcpObservation } from './p0f-tcp.js';

const IPV4_MIN_HDR = 20;
const IPV4_FLAGS_OFF = 6;
const IPV4_FLAG_MBZ = 0x8000;
const IPV4_FLAG_DF = 0x4000;
const ECN_MASK = 0x03;
const TCP_DOFF_OFF = 12;
const TCP_FLAGS_OFF = 13;
const TCP_URG_PTR_OFF = 18;
const TCP_MIN_HDR = 20;
const TCP_NS = 0x01;
const TCP_ECE = 0x40;
const TCP_CWR = 0x80;
/**
 * p0f 3.09b computes ack+ as `ack & !(flags & RST)`, a bitwise AND that only sees the lowest bit
 * of the acknowledgment number. Its signatures were recorded that way, so this quirk is too.
 */
const P0F_ACK_BITS = 0x1;
const MSS_LEN = 4;
const WS_LEN = 3;
const SOK_LEN = 2;
const TS_LEN = 10;
const SACK_MIN_LEN = 10;
const SACK_MAX_LEN = 34;
const OPT_MIN_LEN = 2;
const OPT_MAX_LEN = 40;
/** Window scale factors above this are not allowed by RFC 7323 §2.3. */
const MAX_WSCALE = 14;

/**
 * p0f's observation of a SYN or SYN+ACK, or null for any other packet (and for fragments, which
 * p0f does not fingerprint). `synMss` is the MSS of the SYN this SYN+ACK answers, when known.
 */
export function synObservation(m: PacketMeta, synMss?: number): TcpObservation | null {
  if (m.proto !== IPPROTO_TCP || (m.ipVersion !== 4 && m.ipVersion !== 6) || m.reassembled) return null;
  const f = m.tcpFlags;
  if ((f & TCP_SYN) === 0 || (f & (TCP_FIN | TCP_RST)) !== 0) return null;
  const b = m.buf;
  const v = m.view;
  const quirks = new Set<string>();
  let olen = 0;
  if (m.ipVersion === 4) {
    const flagsOff = v.getUint16(m.l3Off + IPV4_FLAGS_OFF, false);
    if (flagsOff & IPV4_FLAG_MBZ) quirks.add('0+');
    if (m.df) {
      quirks.add('df');
      if (m.ipId !== 0) quirks.add('id+');
    } else if (m.ipId === 0) {
      quirks.add('id-');
    }
    olen = m.ipHdrLen - IPV4_MIN_HDR;
  } else if (m.ipFlowLabel !== 0) {
    quirks.add('flow');
  }
  if (m.tos & ECN_MASK) quirks.add('ecn');
  const t = m.l4Off;
  if ((b[t + TCP_DOFF_OFF] & TCP_NS) !== 0 || (f & (TCP_ECE | TCP_CWR)) !== 0) quirks.add('ecn');
  if (m.seq === 0) quirks.add('seq-');
  if (f & TCP_ACK) {
    if (m.ack === 0) quirks.add('ack-');
  } else if ((m.ack & P0F_ACK_BITS) !== 0) {
    quirks.add('ack+');
  }
  if (f & TCP_URG) quirks.add('urgf+');
  else if (v.getUint16(t + TCP_URG_PTR_OFF, false) !== 0) quirks.add('uptr+');
  if (f & TCP_PSH) quirks.add('pushf+');

  const isSyn = (f & TCP_ACK) === 0;
  const opts = readOptions(b, v, t + TCP_MIN_HDR, t + m.tcpHdrLen, isSyn, quirks);
  const obs: TcpObservation = {
    ver: m.ipVersion as 4 | 6,
    ttl: m.ttl,
    olen,
    mss: opts.mss,
    win: m.window,
    wscale: opts.wscale,
    olayout: formatLayout(opts.layout, opts.eolPad),
    quirks,
    payloadClass: m.payloadLen > 0 ? 1 : 0,
    isResponse: !isSyn,
    totHdr: m.ipHdrLen + m.tcpHdrLen,
  };
  if (!isSyn && synMss !== undefined) obs.synMss = synMss;
  return obs;
}

interface Options {
  layout: number[];
  eolPad: number;
  mss: number;
  wscale: number;
}

/** Walks TCP options the way p0f does (fixed advance for known kinds), adding option quirks. */
function readOptions(b: Uint8Array, v: DataView, p: number, end: number, isSyn: boolean, quirks: Set<string>): Options {
  const o: Options = { layout: [], eolPad: 0, mss: 0, wscale: 0 };
  let aborted = false;
  while (p < end && o.layout.length < MAX_TCP_OPT) {
    const kind = b[p];
    o.layout.push(kind);
    if (kind === TCPOPT_EOL) {
      o.eolPad = end - (p + 1);
      // Like p0f: scan the padding up to the first non-zero byte; one that is the very last
      // byte of the header goes unnoticed there, so it does here too.
      let q = p + 1;
      while (q < end && b[q++] === 0);
      if (q !== end) quirks.add('opt+');
      p = end;
      break;
    }
    if (kind === TCPOPT_NOP) {
      p++;
      continue;
    }
    if (p + 1 >= end) {
      aborted = true;
      break;
    }
    const len = b[p + 1];
    if (kind === TCPOPT_MSS) {
      if (len !== MSS_LEN) quirks.add('bad');
      if (p + MSS_LEN > end) {
        aborted = true;
        break;
      }
      o.mss = v.getUint16(p + 2, false);
      p += MSS_LEN;
    } else if (kind === TCPOPT_WS) {
      if (len !== WS_LEN) quirks.add('bad');
      if (p + WS_LEN > end) {
        aborted = true;
        break;
      }
      o.wscale = b[p + 2];
      if (o.wscale > MAX_WSCALE) quirks.add('exws');
      p += WS_LEN;
    } else if (kind === TCPOPT_SOK) {
      if (len !== SOK_LEN) quirks.add('bad');
      p += SOK_LEN;
    } else if (kind === TCPOPT_SACK) {
      if (len < SACK_MIN_LEN || len > SACK_MAX_LEN || p + len > end) {
        aborted = true;
        break;
      }
      p += len;
    } else if (kind === TCPOPT_TS) {
      if (len !== TS_LEN) quirks.add('bad');
      if (p + TS_LEN > end) {
        aborted = true;
        break;
      }
      if (v.getUint32(p + 2, false) === 0) quirks.add('ts1-');
      if (isSyn && v.getUint32(p + 6, false) !== 0) quirks.add('ts2+');
      p += TS_LEN;
    } else {
      if (len < OPT_MIN_LEN || len > OPT_MAX_LEN || p + len > end) {
        aborted = true;
        break;
      }
      p += len;
    }
  }
  if (aborted || p !== end) quirks.add('bad');
  return o;
}
