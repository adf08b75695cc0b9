// What the detectors see of a finished connection: its strings made once (per connection, never
// per packet), and evidence built from it or from an analyzer event.
import type { Conn } from '../flow/conn.js';
import { PROTO_TCP } from '../flow/conn.js';
import { HIST_MAX } from '../flow/store.js';
import { connState, origAddr, protoName, respAddr } from '../flow/connlog.js';
import { formatMac, type PacketMeta } from '../decode/packet.js';
import type { Category, Evidence } from '../report/model.js';
import type { AppEvent } from '../analyzers/types.js';
import type { MonitorConfig } from './config.js';
import type { AlertBook } from './alerts.js';
import { usec } from './alerts.js';
import type { NetSet } from './net.js';

export interface ConnView {
  orig: string;
  resp: string;
  /** The addresses as 32-bit numbers when they are IPv4, else -1 (compact keys for baselines). */
  origV4: number;
  respV4: number;
  oPort: number;
  rPort: number;
  proto: string;
  tcp: boolean;
  service: string;
  state: string;
  /** The responder answered: a SYN-ACK or data from it (Zeek history h or d), or any UDP reply. */
  answered: boolean;
  /** The originator sent a SYN, and no data went either way (Zeek history S without D/d). */
  synNoData: boolean;
  /** The originator sent a SYN (Zeek history S). */
  origSyn: boolean;
  /** The responder sent a RST (Zeek history r). */
  respRst: boolean;
  /** A bare TCP attempt nothing answered (Conn.bareAttempt). */
  bareAttempt: boolean;
  /** TCP opened by a segment without SYN, ACK or RST: a FIN, NULL or Xmas probe (Conn.stealth). */
  stealth: boolean;
  /**
   * TCP where the originator sent only bare ACK or FIN+ACK segments, no SYN and no data, and the
   * responder nothing or resets only (Zeek history of A, F and r alone): 1 ACK, 2 FIN+ACK, else 0.
   */
  loneAck: 0 | 1 | 2;
  origMac: string | null;
  respMac: string | null;
  /** The originator's MAC as a 48-bit number, 0 when the link has none. */
  origMacNum: number;
  vlan: number;
  origInternal: boolean;
  respInternal: boolean;
  start: number;
  end: number;
  origBytes: number;
  respBytes: number;
  origPkts: number;
  respPkts: number;
  file: string;
  packet: number;
}

const H_LOWER_H = 0x68;
const H_LOWER_D = 0x64;
const H_UPPER_D = 0x44;
const H_UPPER_S = 0x53;
const H_UPPER_A = 0x41;
const H_UPPER_F = 0x46;
const H_LOWER_R = 0x72;

export function connView(c: Conn, internal: NetSet, file: string): ConnView {
  // The history letters are read in place: building Zeek's history string per connection costs.
  const st = c.store;
  const n = st.histLen[c.idx];
  const base = c.idx * HIST_MAX;
  let respAnswer = false;
  let syn = false;
  let data = false;
  let rst = false;
  // Only A, F and r letters so far; which of A and F the originator sent.
  let onlyAck = n > 0;
  let ackLetter = false;
  let finLetter = false;
  for (let k = 0; k < n; k++) {
    const ch = st.hist[base + k];
    if (ch === H_LOWER_H || ch === H_LOWER_D) respAnswer = true;
    if (ch === H_UPPER_S) syn = true;
    if (ch === H_UPPER_D || ch === H_LOWER_D) data = true;
    if (ch === H_LOWER_R) rst = true;
    if (ch === H_UPPER_A) ackLetter = true;
    else if (ch === H_UPPER_F) finLetter = true;
    else if (ch !== H_LOWER_R) onlyAck = false;
  }
  const tcp = c.proto === PROTO_TCP;
  // A FIN without ACK is the stealth kind (Conn.stealth), not this one.
  const loneAck = !tcp || !onlyAck || c.stealth ? 0 : finLetter ? 2 : ackLetter ? 1 : 0;
  return {
    orig: origAddr(c),
    resp: respAddr(c),
    origV4: c.o0 === 0 && c.o1 === 0 && c.o2 === 0xffff ? c.o3 >>> 0 : -1,
    respV4: c.r0 === 0 && c.r1 === 0 && c.r2 === 0xffff ? c.r3 >>> 0 : -1,
    oPort: c.oPort,
    rPort: c.rPort,
    proto: protoName(c.proto),
    tcp,
    service: c.service,
    state: connState(c),
    answered: c.proto === PROTO_TCP ? respAnswer : c.respPkts > 0,
    synNoData: syn && !data,
    origSyn: syn,
    respRst: rst,
    bareAttempt: c.bareAttempt,
    stealth: tcp && c.stealth,
    loneAck,
    origMac: c.origMac === 0 ? null : formatMac(c.origMac),
    respMac: c.respMac === 0 ? null : formatMac(c.respMac),
    origMacNum: c.origMac,
    vlan: c.vlan,
    origInternal: internal.has(c.o0, c.o1, c.o2, c.o3),
    respInternal: internal.has(c.r0, c.r1, c.r2, c.r3),
    start: c.startSec + c.startNsec / 1e9,
    end: c.lastSec + c.lastNsec / 1e9,
    origBytes: c.origBytes,
    respBytes: c.respBytes,
    origPkts: c.origPkts,
    respPkts: c.respPkts,
    file,
    packet: c.firstPacket,
  };
}

/** Evidence that a connection happened, cited at its first packet. */
/**
 * The MAC a host named by an event sent from, when it is the connection's originator on this
 * link (a responder's frames come through whatever routed them): for the device id.
 */
export function origMacOf(c: Conn, ip: string): string | null {
  return c.origMac !== 0 && ip === origAddr(c) ? formatMac(c.origMac) : null;
}

export function connEvidence(v: ConnView, fact: string): Evidence {
  return {
    fact,
    value: `${v.orig}:${v.oPort} -> ${v.resp}:${v.rPort}/${v.proto} ${v.state}${v.service !== '' ? ' ' + v.service : ''}`,
    source: 'conn.conn_state',
    file: v.file,
    packet: v.packet,
    ts: usec(v.start),
  };
}

/**
 * Evidence from an analyzer event: its own packet number and time when it carries them. An event
 * emitted when its connection ends may be about an earlier packet, possibly of an earlier file:
 * it is dated no later than the connection's last packet (as the inventory does).
 */
export function eventEvidence(fact: string, value: string, source: string, ev: AppEvent, c: Conn | null, m: PacketMeta, file: string): Evidence {
  const packet = typeof ev.packet === 'number' && ev.packet > 0 ? ev.packet : m.packetNo;
  let ts: number;
  if (typeof ev.tsSec === 'number') ts = ev.tsSec + (typeof ev.tsNsec === 'number' ? ev.tsNsec / 1e9 : 0);
  else if (typeof ev.ts_sec === 'number') ts = ev.ts_sec + (typeof ev.ts_nsec === 'number' ? ev.ts_nsec / 1e9 : 0);
  else ts = c !== null && packet !== m.packetNo && c.lastTs < m.ts ? c.lastTs : m.ts;
  return { fact, value, source, file, packet, ts: usec(ts) };
}

/** The capture an event's packet is in: its connection's file when the event names its own packet. */
export function eventFile(ctx: { file(i: number): string }, ev: AppEvent, c: Conn | null, m: PacketMeta): string {
  return ctx.file(c !== null && typeof ev.packet === 'number' ? c.fileIndex : m.fileIndex);
}

/** What detectors share: configuration, the alert book, and the caller's device knowledge. */
export interface DetectorContext {
  cfg: MonitorConfig;
  book: AlertBook;
  internal: NetSet;
  /** Device id for an address (and its MAC when on the local segment). */
  deviceId(ip: string, mac: string | null): string;
  /** The device's category when the inventory knows it, else null. */
  category(ip: string, mac: string | null): Category | null;
  /** Whether a classifier was given at all (without one nothing waits for a category). */
  classified: boolean;
  /** Capture path for a file index. */
  file(fileIndex: number): string;
}
