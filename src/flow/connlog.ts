// Builds conn.log records with Zeek's fields and semantics (base/protocols/conn/main.zeek):
// duration and byte counts only when the connection lasted, conn_state from the endpoint
// states, history only when non-empty.
import { Conn, PROTO_ICMP, PROTO_ICMP6, PROTO_TCP, PROTO_UDP } from './conn.js';
import { HIST_MAX } from './store.js';
import { Ep } from './tcp.js';
import { UID_LENGTH, connUid, uidCodes } from './uid.js';
import { formatAddr, formatMac } from '../decode/packet.js';
import { formatInterval, formatTime, putTime, putUint, type LogWriter } from '../report/logwriter.js';

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

/** Serialises one conn.log line (hand-built from the store's arrays: this runs once per connection). */
export function connRecord(c: Conn): string {
  const st = c.store;
  const i = c.idx;
  const a = i * 8;
  const e = i * 2;
  const proto = st.proto[i];
  const ad = st.addr;
  const dur = (st.lastSec[i] - st.startSec[i]) * 1e6 + Math.floor(st.lastNsec[i] / 1000) - Math.floor(st.startNsec[i] / 1000);
  let s = `{"ts":${formatTime(st.startSec[i], st.startNsec[i])},"uid":"${connUid(c)}","id.orig_h":"${formatAddr(ad[a], ad[a + 1], ad[a + 2], ad[a + 3])}","id.orig_p":${st.oPort[i]},"id.resp_h":"${formatAddr(ad[a + 4], ad[a + 5], ad[a + 6], ad[a + 7])}","id.resp_p":${st.rPort[i]},"proto":"${protoName(proto)}"`;
  if (c.service !== '') s += `,"service":"${c.service}"`;
  if (dur > 0) s += `,"duration":${formatInterval(dur)},"orig_bytes":${c.bytes(0)},"resp_bytes":${c.bytes(1)}`;
  s += `,"conn_state":"${connState(c)}","local_orig":false,"local_resp":false`;
  s += `,"missed_bytes":${proto === PROTO_TCP ? st.missed[e] + st.missed[e + 1] : 0}`;
  const hl = st.histLen[i];
  if (hl > 0) s += `,"history":"${historyString(st.hist, i * HIST_MAX, hl)}"`;
  s += `,"orig_pkts":${st.pkts[e]},"orig_ip_bytes":${st.ipBytes[e]},"resp_pkts":${st.pkts[e + 1]},"resp_ip_bytes":${st.ipBytes[e + 1]},"ip_proto":${proto}`;
  if (st.mac[e] !== 0) s += `,"orig_l2_addr":"${formatMac(st.mac[e])}"`;
  if (st.mac[e + 1] !== 0) s += `,"resp_l2_addr":"${formatMac(st.mac[e + 1])}"`;
  if (st.vlan[i] >= 0) s += `,"vlan":${st.vlan[i]}`;
  if (st.vlanInner[i] >= 0) s += `,"inner_vlan":${st.vlanInner[i]}`;
  return s + '}';
}

/** Histories repeat ("ShAdDaFf"): strings are interned by content, bounded. */
const histCache = new Map<number, string>();
const HIST_CACHE_MAX = 4096;

export function historyString(b: Uint8Array, off: number, len: number): string {
  let h = len;
  for (let k = 0; k < len; k++) h = Math.imul(h ^ b[off + k], 0x01000193);
  const key = (h >>> 0) * 64 + len;
  const hit = histCache.get(key);
  if (hit !== undefined && hit.length === len) {
    let same = true;
    for (let k = 0; k < len && same; k++) same = hit.charCodeAt(k) === b[off + k];
    if (same) return hit;
  }
  const str = String.fromCharCode.apply(null, b.subarray(off, off + len) as unknown as number[]);
  if (histCache.size >= HIST_CACHE_MAX) histCache.clear();
  histCache.set(key, str);
  return str;
}

const enc = (t: string): Uint8Array => Uint8Array.from(t, (ch) => ch.charCodeAt(0));
const K_TS = enc('{"ts":');
const K_UID = enc(',"uid":"');
const K_OH = enc('","id.orig_h":"');
const K_OP = enc('","id.orig_p":');
const K_RH = enc(',"id.resp_h":"');
const K_RP = enc('","id.resp_p":');
const K_PROTO = enc(',"proto":"');
const K_SERVICE = enc('","service":"');
const K_DUR = enc('","duration":');
const K_OB = enc(',"orig_bytes":');
const K_RB = enc(',"resp_bytes":');
const K_STATE = enc(',"conn_state":"');
const K_STATE_NODUR = enc('","conn_state":"');
const K_LOCAL = enc('","local_orig":false,"local_resp":false,"missed_bytes":');
const K_HIST = enc(',"history":"');
const K_OPKTS_Q = enc('","orig_pkts":');
const K_OPKTS = enc(',"orig_pkts":');
const K_OIPB = enc(',"orig_ip_bytes":');
const K_RPKTS = enc(',"resp_pkts":');
const K_RIPB = enc(',"resp_ip_bytes":');
const K_IPPROTO = enc(',"ip_proto":');
const K_OMAC = enc(',"orig_l2_addr":"');
const K_RMAC = enc(',"resp_l2_addr":"');
const K_VLAN = enc(',"vlan":');
const K_IVLAN = enc(',"inner_vlan":');
/** Longest conn.log line: fixed text, two IPv6 addresses, two MACs, a full history, numbers. */
const MAX_CONN_LINE = 1024;

/** Writes one conn.log line straight into the writer's buffer; same bytes as connRecord(). */
export function writeConnRecord(w: LogWriter, c: Conn): void {
  if (!w.begin(MAX_CONN_LINE + c.service.length)) return;
  // Local buffer and position, small pure helpers the compiler inlines: a call into the writer
  // for each of a line's forty pieces cost as much as the pieces.
  const buf = w.rawBuf;
  let p = w.rawPos;
  const st = c.store;
  const i = c.idx;
  const a = i * 8;
  const e = i * 2;
  const proto = st.proto[i];
  const ad = st.addr;
  const startUs = Math.floor(st.startNsec[i] / 1000);
  const dur = (st.lastSec[i] - st.startSec[i]) * 1e6 + Math.floor(st.lastNsec[i] / 1000) - startUs;
  p = put(buf, p, K_TS);
  p = putTime(buf, p, st.startSec[i], startUs);
  p = put(buf, p, K_UID);
  if (c.uid !== '') p = putAscii(buf, p, c.uid);
  else {
    const codes = uidCodes(c);
    for (let k = 0; k < UID_LENGTH; k++) buf[p++] = codes[k];
  }
  p = put(buf, p, K_OH);
  p = ad[a] === 0 && ad[a + 1] === 0 && ad[a + 2] === 0xffff ? putV4(buf, p, ad[a + 3]) : putAscii(buf, p, formatAddr(ad[a], ad[a + 1], ad[a + 2], ad[a + 3]));
  p = put(buf, p, K_OP);
  p = putUint(buf, p, st.oPort[i]);
  p = put(buf, p, K_RH);
  p = ad[a + 4] === 0 && ad[a + 5] === 0 && ad[a + 6] === 0xffff ? putV4(buf, p, ad[a + 7]) : putAscii(buf, p, formatAddr(ad[a + 4], ad[a + 5], ad[a + 6], ad[a + 7]));
  p = put(buf, p, K_RP);
  p = putUint(buf, p, st.rPort[i]);
  p = put(buf, p, K_PROTO);
  p = put(buf, p, proto === PROTO_TCP ? B_TCP : proto === PROTO_UDP ? B_UDP : proto === PROTO_ICMP || proto === PROTO_ICMP6 ? B_ICMP : B_UNKNOWN);
  if (c.service !== '') {
    p = put(buf, p, K_SERVICE);
    p = putAscii(buf, p, c.service);
  }
  if (dur > 0) {
    p = put(buf, p, K_DUR);
    const s = Math.floor(dur / 1e6);
    p = putTime(buf, p, s, dur - s * 1e6);
    p = put(buf, p, K_OB);
    p = putUint(buf, p, c.bytes(0));
    p = put(buf, p, K_RB);
    p = putUint(buf, p, c.bytes(1));
    p = put(buf, p, K_STATE);
  } else p = put(buf, p, K_STATE_NODUR);
  p = putAscii(buf, p, connState(c));
  p = put(buf, p, K_LOCAL);
  p = putUint(buf, p, proto === PROTO_TCP ? st.missed[e] + st.missed[e + 1] : 0);
  const hl = st.histLen[i];
  if (hl > 0) {
    p = put(buf, p, K_HIST);
    // The history letters are ASCII already: copied as they are stored.
    const h = st.hist;
    const base = i * HIST_MAX;
    for (let k = 0; k < hl; k++) buf[p++] = h[base + k];
    p = put(buf, p, K_OPKTS_Q);
  } else p = put(buf, p, K_OPKTS);
  p = putUint(buf, p, st.pkts[e]);
  p = put(buf, p, K_OIPB);
  p = putUint(buf, p, st.ipBytes[e]);
  p = put(buf, p, K_RPKTS);
  p = putUint(buf, p, st.pkts[e + 1]);
  p = put(buf, p, K_RIPB);
  p = putUint(buf, p, st.ipBytes[e + 1]);
  p = put(buf, p, K_IPPROTO);
  p = putUint(buf, p, proto);
  if (st.mac[e] !== 0) {
    p = put(buf, p, K_OMAC);
    p = putAscii(buf, p, formatMac(st.mac[e]));
    buf[p++] = 0x22; // '"'
  }
  if (st.mac[e + 1] !== 0) {
    p = put(buf, p, K_RMAC);
    p = putAscii(buf, p, formatMac(st.mac[e + 1]));
    buf[p++] = 0x22;
  }
  if (st.vlan[i] >= 0) {
    p = put(buf, p, K_VLAN);
    p = putUint(buf, p, st.vlan[i]);
  }
  if (st.vlanInner[i] >= 0) {
    p = put(buf, p, K_IVLAN);
    p = putUint(buf, p, st.vlanInner[i]);
  }
  buf[p++] = 0x7d; // '}'
  buf[p++] = 0x0a;
  w.rawPos = p;
}

const B_TCP = enc('tcp');
const B_UDP = enc('udp');
const B_ICMP = enc('icmp');
const B_UNKNOWN = enc('unknown_transport');

function put(buf: Uint8Array, p: number, b: Uint8Array): number {
  const n = b.length;
  // Long keys by one memory copy, short ones by a loop (entering set() costs ~30 bytes' worth).
  if (n > 32) buf.set(b, p);
  else for (let k = 0; k < n; k++) buf[p + k] = b[k];
  return p + n;
}

function putAscii(buf: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let k = 0; k < n; k++) buf[p + k] = s.charCodeAt(k);
  return p + n;
}

/**
 * A dotted quad written digit by digit. formatV4's cached text would serve (as formatMac's does for
 * the MACs), but with tens of thousands of addresses its cache misses: 4 % of the core run.
 */
function putV4(buf: Uint8Array, p: number, v: number): number {
  p = putUint(buf, p, v >>> 24);
  buf[p++] = 46;
  p = putUint(buf, p, (v >>> 16) & 255);
  buf[p++] = 46;
  p = putUint(buf, p, (v >>> 8) & 255);
  buf[p++] = 46;
  return putUint(buf, p, v & 255);
}

