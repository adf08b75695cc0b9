// The analyzer seam (see HOUSE-STYLE "New analyzer"): a protocol is a folder with a pure
// parser, a cheap probe, per-flow state and typed events. Analyzers see reassembled TCP
// streams or UDP datagrams and emit facts; they never log, score or store.
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';

/** A fact an analyzer observed. `type` is `<protocol>.<event>`, e.g. `dhcp.message`. */
export interface AppEvent {
  type: string;
  [field: string]: unknown;
}

export interface AnalyzerContext {
  readonly conn: Conn;
  /** The packet being delivered (its number, timestamp, addresses, TTL …). */
  readonly packet: PacketMeta;
  emit(ev: AppEvent): void;
  weird(name: string): void;
  /** Names the connection's service in conn.log (once the protocol is confirmed). */
  confirm(service: string): void;
  /**
   * The analyzer found that the flow is not its protocol after all (a fallback analyzer whose
   * first look was a coincidence): it gets no more data, and a UDP flow with no other analyzer
   * is probed again from its next datagram.
   */
  release(): void;
  /**
   * The bytes just delivered are not the analyzer's protocol after all (a protocol violation,
   * as Zeek's dynamic protocol detection calls it). When they are the responder's first bytes,
   * within the connection's first VIOLATION_HORIZON bytes, the responder never spoke the
   * protocol (a server answering a scanner's probe in its own): the analyzer is removed and the
   * services it confirmed are withdrawn from conn.log, as Zeek's DPD does (its
   * ignore_violations_after is the same 10,240 bytes). Otherwise it is the weird the analyzer
   * raised and nothing more.
   */
  violation?(): void;
  /**
   * An analyzer for a protocol carried inside this one (the plaintext of a NULL-cipher TLS
   * session), chosen by the host's probes on its first bytes as for a new flow; null when no
   * probe recognises them (or the host runs no analyzers). The caller feeds it with this context.
   */
  inner?(buf: Uint8Array, off: number, len: number, isOrig: boolean): FlowAnalyzer | null;
}

export interface FlowAnalyzer {
  /** TCP: the next in-order stream bytes; UDP: one whole datagram. */
  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void;
  /** TCP only: `len` bytes were lost; the parser should resynchronise. */
  gap?(ctx: AnalyzerContext, isOrig: boolean, len: number): void;
  /** The connection ended. */
  end?(ctx: AnalyzerContext): void;
}

/** Probe verdicts. */
export const PROBE_NO = 0;
export const PROBE_MAYBE = 1;
export const PROBE_YES = 2;
/**
 * Structure a coincidence cannot produce (a registered UID, a full handshake): wins over YES,
 * since short binary headers of different protocols can look alike (a DICOM PDU header is also
 * a valid Modbus MBAP header).
 */
export const PROBE_CERTAIN = 3;

export interface AnalyzerSpec {
  /** Service name as conn.log shows it (Zeek's name where Zeek has one). */
  name: string;
  tcp: boolean;
  udp: boolean;
  /** Well-known ports: on these the analyzer is tried first. */
  ports: readonly number[];
  /** Cheap look at the first payload of a direction: could this be our protocol? */
  probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port: number): number;
  /**
   * The first bytes probe() can answer anything but PROBE_NO for (either direction, any
   * transport and port): off its ports, the host tries the probe only on payloads starting
   * with one of them (nDPI's per-protocol gate). Absent: any first byte. host.test.ts fuzzes
   * every declaration against its probe.
   */
  firstBytes?: readonly number[];
  create(): FlowAnalyzer;
  /**
   * Tried only when no other analyzer wants the flow's payload (nDPI tries RTP's heuristics
   * after the protocols with signatures): a weak header check must not take flows from them.
   */
  fallback?: boolean;
  /**
   * A PROBE_MAYBE from each direction of one flow counts as recognition off the analyzer's ports:
   * for protocols whose sessions are long-lived and so often caught mid-way (an MQTT client's
   * PINGREQ answered by the broker's PINGRESP). One side's short look can be a coincidence;
   * both sides', each in its own role, rarely are (nDPI waits for the reply the same way).
   */
  pairedMaybe?: boolean;
  /**
   * Starts the analyzer on a connection another flow announced (a TFTP transfer flow, which
   * the request predicts), with what that flow knew; see AnalyzerHost.expect.
   */
  createExpected?(init: unknown): FlowAnalyzer;
}

/** Context for link-layer analyzers (ARP, LLDP, CDP): frames, not connections. */
export interface FrameContext {
  readonly packet: PacketMeta;
  emit(ev: AppEvent): void;
  weird(name: string): void;
  /**
   * True the first time `key` is offered in this analysis: lets an analyzer of frames that
   * repeat unchanged (802.11 beacons, ten a second per access point) report each state once.
   * Bounded: when the table is full it starts over, so a state may be reported again.
   */
  once(key: string): boolean;
  /**
   * Per-analysis state of a frame analyzer under `key`, made by `make` on first use: for what
   * one frame cannot say alone (an EAP-TLS handshake spread over a dozen frames). The analyzer
   * bounds what it keeps there.
   */
  state<T>(key: string, make: () => T): T;
}

/** An analyzer of non-IP frames, chosen by ethertype (or SNAP protocol id for CDP). */
export interface FrameAnalyzerSpec {
  name: string;
  ethTypes: readonly number[];
  /** `off`/`len`: the frame payload after the Ethernet/VLAN/LLC headers. */
  frame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void;
}

/**
 * An analyzer of single IP packets: ICMP or ICMPv6 messages chosen by type (Neighbor Discovery,
 * redirects, router discovery), or the payload of an IP protocol no connection is tracked for
 * (VRRP, protocol 112). One packet at a time, no connection state, its events like a frame
 * analyzer's (no connection).
 */
export interface PacketAnalyzerSpec {
  name: string;
  /** ICMP (IPv4) types it parses. */
  icmpTypes: readonly number[];
  /** ICMPv6 types it parses. */
  icmp6Types: readonly number[];
  /** Other IP protocol numbers whose payload it parses. */
  ipProtocols?: readonly number[];
  /** `off`/`len`: the ICMP or ICMPv6 message from its type octet, or the protocol's payload, as far as it was captured. */
  packet(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void;
}

/** The character codes of `chars`, for firstBytes. */
export function bytesOf(chars: string): number[] {
  return Array.from(chars, (c) => c.charCodeAt(0));
}
