// Per-flow QUIC state. The client's first Initial packet fixes the connection's Initial keys
// (derived from its Destination Connection ID); the client's and server's Initial packets are
// decrypted with them and their CRYPTO frames reassembled in order and handed to a TLS analyzer
// (the ClientHello's server name, ALPN and JA3/JA4 with JA4's 'q' transport; the ServerHello's
// version and cipher), which writes ssl.log and makes conn.log say `quic,ssl`, as Zeek does.
// Handshake and 1-RTT packets use keys no observer has: only their types are noted. Google QUIC
// versions with a clear-text CHLO give its server name and user agent instead. One quic.log
// line per connection, with Zeek's fields, when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { TlsAnalyzer } from '../tls/analyzer.js';
import type { QuicSessionEvent } from './events.js';
import {
  PT_0RTT,
  PT_HANDSHAKE,
  PT_INITIAL,
  PT_RETRY,
  anyVersionInfo,
  decryptPacket,
  findChlo,
  initialSecret,
  parseInitialFrames,
  sideKeys,
  parseLongHeader,
  versionInfo,
  type InitialKeys,
  type LongHeader,
  type VersionInfo,
} from './parse.js';
import { gquicVersion } from './probe.js';

/** Packets read per datagram (RFC 9000 §12.2 coalescing: Initial + Handshake + 1-RTT at most). */
const MAX_COALESCED = 4;
/** CRYPTO bytes buffered per direction (a ClientHello with post-quantum key shares is ~2 KiB). */
const MAX_CRYPTO = 64 * 1024;
/** Out-of-order CRYPTO chunks held per direction while the gap before them is filled. */
const MAX_PENDING = 32;
/** Datagrams of each side decrypted or searched (the handshake is over long before). */
const MAX_INITIAL_DATAGRAMS = 16;
const MAX_HISTORY = 100;

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

class CryptoStream {
  /** Bytes handed to TLS so far (the next expected offset). */
  next = 0;
  /** Length of the first handshake message (the hello), once its header arrived; then the side is done. */
  helloLen = -1;
  pending: { offset: number; data: Uint8Array }[] = [];
  full = false;
}

export class QuicAnalyzer implements FlowAnalyzer {
  private readonly tls = new TlsAnalyzer();
  private rec: QuicSessionEvent | null = null;
  private info: VersionInfo | null = null;
  private version = 0;
  /** The Initial secret of the client's first DCID, and each side's keys (derived when first needed). */
  private secret: Buffer | null = null;
  private readonly keys: (InitialKeys | null)[] = [null, null];
  /** A Retry changes the Destination Connection ID the next client Initial is protected with. */
  private rekey = true;
  private keysFailed = false;
  private readonly streams = [new CryptoStream(), new CryptoStream()];
  private readonly datagrams = [0, 0];
  private confirmed = false;
  private helloSent = [false, false];
  private badHeader = false;
  private chloDone = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const side = isOrig ? 0 : 1;
    // Past the handshake only 1-RTT packets follow, which no observer can read.
    if (this.datagrams[side] >= MAX_INITIAL_DATAGRAMS) return;
    this.datagrams[side]++;
    if (this.rec === null) this.start(ctx, buf, off, len);
    if (this.rec === null) return;
    // Google QUIC before Q050: the CHLO in clear, in whatever header the version used.
    if (this.info?.gquic === true && this.info.salts.length === 0) {
      this.gquic(ctx, isOrig, buf, off, len);
      return;
    }
    let o = off;
    const end = off + len;
    for (let n = 0; n < MAX_COALESCED && o < end; n++) {
      // A short header (1-RTT) runs to the end of the datagram.
      if ((buf[o] & 0x80) === 0) return;
      const h = parseLongHeader(buf, o, end);
      if (h === null) {
        if (!this.badHeader) ctx.weird('quic.bad_long_header');
        this.badHeader = true;
        return;
      }
      if (h.version === 0) {
        // Version Negotiation: the server lists what it speaks; the client will start over.
        if (!isOrig) this.confirm(ctx);
        return;
      }
      if (h.version !== this.version) {
        const info = anyVersionInfo(h.version);
        if (info === null) {
          this.letter(isOrig, 'u');
          return;
        }
        // A new version after Version Negotiation: new keys.
        this.version = h.version;
        this.info = info;
        this.rec.version = info.name;
        this.secret = null;
        this.keys[0] = this.keys[1] = null;
        this.rekey = true;
        this.keysFailed = false;
      }
      this.packet(ctx, isOrig, buf, o, h);
      o = h.end;
    }
  }

  private start(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    let version = 0;
    let info: VersionInfo | null = null;
    const g = gquicVersion(buf, off, len);
    if (g !== null) {
      version = g;
      info = versionInfo(g);
    } else {
      const h = parseLongHeader(buf, off, off + len);
      if (h === null) return;
      version = h.version;
      info = anyVersionInfo(h.version);
      if (info === null) return;
    }
    const p = ctx.packet;
    this.rec = { type: 'quic.session', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, version: info!.name, history: '' };
    this.version = version;
    this.info = info;
  }

  private packet(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, start: number, h: LongHeader): void {
    const r = this.rec!;
    if (isOrig && r.client_scid === undefined) r.client_scid = hex(h.scid);
    if (!isOrig && r.server_scid === undefined && h.type !== PT_RETRY) r.server_scid = hex(h.scid);
    switch (h.type) {
      case PT_INITIAL:
        this.letter(isOrig, 'i');
        if (!isOrig) this.confirm(ctx);
        this.initial(ctx, isOrig, buf, start, h);
        return;
      case PT_HANDSHAKE:
        this.letter(isOrig, 'h');
        if (!isOrig) this.confirm(ctx);
        return;
      case PT_0RTT:
        this.letter(isOrig, 'z');
        return;
      case PT_RETRY:
        this.letter(isOrig, 'r');
        if (!isOrig) {
          this.confirm(ctx);
          this.secret = null;
          this.keys[0] = this.keys[1] = null;
          this.rekey = true;
          this.keysFailed = false;
        }
        return;
    }
  }

  private initial(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, start: number, h: LongHeader): void {
    const info = this.info;
    if (info === null || info.salts.length === 0) return;
    const side = isOrig ? 0 : 1;
    // The hello is what the Initials are read for: once a side's is complete, stop decrypting.
    const st = this.streams[side];
    if (st.helloLen >= 0 && st.next >= st.helloLen) return;
    if (isOrig && this.rekey) {
      this.rekey = false;
      this.rec!.client_initial_dcid ??= hex(h.dcid);
      for (const salt of info.salts) {
        const secret = initialSecret(salt, h.dcid);
        const keys = sideKeys(secret, 'client in', info.v2);
        const d = decryptPacket(buf, start, h, keys);
        if (d !== null) {
          this.secret = secret;
          this.keys[0] = keys;
          this.frames(ctx, isOrig, d.payload);
          return;
        }
      }
      if (!this.keysFailed) ctx.weird('quic.initial_decryption_failed');
      this.keysFailed = true;
      return;
    }
    if (this.secret === null) return;
    const keys = (this.keys[side] ??= sideKeys(this.secret, isOrig ? 'client in' : 'server in', info.v2));
    const d = decryptPacket(buf, start, h, keys);
    if (d === null) {
      ctx.weird('quic.initial_decryption_failed');
      return;
    }
    this.frames(ctx, isOrig, d.payload);
  }

  private frames(ctx: AnalyzerContext, isOrig: boolean, payload: Uint8Array): void {
    // An Initial that authenticates under the version's keys is QUIC beyond doubt.
    this.confirm(ctx);
    // Q050 protects its Initial packets like IETF QUIC, but carries gQUIC's CHLO inside.
    if (this.info?.gquic === true) {
      this.gquic(ctx, isOrig, payload, 0, payload.length);
      return;
    }
    const f = parseInitialFrames(payload, this.info?.cryptoFrame);
    if (f.malformed) ctx.weird('quic.bad_initial_frames');
    if (f.close) this.letter(isOrig, 'c');
    const s = this.streams[isOrig ? 0 : 1];
    for (const c of f.crypto) {
      if (s.full) break;
      if (c.offset + c.data.length <= s.next) continue;
      if (c.offset + c.data.length > MAX_CRYPTO) {
        ctx.weird('quic.crypto_too_long');
        s.full = true;
        break;
      }
      if (s.pending.length >= MAX_PENDING) break;
      // No copy: the decrypted payload is a buffer of this analyzer's own, not the packet's.
      s.pending.push(c);
    }
    s.pending.sort((a, b) => a.offset - b.offset);
    while (s.pending.length > 0 && s.pending[0].offset <= s.next) {
      const c = s.pending.shift()!;
      const skip = s.next - c.offset;
      if (skip >= c.data.length) continue;
      // The hello's own length, from its handshake header (type 1 byte, length 3 bytes).
      if (c.offset === 0 && c.data.length >= 4) s.helloLen = 4 + ((c.data[1] << 16) | (c.data[2] << 8) | c.data[3]);
      if (!this.helloSent[isOrig ? 0 : 1]) {
        this.helloSent[isOrig ? 0 : 1] = true;
        this.letter(isOrig, 's');
      }
      this.tls.quicCrypto(ctx, isOrig, c.data, skip, c.data.length - skip);
      s.next = c.offset + c.data.length;
    }
    if (isOrig) {
      const ua = this.tls.quicClientFacts.userAgent;
      if (ua !== undefined) this.userAgent(ctx, ua);
    }
    // Both hellos read: the keys (and the native cipher contexts they hold) are no longer needed.
    const [cs, ss] = this.streams;
    if (cs.helloLen >= 0 && cs.next >= cs.helloLen && ss.helloLen >= 0 && ss.next >= ss.helloLen) {
      this.secret = null;
      this.keys[0] = this.keys[1] = null;
    }
  }

  private gquic(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (!isOrig) {
      if (this.chloDone) this.confirm(ctx);
      return;
    }
    if (this.chloDone) return;
    const chlo = findChlo(buf, off, len);
    if (chlo === null) return;
    this.chloDone = true;
    this.confirm(ctx);
    const r = this.rec!;
    this.letter(isOrig, 's');
    if (chlo.sni !== undefined) r.server_name = chlo.sni;
    if (chlo.uaid !== undefined) this.userAgent(ctx, chlo.uaid);
  }

  /** The browser's user agent (gQUIC's UAID tag, or Chrome's google_user_agent parameter). */
  private userAgent(ctx: AnalyzerContext, ua: string): void {
    const r = this.rec!;
    if (r.user_agent !== undefined) return;
    r.user_agent = ua;
    const c = ctx.conn;
    ctx.emit({ type: 'software', host: origHost(c), software_type: 'QUIC::BROWSER', unparsed_version: ua });
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('quic');
  }

  /**
   * Zeek's quic history letters, the client's upper case: I Initial, H Handshake, Z 0-RTT,
   * R Retry, C CONNECTION_CLOSE, S TLS (or CHLO) hello, U unfamiliar version.
   */
  private letter(isOrig: boolean, l: string): void {
    const r = this.rec;
    if (r === null || r.history.length >= MAX_HISTORY) return;
    r.history += isOrig ? l.toUpperCase() : l;
  }

  end(ctx: AnalyzerContext): void {
    this.tls.end(ctx);
    const r = this.rec;
    if (r === null || !this.confirmed) return;
    const t = this.tls.quicClientFacts;
    if (t.serverName !== undefined) r.server_name = t.serverName;
    if (t.alpn !== undefined) r.client_protocol = t.alpn;
    ctx.emit(r);
    this.rec = null;
  }
}
