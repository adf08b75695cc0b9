// Per-connection Bitcoin P2P state: each direction is a stream of messages; headers are read
// (a partial header or version message carried, bounded), other payloads skipped without being
// buffered (blocks run to megabytes). Version messages are parsed; every command is counted.
// One bitcoin.version per version message, one bitcoin.session when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { MessageReader, type MessageSink } from '../message-reader.js';
import { origHost, respHost } from '../connid.js';
import type { BitcoinSession, BitcoinVersionEvent } from './events.js';
import { HEADER, MAX_PAYLOAD, MAX_VERSION, OLD_HEADER, checksumMatches, commandAt, networkOf, parseVersion, serviceNames, u32 } from './parse.js';

/** Distinct commands kept for the log. */
const MAX_COMMANDS = 32;
/** SHA-256(SHA-256("")): an empty payload's checksum (a verack's). */
const EMPTY_SUM = [0x5d, 0xf6, 0xe0, 0xe2];

class Side extends MessageReader {
  /** Packet and time of the carry's first byte (a version message dates from where it began). */
  carryPacket = 0;
  carrySec = 0;
  carryNsec = 0;
}

export class BitcoinAnalyzer implements FlowAnalyzer, MessageSink {
  private readonly sides = [new Side(), new Side()];
  private confirmed = false;
  private readonly s: BitcoinSession = {
    type: 'bitcoin.session',
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    network: '',
    orig_version: null,
    orig_user_agent: null,
    orig_start_height: null,
    orig_services: null,
    resp_version: null,
    resp_user_agent: null,
    resp_start_height: null,
    resp_services: null,
    commands: [],
    messages: 0,
    blocks: 0,
    transactions: 0,
  };

  /** The delivery being read (MessageSink's calls come from within `data`). */
  private ctx: AnalyzerContext | null = null;
  private isOrig = true;
  private side = this.sides[0];

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    this.isOrig = isOrig;
    this.side = this.sides[isOrig ? 0 : 1];
    this.side.feed(buf, off, len, this);
  }

  readMessage(b: Uint8Array, o: number, end: number, fromCarry: boolean): number {
    return this.message(this.ctx!, this.isOrig, this.side, b, o, end, fromCarry);
  }

  carrying(): void {
    const p = this.ctx!.packet;
    this.side.carryPacket = p.packetNo;
    this.side.carrySec = p.tsSec;
    this.side.carryNsec = p.tsNsec;
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // Message boundaries are lost with the bytes: stop reading this direction.
    this.sides[isOrig ? 0 : 1].stop();
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    this.confirmed = false;
    ctx.emit(this.s);
  }

  /** Reads one message at `o`: bytes used (header; a skipped payload is left in side.skip), 0 for more data, -1 broken. */
  private message(ctx: AnalyzerContext, isOrig: boolean, side: Side, b: Uint8Array, o: number, end: number, fromCarry: boolean): number {
    const avail = end - o;
    if (avail < OLD_HEADER) return this.partialHeader(ctx, side, b, o, avail);
    const network = networkOf(b, o);
    const cmd = network === null ? null : commandAt(b, o);
    if (network === null || cmd === null) return this.bad(ctx, side, 'bitcoin.bad_header');
    const len = u32(b, o + 16);
    if (len > MAX_PAYLOAD) return this.bad(ctx, side, 'bitcoin.payload_too_large');
    let h = HEADER;
    if (cmd === 'verack' && len === 0) {
      // Early nodes sent verack without a checksum: the next four bytes are the next message's.
      const have = Math.min(avail - OLD_HEADER, 4);
      let match = true;
      for (let i = 0; i < have; i++) if (b[o + OLD_HEADER + i] !== EMPTY_SUM[i]) match = false;
      if (!match) h = OLD_HEADER;
      else if (have < 4) return 0;
    } else if (cmd === 'version') {
      if (len > MAX_VERSION) return this.bad(ctx, side, 'bitcoin.version_too_large');
      // The checksum tells the layouts apart: a checksummed message's payload hashes to it, an
      // early node's 20-byte header is followed by the payload itself.
      if (avail < HEADER + len) return 0;
      h = checksumMatches(b, o + OLD_HEADER, o + HEADER, len) ? HEADER : OLD_HEADER;
    } else if (avail < HEADER) return 0;
    if (!this.confirmed) this.confirm(ctx, network);
    const s = this.s;
    s.messages++;
    if (s.commands.length < MAX_COMMANDS && !s.commands.includes(cmd)) s.commands.push(cmd);
    if (cmd === 'block') s.blocks++;
    else if (cmd === 'tx') s.transactions++;
    if (cmd === 'version') {
      this.version(ctx, isOrig, network, b, o + h, len, fromCarry ? side : null);
      return h + len;
    }
    side.skip = len;
    return h;
  }

  private partialHeader(ctx: AnalyzerContext, side: Side, b: Uint8Array, o: number, avail: number): number {
    if (avail >= 4 && networkOf(b, o) === null) return this.bad(ctx, side, 'bitcoin.bad_header');
    return 0;
  }

  private bad(ctx: AnalyzerContext, side: Side, weird: string): number {
    if (this.confirmed) ctx.weird(weird);
    else ctx.release();
    side.stop();
    return -1;
  }

  private confirm(ctx: AnalyzerContext, network: string): void {
    this.confirmed = true;
    const p = ctx.packet;
    this.s.packet = p.packetNo;
    this.s.tsSec = p.tsSec;
    this.s.tsNsec = p.tsNsec;
    this.s.network = network;
    ctx.confirm('bitcoin');
  }

  /** `began`: the message began in an earlier segment (its packet and time are kept there). */
  private version(ctx: AnalyzerContext, isOrig: boolean, network: string, b: Uint8Array, p: number, len: number, began: Side | null): void {
    const v = parseVersion(b, p, len);
    if (v === null) {
      ctx.weird('bitcoin.bad_version');
      return;
    }
    const s = this.s;
    const services = serviceNames(v.services);
    if (isOrig) {
      s.orig_version = v.version;
      s.orig_user_agent = v.userAgent;
      s.orig_start_height = v.startHeight;
      s.orig_services = services;
    } else {
      s.resp_version = v.version;
      s.resp_user_agent = v.userAgent;
      s.resp_start_height = v.startHeight;
      s.resp_services = services;
    }
    const c = ctx.conn;
    const pk = ctx.packet;
    const node = isOrig ? origHost(c) : respHost(c);
    const ev: BitcoinVersionEvent = {
      type: 'bitcoin.version',
      packet: began !== null ? began.carryPacket : pk.packetNo,
      tsSec: began !== null ? began.carrySec : pk.tsSec,
      tsNsec: began !== null ? began.carryNsec : pk.tsNsec,
      node,
      node_p: isOrig ? c.oPort : c.rPort,
      peer: isOrig ? respHost(c) : origHost(c),
      is_orig: isOrig,
      network,
      version: v.version,
      services,
      user_agent: v.userAgent,
      start_height: v.startHeight,
    };
    ctx.emit(ev);
    if (v.userAgent !== null && v.userAgent !== '') ctx.emit({ type: 'software', host: node, ...(isOrig ? {} : { host_p: c.rPort }), software_type: 'BITCOIN::NODE', unparsed_version: v.userAgent.replace(/^\/|\/$/g, '') });
  }
}
