// Per-flow BitTorrent state. Over TCP each direction is the peer-wire stream: the 68-byte
// handshake, then length-prefixed messages, read header by header; payloads are skipped
// without being buffered except the extension handshake (bounded), which names the client.
// Over UDP every datagram is judged on its own, since one socket carries several protocols
// (libtorrent sends DHT queries and uTP connections from the same port): LSD announcement, DHT
// message, UDP tracker request or uTP packet. A uTP flow is BitTorrent when a DATA packet
// carries the handshake, when a SYN is answered by a STATE with its connection id and
// sequence number, or (caught mid-way) when two DATA packets of one connection id begin like
// peer-wire messages. A flow that shows none of these in its first datagrams is let go.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { MessageReader, type MessageSink } from '../message-reader.js';
import { escapeBytes } from '../l2text.js';
import { confirmSummary, origHost, respHost } from '../connid.js';
import type { BittorrentPeerEvent, BittorrentSession } from './events.js';
import { clientOfDhtVersion, clientOfPeerId, clientText } from './clients.js';
import { HANDSHAKE_LEN, MAX_BENCODED, MAX_MESSAGE, isPstrPrefix, looksLikePeerWire, parseExtHandshake, parseHandshake, parseKrpc, parseLsd, parseTrackerRequest, parseUtp, u32 } from './parse.js';

const MAX_LIST = 16;
const MAX_HASHES = 8;
/** UDP datagrams that are none of BitTorrent's before the flow is let go. */
const MAX_MISSES = 3;

class Side extends MessageReader {
  shook = false;
  peerId: string | null = null;
  idClient: string | null = null;
  extClient: string | null = null;
  pieces = 0;
  pieceBytes = 0;
  /** The client was reported as software. */
  software = false;
  /** Transports this side was announced on (bittorrent.peer emitted once per transport). */
  announced = 0;
  /** uTP: the connection id this side sends, a SYN's sequence number, DATA packets that began like peer-wire. */
  utpConn = -1;
  synSeq = -1;
  utpWire = 0;
}

const TRANSPORT_BIT: Record<string, number> = { tcp: 1, utp: 2, dht: 4, lsd: 8, 'udp-tracker': 16 };

export class BittorrentAnalyzer implements FlowAnalyzer, MessageSink {
  private readonly sides = [new Side(), new Side()];
  private confirmed = false;
  private misses = 0;
  private readonly s: BittorrentSession = {
    type: 'bittorrent.session',
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    transports: [],
    info_hashes: [],
    orig_peer_id: null,
    orig_client: null,
    orig_agent: null,
    resp_peer_id: null,
    resp_client: null,
    resp_agent: null,
    features: [],
    extensions: [],
    dht_queries: [],
    listen_ports: [],
    messages: 0,
    orig_pieces: 0,
    orig_piece_bytes: 0,
    resp_pieces: 0,
    resp_piece_bytes: 0,
  };

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto === 17) {
      this.datagram(ctx, isOrig, buf, off, len);
      return;
    }
    this.ctx = ctx;
    this.isOrig = isOrig;
    this.side = this.sides[isOrig ? 0 : 1];
    this.side.feed(buf, off, len, this);
  }

  /** The delivery being read (MessageSink's calls come from within `data`). */
  private ctx: AnalyzerContext | null = null;
  private isOrig = true;
  private side = this.sides[0];

  readMessage(b: Uint8Array, o: number, end: number): number {
    const side = this.side;
    return side.shook ? this.message(this.ctx!, this.isOrig, side, b, o, end) : this.handshake(this.ctx!, this.isOrig, side, b, o, end);
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // Message boundaries are lost with the bytes: stop reading this direction.
    this.sides[isOrig ? 0 : 1].stop();
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    this.confirmed = false;
    const s = this.s;
    const [o, r] = this.sides;
    s.orig_peer_id = o.peerId;
    s.orig_client = o.idClient;
    s.orig_agent = o.extClient;
    s.resp_peer_id = r.peerId;
    s.resp_client = r.idClient;
    s.resp_agent = r.extClient;
    s.orig_pieces = o.pieces;
    s.orig_piece_bytes = o.pieceBytes;
    s.resp_pieces = r.pieces;
    s.resp_piece_bytes = r.pieceBytes;
    ctx.emit(s);
  }

  // ---- TCP ----

  private handshake(ctx: AnalyzerContext, isOrig: boolean, side: Side, b: Uint8Array, o: number, end: number): number {
    const avail = end - o;
    if (!isPstrPrefix(b, o, avail)) return this.bad(ctx, side, 'bittorrent.bad_handshake');
    if (avail < HANDSHAKE_LEN) return 0;
    const h = parseHandshake(b, o, avail)!;
    side.shook = true;
    this.peerId(side, h.peerIdBytes);
    this.addHash(h.infoHash);
    for (const f of h.features) if (!this.s.features.includes(f)) this.s.features.push(f);
    this.confirm(ctx);
    this.announce(ctx, isOrig, side, 'tcp', h.infoHash, side.idClient);
    if (side.idClient !== null && !side.idClient.startsWith('unknown client')) this.software(ctx, isOrig, side);
    return HANDSHAKE_LEN;
  }

  /** One message at `o`: bytes used (its payload left in side.skip), 0 for more data, -1 broken. */
  private message(ctx: AnalyzerContext, isOrig: boolean, side: Side, b: Uint8Array, o: number, end: number): number {
    const avail = end - o;
    if (avail < 4) return 0;
    const n = u32(b, o);
    if (n === 0) return 4; // keep-alive
    if (n > MAX_MESSAGE) return this.bad(ctx, side, 'bittorrent.message_too_large');
    if (avail < 5) return 0;
    const id = b[o + 4];
    this.s.messages++;
    if (id === 20) {
      if (avail < 6) {
        this.s.messages--;
        return 0;
      }
      if (b[o + 5] === 0 && n - 2 <= MAX_BENCODED) {
        if (avail < 4 + n) {
          this.s.messages--;
          return 0;
        }
        this.extHandshake(side, b, o + 6, n - 2);
        this.software(ctx, isOrig, side);
        return 4 + n;
      }
    } else if (id === 7 && n >= 9) {
      side.pieces++;
      side.pieceBytes += n - 9;
    }
    side.skip = n - 1;
    return 5;
  }

  private extHandshake(side: Side, b: Uint8Array, o: number, len: number): void {
    const x = parseExtHandshake(b, o, len);
    if (x === null) return;
    if (x.client !== null) side.extClient = x.client;
    for (const e of x.extensions) if (this.s.extensions.length < MAX_LIST && !this.s.extensions.includes(e)) this.s.extensions.push(e);
    if (x.port !== null) this.addPort(x.port);
  }

  private bad(ctx: AnalyzerContext, side: Side, weird: string): number {
    if (this.confirmed) ctx.weird(weird);
    else ctx.release();
    side.stop();
    return -1;
  }

  // ---- UDP ----

  private datagram(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, o: number, len: number): void {
    const side = this.sides[isOrig ? 0 : 1];
    if (len === 0) return;
    const first = b[o];
    if (first === 0x42) {
      const lsd = parseLsd(b, o, len);
      if (lsd !== null) {
        for (const h of lsd.infoHashes) this.addHash(h);
        if (lsd.port !== null) this.addPort(lsd.port);
        this.confirm(ctx);
        this.announce(ctx, isOrig, side, 'lsd', lsd.infoHashes[0] ?? null, null);
        return;
      }
    }
    if (first === 0x64) {
      const k = parseKrpc(b, o, len);
      if (k !== null) {
        if (k.infoHash !== null) this.addHash(k.infoHash);
        if (k.method !== '' && this.s.dht_queries.length < MAX_LIST && !this.s.dht_queries.includes(k.method)) this.s.dht_queries.push(k.method);
        const cl = k.client !== null ? clientOfDhtVersion(k.client) : null;
        if (cl !== null && side.idClient === null) side.idClient = clientText(cl);
        this.confirm(ctx);
        this.announce(ctx, isOrig, side, 'dht', k.infoHash, cl !== null ? clientText(cl) : null);
        this.software(ctx, isOrig, side);
        return;
      }
    }
    // Announces and scrapes open with the connection id the tracker gave: any first byte.
    const tracker = this.confirmed && this.s.transports.includes('udp-tracker');
    if (isOrig && (first === 0x00 || tracker)) {
      const t = parseTrackerRequest(b, o, len);
      if (t !== null && (t.action === 'connect' || tracker)) {
        if (t.infoHash !== null) this.addHash(t.infoHash);
        if (t.port !== null && t.port > 0) this.addPort(t.port);
        if (t.peerId !== null) this.peerId(side, t.peerId);
        this.confirm(ctx);
        this.announce(ctx, isOrig, side, 'udp-tracker', t.infoHash, side.idClient);
        this.software(ctx, isOrig, side);
        return;
      }
    }
    const u = parseUtp(b, o, len);
    if (u === null) {
      if (!this.confirmed && ++this.misses >= MAX_MISSES) ctx.release();
      return;
    }
    this.utp(ctx, isOrig, side, u.type, u.connId, u.seq, u.ack, b, u.payload, o + len - u.payload);
  }

  private utp(ctx: AnalyzerContext, isOrig: boolean, side: Side, type: number, connId: number, seq: number, ack: number, b: Uint8Array, p: number, plen: number): void {
    const other = this.sides[isOrig ? 1 : 0];
    if (type === 4) {
      // SYN: its connection id is the one the answer carries; later packets of this side use id + 1.
      side.synSeq = seq;
      side.utpConn = connId;
    } else if (type === 2 && other.synSeq >= 0 && connId === other.utpConn && ack === other.synSeq && !this.utpConfirmed()) {
      this.utpConfirm(ctx, isOrig, side, null);
    }
    if (side.utpConn < 0) side.utpConn = connId;
    if (type !== 0 || plen <= 0) return;
    const h = parseHandshake(b, p, plen);
    if (h !== null) {
      this.peerId(side, h.peerIdBytes);
      this.addHash(h.infoHash);
      for (const f of h.features) if (!this.s.features.includes(f)) this.s.features.push(f);
      this.utpConfirm(ctx, isOrig, side, h.infoHash);
      // The extension handshake often follows in the same packet.
      this.datagramMessages(side, b, p + HANDSHAKE_LEN, plen - HANDSHAKE_LEN);
      this.software(ctx, isOrig, side);
      return;
    }
    if (looksLikePeerWire(b, p, plen)) {
      // Connection ids of one side stay the same (a SYN's side sends id + 1 after it).
      if (connId !== side.utpConn && connId !== ((side.utpConn + 1) & 0xffff)) side.utpWire = 0;
      side.utpConn = connId;
      if (++side.utpWire >= 2 && !this.utpConfirmed()) this.utpConfirm(ctx, isOrig, side, null);
      if (this.confirmed) this.datagramMessages(side, b, p, plen);
    }
  }

  /** Whole messages at the start of a uTP payload (uTP may split or reorder the rest: not followed). */
  private datagramMessages(side: Side, b: Uint8Array, o: number, len: number): void {
    let p = o;
    const end = o + len;
    for (let i = 0; i < 8 && end - p >= 5; i++) {
      const n = u32(b, p);
      if (n === 0) {
        p += 4;
        continue;
      }
      if (n > MAX_MESSAGE) return;
      const id = b[p + 4];
      this.s.messages++;
      if (id === 7 && n >= 9) {
        side.pieces++;
        side.pieceBytes += n - 9;
      }
      if (p + 4 + n > end) return;
      if (id === 20 && n >= 2 && b[p + 5] === 0) this.extHandshake(side, b, p + 6, n - 2);
      p += 4 + n;
    }
  }

  private utpConfirmed(): boolean {
    return this.s.transports.includes('utp');
  }

  private utpConfirm(ctx: AnalyzerContext, isOrig: boolean, side: Side, infoHash: string | null): void {
    this.confirm(ctx);
    this.announce(ctx, isOrig, side, 'utp', infoHash, side.idClient);
  }

  // ---- shared ----

  private peerId(side: Side, id: Uint8Array): void {
    side.peerId = escapeBytes(id, 0, id.length, true);
    const cl = clientOfPeerId(id);
    if (cl !== null) side.idClient = clientText(cl);
  }

  /**
   * software.log: the client, once per side, as soon as it is known. The peer id's client is the
   * more specific (µTorrent Web's extension handshake names the libtorrent it is built on); an
   * unknown code leaves the client's own "v".
   */
  private software(ctx: AnalyzerContext, isOrig: boolean, side: Side): void {
    if (side.software) return;
    const id = side.idClient !== null && !side.idClient.startsWith('unknown client') ? side.idClient : null;
    const name = id ?? side.extClient;
    if (name === null) return;
    side.software = true;
    const c = ctx.conn;
    ctx.emit({ type: 'software', host: isOrig ? origHost(c) : respHost(c), software_type: 'BitTorrent::CLIENT', unparsed_version: name });
  }

  private addHash(h: string): void {
    if (h !== '' && this.s.info_hashes.length < MAX_HASHES && !this.s.info_hashes.includes(h)) this.s.info_hashes.push(h);
  }

  private addPort(p: number): void {
    if (this.s.listen_ports.length < MAX_LIST && !this.s.listen_ports.includes(p)) this.s.listen_ports.push(p);
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    confirmSummary(ctx, this.s, 'bittorrent');
  }

  /** bittorrent.peer, once per side and transport. */
  private announce(ctx: AnalyzerContext, isOrig: boolean, side: Side, transport: string, infoHash: string | null, client: string | null): void {
    if (!this.s.transports.includes(transport)) this.s.transports.push(transport);
    const bit = TRANSPORT_BIT[transport];
    if ((side.announced & bit) !== 0) return;
    side.announced |= bit;
    const c = ctx.conn;
    const p = ctx.packet;
    const ev: BittorrentPeerEvent = {
      type: 'bittorrent.peer',
      packet: p.packetNo,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      host: isOrig ? origHost(c) : respHost(c),
      host_p: isOrig ? c.oPort : c.rPort,
      peer: isOrig ? respHost(c) : origHost(c),
      peer_p: isOrig ? c.rPort : c.oPort,
      is_orig: isOrig,
      transport,
      info_hash: infoHash,
      client,
    };
    ctx.emit(ev);
  }
}
