// Builds conn.log records with Zeek's fields and semantics (base/protocols/conn/main.zeek):
// duration and byte counts only when the connection lasted, conn_state from the endpoint
// states, history only when non-empty.
import { Conn, PROTO_ICMP, PROTO_ICMP6, PROTO_TCP, PROTO_UDP } from './conn.js';
import { Ep } from './tcp.js';
import { connUid } from './uid.js';
import { formatAddr, formatMac } from '../decode/packet.js';
import { formatInterval, formatTime } from '../report/logwriter.js';

export function protoName(p: number): string {
  return p === PROTO_TCP ? 'tcp' : p === PROTO_UDP ? 'udp' : p === PROTO_ICMP || p === PROTO_ICMP6 ? 'icmp' : 'unknown_transport';
}

export function connState(c: Conn): string {
  if (c.proto === PROTO_TCP) {
    const os = c.tcpState(0);
    const rs = c.tcpState(1);
    const oInactive = os === Ep.INACTIVE || os === Ep.PARTIAL;
    const rInactive = rs === Ep.INACTIVE || rs === Ep.PARTIAL;
    if (rs === Ep.RESET) {
      if (os === Ep.SYN_SENT || os === Ep.SYN_ACK_SENT || (os === Ep.RESET && c.bytes(0) === 0 && c.bytes(1) === 0)) return 'REJ';
      if (oInactive) return 'RSTRH';
      return 'RSTR';
    }
    if (os === Ep.RESET) {
      if (rInactive) {
        if (/^\^?S[^HAFGIQ]*R.*$/.test(c.history)) return 'RSTOS0';
        return 'OTH';
      }
      return 'RSTO';
    }
    if (rs === Ep.CLOSED && os === Ep.CLOSED) return 'SF';
    if (os === Ep.CLOSED) return rInactive ? 'SH' : 'S2';
    if (rs === Ep.CLOSED) return oInactive ? 'SHR' : 'S3';
    if (os === Ep.SYN_SENT && rs === Ep.INACTIVE) return 'S0';
    if (os === Ep.ESTABLISHED && rs === Ep.ESTABLISHED) return 'S1';
    return 'OTH';
  }
  if (c.proto === PROTO_UDP) {
    if (c.origPkts > 0) return c.respPkts > 0 ? 'SF' : 'S0';
    return c.respPkts > 0 ? 'SHR' : 'OTH';
  }
  return 'OTH';
}

export function durationUs(c: Conn): number {
  return (c.lastSec - c.startSec) * 1e6 + Math.floor(c.lastNsec / 1000) - Math.floor(c.startNsec / 1000);
}

export function origBytes(c: Conn): number {
  return c.bytes(0);
}

export function respBytes(c: Conn): number {
  return c.bytes(1);
}

export function origAddr(c: Conn): string {
  return formatAddr(c.o0, c.o1, c.o2, c.o3);
}

export function respAddr(c: Conn): string {
  return formatAddr(c.r0, c.r1, c.r2, c.r3);
}

/** Serialises one conn.log line (hand-built: this runs once per connection, millions of times). */
export function connRecord(c: Conn): string {
  const dur = durationUs(c);
  let s = `{"ts":${formatTime(c.startSec, c.startNsec)},"uid":"${connUid(c)}","id.orig_h":"${origAddr(c)}","id.orig_p":${c.oPort},"id.resp_h":"${respAddr(c)}","id.resp_p":${c.rPort},"proto":"${protoName(c.proto)}"`;
  if (c.service !== '') s += `,"service":"${c.service}"`;
  if (dur > 0) s += `,"duration":${formatInterval(dur)},"orig_bytes":${origBytes(c)},"resp_bytes":${respBytes(c)}`;
  s += `,"conn_state":"${connState(c)}","local_orig":false,"local_resp":false`;
  s += `,"missed_bytes":${c.missedBytes}`;
  const hist = c.history;
  if (hist !== '') s += `,"history":"${hist}"`;
  s += `,"orig_pkts":${c.origPkts},"orig_ip_bytes":${c.origIpBytes},"resp_pkts":${c.respPkts},"resp_ip_bytes":${c.respIpBytes},"ip_proto":${c.proto}`;
  if (c.origMac !== 0) s += `,"orig_l2_addr":"${formatMac(c.origMac)}"`;
  if (c.respMac !== 0) s += `,"resp_l2_addr":"${formatMac(c.respMac)}"`;
  if (c.vlan >= 0) s += `,"vlan":${c.vlan}`;
  if (c.vlanInner >= 0) s += `,"inner_vlan":${c.vlanInner}`;
  return s + '}';
}
